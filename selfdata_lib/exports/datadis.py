"""Datadis: the hourly consumption every Spanish electricity consumer can download (datadis.es, the
distributors' common platform), and the same CSV handed out by the distributors (e-distribución, i-DE…)
and read by the CNMC's bill simulator.

Layout (``;``, decimal comma, one line per hour)::

    CUPS;Fecha;Hora;Consumo_kWh;Metodo_obtencion
    ES0031400000000000JJ0F;01/01/2025;1;0,183;R

``Fecha`` is the local date (``DD/MM/YYYY``; Datadis' own download writes ``YYYY/MM/DD``), ``Hora`` the
hour of that day *ending* the interval — ``1`` is 00:00–01:00 — counted ``1…23`` on the spring day
and ``1…25`` on the autumn day (Datadis writes ``01:00 … 24:00``), ``Consumo_kWh`` the energy of the
hour and ``Metodo_obtencion`` ``R`` (real) or ``E`` (estimated by the distributor). Header names vary
in case and spelling (``consumo_kWh``, ``metodoObtencion``, a trailing ``energiaVertida_kWh`` for
self-consumers): columns are found by name. A file may hold several supply points (CUPS): the one with
the most hours is kept, the others' rows rejected with their reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    ExportFormat,
    ImportReport,
    csv_rows,
    decode_text,
    normalise,
    parse_amount,
    read_text,
    register_format,
)

TZ = "Europe/Madrid"
#: Column names (normalised, ``_`` and spaces removed) → role.
_COLUMNS = {
    "cups": "cups",
    "fecha": "date",
    "hora": "hour",
    "consumokwh": "kwh",
    "consumo": "kwh",
    "aekwh": "kwh",
    "metodoobtencion": "method",
    "metodo": "method",
    "realestimada": "method",
}
_HOUR = re.compile(r"^(\d{1,2})(?::00)?$")


def _roles(line: str) -> dict[str, int]:
    """``{role: column}`` of a Datadis header line (empty when it is not one)."""
    cols = [re.sub(r"[\s_()]", "", normalise(c)) for c in line.split(";")]
    roles: dict[str, int] = {}
    for i, col in enumerate(cols):
        role = _COLUMNS.get(col)
        if role and role not in roles:
            roles[role] = i
    return roles if {"cups", "date", "hour", "kwh"} <= set(roles) else {}


def _sniff_datadis(head: bytes, path: Path) -> bool:
    lines = decode_text(head).splitlines()
    return bool(lines) and bool(_roles(lines[0]))


def _day(text: str) -> pd.Timestamp:
    """``01/01/2025`` or ``2025/01/01`` (also with ``-``) as a naive date."""
    t = text.strip().strip('"')
    m = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", t)
    if m:
        return pd.Timestamp(int(m[3]), int(m[2]), int(m[1]))
    m = re.fullmatch(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})", t)
    if m:
        return pd.Timestamp(int(m[1]), int(m[2]), int(m[3]))
    msg = f"not a date: {text!r}"
    raise ValueError(msg)


def _hour(text: str) -> int:
    """``1``…``25`` or ``01:00``…``24:00`` (the hour ending the interval)."""
    m = _HOUR.fullmatch(text.strip().strip('"'))
    if not m or not 1 <= int(m[1]) <= 25:
        msg = f"not an hour 1–25: {text!r}"
        raise ValueError(msg)
    return int(m[1])


def read_datadis_csv(path: str | Path) -> pd.DataFrame:
    """Read a Datadis (or Spanish distributor's) hourly consumption CSV.

    Returns
    -------
    Frame with ``start``, ``end`` (Europe/Madrid), ``kwh``, ``power_w`` and ``estimated`` (the
    distributor's method ``E``); unreadable, empty, negative, duplicate hours and other supply points'
    rows are counted as rejected, with their line, in ``attrs["import_report"]``.
    """
    path = Path(path)
    lines = read_text(path).splitlines()
    roles = _roles(lines[0]) if lines else {}
    if not roles:
        msg = (
            f"{path.name}: ligne 1 : un export Datadis commence par l'en-tête "
            "« CUPS;Fecha;Hora;Consumo_kWh;Metodo_obtencion », trouvé "
            f"{(lines[0][:60] if lines else '')!r}"
        )
        raise ExportFormatError(msg)
    report = ImportReport(path)
    width = max(roles.values()) + 1
    rows: list[tuple[int, str, pd.Timestamp, int, float, bool]] = []
    for n, fields in csv_rows(lines[1:], 2, ";", report):
        if len(fields) < width:
            report.reject(f"ligne {n}", "ligne incomplète (il manque des colonnes)")
            continue
        try:
            day, hour = _day(fields[roles["date"]]), _hour(fields[roles["hour"]])
        except ValueError:
            detail = f"{fields[roles['date']]!r} {fields[roles['hour']]!r}"
            report.reject(f"ligne {n}", "date ou heure illisible", detail=detail)
            continue
        try:
            kwh = parse_amount(fields[roles["kwh"]])
        except ValueError:
            report.reject(
                f"ligne {n}", "consommation qui n'est pas un nombre", detail=repr(fields[roles["kwh"]])
            )
            continue
        if kwh is None:
            report.reject(f"ligne {n}", "pas de valeur (mesure manquante)")
            continue
        if not np.isfinite(kwh) or kwh < 0:
            report.reject(f"ligne {n}", "consommation négative ou infinie", detail=repr(fields[roles["kwh"]]))
            continue
        method = fields[roles["method"]].strip().strip('"').upper() if "method" in roles else "R"
        rows.append((n, fields[roles["cups"]].strip().strip('"'), day, hour, kwh, method.startswith("E")))
    frame = pd.DataFrame(rows, columns=["line", "cups", "day", "hour", "kwh", "estimated"])
    counts = frame["cups"].value_counts()
    if len(counts) > 1:
        main = counts.index[0]
        other = frame["cups"] != main
        for n, cups in frame.loc[other, ["line", "cups"]].itertuples(index=False):
            report.reject(f"ligne {n}", "autre point de livraison que celui gardé", detail=str(cups))
        report.notes.append(f"plusieurs CUPS dans le fichier : seul {main} (le plus d'heures) est gardé")
        frame = frame.loc[~other]
    # local midnight of the day, then elapsed hours: the 23- and 25-hour days fall into place
    midnight = pd.DatetimeIndex(frame["day"]).tz_localize(TZ, ambiguous="NaT", nonexistent="NaT")
    start = midnight.tz_convert("UTC") + pd.to_timedelta(frame["hour"].to_numpy() - 1, unit="h")
    frame = frame.assign(start=pd.Series(start, index=frame.index).dt.tz_convert(TZ))
    bad = frame["start"].isna()
    for n in frame.loc[bad, "line"]:
        report.reject(f"ligne {n}", "date ou heure illisible")
    frame = frame.loc[~bad]
    # an hour past the day's end (25 on an ordinary day, 24 on the spring day) would fall on the next
    # day's first hour and push the real one out as a duplicate
    day_start = pd.DatetimeIndex(frame["day"]).tz_localize(TZ)
    day_end = pd.DatetimeIndex(frame["day"] + pd.Timedelta(days=1)).tz_localize(TZ)
    day_hours = pd.Series((day_end - day_start) / pd.Timedelta(hours=1), index=frame.index)
    late = frame["hour"] > day_hours
    for n, day, hour, length in zip(
        frame.loc[late, "line"], frame.loc[late, "day"], frame.loc[late, "hour"], day_hours[late], strict=True
    ):
        report.reject(
            f"ligne {n}",
            "heure au-delà de la fin de la journée",
            detail=f"Hora {hour} le {day:%d/%m/%Y}, une journée de {length:.0f} heures",
        )
    frame = frame.loc[~late]
    dup = frame["start"].duplicated(keep="first")
    for n in frame.loc[dup, "line"]:
        report.reject(f"ligne {n}", "heure en double")
    frame = frame.loc[~dup].sort_values("start", kind="stable")
    estimated = int(frame["estimated"].sum())
    if estimated:
        report.notes.append(f"{estimated} heure(s) estimée(s) par le distributeur (Metodo_obtencion = E)")
    out = pd.DataFrame(
        {
            "start": frame["start"],
            "end": frame["start"] + pd.Timedelta(hours=1),
            "kwh": frame["kwh"].astype(float),
            "power_w": frame["kwh"].astype(float) * 1000.0,
            "estimated": frame["estimated"].astype(bool),
        }
    )
    return report.finish(out, kind="electricity", fmt="datadis-csv")


register_format(
    ExportFormat(
        id="datadis-csv",
        kind="electricity",
        holder="Datadis (distributeurs d'électricité espagnols)",
        title="Datadis, consommation horaire CSV (Espagne)",
        sniff=_sniff_datadis,
        read=read_datadis_csv,
    )
)
