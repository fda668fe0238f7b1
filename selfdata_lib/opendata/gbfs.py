"""Bike-share systems through GBFS, the General Bikeshare Feed Specification (MobilityData), versions
1.x to 3.x: the public catalogue of systems, a system's stations and their availability.

- **The catalogue** (``gbfs-systems``): MobilityData's ``systems.csv`` (``Country Code, Name, Location,
  System ID, URL, Auto-Discovery URL, Supported Versions, Authentication Info URL…``), live from
  GitHub when asked, a project-written sample offline.
- **A system's feeds**: the auto-discovery file ``gbfs.json`` lists the feeds — ``data.<language>.feeds``
  in GBFS 1 and 2, ``data.feeds`` in GBFS 3 — and :func:`stations_from_feeds` merges
  ``station_information`` and ``station_status`` into the stations frame the trip planner reads
  (``station_id, name, lat, lon, capacity, bikes, docks, status, last_update``), whatever the version:
  localised names (3.0), ``num_vehicles_available`` (3.0) or ``num_bikes_available`` (1, 2), POSIX
  (1, 2) or RFC 3339 (3.0) times, ``0/1`` or booleans for ``is_renting``.
- **The systems the project ships samples for** (:data:`SHIPPED`): each is a dataset of the catalogue
  (``gbfs-velov``, ``gbfs-velib``, ``gbfs-naolib``, ``gbfs-bicing``, ``gbfs-star``, ``gbfs-yelo``) whose
  live fetch follows the system's auto-discovery URL; any other system is read live from its
  ``gbfs.json`` (cached).
- :func:`find_system` finds a system from the territory's ``bike_share`` block, a catalogue System ID or
  name, or a ``gbfs.json`` URL.

Nothing here goes to the network unless asked (``source="live"``); then only the public feeds are read.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib import settings
from selfdata_lib.errors import DataUnavailableError, ExportFormatError
from selfdata_lib.opendata._catalog import Dataset, fetched_provenance, load, load_optional, register
from selfdata_lib.results import Figure, Result, figure

#: MobilityData's catalogue of the systems publishing GBFS (CDLA-Permissive-1.0).
CATALOGUE_URL = "https://raw.githubusercontent.com/MobilityData/gbfs/master/systems.csv"
#: The catalogue's columns, as MobilityData writes them (``systems.csv``, 2024 onwards).
CATALOGUE_COLUMNS = [
    "Country Code",
    "Name",
    "Location",
    "System ID",
    "URL",
    "Auto-Discovery URL",
    "Supported Versions",
    "Authentication Info URL",
    "Authentication Type",
    "Authentication Parameter Name",
]
STATION_COLUMNS = ["station_id", "name", "lat", "lon", "capacity", "bikes", "docks", "status", "last_update"]
#: The feed files read from a system (``system_information`` is optional).
FEED_FILES = ("gbfs.json", "station_information.json", "station_status.json")


# --- The catalogue of systems ----------------------------------------------------------------------------------


def read_systems_catalogue(path: Path | str) -> pd.DataFrame:
    """MobilityData's ``systems.csv`` → ``country``, ``name``, ``location``, ``system_id``, ``url``,
    ``gbfs_url``, ``versions`` (``"2.3 ; 3.0"`` as written) and ``authentication`` (empty when open).
    """
    path = Path(path)
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    header = text.splitlines()[0] if text else ""
    need = {"Country Code", "Name", "System ID", "Auto-Discovery URL"}
    if not rows or not need <= set(rows[0]):
        msg = (
            f"{path.name}, ligne 1 : un catalogue des systèmes GBFS (systems.csv de MobilityData) a les "
            f"colonnes {', '.join(sorted(need))} ; trouvé {header[:120]!r}"
        )
        raise ExportFormatError(msg)
    frame = pd.DataFrame(
        {
            "country": [r["Country Code"].strip() for r in rows],
            "name": [r["Name"].strip() for r in rows],
            "location": [(r.get("Location") or "").strip() for r in rows],
            "system_id": [r["System ID"].strip() for r in rows],
            "url": [(r.get("URL") or "").strip() for r in rows],
            "gbfs_url": [r["Auto-Discovery URL"].strip() for r in rows],
            "versions": [(r.get("Supported Versions") or "").strip() for r in rows],
            "authentication": [(r.get("Authentication Type") or "").strip() for r in rows],
        }
    )
    return frame


register(
    Dataset(
        name="gbfs-systems",
        title="Catalogue des systèmes de vélos et trottinettes en libre-service publiant un flux GBFS",
        territory="Europe",
        source="MobilityData (github.com/MobilityData/gbfs, systems.csv)",
        url="https://github.com/MobilityData/gbfs/blob/master/systems.csv",
        licence="CDLA-Permissive-1.0",
        files=("systems*.csv",),
        snapshot_dirs=("gbfs_systems",),
        live={"systems.csv": CATALOGUE_URL},
        read=lambda files: read_systems_catalogue(files[0]),
        description="Every system publishing GBFS: name, place, System ID, auto-discovery URL, versions.",
    )
)


def load_systems_catalogue(*, source: str = "auto") -> pd.DataFrame:
    """The catalogue of GBFS systems (``gbfs-systems``)."""
    return load("gbfs-systems", source=source)


# --- Reading a system's feeds -----------------------------------------------------------------------------------


def _not_gbfs(where: str, what: str) -> DataUnavailableError:
    return DataUnavailableError(f"{where} : pas un flux GBFS — {what}")


def feed_urls(discovery: Any, *, where: str, language: str | None = None) -> tuple[str, dict[str, str]]:
    """The version and ``{feed name: URL}`` of an auto-discovery ``gbfs.json``: ``data.feeds`` (GBFS 3)
    or ``data.<language>.feeds`` (GBFS 1 and 2; ``language`` first, then French, English, any).
    """
    data = discovery.get("data") if isinstance(discovery, dict) else None
    if not isinstance(data, dict):
        raise _not_gbfs(
            where, "un gbfs.json a un objet « data » (data.feeds en GBFS 3, data.<langue>.feeds avant)"
        )
    feeds = data.get("feeds")
    if not isinstance(feeds, list):
        langs = [k for k, v in data.items() if isinstance(v, dict) and isinstance(v.get("feeds"), list)]
        if not langs:
            raise _not_gbfs(where, "aucune liste de flux dans data.feeds ni dans data.<langue>.feeds")
        order = [language, "fr", "en", *langs]
        feeds = data[next(lang for lang in order if lang in langs)]["feeds"]
    urls = {
        str(f["name"]): str(f["url"]) for f in feeds if isinstance(f, dict) and "name" in f and "url" in f
    }
    version = str(discovery.get("version") or "1.0")
    return version, urls


def _text(value: Any, language: str | None) -> str:
    """A GBFS text: a plain string (1, 2) or a list of ``{text, language}`` (3.0)."""
    if isinstance(value, list):
        texts = {str(v.get("language", "")): str(v.get("text", "")) for v in value if isinstance(v, dict)}
        for lang in (language, "fr", "en"):
            if lang in texts:
                return texts[lang]
        return next(iter(texts.values()), "")
    return "" if value is None else str(value)


def _times(values: pd.Series, fallback: Any) -> pd.Series:
    """POSIX seconds (GBFS 1, 2) or RFC 3339 texts (GBFS 3) → UTC timestamps (the feed's own time when absent)."""
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().any():
        out = pd.to_datetime(numeric, unit="s", utc=True)
    else:
        out = pd.to_datetime(values, utc=True, errors="coerce", format="ISO8601")
    if fallback is not None and out.isna().any():
        num = pd.to_numeric(pd.Series([fallback]), errors="coerce")
        when = (
            pd.to_datetime(num, unit="s", utc=True)
            if num.notna().all()
            else pd.to_datetime(pd.Series([fallback]), utc=True, errors="coerce")
        )
        out = out.fillna(when.iloc[0])
    return out


def _flag(values: pd.Series | None, index: pd.Index) -> np.ndarray:
    """A GBFS boolean (``true``/``false``, or ``1``/``0`` in 1.x); absent means true."""
    if values is None:
        return np.ones(len(index), bool)

    def one(v: Any) -> bool:
        if v is None or v != v:
            return True
        if isinstance(v, str):  # some feeds write "false" or "0" as text: bool("false") would be True
            return v.strip().lower() not in {"false", "0", "no", "non", ""}
        return bool(v)

    return np.array([one(v) for v in values], dtype=bool)


def stations_from_feeds(
    information: Any, status: Any, *, where: str = "flux GBFS", language: str | None = None
) -> pd.DataFrame:
    """Merge a GBFS ``station_information`` and ``station_status`` (versions 1.0 to 3.0) into the stations
    frame: ``station_id, name, lat, lon, capacity, bikes, docks, status`` (``OPEN`` when installed and
    renting) and ``last_update`` (UTC). Numeric station ids become integers; others stay text.
    """
    frames = []
    for doc, what in ((information, "station_information"), (status, "station_status")):
        stations = (doc.get("data") or {}).get("stations") if isinstance(doc, dict) else None
        if not isinstance(stations, list):
            raise _not_gbfs(
                f"{where} ({what})", "attendu data.stations, une liste de stations avec station_id"
            )
        if not stations:  # a real feed, but no station today (a system closed for the season)
            msg = f"{where} ({what}) : le système ne publie aucune station en ce moment (fermé pour la saison ?)"
            raise DataUnavailableError(msg)
        frame = pd.DataFrame(stations)
        if "station_id" not in frame:
            raise _not_gbfs(f"{where} ({what})", "les stations n'ont pas de station_id")
        frame["station_id"] = frame["station_id"].astype(str)
        frames.append(frame)
    info, stat = frames
    missing = {"lat", "lon"} - set(info.columns)
    if missing:
        raise _not_gbfs(f"{where} (station_information)", f"colonnes {sorted(missing)} absentes")
    bikes = (
        stat["num_vehicles_available"]
        if "num_vehicles_available" in stat
        else stat.get("num_bikes_available")
    )
    if bikes is None:
        raise _not_gbfs(
            f"{where} (station_status)",
            "ni num_bikes_available (GBFS 1, 2) ni num_vehicles_available (GBFS 3)",
        )
    docks = pd.to_numeric(
        stat.get("num_docks_available", pd.Series(np.nan, index=stat.index)), errors="coerce"
    )
    open_ = _flag(stat.get("is_installed"), stat.index) & _flag(stat.get("is_renting"), stat.index)
    status_frame = pd.DataFrame(
        {
            "station_id": stat["station_id"],
            "bikes": pd.to_numeric(bikes, errors="coerce"),
            "docks": docks,
            "status": np.where(open_, "OPEN", "CLOSED"),
            "last_update": _times(
                stat.get("last_reported", pd.Series(np.nan, index=stat.index)),
                status.get("last_updated") if isinstance(status, dict) else None,
            ),
        }
    )
    capacity = pd.to_numeric(info.get("capacity", pd.Series(np.nan, index=info.index)), errors="coerce")
    lat, lon = pd.to_numeric(info["lat"], errors="coerce"), pd.to_numeric(info["lon"], errors="coerce")
    placed = lat.between(-90, 90) & lon.between(-180, 180)
    if not placed.any():
        raise _not_gbfs(f"{where} (station_information)", "aucune station n'a de lat/lon numériques")
    out = pd.DataFrame(
        {
            "station_id": info["station_id"],
            "name": [_text(n, language) for n in info.get("name", info["station_id"])],
            "lat": lat,
            "lon": lon,
            "capacity": capacity,
        }
    )[placed.to_numpy()].merge(status_frame, on="station_id", how="left")
    out["capacity"] = out["capacity"].fillna(out["bikes"] + out["docks"])
    out["status"] = out["status"].fillna("CLOSED")
    numeric = pd.to_numeric(out["station_id"], errors="coerce")
    if numeric.notna().all():
        out["station_id"] = numeric.astype("int64")
    return out[STATION_COLUMNS].drop_duplicates("station_id").reset_index(drop=True)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        msg = f"{path.name} : pas un fichier JSON ({exc})"
        raise DataUnavailableError(msg) from exc


def read_gbfs_folder(folder: Path | str, *, language: str | None = None) -> pd.DataFrame:
    """The stations of a folder holding a system's ``gbfs.json``, ``station_information.json`` and
    ``station_status.json`` (and optionally ``system_information.json``); ``attrs["gbfs"]`` holds the
    version, the system's name and time zone when given.
    """
    folder = Path(folder)
    absent = [name for name in FEED_FILES if not (folder / name).is_file()]
    if absent:
        msg = (
            f"{folder} : il manque {', '.join(absent)} — un système GBFS se lit avec son gbfs.json, "
            "station_information.json et station_status.json"
        )
        raise DataUnavailableError(msg)
    discovery = _read_json(folder / "gbfs.json")
    version, _ = feed_urls(discovery, where=f"{folder.name}/gbfs.json", language=language)
    frame = stations_from_feeds(
        _read_json(folder / "station_information.json"),
        _read_json(folder / "station_status.json"),
        where=str(folder.name),
        language=language,
    )
    meta: dict[str, Any] = {"version": version}
    if (folder / "system_information.json").is_file():
        data = (_read_json(folder / "system_information.json") or {}).get("data") or {}
        meta.update(
            name=_text(data.get("name"), language) or None,
            system_id=data.get("system_id"),
            timezone=data.get("timezone"),
        )
    frame.attrs["gbfs"] = meta
    return frame


def fetch_feeds(url: str, folder: Path, *, language: str | None = None) -> Path:
    """Download a system's auto-discovery file and the feeds the planner reads into ``folder``
    (network, through :mod:`selfdata_lib._http`; nothing personal is sent).
    """
    from selfdata_lib import _http

    what = "le flux GBFS"
    discovery = _http.get_json(url, what=what)
    _, urls = feed_urls(discovery, where=url, language=language)
    missing = [n for n in ("station_information", "station_status") if n not in urls]
    if missing:
        msg = (
            f"{url} : le gbfs.json ne liste pas {' ni '.join(missing)} — ce système ne publie pas de "
            "stations (vélos en free-floating ?) ; le calculateur d'itinéraire a besoin de stations"
        )
        raise DataUnavailableError(msg)
    docs = {"gbfs.json": discovery}
    for name in ("station_information", "station_status", "system_information"):
        if name in urls:
            docs[f"{name}.json"] = _http.get_json(urls[name], what=f"{what} ({name})")
    for name, doc in docs.items():
        _http.write_atomically(folder / name, json.dumps(doc, ensure_ascii=False).encode())
    return folder


# --- The systems the project ships samples for ----------------------------------------------------------------


@dataclass(frozen=True)
class Shipped:
    """A system with a dataset of its own (a sample offline, its feed live)."""

    key: str
    system_id: str
    name: str
    territory: str
    operator: str
    page: str
    licence: str
    gbfs_url: str
    history: str


#: The systems the project writes samples for; their System IDs and auto-discovery URLs are those of
#: MobilityData's catalogue (systems.csv, July 2026).
SHIPPED: dict[str, Shipped] = {
    s.key: s
    for s in (
        Shipped(
            "velov",
            "lyon",
            "Vélo'v",
            "Lyon",
            "JCDecaux (Cyclocity) pour la Métropole de Lyon",
            "https://velov.grandlyon.com/",
            "Licence Ouverte / Etalab 2.0",
            "https://api.cyclocity.fr/contracts/lyon/gbfs/v3/gbfs.json",
            "velov-availability-history",
        ),
        Shipped(
            "velib",
            "Paris",
            "Vélib' Métropole",
            "Paris",
            "Smovengo pour le syndicat Autolib' Vélib' Métropole",
            "https://www.velib-metropole.fr/donnees-open-data-gbfs-du-service-velib-metropole",
            "Licence ODbL (Vélib' Métropole)",
            "https://velib-metropole-opendata.smovengo.cloud/opendata/Velib_Metropole/gbfs.json",
            "velib-availability-history",
        ),
        Shipped(
            "naolib",
            "nantes",
            "Naolib (vélos en libre-service)",
            "Nantes",
            "JCDecaux (Cyclocity) pour Nantes Métropole",
            "https://velo.naolib.fr/",
            "Licence Ouverte / Etalab 2.0",
            "https://api.cyclocity.fr/contracts/nantes/gbfs/v3/gbfs.json",
            "naolib-availability-history",
        ),
        Shipped(
            "bicing",
            "bike_barcelona",
            "Bicing",
            "Barcelone",
            "PBSC Urban Solutions pour Barcelona de Serveis Municipals (BSM)",
            "https://www.bicing.barcelona/",
            "conditions d'utilisation de l'opérateur (aucune licence ouverte publiée)",
            "https://barcelona.publicbikesystem.net/customer/gbfs/v3.0/gbfs.json",
            "bicing-availability-history",
        ),
        Shipped(
            "star",
            "le_velo_star",
            "LE vélo STAR",
            "Rennes",
            "Keolis Rennes (réseau STAR) pour Rennes Métropole",
            "https://www.star.fr/le-velo/nos-offres/vls/",
            "Licence ODbL (données STAR, data.explore.star.fr) — à vérifier",
            "https://eu.ftp.opendatasoft.com/star/gbfs/gbfs.json",
            "star-availability-history",
        ),
        Shipped(
            "yelo",
            "citiz_la_rochelle",
            "Yélo",
            "La Rochelle",
            "Communauté d'agglomération de La Rochelle (Yélo)",
            "https://yelo.agglo-larochelle.fr/services/libre-service-velos/",
            "Licence Ouverte / Etalab 2.0 (opendata.agglo-larochelle.fr) — à vérifier",
            "https://opendata.agglo-larochelle.fr/sites/default/files/dataset/2dc/df9ac-ca89-4e3f-af7e-5d75f255ee5e/gbfs.json",
            "yelo-availability-history",
        ),
    )
}


def _fetcher(url: str) -> Callable[[Path], None]:
    def fetch(folder: Path) -> None:
        fetch_feeds(url, folder)

    fetch.__name__ = "fetch_feeds"
    return fetch


for _s in SHIPPED.values():
    register(
        Dataset(
            name=f"gbfs-{_s.key}",
            title=f"Stations {_s.name} et disponibilités (flux GBFS)",
            territory=_s.territory,
            source=_s.operator,
            url=_s.page,
            licence=_s.licence,
            files=FEED_FILES,
            snapshot_dirs=(f"gbfs_{_s.key}",),
            read=lambda files: read_gbfs_folder(files[0].parent),
            fetcher=_fetcher(_s.gbfs_url),
            description=f"{_s.name}: stations (position, capacity), bikes and free docks, from {_s.gbfs_url}.",
        )
    )


# --- Finding a system -------------------------------------------------------------------------------------------


def _key(text: Any) -> str:
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", plain.lower())


@dataclass(frozen=True)
class BikeShareSystem(Result):
    """A bike-share system and where its data comes from.

    ``dataset``: the catalogue dataset holding its feeds (a sample offline), or ``None`` (read live from
    ``gbfs_url``); ``history``: the dataset of its availability history, if any; ``streets``: a street
    graph dataset for its territory, if any; ``map_layers``: context layers for the map.
    """

    system_id: str
    name: str
    gbfs_url: str
    found_by: str
    location: str = ""
    country: str = ""
    versions: str = ""
    dataset: str | None = None
    history: str | None = None
    streets: str | None = None
    districts: str | None = None
    map_layers: tuple[str, ...] = ()
    territory: str | None = None
    territory_name: str | None = None
    remarks: tuple[str, ...] = field(default=())
    #: its clock (the territory's time zone; a feed's ``system_information`` may say its own)
    timezone: str = ""

    def figures(self) -> dict[str, Figure]:
        """The system's name, its catalogue id, its feed and how it was found."""
        return {
            "system_name": figure(self.name),
            "system_id": figure(self.system_id),
            "gbfs_url": figure(self.gbfs_url),
            "system_found_by": figure(self.found_by),
        }

    @property
    def metro(self) -> str | None:
        """The first context layer of the trip map (a metro and tram dataset), if any."""
        return self.map_layers[0] if self.map_layers else None

    def notes(self) -> list[str]:
        """Where the system was found, its versions, and what it lacks."""
        where = f" ({self.location})" if self.location else ""
        versions = f", GBFS {self.versions}" if self.versions else ""
        return [f"{self.name}{where}{versions} : {self.gbfs_url}", *self.remarks]


def _catalogue(source: str) -> pd.DataFrame | None:
    """The catalogue when at hand; downloaded only with ``source="live"`` (then kept in the cache)."""
    if source == "live":
        try:
            return load("gbfs-systems", source="live")
        except DataUnavailableError:
            source = "auto"
    return load_optional("gbfs-systems", source=source)


def _shipped_for(system_id: str, url: str) -> Shipped | None:
    for s in SHIPPED.values():
        if _key(s.system_id) == _key(system_id) or (url and s.gbfs_url == url):
            return s
    return None


def _territory_block(system_id: str, url: str) -> tuple[Any, dict[str, Any]] | tuple[None, None]:
    from selfdata_lib import territories

    for t in territories.all_territories():
        block = t.source("bike_share") or {}
        if block and (_key(block.get("system", "")) == _key(system_id) or (url and block.get("gbfs") == url)):
            return t, block
    return None, None


def _build(
    row: dict[str, Any], found_by: str, territory: Any = None, block: dict | None = None
) -> BikeShareSystem:
    block = block or {}
    system_id = str(block.get("system") or row.get("system_id") or "")
    url = str(block.get("gbfs") or row.get("gbfs_url") or "")
    shipped = _shipped_for(system_id, url)
    dataset = block.get("dataset") or (f"gbfs-{shipped.key}" if shipped else None)
    history = block.get("history") or (shipped.history if shipped else None)
    remarks = []
    if row.get("authentication"):
        remarks.append(
            f"le flux demande une authentification ({row['authentication']}) : le live peut échouer"
        )
    return BikeShareSystem(
        system_id=system_id,
        name=str(block.get("name") or row.get("name") or (shipped.name if shipped else system_id)),
        gbfs_url=url,
        found_by=found_by,
        location=str(row.get("location") or ""),
        country=str(row.get("country") or ""),
        versions=str(row.get("versions") or ""),
        dataset=str(dataset) if dataset else None,
        history=str(history) if history else None,
        streets=block.get("streets") or None,
        districts=territory.dataset("districts") if territory is not None else None,
        map_layers=tuple(block.get("map_layers") or ()),
        territory=territory.id if territory is not None else None,
        territory_name=territory.name if territory is not None else None,
        remarks=tuple(remarks),
        timezone=territory.timezone if territory is not None else "",
    )


def _row(catalogue: pd.DataFrame | None, system_id: str, url: str) -> dict[str, Any]:
    if catalogue is None or catalogue.empty:
        return {}
    hit = catalogue[(catalogue["system_id"].map(_key) == _key(system_id)) | (catalogue["gbfs_url"] == url)]
    return {str(k): v for k, v in hit.iloc[0].items()} if len(hit) else {}


def find_system(spec: str = "auto", *, territory: Any = None, source: str = "auto") -> BikeShareSystem:
    """The bike-share system ``spec`` names.

    ``auto``: the one of the territory's ``bike_share`` block (``system``, ``gbfs``, ``name``,
    ``dataset``, ``history``, ``streets``, ``map_layers``); a ``gbfs.json`` URL; or a System ID or a
    name of MobilityData's catalogue (``bike_barcelona``, ``Bicing``, ``Vélib' Metropole``) or of the
    systems shipped with samples (``velib``). A French :class:`DataUnavailableError` says what is missing.
    """
    from selfdata_lib import territories

    place = territories.get(territory) if territory else None
    spec = str(spec or "auto").strip()
    catalogue = _catalogue(source)
    if spec.lower() == "auto":
        if place is None:
            msg = "system = « auto » : donnez un territoire (territory) ou un système (identifiant, nom, URL gbfs.json)"
            raise DataUnavailableError(msg)
        block = place.source("bike_share")
        if not block or not (block.get("gbfs") or block.get("system")):
            msg = (
                f"{place.missing('bike_share')}. Ou donnez system = l'identifiant, le nom ou l'URL du "
                "gbfs.json d'un système (selfdata data list : gbfs-systems)."
            )
            raise DataUnavailableError(msg)
        row = _row(catalogue, str(block.get("system", "")), str(block.get("gbfs", "")))
        return _build(row, f"territoire {place.name} ({place.file_name})", place, block)
    if re.match(r"^https?://", spec):
        row = _row(catalogue, "", spec) or {"gbfs_url": spec, "system_id": spec.split("/")[2]}
        where, block = _territory_block(str(row.get("system_id", "")), spec)
        return _build(row, "URL donnée", where or place, block)
    key = _key(spec.removeprefix("gbfs-"))
    if key in SHIPPED:
        s = SHIPPED[key]
        row = _row(catalogue, s.system_id, s.gbfs_url) or {
            "system_id": s.system_id,
            "name": s.name,
            "gbfs_url": s.gbfs_url,
        }
        where, block = _territory_block(s.system_id, s.gbfs_url)
        return _build(row, "système connu du projet", where, block)
    if catalogue is not None and not catalogue.empty:
        ids, names = catalogue["system_id"].map(_key), catalogue["name"].map(_key)
        hit = catalogue[(ids == key) | (names == key)]
        if len(hit):
            row = {str(k): v for k, v in hit.iloc[0].items()}
            where, block = _territory_block(row["system_id"], row["gbfs_url"])
            return _build(row, "catalogue GBFS de MobilityData", where, block)
        close = difflib.get_close_matches(spec, catalogue["name"].tolist(), n=3, cutoff=0.6)
        hint = f" Vouliez-vous : {', '.join(close)} ?" if close else ""
    else:
        hint = " (le catalogue des systèmes n'est pas là : selfdata data fetch gbfs-systems)"
    msg = (
        f"système de vélos en libre-service inconnu « {spec} » : ni identifiant ni nom du catalogue GBFS "
        f"de MobilityData.{hint} Donnez aussi l'URL de son gbfs.json."
    )
    raise DataUnavailableError(msg)


def _url_cache(url: str) -> Path:
    from selfdata_lib import _http

    return settings.cache_folder / "opendata" / f"gbfs-{_http.cache_key(url)}"


def load_system_stations(system: BikeShareSystem, *, source: str = "auto") -> pd.DataFrame:
    """The stations of ``system`` with their availability: its dataset (cache → snapshots → the project's
    sample; ``live`` follows its auto-discovery URL), or for a system without one its feed, read live
    (``source="live"``) and kept in the cache. ``attrs["gbfs"]`` holds the version and name the feed gives.
    """
    if system.dataset:
        return _on_clock(load(system.dataset, source=source), system)
    folder = _url_cache(system.gbfs_url)
    if source == "live":
        from selfdata_lib import _http

        _http.ensure_online(f"le flux GBFS de {system.name}")
        fetch_feeds(system.gbfs_url, folder)
    if source in ("auto", "cache", "live") and all((folder / n).is_file() for n in FEED_FILES):
        frame = read_gbfs_folder(folder)
        frame.attrs["provenance"] = fetched_provenance(
            f"gbfs:{system.system_id}",
            f"Stations {system.name} (flux GBFS)",
            system.name,
            system.gbfs_url,
            "conditions de l'opérateur (voir son site)",
            folder / "station_status.json",
        )
        return _on_clock(frame, system)
    msg = (
        f"{system.name} : pas d'état des stations sur cette machine (ni en cache, ni instantané, ni "
        f'échantillon du projet). Avec open_data = "live", il est lu depuis {system.gbfs_url} '
        "(seul le flux public est demandé, rien de vous n'est envoyé)."
    )
    raise DataUnavailableError(msg)


def load_system_history(
    system: BikeShareSystem, *, source: str = "auto", path: str | Path = ""
) -> pd.DataFrame | None:
    """The availability history of ``system``: the file or folder ``path`` when given (what ``selfdata
    collect velov --url`` writes, for any system), else its history dataset (cache → snapshots → the
    project's sample); ``None`` when it has none here — the planner then trusts what it sees now.
    """
    if path:
        from selfdata_lib.opendata.velov import load_availability_history

        return _on_clock(load_availability_history(path=path), system)
    if not system.history:
        return None
    history = load_optional(system.history, source="auto" if source == "live" else source)
    return None if history is None else _on_clock(history, system)


def _on_clock(frame: pd.DataFrame, system: BikeShareSystem) -> pd.DataFrame:
    """``attrs["timezone"]``: the clock hours of day and departures are read in — the feed's own
    (``system_information``), else the system's territory's, else none (Europe/Paris is then assumed).
    """
    import zoneinfo

    for tz in ((frame.attrs.get("gbfs") or {}).get("timezone"), system.timezone):
        try:
            if tz:
                zoneinfo.ZoneInfo(str(tz))  # a feed may give a name no clock knows: the next one then
                frame.attrs["timezone"] = str(tz)
                break
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    return frame


def street_graph(system: BikeShareSystem, street_graph: str | Path = "", *, source: str = "auto") -> Any:
    """The street graph for a trip with ``system``: the file ``street_graph`` when given, else the street
    dataset its territory names (from the cache or a snapshot, never downloaded here), else ``None``
    (the planner then uses straight-line distances × a detour factor, and says so).
    """
    from selfdata_lib.opendata import streets
    from selfdata_lib.opendata._catalog import locate

    if street_graph:
        return streets.load_graph(street_graph)
    if not system.streets:
        return None
    try:
        files, _ = locate(system.streets, source="auto" if source in ("live", "sample") else source)
    except DataUnavailableError:
        return None
    return streets.load_graph(files[0])


def history_of(spec: str = "velov", *, source: str = "auto", path: str | Path = "") -> pd.DataFrame:
    """The availability history of the system ``spec`` names (:func:`find_system`), or the one in
    ``path``; a French :class:`DataUnavailableError` saying how to collect one when there is none.
    """
    if path:
        from selfdata_lib.opendata.velov import load_availability_history

        return load_availability_history(path=path)
    system = find_system(spec, source=source)
    history = load_system_history(system, source=source)
    if history is None:
        msg = (
            f"{system.name} : pas d'historique des disponibilités sur cette machine. `selfdata collect velov "
            f"DOSSIER --url {system.gbfs_url}` en constitue un (flux public, relevés toutes les 5 minutes), "
            "puis history_file = DOSSIER."
        )
        raise DataUnavailableError(msg)
    return history
