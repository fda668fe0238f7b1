"""Where I live and work, from my own location data — or typed, or (only if asked) geocoded online.

``resolve_place("auto", visits=…, points=…)`` takes the HOME (or WORK) place Google labelled; without
labels it infers it from raw points: home is where I most often am at night, work where I most often
am on weekday working hours (elsewhere than home). ``"45.7457,4.8425"`` is used as typed. A street
address is geocoded with the national address API (api-adresse.data.gouv.fr) only with
``geocode_online=True``: the address then leaves the machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from selfdata_lib.errors import NetworkDisabledError
from selfdata_lib.results import Figure, Result, figure

TZ = "Europe/Paris"
GEOCODER_URL = "https://api-adresse.data.gouv.fr/search/"
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Place:
    """A resolved place and how it was found (``google label``, ``inferred``, ``typed``, ``geocoded``)."""

    lat: float
    lon: float
    how: str
    label: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The place rounded to about a metre, as recorded in results."""
        return {"lat": round(self.lat, 5), "lon": round(self.lon, 5), "how": self.how, "label": self.label}


def _cell(lat: pd.Series, lon: pd.Series) -> pd.Series:
    """~100 m grid cells."""
    return lat.round(3).astype(str) + "," + lon.round(3).astype(str)


def infer_home_work(points: pd.DataFrame | None) -> dict[str, Place]:
    """HOME = the cell most seen between 22:00 and 06:00; WORK = the cell most seen on weekdays between
    09:00 and 17:00 that is not HOME (absent when there is none).
    """
    if points is None or points.empty:
        return {}
    local = points["time"].dt.tz_convert(TZ)
    cell = _cell(points["lat"], points["lon"])
    night = (local.dt.hour >= 22) | (local.dt.hour < 6)
    out: dict[str, Place] = {}
    if night.any():
        home_cell = cell[night].value_counts().idxmax()
        pts = points[cell == home_cell]
        out["HOME"] = Place(float(pts["lat"].median()), float(pts["lon"].median()), "inferred", "HOME")
        day = (local.dt.day_of_week < 5) & local.dt.hour.between(9, 16) & (cell != home_cell)
        if day.any():
            work_cell = cell[day].value_counts().idxmax()
            pts = points[cell == work_cell]
            out["WORK"] = Place(float(pts["lat"].median()), float(pts["lon"].median()), "inferred", "WORK")
    return out


def labelled_place(visits: pd.DataFrame | None, label: str) -> Place | None:
    """The place Google labelled ``label`` (HOME or WORK): the median of those visits."""
    if visits is None or visits.empty:
        return None
    v = visits[visits["label"] == label]
    if v.empty:
        return None
    return Place(float(v["lat"].median()), float(v["lon"].median()), "google label", label)


def geocode(address: str, *, timeout: float | None = None) -> Place:
    """Geocode a French address with the national address API (the address is sent to it)."""
    from selfdata_lib import _http

    params: dict[str, Any] = {"q": address, "limit": 1}
    answer = _http.get_json(GEOCODER_URL, what="l'API Adresse nationale", params=params, timeout=timeout)
    features = (answer.get("features") if isinstance(answer, dict) else None) or []
    if not features:
        msg = (
            f"l'API Adresse nationale ne trouve aucune adresse « {address} » : vérifiez-la, ou donnez la "
            "position en « lat,lon » (clic droit sur une carte)"
        )
        raise LookupError(msg)
    lon, lat = features[0]["geometry"]["coordinates"]
    return Place(float(lat), float(lon), "geocoded", features[0]["properties"].get("label", address))


def resolve_place(
    spec: str,
    *,
    label: str = "HOME",
    visits: pd.DataFrame | None = None,
    points: pd.DataFrame | None = None,
    geocode_online: bool = False,
) -> Place:
    """A place from ``spec``: ``"auto"`` (my location data), ``"lat,lon"``, or an address (geocoded
    only if ``geocode_online``). Raises :class:`ValueError` explaining the options otherwise.
    """
    spec = str(spec).strip()
    m = _LATLON.match(spec)
    if m:
        return Place(float(m.group(1)), float(m.group(2)), "typed", label)
    if spec.lower() == "auto":
        found = labelled_place(visits, label) or infer_home_work(points).get(label)
        if found is None:
            msg = (
                f"no {label} place in the location data given. Give a location export with "
                f"{label} visits or enough raw points, or type the coordinates as 'lat,lon' "
                "(right-click on any map), or an address with geocode_online=True."
            )
            raise ValueError(msg)
        return found
    if not geocode_online:
        msg = (
            f"{spec!r} looks like an address: it is geocoded only if you allow it "
            "(geocode_online=True — the address is then sent to api-adresse.data.gouv.fr). "
            "Otherwise type 'lat,lon' or use 'auto' with your location export."
        )
        raise ValueError(msg)
    return geocode(spec)


def find_place(
    spec: str,
    *,
    label: str = "HOME",
    visits: pd.DataFrame | None = None,
    points: pd.DataFrame | None = None,
    geocode_online: bool = False,
) -> tuple[Place | None, str | None]:
    """:func:`resolve_place` that does not fail: ``(place, None)`` or ``(None, reason in French)``."""
    try:
        return resolve_place(
            spec, label=label, visits=visits, points=points, geocode_online=geocode_online
        ), None
    except (ValueError, LookupError, NetworkDisabledError):
        what = {"HOME": "domicile", "WORK": "lieu de travail"}.get(label, label)
        return None, f"{what} introuvable dans mes données de localisation (ni étiqueté, ni assez de points)"


def places_table(named: dict[str, Place]) -> pd.DataFrame:
    """The resolved places, one row each (lat, lon, how each was found), to show."""
    return pd.DataFrame([p.as_dict() for p in named.values()], index=list(named))[["lat", "lon", "how"]]


def read_location_export(path: str | None) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """``(visits, points)`` from a location export — a file, or a folder or ``.zip`` such as a whole
    Google Takeout — each ``None`` when the export does not hold it (a Semantic history has visits but no
    raw points, a Records.json points only) or when ``path`` is empty.
    """
    from selfdata_lib.exports import read_kinds

    found = read_kinds(path, ("visits", "location_points"))
    return found["visits"], found["location_points"]


@dataclass(frozen=True)
class TripEnds(Result):
    """Where a trip starts and ends, and how each place was found."""

    origin: Place
    destination: Place

    def figures(self) -> dict[str, Figure]:
        """How each end was found (``typed``, ``labelled``, ``inferred``, ``geocoded``)."""
        return {"origin_source": figure(self.origin.how), "destination_source": figure(self.destination.how)}

    @property
    def table(self) -> pd.DataFrame:
        """The two places, to show."""
        return places_table({"départ": self.origin, "destination": self.destination})


def trip_ends(
    origin: str,
    destination: str,
    *,
    visits: pd.DataFrame | None = None,
    points: pd.DataFrame | None = None,
    geocode_online: bool = False,
) -> TripEnds:
    """:func:`resolve_place` for both ends: ``"auto"`` means my home (origin) and my work (destination)."""
    kw: dict[str, Any] = {"visits": visits, "points": points, "geocode_online": geocode_online}
    return TripEnds(resolve_place(origin, label="HOME", **kw), resolve_place(destination, label="WORK", **kw))
