"""My school journey (Rennes, MyToutatice): how my grades and my workload evolve, subject by subject,
across terms, years and schools — and what the open data say about my school.

The steps take the frames of :mod:`selfdata_lib.exports.school` (``grades``, ``homework``, ``absences``, from
one file or a whole folder of years and schools) and the open data of :mod:`selfdata_lib.opendata.school`:

- :func:`grade_history` merges every file into one history (subjects named the same way whatever the
  school writes, an identical grade read twice kept once), recomputes the **term averages** from the raw
  grades with Pronote's rule (:func:`pronote_average`, rounded like Pronote to the hundredth, half up) and
  draws each subject's **trend** — a moving average of my grades on /20 beside the class's, a smoothed
  line, never a prediction;
- :func:`workload` counts the homework due each weekday and each week, holiday weeks of the school
  calendar set apart (:func:`holiday_days`);
- :func:`absences_by_month` counts the half-days missed and the delays;
- :func:`school_context` places my school among the others of its académie and of France (IPS, brevet) —
  figures that describe a school, never a pupil;
- :func:`what_the_school_holds` lists the services that hold data about a pupil, who sees them, and
  writes the access (GDPR art. 15) and portability (art. 20) request to the school's data-protection
  officer;
- :func:`interpret` writes the reading.

Nothing here ranks pupils: the class's average, lowest and highest grades are a reference for my own.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib import fr
from selfdata_lib.results import Figure, Reading, Result, figure, import_doubts, missing

TZ = "Europe/Paris"
#: How subjects are named whatever the school writes (« MATHEMATIQUES », « SCIENCES VIE & TERRE »,
#: « ED.PHYSIQUE & SPORT. »): the first rule whose pattern is found in the name (lower case, accents
#: removed, ``&`` read as « et ») gives the subject. A name no rule knows keeps its own spelling.
SUBJECT_RULES: list[tuple[str, str]] = [
    (r"histoire des arts", "Histoire des arts"),
    (r"\bmath", "Mathématiques"),
    (r"\bfrancais\b|\blettres\b", "Français"),
    (r"hist.*geo|\bhistoire\b|\bhg\b|\bemc\b", "Histoire-géographie"),
    (r"anglais|english", "Anglais"),
    (r"espagnol", "Espagnol"),
    (r"allemand", "Allemand"),
    (r"italien", "Italien"),
    (r"\blatin\b|\blca\b", "Latin"),
    (r"\beps\b|ed\w* phys\w* (et )?sport|education physique", "EPS"),
    (r"phys\w* (et )?chim|sciences physiques|\bpc\b", "Physique-chimie"),
    (r"\bsvt\b|sciences? (de la )?vie|\bs v t\b", "SVT"),
    (r"techno", "Technologie"),
    (r"arts? plast", "Arts plastiques"),
    (r"musi", "Éducation musicale"),
    (r"\bses\b|sciences economiques", "SES"),
    (r"philo", "Philosophie"),
    (r"\bnsi\b|numerique et sciences info", "NSI"),
]
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
#: The half-days of a school day (local time): a lesson in it counts the half-day missed.
MORNING = (dt.time(8, 0), dt.time(12, 0))
AFTERNOON = (dt.time(13, 30), dt.time(17, 30))
CAUTION = (
    "L'IPS et le taux de réussite au brevet décrivent un établissement — le milieu social de l'ensemble de "
    "ses élèves, les résultats d'une promotion —, pas un élève, ni la qualité de son enseignement : ils ne "
    "disent rien de mes chances ni de mon niveau."
)


def _plain(text: object) -> str:
    """Lower case, accents removed, ``&`` as « et », anything else than letters and digits as spaces."""
    raw = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9]+", " ", raw.replace("&", " et "))).strip()


def canonical_subject(name: object) -> str:
    """The subject a school's name stands for (:data:`SUBJECT_RULES`); an unknown name, tidied up."""
    text = str(name or "").split(">")[0].strip()  # « ANGLAIS LV1 > Groupe 2 »: the group is not the subject
    plain = _plain(text)
    for pattern, subject in SUBJECT_RULES:
        if re.search(pattern, plain):
            return subject
    return text[:1].upper() + text[1:].lower() if text.isupper() else text


def round_like_pronote(value: float) -> float:
    """An average rounded to the hundredth as Pronote shows it, half up (12,125 → 12,13), from its decimal
    spelling (14,675 reads 14,68 although the float is a hair below).
    """
    return float(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def pronote_average(
    values_20: Any,
    weights: Any,
    *,
    bonus: Any = None,
    optional: Any = None,
) -> float | None:
    """The average of grades on /20 with their weights, unrounded, by Pronote's rule as pronotepy documents
    its grade flags: an **optional** grade counts only if it raises the average (the best first), a **bonus**
    grade adds only its points above 10 (× its weight, over the same total weight). A weight is the
    coefficient, or the coefficient × scale / 20 for a grade Pronote does not bring back to /20 (its
    points then add up). ``None`` when nothing counts (every weight zero).
    """
    v = np.asarray(values_20, dtype=float)
    w = np.asarray(weights, dtype=float)
    b = np.zeros(len(v), dtype=bool) if bonus is None else np.asarray(bonus, dtype=bool)
    o = np.zeros(len(v), dtype=bool) if optional is None else np.asarray(optional, dtype=bool) & ~b
    base = ~b & ~o & (w > 0)
    num, den = float((v[base] * w[base]).sum()), float(w[base].sum())
    for i in sorted(np.flatnonzero(o & (w > 0)), key=lambda k: -v[k]):
        if den == 0 or (num + v[i] * w[i]) / (den + w[i]) > num / den:
            num, den = num + v[i] * w[i], den + w[i]
    if den <= 0:
        return None
    extra = float((np.clip(v[b] - 10, 0, None) * w[b]).sum())
    return min(20.0, (num + extra) / den)


def _infer_period(day: pd.Timestamp) -> str:
    """The trimester of a day when the file does not name it: September–November, December–February,
    March–July.
    """
    return (
        "Trimestre 1"
        if day.month in (8, 9, 10, 11)
        else "Trimestre 2"
        if day.month in (12, 1, 2)
        else "Trimestre 3"
    )


def _year_of(day: pd.Timestamp) -> str:
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


OPTIONAL_GRADE_COLUMNS: dict[str, Any] = {
    "class_average": np.nan,
    "class_min": np.nan,
    "class_max": np.nan,
    "period": "",
    "school_year": "",
    "school": "",
    "uai": "",
    "label": "",
    "is_bonus": False,
    "is_optional": False,
    "scale_to_20": True,
}


def prepare_grades(grades: pd.DataFrame) -> tuple[pd.DataFrame, int, int]:
    """Every grade once, on /20, with its subject, term and weight: ``(frame, duplicates dropped,
    periods inferred from the date)``. Two rows are the same grade when they share the day, the subject
    (:func:`canonical_subject`), the grade, the scale and the coefficient — read from two files, or from a
    trimester and « Année continue »; the row of a trimester or semester, with the class's figures and the
    school's name, is kept.
    """
    g = grades.copy()
    for column, default in OPTIONAL_GRADE_COLUMNS.items():
        if column not in g.columns:
            g[column] = default
    g["date"] = pd.to_datetime(g["date"])
    if g["date"].dt.tz is None:
        g["date"] = g["date"].dt.tz_localize(TZ)
    g["date"] = g["date"].dt.tz_convert(TZ).dt.normalize()
    g["subject_name"] = g["subject"].map(canonical_subject)
    g["period"] = g["period"].fillna("").astype(str).str.strip()
    inferred = g["period"] == ""
    g.loc[inferred, "period"] = g.loc[inferred, "date"].map(_infer_period)
    g["school_year"] = g["school_year"].fillna("").astype(str).str.strip()
    no_year = g["school_year"] == ""
    g.loc[no_year, "school_year"] = g.loc[no_year, "date"].map(_year_of)
    for col in ("grade", "out_of", "coefficient", "class_average"):
        g[col] = pd.to_numeric(g[col], errors="coerce").astype(float)
    g["value_20"] = g["grade"] / g["out_of"] * 20
    g["class_20"] = g["class_average"] / g["out_of"] * 20
    scaled = g["scale_to_20"].fillna(True).astype(bool)
    g["weight"] = np.where(scaled, g["coefficient"], g["coefficient"] * g["out_of"] / 20)
    g["is_bonus"] = g["is_bonus"].fillna(False).astype(bool)
    g["is_optional"] = g["is_optional"].fillna(False).astype(bool)
    g["_not_term"] = ~g["period"].str.contains(r"trimestre|semestre", case=False, regex=True)
    g["_no_class"] = g["class_average"].isna()
    g["_no_school"] = g["school"].fillna("").astype(str).str.strip() == ""
    g = g.sort_values(["_not_term", "_no_class", "_no_school", "date"], kind="stable")
    keys = ["date", "subject_name", "grade", "out_of", "coefficient"]
    dup = g.duplicated(keys, keep="first")
    g = g.loc[~dup].drop(columns=["_not_term", "_no_class", "_no_school"]).sort_values("date", kind="stable")
    g["term"] = g["school_year"] + " · " + g["period"]
    return g.reset_index(drop=True), int(dup.sum()), int(inferred.sum())


@dataclass(frozen=True)
class GradeHistory(Result):
    """Every grade once, the term averages recomputed per subject and overall, the trends."""

    grades: pd.DataFrame
    terms: pd.DataFrame
    general: pd.DataFrame
    duplicates: int = 0
    inferred_periods: int = 0
    window: int = 5
    doubts: tuple[str, ...] = ()

    @property
    def subjects(self) -> list[str]:
        """The subjects, the most graded first."""
        return list(self.grades["subject_name"].value_counts().index)

    @property
    def trend(self) -> pd.DataFrame:
        """For each subject and grade: ``value_20`` and the moving averages ``smoothed`` (mine) and
        ``class_smoothed`` (the class's) over :attr:`window` grades, centred — a smoothed line.
        """
        parts = []
        for subject, g in self.grades.groupby("subject_name", sort=False):
            g = g.sort_values("date", kind="stable")
            parts.append(
                pd.DataFrame(
                    {
                        "subject": subject,
                        "date": g["date"].to_numpy(),
                        "value_20": g["value_20"].to_numpy(),
                        "smoothed": g["value_20"]
                        .rolling(self.window, center=True, min_periods=1)
                        .mean()
                        .to_numpy(),
                        "class_smoothed": g["class_20"]
                        .rolling(self.window, center=True, min_periods=1)
                        .mean()
                        .to_numpy(),
                    }
                )
            )
        columns = ["subject", "date", "value_20", "smoothed", "class_smoothed"]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)

    def changes(self) -> pd.Series:
        """Per subject with four grades at least, where my trend went: the mean of my last grades minus the
        mean of my first (on /20), :attr:`window` grades each — half the grades when there are fewer than
        twice that —, the two ends of the smoothed line. The biggest moves, up or down, first.
        """
        out = {}
        for subject, g in self.grades.groupby("subject_name"):
            values = g.sort_values("date", kind="stable")["value_20"].to_numpy(dtype=float)
            if len(values) < 4:
                continue
            n = min(self.window, len(values) // 2)
            out[str(subject)] = round(float(values[-n:].mean() - values[:n].mean()), 2)
        return pd.Series(out, dtype=float).sort_values(key=lambda s: -s.abs(), kind="stable")

    @property
    def shown(self) -> pd.DataFrame:
        """My average per subject (rows) and term (columns), recomputed, and my trend (:meth:`changes`)."""
        if self.terms.empty:
            return pd.DataFrame()
        table = self.terms.pivot_table(index="subject", columns="term", values="average", aggfunc="first")
        table = table[[t for t in self.general["term"] if t in table.columns]]
        general = self.general.set_index("term")["average"]
        table = table.reindex([s for s in self.subjects if s in table.index])
        table.loc["Moyenne générale"] = general.reindex(table.columns)
        shown = table.map(_two)  # written as Pronote shows an average: two decimals
        shown["tendance (points)"] = [
            _signed(v) if pd.notna(v) else "—" for v in self.changes().reindex(table.index)
        ]
        return shown.rename_axis("matière").rename_axis(None, axis="columns")

    def class_reference(self) -> pd.DataFrame:
        """Last term: my average and the class's, per subject (the gap is mine, the class a reference)."""
        if self.general.empty:
            return pd.DataFrame()
        last = self.general["term"].iloc[-1]
        t = self.terms[self.terms["term"] == last].set_index("subject")
        t = t.reindex([s for s in self.subjects if s in t.index])
        gap = t["average"] - t["class_average"]
        table = pd.DataFrame(
            {
                "ma moyenne": t["average"].map(_two),
                "moyenne de la classe": t["class_average"].map(_two),
                "écart (points)": [_signed(v) if pd.notna(v) else "—" for v in gap],
                "notes": t["grades"],
            },
            index=t.index,
        )
        return table.rename_axis(f"matière ({last})")

    def figures(self) -> dict[str, Figure]:
        """Subjects, term averages, the trend by subject, where I moved most."""
        if self.grades.empty:
            why = "aucune note lue dans mes fichiers"
            return {
                k: missing(why)
                for k in (
                    "subjects",
                    "term_averages",
                    "general_average_last_term",
                    "trend_by_subject",
                    "subjects_moved_most",
                )
            }
        changes = self.changes()
        general = self.general.dropna(subset=["average"])
        last = general.iloc[-1] if len(general) else None
        moved = [s for s, v in changes.items() if abs(v) >= 0.5][:3]
        warn = self.doubts
        return {
            "subjects": figure(self.subjects),
            "grades_count": figure(len(self.grades)),
            "duplicates_removed": figure(self.duplicates),
            "school_years": figure(sorted(self.grades["school_year"].unique().tolist())),
            "schools": figure([s for s in dict.fromkeys(self.grades["school"].tolist()) if s]),
            "term_averages": figure({r["term"]: r["average"] for _, r in general.iterrows()}, warnings=warn),
            "general_average_last_term": figure(
                None if last is None else float(last["average"]), warnings=warn
            )
            if last is not None
            else missing("aucune moyenne calculable (coefficients nuls ?)"),
            "last_term": figure(None if last is None else str(last["term"])),
            "trend_by_subject": figure(changes.to_dict(), warnings=warn)
            if len(changes)
            else missing("une seule période de notes : pas encore d'évolution"),
            "subjects_moved_most": figure(moved),
        }

    def notes(self) -> list[str]:
        """How the averages were recomputed, what was merged."""
        out = [
            "Moyennes recalculées à partir de mes notes brutes (ramenées sur 20, avec leurs coefficients, "
            "arrondies au centième comme Pronote) : elles peuvent différer de quelques centièmes des moyennes "
            "affichées par Pronote (notes non publiées, réglages propres à l'établissement)."
        ]
        if self.duplicates:
            out.append(
                f"{fr.plural(self.duplicates, 'note lue en double', 'notes lues en double')} "
                "(même jour, même matière, même note) : chacune n'est comptée qu'une fois."
            )
        if self.inferred_periods:
            out.append(
                f"{fr.plural(self.inferred_periods, 'note')} sans période : trimestre déduit de la date "
                "(septembre–novembre, décembre–février, mars–juillet)."
            )
        return out


def grade_history(grades: pd.DataFrame | None, *, window: int = 5) -> GradeHistory:
    """Merge my grades (one file or many, several years and schools) and recompute the term averages.

    Parameters
    ----------
    grades
        A ``grades`` frame of :mod:`selfdata_lib.exports` (``read_all`` of a folder merges every file).
    window
        The number of grades of the moving average drawn as each subject's trend.
    """
    if grades is None or grades.empty:
        empty = pd.DataFrame(
            columns=["term", "school_year", "period", "subject", "average", "class_average", "grades"]
        )
        return GradeHistory(
            pd.DataFrame(columns=["subject_name", "school_year", "school"]), empty, empty, window=window
        )
    g, duplicates, inferred = prepare_grades(grades)
    rows = []
    for (term, subject), t in g.groupby(["term", "subject_name"], sort=False):
        average = pronote_average(t["value_20"], t["weight"], bonus=t["is_bonus"], optional=t["is_optional"])
        with_class = t.dropna(subset=["class_20"])
        weight = with_class["weight"].where(with_class["weight"] > 0, 0)
        class_average = (
            float((with_class["class_20"] * weight).sum() / weight.sum()) if weight.sum() > 0 else None
        )
        rows.append(
            {
                "term": term,
                "school_year": t["school_year"].iloc[0],
                "period": t["period"].iloc[0],
                "subject": subject,
                "average": None if average is None else round_like_pronote(average),
                "_raw": average,
                "class_average": None if class_average is None else round_like_pronote(class_average),
                "grades": len(t),
                "start": t["date"].min(),
            }
        )
    terms = pd.DataFrame(rows)
    firsts = terms.groupby("term")["start"].min().sort_values()
    general_rows = []
    for term in firsts.index:
        t = terms[terms["term"] == term]
        mine, cls = t["_raw"].dropna(), t["class_average"].dropna()
        general_rows.append(
            {
                "term": term,
                "school_year": t["school_year"].iloc[0],
                "period": t["period"].iloc[0],
                "average": round_like_pronote(float(mine.mean())) if len(mine) else np.nan,
                "class_average": round_like_pronote(float(cls.mean())) if len(cls) else np.nan,
                "subjects": len(mine),
                "start": firsts[term],
            }
        )
    general = pd.DataFrame(general_rows)
    terms = terms.drop(columns=["_raw"])
    terms["average"] = pd.to_numeric(terms["average"], errors="coerce")
    terms["class_average"] = pd.to_numeric(terms["class_average"], errors="coerce")
    return GradeHistory(g, terms, general, duplicates, inferred, window, import_doubts(grades))


# --- workload ----------------------------------------------------------------------------------------------


def holiday_days(
    calendar: pd.DataFrame | None, *, location: str | None = None, zone: str | None = None
) -> set[dt.date]:
    """The days of school holidays of an académie (``location``, « Rennes ») or a zone (« Zone B »), from the
    school calendar: from the day after pupils leave — the day itself when they leave on a Wednesday or a
    Saturday, days without lessons — to the day before they come back; a « pont » from its published day.
    Rows for teachers only are left out.
    """
    if calendar is None or calendar.empty or not (location or zone):
        return set()
    c = calendar[~calendar["population"].fillna("").str.contains("enseignant", case=False)]
    if location:
        c = c[c["location"].map(_plain) == _plain(location)]
    if zone:
        c = c[c["zone"].map(_plain) == _plain(zone)]
    days: set[dt.date] = set()
    for _, row in c.iterrows():
        leave = pd.Timestamp(row["start"]).tz_convert(TZ).date()
        back = pd.Timestamp(row["end"]).tz_convert(TZ).date() if pd.notna(row["end"]) else None
        if back is None:  # « Début des vacances d'été »: no return published
            back = dt.date(leave.year, 9, 1)
        pont = str(row["description"]).lower().startswith("pont")
        first = leave if pont or leave.weekday() in (2, 5) else leave + dt.timedelta(days=1)
        day = first
        while day < back:
            days.add(day)
            day += dt.timedelta(days=1)
    return days


@dataclass(frozen=True)
class Workload(Result):
    """My homework per week and per weekday, holiday weeks set apart."""

    weeks: pd.DataFrame
    homework: pd.DataFrame
    minutes_per_task: float
    holidays_known: bool
    location: str | None = None
    doubts: tuple[str, ...] = ()

    @property
    def school_weeks(self) -> pd.DataFrame:
        """The weeks counted: not holidays (or, holidays unknown, weeks with homework)."""
        w = self.weeks
        return w[~w["holiday"]] if self.holidays_known else w[w["tasks"] > 0]

    def by_weekday(self) -> pd.Series:
        """Homework due per weekday, per school week on average."""
        n = max(len(self.school_weeks), 1)
        days = self.homework["date"].dt.day_of_week.value_counts().reindex(range(7), fill_value=0)
        days.index = [WEEKDAYS[i] for i in days.index]
        return (days / n).round(2)

    @property
    def shown(self) -> pd.DataFrame:
        """Per weekday: homework due and the estimated time, per school week."""
        per_day = self.by_weekday()
        per_day = per_day[per_day > 0]
        return pd.DataFrame(
            {
                "devoirs par semaine de cours": per_day,
                "temps estimé (h)": (per_day * self.minutes_per_task / 60).round(1),
            }
        ).rename_axis("jour de rendu")

    def figures(self) -> dict[str, Figure]:
        """Hours and tasks per school week, by weekday, the busiest day and week."""
        if self.homework.empty:
            why = "aucun devoir dans mes fichiers"
            return {
                k: missing(why) for k in ("homework_hours_per_week", "homework_by_weekday", "busiest_weekday")
            }
        weeks = self.school_weeks
        per_day = self.by_weekday()
        busiest = weeks.sort_values("tasks", ascending=False, kind="stable").iloc[0] if len(weeks) else None
        warn = self.doubts
        return {
            "homework_hours_per_week": figure(float(weeks["hours"].mean()), digits=1, warnings=warn)
            if len(weeks)
            else missing("aucune semaine de cours avec des devoirs"),
            "homework_tasks_per_week": figure(float(weeks["tasks"].mean()), digits=1),
            "homework_by_weekday": figure({k: float(v) for k, v in per_day.items() if v > 0}),
            "busiest_weekday": figure(str(per_day.idxmax())),
            "busiest_week": figure(None if busiest is None else busiest["week"].date().isoformat()),
            "holiday_weeks": figure(int(self.weeks["holiday"].sum()))
            if self.holidays_known
            else missing("calendrier des vacances inconnu pour mon académie"),
            "homework_done_share": figure(float(self.homework["done"].mean()), digits=3),
        }

    def notes(self) -> list[str]:
        """The time per homework is an estimate; where the holidays come from."""
        out = [
            f"Pronote ne dit pas combien de temps prend un devoir : le temps est estimé à "
            f"{fr.plural(self.minutes_per_task, 'minute')} par devoir (paramètre minutes_per_homework)."
        ]
        if self.holidays_known:
            out.append(
                f"Vacances scolaires de l'académie de {self.location} (calendrier scolaire) mises à part."
            )
        else:
            out.append(
                "Vacances de mon académie inconnues (établissement introuvable ou calendrier sans ma zone) : "
                "seules les semaines avec des devoirs sont comptées."
            )
        return out


def workload(
    homework: pd.DataFrame | None,
    calendar: pd.DataFrame | None = None,
    *,
    location: str | None = None,
    minutes_per_task: float = 30.0,
) -> Workload:
    """My homework load: tasks due per weekday and per week (Monday to Sunday), their estimated time, the
    weeks of holidays of my académie (``location``, from the school calendar) set apart.
    """
    columns = ["date", "subject", "description", "done"]
    hw = homework.copy() if homework is not None and not homework.empty else pd.DataFrame(columns=columns)
    if hw.empty:
        empty = pd.DataFrame(columns=["week", "tasks", "hours", "holiday", "school_year"])
        return Workload(empty, hw, minutes_per_task, False, location)
    hw["date"] = pd.to_datetime(hw["date"])
    if hw["date"].dt.tz is None:
        hw["date"] = hw["date"].dt.tz_localize(TZ)
    hw["date"] = hw["date"].dt.tz_convert(TZ).dt.normalize()
    keys = [c for c in ("date", "subject", "description") if c in hw.columns]
    hw = hw.drop_duplicates(keys).reset_index(drop=True)  # the same homework read from two files
    days = holiday_days(calendar, location=location)
    local = hw["date"].dt.tz_localize(None)
    monday = (local - pd.to_timedelta(local.dt.day_of_week, unit="D")).dt.normalize()
    weeks_all = pd.date_range(monday.min(), monday.max(), freq="7D")
    tasks = monday.value_counts().reindex(weeks_all, fill_value=0)
    holiday = [sum((w + pd.Timedelta(days=k)).date() in days for k in range(5)) >= 3 for w in weeks_all]
    weeks = pd.DataFrame(
        {
            "week": weeks_all,
            "tasks": tasks.to_numpy(),
            "hours": tasks.to_numpy() * minutes_per_task / 60,
            "holiday": holiday,
            "school_year": [_year_of(w) for w in weeks_all],
        }
    )
    return Workload(weeks, hw, float(minutes_per_task), bool(days), location, import_doubts(homework))


# --- absences ----------------------------------------------------------------------------------------------


def half_days(start: pd.Timestamp, end: pd.Timestamp) -> list[tuple[dt.date, str]]:
    """The school half-days (Monday to Friday, :data:`MORNING` and :data:`AFTERNOON`) an absence covers."""
    start, end = pd.Timestamp(start).tz_convert(TZ), pd.Timestamp(end).tz_convert(TZ)
    out = []
    day = start.date()
    while day <= end.date():
        if day.weekday() < 5:
            for name, (a, b) in (("matin", MORNING), ("après-midi", AFTERNOON)):
                lo = pd.Timestamp(dt.datetime.combine(day, a)).tz_localize(TZ)
                hi = pd.Timestamp(dt.datetime.combine(day, b)).tz_localize(TZ)
                if start < hi and end > lo:
                    out.append((day, name))
        day += dt.timedelta(days=1)
    return out


@dataclass(frozen=True)
class Absences(Result):
    """My absences in half-days, by month, and my delays."""

    absences: pd.DataFrame
    delays: pd.DataFrame
    known: bool = True
    doubts: tuple[str, ...] = ()

    def by_month(self) -> pd.Series:
        """Half-days missed per month (``AAAA-MM``)."""
        if self.absences.empty:
            return pd.Series(dtype=int)
        return (
            self.absences.groupby(self.absences["start"].dt.strftime("%Y-%m"))["half_days"].sum().astype(int)
        )

    @property
    def shown(self) -> pd.DataFrame:
        """Per month: half-days missed, of which not justified, and delays."""
        months = self.by_month()
        unjustified = (
            self.absences[~self.absences["justified"]]
            .groupby(self.absences["start"].dt.strftime("%Y-%m"))["half_days"]
            .sum()
            if not self.absences.empty
            else pd.Series(dtype=int)
        )
        delays = (
            self.delays.groupby(self.delays["start"].dt.strftime("%Y-%m")).size()
            if not self.delays.empty
            else pd.Series(dtype=int)
        )
        index = sorted(set(months.index) | set(delays.index))
        table = pd.DataFrame(
            {
                "demi-journées d'absence": months.reindex(index, fill_value=0),
                "dont non justifiées": unjustified.reindex(index, fill_value=0),
                "retards": delays.reindex(index, fill_value=0),
            }
        ).astype(int)
        table.index = [fr.month(m) for m in index]
        return table.rename_axis("mois")

    def figures(self) -> dict[str, Figure]:
        """Half-days missed (all, not justified), by month, delays."""
        if not self.known:
            why = "aucun fichier d'absences parmi mes fichiers"
            return {k: missing(why) for k in ("absences_half_days", "absences_by_month", "delays")}
        total = int(self.absences["half_days"].sum()) if not self.absences.empty else 0
        unjustified = (
            int(self.absences.loc[~self.absences["justified"], "half_days"].sum())
            if not self.absences.empty
            else 0
        )
        return {
            "absences_half_days": figure(total, warnings=self.doubts),
            "unjustified_half_days": figure(unjustified),
            "absences_by_month": figure({fr.month(k): int(v) for k, v in self.by_month().items()}),
            "delays": figure(len(self.delays)),
            "delay_minutes": figure(
                float(self.delays["minutes"].sum()) if not self.delays.empty else 0.0, digits=0
            ),
        }


def absences_by_month(absences: pd.DataFrame | None) -> Absences:
    """My absences counted in school half-days (:func:`half_days`), by month; delays counted apart."""
    if absences is None:
        return Absences(pd.DataFrame(), pd.DataFrame(), known=False)
    a = absences.copy()
    for col in ("start", "end"):
        a[col] = pd.to_datetime(a[col])
        if a[col].dt.tz is None:
            a[col] = a[col].dt.tz_localize(TZ)
        a[col] = a[col].dt.tz_convert(TZ)
    a = a.drop_duplicates(["start", "end", "kind"]).reset_index(drop=True)  # read from two files
    kinds = a["kind"].astype(str)
    absent = a[kinds != "retard"].copy()
    absent["half_days"] = [len(half_days(s, e)) for s, e in zip(absent["start"], absent["end"], strict=True)]
    delays = a[kinds == "retard"].copy()
    if "minutes" not in delays.columns:
        delays["minutes"] = (delays["end"] - delays["start"]).dt.total_seconds() / 60
    return Absences(
        absent.reset_index(drop=True), delays.reset_index(drop=True), True, import_doubts(absences)
    )


# --- my school in context --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolContext(Result):
    """My school (from my files and the directory), its IPS and brevet results beside its académie's and
    France's.
    """

    uai: str | None
    school: dict[str, Any] = field(default_factory=dict)
    ips: dict[str, Any] = field(default_factory=dict)
    dnb: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None

    @property
    def academie(self) -> str | None:
        """My school's académie (« Rennes »), from the directory."""
        return self.school.get("academie") or None

    @property
    def shown(self) -> pd.DataFrame | str:
        """IPS and brevet pass rate: my school, its académie, France (or why there are none)."""
        if not self.school:
            return f"Mon établissement en contexte : {self.reason}"
        rows = {}
        if self.ips.get("ips") is not None:
            rows[f"IPS, rentrée {self.ips['year']}"] = [
                fr.number(v, 1) if v is not None else "—"
                for v in (self.ips["ips"], self.ips.get("academie"), self.ips.get("national"))
            ]
        if self.dnb.get("rate") is not None:
            rows[f"Réussite au brevet, session {self.dnb['session']}"] = [
                fr.percent(v, 1) if v is not None else "—"
                for v in (self.dnb["rate"], self.dnb.get("academie"), self.dnb.get("national"))
            ]
        if not rows:
            return f"{self.school.get('name')} : ni IPS ni résultats du brevet dans les données ouvertes chargées."
        columns = [self.school.get("name") or "mon établissement", f"académie de {self.academie}", "France"]
        return pd.DataFrame.from_dict(rows, orient="index", columns=columns).rename_axis("indicateur")

    def figures(self) -> dict[str, Figure]:
        """My school, its IPS and brevet rate, with the académie's and France's."""
        if not self.school:
            why = self.reason or "établissement introuvable"
            return {k: missing(why) for k in ("school_name", "school_ips", "school_dnb_rate")}
        no_ips = self.ips.get("reason") or "pas d'IPS publié pour cet établissement"
        no_dnb = self.dnb.get("reason") or "pas de résultats du brevet pour cet établissement"
        return {
            "school_name": figure(self.school.get("name")),
            "school_uai": figure(self.uai),
            "school_ips": figure(self.ips.get("ips"), digits=1, reason=no_ips),
            "ips_academie": figure(self.ips.get("academie"), digits=1, reason=no_ips),
            "ips_national": figure(self.ips.get("national"), digits=1, reason=no_ips),
            "school_dnb_rate": figure(self.dnb.get("rate"), digits=4, reason=no_dnb),
            "dnb_rate_academie": figure(self.dnb.get("academie"), digits=4, reason=no_dnb),
            "dnb_rate_national": figure(self.dnb.get("national"), digits=4, reason=no_dnb),
            "dnb_session": figure(
                None if self.dnb.get("session") is None else str(self.dnb["session"]), reason=no_dnb
            ),
        }

    def notes(self) -> list[str]:
        """The caution: a school, not a pupil."""
        out = [CAUTION]
        if self.ips.get("how"):
            out.append(f"Références de l'IPS : {self.ips['how']}.")
        if self.dnb.get("rate") is not None:
            out.append(
                "Taux de réussite au brevet : admis ÷ présents ; académie et France recalculées à partir des "
                "établissements présents dans le fichier chargé."
            )
        return out


def _my_uai(grades: pd.DataFrame | None, directory: pd.DataFrame, uai: str) -> tuple[str | None, str | None]:
    """(UAI, why not) of my school: given, else named by my most recent file, else found by its name."""
    if uai and uai != "auto":
        return uai.strip().upper(), None
    if grades is None or grades.empty:
        return None, "aucune note, donc aucun établissement : donnez school_uai"
    recent = grades.sort_values("date", kind="stable")
    codes = [str(u) for u in recent.get("uai", pd.Series(dtype=str)).fillna("") if str(u)]
    if codes:
        return codes[-1].upper(), None
    names = [str(n) for n in recent.get("school", pd.Series(dtype=str)).fillna("") if str(n)]
    if names:
        wanted = _plain(names[-1])
        hits = directory[directory["name"].map(_plain) == wanted]
        if len(hits) == 1:
            return str(hits["uai"].iloc[0]), None
        return (
            None,
            f"« {names[-1]} » : introuvable (ou ambigu) dans l'annuaire : donnez son UAI (school_uai)",
        )
    return None, "mes fichiers ne nomment pas mon établissement : donnez son UAI (school_uai)"


def _ips_of(ips: pd.DataFrame | None, uai: str, academie: str | None) -> dict[str, Any]:
    if ips is None or ips.empty:
        return {"reason": "IPS non chargé"}
    mine = ips[ips["uai"] == uai]
    if mine.empty:
        return {"reason": "pas d'IPS publié pour cet établissement dans le fichier chargé"}
    row = mine.sort_values("school_year").iloc[-1]
    same = ips[(ips["school_year"] == row["school_year"]) & (ips["level"] == row["level"])]
    published = pd.notna(row.get("ips_academie")) and pd.notna(row.get("ips_national"))
    acad: float | None
    nat: float | None
    if published:
        acad, nat, how = (
            float(row["ips_academie"]),
            float(row["ips_national"]),
            "valeurs publiées par la DEPP avec l'IPS",
        )
    else:
        in_acad = same[same["academie"].map(_plain) == _plain(academie)] if academie else same.iloc[0:0]
        acad = float(in_acad["ips"].mean()) if len(in_acad) else None
        nat = float(same["ips"].mean()) if len(same) else None
        how = "moyennes simples des établissements du fichier (la DEPP ne les publie pas dans ce fichier)"
    return {
        "ips": float(row["ips"]),
        "year": str(row["school_year"]),
        "academie": acad,
        "national": nat,
        "how": how,
    }


def _dnb_of(
    dnb: pd.DataFrame | None, uai: str, directory: pd.DataFrame, academie: str | None
) -> dict[str, Any]:
    if dnb is None or dnb.empty:
        return {"reason": "résultats du brevet non chargés"}
    mine = dnb[dnb["uai"] == uai].dropna(subset=["present", "passed"])
    mine = mine[mine["present"] > 0]
    if mine.empty:
        return {
            "reason": "pas de résultats du brevet pour cet établissement (un lycée, ou une session pas encore publiée)"
        }
    row = mine.sort_values("session").iloc[-1]
    session = int(row["session"])
    same = dnb[(dnb["session"] == session) & (dnb["present"] > 0)]

    def rate(rows: pd.DataFrame) -> float | None:
        present = float(rows["present"].sum())
        return float(rows["passed"].sum()) / present if present > 0 else None

    in_acad: set[str] = (
        set(directory.loc[directory["academie"].map(_plain) == _plain(academie), "uai"])
        if academie
        else set()
    )
    return {
        "rate": float(row["passed"]) / float(row["present"]),
        "session": session,
        "academie": rate(same[same["uai"].isin(in_acad)]),
        "national": rate(same),
    }


def school_context(
    grades: pd.DataFrame | None,
    directory: pd.DataFrame,
    ips: pd.DataFrame | None = None,
    dnb: pd.DataFrame | None = None,
    *,
    uai: str = "auto",
) -> SchoolContext:
    """My current school — ``uai``, or the one my most recent file names (a Pronote address, a UAI column,
    or a name found in the directory) — with its IPS and brevet pass rate beside its académie's and
    France's. The figures describe a school, not a pupil (:data:`CAUTION`).
    """
    code, why = _my_uai(grades, directory, uai)
    if code is None:
        return SchoolContext(None, reason=why)
    found = directory[directory["uai"] == code]
    if found.empty:
        return SchoolContext(
            code,
            reason=f"UAI {code} absent de l'annuaire chargé (échantillon ? `selfdata data fetch education-directory`)",
        )
    school = {str(k): (None if pd.isna(v) else v) for k, v in found.iloc[0].to_dict().items()}
    academie = school.get("academie")
    return SchoolContext(code, school, _ips_of(ips, code, academie), _dnb_of(dnb, code, directory, academie))


# --- what the school holds on me -------------------------------------------------------------------------

#: The services that hold data about a pupil of collège or lycée, what, and who sees it.
SERVICES: list[dict[str, str]] = [
    {
        "service": "Pronote (logiciel de vie scolaire de l'établissement)",
        "données": "notes et appréciations, absences et retards, punitions et sanctions, cahier de textes et "
        "devoirs, emploi du temps, messagerie",
        "qui les voit": "l'élève et ses responsables légaux ; les enseignants de la classe, la vie scolaire, "
        "la direction",
        "kinds": "grades,homework,absences",
    },
    {
        "service": "ENT de l'académie (Toutatice / MyToutatice dans l'académie de Rennes)",
        "données": "identité, classe et groupes, messagerie, documents déposés, accès aux services",
        "qui les voit": "l'élève, ses responsables et les personnels de l'établissement ; l'académie l'héberge",
        "kinds": "",
    },
    {
        "service": "SIECLE, base élèves du second degré (ministère)",
        "données": "identité, responsables légaux et leurs coordonnées, scolarité, options, bourses",
        "qui les voit": "le secrétariat et la direction de l'établissement, les services académiques",
        "kinds": "",
    },
    {
        "service": "Livret scolaire unique (LSU, du CP à la 3e)",
        "données": "bilans périodiques, acquis du socle, attestations",
        "qui les voit": "les enseignants et la direction ; les responsables légaux (Scolarité services)",
        "kinds": "",
    },
    {
        "service": "EduConnect (compte national)",
        "données": "identifiant, coordonnées du compte de l'élève et de ses responsables",
        "qui les voit": "le ministère, pour ouvrir l'accès aux services en ligne",
        "kinds": "",
    },
    {
        "service": "Affectation et orientation (Affelnet, en 3e ; Parcoursup, en terminale)",
        "données": "vœux, résultats retenus pour l'affectation, avis",
        "qui les voit": "l'établissement, les services académiques (et les formations demandées)",
        "kinds": "",
    },
    {
        "service": "Restauration scolaire (le département pour les collèges, la région pour les lycées)",
        "données": "inscription, passages au self, paiements",
        "qui les voit": "la collectivité et le service de restauration",
        "kinds": "",
    },
]


@dataclass(frozen=True)
class SchoolRecords(Result):
    """What the school and its services hold about a pupil, and the request to get a copy."""

    inventory: pd.DataFrame
    letter: str
    kinds_in_my_files: tuple[str, ...]

    @property
    def letter_paragraphs(self) -> pd.DataFrame:
        """The letter, one paragraph a row, to copy."""
        return pd.DataFrame(
            {"ma demande, à copier et compléter": [p for p in self.letter.split("\n\n") if p]}
        )

    def figures(self) -> dict[str, Figure]:
        """How many services hold data about me, what my files already give."""
        return {
            "services_holding_data": figure(len(self.inventory)),
            "data_kinds_in_my_files": figure(list(self.kinds_in_my_files)),
        }


def _rows(frame: pd.DataFrame | None) -> int:
    return 0 if frame is None else len(frame)


def what_the_school_holds(
    grades: pd.DataFrame | None = None,
    homework: pd.DataFrame | None = None,
    absences: pd.DataFrame | None = None,
    *,
    context: SchoolContext | None = None,
    dpo_contact: str = "",
    today: dt.date | None = None,
) -> SchoolRecords:
    """The services holding data about a pupil (:data:`SERVICES`), what my files already give of each, and a
    French access (GDPR art. 15) and portability (art. 20) request to the school's data-protection officer,
    with its one-month deadline (art. 12.3).
    """
    counts = {"grades": _rows(grades), "homework": _rows(homework), "absences": _rows(absences)}
    words = {
        "grades": ("note", "notes"),
        "homework": ("devoir", "devoirs"),
        "absences": ("absence ou retard", "absences et retards"),
    }
    inventory = []
    for s in SERVICES:
        mine = [fr.plural(counts[k], *words[k]) for k in s["kinds"].split(",") if k and counts[k]]
        inventory.append(
            {
                "service": s["service"],
                "ce qu'il contient": s["données"],
                "qui le voit": s["qui les voit"],
                "dans mes fichiers": ", ".join(mine) if mine else "—",
            }
        )
    school = context.school if context is not None else {}
    name = school.get("name") or "[nom de l'établissement]"
    uai = f" (UAI {context.uai})" if context is not None and context.uai else ""
    from selfdata_lib.analysis.holders import request_letter

    holder = {
        "holder": f"{name}{uai}",
        "data_held": "notes et appréciations, absences et retards, punitions et sanctions, cahier de textes et "
        "devoirs, messages, données d'identité et de scolarité (Pronote, ENT, SIECLE, livret scolaire unique, "
        "affectation)",
        # often the académie's DPO; the school's office gives the address
        "dpo_contact": dpo_contact.strip() or "[adresse du DPO de l'établissement ou de l'académie]",
    }
    letter = request_letter(
        holder,
        right="portability",
        name="[Prénom et nom du ou des représentants légaux], pour l'élève [prénom et nom]",
        today=today or dt.date.today(),
    )
    kinds = tuple(k for k in ("grades", "homework", "absences") if counts[k])
    return SchoolRecords(pd.DataFrame(inventory), letter, kinds)


# --- the reading -------------------------------------------------------------------------------------------


def _two(value: Any) -> str:
    """An average with two decimals, as Pronote shows it (« — » when there is none)."""
    return "—" if value is None or pd.isna(value) else fr.number(float(value), 2)


def _signed(value: float) -> str:
    """A change in points, signed: « +4,7 », « −2,3 »."""
    text = fr.number(abs(value), 1)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def _subject_word(subject: str) -> str:
    """A subject inside a sentence: « mathématiques », but « SVT »."""
    return subject if subject.isupper() else subject[:1].lower() + subject[1:]


def _term_words(row: pd.Series) -> str:
    """« trimestre 1 de 2023-2024 »."""
    period = str(row["period"])
    return f"{period[:1].lower() + period[1:]} de {row['school_year']}"


def _grades_sentences(history: GradeHistory) -> list[str]:
    if history.grades.empty:
        return ["Aucune note n'a pu être lue dans mes fichiers : rien à suivre pour l'instant."]
    years = history.grades["school_year"].nunique()
    schools = [s for s in dict.fromkeys(history.grades["school"]) if s]
    span = "une année scolaire" if years == 1 else f"{years} années scolaires"
    if len(schools) > 1:
        span += f" et {fr.plural(len(schools), 'établissement')}"
    general = history.general.dropna(subset=["average"])
    sentence = f"Sur {span}, {fr.plural(len(history.grades), 'note')} dans {fr.plural(len(history.subjects), 'matière')}"
    if len(general) >= 2:
        first, last = general.iloc[0], general.iloc[-1]
        sentence += (
            f" : ma moyenne générale recalculée passe de {fr.number(first['average'], 2)} "
            f"({_term_words(first)}) à {fr.number(last['average'], 2)} ({_term_words(last)})."
        )
    elif len(general):
        sentence += f" : ma moyenne générale recalculée est de {fr.number(general.iloc[-1]['average'], 2)}."
    else:
        sentence += "."
    out = [sentence]
    moved = [(str(s), float(v)) for s, v in history.changes().items() if abs(v) >= 0.5][:2]
    if moved:
        out.append(
            "Les plus grands changements : "
            + ", ".join(
                f"{_subject_word(s)} {_signed(v)} point{'s' if abs(v) >= 2 else ''}" for s, v in moved
            )
            + "."
        )
    return out


def _load_sentence(work: Workload | None, absences: Absences | None) -> list[str]:
    load = []
    if work is not None and not work.homework.empty:
        figures = work.figures()
        hours = figures["homework_hours_per_week"].value
        if hours is not None:
            load.append(
                f"environ {fr.number(hours, 1)} heure{'s' if hours >= 2 else ''} de devoirs par semaine de cours (le "
                f"{figures['busiest_weekday'].value} le plus chargé)"
            )
    if absences is not None and absences.known:
        total = absences.figures()["absences_half_days"].value
        load.append(f"{fr.plural(total, 'demi-journée')} d'absence")
    if not load:
        return []
    text = " et ".join(load)
    return [text[:1].upper() + text[1:] + "."]


def _context_sentence(context: SchoolContext | None) -> list[str]:
    if context is None:
        return []
    if not context.school:
        return [f"Mon établissement n'a pas été situé : {context.reason}."]
    parts = []
    if context.ips.get("ips") is not None:
        ref_ips = context.ips.get("academie")
        parts.append(
            f"un IPS de {fr.number(context.ips['ips'], 1)} (rentrée {context.ips['year']}"
            + (f" ; académie : {fr.number(ref_ips, 1)}" if ref_ips is not None else "")
            + ")"
        )
    if context.dnb.get("rate") is not None:
        ref_dnb = context.dnb.get("academie")
        parts.append(
            f"{fr.percent(context.dnb['rate'])} de réussite au brevet en {context.dnb['session']}"
            + (f" (académie : {fr.percent(ref_dnb)})" if ref_dnb is not None else "")
        )
    if not parts:
        return []
    return [f"{context.school.get('name')} : {' et '.join(parts)}. {CAUTION}"]


def interpret(
    history: GradeHistory,
    work: Workload | None = None,
    absences: Absences | None = None,
    context: SchoolContext | None = None,
) -> Reading:
    """The French reading of my school journey, written from my results."""
    head = _grades_sentences(history) + _load_sentence(work, absences)
    details = []
    if not history.terms.empty and history.terms["class_average"].notna().any():
        details.append(
            "La moyenne de la classe sert de repère matière par matière : elle situe le niveau des devoirs, "
            "elle ne classe personne."
        )
    return Reading(head, details + _context_sentence(context))
