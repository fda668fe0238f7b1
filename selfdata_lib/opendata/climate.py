"""Monthly climate normals of reference weather stations: the offline fallback when no daily weather
covers a user's period (heating sensitivity from monthly degree-days).

Real data: Météo-France (AEMET in Spain) publishes the 1991–2020 normals of its stations as open data
(meteo.data.gouv.fr, "Normales climatologiques", Licence Ouverte 2.0). The project's sample holds the
monthly mean temperature of the reference station of each seed territory, rounded to 0.1 °C from the
Météo-France station sheets ("fiches climatologiques", 1991–2020) — transcribed by the project, to be
checked against the live dataset. Layout: ``station;name;lat;lon;month;tmean_c`` (one row per station
and month).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.geo import haversine_m
from selfdata_lib.opendata._catalog import Dataset, load, register

#: A station farther than this from the place is not its climate (km).
MAX_STATION_KM = 150.0


def _read_normals(files: list[Path]) -> pd.DataFrame:
    frame = pd.read_csv(files[0], sep=";", comment="#", dtype={"station": str})
    needed = {"station", "name", "lat", "lon", "month", "tmean_c"}
    if not needed <= set(frame.columns):
        msg = f"{files[0].name}: line 1 should name the columns {sorted(needed)}"
        raise ExportFormatError(msg)
    return frame


register(
    Dataset(
        name="climate-normals",
        title="Normales climatiques mensuelles 1991–2020 (stations de référence)",
        territory="France",
        source="Météo-France (stations françaises) ; AEMET (Espagne)",
        url="https://meteo.data.gouv.fr/",
        licence="Licence Ouverte / Etalab 2.0",
        files=("normales_mensuelles*.csv",),
        snapshot_dirs=("meteofrance_normals",),
        read=_read_normals,
        description="Monthly mean temperature of reference stations, for an approximate heating sensitivity "
        "when no daily weather covers a period.",
    )
)


def load_climate_normals(*, source: str = "auto") -> pd.DataFrame:
    """``station``, ``name``, ``lat``, ``lon``, ``month``, ``tmean_c`` (one row per station and month)."""
    return load("climate-normals", source=source)


def normals_near(normals: pd.DataFrame, lat: float, lon: float) -> pd.Series | None:
    """Monthly mean temperature (index 1–12) of the station nearest to the place, with the station's
    ``name`` and ``distance_km`` in ``attrs``; ``None`` when none is within :data:`MAX_STATION_KM`.
    """
    stations = normals.drop_duplicates("station")
    dist = haversine_m(lat, lon, stations["lat"].to_numpy(float), stations["lon"].to_numpy(float)) / 1000
    i = int(np.argmin(dist))
    if dist[i] > MAX_STATION_KM:
        return None
    station = stations.iloc[i]
    rows = normals[normals["station"] == station["station"]].set_index("month")["tmean_c"].sort_index()
    rows.attrs = {
        "station": str(station["station"]),
        "name": str(station["name"]),
        "distance_km": float(dist[i]),
        "provenance": normals.attrs.get("provenance", {}),
    }
    return rows.astype(float)
