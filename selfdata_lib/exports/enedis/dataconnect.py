"""Enedis Data Connect JSON (the Enedis API, as handed out by the customer space or a proxy): daily
Wh or load curve W.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    ExportFormat,
    ImportReport,
    as_dict,
    decode_text,
    load_json,
    register_format,
)
from selfdata_lib.exports.enedis._common import TZ


def _sniff_dataconnect(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return text.startswith("{") and '"meter_reading"' in text[:400] and '"interval_reading"' in text


_DURATIONS = {"PT5M": 5, "PT10M": 10, "PT15M": 15, "PT30M": 30, "PT60M": 60, "PT1H": 60}


def _localize(naive: pd.Series) -> pd.Series:
    """Local wall-clock times (Europe/Paris) to aware ones; the repeated hour of October is inferred
    from the order of the readings, an impossible time (March) becomes NaT.
    """
    try:
        return naive.dt.tz_localize(TZ, ambiguous="infer", nonexistent="NaT")
    except (ValueError, TypeError):  # out of order or gaps around the change: cannot infer
        return naive.dt.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT")


def read_enedis_dataconnect(path: str | Path) -> pd.DataFrame:
    """Read an Enedis Data Connect JSON: daily consumption (Wh, ``P1D``) or load curve (W average,
    ``interval_length``), values as strings. Load-curve dates are the local *end* of the interval.
    """
    path = Path(path)
    data = load_json(path, "un export Enedis Data Connect (meter_reading.interval_reading)")
    reading = as_dict(as_dict(data).get("meter_reading"))
    items = reading.get("interval_reading")
    rtype = as_dict(reading.get("reading_type"))
    if "interval_reading" not in reading:
        msg = f"{path.name}: pas de meter_reading.interval_reading ; attendu : un export Enedis Data Connect"
        raise ExportFormatError(msg)
    if not isinstance(items, list):
        msg = f"{path.name}: meter_reading.interval_reading devrait être une liste de mesures"
        raise ExportFormatError(msg)
    report = ImportReport(path)
    report.rows_read = len(items)
    frame = pd.DataFrame(
        [
            {
                k: (v if isinstance(v, (str, int, float)) and not isinstance(v, bool) else None)
                for k, v in i.items()
            }
            if isinstance(i, dict)
            else {}
            for i in items
        ],
        columns=["value", "date", "interval_length"],
    )
    values = pd.to_numeric(frame["value"], errors="coerce")
    daily = (rtype.get("measuring_period") == "P1D" or rtype.get("measurement_kind") == "energy") and not any(
        isinstance(i, dict) and "interval_length" in i for i in items[:5]
    )
    unit = rtype.get("unit") if isinstance(rtype.get("unit"), str) else None
    if not unit:  # declared nowhere: Wh a day, W for a curve — unless the values are too small for watts
        positive = values[values > 0]
        unit = "Wh" if daily else ("kW" if len(positive) and float(positive.median()) < 20 else "W")
        report.notes.append(f"unité non indiquée (reading_type.unit) : valeurs lues en {unit}")
    if daily:
        day = pd.to_datetime(frame["date"], errors="coerce", format="%Y-%m-%d")
        start = _localize(day)
        end = _localize(day + pd.Timedelta(days=1))
        kwh = values / (1000.0 if unit == "Wh" else 1.0)
        fmt = "enedis-dataconnect-daily"
    else:
        local_end = pd.to_datetime(frame["date"], errors="coerce", format="%Y-%m-%d %H:%M:%S")
        end = _localize(local_end)
        minutes = frame["interval_length"].map(_DURATIONS).astype(float).fillna(30.0)
        start = end - pd.to_timedelta(minutes, unit="min")
        kwh = values * (1000.0 if unit == "kW" else 1.0) * minutes / 60.0 / 1000.0
        fmt = "enedis-dataconnect-load-curve"
    bad_value = values.isna()
    bad_time = start.isna() | end.isna()
    for mask, reason in (
        (bad_time, "unreadable or impossible date"),
        (bad_value & ~bad_time, "valeur qui n'est pas un nombre"),
    ):
        report.reject_positions(
            np.flatnonzero(mask.to_numpy()),
            reason,
            where=lambda i: f"interval_reading[{i}]",
            detail=lambda i: repr(frame["date"].iat[i]),
        )
    keep = ~(bad_value | bad_time)
    out = pd.DataFrame({"start": start[keep], "end": end[keep], "kwh": kwh[keep]})
    dup = out["end"].duplicated()
    if dup.any():
        report.reject_positions(out.index[dup], "date en double", where=lambda i: f"interval_reading[{i}]")
        out = out[~dup]
    out = out.sort_values("end", kind="stable")
    return report.finish(out, kind="electricity", fmt=fmt)


def _sniff_dataconnect_curve(head: bytes, path: Path) -> bool:
    return _sniff_dataconnect(head, path) and '"interval_length"' in decode_text(head)


def _sniff_dataconnect_daily(head: bytes, path: Path) -> bool:
    return _sniff_dataconnect(head, path) and '"interval_length"' not in decode_text(head)


register_format(
    ExportFormat(
        id="enedis-dataconnect-load-curve",
        kind="electricity",
        holder="Enedis",
        title="Enedis Data Connect JSON, courbe de charge (W moyens par intervalle)",
        sniff=_sniff_dataconnect_curve,
        read=read_enedis_dataconnect,
    )
)
register_format(
    ExportFormat(
        id="enedis-dataconnect-daily",
        kind="electricity",
        holder="Enedis",
        title="Enedis Data Connect JSON, consommation quotidienne (Wh)",
        sniff=_sniff_dataconnect_daily,
        read=read_enedis_dataconnect,
    )
)
