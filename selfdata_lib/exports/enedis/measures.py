"""2023+ layout (customer space "Mes données", UTF-8 or latin-1), one measure per line with the
metadata repeated::

    Date de la mesure;Heure de la mesure;Valeur;Statut de la mesure;PRM;Type de données;Date de début;
    Date de fin;Grandeur métier;Grandeur physique;Statut demandé;Unité;Pas en minutes
    15/01/2024;00:30:00;452;Réel;<PRM>;Courbe de charge;...;W;30

The hour is local wall-clock time marking the *end* of the interval (``24:00``/``00:00`` ends the
day); values are average power (``W``/``kW``) over the step, or energy (``Wh``/``kWh``) for
daily data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    ExportFormat,
    ImportReport,
    csv_rows,
    decode_text,
    line_label,
    normalise,
    parse_amount,
    parse_day,
    read_text,
    register_format,
)
from selfdata_lib.exports.enedis._common import ALLOWED_STEPS_MIN, TZ, infer_steps

_MEASURE_COLS = {
    "date": "date de la mesure",
    "hour": "heure de la mesure",
    "value": "valeur",
    "status": "statut de la mesure",
    "type": "type de donnees",
    "unit": "unite",
    "step": "pas en minutes",
}


def _measure_header(line: str) -> dict[str, int] | None:
    cols = [normalise(c) for c in line.split(";")]
    found = {key: cols.index(name) for key, name in _MEASURE_COLS.items() if name in cols}
    return found if {"date", "value"} <= found.keys() else None


def _sniff_measures(head: bytes, path: Path) -> bool:
    lines = decode_text(head).splitlines()
    return (
        bool(lines)
        and normalise(lines[0]).startswith("date de la mesure;")
        and _measure_header(lines[0]) is not None
    )


def _field(fields: list[str], cols: dict[str, int], key: str) -> str:
    i = cols.get(key)
    return fields[i].strip() if i is not None and i < len(fields) else ""


#: Without any declared unit, a load curve whose median is below this many units is in kW, not W: an
#: inhabited home never draws a median 20 W (standby alone is tens of watts).
KW_IF_MEDIAN_BELOW = 20.0


def _units(frame: pd.DataFrame, report: ImportReport) -> pd.Series:
    """The unit of each measure: its own, else the one the file declares on its first lines (the 2023+
    layout fills the metadata columns once), else — declared nowhere — W for a curve (kW when the
    values are too small to be watts, said in the report) and Wh for daily values.
    """
    unit = frame["unit"].fillna("").str.strip().str.lower()
    declared = unit[unit != ""]
    if len(declared):
        return unit.where(unit != "", declared.iloc[0])
    curve = ~frame["daily"].astype(bool)
    positive = frame.loc[curve & (frame["value"] > 0), "value"]
    curve_unit = "w"
    if len(positive) and float(positive.median()) < KW_IF_MEDIAN_BELOW:
        curve_unit = "kw"
        report.notes.append(
            f"unité non indiquée : valeurs médianes de {float(positive.median()):.3g}, lues en kW "
            "(en W, ce serait moins que la veille d'un logement)"
        )
    return pd.Series(np.where(curve, curve_unit, "wh"), index=frame.index)


def read_enedis_measures_csv(path: str | Path) -> pd.DataFrame:
    """Read the 2023+ Enedis CSV (``Date de la mesure;Heure de la mesure;Valeur;…``), load curve or
    daily values, UTF-8 or latin-1.
    """
    path = Path(path)
    lines = read_text(path).splitlines()
    cols = _measure_header(lines[0]) if lines else None
    if cols is None:
        msg = (
            f"{path.name}: ligne 1 : l'en-tête d'un export Enedis devrait être « Date de la mesure;Heure de "
            "la mesure;Valeur;… »"
        )
        raise ExportFormatError(msg)
    report = ImportReport(path)
    recs: list[dict[str, Any]] = []
    units: set[str] = set()
    for n, fields in csv_rows(lines[1:], 2, ";", report):
        date, hour = _field(fields, cols, "date"), _field(fields, cols, "hour")
        try:
            day = parse_day(date).normalize()
            if hour:
                hh, mm, *_ = (hour + ":00").split(":")
                end = day + pd.Timedelta(hours=int(hh), minutes=int(mm))
            else:
                end = day + pd.Timedelta(days=1)
        except (ValueError, TypeError):
            report.reject(f"ligne {n}", "date ou heure illisible", detail=f"{date} {hour}")
            continue
        raw = _field(fields, cols, "value")
        try:
            value = parse_amount(raw)
        except ValueError:
            report.reject(f"ligne {n}", "valeur qui n'est pas un nombre", detail=repr(raw))
            continue
        if value is None:
            report.reject(f"ligne {n}", "pas de valeur (mesure manquante chez Enedis)")
            continue
        unit_text = _field(fields, cols, "unit")  # often given on the first line only: carried below
        units.add(unit_text)
        step_text = _field(fields, cols, "step")
        recs.append(
            {
                "end": end,
                "value": value,
                "unit": unit_text,
                "daily": not hour,
                "step": float(step_text) if step_text.replace(".", "", 1).isdigit() else np.nan,
                "status": _field(fields, cols, "status"),
                "line": n,
            }
        )
    frame = pd.DataFrame(recs, columns=["end", "value", "unit", "daily", "step", "status", "line"])
    frame["end"] = pd.to_datetime(frame["end"])
    # local wall-clock times, in file order: the repeated hour of the October change comes twice
    # (summer time first), which is how the offset is inferred
    try:
        end = frame["end"].dt.tz_localize(TZ, ambiguous="infer", nonexistent="NaT")
    except (ValueError, TypeError):
        end = frame["end"].dt.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT")
    bad = end.isna()
    report.reject_positions(
        frame.loc[bad, "line"],
        "heure qui n'existe pas ou ne se place pas (changement d'heure)",
        where=line_label,
    )
    frame, end = frame.loc[~bad], end[~bad]
    dup = end.duplicated(keep="first")
    report.reject_positions(frame.loc[dup, "line"], "horodatage en double", where=line_label)
    frame, end = frame.loc[~dup], end[~dup]
    order = np.argsort(end.to_numpy(), kind="stable")
    frame, end = frame.iloc[order], end.iloc[order]
    daily = frame["daily"].astype(bool).to_numpy()
    step = frame["step"].to_numpy(dtype=float)
    step = np.where(np.isin(step, ALLOWED_STEPS_MIN), step, np.nan)  # a declared step must be a real one
    inferred = infer_steps(end.dt.tz_convert("UTC").dt.tz_localize(None))
    step = np.where(np.isnan(step), inferred, step)
    step = np.where(daily, 1440.0, step)
    unit = _units(frame, report)
    value = frame["value"].to_numpy(dtype=float)
    kwh = np.select(
        [unit.eq("w"), unit.eq("kw"), unit.eq("wh"), unit.eq("kwh")],
        [value * step / 60 / 1000, value * step / 60, value / 1000, value],
        np.nan,
    )
    start_curve = end - pd.to_timedelta(step, unit="min")
    out = pd.DataFrame({"start": start_curve, "end": end, "kwh": kwh, "status": frame["status"]})
    if daily.any():  # a day is the local day before the end date, whatever its length (23/25 h)
        local = end.dt.tz_localize(None) - pd.Timedelta(days=1)
        out.loc[daily, "start"] = local[daily].dt.tz_localize(
            TZ, ambiguous=False, nonexistent="shift_forward"
        )
    bad_unit = np.isnan(kwh)
    report.reject_positions(
        frame.loc[bad_unit, "line"], "unité inconnue (W, kW, Wh ou kWh attendus)", where=line_label
    )
    out = out.loc[~bad_unit]
    report.notes.append(
        f"unités déclarées : {', '.join(sorted(u for u in units if u)) or 'aucune'} ; pas de temps lu dans "
        "« Pas en minutes » ou déduit des horodatages"
    )
    return report.finish(
        out,
        kind="electricity",
        fmt="enedis-csv-measures",
        resolution="daily" if daily.all() and len(daily) else "load curve",
    )


register_format(
    ExportFormat(
        id="enedis-csv-measures",
        kind="electricity",
        holder="Enedis",
        title="Enedis Linky CSV, présentation 2023+ (Date de la mesure;Heure de la mesure;Valeur…)",
        sniff=_sniff_measures,
        read=read_enedis_measures_csv,
    )
)
