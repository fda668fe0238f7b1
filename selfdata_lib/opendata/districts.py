"""District maps of any territory: IRIS contours in France, OpenStreetMap administrative boundaries elsewhere.

- ``iris-contours`` — the IRIS polygons of France (IGN/INSEE « Contours IRIS », as republished by
  OpenDataSoft in its ``georef-france-iris`` dataset). Live (only when asked): the dataset's GeoJSON export
  filtered on one commune (``com_code`` or, for Paris, Lyon and Marseille, ``com_arm_code``), cached per
  commune (:func:`fetch_iris_contours`). Offline: what the cache or a snapshot holds, else the project's
  sample (a few made-up IRIS-shaped polygons of Paris 11e and Nantes).
- ``osm-admin-boundaries`` — administrative boundaries from OpenStreetMap at the ``admin_level`` a
  territory file gives (``districts: {osm_admin_level: 9}`` for Barcelona's districtes), through osmnx
  (:func:`fetch_osm_admin_boundaries`), cached as GeoJSON per territory and level. Offline: the project's
  sample (Barcelona's ten districts as made-up polygons under their real names).

Both read into ``name``, ``geometry`` (EPSG:4326) and their own keys (``iris``, ``commune`` for IRIS;
``territory``, ``admin_level`` for OpenStreetMap).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import urllib.parse
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from selfdata_lib import settings
from selfdata_lib.errors import DataUnavailableError, ExportFormatError
from selfdata_lib.opendata._catalog import PROVENANCE_FILE, Dataset, load, register

GEOREF_IRIS_DATASET = "georef-france-iris"
#: OpenDataSoft's public catalogue (Explore API v2.1); ``SELFDATA_IRIS_ODS_URL`` replaces it (a mirror, a
#: local server in the tests).
ODS_CATALOG = "https://public.opendatasoft.com/api/explore/v2.1/catalog/datasets"
IRIS_FILES = f"{GEOREF_IRIS_DATASET}*.geojson"
OSM_FILES = "osm_admin_boundaries*.geojson"


def _first(value: Any) -> Any:
    """OpenDataSoft gives some text fields as lists (``["751114301"]``): their first element."""
    if isinstance(value, list | tuple):
        return value[0] if value else None
    return value


def _read_iris_file(path: Path) -> gpd.GeoDataFrame:
    # read as JSON, not through GDAL: OpenDataSoft's list-valued fields (["751114301"]) stay lists
    doc = json.loads(path.read_text(encoding="utf-8"))
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        msg = f"{path.name} : pas une collection GeoJSON (export georef-france-iris attendu)"
        raise ExportFormatError(msg)
    frame = gpd.GeoDataFrame.from_features(features, crs=4326)  # GeoJSON is WGS84 (RFC 7946)
    if "iris_code" not in frame.columns:
        msg = f"{path.name} : pas un export georef-france-iris (colonne iris_code absente)"
        raise ExportFormatError(msg)
    codes = frame["iris_code"].map(_first).astype(str).str.strip()
    names = frame["iris_name"].map(_first) if "iris_name" in frame.columns else codes
    out = gpd.GeoDataFrame(
        {
            "name": names.fillna(codes).astype(str).to_numpy(),
            "iris": codes.to_numpy(),
            "commune": codes.str[:5].to_numpy(),  # the INSEE code of the commune (or arrondissement)
        },
        geometry=frame.geometry.to_numpy(),
        crs=4326,
    )
    return out


def _read_iris(files: list[Path]) -> gpd.GeoDataFrame:
    """Every per-commune file of the folder (a cache filled commune by commune, a snapshot, the sample)."""
    paths = sorted(files[0].parent.glob(IRIS_FILES)) or files
    frame = pd.concat([_read_iris_file(p) for p in paths], ignore_index=True)
    frame = frame.drop_duplicates("iris", keep="last").sort_values("iris").reset_index(drop=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)


def _iris_export_url(commune: str, *, base: str | None = None) -> str:
    """The GeoJSON export of ``georef-france-iris`` filtered on one commune (ODS ``where``)."""
    root = (base or os.environ.get("SELFDATA_IRIS_ODS_URL", ODS_CATALOG)).rstrip("/")
    where = f'com_code="{commune}" OR com_arm_code="{commune}"'
    return f"{root}/{GEOREF_IRIS_DATASET}/exports/geojson?where={urllib.parse.quote(where)}&limit=-1"


register(
    Dataset(
        name="iris-contours",
        title="Contours des IRIS (France entière)",
        territory="France",
        source="IGN et INSEE, Contours IRIS, republiés par OpenDataSoft (georef-france-iris)",
        url=f"https://public.opendatasoft.com/explore/dataset/{GEOREF_IRIS_DATASET}/",
        licence="Licence Ouverte / Etalab 2.0",
        files=(IRIS_FILES,),
        snapshot_dirs=("contours_iris", GEOREF_IRIS_DATASET),
        live={f"{GEOREF_IRIS_DATASET}_44109.geojson": _iris_export_url("44109", base=ODS_CATALOG)},
        read=_read_iris,
        description="IRIS polygons (name, 9-character code, commune) for every French commune: fetched commune "
        "by commune (districts_for with source live); `selfdata data fetch` alone takes Nantes.",
    )
)


def fetch_iris_contours(commune: str, *, url: str | None = None) -> Path:
    """Download the IRIS polygons of one commune (INSEE code; an arrondissement's for Paris, Lyon,
    Marseille) into the dataset's cache folder, one file per commune, and return it (network; only the
    commune's public code is sent). Cached.
    """
    from selfdata_lib import _http

    if not re.fullmatch(r"\d[\dAB]\d{3}", str(commune)):
        msg = f"code commune INSEE « {commune} » invalide : 5 caractères attendus (ex. 44109)"
        raise DataUnavailableError(msg)
    folder = settings.cache_folder / "opendata" / "iris-contours"
    path = folder / f"{GEOREF_IRIS_DATASET}_{commune}.geojson"
    if not path.is_file():
        link = _iris_export_url(commune, base=url)
        what = f"les contours IRIS d'OpenDataSoft (commune {commune})"
        _http.write_atomically(path, _http.get(link, what=what).content)
        prov = folder / PROVENANCE_FILE
        known = json.loads(prov.read_text(encoding="utf-8")) if prov.is_file() else {}
        urls = {**known.get("live_urls", {}), path.name: link}
        prov.write_text(
            json.dumps({"retrieved": dt.date.today().isoformat(), "live_urls": urls}, indent=2),
            encoding="utf-8",
        )
    return path


def iris_contours_for(communes: list[str] | tuple[str, ...], *, source: str = "auto") -> gpd.GeoDataFrame:
    """The IRIS polygons of ``communes`` (INSEE codes): fetched commune by commune with ``source="live"``,
    else read where they are (cache, snapshot, the project's sample), keeping those communes only —
    possibly none: then ``attrs["missing"]`` says, in French, which communes are not covered and how to
    get them.
    """
    wanted = [str(c) for c in communes]
    if source == "live":
        for commune in wanted:
            fetch_iris_contours(commune)
        source = "cache"
    table = load("iris-contours", source=source)
    rows = table[table["commune"].isin(wanted)].reset_index(drop=True) if wanted else table
    rows = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    rows.attrs = dict(table.attrs)
    if rows.empty:
        where = "en cache" if source == "cache" else "hors ligne"
        covered = ", ".join(sorted(table["commune"].astype(str).unique())) or "aucune"
        rows.attrs["missing"] = (
            f"les contours IRIS {where} ne couvrent pas la ou les communes {', '.join(wanted)} "
            f'(ils couvrent {covered}) : open_data = "live" les télécharge chez OpenDataSoft '
            "(seuls les codes des communes sont envoyés)"
        )
    return rows


# --- OpenStreetMap ----------------------------------------------------------------------------------------


def _read_osm(files: list[Path]) -> gpd.GeoDataFrame:
    paths = sorted(files[0].parent.glob(OSM_FILES)) or files
    parts = []
    for path in paths:
        frame = gpd.read_file(path)
        missing = {"name", "territory", "admin_level"} - set(frame.columns)
        if missing:
            msg = f"{path.name} : colonne(s) {sorted(missing)} absente(s) (limites administratives OpenStreetMap)"
            raise ExportFormatError(msg)
        if frame.crs is None:
            frame = frame.set_crs(4326)
        parts.append(frame.to_crs(4326)[["name", "territory", "admin_level", "geometry"]])
    out = pd.concat(parts, ignore_index=True)
    out["admin_level"] = pd.to_numeric(out["admin_level"], errors="coerce").astype("Int64")
    out["territory"] = out["territory"].astype(str)
    out = out.drop_duplicates(["territory", "admin_level", "name"], keep="last").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=4326)


def osm_file_name(territory_id: str, admin_level: int) -> str:
    """The cache file of one territory's boundaries at one level."""
    return f"osm_admin_boundaries_{territory_id}_{int(admin_level)}.geojson"


def boundaries_from_osm(features: Any, territory_id: str, admin_level: int, bbox: Any) -> gpd.GeoDataFrame:
    """The named polygons of ``features`` (what :func:`osmnx.features_from_bbox` returns) tagged
    ``boundary=administrative`` at ``admin_level`` whose inner point lies in ``bbox`` (the neighbouring
    communes' districts the query also catches are left out).
    """
    from shapely.geometry import box

    frame = features.reset_index() if hasattr(features, "reset_index") else features
    frame = frame[frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    for col in ("boundary", "admin_level", "name"):
        if col not in frame.columns:
            frame = frame.assign(**{col: None})
    level = frame["admin_level"].astype(str).str.strip() == str(int(admin_level))
    frame = frame[level & (frame["boundary"] == "administrative") & frame["name"].notna()]
    inside = frame.geometry.representative_point().within(box(*bbox))
    frame = frame[inside]
    out = gpd.GeoDataFrame(
        {
            "name": frame["name"].astype(str).to_numpy(),
            "territory": territory_id,
            "admin_level": int(admin_level),
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs or 4326,
    ).to_crs(4326)
    return out.sort_values("name").reset_index(drop=True)


def fetch_osm_admin_boundaries(territory: Any, admin_level: int) -> Path:
    """Ask OpenStreetMap (osmnx, Overpass API) for the administrative boundaries at ``admin_level``
    in the territory's bounding box (network; only the box and the tag are sent); cached as GeoJSON.
    """
    import osmnx as ox

    from selfdata_lib import _http, territories

    here = territories.get(territory)
    folder = settings.cache_folder / "opendata" / "osm-admin-boundaries"
    path = folder / osm_file_name(here.id, admin_level)
    if path.is_file():
        return path
    west, south, east, north = (float(v) for v in here.bbox)
    # offline refusal, a quick check of Overpass, osmnx's cache and user agent, French errors
    with _http.osmnx_session(f"les limites administratives OpenStreetMap de {here.name}"):
        features = ox.features_from_bbox((west, south, east, north), {"admin_level": str(int(admin_level))})
    frame = boundaries_from_osm(features, here.id, admin_level, here.bbox)
    if frame.empty:
        msg = f"OpenStreetMap ne donne aucune limite administrative de niveau {admin_level} dans {here.name}"
        raise DataUnavailableError(msg)
    _http.write_atomically(path, frame.to_json(drop_id=True).encode("utf-8"))
    (folder / PROVENANCE_FILE).write_text(
        json.dumps({"retrieved": dt.date.today().isoformat(), "fetched_with": "osmnx.features_from_bbox"}),
        encoding="utf-8",
    )
    return path


def _fetch_barcelona(folder: Path) -> None:
    """`selfdata data fetch osm-admin-boundaries`: Barcelona's districtes (admin_level 9)."""
    fetch_osm_admin_boundaries("barcelona", 9)


register(
    Dataset(
        name="osm-admin-boundaries",
        title="Limites administratives OpenStreetMap (quartiers et districts hors de France)",
        territory="Barcelone",
        source="Contributeurs OpenStreetMap, via osmnx (API Overpass), tag boundary=administrative",
        url="https://wiki.openstreetmap.org/wiki/Key:admin_level",
        licence="ODbL 1.0 (© les contributeurs d'OpenStreetMap)",
        files=(OSM_FILES,),
        snapshot_dirs=("osm_admin_boundaries",),
        fetcher=_fetch_barcelona,
        read=_read_osm,
        description="Administrative boundaries at the admin_level a territory file gives (Barcelona: its ten "
        "districtes, level 9), fetched per territory with osmnx; the project's sample has made-up polygons.",
    )
)


def osm_boundaries_for(territory: Any, admin_level: int, *, source: str = "auto") -> gpd.GeoDataFrame:
    """The territory's boundaries at ``admin_level``: fetched with ``source="live"``, else read where they
    are; ``attrs["missing"]`` (French) when none is at hand.
    """
    from selfdata_lib import territories

    here = territories.get(territory)
    if source == "live":
        fetch_osm_admin_boundaries(here, admin_level)
        source = "cache"
    table = load("osm-admin-boundaries", source=source)
    keep = (table["territory"] == here.id) & (table["admin_level"] == int(admin_level))
    rows = gpd.GeoDataFrame(table[keep].reset_index(drop=True), geometry="geometry", crs=4326)
    rows.attrs = dict(table.attrs)
    if rows.empty:
        rows.attrs["missing"] = (
            f"{here.name} : pas de limites administratives OpenStreetMap de niveau {admin_level} hors ligne : "
            'open_data = "live" les télécharge (osmnx, API Overpass ; seule la zone est envoyée)'
        )
    return rows
