"""Enedis Linky exports, continued: the "Index" CSV and the 2023+ "mesures" CSV layout.

Index CSV (SGE / customer space, UTF-8 with BOM, ``;``), three blocks one after the other::

    Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;...;Unite
    <PRM>;Index;20/10/2020;02/02/2022;Energie active;Consommation;Comptage Brut;
    Horodate;Type de releve;EAS F1;...;EAS F10;EAS D1;...;EAS D4;EAS T
    2021-01-09T23:00:00+01:00;Arrêté quotidien;74071;;...;74071        daily index in Wh
    Periode;Identifiant calendrier fournisseur;Libelle calendrier fournisseur;...   calendar block
    Du 2021-01-08T23:00:00+01:00 au;FC000165;Base;...
    Identifiant PRM;Type de donnees;...                                  max-power block
    <PRM>;Puissance maximale quotidienne;...;W
    Horodate;Valeur
    2022-02-01T08:18:09+01:00;5125

A daily index is read at (about) local midnight; consecutive indexes give the energy of the days
between them. ``read_enedis_index`` returns those intervals (kind ``electricity``),
``read_enedis_max_power`` the daily maximum power.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    ExportFormat,
    ImportReport,
    csv_rows,
    decode_text,
    index_intervals,
    read_text,
    register_format,
)
from selfdata_lib.exports.enedis._common import _META_HEADER, TZ


def _sniff_index(head: bytes, path: Path) -> bool:
    lines = decode_text(head).splitlines()
    return len(lines) >= 3 and lines[0].startswith(_META_HEADER) and lines[1].split(";")[1:2] == ["Index"]


def _blocks(path: Path) -> dict[str, tuple[int, list[str]]]:
    """The blocks of an Index export: name → (line number of its first data line, its lines)."""
    lines = read_text(path).splitlines()
    if len(lines) < 3 or not lines[0].startswith(_META_HEADER):
        msg = f"{path.name}: ligne 1 : un export Enedis commence par « {_META_HEADER} »"
        raise ExportFormatError(msg)
    if lines[1].split(";")[1:2] != ["Index"]:
        msg = f"{path.name}: ligne 2 : le deuxième champ devrait dire « Index » (export Index d'Enedis)"
        raise ExportFormatError(msg)
    if not lines[2].startswith("Horodate;Type de releve"):
        msg = f"{path.name}: ligne 3 : l'en-tête des index devrait être « Horodate;Type de releve;EAS F1;… »"
        raise ExportFormatError(msg)
    blocks: dict[str, tuple[int, list[str]]] = {}
    name, first, current = "index", 4, [lines[2]]
    i = 3
    while i < len(lines):
        line = lines[i]
        if line.startswith("Periode;"):
            blocks[name] = (first, current)
            name, first, current = "calendar", i + 2, [line]
        elif line.startswith(_META_HEADER):
            blocks[name] = (first, current)
            meta = lines[i + 1].split(";") if i + 1 < len(lines) else []
            name = (
                "max_power"
                if len(meta) > 1 and meta[1].startswith("Puissance maximale")
                else (meta[1] if len(meta) > 1 else "unknown")
            )
            current = [lines[i + 2]] if i + 2 < len(lines) else [""]
            first = i + 4
            i += 3
            continue
        else:
            current.append(line)
        i += 1
    blocks[name] = (first, current)
    return blocks


def _reading_day(ts: pd.Series) -> pd.Series:
    """Index timestamps (written at 22:00 or 23:00 UTC whatever the season) as the local midnight
    they stand for.
    """
    local = ts.dt.tz_convert(TZ).dt.tz_localize(None)
    return (local + pd.Timedelta(hours=12)).dt.floor("D")


def read_enedis_index(path: str | Path) -> pd.DataFrame:
    """Daily energy from the daily indexes (``EAS T``, Wh) of an Enedis Index CSV.

    Each row is an index reading; a reading closes the interval opened by the previous one (several
    days when readings are missing). The first reading only opens the first interval: it is counted
    as rejected with that reason, so ``rows_read == rows_kept + rows_rejected`` holds. Attributes
    also carry the supplier ``calendars`` (periods and their time classes).
    """
    path = Path(path)
    blocks = _blocks(path)
    first, lines = blocks["index"]
    header = lines[0].split(";")
    try:
        i_total = header.index("EAS T")
    except ValueError as exc:
        msg = f"{path.name}: ligne 3 : pas de colonne « EAS T » (l'index total)"
        raise ExportFormatError(msg) from exc
    i_dist = [i for i, h in enumerate(header) if h.startswith("EAS D")]
    report = ImportReport(path)
    times, values, where = [], [], []
    for n, fields in csv_rows(lines[1:], first, ";", report):
        ts = pd.to_datetime(fields[0], utc=True, errors="coerce", format="ISO8601")
        if pd.isna(ts):
            report.reject(f"ligne {n}", "horodatage illisible", detail=repr(fields[0]))
            continue
        total = fields[i_total].strip() if len(fields) > i_total else ""
        if not total and i_dist:  # no total: the distributor registers add up to it
            parts = [fields[i].strip() for i in i_dist if len(fields) > i and fields[i].strip()]
            try:
                total = str(sum(float(p.replace(",", ".")) for p in parts)) if parts else ""
            except ValueError:
                report.reject(f"ligne {n}", "index qui n'est pas un nombre", detail=repr(parts))
                continue
        if not total:
            report.reject(f"ligne {n}", "pas d'index (relevé manquant chez Enedis)")
            continue
        try:
            value = float(total.replace(",", "."))
        except ValueError:
            report.reject(f"ligne {n}", "index qui n'est pas un nombre", detail=repr(total))
            continue
        times.append(ts)
        values.append(value)
        where.append(n)
    readings = pd.DataFrame(
        {
            "day": _reading_day(pd.to_datetime(pd.Series(times, dtype=object), utc=True)),
            "value": values,
            "line": where,
        }
    )
    intervals = index_intervals(readings, report)
    out = pd.DataFrame(
        {
            "start": intervals["start"].dt.tz_localize(TZ, ambiguous=False, nonexistent="shift_forward"),
            "end": intervals["end"].dt.tz_localize(TZ, ambiguous=False, nonexistent="shift_forward"),
            "kwh": intervals["amount"] / 1000.0,
            "index_wh": intervals["index"],
        }
    )
    calendars = []
    if "calendar" in blocks:
        _, cal_lines = blocks["calendar"]
        for fields in (ln.split(";") for ln in cal_lines[1:] if ln.strip()):
            period = fields[0].removeprefix("Du ").split(" au")
            calendars.append(
                {
                    "from": period[0].strip(),
                    "to": period[1].strip() if len(period) > 1 else "",
                    "supplier_calendar": fields[1] if len(fields) > 1 else "",
                    "label": fields[2] if len(fields) > 2 else "",
                    "classes": [c for c in fields[4:33:3] if c.strip()],
                }
            )
    report.notes.append("énergie du jour = différence de deux index quotidiens successifs (EAS T, Wh)")
    return report.finish(out, kind="electricity", fmt="enedis-csv-index", calendars=calendars)


def read_enedis_max_power(path: str | Path) -> pd.DataFrame:
    """The "Puissance maximale quotidienne" block of an Enedis Index CSV: ``time`` of the daily
    maximum and ``power`` (W or VA, see ``attrs["unit"]``); days without a value are left out.
    """
    path = Path(path)
    blocks = _blocks(path)
    if "max_power" not in blocks:
        return pd.DataFrame(
            {"time": pd.Series([], dtype=f"datetime64[ns, {TZ}]"), "power": pd.Series([], dtype=float)}
        )
    _, lines = blocks["max_power"]
    rows = [ln.split(";") for ln in lines[1:] if ln.strip()]
    frame = pd.DataFrame([r[:2] for r in rows if len(r) >= 2], columns=["time", "power"])
    frame["time"] = pd.to_datetime(frame["time"], utc=True, errors="coerce", format="ISO8601").dt.tz_convert(
        TZ
    )
    frame["power"] = pd.to_numeric(frame["power"], errors="coerce")
    frame = frame.dropna().reset_index(drop=True)
    meta = read_text(path).splitlines()
    unit = next(
        (ln.split(";")[7] for ln in meta if ";Puissance maximale" in ln and len(ln.split(";")) > 7), "W"
    )
    frame.attrs = {"unit": unit or "W", "source_file": str(path)}
    return frame


register_format(
    ExportFormat(
        id="enedis-csv-index",
        kind="electricity",
        holder="Enedis",
        title="Enedis Linky, index CSV (index quotidiens, calendriers, puissance maximale)",
        sniff=_sniff_index,
        read=read_enedis_index,
    )
)
