"""Water meter exports: the plain CSV that water utilities' customer spaces let you download.

Layout: a header line, then one day per line, ``;``, ``,`` or tab separated::

    date;volume (l)          volume used over the day (litres, or m3 when the header says so)
    01/01/2025;312

Recognised header names: ``date`` / ``jour`` / ``date de relève``; ``volume`` / ``consommation``. The
unit comes from the header (``(m3)``, ``(l)``, ``litres``), litres without one. A value covers the
local day of its date. (Cumulative *index* CSVs are not read yet: their rows are readings, not days.)
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import ExportFormat, ImportReport, decode_text, naive_local, register_format
from selfdata_lib.exports.bank import normalise, parse_amount

TZ = "Europe/Paris"
_DATE = ("date", "jour", "date de releve", "date de la mesure")
_VOLUME = ("volume", "consommation", "volume consomme")


def _header(line: str) -> tuple[str, int, int, str, str] | None:
    """(separator, date column, value column, 'index'|'volume', unit) of a water CSV header."""
    for sep in (";", ",", "\t"):
        cols = [normalise(c) for c in line.split(sep)]
        bare = [re.sub(r"\s*\(.*\)|\s+en\s+\w+$", "", c).strip() for c in cols]
        i_date = next((i for i, c in enumerate(bare) if c in _DATE), None)
        if i_date is None:
            continue
        for kind, names in (("volume", _VOLUME),):
            i_val = next((i for i, c in enumerate(bare) if c in names), None)
            if i_val is not None:
                head = cols[i_val]
                unit = "m3" if re.search(r"m3|m\^3|metre", head) else "l"
                return sep, i_date, i_val, kind, unit
    return None


def _sniff_water_csv(head: bytes, path: Path) -> bool:
    lines = decode_text(head).splitlines()
    return bool(lines) and _header(lines[0]) is not None


def read_water_csv(path: str | Path) -> pd.DataFrame:
    """Read a water CSV of daily volumes into ``start``, ``end`` (the local day) and ``litres``."""
    path = Path(path)
    raw = path.read_bytes()
    text = raw[3:].decode("utf-8") if raw[:3] == b"\xef\xbb\xbf" else decode_text(raw)
    lines = text.splitlines()
    found = _header(lines[0]) if lines else None
    if found is None:
        msg = (f"{path.name}: line 1 should be a header with a date and an index or volume column "
               "(for example 'date;index (m3)')")
        raise ExportFormatError(msg)
    sep, i_date, i_val, _kind, unit = found
    report = ImportReport(path)
    dates, values, where = [], [], []
    for n, fields in enumerate(csv.reader(io.StringIO("\n".join(lines[1:])), delimiter=sep), start=2):
        if not any(f.strip() for f in fields):
            continue
        report.rows_read += 1
        try:
            raw_date = fields[i_date].strip()
            day = naive_local(pd.to_datetime(raw_date, dayfirst="/" in raw_date, format="mixed")).normalize()
            value = parse_amount(fields[i_val])
        except (IndexError, ValueError):
            report.reject(f"line {n}", "unreadable date or value")
            continue
        if value is None:
            report.reject(f"line {n}", "no value (reading missing)")
            continue
        dates.append(day)
        values.append(value * (1000.0 if unit == "m3" else 1.0))
        where.append(n)
    frame = pd.DataFrame({"day": dates, "value": values, "line": where})
    dup = frame["day"].duplicated(keep="first")
    for n in frame.loc[dup, "line"]:
        report.reject(f"line {n}", "second reading for the same day")
    frame = frame.loc[~dup].sort_values("day", kind="stable")
    negative = frame["value"] < 0
    for n in frame.loc[negative, "line"]:
        report.reject(f"line {n}", "negative volume")
    frame = frame.loc[~negative]
    day = pd.to_datetime(frame["day"])
    result = pd.DataFrame({
        "start": day.dt.tz_localize(TZ, nonexistent="shift_forward"),
        "end": (day + pd.Timedelta(days=1)).dt.tz_localize(TZ, nonexistent="shift_forward"),
        "litres": frame["value"].astype(float)})
    report.notes.append(f"daily volume in {unit}")
    return report.finish(result, kind="water", fmt="water-csv")


register_format(ExportFormat(id="water-csv", kind="water", holder="water utility",
                             title="Water meter CSV (date;volume per day)",
                             sniff=_sniff_water_csv, read=read_water_csv))
