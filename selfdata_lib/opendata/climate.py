"""Monthly climate normals of reference weather stations: the offline fallback when no daily weather
covers a user's period (heating sensitivity from monthly degree-days).

Real data: Météo-France publishes the 1991–2020 normals of its stations as open data
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

#: Reference stations of the seed territories: Météo-France id, name, position, and monthly mean
#: temperature 1991–2020 (°C, January to December), rounded from the station sheets.
REFERENCE_STATIONS = {
    "44020001": ("Nantes-Bouguenais", 47.150, -1.609,
                 (6.1, 6.6, 9.1, 11.2, 14.6, 17.9, 19.8, 19.7, 16.9, 13.5, 9.2, 6.5)),
    "69029001": ("Lyon-Bron", 45.721, 4.949,
                 (4.0, 5.1, 8.8, 11.9, 15.8, 19.7, 22.1, 21.8, 17.7, 13.5, 8.1, 4.8)),
    "17300009": ("La Rochelle-Le Bout Blanc", 46.147, -1.159,
                 (7.0, 7.4, 9.9, 12.2, 15.6, 18.8, 20.8, 20.8, 18.4, 15.1, 10.7, 7.8)),
    "35281001": ("Rennes-Saint-Jacques", 48.069, -1.734,
                 (5.6, 6.0, 8.4, 10.5, 13.9, 17.0, 19.0, 18.9, 16.1, 12.7, 8.7, 6.0)),
}
#: A station farther than this from the place is not its climate (km).
MAX_STATION_KM = 150.0


def _read_normals(files: list[Path]) -> pd.DataFrame:
    frame = pd.read_csv(files[0], sep=";", comment="#", dtype={"station": str})
    needed = {"station", "name", "lat", "lon", "month", "tmean_c"}
    if not needed <= set(frame.columns):
        msg = f"{files[0].name}: line 1 should name the columns {sorted(needed)}"
        raise ExportFormatError(msg)
    return frame


register(Dataset(
    name="climate-normals",
    title="Normales climatiques mensuelles 1991–2020 (stations de référence)",
    territory="France",
    source="Météo-France",
    url="https://meteo.data.gouv.fr/",
    licence="Licence Ouverte / Etalab 2.0",
    files=("normales_mensuelles*.csv",),
    snapshot_dirs=("meteofrance_normals",),
    read=_read_normals,
    description="Monthly mean temperature of reference stations, for an approximate heating sensitivity "
                "when no daily weather covers a period.",
))


def load_climate_normals(*, source: str = "auto") -> pd.DataFrame:
    """``station``, ``name``, ``lat``, ``lon``, ``month``, ``tmean_c`` (one row per station and month)."""
    return load("climate-normals", source=source)


def normals_near(normals: pd.DataFrame, lat: float, lon: float) -> pd.Series | None:
    """Monthly mean temperature (index 1–12) of the station nearest to the place, with the station's
    ``name`` and ``distance_km`` in ``attrs``; ``None`` when none is within :data:`MAX_STATION_KM`."""
    stations = normals.drop_duplicates("station")
    dist = haversine_m(lat, lon, stations["lat"].to_numpy(float), stations["lon"].to_numpy(float)) / 1000
    i = int(np.argmin(dist))
    if dist[i] > MAX_STATION_KM:
        return None
    station = stations.iloc[i]
    rows = normals[normals["station"] == station["station"]].set_index("month")["tmean_c"].sort_index()
    rows.attrs = {"station": str(station["station"]), "name": str(station["name"]), "distance_km": float(dist[i]),
                  "provenance": normals.attrs.get("provenance", {})}
    return rows.astype(float)


def build_climate_normals_sample(folder: Path) -> list[Path]:
    from selfdata_lib.opendata._samples import write_sample

    lines = ["# Monthly mean temperature 1991-2020 (°C), rounded from the Météo-France station sheets",
             "station;name;lat;lon;month;tmean_c"]
    for sid, (name, lat, lon, temps) in REFERENCE_STATIONS.items():
        lines += [f"{sid};{name};{lat};{lon};{m};{t}" for m, t in enumerate(temps, start=1)]
    return write_sample(folder, {"normales_mensuelles_1991-2020.csv": "\n".join(lines) + "\n"},
                        retrieved="2026-11-29", note="monthly normals rounded from the station sheets", readme=(
        "# climate-normals — monthly mean temperature of four reference stations\n\n"
        "Written by `selfdata samples build` (`selfdata_lib/opendata/climate.py`). Monthly mean temperature, "
        "1991–2020 normals, of the reference station of each seed territory (Nantes-Bouguenais, Lyon-Bron, "
        "La Rochelle, Rennes-Saint-Jacques), rounded to 0.1 °C from the Météo-France station sheets "
        "(« fiches climatologiques »). Values transcribed by the project, to check against the open dataset "
        "« Normales climatologiques » of meteo.data.gouv.fr (Licence Ouverte 2.0).\n\n"
        "Used only when no daily weather covers a user's period: the heating sensitivity is then estimated "
        "month by month from degree-days derived from these normals (approximate).\n"))
