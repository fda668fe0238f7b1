"""Open data for home energy and rooftop solar.

- ``regulated-tariffs``: the regulated residential electricity tariffs (Base, Heures creuses, Tempo) as
  published by the CRE on data.gouv.fr — one CSV per option, one row per (period, subscribed power),
  ``DATE_DEBUT;DATE_FIN;P_SOUSCRITE;PART_FIXE_TTC;PART_VARIABLE_…_TTC`` (fixed part in €/year).
- ``tempo-days``: the colour of each Tempo day (``[{"dateJour", "codeJour", "periode"}]``, 1 blue,
  2 white, 3 red), from the public api-couleur-tempo.fr service (which republishes RTE's calendar).
- ``nantes-weather``: hourly outdoor temperature in the Open-Meteo archive JSON; any place and period
  can be fetched live with :func:`fetch_weather`. NASA POWER hourly CSVs read too (:func:`read_weather`).
- ``enedis-residential-iris``: Enedis' annual residential electricity per IRIS (sites, total and mean
  MWh), the reference "homes like mine" of the territory.
- ``nantes-solar-resource``: monthly global horizontal irradiation at Nantes, from which the offline
  solar model takes its monthly clearness; PVGIS typical years are fetched live with :func:`fetch_pvgis_tmy`.
- ``solar-support``: the self-consumption subsidy and the surplus feed-in tariff by power bracket
  with their effective dates, and installation costs per kWc.

Every figure taken from outside comes with its source and date in the sample files; the project's
samples say which values are transcribed (to check against the source) and which are synthetic.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib import settings
from selfdata_lib.errors import DataUnavailableError, ExportFormatError
from selfdata_lib.opendata._catalog import PROVENANCE_FILE, Dataset, fetched_provenance, load, register

TZ = "Europe/Paris"

# --- Regulated tariffs ------------------------------------------------------------------------------------

DATAGOUV_TARIFFS = {
    "option_base.csv": "https://www.data.gouv.fr/api/1/datasets/r/c13d05e5-9e55-4d03-bf7e-042a2ade7e49",
    "option_hphc.csv": "https://www.data.gouv.fr/api/1/datasets/r/f7303b3a-93c7-4242-813d-84919034c416",
    "option_tempo.csv": "https://www.data.gouv.fr/api/1/datasets/r/0c3d1d36-c412-4620-8566-e5cbb4fa2b5a",
}
_PRICE_COLUMNS = {
    "base": {"PART_VARIABLE_TTC": "base"},
    "hphc": {"PART_VARIABLE_HP_TTC": "hp", "PART_VARIABLE_HC_TTC": "hc"},
    "tempo": {
        f"PART_VARIABLE_{p}{c}_TTC": f"{c.lower()}_{p.lower()}"
        for c in ("Bleu", "Blanc", "Rouge")
        for p in ("HP", "HC")
    },
}


def _number(col: pd.Series) -> pd.Series:
    return pd.to_numeric(col.astype(str).str.strip().str.replace(",", ".", regex=False), errors="coerce")


def _read_tariff_option(path: Path, option: str) -> pd.DataFrame:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str)
    frame.columns = [c.strip() for c in frame.columns]
    need = {"DATE_DEBUT", "P_SOUSCRITE", "PART_FIXE_TTC", *_PRICE_COLUMNS[option]}
    missing = need - set(frame.columns)
    if missing:
        msg = (
            f"{path.name}: not a CRE regulated-tariff file for option {option!r} "
            f"(line 1 lacks columns {sorted(missing)})"
        )
        raise ExportFormatError(msg)
    out = pd.DataFrame(
        {
            "option": option,
            "start": pd.to_datetime(frame["DATE_DEBUT"].str.strip(), dayfirst=True, errors="coerce"),
            "end": pd.to_datetime(
                frame.get("DATE_FIN", pd.Series("", index=frame.index)).fillna("").str.strip(),
                dayfirst=True,
                errors="coerce",
            ),
            "kva": _number(frame["P_SOUSCRITE"]),
            "subscription_eur_year": _number(frame["PART_FIXE_TTC"]),
        }
    )
    for col, period in _PRICE_COLUMNS[option].items():
        out[period] = _number(frame[col])
    bad = out["start"].isna() | out["kva"].isna() | out["subscription_eur_year"].isna()
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        msg = f"{path.name}, line {line}: expected a start date (DD/MM/YYYY), a power in kVA and a fixed part"
        raise ExportFormatError(msg)
    return out


def _read_tariffs(files: list[Path]) -> pd.DataFrame:
    frames = [_read_tariff_option(f, opt) for f, opt in zip(files, ("base", "hphc", "tempo"), strict=True)]
    return pd.concat(frames, ignore_index=True)


register(
    Dataset(
        name="regulated-tariffs",
        title="Tarifs réglementés de vente d'électricité (résidentiel : Base, Heures creuses, Tempo)",
        territory="France",
        source="Commission de régulation de l'énergie (CRE), historique des TRVE publié sur data.gouv.fr",
        url="https://www.data.gouv.fr/fr/datasets/historique-des-tarifs-reglementes-de-vente-delectricite-"
        "pour-les-consommateurs-residentiels/",
        licence="Licence Ouverte / Etalab 2.0",
        files=("option_base.csv", "option_hphc.csv", "option_tempo.csv"),
        snapshot_dirs=("cre_tarifs", "regulated_tariffs"),
        live=DATAGOUV_TARIFFS,
        read=_read_tariffs,
        description="Subscription (€/year TTC) by kVA and price per kWh by period, with effective dates.",
    )
)


def load_tariffs(*, source: str = "auto") -> pd.DataFrame:
    """All tariff rows: ``option``, ``start``, ``end``, ``kva``, ``subscription_eur_year`` and the
    €/kWh TTC of each period (``base``; ``hp``/``hc``; ``bleu_hp`` … ``rouge_hc``).
    """
    return load("regulated-tariffs", source=source)


def tariffs_in_force(table: pd.DataFrame, kva: float, on: str | dt.date | None = None) -> dict[str, dict]:
    """For each option, the row in force on date ``on`` (default: the newest period) for ``kva``.

    Returns ``{option: {"subscription_eur_month", "prices", "effective", "kva"}}``; an option without
    a row for that power is left out (Base stops at 36 kVA, HP/HC and Tempo start at 6 kVA).
    """
    out: dict[str, dict] = {}
    when = pd.Timestamp(on) if on is not None else None
    for key, rows in table[table["kva"] == kva].groupby("option"):
        option = str(key)
        if when is not None:
            rows = rows[(rows["start"] <= when) & (rows["end"].isna() | (rows["end"] >= when))]
        if rows.empty:
            continue
        row = rows.sort_values("start").iloc[-1]
        prices = {p: float(row[p]) for p in _PRICE_COLUMNS[option].values()}
        out[option] = {
            "subscription_eur_month": float(row["subscription_eur_year"]) / 12,
            "prices": prices,
            "effective": row["start"].date().isoformat(),
            "kva": kva,
        }
    if not out:
        known = sorted(table["kva"].dropna().unique().tolist())
        msg = f"no regulated tariff for {kva} kVA{f' on {when.date()}' if when is not None else ''}; powers: {known}"
        raise DataUnavailableError(msg)
    return out


# --- Tempo day colours ------------------------------------------------------------------------------------

TEMPO_CODES = {1: "bleu", 2: "blanc", 3: "rouge"}


def _is_code(value: Any) -> bool:
    """Whether a ``codeJour`` is a whole number (1, 2, 3 — or anything else, then unknown)."""
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value == int(value)
    )


def _read_tempo(files: list[Path]) -> pd.DataFrame:
    try:
        items = json.loads(files[0].read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        msg = f"{files[0].name}: not valid JSON ({exc}); expected a list of {{dateJour, codeJour}}"
        raise ExportFormatError(msg) from exc
    if isinstance(items, dict):
        items = items.get("hydra:member") or items.get("member") or [items]
    rows = [
        (it.get("dateJour"), TEMPO_CODES.get(int(it["codeJour"])) if _is_code(it.get("codeJour")) else None)
        for it in items
        if isinstance(it, dict)
    ]
    frame = pd.DataFrame(rows, columns=["day", "colour"]).dropna()
    if frame.empty and items:
        msg = f"{files[0].name}: no item with a dateJour and a codeJour of 1, 2 or 3"
        raise ExportFormatError(msg)
    frame["day"] = pd.to_datetime(frame["day"])
    return frame.drop_duplicates("day", keep="last").sort_values("day", ignore_index=True)


register(
    Dataset(
        name="tempo-days",
        title="Couleur des jours Tempo (bleu, blanc, rouge)",
        territory="France",
        source="RTE (calendrier Tempo), republié par api-couleur-tempo.fr",
        url="https://www.api-couleur-tempo.fr/api",
        licence="Données publiques RTE (éCO2mix) — réutilisation libre avec mention de la source",
        files=("joursTempo*.json",),
        snapshot_dirs=("tempo_days",),
        live={"joursTempo.json": "https://www.api-couleur-tempo.fr/api/joursTempo"},
        read=_read_tempo,
        description="The colour of every Tempo day since 2014 (22 red and 43 white days a season).",
    )
)


def load_tempo_days(*, source: str = "auto") -> pd.DataFrame:
    """``day`` (naive date, the Tempo day runs 06:00 → 06:00) and ``colour`` (bleu/blanc/rouge)."""
    return load("tempo-days", source=source)


def tempo_colours(days: pd.DataFrame) -> pd.Series:
    """The Tempo colours as the Series :func:`selfdata_lib.analysis.energy.tempo_tariff` takes."""
    return days.set_index("day")["colour"]


def tariffs_for(territory: Any, *, source: str = "auto") -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The tariff grid and Tempo colours of my territory: the French regulated tariffs (CRE) and Tempo
    days where its ``energy_prices`` entry names ``regulated-tariffs``; ``(None, None)`` where it names
    none (the analysis then says there is no reference grid for this territory).
    """
    from selfdata_lib import territories

    entry = territories.get(territory).source("energy_prices") or {}
    if entry.get("dataset") != "regulated-tariffs":
        return None, None
    return load_tariffs(source=source), load_tempo_days(source=source)


# --- Hourly weather -----------------------------------------------------------------------------------------

OPEN_METEO_ARCHIVE = "https://archive-api.open-meteo.com/v1/archive"


def read_weather(path: Path | str) -> pd.DataFrame:
    """Hourly temperature from an Open-Meteo JSON (``hourly.time`` / ``hourly.temperature_2m``, any
    ``utc_offset_seconds``) or a NASA POWER hourly CSV (``YEAR,MO,DY,HR,…,T2M``, header lines skipped).
    Returns ``time`` (UTC) and ``temperature_c``.
    """
    path = Path(path)
    raw = path.read_bytes().decode("utf-8-sig", errors="replace")
    if raw.lstrip().startswith("{"):
        try:
            doc = json.loads(raw)
            hourly = doc["hourly"]
            times = pd.to_datetime(hourly["time"])
            temps = pd.to_numeric(pd.Series(hourly["temperature_2m"], dtype="object"), errors="coerce")
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            msg = (
                f"{path.name}: expected an Open-Meteo JSON with hourly.time and hourly.temperature_2m ({exc})"
            )
            raise ExportFormatError(msg) from exc
        offset = pd.Timedelta(seconds=int(doc.get("utc_offset_seconds", 0) or 0))
        utc = (times - offset).tz_localize("UTC")
        return pd.DataFrame({"time": utc, "temperature_c": temps.to_numpy(float)})
    lines = raw.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("YEAR,")), None)
    if start is None:
        msg = f"{path.name}: neither an Open-Meteo JSON nor a NASA POWER CSV (no line starting with 'YEAR,')"
        raise ExportFormatError(msg)
    frame = pd.read_csv(io.StringIO("\n".join(lines[start:])))
    if not {"MO", "DY", "HR", "T2M"} <= set(frame.columns):
        msg = f"{path.name}, line {start + 1}: a NASA POWER hourly header needs YEAR,MO,DY,HR and T2M"
        raise ExportFormatError(msg)
    time = pd.to_datetime(
        {"year": frame["YEAR"], "month": frame["MO"], "day": frame["DY"], "hour": frame["HR"]}
    )
    temp = frame["T2M"].where(frame["T2M"] > -900)  # POWER writes -999 for missing values
    # POWER hourly files are in local solar time unless asked in UTC; the hour shift is ≤ 1 h in France.
    return pd.DataFrame({"time": time.dt.tz_localize("UTC"), "temperature_c": temp.to_numpy(float)})


register(
    Dataset(
        name="nantes-weather",
        title="Température horaire à Nantes (archive Open-Meteo)",
        territory="Nantes",
        source="Open-Meteo (réanalyses ERA5 / ECMWF, Copernicus)",
        url="https://open-meteo.com/en/docs/historical-weather-api",
        licence="CC BY 4.0 (Open-Meteo)",
        files=("open-meteo*.json",),
        snapshot_dirs=("nantes_weather",),
        live={
            "open-meteo_nantes_2024.json": f"{OPEN_METEO_ARCHIVE}?latitude=47.2184&longitude=-1.5536"
            "&start_date=2024-01-01&end_date=2024-12-31&hourly=temperature_2m"
            "&timezone=GMT"
        },
        read=lambda files: read_weather(files[0]),
        description="Hourly temperature 2024 at Nantes; any place and period with fetch_weather().",
    )
)


def load_nantes_weather(*, source: str = "auto") -> pd.DataFrame:
    """Hourly temperatures at Nantes (``nantes-weather``)."""
    return load("nantes-weather", source=source)


def _live_base(env: str, default: str) -> str:
    return os.environ.get(env, default).rstrip("/")


def fetch_weather(lat: float, lon: float, start: str, end: str, *, url: str | None = None) -> pd.DataFrame:
    """Hourly temperature for any place and period from the Open-Meteo archive API (network; only the
    coordinates and dates are sent). Cached in the user cache; ``url`` or ``SELFDATA_OPEN_METEO_URL``
    change the endpoint.
    """
    from selfdata_lib import _http

    base = url or _live_base("SELFDATA_OPEN_METEO_URL", OPEN_METEO_ARCHIVE)
    params = {
        "latitude": round(lat, 3),
        "longitude": round(lon, 3),
        "start_date": start,
        "end_date": end,
        "hourly": "temperature_2m",
        "timezone": "GMT",
    }
    path = _http.cached_get(
        base,
        what="la météo Open-Meteo",
        params=params,
        folder=settings.cache_folder / "opendata" / "weather",
        stem=f"open-meteo_{params['latitude']}_{params['longitude']}_{start}_{end}",
    )
    frame = read_weather(path)
    frame.attrs["provenance"] = fetched_provenance(
        "open-meteo-archive",
        "Température horaire (archive Open-Meteo)",
        "Open-Meteo (ERA5)",
        base,
        "CC BY 4.0",
        path,
    )
    return frame


def weather_for(
    start: Any,
    end: Any,
    *,
    source: str = "auto",
    place: tuple[float, float] | None = None,
    territory: Any = "nantes",
) -> pd.DataFrame | None:
    """Hourly weather for a period: with ``source="live"``, fetched from Open-Meteo for ``place`` (the
    territory's centre when ``None``) and the period's dates; otherwise the hourly dataset the
    territory's ``weather`` entry names (cache, snapshots, sample), whatever period it covers — the
    analysis checks the coverage — or ``None`` when it names none or ``place`` is far from it.
    """
    from selfdata_lib import territories

    here = territories.get(territory)
    lat, lon = place or here.centre
    if source == "live":
        return fetch_weather(lat, lon, str(pd.Timestamp(start).date()), str(pd.Timestamp(end).date()))
    dataset = (here.source("weather") or {}).get("dataset")
    if not dataset or here.outside((lat, lon)):
        return None
    return load(str(dataset), source=source)


def daily_mean_temperature(weather: pd.DataFrame) -> pd.Series:
    """Mean temperature of each local (Europe/Paris) day, indexed by naive day."""
    day = weather["time"].dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()
    return weather["temperature_c"].groupby(day.to_numpy()).mean().rename_axis("day").rename("temperature_c")


# --- Residential consumption references (Enedis, per IRIS) ---------------------------------------------------

_REF_COLUMNS = {
    "annee": "year",
    "code_iris": "iris",
    "nom_iris": "iris_name",
    "code_commune": "commune",
    "nom_commune": "commune_name",
    "nb_sites_secteur_residentiel_enedis": "sites",
    "conso_totale_secteur_residentiel_enedis_mwh": "total_mwh",
    "conso_moyenne_secteur_residentiel_enedis_mwh": "mean_mwh",
}
_REF_LABELS = {
    "Année": "annee",
    "Code IRIS": "code_iris",
    "Nom IRIS": "nom_iris",
    "Code commune": "code_commune",
    "Nom commune": "nom_commune",
    "Nb sites secteur résidentiel": "nb_sites_secteur_residentiel_enedis",
    "Conso totale secteur résidentiel (MWh)": "conso_totale_secteur_residentiel_enedis_mwh",
    "Conso moyenne secteur résidentiel (MWh)": "conso_moyenne_secteur_residentiel_enedis_mwh",
}


#: The Enedis open-data portal (Opendatasoft Explore API v2.1) and its residential-by-IRIS dataset.
ENEDIS_ODS = "https://data.enedis.fr/api/explore/v2.1/catalog/datasets"
ENEDIS_IRIS_DATASET = "consommation-electrique-par-secteur-dactivite-iris"
REFERENCE_FILES = f"{ENEDIS_IRIS_DATASET}*.csv"


def _read_reference_file(path: Path) -> pd.DataFrame:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    frame = pd.read_csv(io.StringIO(text), sep=";", dtype=str).rename(columns=_REF_LABELS)
    missing = {
        "annee",
        "code_iris",
        "nb_sites_secteur_residentiel_enedis",
        "conso_totale_secteur_residentiel_enedis_mwh",
    } - set(frame.columns)
    if missing:
        msg = f"{path.name}, line 1: not an Enedis consumption-per-IRIS export (missing {sorted(missing)})"
        raise ExportFormatError(msg)
    frame = frame[[c for c in _REF_COLUMNS if c in frame.columns]].rename(columns=_REF_COLUMNS)
    for c in ("sites", "total_mwh", "mean_mwh"):
        if c in frame.columns:
            frame[c] = _number(frame[c])
    if "mean_mwh" not in frame.columns:
        frame["mean_mwh"] = frame["total_mwh"] / frame["sites"]
    if "commune" not in frame.columns:  # the IRIS code starts with its commune's INSEE code
        frame["commune"] = frame["iris"].astype(str).str[:5]
    frame["year"] = _number(frame["year"]).astype("Int64")
    return frame


def _read_residential_reference(files: list[Path]) -> pd.DataFrame:
    """Every per-commune file of the folder (a cache filled commune by commune, or a snapshot)."""
    paths = sorted(files[0].parent.glob(REFERENCE_FILES)) or files
    frame = pd.concat([_read_reference_file(p) for p in paths], ignore_index=True)
    return frame.drop_duplicates(["year", "iris"], keep="last", ignore_index=True)


def _ods_export_url(commune: str, *, base: str | None = None) -> str:
    """The CSV export of the residential-by-IRIS dataset filtered on one commune (ODS ``where``)."""
    root = base or _live_base("SELFDATA_ENEDIS_ODS_URL", ENEDIS_ODS)
    return f"{root}/{ENEDIS_IRIS_DATASET}/exports/csv?delimiter=%3B&where=code_commune%3D%22{commune}%22"


register(
    Dataset(
        name="enedis-residential-iris",
        title="Consommation électrique résidentielle annuelle par IRIS (Enedis, France entière)",
        territory="France",
        source="Enedis Open Data — consommation électrique par secteur d'activité, maille IRIS",
        url=f"https://data.enedis.fr/explore/dataset/{ENEDIS_IRIS_DATASET}/",
        licence="Licence Ouverte / Etalab 2.0",
        files=(REFERENCE_FILES,),
        snapshot_dirs=("enedis_conso_iris",),
        live={f"{ENEDIS_IRIS_DATASET}_44109.csv": _ods_export_url("44109", base=ENEDIS_ODS)},
        read=_read_residential_reference,
        description="Residential sites and MWh per IRIS and year, for every French commune: fetched commune "
        "by commune (residential_reference_for); `selfdata data fetch` alone takes Nantes.",
    )
)

register(
    Dataset(
        name="cooperative-energy-reference",
        title="Consommation électrique résidentielle par IRIS (publication d'une coopérative de données)",
        territory="France",
        source="Coopérative de données citoyenne (agrégats publiés par `selfdata pool`)",
        url="README.md (section « Pooling ») — aucune publication réelle à ce jour",
        licence="Licence de la coopérative (voir sa publication)",
        files=(REFERENCE_FILES,),
        snapshot_dirs=("cooperative_energy_reference",),
        read=_read_residential_reference,
        description="The cooperative's release of its members' annual kWh per IRIS, in the columns of "
        "enedis-residential-iris. Nothing is bundled: a release is put in a snapshot folder.",
    )
)


def load_residential_reference(*, source: str = "auto") -> pd.DataFrame:
    """``year``, ``iris``, ``iris_name``, ``commune``, ``sites``, ``total_mwh``, ``mean_mwh`` (per site)."""
    return load("enedis-residential-iris", source=source)


def fetch_residential_reference(commune: str, *, url: str | None = None) -> Path:
    """Download the residential-by-IRIS rows of one commune (INSEE code) into the dataset's cache folder,
    one file per commune, and return it (network; only the commune's public code is sent). Cached.
    """
    from selfdata_lib import _http

    if not re.fullmatch(r"\d[\dAB]\d{3}", commune):
        msg = f"code commune INSEE « {commune} » invalide : 5 caractères attendus (ex. 44109)"
        raise DataUnavailableError(msg)
    folder = settings.cache_folder / "opendata" / "enedis-residential-iris"
    path = folder / f"{ENEDIS_IRIS_DATASET}_{commune}.csv"
    if not path.is_file():
        what = f"la consommation résidentielle par IRIS d'Enedis (commune {commune})"
        _http.write_atomically(path, _http.get(_ods_export_url(commune, base=url), what=what).content)
        # one provenance for the folder: every commune's file keeps its URL (and its day of retrieval)
        record = folder / PROVENANCE_FILE
        try:
            known = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
        except ValueError:
            known = {}
        today = dt.date.today().isoformat()
        known["retrieved"] = today
        known.setdefault("live_urls", {})[path.name] = _ods_export_url(commune, base=url)
        known.setdefault("retrieved_by_file", {})[path.name] = today
        record.write_text(json.dumps(known), encoding="utf-8")
    return path


def residential_reference_for(
    communes: list[str] | tuple[str, ...], *, source: str = "auto", dataset: str = "enedis-residential-iris"
) -> pd.DataFrame:
    """The residential reference rows of ``communes`` (INSEE codes), anywhere in France.

    With ``source="live"``, each commune not yet in the cache is fetched from Enedis' open-data API
    (:func:`fetch_residential_reference`); otherwise the dataset is read where it is (cache, snapshot,
    the project's sample). The frame keeps only those communes' rows — possibly none: then
    ``attrs["missing"]`` says, in French, what is not covered and how to get it.
    """
    if source == "live" and dataset == "enedis-residential-iris":
        for commune in communes:
            fetch_residential_reference(commune)
        source = "cache"
    table = load(dataset, source=source)
    wanted = [str(c) for c in communes]
    rows = table[table["commune"].astype(str).isin(wanted)].reset_index(drop=True) if wanted else table
    rows.attrs = dict(table.attrs)
    if rows.empty:
        where = "en cache" if source == "cache" else "hors ligne"
        rows.attrs["missing"] = (
            f"les données {where} de {dataset} ne couvrent pas la ou les communes {', '.join(wanted)} "
            f"(elles couvrent {', '.join(sorted(table['commune'].astype(str).unique()))}) : "
            'open_data = "live" les télécharge chez Enedis (seuls les codes des communes sont envoyés)'
        )
    return rows


#: What the reference step can compare me with: Enedis' figures, or the cooperative's release.
REFERENCE_KINDS = {"enedis": "enedis-residential-iris", "cooperative": "cooperative-energy-reference"}


def reference_communes(territory: Any, iris: str = "") -> list[str]:
    """The INSEE communes whose IRIS make the reference: my IRIS's commune (its first five characters)
    when given, else the ``communes`` of the territory's ``energy_reference`` entry (Paris: its 20
    arrondissements, the communes Enedis uses), else its ``insee_commune``.
    """
    from selfdata_lib import territories

    if iris and str(iris).strip():
        return [str(iris).strip()[:5]]
    place = territories.get(territory)
    entry = place.source("energy_reference") or {}
    if entry.get("communes"):
        return [str(c) for c in entry["communes"]]
    return [place.codes["insee_commune"]] if place.codes.get("insee_commune") else []


def reference_missing(territory: Any, reference: str = "enedis") -> str | None:
    """Why there is no energy reference for ``territory`` (French), or ``None`` when one is described."""
    from selfdata_lib import territories

    place = territories.get(territory)
    if reference not in REFERENCE_KINDS:
        return f"référence « {reference} » inconnue : enedis ou cooperative"
    if place.source("energy_reference") is None:
        return place.missing("energy_reference")
    if not reference_communes(place):
        return f"{place.file_name} ne donne ni codes.insee_commune ni energy_reference.communes"
    return None


def energy_reference_for(
    territory: Any, *, iris: str = "", reference: str = "enedis", source: str = "auto"
) -> pd.DataFrame | None:
    """The residential reference of my territory (or of my IRIS's commune): Enedis' figures, or the
    data cooperative's release (``reference="cooperative"``, same columns). ``None`` when the territory
    describes no energy reference (outside France) or the cooperative has published nothing yet —
    :func:`reference_missing` and the analysis say why, in French.
    """
    if reference_missing(territory, reference):
        return None
    communes = reference_communes(territory, iris)
    try:
        return residential_reference_for(communes, source=source, dataset=REFERENCE_KINDS[reference])
    except DataUnavailableError:
        if reference == "cooperative":  # nothing published yet: said, not a crash
            return None
        raise


# --- Solar resource and support --------------------------------------------------------------------------------

PVGIS_API = "https://re.jrc.ec.europa.eu/api/"


def _read_monthly_ghi(files: list[Path]) -> pd.DataFrame:
    frame = pd.read_csv(files[0], comment="#")
    if not {"month", "ghi_kwh_m2"} <= set(frame.columns) or len(frame) != 12:
        msg = f"{files[0].name}: expected 12 rows with columns month and ghi_kwh_m2"
        raise ExportFormatError(msg)
    return frame


register(
    Dataset(
        name="nantes-solar-resource",
        title="Irradiation solaire mensuelle à Nantes (PVGIS)",
        territory="Nantes",
        source="Commission européenne, JRC — PVGIS (SARAH-2)",
        url="https://re.jrc.ec.europa.eu/pvg_tools/fr/",
        licence="Réutilisation libre avec mention de la source (JRC)",
        files=("irradiation_mensuelle*.csv",),
        snapshot_dirs=("nantes_solar",),
        read=_read_monthly_ghi,
        description="Monthly global horizontal irradiation (kWh/m²) for the offline solar model.",
    )
)


def load_solar_resource(*, source: str = "auto") -> pd.DataFrame:
    """Monthly global horizontal irradiation at Nantes (``nantes-solar-resource``)."""
    return load("nantes-solar-resource", source=source)


def clearness_by_month(
    monthly_ghi: pd.DataFrame, *, lat: float, lon: float, year: int = 2024
) -> dict[int, float]:
    """Ratio of the measured monthly irradiation to pvlib's clear-sky irradiation at the place: the
    monthly factor :func:`selfdata_lib.analysis.solar.production` applies to the clear sky.
    """
    import pvlib

    times = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="1h", inclusive="left", tz=TZ)
    clear = pvlib.location.Location(lat, lon, tz=TZ).get_clearsky(times + pd.Timedelta(minutes=30))["ghi"]
    clear_kwh = clear.groupby(clear.index.month).sum() / 1000
    ghi = monthly_ghi.set_index("month")["ghi_kwh_m2"]
    return {int(m): float(ghi[m] / clear_kwh[m]) for m in range(1, 13)}


def fetch_pvgis_tmy(lat: float, lon: float, *, url: str | None = None) -> pd.DataFrame:
    """The PVGIS typical meteorological year (hourly ``ghi``, ``dni``, ``dhi``, ``temp_air`` in UTC)
    through pvlib (network; only the coordinates are sent). ``url`` or ``SELFDATA_PVGIS_URL`` change
    the endpoint. Cached in the user cache.
    """
    import pvlib

    from selfdata_lib import _http

    what = f"l'année type PVGIS en {lat:.3f},{lon:.3f}"
    _http.ensure_online(what)
    base = url or _live_base("SELFDATA_PVGIS_URL", PVGIS_API) + "/"
    path = (
        settings.cache_folder / "opendata" / "pvgis" / f"tmy_{lat:.3f}_{lon:.3f}_{_http.cache_key(base)}.csv"
    )
    if path.is_file():
        data = pd.read_csv(path, index_col=0, parse_dates=True)
    else:
        try:  # pvlib makes the request itself (same timeout; its own user agent)
            result = pvlib.iotools.get_pvgis_tmy(
                lat, lon, url=base, map_variables=True, timeout=settings.http_timeout_s
            )
        except Exception as exc:  # requests and PVGIS errors alike
            raise _http.network_error(what, exc, url=base, timeout=settings.http_timeout_s) from exc
        data = result[0]
        path.parent.mkdir(parents=True, exist_ok=True)
        data.to_csv(path)
    data.attrs["provenance"] = fetched_provenance(
        "pvgis-tmy",
        "Année météorologique type (PVGIS)",
        "JRC — PVGIS",
        base,
        "Réutilisation libre avec mention de la source (JRC)",
        path,
    )
    return data


def solar_resource_for(lat: float, lon: float, *, source: str = "auto") -> pd.DataFrame:
    """The solar resource of a roof: with ``source="live"`` the PVGIS typical year at the place (only the
    coordinates are sent), otherwise the monthly irradiation dataset (cache, snapshots, sample).
    """
    if source == "live":
        return fetch_pvgis_tmy(lat, lon)
    return load_solar_resource(source=source)


def _read_solar_support(files: list[Path]) -> pd.DataFrame:
    brackets = pd.read_csv(files[0], comment="#", parse_dates=["effective_from", "effective_to"])
    need = {"effective_from", "bracket_max_kwc", "prime_eur_per_kwc", "surplus_eur_per_kwh", "source"}
    if not need <= set(brackets.columns):
        msg = f"{files[0].name}: expected columns {sorted(need)}"
        raise ExportFormatError(msg)
    costs = pd.read_csv(files[1], comment="#")
    brackets.attrs["installation_costs"] = costs
    return brackets


register(
    Dataset(
        name="solar-support",
        title="Prime à l'autoconsommation, tarif d'achat du surplus et coût d'installation photovoltaïque",
        territory="France",
        source="Arrêtés tarifaires S21 / CRE (primes et tarifs) ; observatoires des prix (coûts)",
        url="https://www.photovoltaique.info/fr/tarifs-dachat-et-autoconsommation/",
        licence="Textes réglementaires (publics) ; valeurs recopiées par le projet",
        files=("primes_et_tarifs_autoconsommation.csv", "cout_installation_pv.csv"),
        snapshot_dirs=("solar_support",),
        read=_read_solar_support,
        description="Subsidy (€/kWc) and surplus tariff (€/kWh) by power bracket with dates; €/kWc installed.",
    )
)


def support_in_force(table: pd.DataFrame, peak_kwc: float, on: str | dt.date | None = None) -> dict:
    """Subsidy, feed-in tariff and installation cost for a system of ``peak_kwc`` on date ``on``
    (default: the newest rows).
    """

    def in_bracket(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[(frame["bracket_min_kwc"] < peak_kwc) & (peak_kwc <= frame["bracket_max_kwc"])]

    rows = in_bracket(table)
    if on is not None:
        when = pd.Timestamp(on)
        rows = rows[
            (rows["effective_from"] <= when) & (rows["effective_to"].isna() | (rows["effective_to"] >= when))
        ]
    if rows.empty:
        msg = f"no subsidy / feed-in row for {peak_kwc} kWc{f' on {on}' if on else ''} in the table"
        raise DataUnavailableError(msg)
    row = rows.sort_values("effective_from").iloc[-1]
    costs = table.attrs.get("installation_costs")
    cost_rows = in_bracket(costs) if costs is not None else costs
    cost_row = cost_rows.iloc[0] if cost_rows is not None and len(cost_rows) else None
    return {
        "prime_eur_per_kwc": float(row["prime_eur_per_kwc"]),
        "surplus_eur_per_kwh": float(row["surplus_eur_per_kwh"]),
        "effective_from": row["effective_from"].date().isoformat(),
        "source": str(row["source"]),
        "install_eur_per_kwc": float(cost_row["install_eur_per_kwc"]) if cost_row is not None else None,
        "install_source": str(cost_row["source"]) if cost_row is not None else None,
    }


# --- The weather of my period, in one call -------------------------------------------------------------------


@dataclass(frozen=True)
class Climate:
    """The weather behind a heating estimate: the place, the hourly weather (``None`` when there is
    none), its daily means, and the monthly climate normals of the nearest reference station (``None``
    when none is near).
    """

    place: tuple[float, float]
    weather: pd.DataFrame | None
    daily_temp: pd.Series | None
    normals: pd.Series | None

    @property
    def sources(self) -> list[Any]:
        """The open data used, for ``show_provenance``."""
        return [x for x in (self.weather, self.normals) if x is not None]


def climate_for(
    start: Any, end: Any, home: str = "", *, territory: Any = "nantes", source: str = "auto"
) -> Climate:
    """The weather of my period at ``home`` (``"lat,lon"``; the territory's centre when empty or
    unreadable) — fetched with ``source="live"``, else the hourly dataset of the territory's ``weather``
    entry if it has one — and the monthly climate normals of the station nearest to the place (the
    dataset that entry names, ``climate-normals`` by default; always offline unless ``source="live"``).
    """
    from selfdata_lib import territories
    from selfdata_lib.geo import parse_latlon
    from selfdata_lib.opendata.climate import normals_near

    here = territories.get(territory)
    place = parse_latlon(home) or here.centre
    weather = weather_for(start, end, source=source, place=place, territory=here)
    normals_name = str((here.source("weather") or {}).get("normals") or "climate-normals")
    table = load(normals_name, source="auto" if source == "live" else source)
    normals = normals_near(table, *place)
    daily = daily_mean_temperature(weather) if weather is not None else None
    return Climate(place, weather, daily, normals)
