"""Water-use references by district: the cooperative's differentially private histograms, or an
official table when one exists.

``lyon-water-reference`` is what a citizens' data cooperative of Lyon would publish: for each
arrondissement, a histogram of its members' litres per person per day, each bin with Laplace noise
(OpenDP), districts with too few contributors suppressed (see :mod:`selfdata_lib.analysis.privacy`). No open
dataset publishes water use per district today, so the project's sample is computed this way from a
*generated* population of households (:mod:`selfdata_lib.samples.opendata.water`), and says so.

An official table (``district``, ``litres_per_person_day``, ``source``) can be read with
:func:`read_official_reference` and used instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from selfdata_lib.errors import DataUnavailableError, ExportFormatError
from selfdata_lib.opendata._catalog import Dataset, load, register

HISTOGRAM_FILE = "water_reference_histograms.csv"
META_FILE = "water_reference_meta.json"


def _read_reference(files: list[Path]) -> pd.DataFrame:
    hist = pd.read_csv(files[0])
    meta = json.loads(files[1].read_text(encoding="utf-8"))
    expected = {"district", "bin_low", "bin_high", "noisy_count", "noisy_contributors", "suppressed"}
    missing = expected - set(hist.columns)
    if missing:
        msg = f"{files[0].name}: missing column(s) {sorted(missing)}"
        raise ExportFormatError(msg)
    hist.attrs["release"] = meta
    return hist


register(
    Dataset(
        name="lyon-water-reference",
        title="Consommation d'eau par arrondissement (coopérative de données, agrégats différentiellement privés)",
        territory="Lyon",
        source="Coopérative de données citoyenne (simulation du projet Self Data Territorial)",
        url="data/samples/opendata/lyon-water-reference/README.md (project sample; no published source yet)",
        licence="Licence Ouverte / Etalab 2.0",
        files=(HISTOGRAM_FILE, META_FILE),
        read=_read_reference,
        description="Noisy histograms of litres per person per day by arrondissement (OpenDP, ε=1), "
        "districts under 20 contributors suppressed. The sample comes from a generated population.",
    )
)


NATIONAL_FILE = "consommation_eau_nationale.csv"


def _read_national(files: list[Path]) -> pd.DataFrame:
    frame = pd.read_csv(files[0], sep=";", comment="#")
    if not {"litres_per_person_day", "source"} <= set(frame.columns) or frame.empty:
        msg = (
            f"{files[0].name}: line 1 should name the columns litres_per_person_day;source;url, then one row"
        )
        raise ExportFormatError(msg)
    frame.attrs["national"] = True
    return frame


register(
    Dataset(
        name="water-national-reference",
        title="Consommation d'eau domestique moyenne en France (litres par habitant et par jour)",
        territory="France",
        source="Observatoire des services publics d'eau et d'assainissement (SISPEA), rapport national",
        url="https://www.services.eaufrance.fr/panorama/consommation",
        licence="Licence Ouverte / Etalab 2.0",
        files=(NATIONAL_FILE,),
        read=_read_national,
        description="The national figure a household is compared with where its territory has no "
        "district reference (one row, transcribed by the project with its source).",
    )
)


def load_water_reference(*, source: str = "auto") -> pd.DataFrame:
    """The district histograms (``district``, ``bin_low``, ``bin_high``, ``noisy_count``, …) with the
    release parameters in ``attrs["release"]`` and provenance in ``attrs["provenance"]``.
    """
    return load("lyon-water-reference", source=source)


def read_official_reference(path: str | Path) -> pd.DataFrame:
    """An official table of water use: a CSV with ``district`` (or ``commune``),
    ``litres_per_person_day`` and ``source`` columns (``;`` or ``,``).
    """
    path = Path(path)
    frame = pd.read_csv(path, sep=None, engine="python")
    frame.columns = [c.strip().lower() for c in frame.columns]
    if "district" not in frame.columns and "commune" in frame.columns:
        frame = frame.rename(columns={"commune": "district"})
    missing = {"district", "litres_per_person_day", "source"} - set(frame.columns)
    if missing:
        msg = (
            f"{path.name}: line 1 should name the columns district (or commune), "
            f"litres_per_person_day and source; missing {sorted(missing)}"
        )
        raise ExportFormatError(msg)
    frame["litres_per_person_day"] = pd.to_numeric(
        frame["litres_per_person_day"].astype(str).str.replace(",", "."), errors="coerce"
    )
    return frame[["district", "litres_per_person_day", "source"]]


def water_reference(
    official_table: str | Path = "", *, territory: Any = "lyon", source: str = "auto"
) -> pd.DataFrame | None:
    """The reference to compare with: the official table when one is given (:func:`read_official_reference`),
    else the dataset the territory's ``water_reference`` entry names (Lyon: the cooperative's
    differentially private release, ``lyon-water-reference``), else the national figure
    (``water-national-reference``, ``attrs["national"]``): never another territory's reference. Outside
    France, the country's figure the territory file gives (``water_reference.litres_per_person_day`` and
    ``source``), else ``None``: the French average is not another country's.
    """
    from selfdata_lib import territories

    if official_table and str(official_table).strip():
        return read_official_reference(official_table)
    here = territories.get(territory)
    dataset = here.dataset("water_reference")
    if dataset or here.is_france:
        return load(dataset or "water-national-reference", source=source)
    # abroad: the country's own national figure when the territory file gives one, else nothing (None)
    entry = here.source("water_reference") or {}
    if entry.get("litres_per_person_day") is None:
        return None
    frame = pd.DataFrame(
        [
            {
                "litres_per_person_day": float(entry["litres_per_person_day"]),
                "source": str(entry.get("source", "")),
            }
        ]
    )
    frame.attrs["national"] = True
    frame.attrs["provenance"] = {
        "dataset": "water-national-reference",
        "title": f"Consommation d'eau domestique moyenne ({here.country})",
        "source": str(entry.get("source", "")),
        "url": str(entry.get("url", "")),
        "licence": str(entry.get("licence", "")),
        "retrieved": "",
        "origin": "file",
        "path": str(here.path or ""),
        "sample": False,
    }
    return frame


def district_communes(territory: Any) -> list[str]:
    """The INSEE communes whose IRIS make the territory's district map: the ``communes`` of its
    ``districts`` entry, else those of its ``energy_reference`` entry (Paris: its 20 arrondissements, the
    codes its IRIS are filed under), else its ``insee_commune``.
    """
    from selfdata_lib import territories

    here = territories.get(territory)
    for kind in ("districts", "energy_reference"):
        communes = (here.source(kind) or {}).get("communes")
        if communes:
            return [str(c) for c in communes]
    return [str(here.codes["insee_commune"])] if here.codes.get("insee_commune") else []


def districts_for(territory: Any = "lyon", *, source: str = "auto") -> Any:
    """The district map of the territory (``name``, ``geometry`` in EPSG:4326), from its ``districts`` entry:

    - ``osm_admin_level`` — OpenStreetMap administrative boundaries at that level (``osm-admin-boundaries``,
      Barcelona's districtes);
    - ``iris: true`` — the IRIS of its commune(s) (``iris-contours``, :func:`district_communes`), also
      ``iris`` and ``commune`` columns;
    - ``dataset`` — that dataset (Lyon's arrondissements).

    ``source="live"`` downloads IRIS or OpenStreetMap boundaries (only the commune codes or the box are
    sent). When nothing is at hand — no entry, or communes the sample or cache do not cover —, the
    territory's bounding box alone, with the French reason in ``attrs["missing"]`` and no provenance.
    """
    from selfdata_lib import territories
    from selfdata_lib.opendata import districts as boundaries

    here = territories.get(territory)
    entry = here.source("districts") or {}
    if entry.get("osm_admin_level") is None and not entry.get("iris"):
        if entry.get("dataset"):
            return load(str(entry["dataset"]), source=source)
        return _bbox_only(here, here.missing("districts"))
    try:
        if entry.get("osm_admin_level") is not None:
            found = boundaries.osm_boundaries_for(here, int(entry["osm_admin_level"]), source=source)
        else:
            found = boundaries.iris_contours_for(district_communes(here), source=source)
    except DataUnavailableError as exc:
        if source == "live":  # asked for the network: say what failed there
            raise
        return _bbox_only(here, str(exc))
    return _bbox_only(here, found.attrs["missing"]) if found.attrs.get("missing") else found


def _bbox_only(here: Any, why: str) -> Any:
    """The territory's bounding box alone, so that a map still shows where it is; ``why`` in attrs."""
    import geopandas as gpd
    from shapely.geometry import box

    empty = gpd.GeoDataFrame(
        {"name": [f"{here.name} (pas de quartiers)"]}, geometry=[box(*here.bbox)], crs=4326
    )
    reason = why.removeprefix(f"{here.name} : ")
    empty.attrs["missing"] = f"{here.name} : pas de carte de quartiers hors ligne ({reason})"
    return empty
