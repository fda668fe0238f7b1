"""Water meter exports: the plain CSV that water utilities' customer spaces let you download.

Layout: a header line, then one day per line, ``;``, ``,`` or tab separated::

    date;volume (l)          volume used over the day (litres, or m3 when the header says so)
    01/01/2025;312

Recognised header names: ``date`` / ``jour`` / ``date de relève``; ``volume`` / ``consommation``. The
unit comes from the header (``(m3)``, ``(l)``, ``litres``); without one, the size of the values decides
(a household's day is 0.1–1.5 m3 or 100–1,500 litres) and the import report says so. A value covers the
local day of its date. A cumulative *index* CSV (``date;index (m3)``) is read too: each reading
closes the interval opened by the previous one, whose volume is the difference of the two indexes.

Two JSON exports as well:

* Eau du Grand Lyon (customer space, daily): ``{"postes": [{"data": [{"annee": 2025, "mois": 0,
  "jour": 1, "valeur": 0.312}], "unite": "m3"}]}`` — ``mois`` is 0-based (JavaScript months), the
  unit (``m3`` or ``l``) is declared on each value, on the poste or once for the file (``"unite"``, or
  ``"unites": {"consommation": "l"}``); the nearest declaration wins, and without any the size of the
  values decides.
* Suez "Tout sur mon eau" (``/public-api/cel-consumption/telemetry`` and ``nontelemetry``):
  ``{"code": "00", "content": {"measures": [{"date": "2025-01-31", "volume": 0.123, "index": 456.7}]}}``,
  volumes in m3; a non-telemetry measure covers ``numberOfDays`` days up to its date.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    BAD_VALUE,
    ExportFormat,
    ImportReport,
    csv_rows,
    decode_text,
    index_intervals,
    line_label,
    load_json,
    normalise,
    parse_amount,
    parse_day,
    read_text,
    register_format,
)

TZ = "Europe/Paris"
_DATE = ("date", "jour", "date de releve", "date de la mesure")
_VOLUME = ("volume", "consommation", "volume consomme")
_INDEX = ("index", "index compteur", "releve", "index releve")


def _header(line: str) -> tuple[str, int, int, str | None, bool] | None:
    """(separator, date column, value column, unit, is_index) of a water CSV header."""
    for sep in (";", ",", "\t"):
        cols = [normalise(c) for c in line.split(sep)]
        bare = [re.sub(r"\s*\(.*\)|\s+en\s+\w+$", "", c).strip() for c in cols]
        i_date = next((i for i, c in enumerate(bare) if c in _DATE), None)
        i_val = next((i for i, c in enumerate(bare) if c in _VOLUME), None)
        is_index = False
        if i_val is None:
            i_val = next((i for i, c in enumerate(bare) if c in _INDEX), None)
            is_index = True
        if i_date is not None and i_val is not None:
            unit: str | None = None
            if re.search(r"m3|m\^3|metre", cols[i_val]):
                unit = "m3"
            elif re.search(r"\(l\)|litre|\bl$|en l\b", cols[i_val]):
                unit = "l"
            elif is_index:
                unit = "m3"  # a water index is always kept in m3 on the meter
            return sep, i_date, i_val, unit, is_index
    return None


def _sniff_water_csv(head: bytes, path: Path) -> bool:
    lines = decode_text(head).splitlines()
    return bool(lines) and _header(lines[0]) is not None


def read_water_csv(path: str | Path) -> pd.DataFrame:
    """Read a water CSV of daily volumes, or of cumulative index readings, into ``start``, ``end``
    and ``litres``.

    A volume covers the local day of its date. An index reading dated D is taken as read at the start
    of D: consecutive readings D1, D2 give the volume used over [D1, D2). The first reading only opens
    the first interval; it is reported as such (rejected, with that reason), so rows still add up.
    """
    path = Path(path)
    lines = read_text(path).splitlines()
    found = _header(lines[0]) if lines else None
    if found is None:
        msg = (
            f"{path.name}: ligne 1 : il faut un en-tête avec une date et un volume ou un index "
            "(par exemple « date;volume (l) » ou « date;index (m3) »)"
        )
        raise ExportFormatError(msg)
    sep, i_date, i_val, unit, is_index = found
    report = ImportReport(path)
    dates, values, where = [], [], []
    for n, fields in csv_rows(lines[1:], 2, sep, report):
        try:
            day = parse_day(fields[i_date]).normalize()
            value = parse_amount(fields[i_val])
        except (IndexError, ValueError):
            report.reject(f"ligne {n}", "date ou valeur illisible")
            continue
        if value is None:
            report.reject(f"ligne {n}", "pas de valeur (relevé manquant)")
            continue
        dates.append(day)
        values.append(value)
        where.append(n)
    if unit is None:
        unit = unit_by_magnitude(values, report, what="l'en-tête de la colonne de volume")
    values = [v * (1000.0 if unit == "m3" else 1.0) for v in values]
    frame = pd.DataFrame({"day": dates, "value": values, "line": where})
    if is_index:
        intervals = index_intervals(frame, report)
        start_day, end_day, litres = intervals["start"], intervals["end"], intervals["amount"]
        fmt_note = f"index cumulé en {unit} ; volume = différence de deux relevés successifs"
    else:
        dup = frame["day"].duplicated(keep="first")
        report.reject_positions(frame.loc[dup, "line"], "second relevé pour le même jour", where=line_label)
        frame = frame.loc[~dup].sort_values("day", kind="stable")
        negative = frame["value"] < 0
        report.reject_positions(frame.loc[negative, "line"], "volume négatif", where=line_label)
        start_day, litres = pd.to_datetime(frame["day"])[~negative], frame.loc[~negative, "value"]
        end_day = start_day + pd.Timedelta(days=1)
        fmt_note = f"volume quotidien en {unit}"
    result = pd.DataFrame(
        {
            "start": pd.to_datetime(start_day).dt.tz_localize(TZ, nonexistent="shift_forward"),
            "end": pd.to_datetime(end_day).dt.tz_localize(TZ, nonexistent="shift_forward"),
            "litres": litres.astype(float),
        }
    )
    report.notes.append(fmt_note)
    return report.finish(result, kind="water", fmt="water-csv")


# --- JSON exports: Eau du Grand Lyon (daily) and Suez "Tout sur mon eau" ----------------------------


#: Undeclared unit: a household's median day is 0.1–1.5 m3, or 100–1,500 litres; values of 10 and more
#: can only be litres (10 m3 a day would be seventy people), smaller ones only m3.
LITRES_FROM = 10.0
_UNIT_KEYS = ("unite", "unit", "unites", "units", "unite_mesure")
_VALUE_KEYS = ("valeur", "volume", "consommation", "value")


def _declared_unit(obj: Any) -> Any:
    """The unit an object of a JSON export declares for its volumes, if any: ``"unite": "l"``, or a
    mapping ``"unites": {"consommation": "l"}`` (the unit of the value field, or its only entry).
    """
    if not isinstance(obj, dict):
        return None
    for key in _UNIT_KEYS:
        unit = obj.get(key)
        if isinstance(unit, str) and unit.strip():
            return unit
        if isinstance(unit, dict):
            for name in _VALUE_KEYS:
                if isinstance(unit.get(name), str):
                    return unit[name]
            if len(unit) == 1 and isinstance(next(iter(unit.values())), str):
                return next(iter(unit.values()))
    return None


def unit_by_magnitude(values: list[float], report: ImportReport, *, what: str) -> str:
    """``"l"`` or ``"m3"`` for volumes whose file states no unit, from their size; the import report
    says which and why.
    """
    positive = [v for v in values if v > 0]
    median = float(pd.Series(positive).median()) if positive else 0.0
    unit = "l" if median >= LITRES_FROM else "m3"
    report.notes.append(
        f"unité non indiquée dans {what} : valeurs médianes de {median:.3g} par jour, lues en "
        f"{'litres' if unit == 'l' else 'm³'} (un foyer utilise 0,1 à 1,5 m³, soit 100 à 1 500 litres, par jour)"
    )
    return unit


def _unit_factor(unit: Any, where: str, path: Path) -> float:
    u = normalise(str(unit or "m3")).replace("³", "3")
    if u in ("m3", "m^3", "metre cube", "metres cubes"):
        return 1000.0
    if u in ("l", "litre", "litres", "liter", "liters"):
        return 1.0
    msg = f"{path.name}: {where} : l'unité {unit!r} n'est ni « m3 » ni « l »"
    raise ExportFormatError(msg)


def _day_frame(
    days: list[pd.Timestamp],
    litres: list[float],
    places: list[str],
    report: ImportReport,
    fmt: str,
    *,
    spans: list[int] | None = None,
    meters: list[str] | None = None,
) -> pd.DataFrame:
    """Daily rows (``spans`` = days covered, ending the day after ``days``) after duplicate and
    negative checks (duplicates per meter when ``meters`` are given).
    """
    frame = pd.DataFrame(
        {
            "day": days,
            "litres": litres,
            "where": places,
            "span": spans if spans is not None else [1] * len(days),
            "meter": meters if meters is not None else [""] * len(days),
        }
    )
    dup = frame.duplicated(["meter", "day"], keep="first")
    report.reject_positions(frame.loc[dup, "where"], "seconde valeur pour le même jour", where=str)
    frame = frame.loc[~dup]
    negative = frame["litres"] < 0
    report.reject_positions(frame.loc[negative, "where"], "volume négatif", where=str)
    frame = frame.loc[~negative].sort_values("day", kind="stable")
    day = pd.to_datetime(frame["day"])
    impossible = ~day.between(pd.Timestamp("1900-01-01"), pd.Timestamp("2200-01-01"))
    report.reject_positions(
        frame.loc[impossible, "where"], "date impossible pour un compteur d'eau", where=str
    )
    frame, day = frame.loc[~impossible], day[~impossible]
    end = day + pd.Timedelta(days=1)
    start = end - pd.to_timedelta(frame["span"], unit="D")
    out = pd.DataFrame(
        {
            "start": start.dt.tz_localize(TZ, nonexistent="shift_forward", ambiguous=False),
            "end": end.dt.tz_localize(TZ, nonexistent="shift_forward", ambiguous=False),
            "litres": frame["litres"].astype(float),
        }
    )
    if meters is not None:
        out["meter"] = frame["meter"].to_numpy()
    return report.finish(out, kind="water", fmt=fmt)


def _sniff_grandlyon(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return text.startswith("{") and '"postes"' in text[:2000] and '"annee"' in text


def _volume(raw: Any) -> float | None:
    """A volume given as a JSON number or as text (``"1,5"``); ``None`` when it is neither."""
    try:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return float(raw)
        return parse_amount(raw) if isinstance(raw, str) else None
    except BAD_VALUE:
        return None


def read_eau_grand_lyon(path: str | Path) -> pd.DataFrame:
    """Read the Eau du Grand Lyon daily JSON (``postes[].data[]``, 0-based ``mois``) into daily litres.

    With several postes (meters) each row says its ``meter``: sum them per day for the household.
    """
    path = Path(path)
    data = load_json(path, "l'export journalier de l'espace client Eau du Grand Lyon")
    postes = data.get("postes") if isinstance(data, dict) else None
    if not isinstance(postes, list):
        msg = f"{path.name}: attendu : un objet avec une liste « postes » (export Eau du Grand Lyon)"
        raise ExportFormatError(msg)
    report = ImportReport(path)
    days, litres, places, meters, units = [], [], [], [], []
    file_unit = _declared_unit(data)
    for p, poste in enumerate(postes):
        items = poste.get("data") if isinstance(poste, dict) else None
        if not isinstance(items, list):
            msg = f"{path.name}: postes[{p}] n'a pas de liste « data »"
            raise ExportFormatError(msg)
        poste_unit = _declared_unit(poste) or file_unit
        for i, item in enumerate(items):
            report.rows_read += 1
            where = f"postes[{p}].data[{i}]"
            item = item if isinstance(item, dict) else {}
            try:
                day = pd.Timestamp(
                    year=int(item["annee"]), month=int(item["mois"]) + 1, day=int(item["jour"])
                ).as_unit("ns")
            except (KeyError, *BAD_VALUE):
                report.reject(where, "annee/mois/jour invalides (mois compté à partir de 0)")
                continue
            value = _volume(
                next((item[k] for k in ("valeur", "volume", "consommation", "value") if k in item), None)
            )
            if value is None:
                report.reject(where, "pas de volume (relevé manquant)")
                continue
            days.append(day)
            litres.append(value)
            units.append(_declared_unit(item) or poste_unit)
            places.append(where)
            meters.append(str(poste.get("id", poste.get("numero", p))))
    if any(u is None for u in units):
        guess = unit_by_magnitude(
            [v for v, u in zip(litres, units, strict=True) if u is None],
            report,
            what="l'export Eau du Grand Lyon",
        )
        units = [u or guess for u in units]
    litres = [v * _unit_factor(u, where, path) for v, u, where in zip(litres, units, places, strict=True)]
    return _day_frame(days, litres, places, report, "eau-grand-lyon-json", meters=meters)


def _sniff_suez(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return text.startswith("{") and '"measures"' in text[:3000] and '"volume"' in text


def read_suez_telemetry(path: str | Path) -> pd.DataFrame:
    """Read Suez "Tout sur mon eau" telemetry JSON (daily ``volume`` in m3) — or its non-telemetry
    variant where each measure covers ``numberOfDays`` days up to its ``date``.
    """
    path = Path(path)
    data = load_json(path, "l'export de télérelève Suez « Tout sur mon eau »")
    content = data.get("content") if isinstance(data, dict) else None
    measures = content.get("measures") if isinstance(content, dict) else None
    if not isinstance(measures, list):
        msg = f"{path.name}: attendu : {{'content': {{'measures': [...]}}}} (export de télérelève Suez)"
        raise ExportFormatError(msg)
    report = ImportReport(path)
    days, litres, places, spans = [], [], [], []
    for i, m in enumerate(measures):
        report.rows_read += 1
        where = f"measures[{i}]"
        m = m if isinstance(m, dict) else {}
        try:
            day = parse_day(str(m["date"])[:10]).normalize().as_unit("ns")
        except (KeyError, *BAD_VALUE):
            report.reject(where, "pas de date lisible")
            continue
        value = _volume(m.get("volume"))
        if value is None:
            report.reject(where, "pas de volume (relevé manquant)")
            continue
        try:
            span = int(m.get("numberOfDays") or 1)
        except BAD_VALUE:
            span = 0
        if not 1 <= span <= 3660:
            report.reject(where, "numberOfDays n'est pas un nombre de jours")
            continue
        days.append(day - pd.Timedelta(days=1) if "numberOfDays" in m else day)
        litres.append(value * 1000.0)
        places.append(where)
        spans.append(max(span, 1))
    return _day_frame(days, litres, places, report, "suez-telemetry-json", spans=spans)


register_format(
    ExportFormat(
        id="water-csv",
        kind="water",
        holder="water utility",
        title="Compteur d'eau CSV (date;volume du jour, ou date;index)",
        sniff=_sniff_water_csv,
        read=read_water_csv,
    )
)
register_format(
    ExportFormat(
        id="eau-grand-lyon-json",
        kind="water",
        holder="Eau du Grand Lyon",
        title="Eau du Grand Lyon, consommation quotidienne JSON (postes/data)",
        sniff=_sniff_grandlyon,
        read=read_eau_grand_lyon,
    )
)
register_format(
    ExportFormat(
        id="suez-telemetry-json",
        kind="water",
        holder="Suez (Tout sur mon eau)",
        title="Suez « Tout sur mon eau », télérelève JSON",
        sniff=_sniff_suez,
        read=read_suez_telemetry,
    )
)
