"""Vélo'v (Lyon's bike-share) open data: stations with their real-time availability, availability
history, the street network, and the metro/tram context layers.

Station layouts read (recognised by content):

- the Métropole de Lyon's "rdata" JSON of ``jcd_jcdecaux.jcdvelov`` (``{"values": [{number, name, lat,
  lng, bike_stands, available_bikes, available_bike_stands, status, last_update…}]}``) — real time;
- the WFS GeoJSON of ``pvo_patrimoine_voirie.pvostationvelov`` (``idstation``, ``nom``, ``nbbornettes``)
  — stations and capacities only (no availability);
- a GBFS feed (``station_information.json`` + ``station_status.json``), fetched with :func:`fetch_gbfs`.

The live endpoints are documented in :data:`LIVE_ENDPOINTS` and can be changed with the environment
(``SELFDATA_LIVE_VELOV_STATIONS``, ``SELFDATA_VELOV_GBFS_URL``).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from selfdata_lib import settings
from selfdata_lib.errors import ExportFormatError
from selfdata_lib.opendata import gbfs
from selfdata_lib.opendata._catalog import Dataset, fetched_provenance, load, register

TZ = "Europe/Paris"
LIVE_ENDPOINTS = {
    "rdata": "https://download.data.grandlyon.com/ws/rdata/jcd_jcdecaux.jcdvelov/all.json?maxfeatures=-1&start=1",
    "wfs": "https://data.grandlyon.com/geoserver/metropole-de-lyon/ows?SERVICE=WFS&VERSION=2.0.0&request=GetFeature"
    "&typename=metropole-de-lyon:pvo_patrimoine_voirie.pvostationvelov&outputFormat=application/json"
    "&SRSNAME=EPSG:4326",
    "gbfs": gbfs.SHIPPED["velov"].gbfs_url,
}
STATION_COLUMNS = ["station_id", "name", "lat", "lon", "capacity", "bikes", "docks", "status", "last_update"]


def _stations_from_rdata(doc: dict, name: str) -> pd.DataFrame:
    rows = []
    for i, v in enumerate(doc["values"]):
        try:
            total = v.get("total_stands") or {}
            capacity = total.get("capacity", v.get("bike_stands"))
            rows.append(
                {
                    "station_id": int(v["number"]),
                    "name": str(v.get("name", v["number"])),
                    "lat": float(v["lat"]),
                    "lon": float(v["lng"]),
                    "capacity": int(capacity),
                    "bikes": int(v["available_bikes"]),
                    "docks": int(v["available_bike_stands"]),
                    "status": str(v.get("status", "OPEN")),
                    "last_update": v.get("last_update"),
                }
            )
        except (KeyError, TypeError, ValueError) as exc:
            msg = (
                f"{name}, record {i + 1}: expected number, lat, lng, bike_stands, available_bikes and "
                f"available_bike_stands ({exc!r})"
            )
            raise ExportFormatError(msg) from exc
    return pd.DataFrame(rows, columns=STATION_COLUMNS)


def _stations_from_wfs(doc: dict, name: str) -> pd.DataFrame:
    rows = []
    for i, f in enumerate(doc["features"]):
        p = f.get("properties") or {}
        try:
            lon, lat = f["geometry"]["coordinates"][:2]
            rows.append(
                {
                    "station_id": int(p["idstation"]),
                    "name": str(p.get("nom", p["idstation"])),
                    "lat": float(lat),
                    "lon": float(lon),
                    "capacity": int(p.get("nbbornettes") or 0),
                    "bikes": np.nan,
                    "docks": np.nan,
                    "status": "OPEN" if p.get("ouverte", True) else "CLOSED",
                    "last_update": None,
                }
            )
        except (KeyError, TypeError, ValueError) as exc:
            msg = f"{name}, feature {i + 1}: expected a Point with idstation and nbbornettes ({exc!r})"
            raise ExportFormatError(msg) from exc
    return pd.DataFrame(rows, columns=STATION_COLUMNS)


def stations_from_gbfs(information: dict, status: dict) -> pd.DataFrame:
    """Merge a GBFS ``station_information`` and ``station_status`` (v1 to v3) into the station frame
    (:func:`selfdata_lib.opendata.gbfs.stations_from_feeds`).
    """
    return gbfs.stations_from_feeds(information, status)


def read_stations(path: Path | str) -> pd.DataFrame:
    """Vélo'v stations from a rdata JSON, a WFS GeoJSON or a GBFS ``station_status`` file (with its
    ``station_information.json`` beside it): ``station_id``, ``name``, ``lat``, ``lon``, ``capacity``,
    ``bikes``, ``docks`` (NaN when the layout has no availability), ``status``, ``last_update``.
    """
    path = Path(path)
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        msg = f"{path.name}: not a JSON file ({exc})"
        raise ExportFormatError(msg) from exc
    if isinstance(doc, dict) and isinstance(doc.get("values"), list):
        frame = _stations_from_rdata(doc, path.name)
    elif isinstance(doc, dict) and isinstance(doc.get("features"), list):
        frame = _stations_from_wfs(doc, path.name)
    elif isinstance(doc, dict) and "stations" in (doc.get("data") or {}):
        info_path = path.with_name("station_information.json")
        if not info_path.is_file():
            msg = f"{path.name}: a GBFS station_status needs station_information.json beside it"
            raise ExportFormatError(msg)
        frame = gbfs.stations_from_feeds(
            json.loads(info_path.read_text(encoding="utf-8")), doc, where=path.name
        )
    else:
        msg = (
            f"{path.name}: expected Vélo'v stations — a data.grandlyon.com rdata JSON ('values'), a WFS "
            "GeoJSON ('features') or a GBFS station_status ('data.stations')"
        )
        raise ExportFormatError(msg)
    if frame.empty:
        msg = f"{path.name}: no station in the file"
        raise ExportFormatError(msg)
    return frame.drop_duplicates("station_id").reset_index(drop=True)


register(
    Dataset(
        name="velov-stations",
        title="Stations Vélo'v et disponibilités en temps réel",
        territory="Lyon",
        source="Métropole de Lyon / JCDecaux (data.grandlyon.com, couche jcd_jcdecaux.jcdvelov)",
        url="https://data.grandlyon.com/portail/fr/jeux-de-donnees/stations-velo-v-metropole-lyon-disponibilites-temps-reel/info",
        licence="Licence Ouverte / Etalab 2.0",
        files=("*jcdvelov*.json",),
        snapshot_dirs=("velov_stations",),
        live={"jcd_jcdecaux.jcdvelov.json": LIVE_ENDPOINTS["rdata"]},
        read=lambda files: read_stations(files[0]),
        description="Vélo'v stations (position, capacity) with bikes and free docks at the time of the snapshot.",
    )
)


def load_velov_stations(*, source: str = "auto") -> pd.DataFrame:
    """Vélo'v stations with their capacity (``velov-stations``)."""
    return load("velov-stations", source=source)


def fetch_gbfs(url: str | None = None) -> pd.DataFrame:
    """Stations and their current availability from a GBFS feed (network; nothing personal is sent).
    ``url`` (or ``SELFDATA_VELOV_GBFS_URL``) is the ``gbfs.json`` discovery file (versions 1 to 3).
    """
    url = url or os.environ.get("SELFDATA_VELOV_GBFS_URL", LIVE_ENDPOINTS["gbfs"])
    folder = settings.cache_folder / "opendata" / "velov-gbfs"
    gbfs.fetch_feeds(url, folder)
    frame = gbfs.read_gbfs_folder(folder)
    frame.attrs["provenance"] = fetched_provenance(
        "velov-stations",
        f"Stations {frame.attrs['gbfs'].get('name') or 'Vélo’v'} (GBFS)",
        "opérateur du système (flux GBFS public)",
        url,
        "Licence Ouverte / Etalab 2.0",
        folder / "station_status.json",
    )
    return frame


# --- Availability history -----------------------------------------------------------------------------------


HISTORY_COLUMNS = ["timestamp_utc", "station_number", "bikes", "stands", "capacity"]


def _history_table(path: Path) -> pd.DataFrame:
    """The raw table of one history file (CSV, gzipped CSV or Parquet) or of a folder of them."""
    if path.is_dir():
        parts = sorted(p for p in path.iterdir() if p.suffix in {".parquet", ".csv", ".gz"})
        if not parts:
            msg = f"{path.name} : aucun fichier d'historique (.parquet, .csv, .csv.gz) dans ce dossier"
            raise ExportFormatError(msg)
        return pd.concat([_history_table(p) for p in parts], ignore_index=True)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return pd.read_csv(io.BytesIO(raw))


def _station_ids(values: pd.Series) -> pd.Series:
    """Station numbers as integers when they all are (JCDecaux, PBSC), else as text (other GBFS systems)."""
    numeric = pd.to_numeric(values, errors="coerce")
    return numeric.astype("int64") if numeric.notna().all() else values.astype(str)


def read_availability_history(path: Path | str) -> pd.DataFrame:
    """A history of bikes per station: ``timestamp_utc, station_number, bikes[, stands, capacity]``
    (CSV, optionally gzipped, Parquet, or a folder of them such as ``selfdata collect velov`` writes)
    → ``time`` (UTC), ``station_id``, ``bikes``, ``docks``, ``capacity``. Missing free-dock counts are
    capacity − bikes.
    """
    path = Path(path)
    frame = _history_table(path)
    need = {"timestamp_utc", "station_number", "bikes"}
    if not need <= set(frame.columns):
        msg = f"{path.name}, line 1: an availability history needs columns {sorted(need)}"
        raise ExportFormatError(msg)
    most_seen = frame.groupby("station_number")["bikes"].transform("max")  # when the capacity is not given
    capacity = frame["capacity"].fillna(most_seen) if "capacity" in frame else most_seen
    docks = frame["stands"] if "stands" in frame else pd.Series(np.nan, index=frame.index)
    out = pd.DataFrame(
        {
            "time": pd.to_datetime(frame["timestamp_utc"], utc=True),
            "station_id": _station_ids(frame["station_number"]),
            "bikes": frame["bikes"].astype(int),
            "capacity": capacity.astype(float),
        }
    )
    out["docks"] = docks.fillna(out["capacity"] - out["bikes"]).clip(lower=0)
    return out.sort_values(["station_id", "time"], ignore_index=True)


register(
    Dataset(
        name="velov-availability-history",
        title="Historique des disponibilités Vélo'v",
        territory="Lyon",
        source="JCDecaux (API open data, contrat « lyon ») ; historique collecté par des réutilisateurs",
        url="https://developer.jcdecaux.com/",
        licence="Données ouvertes JCDecaux / Métropole de Lyon (attribution)",
        files=("velov_availability*.csv*",),
        snapshot_dirs=("velov_availability_history",),
        read=lambda files: read_availability_history(files[0]),
        description="Bikes per station every few minutes, to learn how availability evolves.",
    )
)


for _s in gbfs.SHIPPED.values():
    if _s.history != "velov-availability-history":
        register(
            Dataset(
                name=_s.history,
                title=f"Historique des disponibilités {_s.name}",
                territory=_s.territory,
                source=f"{_s.operator} ; historique collecté du flux GBFS (selfdata collect velov --url)",
                url=_s.page,
                licence=_s.licence,
                files=(f"{_s.key}_availability*.csv*",),
                snapshot_dirs=(f"{_s.key}_availability_history",),
                read=lambda files: read_availability_history(files[0]),
                description=f"Bikes per station of {_s.name} every few minutes, to learn how availability evolves.",
            )
        )


def load_availability_history(*, source: str = "auto", path: str | Path = "") -> pd.DataFrame:
    """Bikes and stands at each station over time (``velov-availability-history``), or the history in
    ``path`` (a file or a folder ``selfdata collect velov`` filled) when given.
    """
    if not path:
        return load("velov-availability-history", source=source)
    frame = read_availability_history(path)
    frame.attrs["provenance"] = {
        "dataset": "velov-availability-history",
        "title": "Historique des disponibilités Vélo'v collecté (GBFS)",
        "source": "JCDecaux / Métropole de Lyon, flux GBFS",
        "licence": "Licence Ouverte / Etalab 2.0",
        "origin": "file",
        "sample": False,
        "path": str(path),
    }
    return frame


def collect_history(
    folder: Path | str,
    *,
    every_min: float = 5.0,
    times: int = 12,
    url: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Path]:
    """Poll the GBFS feed ``times`` times, every ``every_min`` minutes, and write each state of the
    stations as a Parquet file in ``folder`` (the availability-history layout), so that the model can
    learn from fresh days (:func:`load_availability_history` with ``path=folder``). Online: only the
    public feed is asked for, nothing personal is sent.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for k in range(times):
        stations = fetch_gbfs(url)
        stamp = pd.Timestamp.now(tz="UTC").floor("s")
        rows = pd.DataFrame(
            {
                "timestamp_utc": stamp,
                "station_number": stations["station_id"],
                "bikes": pd.to_numeric(stations["bikes"], errors="coerce"),
                "stands": pd.to_numeric(stations["docks"], errors="coerce"),
                "capacity": pd.to_numeric(stations["capacity"], errors="coerce"),
            }
        ).dropna(subset=["bikes"])
        path = folder / f"velov-{stamp:%Y%m%dT%H%M%SZ}-{k:04d}.parquet"
        rows[HISTORY_COLUMNS].to_parquet(path, index=False)
        written.append(path)
        if k < times - 1:
            sleep(every_min * 60)
    return written


# --- Metro and tram (map context) --------------------------------------------------------------------------


def _read_metro(files: list[Path]) -> pd.DataFrame:
    import geopandas as gpd

    lines = gpd.read_file(files[0]).set_crs(4326, allow_override=True)
    stations = gpd.read_file(files[1]).set_crs(4326, allow_override=True)
    lines["kind"], stations["kind"] = "line", "station"
    keep_l = [c for c in ("ligne", "libelle", "couleur", "geometry") if c in lines.columns]
    keep_s = [c for c in ("nom", "desserte", "geometry") if c in stations.columns]
    return pd.concat([lines[[*keep_l, "kind"]], stations[[*keep_s, "kind"]]], ignore_index=True)


register(
    Dataset(
        name="lyon-metro",
        title="Lignes de métro et stations de métro et tram TCL",
        territory="Lyon",
        source="SYTRAL Mobilités (data.grandlyon.com, couches tcl_sytral)",
        url="https://data.grandlyon.com/portail/fr/jeux-de-donnees/lignes-metro-funiculaire-reseau-transports-commun-lyonnais/info",
        licence="Licence Ouverte / Etalab 2.0",
        files=("*tcllignemf*.geojson", "*tclstation*.geojson"),
        snapshot_dirs=("tcl_network",),
        read=_read_metro,
        description="Metro lines and metro/tram stations, a context layer for the maps.",
    )
)


# --- The project's samples -----------------------------------------------------------------------------------
