"""Administrative boundaries: the arrondissements of Lyon (Métropole de Lyon open data)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from selfdata_lib.opendata._catalog import Dataset, load, register

_GRANDLYON_WFS = (
    "https://data.grandlyon.com/geoserver/metropole-de-lyon/ows?SERVICE=WFS&VERSION=2.0.0"
    "&request=GetFeature&typename=metropole-de-lyon:{layer}&outputFormat=application/json"
    "&SRSNAME=EPSG:4326&startIndex=0&sortby=gid"
)


def _read_arrondissements(files: list[Path]) -> pd.DataFrame:
    frame = gpd.read_file(files[0])
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        frame = frame.set_crs(4326, allow_override=True)  # EPSG:4171 (RGF93) ≈ WGS84 at map scale
    keep = [c for c in ("nom", "nomreduit", "insee", "geometry") if c in frame.columns]
    frame = frame[keep].rename(columns={"nom": "name", "nomreduit": "short_name"})
    frame["insee"] = frame["insee"].astype(str)
    return frame.sort_values("insee").reset_index(drop=True)


register(
    Dataset(
        name="lyon-arrondissements",
        title="Arrondissements de Lyon",
        territory="Lyon",
        source="Métropole de Lyon (data.grandlyon.com, couche adr_voie_lieu.adrarrond)",
        url="https://data.grandlyon.com/portail/fr/jeux-de-donnees/arrondissements-lyon/info",
        licence="Licence Ouverte / Etalab 2.0",
        files=("*adrarrond*.geojson",),
        snapshot_dirs=("grandlyon_boundaries",),
        live={"adr_voie_lieu.adrarrond.geojson": _GRANDLYON_WFS.format(layer="adr_voie_lieu.adrarrond")},
        read=_read_arrondissements,
        description="The nine arrondissements of Lyon (name, INSEE code, polygon).",
    )
)


def load_lyon_arrondissements(*, source: str = "auto") -> gpd.GeoDataFrame:
    """The nine arrondissements of Lyon: ``name``, ``short_name``, ``insee``, ``geometry`` (WGS84)."""
    return load("lyon-arrondissements", source=source)
