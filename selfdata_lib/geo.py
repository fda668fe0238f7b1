"""Small geometry shared by importers, personas and analyses."""

from __future__ import annotations

from typing import Any

import numpy as np

EARTH_RADIUS_M = 6_371_008.8

#: A central public place of each seed territory (lat, lon), used when a user gives no place of their
#: own and the computation only needs the territory's climate: the town hall's square, rounded.
TERRITORY_CENTRES = {
    "Lyon": (45.7676, 4.8357),  # Hôtel de ville, place des Terreaux
    "Nantes": (47.2184, -1.5536),  # Hôtel de ville, rue de la Commune
    "La Rochelle": (46.1591, -1.1520),  # Hôtel de ville, place de l'Hôtel de Ville
    "Rennes": (48.1113, -1.6800),  # Hôtel de ville, place de la Mairie
}


def outside_territory(place: Any, territory: str, *, radius_km: float = 30.0) -> str | None:
    """A French note when ``place`` (``(lat, lon)`` or with ``lat``/``lon``) lies farther than ``radius_km`` from the
    territory's centre: its open data (bus stops, stations, districts) then says little of me.
    """
    if place is None or territory not in TERRITORY_CENTRES:
        return None
    plat, plon = place if isinstance(place, tuple) else (place.lat, place.lon)
    lat, lon = TERRITORY_CENTRES[territory]
    km = haversine_m(plat, plon, lat, lon) / 1000
    if km <= radius_km:
        return None
    return f"mon domicile est à {km:.0f} km de {territory} : les données ouvertes de ce territoire ne me concernent guère"


def parse_latlon(text: str) -> tuple[float, float] | None:
    """``"47.2,-1.55"`` → (47.2, -1.55); ``None`` for an empty or unreadable text."""
    try:
        lat, lon = (float(x) for x in str(text).replace(";", ",").split(","))
    except ValueError:
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def haversine_m(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in metres; scalars give a float, arrays an array (broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(np.subtract(lon2, lon1)) / 2) ** 2
    )
    d = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))
    return float(d) if np.ndim(d) == 0 else d


def path_steps_m(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Distance between consecutive points of a path (one fewer than the points)."""
    return haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
