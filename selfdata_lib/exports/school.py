"""School life: my grades, homework, absences and delays, from Pronote (saved with ``pronotepy``, or through
Cozy's Pronote konnector) or from a documented CSV of grades kept by hand.

Kinds (the first columns are :data:`~selfdata_lib.exports._base.SCHEMAS`'):

``grades``
    ``date`` (the day of the test, Europe/Paris), ``subject`` (as the school names it), ``grade``,
    ``out_of`` (the scale, 20 when not given), ``coefficient`` (1 when not given), then ``class_average``,
    ``class_min``, ``class_max`` (the class's figures for the same test, NaN when unknown), ``period``
    (« Trimestre 1 »…), ``school_year`` (``2024-2025``), ``school``, ``uai``, ``label`` (the test's
    name), ``is_bonus``, ``is_optional`` and ``scale_to_20`` (Pronote's « ramener sur 20 »).
``homework``
    ``date`` (the day it is due), ``subject``, ``description``, ``done``, then ``given`` (the day it was set,
    NaT when the export does not say), ``school_year``, ``school``, ``uai``.
``absences``
    ``start``, ``end``, ``kind`` (``absence`` or ``retard``), ``justified``, then ``reason``, ``minutes``
    (a delay's length), ``school_year``, ``school``, ``uai``.

Formats:

- ``pronotepy-json`` — what the small script below writes with `pronotepy <https://pronotepy.rtfd.io>`_
  (an optional extra: the suite never installs it, nor connects to Pronote). Every object is pronotepy's own
  ``to_dict()``, read field by field from ``pronotepy/dataClasses.py``: a ``Grade`` has ``grade``, ``out_of``,
  ``date``, ``subject.name``, ``average``, ``min``, ``max``, ``coefficient``, ``comment``, ``is_bonus``,
  ``is_optionnal``, ``is_out_of_20`` (numbers as Pronote writes them, ``"15,5"``, or ``"Absent"``…); an
  ``Absence`` ``from_date``, ``to_date``, ``justified``, ``reasons``; a ``Delay`` ``date``, ``minutes``,
  ``justified``, ``justification``; a ``Homework`` ``date`` (due), ``subject.name``, ``description``,
  ``done`` (and ``given`` when a pronotepy version gives it). The Pronote address names the school: a
  server ``https://0350000a.index-education.net/pronote/`` is the school of UAI 0350000A. ::

      # pip install pronotepy ; python -m pronotepy.create_login   (→ credentials.json, with the QR code of
      # the Pronote app: works whatever the ENT, MyToutatice included)
      import datetime as dt, json
      from pathlib import Path
      import pronotepy

      credentials = json.loads(Path("credentials.json").read_text())
      client = pronotepy.Client.token_login(**credentials)
      Path("credentials.json").write_text(json.dumps(client.export_credentials()))  # a new token each time
      periods = [
          {**p.to_dict(), "grades": [g.to_dict() for g in p.grades],
           "absences": [a.to_dict() for a in p.absences], "delays": [d.to_dict() for d in p.delays]}
          for p in client.periods
      ]
      first = min(p.start for p in client.periods).date()
      last = max(p.end for p in client.periods).date()
      dump = {
          "source": "pronotepy",
          "exported": dt.datetime.now().isoformat(timespec="seconds"),
          "school": {"name": client.info.establishment, "url": client.pronote_url,
                     "class": client.info.class_name},
          "periods": periods,
          "homework": [h.to_dict() for h in client.homework(first, last)],
      }
      Path("pronote_2024-2025.json").write_text(json.dumps(dump, default=str, ensure_ascii=False, indent=1))

  A grade listed under two periods (a trimester and « Année continue ») is read once, under the shorter one.
- ``cozy-pronote-grades``, ``cozy-pronote-homework``, ``cozy-pronote-presence`` — the documents Cozy's
  Pronote konnector (``konnectors/pronote``) writes, checked in its code (``src/cozy/pronote/grades.js``,
  ``homeworks.js``, ``presence.js``): ``io.cozy.timeseries.grades`` (one document per subject and period:
  ``sourceSubject``, ``title`` = the period, ``startDate``, ``series[]`` of ``{date, label, value: {student,
  outOf, coef, classAverage, classMax, classMin}, status: {isBonus, isOptional}}``), ``io.cozy.calendar.todos``
  (``dueDate`` in iCal form ``20250310T070000Z``, ``sourceSubject``, ``summary``, ``completed``) and
  ``io.cozy.calendar.presence`` (``start``, ``end``, ``label``, ``xJustified``, ``xType`` = ``ABSENCE``,
  ``DELAY`` or ``OBSERVATION``; Cozy's doctype documentation, ``cozy/cozy-doctypes``, names them
  ``justified`` and ``type`` = ``absence | delay | observation``: both are read). The grades document
  matches the one ``cozy-doctypes`` documents for ``io.cozy.timeseries.grades``. **Not checked**: how the documents come out of a Cozy (the konnector does not
  say): a JSON list of documents is read, and so are CouchDB's ``{"docs": [...]}`` (``_find``) and ``{"rows":
  [{"doc": ...}]}`` (``_all_docs``) and a JSON:API ``{"data": [{"attributes": ...}]}``.
- ``grades-csv`` — a table of grades, one per line (UTF-8 or latin-1, ``;``, ``,`` or tab, decimal comma or
  point), written by hand or saved from a spreadsheet::

      date;matiere;note;bareme;coefficient;moyenne_classe;note_min;note_max;periode;annee_scolaire;etablissement;uai;devoir
      2024-10-03;Mathématiques;14,5;20;2;11,8;4;19;Trimestre 1;2024-2025;Collège X;;Contrôle fractions
      08/10/2024;Anglais;7;10;1;;;;Trimestre 1;;;;Vocabulaire

  ``date``, ``matiere`` and ``note`` are required; ``bareme`` is 20 and ``coefficient`` 1 when left out;
  ``annee_scolaire`` comes from the date when empty (a school year starts in August). English names are
  read too (``subject``, ``grade``, ``out_of``, ``class_average``, ``min``, ``max``, ``period``,
  ``school_year``, ``school``, ``label``).

Grades that are not numbers (« Absent », « Dispensé », « Non noté ») are rejected with that reason, except
Pronote's « Absent zéro » and « Non rendu zéro », which count as 0. A grade above its scale or below zero, an
impossible scale or coefficient is rejected with its line; a class figure outside the scale is left out and
the import report says so.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports._base import (
    BAD_VALUE,
    ExportFormat,
    ImportReport,
    as_dict,
    as_list,
    csv_rows,
    decode_text,
    line_label,
    load_json,
    normalise,
    parse_instant,
    read_text,
    register_format,
)

TZ = "Europe/Paris"
GRADES = [
    "date",
    "subject",
    "grade",
    "out_of",
    "coefficient",
    "class_average",
    "class_min",
    "class_max",
    "period",
    "school_year",
    "school",
    "uai",
    "label",
    "is_bonus",
    "is_optional",
    "scale_to_20",
]
HOMEWORK = ["date", "subject", "description", "done", "given", "school_year", "school", "uai"]
ABSENCES = ["start", "end", "kind", "justified", "reason", "minutes", "school_year", "school", "uai"]
#: Pronote's marks that are not grades (pronotepy ``Util.grade_translate``) → the grade they count as.
NOT_GRADES: dict[str, float | None] = {
    "absent": None,
    "abs": None,
    "dispense": None,
    "disp": None,
    "nonnote": None,
    "non note": None,
    "nn": None,
    "inapte": None,
    "nonrendu": None,
    "non rendu": None,
    "felicitations": None,
    "absentzero": 0.0,
    "absent zero": 0.0,
    "nonrenduzero": 0.0,
    "non rendu zero": 0.0,
}
MAX_OUT_OF = 1000.0
MAX_COEFFICIENT = 100.0
#: A Pronote server hosted by Index Éducation is named after the school's UAI.
_PRONOTE_HOST = re.compile(r"https?://(\d{7}[a-z])\.index-education\.net", re.IGNORECASE)


# --- values --------------------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    """A finite number written as JSON or as text (``"15,5"``, ``"15.50"``); ``None`` otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        if isinstance(value, (int, float)):
            number = float(value)
        elif isinstance(value, str) and value.strip():
            text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
            if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
                return None
            number = float(text)
        else:
            return None
    except BAD_VALUE:
        return None
    return number if np.isfinite(number) else None


def _flag(value: Any) -> bool:
    """A yes/no as JSON or text (``true``, ``"1"``, ``"oui"``)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return normalise(value) in ("1", "true", "oui", "yes", "vrai", "x")
    return isinstance(value, int) and value == 1


def school_year(day: pd.Timestamp) -> str:
    """The school year of a day: ``2024-2025`` from August 2024 to July 2025."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


def uai_from_url(url: Any) -> str:
    """The UAI a Pronote address names (``https://0350000a.index-education.net/…`` → ``0350000A``), or ``""``."""
    found = _PRONOTE_HOST.match(str(url or "").strip())
    return found.group(1).upper() if found else ""


def _day(value: Any) -> pd.Timestamp | None:
    """The local day (midnight, Europe/Paris) of a date or instant as an export writes it."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    ical = re.fullmatch(r"(\d{8})T(\d{6})Z?", text)
    if ical:
        text = f"{ical.group(1)[:4]}-{ical.group(1)[4:6]}-{ical.group(1)[6:]}T{ical.group(2)[:2]}:{ical.group(2)[2:4]}:00Z"
    elif re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
        day, month, year = text.split("/")
        text = f"{year}-{int(month):02d}-{int(day):02d}"
    stamp = parse_instant(text, naive_tz=TZ)
    if pd.isna(stamp):
        return None
    try:
        return pd.Timestamp(stamp).tz_convert(TZ).normalize()
    except BAD_VALUE:
        return None


def _instant(value: Any) -> pd.Timestamp | None:
    """An instant of an export (``2024-11-12 08:00:00`` naive local, or ISO with an offset), Europe/Paris."""
    stamp = parse_instant(value if isinstance(value, str) else None, naive_tz=TZ)
    if pd.isna(stamp):
        return None
    try:
        return pd.Timestamp(stamp).tz_convert(TZ)
    except BAD_VALUE:
        return None


def _local(values: list[Any]) -> pd.Series:
    """Aware Europe/Paris timestamps (NaT for ``None``), even when empty."""
    if not values:
        return pd.Series([], dtype=f"datetime64[ns, {TZ}]")
    return pd.to_datetime(pd.Series(values, dtype=object), utc=True).dt.tz_convert(TZ).dt.as_unit("ns")


# --- grades ----------------------------------------------------------------------------------------------


def _grade_value(raw: Any) -> tuple[float | None, str | None]:
    """(the grade, or None and why)."""
    number = _number(raw)
    if number is not None:
        return number, None
    if raw is None or (isinstance(raw, float) and raw != raw) or (isinstance(raw, str) and not raw.strip()):
        return None, "pas de note (élève absent ?)"
    mark = normalise(raw).replace("|", "")
    if mark in NOT_GRADES:
        zero = NOT_GRADES[mark]
        if zero is not None:
            return zero, None
        return None, "pas une note (absent, dispensé, non noté…)"
    return None, "note illisible"


def grade_row(fields: dict[str, Any], report: ImportReport, where: str) -> dict[str, Any] | None:
    """One grade checked: ``fields`` holds what the export gives (raw), ``None`` when rejected."""
    day = _day(fields.get("date")) if not isinstance(fields.get("date"), pd.Timestamp) else fields["date"]
    if day is None:
        report.reject(where, "date illisible", detail=repr(fields.get("date"))[:40])
        return None
    subject = str(fields.get("subject") or "").strip()
    if not subject:
        report.reject(where, "matière manquante")
        return None
    grade, why = _grade_value(fields.get("grade"))
    if grade is None:
        raw = fields.get("grade")  # no detail for no grade: the reason says so
        report.reject(where, why or "note illisible", detail=repr(raw)[:40] if raw is not None else "")
        return None
    given_scale = fields.get("out_of")
    out_of = 20.0 if given_scale in (None, "") else _number(given_scale)
    if out_of is None or not 0 < out_of <= MAX_OUT_OF:
        report.reject(
            where,
            "barème impossible (attendu un nombre positif, 20 le plus souvent)",
            detail=repr(given_scale)[:40],
        )
        return None
    given_coef = fields.get("coefficient")
    coefficient = 1.0 if given_coef in (None, "") else _number(given_coef)
    if coefficient is None or not 0 <= coefficient <= MAX_COEFFICIENT:
        report.reject(where, "coefficient impossible", detail=repr(given_coef)[:40])
        return None
    if not 0 <= grade <= out_of:
        report.reject(
            where, "note hors barème (plus que le barème, ou négative)", detail=f"{grade:g}/{out_of:g}"
        )
        return None
    stats = {}
    for key in ("class_average", "class_min", "class_max"):
        value = _number(fields.get(key))
        if value is not None and not 0 <= value <= out_of:
            report.warn(
                "Des moyennes, minimums ou maximums de classe sont hors du barème de leur devoir : ils sont "
                "laissés de côté (les notes, elles, sont gardées)."
            )
            value = None
        stats[key] = np.nan if value is None else value
    period = str(fields.get("period") or "").strip()
    return {
        "date": day,
        "subject": subject,
        "grade": grade,
        "out_of": out_of,
        "coefficient": coefficient,
        **stats,
        "period": period,
        "school_year": str(fields.get("school_year") or "").strip() or school_year(day),
        "school": str(fields.get("school") or "").strip(),
        "uai": str(fields.get("uai") or "").strip().upper(),
        "label": str(fields.get("label") or "").strip(),
        "is_bonus": _flag(fields.get("is_bonus")),
        "is_optional": _flag(fields.get("is_optional")),
        "scale_to_20": True if fields.get("scale_to_20") is None else _flag(fields.get("scale_to_20")),
    }


def _grades_frame(rows: list[dict[str, Any]], report: ImportReport, fmt: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=GRADES)
    frame["date"] = _local([r["date"] for r in rows])
    for col in ("grade", "out_of", "coefficient", "class_average", "class_min", "class_max"):
        frame[col] = frame[col].astype(float)
    for col in ("is_bonus", "is_optional", "scale_to_20"):
        frame[col] = frame[col].astype(bool)
    return report.finish(frame, kind="grades", fmt=fmt)


# --- pronotepy ---------------------------------------------------------------------------------------------


def _sniff_pronotepy(head: bytes, path: Path) -> bool:
    text = decode_text(head).lstrip()
    return text.startswith("{") and '"periods"' in text and ('"out_of"' in text or '"pronotepy"' in text)


def _pronotepy(path: Path) -> tuple[dict[str, Any], dict[str, str]]:
    data = load_json(path, "un export Pronote écrit avec pronotepy (« periods », « homework »)")
    if not isinstance(data, dict) or not isinstance(data.get("periods"), list):
        msg = (
            f"{path.name}: ligne 1 : pas d'export pronotepy lisible : il faut un objet JSON avec la liste "
            "« periods » (voir le script dans selfdata_lib/exports/school.py)"
        )
        raise ExportFormatError(msg)
    school = as_dict(data.get("school"))
    where = {"school": str(school.get("name") or "").strip(), "uai": uai_from_url(school.get("url"))}
    return data, where


def _periods(data: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The periods, shortest first (a trimester before « Année continue »), with their position."""

    def span(period: dict[str, Any]) -> float:
        start, end = _instant(period.get("start")), _instant(period.get("end"))
        return (end - start).total_seconds() if start is not None and end is not None else float("inf")

    items = [(i, as_dict(p)) for i, p in enumerate(as_list(data.get("periods")), start=1)]
    return sorted(items, key=lambda item: span(item[1]))


def read_pronotepy_grades(path: str | Path) -> pd.DataFrame:
    """The grades of a pronotepy dump (see the module docstring)."""
    path = Path(path)
    data, school = _pronotepy(path)
    report = ImportReport(path)
    rows, seen = [], set()
    for number, period in _periods(data):
        name = str(period.get("name") or f"période {number}")
        for j, item in enumerate(as_list(period.get("grades")), start=1):
            report.rows_read += 1
            where = f"période « {name[:40]} », note {j}"
            g = as_dict(item)
            gid = g.get("id")
            if isinstance(gid, str) and gid and gid in seen:
                report.reject(where, "note déjà lue dans une période plus courte")
                continue
            fields = {
                "date": g.get("date"),
                "subject": as_dict(g.get("subject")).get("name"),
                "grade": g.get("grade"),
                "out_of": g.get("out_of"),
                "coefficient": g.get("coefficient"),
                "class_average": g.get("average"),
                "class_min": g.get("min"),
                "class_max": g.get("max"),
                "period": name,
                "label": g.get("comment"),
                "is_bonus": g.get("is_bonus"),
                "is_optional": g.get("is_optionnal", g.get("is_optional")),
                "scale_to_20": g.get("is_out_of_20") if isinstance(g.get("is_out_of_20"), bool) else None,
                **school,
            }
            row = grade_row(fields, report, where)
            if row is not None:
                rows.append(row)
                if isinstance(gid, str) and gid:
                    seen.add(gid)
    if school["school"]:
        report.notes.append(
            f"établissement : {school['school']}" + (f" (UAI {school['uai']})" if school["uai"] else "")
        )
    return _grades_frame(rows, report, "pronotepy-json")


def read_pronotepy_homework(path: str | Path) -> pd.DataFrame:
    """The homework of a pronotepy dump."""
    path = Path(path)
    data, school = _pronotepy(path)
    report = ImportReport(path)
    rows = []
    for j, item in enumerate(as_list(data.get("homework")), start=1):
        report.rows_read += 1
        h = as_dict(item)
        row = _homework_row(
            {
                "date": h.get("date"),
                "subject": as_dict(h.get("subject")).get("name"),
                "description": h.get("description"),
                "done": h.get("done"),
                "given": h.get("given"),
                **school,
            },
            report,
            f"devoir {j}",
        )
        if row is not None:
            rows.append(row)
    return _homework_frame(rows, report, "pronotepy-json")


def read_pronotepy_absences(path: str | Path) -> pd.DataFrame:
    """The absences and delays of a pronotepy dump (each read once, whatever the periods listing it)."""
    path = Path(path)
    data, school = _pronotepy(path)
    report = ImportReport(path)
    rows, seen = [], set()
    for number, period in _periods(data):
        name = str(period.get("name") or f"période {number}")
        for key, kind in (("absences", "absence"), ("delays", "retard")):
            for j, item in enumerate(as_list(period.get(key)), start=1):
                report.rows_read += 1
                where = f"période « {name[:40]} », {kind} {j}"
                a = as_dict(item)
                aid = a.get("id")
                if isinstance(aid, str) and aid and (kind, aid) in seen:
                    report.reject(where, "déjà lue dans une autre période")
                    continue
                if kind == "absence":
                    fields = {
                        "start": a.get("from_date"),
                        "end": a.get("to_date"),
                        "reason": ", ".join(str(r) for r in as_list(a.get("reasons"))),
                    }
                else:
                    fields = {
                        "start": a.get("date"),
                        "minutes": a.get("minutes"),
                        "reason": a.get("justification")
                        or ", ".join(str(r) for r in as_list(a.get("reasons"))),
                    }
                row = _absence_row(
                    {**fields, "kind": kind, "justified": a.get("justified"), **school}, report, where
                )
                if row is not None:
                    rows.append(row)
                    if isinstance(aid, str) and aid:
                        seen.add((kind, aid))
    return _absences_frame(rows, report, "pronotepy-json")


# --- homework and absences rows ----------------------------------------------------------------------------


def _homework_row(fields: dict[str, Any], report: ImportReport, where: str) -> dict[str, Any] | None:
    day = _day(fields.get("date"))
    if day is None:
        report.reject(where, "date de rendu illisible", detail=repr(fields.get("date"))[:40])
        return None
    subject = str(fields.get("subject") or "").strip()
    if not subject:
        report.reject(where, "matière manquante")
        return None
    given = _day(fields.get("given")) if fields.get("given") else None
    if given is not None and given > day:
        given = None
        report.warn(
            "Des devoirs sont donnés après leur date de rendu : leur date de don est laissée de côté."
        )
    return {
        "date": day,
        "subject": subject,
        "description": re.sub(r"\s+", " ", str(fields.get("description") or "")).strip(),
        "done": _flag(fields.get("done")),
        "given": given,
        "school_year": school_year(day),
        "school": str(fields.get("school") or ""),
        "uai": str(fields.get("uai") or ""),
    }


def _homework_frame(rows: list[dict[str, Any]], report: ImportReport, fmt: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=HOMEWORK)
    frame["date"] = _local([r["date"] for r in rows])
    frame["given"] = _local([r["given"] for r in rows])
    frame["done"] = frame["done"].astype(bool)
    return report.finish(frame, kind="homework", fmt=fmt)


def _absence_row(fields: dict[str, Any], report: ImportReport, where: str) -> dict[str, Any] | None:
    start = _instant(fields.get("start"))
    if start is None:
        report.reject(where, "début illisible", detail=repr(fields.get("start"))[:40])
        return None
    minutes = np.nan
    if fields["kind"] == "retard":
        given = _number(fields.get("minutes"))
        if given is None and fields.get("end") is not None:
            end_at = _instant(fields.get("end"))
            given = (end_at - start).total_seconds() / 60 if end_at is not None else None
        if given is None or not 0 <= given <= 600:
            report.reject(
                where, "durée du retard illisible ou impossible", detail=repr(fields.get("minutes"))[:40]
            )
            return None
        minutes = given
        end = start + pd.Timedelta(minutes=given)
    else:
        end_or_none = _instant(fields.get("end"))
        if end_or_none is None:
            report.reject(where, "fin illisible", detail=repr(fields.get("end"))[:40])
            return None
        end = end_or_none
    if end < start:
        report.reject(where, "fin avant le début")
        return None
    if end - start > pd.Timedelta(days=366):
        report.reject(where, "absence de plus d'un an (dates mal saisies ?)")
        return None
    return {
        "start": start,
        "end": end,
        "kind": fields["kind"],
        "justified": _flag(fields.get("justified")),
        "reason": str(fields.get("reason") or "").strip(),
        "minutes": minutes,
        "school_year": school_year(start),
        "school": str(fields.get("school") or ""),
        "uai": str(fields.get("uai") or ""),
    }


def _absences_frame(rows: list[dict[str, Any]], report: ImportReport, fmt: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=ABSENCES)
    frame["start"] = _local([r["start"] for r in rows])
    frame["end"] = _local([r["end"] for r in rows])
    frame["justified"] = frame["justified"].astype(bool)
    frame["minutes"] = frame["minutes"].astype(float)
    return report.finish(frame, kind="absences", fmt=fmt)


# --- Cozy's Pronote konnector ----------------------------------------------------------------------------


def _cozy_documents(path: Path, doctype: str) -> list[Any]:
    """The documents of a Cozy export: a list, ``{"docs": []}``, ``{"rows": [{"doc": …}]}`` or JSON:API."""
    data = load_json(path, f"des documents Cozy « {doctype} » (connecteur Pronote)")
    if isinstance(data, list):
        docs = data
    elif isinstance(data, dict) and isinstance(data.get("docs"), list):
        docs = data["docs"]
    elif isinstance(data, dict) and isinstance(data.get("rows"), list):
        docs = [as_dict(r).get("doc", r) for r in data["rows"]]
    elif isinstance(data, dict) and isinstance(data.get("data"), list):
        docs = [as_dict(d).get("attributes", d) for d in data["data"]]
    elif isinstance(data, dict):
        docs = [data]
    else:
        docs = []
    return [d for d in docs if not (isinstance(d, dict) and str(d.get("_id", "")).startswith("_design"))]


def _sniff_cozy_grades(head: bytes, path: Path) -> bool:
    return b'"series"' in head and (b'"sourceSubject"' in head or b'"aggregation"' in head)


def _sniff_cozy_homework(head: bytes, path: Path) -> bool:
    return b'"dueDate"' in head and (b'"completed"' in head or b'"summary"' in head)


def _sniff_cozy_presence(head: bytes, path: Path) -> bool:
    if b'"xType"' in head:
        return True
    return (
        b'"start"' in head
        and re.search(rb'"type"\s*:\s*"(delay|absence|observation)"', head, re.I) is not None
    )


def read_cozy_pronote_grades(path: str | Path) -> pd.DataFrame:
    """``io.cozy.timeseries.grades`` documents written by Cozy's Pronote konnector."""
    path = Path(path)
    docs = _cozy_documents(path, "io.cozy.timeseries.grades")
    report = ImportReport(path)
    rows = []
    for i, doc in enumerate(docs, start=1):
        d = as_dict(doc)
        subject = d.get("sourceSubject") or d.get("subject")
        for j, item in enumerate(as_list(d.get("series")), start=1):
            report.rows_read += 1
            s = as_dict(item)
            value, status = as_dict(s.get("value")), as_dict(s.get("status"))
            fields = {
                "date": s.get("date"),
                "subject": subject,
                "grade": value.get("student"),
                "out_of": value.get("outOf"),
                "coefficient": value.get("coef"),
                "class_average": value.get("classAverage"),
                "class_min": value.get("classMin"),
                "class_max": value.get("classMax"),
                "period": d.get("title"),
                "label": s.get("label"),
                "is_bonus": status.get("isBonus"),
                "is_optional": status.get("isOptional"),
            }
            row = grade_row(fields, report, f"document {i}, note {j}")
            if row is not None:
                rows.append(row)
    if report.rows_read == 0:
        msg = f"{path.name}: aucune note dans « series » (documents io.cozy.timeseries.grades du connecteur Pronote)"
        raise ExportFormatError(msg)
    return _grades_frame(rows, report, "cozy-pronote-grades")


def read_cozy_pronote_homework(path: str | Path) -> pd.DataFrame:
    """``io.cozy.calendar.todos`` documents written by Cozy's Pronote konnector."""
    path = Path(path)
    docs = _cozy_documents(path, "io.cozy.calendar.todos")
    report = ImportReport(path)
    rows = []
    for i, doc in enumerate(docs, start=1):
        report.rows_read += 1
        d = as_dict(doc)
        row = _homework_row(
            {
                "date": d.get("dueDate"),
                "subject": d.get("sourceSubject") or d.get("subject") or d.get("label"),
                "description": d.get("summary"),
                "done": d.get("completed"),
            },
            report,
            f"document {i}",
        )
        if row is not None:
            rows.append(row)
    if report.rows_read == 0:
        msg = f"{path.name}: aucun devoir (documents io.cozy.calendar.todos du connecteur Pronote)"
        raise ExportFormatError(msg)
    return _homework_frame(rows, report, "cozy-pronote-homework")


def read_cozy_pronote_presence(path: str | Path) -> pd.DataFrame:
    """``io.cozy.calendar.presence`` documents written by Cozy's Pronote konnector (observations are not
    absences: they are rejected with that reason).
    """
    path = Path(path)
    docs = _cozy_documents(path, "io.cozy.calendar.presence")
    report = ImportReport(path)
    rows = []
    kinds = {"ABSENCE": "absence", "DELAY": "retard"}
    for i, doc in enumerate(docs, start=1):
        report.rows_read += 1
        d = as_dict(doc)
        where = f"document {i}"
        declared = d.get("xType") or d.get("type")  # the konnector's name, the doctype's documented one
        kind = kinds.get(str(declared or "").upper())
        if kind is None:
            report.reject(
                where,
                "observation de vie scolaire ou type inconnu, pas une absence",
                detail=str(declared)[:20],
            )
            continue
        row = _absence_row(
            {
                "start": d.get("start"),
                "end": d.get("end"),
                "kind": kind,
                "justified": d.get("xJustified", d.get("justified")),
                "reason": d.get("label"),
            },
            report,
            where,
        )
        if row is not None:
            rows.append(row)
    if report.rows_read == 0:
        msg = f"{path.name}: aucune absence (documents io.cozy.calendar.presence du connecteur Pronote)"
        raise ExportFormatError(msg)
    return _absences_frame(rows, report, "cozy-pronote-presence")


# --- the CSV of grades -------------------------------------------------------------------------------------

#: Frame column ← the names it may have in the CSV's header (accents and case ignored).
CSV_COLUMNS = {
    "date": ("date",),
    "subject": ("matiere", "subject", "discipline"),
    "grade": ("note", "grade"),
    "out_of": ("bareme", "sur", "out_of"),
    "coefficient": ("coefficient", "coef"),
    "class_average": ("moyenne_classe", "moyenne_de_la_classe", "class_average"),
    "class_min": ("note_min", "min", "class_min"),
    "class_max": ("note_max", "max", "class_max"),
    "period": ("periode", "period"),
    "school_year": ("annee_scolaire", "school_year"),
    "school": ("etablissement", "school"),
    "uai": ("uai",),
    "label": ("devoir", "intitule", "label"),
}
CSV_REQUIRED = ("date", "subject", "grade")


def _csv_names(line: str, sep: str) -> list[str]:
    return [re.sub(r"[^a-z0-9]+", "_", normalise(c)).strip("_") for c in line.split(sep)]


def _csv_header(line: str) -> tuple[str, list[str]] | None:
    """(separator, column names) of a grades CSV: a ``date`` and a ``note`` (or ``grade``) column."""
    for sep in (";", ",", "\t"):
        names = _csv_names(line, sep)
        if "date" in names and ({"note", "grade"} & set(names)):
            return sep, names
    return None


def _sniff_grades_csv(head: bytes, path: Path) -> bool:
    lines = [ln for ln in decode_text(head[:4096]).splitlines() if ln.strip()]
    return bool(lines) and _csv_header(lines[0]) is not None


def read_grades_csv(path: str | Path) -> pd.DataFrame:
    """A CSV of grades (see the module docstring): one grade per line, bad lines rejected with their number."""
    path = Path(path)
    lines = read_text(path).splitlines()
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    found = _csv_header(lines[first]) if first is not None else None
    if first is None or found is None:
        msg = (
            f"{path.name}: ligne 1 : l'en-tête devrait commencer par « date;matiere;note » "
            "(puis bareme;coefficient;moyenne_classe;… au choix)"
        )
        raise ExportFormatError(msg)
    sep, names = found
    known = {n for aliases in CSV_COLUMNS.values() for n in aliases}
    index = {
        key: next((names.index(n) for n in aliases if n in names), None)
        for key, aliases in CSV_COLUMNS.items()
    }
    missing = [k for k in CSV_REQUIRED if index[k] is None]
    if missing:
        unknown = [n for n in names if n and n not in known]
        hints = []
        for key in missing:
            close = difflib.get_close_matches(CSV_COLUMNS[key][0], unknown, n=1, cutoff=0.6)
            hints.append(
                f"« {CSV_COLUMNS[key][0]} »"
                + (f" (trouvé « {close[0]} » : faute de frappe ?)" if close else "")
            )
        msg = f"{path.name}: ligne {first + 1} : colonne(s) manquante(s) : {', '.join(hints)}"
        raise ExportFormatError(msg)
    report = ImportReport(path)
    rows = []
    last_required = max(i for k in CSV_REQUIRED if (i := index[k]) is not None)
    for n, fields in csv_rows(lines[first + 1 :], first + 2, sep, report):
        if last_required >= len(fields):
            report.reject(
                line_label(n),
                "ligne incomplète (date, matière ou note manquante)",
                detail=sep.join(fields)[:60],
            )
            continue
        raw = {
            key: (fields[i].strip().strip('"') if i is not None and i < len(fields) else None)
            for key, i in index.items()
        }
        row = grade_row(raw, report, line_label(n))
        if row is not None:
            rows.append(row)
    return _grades_frame(rows, report, "grades-csv")


register_format(
    ExportFormat(
        id="pronotepy-json",
        kind="grades",
        holder="Pronote (établissement), enregistré avec pronotepy",
        title="Pronote : notes, devoirs, absences (JSON écrit avec pronotepy)",
        sniff=_sniff_pronotepy,
        read=read_pronotepy_grades,
        other_kinds={"homework": read_pronotepy_homework, "absences": read_pronotepy_absences},
    )
)
register_format(
    ExportFormat(
        id="cozy-pronote-grades",
        kind="grades",
        holder="Pronote, via le connecteur Cozy",
        title="Cozy, connecteur Pronote : notes (io.cozy.timeseries.grades)",
        sniff=_sniff_cozy_grades,
        read=read_cozy_pronote_grades,
    )
)
register_format(
    ExportFormat(
        id="cozy-pronote-homework",
        kind="homework",
        holder="Pronote, via le connecteur Cozy",
        title="Cozy, connecteur Pronote : devoirs (io.cozy.calendar.todos)",
        sniff=_sniff_cozy_homework,
        read=read_cozy_pronote_homework,
    )
)
register_format(
    ExportFormat(
        id="cozy-pronote-presence",
        kind="absences",
        holder="Pronote, via le connecteur Cozy",
        title="Cozy, connecteur Pronote : absences et retards (io.cozy.calendar.presence)",
        sniff=_sniff_cozy_presence,
        read=read_cozy_pronote_presence,
    )
)
register_format(
    ExportFormat(
        id="grades-csv",
        kind="grades",
        holder="moi, mes parents, un enseignant (tableau de notes)",
        title="Tableau de notes CSV (date;matiere;note;bareme;coefficient…)",
        sniff=_sniff_grades_csv,
        read=read_grades_csv,
    )
)

__all__ = [
    "grade_row",
    "read_cozy_pronote_grades",
    "read_cozy_pronote_homework",
    "read_cozy_pronote_presence",
    "read_grades_csv",
    "read_pronotepy_absences",
    "read_pronotepy_grades",
    "read_pronotepy_homework",
    "school_year",
    "uai_from_url",
]
