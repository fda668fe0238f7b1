"""Léna — a pupil of the académie de Rennes: 4e in 2023-2024 at a collège in Vannes, then, her family having
moved, 3e in 2024-2025 at a collège in Rennes, where Pronote opens through MyToutatice. Both schools are the
fictional ones of the open-data sample (UAI ``0003501A`` and ``0003502B``).

Exports, in the real layouts (:mod:`selfdata_lib.exports.school`):

- ``cozy_pronote_2023-2024/`` — her first year as Cozy's Pronote konnector stored it (the family used a Cozy
  then): ``io.cozy.timeseries.grades.json`` (one document per subject and trimester, its ``series`` of
  grades), ``io.cozy.calendar.todos.json`` (homework) and ``io.cozy.calendar.presence.json`` (absences,
  delays, an observation);
- ``pronote_2024-2025.json`` — her second year saved with pronotepy (the script of the exports module):
  three trimesters of grades, absences and delays, and the year's homework; the Pronote address names the
  school;
- ``carnet_de_notes_2024-2025_T1.csv`` — the table of first-trimester grades in mathematics and French her
  parents kept by hand (UTF-8 with a BOM, as a spreadsheet saves it): the same grades as Pronote, read once.

The story: mathematics rise from about 10 to 15 over the two years (a new start in Rennes), English slips
from 15 to 12,5, the rest holds; homework weighs more in 3e (the brevet), Tuesday and Thursday most; a flu in
January 2024, another in December 2024, a few delays. Grades not numbers (« Absent », « Dispensé »), an
optional grade, a bonus grade and a quiz not brought back to /20 come as Pronote writes them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib.analysis.school import holiday_days
from selfdata_lib.samples.opendata.school import ZONE_B_HOLIDAYS

SEED = 20250704
TZ = "Europe/Paris"
#: School year → (UAI, school, class, the trimesters' first and last days).
YEARS: dict[str, tuple[str, str, str, list[tuple[str, str, str]]]] = {
    "2023-2024": (
        "0003501A",
        "Collège des Remparts (fictif)",
        "4E B",
        [
            ("Trimestre 1", "2023-09-04", "2023-12-01"),
            ("Trimestre 2", "2023-12-04", "2024-03-08"),
            ("Trimestre 3", "2024-03-11", "2024-07-05"),
        ],
    ),
    "2024-2025": (
        "0003502B",
        "Collège du Mail (fictif)",
        "3E A",
        [
            ("Trimestre 1", "2024-09-02", "2024-11-29"),
            ("Trimestre 2", "2024-12-02", "2025-03-07"),
            ("Trimestre 3", "2025-03-10", "2025-07-04"),
        ],
    ),
}
#: (Pronote's name in Vannes, in Rennes, grades per trimester, level on /20: start and end of 4e, of 3e).
SUBJECTS: list[tuple[str, str, int, tuple[float, float, float, float]]] = [
    ("MATHEMATIQUES", "MATHEMATIQUES", 4, (10.0, 11.0, 12.5, 15.0)),
    ("FRANCAIS", "FRANCAIS", 4, (12.5, 13.0, 13.0, 13.5)),
    ("ANGLAIS LV1", "ANGLAIS LV1", 3, (15.5, 15.0, 13.5, 12.5)),
    ("HISTOIRE-GEOGRAPHIE", "HIST.GEO.EMC", 3, (13.5, 13.5, 13.5, 13.5)),
    ("ESPAGNOL LV2", "ESPAGNOL LV2", 3, (12.0, 13.0, 13.0, 13.5)),
    ("PHYSIQUE-CHIMIE", "PHYSIQUE-CHIMIE", 3, (11.5, 12.0, 12.5, 13.0)),
    ("SCIENCES VIE & TERRE", "SVT", 3, (14.0, 14.0, 14.0, 14.0)),
    ("TECHNOLOGIE", "TECHNOLOGIE", 2, (13.0, 13.0, 13.0, 13.0)),
    ("ED.PHYSIQUE & SPORT.", "EPS", 2, (15.0, 15.0, 15.0, 15.0)),
    ("ARTS PLASTIQUES", "ARTS PLASTIQUES", 2, (14.5, 14.5, 14.5, 14.5)),
    ("EDUCATION MUSICALE", "EDUCATION MUSICALE", 2, (14.0, 14.0, 14.0, 14.0)),
]
TESTS = ("Contrôle", "Interrogation", "Évaluation", "Devoir maison", "Exposé", "Évaluation de compétences")
TASKS = (
    "Exercices {a} à {b} p. {p}",
    "Apprendre la leçon",
    "Relire le chapitre et faire la fiche de révision",
    "Terminer l'activité commencée en classe",
    "Préparer l'évaluation",
    "Rédiger le paragraphe argumenté",
)
#: Homework due per weekday (Monday…Friday), on average, in 4e; 3e adds one on Tuesday and Thursday.
HOMEWORK_PER_DAY = (1.4, 2.2, 1.0, 2.2, 1.4)


def _calendar() -> pd.DataFrame:
    rows = [
        {
            "description": d,
            "population": pop,
            "start": pd.Timestamp(leave, tz=TZ),
            "end": pd.Timestamp(back, tz=TZ),
            "location": "Rennes",
            "zone": "Zone B",
        }
        for _, d, pop, leave, back in ZONE_B_HOLIDAYS
    ]
    return pd.DataFrame(rows)


def school_days(first: str, last: str) -> list[pd.Timestamp]:
    """The days with lessons between two days: Monday to Friday, outside zone B holidays."""
    off = holiday_days(_calendar(), location="Rennes")
    days = pd.date_range(first, last, freq="D")
    return [d for d in days if d.weekday() < 5 and d.date() not in off]


def _level(levels: tuple[float, float, float, float], year: str, day: pd.Timestamp) -> float:
    first = pd.Timestamp(YEARS[year][3][0][1])
    last = pd.Timestamp(YEARS[year][3][-1][2])
    share = (day - first) / (last - first)
    start, end = levels[:2] if year == "2023-2024" else levels[2:]
    return float(start + (end - start) * share)


def _comma(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def grades_of_year(year: str, rng: np.random.Generator) -> list[dict[str, Any]]:
    """Every grade of a school year, as plain values (the writers spell them their own way)."""
    out = []
    for period, first, last in YEARS[year][3]:
        days = school_days(first, last)
        for vannes, rennes, per_term, levels in SUBJECTS:
            raw = vannes if year == "2023-2024" else rennes
            picks = sorted(rng.choice(len(days), size=per_term, replace=False))
            for k, i in enumerate(picks):
                day = days[int(i)]
                out_of, coef = 20.0, 1.0
                if raw in ("MATHEMATIQUES", "FRANCAIS") and k == per_term - 1:
                    coef = 2.0  # the trimester's « devoir surveillé »
                elif k == 0 and raw not in ("ED.PHYSIQUE & SPORT.", "EPS"):
                    out_of, coef = 10.0, 0.5  # a quiz
                value = float(np.clip(rng.normal(_level(levels, year, day), 1.2), 2.0, 20.0))
                grade = round(value / 20 * out_of * 2) / 2
                class_20 = float(np.clip(rng.normal(11.8, 1.2), 8, 15))
                out.append(
                    {
                        "date": day,
                        "period": period,
                        "subject": raw,
                        "grade": grade,
                        "out_of": out_of,
                        "coefficient": coef,
                        "class_average": round(class_20 / 20 * out_of, 2),
                        "class_min": min(grade, round(float(rng.uniform(1, 6)) / 20 * out_of * 2) / 2),
                        "class_max": max(grade, round(float(rng.uniform(16, 20)) / 20 * out_of * 2) / 2),
                        "label": f"{TESTS[int(rng.integers(len(TESTS)))]} {k + 1}",
                        "mark": None,
                        "is_bonus": False,
                        "is_optional": False,
                        "scale_to_20": True,
                    }
                )
    return sorted(out, key=lambda g: (g["date"], g["subject"]))


def _special_grades(grades: list[dict[str, Any]], year: str) -> None:
    """Pronote's own marks: absent, exempted, an optional grade, a bonus grade, a quiz not on /20."""
    first = {g["subject"]: g for g in reversed(grades)}  # the first grade of each subject
    last = {g["subject"]: g for g in grades}
    if year == "2023-2024":
        first["ANGLAIS LV1"]["mark"] = None  # the konnector writes null for an absent pupil
        first["ANGLAIS LV1"]["grade"] = None
        last["TECHNOLOGIE"]["mark"] = "Abs"
        return
    first["ANGLAIS LV1"]["mark"] = "Absent"
    last["EPS"]["mark"] = "Dispense"
    last["TECHNOLOGIE"].update(
        is_optional=True, grade=8.0, class_min=min(8.0, last["TECHNOLOGIE"]["class_min"])
    )
    last["SVT"].update(is_bonus=True, grade=16.0, class_max=max(16.0, last["SVT"]["class_max"]))
    first["PHYSIQUE-CHIMIE"].update(scale_to_20=False)


def _period_bounds(year: str, period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    _, first, last = next(t for t in YEARS[year][3] if t[0] == period)
    return pd.Timestamp(first), pd.Timestamp(last)


def _iso_utc(day: pd.Timestamp, hour: int = 0, minute: int = 0) -> str:
    stamp = (day.normalize() + pd.Timedelta(hours=hour, minutes=minute)).tz_localize(TZ).tz_convert("UTC")
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def cozy_grades(grades: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``io.cozy.timeseries.grades`` documents: one per subject and trimester, as the konnector writes."""
    docs = []
    frame = pd.DataFrame(grades)
    for (period, subject), g in frame.groupby(["period", "subject"], sort=False):
        start, end = _period_bounds("2023-2024", str(period))
        slug = str(subject).lower().replace(" ", "_")
        series = []
        for _, r in g.iterrows():
            label = r["label"]
            series.append(
                {
                    "id": f"{int(_ms(r['date']))}_{slug}_{label.replace(' ', '')}",
                    "label": label,
                    "date": _iso_utc(r["date"]),
                    "value": {
                        "student": None if pd.isna(r["grade"]) else r["grade"],
                        "outOf": r["out_of"],
                        "coef": r["coefficient"],
                        "classAverage": r["class_average"],
                        "classMax": r["class_max"],
                        "classMin": r["class_min"],
                    },
                    "status": {"isBonus": False, "isOptional": False},
                }
            )
            if r["mark"] == "Abs":
                series[-1]["value"]["student"] = "Abs"
        docs.append(
            {
                "_id": f"grades-{period}-{slug}".replace(" ", "-").lower(),
                "subject": slug,
                "sourceSubject": subject,
                "title": period,
                "startDate": _iso_utc(start),
                "endDate": _iso_utc(end),
                "aggregation": {},
                "series": series,
                "cozyMetadata": {"sourceAccountIdentifier": "lena.eleve", "createdByApp": "pronote"},
            }
        )
    return docs


def _ms(day: pd.Timestamp) -> float:
    return pd.Timestamp(day).tz_localize(TZ).timestamp() * 1000


def homework_of_year(year: str, rng: np.random.Generator) -> list[dict[str, Any]]:
    """The homework due each school day of the year."""
    periods = YEARS[year][3]
    out = []
    extra = year == "2024-2025"
    for day in school_days(periods[0][1], periods[-1][2]):
        mean = HOMEWORK_PER_DAY[day.weekday()] + (1.0 if extra and day.weekday() in (1, 3) else 0.0)
        for _ in range(int(rng.poisson(mean))):
            vannes, rennes, _, _ = SUBJECTS[int(rng.integers(len(SUBJECTS)))]
            task = TASKS[int(rng.integers(len(TASKS)))].format(
                a=int(rng.integers(1, 20)), b=int(rng.integers(20, 40)), p=int(rng.integers(10, 250))
            )
            out.append(
                {
                    "date": day,
                    "subject": vannes if year == "2023-2024" else rennes,
                    "description": task,
                    "done": bool(rng.random() < 0.9),
                }
            )
    return out


ABSENCES = {
    "2023-2024": [
        ("ABSENCE", "2024-01-15 08:00", "2024-01-16 17:30", "Maladie", True),
        ("ABSENCE", "2024-03-21 08:00", "2024-03-21 12:00", "Rendez-vous médical", True),
        ("DELAY", "2023-11-14 08:00", "2023-11-14 08:10", "Bus en retard", False),
        ("OBSERVATION", "2024-02-06 10:00", "2024-02-06 11:00", "Oubli de matériel", False),
    ],
    "2024-2025": [
        ("ABSENCE", "2024-12-09 08:00", "2024-12-10 17:30", "Maladie", True),
        ("ABSENCE", "2025-02-03 13:30", "2025-02-03 17:30", "", False),
        ("ABSENCE", "2025-05-20 08:00", "2025-05-20 12:00", "Rendez-vous", True),
        ("DELAY", "2024-10-01 08:00", "2024-10-01 08:05", "", False),
        ("DELAY", "2025-01-14 08:00", "2025-01-14 08:15", "Transport", True),
        ("DELAY", "2025-03-18 13:30", "2025-03-18 13:40", "", False),
    ],
}


def _paris_iso(text: str) -> str:
    return pd.Timestamp(text).tz_localize(TZ).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.000Z")


def write_cozy_year(folder: Path, rng: np.random.Generator) -> list[Path]:
    """The first year as Cozy's Pronote konnector stored it (three doctypes, a JSON list each)."""
    folder.mkdir(parents=True, exist_ok=True)
    grades = grades_of_year("2023-2024", rng)
    _special_grades(grades, "2023-2024")
    todos = [
        {
            "_id": f"todo-{i:04d}",
            "dueDate": (h["date"] + pd.Timedelta(hours=8))
            .tz_localize(TZ)
            .tz_convert("UTC")
            .strftime("%Y%m%dT%H%M%SZ"),
            "label": h["subject"].title(),
            "subject": h["subject"].lower(),
            "sourceSubject": h["subject"],
            "completed": h["done"],
            "summary": h["description"],
        }
        for i, h in enumerate(homework_of_year("2023-2024", rng))
    ]
    presence = [
        {
            "_id": f"presence-{i}",
            "start": _paris_iso(start),
            "end": _paris_iso(end),
            "label": label,
            "xJustified": justified,
            "xType": kind,
        }
        for i, (kind, start, end, label, justified) in enumerate(ABSENCES["2023-2024"])
    ]
    files = {
        "io.cozy.timeseries.grades.json": cozy_grades(grades),
        "io.cozy.calendar.todos.json": todos,
        "io.cozy.calendar.presence.json": presence,
    }
    written = []
    for name, docs in files.items():
        (folder / name).write_text(json.dumps(docs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(folder / name)
    return written


def _subject_id(name: str) -> str:
    """A subject's id in pronotepy's dump (Pronote's are opaque; these are made up)."""
    return f"{next(i for i, s in enumerate(SUBJECTS) if name in s[:2]) + 1}#subject"


def _grade_dict(g: dict[str, Any], i: int) -> dict[str, Any]:
    """A grade as pronotepy's ``Grade.to_dict()`` writes it (numbers as Pronote's text)."""
    mark = g["mark"] or _comma(g["grade"])
    return {
        "id": f"{i}#grade",
        "grade": mark,
        "out_of": _comma(g["out_of"]),
        "default_out_of": _comma(g["out_of"]),
        "date": g["date"].date().isoformat(),
        "subject": {"id": _subject_id(g["subject"]), "name": g["subject"], "groups": False},
        "average": _comma(g["class_average"]),
        "max": _comma(g["class_max"]),
        "min": _comma(g["class_min"]),
        "coefficient": _comma(g["coefficient"]),
        "comment": g["label"],
        "is_bonus": g["is_bonus"],
        "is_optionnal": g["is_optional"],
        "is_out_of_20": g["scale_to_20"],
    }


def write_pronotepy_year(path: Path, rng: np.random.Generator) -> tuple[Path, list[dict[str, Any]]]:
    """The second year as the pronotepy script writes it."""
    uai, school, klass, trimesters = YEARS["2024-2025"]
    grades = grades_of_year("2024-2025", rng)
    _special_grades(grades, "2024-2025")
    periods = []
    for p, (name, first, last) in enumerate(trimesters, start=1):
        absences, delays = [], []
        for j, (kind, start, end, label, justified) in enumerate(ABSENCES["2024-2025"]):
            if not first <= start[:10] <= last:
                continue
            if kind == "ABSENCE":
                hours = (pd.Timestamp(end) - pd.Timestamp(start)).total_seconds() / 3600
                absences.append(
                    {
                        "id": f"{j}#absence",
                        "from_date": f"{start}:00",
                        "to_date": f"{end}:00",
                        "justified": justified,
                        "hours": f"{int(hours)}h{int(hours % 1 * 60):02d}",
                        "days": max(
                            1, (pd.Timestamp(end).normalize() - pd.Timestamp(start).normalize()).days + 1
                        ),
                        "reasons": [label] if label else [],
                    }
                )
            else:
                minutes = int((pd.Timestamp(end) - pd.Timestamp(start)).total_seconds() // 60)
                delays.append(
                    {
                        "id": f"{j}#delay",
                        "date": f"{start}:00",
                        "minutes": minutes,
                        "justified": justified,
                        "justification": label or None,
                        "reasons": [label] if label else [],
                    }
                )
        periods.append(
            {
                "id": f"{p}#period",
                "name": name,
                "start": f"{first} 00:00:00",
                "end": f"{last} 00:00:00",
                "grades": [_grade_dict(g, i) for i, g in enumerate(grades) if g["period"] == name],
                "absences": absences,
                "delays": delays,
            }
        )
    homework = [
        {
            "id": f"{i}#homework",
            "description": h["description"],
            "done": h["done"],
            "subject": {"id": _subject_id(h["subject"]), "name": h["subject"], "groups": False},
            "date": h["date"].date().isoformat(),
            "background_color": "#C0C0C0",
        }
        for i, h in enumerate(homework_of_year("2024-2025", rng))
    ]
    dump = {
        "source": "pronotepy",
        "exported": "2025-07-04T18:30:00",
        "school": {
            "name": school,
            "url": f"https://{uai.lower()}.index-education.net/pronote/eleve.html",
            "class": klass,
        },
        "periods": periods,
        "homework": homework,
    }
    path.write_text(json.dumps(dump, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path, grades


def write_parents_table(path: Path, grades: list[dict[str, Any]]) -> Path:
    """The parents' table of first-trimester grades in mathematics and French (the same as Pronote's)."""
    names = {"MATHEMATIQUES": "Mathématiques", "FRANCAIS": "Français"}
    lines = ["date;matiere;note;bareme;coefficient;moyenne_classe;periode;annee_scolaire;devoir"]
    for g in grades:
        if g["period"] != "Trimestre 1" or g["subject"] not in names or g["mark"]:
            continue
        lines.append(
            f"{g['date']:%d/%m/%Y};{names[g['subject']]};{_comma(g['grade'])};{_comma(g['out_of'])};"
            f"{_comma(g['coefficient'])};{_comma(g['class_average'])};Trimestre 1;2024-2025;{g['label']}"
        )
    path.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def build_lena(folder: Path) -> list[Path]:
    """Write Léna's exports into ``folder``."""
    rng = np.random.default_rng(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    written = write_cozy_year(folder / "cozy_pronote_2023-2024", rng)
    dump, grades = write_pronotepy_year(folder / "pronote_2024-2025.json", rng)
    written += [dump, write_parents_table(folder / "carnet_de_notes_2024-2025_T1.csv", grades)]
    readme = folder / "README.md"
    readme.write_text(
        "# Léna (académie de Rennes) — fictional persona\n\n"
        f"Generated by `selfdata samples build` (`selfdata_lib/samples/personas/lena.py`, seed {SEED}). "
        "Fictional: a pupil and two schools that do not exist (the « (fictif) » collèges of the open-data "
        f"sample, UAI {YEARS['2023-2024'][0]} and {YEARS['2024-2025'][0]}); every grade, homework and absence "
        "is made up.\n\n"
        "4e in 2023-2024 at a collège in Vannes, 3e in 2024-2025 at a collège in Rennes (Pronote through "
        "MyToutatice). Mathematics rise from about 10 to 15, English slips from 15 to 12,5; more homework in "
        "3e, Tuesday and Thursday most; a flu in January 2024 and in December 2024, a few delays.\n\n"
        "- `cozy_pronote_2023-2024/`: the first year as Cozy's Pronote konnector stored it "
        "(`io.cozy.timeseries.grades`, `io.cozy.calendar.todos`, `io.cozy.calendar.presence`).\n"
        "- `pronote_2024-2025.json`: the second year saved with pronotepy (grades, absences, delays, homework).\n"
        "- `carnet_de_notes_2024-2025_T1.csv`: the parents' table of first-trimester grades in mathematics and "
        "French — the same grades as Pronote, counted once.\n",
        encoding="utf-8",
    )
    return [*written, readme]
