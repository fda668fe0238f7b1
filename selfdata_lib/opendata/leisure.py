"""Leisure, sport and culture in Lyon: what public activities cost (tariff grids by quotient familial)
and where they take place (pools, libraries, sports halls, leisure centres, the conservatory).

``lyon-leisure-tariffs``
    No open dataset publishes the tariff grids: each organiser votes them in a deliberation (the
    Métropole de Lyon for collège canteens, the Ville de Lyon for school canteens, pools, libraries and
    its conservatory; each leisure centre for its own). The project transcribes them in
    ``grilles_tarifaires.csv``, one row per tranche, each with its source URL, the date of the source
    and ``verified`` — whether the amount was found in that public source. A row the project could not
    check offline carries ``verified = false`` and a plausible amount, never to be shown as sound.
    ``regles_tarifaires.yaml`` holds the rules the grids rely on: the quotient familial each organiser
    uses (parts, resources, which benefits count, with their sources) and the communes each grid is
    for. Columns of the grid:

    ``activity`` (id), ``label``, ``organiser``, ``territory`` (a key of the rules' ``territories``),
    ``quotient`` (a key of the rules' ``quotients``), ``model`` (``tranches``: a step amount per QF
    tranche; ``taux_effort``: ``rate × QF`` clipped between ``floor`` and ``ceiling``), ``age_min``,
    ``age_max``, ``qf_min``, ``qf_max`` (inclusive bounds, € per month; empty ``qf_max``: no upper
    bound), ``amount``, ``rate``, ``floor``, ``ceiling`` (€), ``unit`` (what one amount buys: ``repas``,
    ``entrée``, ``jour``, ``an``), ``kind`` (the kind of place where it happens, see
    :data:`PLACE_KINDS`), ``reference`` (the deliberation or page), ``source_url``, ``date``,
    ``verified``, ``note``.

``lyon-leisure-places``
    One row per place: ``name``, ``kind``, ``lat``, ``lon``, ``commune``, ``address``. The real source is
    the Métropole de Lyon's points of interest on data.grandlyon.com (WFS layers
    ``adr_voie_lieu.adrequippiscinepct`` for pools and ``adr_voie_lieu.adrequipsportpct`` for sports
    equipment): ``selfdata data fetch lyon-leisure-places`` downloads both and writes them into one
    ``equipements_loisirs.csv`` in the cache. Libraries, the conservatory and leisure centres have no
    such layer yet: the project's sample names a few real public places of each kind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.opendata._catalog import CATALOGUE, Dataset, live_urls, load, register

TARIFF_FILE = "grilles_tarifaires.csv"
RULES_FILE = "regles_tarifaires.yaml"
PLACES_FILE = "equipements_loisirs.csv"
MODELS = ("tranches", "taux_effort")
#: Kinds of places, with their French names (tables, maps).
PLACE_KINDS = {
    "pool": "piscine",
    "library": "bibliothèque",
    "sports_hall": "salle de sport",
    "leisure_centre": "centre de loisirs",
    "conservatory": "conservatoire",
    "school": "école ou collège",
}
GRID_COLUMNS = (
    "activity",
    "label",
    "organiser",
    "territory",
    "quotient",
    "model",
    "age_min",
    "age_max",
    "qf_min",
    "qf_max",
    "amount",
    "rate",
    "floor",
    "ceiling",
    "unit",
    "kind",
    "reference",
    "source_url",
    "date",
    "verified",
    "note",
)
_NUMBERS = ("age_min", "age_max", "qf_min", "qf_max", "amount", "rate", "floor", "ceiling")
PLACE_COLUMNS = ("name", "kind", "lat", "lon", "commune", "address")

_GRANDLYON_WFS = (
    "https://data.grandlyon.com/geoserver/metropole-de-lyon/ows?SERVICE=WFS&VERSION=2.0.0"
    "&request=GetFeature&typename=metropole-de-lyon:{layer}&outputFormat=application/json"
    "&SRSNAME=EPSG:4326&startIndex=0&sortby=gid"
)
#: The live layers of ``lyon-leisure-places`` and the kind of place each one holds.
PLACE_LAYERS = {
    "piscines.geojson": ("adr_voie_lieu.adrequippiscinepct", "pool"),
    "equipements_sportifs.geojson": ("adr_voie_lieu.adrequipsportpct", "sports_hall"),
}


def _number(value: str) -> float:
    text = str(value).strip().replace(",", ".")
    return float(text) if text and text.lower() != "nan" else float("nan")


def _grid_problems(row: pd.Series, line: int, rules: dict[str, Any]) -> list[str]:
    """What is wrong with one row of the grid (line numbers as in the file, header on line 1)."""
    problems = []
    if row["model"] not in MODELS:
        problems.append(f"ligne {line} : modèle « {row['model']} » inconnu (attendu : {', '.join(MODELS)})")
    elif row["model"] == "tranches" and pd.isna(row["amount"]):
        problems.append(f"ligne {line} : une tranche a un montant (« amount »)")
    elif row["model"] == "taux_effort" and row[["rate", "floor", "ceiling"]].isna().any():
        problems.append(f"ligne {line} : un taux d'effort a « rate », « floor » et « ceiling »")
    if row["quotient"] and row["quotient"] not in rules.get("quotients", {}):
        problems.append(f"ligne {line} : règle de quotient « {row['quotient']} » absente de {RULES_FILE}")
    if row["territory"] not in rules.get("territories", {}):
        problems.append(f"ligne {line} : territoire « {row['territory']} » absent de {RULES_FILE}")
    if not str(row["source_url"]).strip():
        problems.append(f"ligne {line} : chaque montant a sa source (« source_url »)")
    return problems


def read_tariff_grids(grid_path: str | Path, rules_path: str | Path) -> pd.DataFrame:
    """The tariff grids (``grilles_tarifaires.csv``) with their rules (``regles_tarifaires.yaml``) in
    ``attrs["rules"]``; :class:`ExportFormatError` naming the file and the line of each problem.
    """
    import yaml

    grid_path, rules_path = Path(grid_path), Path(rules_path)
    try:
        rules = yaml.safe_load(rules_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        msg = f"{rules_path.name} : ce n'est pas du YAML lisible ({exc})"
        raise ExportFormatError(msg) from None
    if not isinstance(rules, dict) or not {"quotients", "territories"} <= set(rules):
        msg = f"{rules_path.name} : attendu deux sections, « quotients » et « territories »"
        raise ExportFormatError(msg)
    frame = pd.read_csv(grid_path, dtype=str, keep_default_na=False)
    missing = [c for c in GRID_COLUMNS if c not in frame.columns]
    if missing:
        msg = (
            f"{grid_path.name}, ligne 1 : colonnes manquantes {missing} (attendu : {', '.join(GRID_COLUMNS)})"
        )
        raise ExportFormatError(msg)
    frame = frame[list(GRID_COLUMNS)].copy()
    for column in _NUMBERS:
        try:
            frame[column] = frame[column].map(_number)
        except ValueError as exc:
            msg = f"{grid_path.name} : la colonne « {column} » doit être numérique ({exc})"
            raise ExportFormatError(msg) from None
    frame["verified"] = frame["verified"].str.strip().str.lower().isin(["true", "vrai", "oui", "1"])
    problems = [p for n, (_, row) in enumerate(frame.iterrows()) for p in _grid_problems(row, n + 2, rules)]
    if problems:
        msg = f"{grid_path.name} : " + " ; ".join(problems)
        raise ExportFormatError(msg)
    frame.attrs["rules"] = rules
    return frame


register(
    Dataset(
        name="lyon-leisure-tariffs",
        title="Grilles tarifaires des loisirs, du sport et de la culture à Lyon (par quotient familial)",
        territory="Lyon",
        source="Délibérations et pages publiques de la Métropole de Lyon, de la Ville de Lyon et de la "
        "Bibliothèque municipale, transcrites par le projet (source et date à chaque ligne)",
        url="data/samples/opendata/lyon-leisure-tariffs/README.md (transcription du projet ; aucune "
        "grille n'est publiée en données ouvertes)",
        licence="Licence Ouverte / Etalab 2.0 (transcription du projet)",
        files=("grilles_tarifaires*.csv", "regles_tarifaires*.yaml"),
        snapshot_dirs=("lyon_leisure_tariffs",),
        read=lambda files: read_tariff_grids(files[0], files[1]),
        description="One row per tariff tranche (collège and school canteens, pools, libraries, "
        "conservatory, leisure centres) with its source and whether it was verified; the quotient "
        "familial rules and the communes each grid is for.",
    )
)


def load_leisure_tariffs(*, source: str = "auto") -> pd.DataFrame:
    """The tariff grids (:data:`GRID_COLUMNS`) with ``attrs["rules"]`` and ``attrs["provenance"]``."""
    return load("lyon-leisure-tariffs", source=source)


def read_places_csv(path: str | Path, *, columns: tuple[str, ...], kinds: Any) -> pd.DataFrame:
    """A CSV of places, one row per place (``columns``, WGS84 ``lat``/``lon``; a ``kind`` among ``kinds``);
    an :class:`ExportFormatError` naming the file and what is wrong (missing columns, unknown kinds).
    """
    path = Path(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = f"{path.name}, ligne 1 : colonnes manquantes {missing} (attendu : {', '.join(columns)})"
        raise ExportFormatError(msg)
    frame = frame[list(columns)].copy()
    for column in ("lat", "lon"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    unknown = sorted(set(frame["kind"]) - set(kinds))
    if unknown:
        msg = f"{path.name} : genre(s) de lieu inconnu(s) {unknown} (attendu : {', '.join(kinds)})"
        raise ExportFormatError(msg)
    return frame.dropna(subset=["lat", "lon"]).reset_index(drop=True)


def read_leisure_places(path: str | Path) -> pd.DataFrame:
    """``equipements_loisirs.csv``: one row per place (:data:`PLACE_COLUMNS`), WGS84 coordinates."""
    return read_places_csv(path, columns=tuple(PLACE_COLUMNS), kinds=PLACE_KINDS)


def places_from_geojson(data: dict[str, Any], kind: str) -> pd.DataFrame:
    """Rows of :data:`PLACE_COLUMNS` from a data.grandlyon.com points-of-interest GeoJSON: ``nom``,
    ``adresse`` and ``commune`` properties (empty when the layer has none), the point (or the first
    point of a shape) as ``lat``/``lon``.
    """
    rows = []
    for feature in data.get("features") or []:
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        coords: Any = geometry.get("coordinates")
        while isinstance(coords, list) and coords and isinstance(coords[0], list):
            coords = coords[0]  # a polygon or multipoint: its first point places it well enough
        if not (isinstance(coords, list) and len(coords) >= 2):
            continue
        rows.append(
            {
                "name": str(props.get("nom") or props.get("name") or "").strip(),
                "kind": kind,
                "lat": float(coords[1]),
                "lon": float(coords[0]),
                "commune": str(props.get("commune") or props.get("insee") or "").strip(),
                "address": str(props.get("adresse") or props.get("address") or "").strip(),
            }
        )
    return pd.DataFrame(rows, columns=list(PLACE_COLUMNS))


def _fetch_places(folder: Path) -> None:
    """Download the data.grandlyon.com layers and write them as one ``equipements_loisirs.csv``."""
    from selfdata_lib import _http

    urls = live_urls(CATALOGUE["lyon-leisure-places"])
    parts = []
    for file_name, (layer, kind) in PLACE_LAYERS.items():
        data = _http.get_json(urls[file_name], what=f"la couche {layer} de data.grandlyon.com")
        parts.append(places_from_geojson(data, kind))
    frame = pd.concat(parts, ignore_index=True)
    folder.mkdir(parents=True, exist_ok=True)
    _http.write_atomically(folder / PLACES_FILE, frame.to_csv(index=False).encode("utf-8"))


register(
    Dataset(
        name="lyon-leisure-places",
        title="Équipements de loisirs, de sport et de culture (Lyon)",
        territory="Lyon",
        source="Métropole de Lyon (data.grandlyon.com, points d'intérêt : couches "
        "adr_voie_lieu.adrequippiscinepct et adr_voie_lieu.adrequipsportpct)",
        url="https://data.grandlyon.com/",
        licence="Licence Ouverte / Etalab 2.0",
        files=("equipements_loisirs*.csv",),
        snapshot_dirs=("lyon_leisure_places",),
        live={name: _GRANDLYON_WFS.format(layer=layer) for name, (layer, _) in PLACE_LAYERS.items()},
        fetcher=_fetch_places,
        read=lambda files: read_leisure_places(files[0]),
        description="Pools and sports equipment of the Métropole (live); the project's sample adds a few "
        "real libraries, the conservatory and leisure centres of Lyon at approximate positions.",
    )
)


def load_leisure_places(*, source: str = "auto") -> pd.DataFrame:
    """The places (:data:`PLACE_COLUMNS`) with ``attrs["provenance"]``."""
    return load("lyon-leisure-places", source=source)


# --- TCL metro and tram stations, for the time « en TCL » -----------------------------------------------------


def _read_tcl_stations(files: list[Path]) -> pd.DataFrame:
    path = files[0]
    if path.suffix.lower() == ".geojson":  # the Métropole's layer tcl_sytral.tclstation
        import geopandas as gpd

        frame = gpd.read_file(path)
        points = frame.geometry.representative_point()
        name = next((c for c in ("nom", "name", "libelle") if c in frame.columns), None)
        return pd.DataFrame(
            {
                "name": frame[name].astype(str) if name else "",
                "mode": frame["desserte"].astype(str) if "desserte" in frame.columns else "",
                "stop_lat": points.y,
                "stop_lon": points.x,
            }
        )
    frame = pd.read_csv(path, sep=";")
    missing = {"name", "mode", "stop_lat", "stop_lon"} - set(frame.columns)
    if missing:
        msg = f"{path.name}: colonnes manquantes {sorted(missing)}"
        raise ExportFormatError(msg)
    return frame


register(
    Dataset(
        name="lyon-tcl-stations",
        title="Stations de métro et de tramway TCL",
        territory="Lyon",
        source="SYTRAL Mobilités (data.grandlyon.com, couche tcl_sytral.tclstation)",
        url="https://data.grandlyon.com/portail/fr/jeux-de-donnees/lignes-metro-funiculaire-reseau-transports-commun-lyonnais/info",
        licence="Licence Ouverte / Etalab 2.0",
        files=("*tcl*station*",),
        snapshot_dirs=("tcl_network",),
        read=_read_tcl_stations,
        description="Metro and tram stations: the time « en TCL » from home to a leisure place.",
    )
)
