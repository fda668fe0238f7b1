"""Water meter exports: the plain CSV that water utilities' customer spaces let you download.

Layout: a header line, then one day per line, ``;``, ``,`` or tab separated::

    date;volume (l)          volume used over the day (litres, or m3 when the header says so)
    01/01/2025;312

Recognised header names: ``date`` / ``jour`` / ``date de relève``; ``volume`` / ``consommation``. The
unit comes from the header (``(m3)``, ``(l)``, ``litres``), litres without one. A value covers the
local day of its date. (Cumulative *index* CSVs are not read yet: their rows are readings, not days.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    ExportFormat,
    ImportReport,
    csv_rows,
    decode_text,
    normalise,
    parse_amount,
    parse_day,
    read_text,
    register_format,
)

TZ = "Europe/Paris"
_DATE = ("date", "jour", "date de releve", "date de la mesure")
_VOLUME = ("volume", "consommation", "volume consomme")


def _header(line: str) -> tuple[str, int, int, str] | None:
    """(separator, date column, volume column, unit) of a water CSV header."""
    for sep in (";", ",", "\t"):
        cols = [normalise(c) for c in line.split(sep)]
        bare = [re.sub(r"\s*\(.*\)|\s+en\s+\w+$", "", c).strip() for c in cols]
        i_date = next((i for i, c in enumerate(bare) if c in _DATE), None)
        i_val = next((i for i, c in enumerate(bare) if c in _VOLUME), None)
        if i_date is not None and i_val is not None:
            return sep, i_date, i_val, "m3" if re.search(r"m3|m\^3|metre", cols[i_val]) else "l"
    return None


def _sniff_water_csv(head: bytes, path: Path) -> bool:
    lines = decode_text(head).splitlines()
    return bool(lines) and _header(lines[0]) is not None


def read_water_csv(path: str | Path) -> pd.DataFrame:
    """Read a water CSV of daily volumes into ``start``, ``end`` (the local day) and ``litres``."""
    path = Path(path)
    lines = read_text(path).splitlines()
    found = _header(lines[0]) if lines else None
    if found is None:
        msg = (f"{path.name}: line 1 should be a header with a date and a volume column "
               "(for example 'date;volume (l)')")
        raise ExportFormatError(msg)
    sep, i_date, i_val, unit = found
    report = ImportReport(path)
    dates, values, where = [], [], []
    for n, fields in csv_rows(lines[1:], 2, sep, report):
        try:
            day = parse_day(fields[i_date]).normalize()
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
