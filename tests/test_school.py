"""My school journey (analysis.school) and the school-life importers behind it (exports.school): Pronote's
averages and their rounding, years and schools merged into one history, holidays in the homework weeks,
half-days of absence, bad lines refused with their number, the school in context, the access request.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from export_seeds import SEEDS

from selfdata_lib import exports, opendata
from selfdata_lib.analysis import school
from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports.school import read_grades_csv, read_pronotepy_grades, uai_from_url


def _grades(rows):
    """A grades frame from (date, subject, grade, out_of, coefficient[, extra fields])."""
    out = []
    for row in rows:
        date, subject, grade, out_of, coefficient, *extra = row
        out.append(
            {
                "date": pd.Timestamp(date, tz="Europe/Paris"),
                "subject": subject,
                "grade": grade,
                "out_of": out_of,
                "coefficient": coefficient,
                "period": "Trimestre 1",
                **(extra[0] if extra else {}),
            }
        )
    return pd.DataFrame(out)


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- averages ----------------------------------------------------------------------------------------------


def test_rounding_is_pronote_s_half_up_to_the_hundredth():
    assert school.round_like_pronote(12.125) == 12.13  # Python's round() gives 12.12 (half to even)
    assert round(12.125, 2) == 12.12
    assert school.round_like_pronote(14.675) == 14.68  # the float is a hair below 14.675
    assert school.round_like_pronote(12.124999) == 12.12
    assert school.round_like_pronote(13.0 + 1 / 3) == 13.33


def test_a_term_average_scales_to_20_weighs_coefficients_and_rounds():
    history = school.grade_history(
        _grades(
            [
                ("2024-10-01", "MATHEMATIQUES", 12.5, 20, 1),
                ("2024-10-08", "MATHEMATIQUES", 6, 10, 0.5),  # 12/20
                ("2024-10-15", "MATHEMATIQUES", 15, 20, 2),
            ]
        )
    )
    # (12.5 × 1 + 12 × 0.5 + 15 × 2) / 3.5 = 13.857…
    assert history.terms["average"].iloc[0] == 13.86
    assert history.figures()["general_average_last_term"].value == 13.86


def test_a_grade_not_brought_back_to_20_counts_its_points():
    history = school.grade_history(
        _grades(
            [
                ("2024-10-01", "PHYSIQUE-CHIMIE", 12.5, 20, 1),
                ("2024-10-08", "PHYSIQUE-CHIMIE", 6, 10, 0.5, {"scale_to_20": False}),  # weight 0.5 × 10/20
                ("2024-10-15", "PHYSIQUE-CHIMIE", 15, 20, 2),
            ]
        )
    )
    assert history.terms["average"].iloc[0] == pytest.approx(45.5 / 3.25)  # 14.0


def test_optional_grades_only_raise_and_bonus_grades_add_their_points_above_10():
    assert school.pronote_average([10, 14, 8], [1, 1, 1], optional=[False, True, True]) == pytest.approx(12)
    assert school.pronote_average([12, 16], [1, 1], bonus=[False, True]) == pytest.approx(18)
    assert school.pronote_average([12, 8], [1, 1], bonus=[False, True]) == pytest.approx(12)
    assert school.pronote_average([12], [0]) is None  # nothing counts


def test_the_general_average_is_the_mean_of_the_subject_averages():
    history = school.grade_history(
        _grades([("2024-10-01", "FRANCAIS", 12.125, 20, 1), ("2024-10-02", "ANGLAIS LV1", 16, 20, 1)])
    )
    general = history.general.iloc[0]
    assert general["average"] == school.round_like_pronote((12.125 + 16) / 2)
    assert set(history.subjects) == {"Français", "Anglais"}


# --- merging years and schools -----------------------------------------------------------------------------


def test_years_and_schools_merge_into_one_history_each_grade_once(tmp_path):
    folder = tmp_path / "mes_fichiers"
    folder.mkdir()
    _write(folder, "pronote_2024-2025.json", SEEDS["pronote.json"])  # Collège X, 2024-2025
    _write(folder, "io.cozy.timeseries.grades.json", SEEDS["io.cozy.timeseries.grades.json"])  # 2023-2024
    _write(  # the parents' table: the same mathematics grade, spelt their way
        folder,
        "carnet.csv",
        "date;matiere;note;bareme;coefficient\n03/10/2024;Mathématiques;14,5;20;2\n",
    )
    grades = exports.read_all(folder, "grades")
    assert grades.attrs["import_report"]["rows_kept"] == 5
    history = school.grade_history(grades)
    assert history.duplicates == 1
    assert len(history.grades) == 4
    assert history.figures()["school_years"].value == ["2023-2024", "2024-2025"]
    maths = history.grades[history.grades["subject_name"] == "Mathématiques"]
    assert len(maths) == 3 and maths["school_year"].nunique() == 2
    kept = maths[maths["date"] == pd.Timestamp("2024-10-03", tz="Europe/Paris")]
    assert kept["school"].iloc[0] == "Collège X"  # the row with the class's figures and the school is kept
    assert history.figures()["schools"].value == ["Collège X"]


def test_a_grade_listed_under_two_periods_is_read_once(tmp_path):
    dump = json.loads(SEEDS["pronote.json"])
    trimester = dump["periods"][0]
    year = dict(
        trimester, id="9#p", name="Année continue", start="2024-09-02 00:00:00", end="2025-07-04 00:00:00"
    )
    dump["periods"] = [year, trimester]  # Pronote lists the year first
    path = _write(tmp_path, "pronote.json", json.dumps(dump))
    grades = read_pronotepy_grades(path)
    assert len(grades) == 2 and set(grades["period"]) == {"Trimestre 1"}
    report = grades.attrs["import_report"]
    assert report["rejected_by_reason"] == {"note déjà lue dans une période plus courte": 2}
    absences = exports.read(path, kind="absences")
    assert len(absences) == 2  # one absence and one delay, each once


def test_subject_names_of_different_schools_are_the_same_subject():
    names = {
        "MATHEMATIQUES": "Mathématiques",
        "Maths": "Mathématiques",
        "SCIENCES VIE & TERRE": "SVT",
        "ED.PHYSIQUE & SPORT.": "EPS",
        "HIST.GEO.EMC": "Histoire-géographie",
        "HISTOIRE DES ARTS": "Histoire des arts",
        "PHYSIQUE-CHIMIE": "Physique-chimie",
        "ANGLAIS LV1 > Groupe 2": "Anglais",
        "ACCOMPAGNEMENT PERSO": "Accompagnement perso",
    }
    assert {k: school.canonical_subject(k) for k in names} == names


# --- the importers: bad lines, marks, schools --------------------------------------------------------------


def test_a_mistyped_grade_line_is_refused_naming_its_line(tmp_path):
    path = _write(
        tmp_path,
        "notes.csv",
        "date;matiere;note;bareme\n2024-10-03;Maths;14,5;20\n2024-10-04;Maths;1O;20\n2024-10-05;Maths;12\n",
    )
    grades = read_grades_csv(path)
    assert list(grades["grade"]) == [14.5, 12.0]  # the last line leaves out the scale: /20
    issue = grades.attrs["import_report"]["issues"][0]
    assert (issue["where"], issue["reason"]) == ("ligne 3", "note illisible")


def test_a_mistyped_header_names_the_line_and_the_typo(tmp_path):
    path = _write(tmp_path, "notes.csv", "date;matire;note\n2024-10-03;Maths;14,5\n")
    with pytest.raises(ExportFormatError, match=r"notes\.csv: ligne 1 .*« matiere ».*« matire »"):
        exports.read(path)


def test_out_of_range_grades_are_rejected_and_class_figures_flagged(tmp_path):
    path = _write(
        tmp_path,
        "notes.csv",
        "date;matiere;note;bareme;coefficient;moyenne_classe\n"
        "2024-10-03;Maths;25;20;1;11\n"
        "2024-10-04;Maths;-2;20;1;11\n"
        "2024-10-05;Maths;12;0;1;11\n"
        "2024-10-06;Maths;12;20;-1;11\n"
        "2024-10-07;Maths;8;10;1;14\n",
    )
    grades = read_grades_csv(path)
    report = grades.attrs["import_report"]
    assert report["rows_read"] == 5 and report["rows_kept"] == 1
    reasons = [(i["where"], i["reason"]) for i in report["issues"]]
    assert reasons[0] == ("ligne 2", "note hors barème (plus que le barème, ou négative)")
    assert reasons[1][0] == "ligne 3" and reasons[2][1].startswith("barème impossible")
    assert reasons[3][1] == "coefficient impossible"
    assert pd.isna(grades["class_average"].iloc[0])  # 14 on a /10 test: left out, and said
    assert any("hors du barème" in w for w in report["warnings"])


def test_pronote_marks_that_are_not_grades(tmp_path):
    dump = json.loads(SEEDS["pronote.json"])
    g = dump["periods"][0]["grades"]
    g[0]["grade"] = "Absent"
    g[1]["grade"] = "AbsentZero"  # counts as 0
    grades = read_pronotepy_grades(_write(tmp_path, "p.json", json.dumps(dump)))
    assert list(grades["grade"]) == [0.0]
    assert grades.attrs["import_report"]["rejected_by_reason"] == {
        "pas une note (absent, dispensé, non noté…)": 1
    }
    g[0]["grade"] = None  # no grade at all: the reason says so, no « (None) » after it
    report = read_pronotepy_grades(_write(tmp_path, "q.json", json.dumps(dump))).attrs["import_report"]
    [issue] = [i for i in report["issues"] if i["reason"] == "pas de note (élève absent ?)"]
    assert "detail" not in issue


def test_the_pronote_address_names_the_school():
    assert uai_from_url("https://0350000a.index-education.net/pronote/eleve.html") == "0350000A"
    assert uai_from_url("https://demo.index-education.net/pronote/") == ""


def test_cozy_documents_are_read_whatever_the_envelope(tmp_path):
    docs = json.loads(SEEDS["io.cozy.calendar.presence.json"])
    for envelope in (
        docs,
        {"docs": docs},
        {"rows": [{"doc": d} for d in docs]},
        {"data": [{"attributes": d} for d in docs]},
    ):
        frame = exports.read(_write(tmp_path, "presence.json", json.dumps(envelope)))
        assert list(frame["kind"]) == ["absence", "retard"]
    documented = [  # the field names of Cozy's doctype documentation (cozy-doctypes)
        {
            "start": "2024-01-15T08:00:00+01:00",
            "end": "2024-01-15T12:00:00+01:00",
            "justified": True,
            "type": "absence",
        },
        {"start": "2024-01-16T10:00:00+01:00", "end": "2024-01-16T11:00:00+01:00", "type": "observation"},
    ]
    frame = exports.read(_write(tmp_path, "presence.json", json.dumps(documented)))
    assert list(frame["justified"]) == [True] and frame.attrs["import_report"]["rows_rejected"] == 1
    homework = exports.read(_write(tmp_path, "todos.json", SEEDS["io.cozy.calendar.todos.json"]))
    assert list(homework["date"].dt.day) == [10, 12]  # 20231010T060000Z is 8 a.m. in Paris


# --- homework and holidays ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def calendar():
    return opendata.load("school-calendar", source="sample")


def test_holidays_follow_the_calendar_s_leaving_and_return_days(calendar):
    days = school.holiday_days(calendar, location="Rennes")
    toussaint = pd.Timestamp("2023-10-21").date()  # pupils leave on Saturday: a day without lessons
    assert toussaint in days and pd.Timestamp("2023-10-20").date() not in days
    assert pd.Timestamp("2023-11-05").date() in days and pd.Timestamp("2023-11-06").date() not in days
    assert pd.Timestamp("2024-05-10").date() in days  # the Ascension « pont »
    assert pd.Timestamp("2024-08-31").date() in days  # summer, for pupils (not the teachers' row)
    assert school.holiday_days(calendar, location="Lyon") == set()  # the sample has zone B only


def test_holiday_weeks_are_set_apart_from_the_homework_weeks(calendar):
    school_days = [d for d in pd.date_range("2023-10-02", "2023-11-24") if d.weekday() < 5]
    homework = pd.DataFrame(
        {
            "date": pd.DatetimeIndex(school_days).tz_localize("Europe/Paris"),
            "subject": "MATHEMATIQUES",
            "description": [f"devoir {i}" for i in range(len(school_days))],
            "done": True,
        }
    )
    off = school.holiday_days(calendar, location="Rennes")
    homework = homework[[d.date() not in off for d in homework["date"]]].reset_index(drop=True)
    work = school.workload(homework, calendar, location="Rennes", minutes_per_task=30)
    weeks = work.weeks.set_index("week")
    assert weeks.loc["2023-10-23", "holiday"] and weeks.loc["2023-10-30", "holiday"]
    assert not weeks.loc["2023-10-16", "holiday"] and not weeks.loc["2023-11-06", "holiday"]
    assert work.figures()["holiday_weeks"].value == 2
    assert work.figures()["homework_hours_per_week"].value == 2.5  # 5 a week × 30 min, holidays left out
    unknown = school.workload(homework, calendar, location="Lyon")
    assert unknown.figures()["holiday_weeks"].value is None
    assert unknown.figures()["homework_hours_per_week"].value == 2.5  # weeks without homework left out


def test_absences_count_school_half_days():
    absences = pd.DataFrame(
        {
            "start": pd.to_datetime(["2024-11-12 08:00", "2024-11-15 13:30", "2024-11-19 08:00"]).tz_localize(
                "Europe/Paris"
            ),
            "end": pd.to_datetime(["2024-11-12 17:30", "2024-11-18 12:00", "2024-11-19 08:10"]).tz_localize(
                "Europe/Paris"
            ),
            "kind": ["absence", "absence", "retard"],
            "justified": [True, False, False],
            "minutes": [float("nan"), float("nan"), 10.0],
        }
    )
    result = school.absences_by_month(absences)
    figures = result.figures()
    assert figures["absences_half_days"].value == 4  # a whole day, then Friday afternoon and Monday morning
    assert figures["unjustified_half_days"].value == 2
    assert figures["delays"].value == 1
    assert school.absences_by_month(None).figures()["absences_half_days"].value is None


# --- my school, the request, the reading -------------------------------------------------------------------


@pytest.fixture(scope="module")
def open_data():
    return [
        opendata.load(n, source="sample") for n in ("education-directory", "education-ips", "education-dnb")
    ]


def test_my_school_in_context_describes_a_school_not_a_pupil(open_data):
    directory, ips, dnb = open_data
    grades = _grades([("2024-10-01", "MATHEMATIQUES", 12, 20, 1, {"uai": "0003502B"})])
    context = school.school_context(grades, directory, ips, dnb)
    figures = context.figures()
    assert figures["school_name"].value == "Collège du Mail (fictif)"
    assert context.academie == "Rennes"
    assert figures["school_ips"].value == pytest.approx(113.1)
    assert figures["ips_academie"].value == pytest.approx(107.5)  # published beside the IPS
    assert figures["school_dnb_rate"].value == pytest.approx(131 / 139, abs=1e-4)
    assert figures["dnb_session"].value == "2024"
    assert 0.8 < figures["dnb_rate_academie"].value < 1
    assert school.CAUTION in context.notes()
    lost = school.school_context(_grades([("2024-10-01", "MATHS", 12, 20, 1)]), directory, ips, dnb)
    assert lost.figures()["school_ips"].value is None and "school_uai" in lost.reason


def test_the_request_letter_cites_the_articles_and_the_deadline(open_data):
    directory, ips, dnb = open_data
    grades = _grades([("2024-10-01", "MATHEMATIQUES", 12, 20, 1, {"uai": "0003502B"})])
    context = school.school_context(grades, directory, ips, dnb)
    held = school.what_the_school_holds(grades, None, None, context=context, dpo_contact="dpo@ac-exemple.fr")
    assert "article 15" in held.letter and "article 20" in held.letter and "article 12.3" in held.letter
    assert "un mois" in held.letter and "dpo@ac-exemple.fr" in held.letter and "0003502B" in held.letter
    assert held.figures()["data_kinds_in_my_files"].value == ["grades"]
    assert held.inventory.loc[0, "dans mes fichiers"] == "1 note"


def test_the_reading_is_written_from_the_results(open_data):
    rows = [("2023-10-02", "MATHEMATIQUES", 8 + i, 20, 1) for i in range(5)]
    rows += [("2024-10-02", "MATHEMATIQUES", 14 + i / 2, 20, 1, {"period": "Trimestre 1"}) for i in range(5)]
    history = school.grade_history(_grades(rows), window=3)
    reading = school.interpret(history)
    assert "2 années scolaires" in reading.headline
    assert "mathématiques +" in reading.headline
    assert school.CAUTION not in reading.headline
