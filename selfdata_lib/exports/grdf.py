"""GRDF Gazpar exports: the customer-space XLSX (daily and monthly) and the monespace JSON.

XLSX ("Données informatives et détaillées"): a title in B1, "Export du dd/mm/yyyy" in E1, the header
on row 9 from column B, data from row 10; dates and numbers may be text; monthly sheets give French
month names ("Novembre 2020 "). A daily reading covers the *gas day* starting on its date at 06:00.

JSON (``/api/e-conso/pce/consommation/informatives`` or ``/publiees``): ``{PCE: {"releves": [...]}}``
with ``dateDebutReleve``/``dateFinReleve``, ``energieConsomme`` (kWh), ``volumeBrutConsomme`` (m3).

ADICT v2 (the GRDF API for authorised third parties, ``donnees_consos_informatives`` /
``donnees_consos_publiees``): NDJSON, one JSON object per line ``{"pce": {"id_pce"}, "periode",
"releve_debut", "releve_fin", "consommation": {"date_debut_consommation", "date_fin_consommation",
"volume_brut", "energie", "coeff_calcul": {"coeff_conversion"}, "type_qualif_conso", ...},
"statut_restitution"}``; ``consommation`` is null when nothing was published for the period (the
reason is in ``statut_restitution``). Plain dates mean the gas day starting at 06:00.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas._libs.tslibs.nattype import NaTType

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    BAD_VALUE,
    ExportFormat,
    ImportReport,
    as_dict,
    decode_text,
    load_json,
    normalise,
    parse_amount,
    parse_instant,
    register_format,
)

TZ = "Europe/Paris"
GAS_DAY_START_H = 6
MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
_GAS = ("start", "end", "kwh", "m3")


def _xlsx_rows(path: Path, max_rows: int | None = None) -> list[tuple]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken zip
        msg = f"{path.name}: classeur XLSX illisible ({type(exc).__name__}: {str(exc)[:120]}) ; téléchargez-le de nouveau"
        raise ExportFormatError(msg) from exc
    try:
        ws = wb.worksheets[0]
        return list(ws.iter_rows(max_row=max_rows, values_only=True))
    finally:
        wb.close()


def _header_row(rows: list[tuple]) -> tuple[int, list[str]] | None:
    for i, row in enumerate(rows[:20]):
        cells = [normalise(c) for c in row]
        if "date de releve" in cells:
            return i, cells
    return None


def _sniff_xlsx(head: bytes, path: Path) -> bool:
    if not head.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            if "xl/workbook.xml" not in zf.namelist():
                return False
    except zipfile.BadZipFile:
        return False
    rows = _xlsx_rows(path, max_rows=12)
    return (
        any("donnees informatives" in normalise(c) for row in rows[:2] for c in row)
        and _header_row(rows) is not None
    )


def _number(value: Any) -> float:
    """A number as the exports write it (``44``, ``"44,5"``), NaN when it is none (or not finite)."""
    if value is None or value == "" or isinstance(value, (bool, dict, list)):
        return np.nan
    try:
        parsed = float(value) if isinstance(value, (int, float)) else parse_amount(str(value))
    except BAD_VALUE:
        return np.nan
    return np.nan if parsed is None or not np.isfinite(parsed) else parsed


def read_grdf_xlsx(path: str | Path) -> pd.DataFrame:
    """Read a GRDF customer-space XLSX, daily or monthly, into ``start``, ``end``, ``kwh``, ``m3``."""
    path = Path(path)
    rows = _xlsx_rows(path)
    found = _header_row(rows)
    if found is None:
        msg = f"{path.name}: pas d'en-tête « Date de relevé » dans les 20 premières lignes ; attendu : un export GRDF Gazpar"
        raise ExportFormatError(msg)
    at, cells = found
    col = {name: cells.index(name) for name in cells if name}
    i_date = col["date de releve"]
    i_m3 = col.get("volume consomme (m3)")
    i_kwh = col.get("energie consommee (kwh)")
    if i_kwh is None:
        msg = f"{path.name}: ligne {at + 1} : pas de colonne « Energie consommée (kWh) »"
        raise ExportFormatError(msg)
    monthly = "index de debut de periode (m3)" not in col
    report = ImportReport(path)
    out = []
    for r, row in enumerate(rows[at + 1 :], start=at + 2):
        if row is None or all(c in (None, "") for c in row):
            continue
        report.rows_read += 1
        raw_date = row[i_date] if i_date < len(row) else None
        kwh = _number(row[i_kwh]) if i_kwh < len(row) else np.nan
        m3 = _number(row[i_m3]) if i_m3 is not None and i_m3 < len(row) else np.nan
        if monthly:
            m = re.match(r"([a-z]+) (\d{4})", normalise(raw_date))
            if not m or m.group(1) not in MONTHS:
                report.reject(f"rangée {r}", "mois illisible", detail=repr(raw_date))
                continue
            try:
                start = pd.Timestamp(int(m.group(2)), MONTHS[m.group(1)], 1).as_unit("ns")
            except BAD_VALUE:
                report.reject(f"rangée {r}", "mois illisible", detail=repr(raw_date))
                continue
            end = start + pd.offsets.MonthBegin(1)
        else:
            try:
                day = (
                    pd.Timestamp(raw_date)
                    if isinstance(raw_date, dt.date)  # a date cell (openpyxl: date or datetime)
                    else pd.to_datetime(str(raw_date).strip(), format="%d/%m/%Y")
                )
                day = day.as_unit("ns")
            except BAD_VALUE:
                report.reject(f"rangée {r}", "date illisible", detail=repr(raw_date))
                continue
            start = day.normalize() + pd.Timedelta(hours=GAS_DAY_START_H)
            end = start + pd.Timedelta(days=1)
        if np.isnan(kwh):
            report.reject(f"rangée {r}", "pas d'énergie (relevé manquant)")
            continue
        out.append({"start": start, "end": end, "kwh": kwh, "m3": m3})
    frame = pd.DataFrame(out, columns=list(_GAS))
    for c in ("start", "end"):
        frame[c] = pd.to_datetime(frame[c]).dt.tz_localize(TZ, ambiguous="NaT", nonexistent="shift_forward")
    return report.finish(frame, kind="gas", fmt="grdf-xlsx-monthly" if monthly else "grdf-xlsx-daily")


def _gas_readings(rows: list[dict[str, Any]], report: ImportReport, fmt: str) -> pd.DataFrame:
    """Readings of one or several PCE (``start``, ``end``, ``kwh``, ``m3``, ``pce``, ``quality``) in
    local time, in time order.
    """
    frame = pd.DataFrame(rows, columns=[*_GAS, "pce", "quality"])
    for c in ("start", "end"):
        frame[c] = pd.to_datetime(frame[c], utc=True).dt.tz_convert(TZ)
    return report.finish(frame.sort_values("start", kind="stable"), kind="gas", fmt=fmt)


def _sniff_json(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return text.startswith("{") and '"releves"' in text[:3000] and '"idPce"' in text[:3000]


def read_grdf_json(path: str | Path) -> pd.DataFrame:
    """Read monespace GRDF JSON (informatives or publiées) for every PCE in the file."""
    path = Path(path)
    data = load_json(path, "un export GRDF de l'espace client (monespace, JSON)")
    if not isinstance(data, dict):
        msg = f"{path.name}: attendu : un objet JSON dont les clés sont les numéros de PCE (export GRDF)"
        raise ExportFormatError(msg)
    report = ImportReport(path)
    out = []
    for pce, block in data.items():
        releves = block.get("releves") if isinstance(block, dict) else None
        if not isinstance(releves, list):
            msg = f"{path.name}: le PCE {pce!r} n'a pas de liste « releves »"
            raise ExportFormatError(msg)
        for i, rel in enumerate(releves):
            report.rows_read += 1
            rel = rel if isinstance(rel, dict) else {}
            start, end = parse_instant(rel.get("dateDebutReleve")), parse_instant(rel.get("dateFinReleve"))
            kwh, m3 = _number(rel.get("energieConsomme")), _number(rel.get("volumeBrutConsomme"))
            if pd.isna(start) or pd.isna(end):
                report.reject(f"{pce} releve {i}", "pas de date de début ou de fin")
                continue
            if np.isnan(kwh):
                report.reject(
                    f"{pce} releve {i}", "pas d'énergie", detail=str(rel.get("qualificationReleve") or "")
                )
                continue
            out.append(
                {
                    "start": start,
                    "end": end,
                    "kwh": kwh,
                    "m3": m3,
                    "pce": str(pce),
                    "quality": str(rel.get("qualificationReleve") or ""),
                }
            )
    return _gas_readings(out, report, "grdf-json")


register_format(
    ExportFormat(
        id="grdf-xlsx",
        kind="gas",
        holder="GRDF",
        title="GRDF Gazpar, tableur de l'espace client (jour ou mois)",
        sniff=_sniff_xlsx,
        read=read_grdf_xlsx,
    )
)
register_format(
    ExportFormat(
        id="grdf-json",
        kind="gas",
        holder="GRDF",
        title="GRDF monespace JSON (informatives / publiées)",
        sniff=_sniff_json,
        read=read_grdf_json,
    )
)


# --- ADICT v2 NDJSON ----------------------------------------------------------------------------------


def _sniff_adict(head: bytes, path: Path) -> bool:
    first = decode_text(head).lstrip().split("\n", 1)[0]
    return (
        first.startswith("{")
        and '"pce"' in first
        and ('"consommation"' in first or '"statut_restitution"' in first)
    )


def _adict_time(value: Any) -> pd.Timestamp | NaTType:
    """``2021-01-01T06:00:00+01:00`` as is; a bare ``2021-01-01`` is the gas day's 06:00 local."""
    if not isinstance(value, str) or not value.strip():
        return pd.NaT
    text = value.strip()
    try:
        ts = pd.Timestamp(text)
        if ts.tzinfo is not None:
            return ts.tz_convert(TZ).as_unit("ns")
        if len(text) <= 10:
            ts += pd.Timedelta(hours=GAS_DAY_START_H)
        return ts.tz_localize(TZ, ambiguous=False, nonexistent="shift_forward").as_unit("ns")
    except BAD_VALUE:
        return pd.NaT


def read_grdf_adict(path: str | Path) -> pd.DataFrame:
    """Read GRDF ADICT v2 NDJSON (informative daily or published consumptions) for every PCE."""
    path = Path(path)
    text = decode_text(path.read_bytes())
    report = ImportReport(path)
    rows = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        report.rows_read += 1
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            if n == 1:
                msg = f"{path.name}: ligne 1 : pas du JSON ({str(exc)[:80]}) ; attendu : un export GRDF ADICT (NDJSON)"
                raise ExportFormatError(msg) from exc
            report.reject(f"ligne {n}", "pas un objet JSON (ligne tronquée ?)")
            continue
        if not isinstance(record, dict) or "pce" not in record:
            if n == 1:
                msg = f"{path.name}: ligne 1 : pas d'objet « pce » ; attendu : un export GRDF ADICT (NDJSON)"
                raise ExportFormatError(msg)
            report.reject(f"ligne {n}", "pas un relevé de consommation ADICT")
            continue
        conso = record.get("consommation")
        if not isinstance(conso, dict):
            status = as_dict(record.get("statut_restitution"))
            detail = str(status.get("message", status))[:120] if status else ""
            report.reject(f"ligne {n}", "aucune consommation publiée pour la période", detail=detail)
            continue
        periode = as_dict(record.get("periode"))
        start = _adict_time(conso.get("date_debut_consommation") or periode.get("date_debut"))
        end = _adict_time(conso.get("date_fin_consommation") or periode.get("date_fin"))
        kwh, m3 = _number(conso.get("energie")), _number(conso.get("volume_brut"))
        if pd.isna(start) or pd.isna(end):
            report.reject(f"ligne {n}", "pas de date de début ou de fin")
            continue
        if np.isnan(kwh):
            coeff = _number(as_dict(conso.get("coeff_calcul")).get("coeff_conversion"))
            if np.isnan(m3) or np.isnan(coeff):
                report.reject(f"ligne {n}", "pas d'énergie")
                continue
            kwh = m3 * coeff
        pce = as_dict(record.get("pce")).get("id_pce", "")
        rows.append(
            {
                "start": start,
                "end": end,
                "kwh": kwh,
                "m3": m3,
                "pce": str(pce),
                "quality": str(conso.get("type_qualif_conso") or ""),
            }
        )
    return _gas_readings(rows, report, "grdf-adict-ndjson")


register_format(
    ExportFormat(
        id="grdf-adict-ndjson",
        kind="gas",
        holder="GRDF",
        title="GRDF ADICT v2 NDJSON (consommations informatives / publiées)",
        sniff=_sniff_adict,
        read=read_grdf_adict,
    )
)
