"""Water analysis: per-person figures, leak detection (and its evaluation), savings, districts, and the
district reference built the cooperative way.
"""

from __future__ import annotations

import pandas as pd
import pytest

from selfdata_lib import settings
from selfdata_lib.analysis import water
from selfdata_lib.analysis.water import district_summary, release_reference
from selfdata_lib.exports import read
from selfdata_lib.opendata.water import load_water_reference, read_official_reference
from selfdata_lib.synth.cooperative import simulate_cooperative
from selfdata_lib.synth.households import simulate_household


def test_daily_litres_spreads_multi_day_readings_and_sums_meters():
    tz = "Europe/Paris"
    frame = pd.DataFrame(
        {
            "start": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-02"]).tz_localize(tz),
            "end": pd.to_datetime(["2025-01-02", "2025-01-02", "2025-01-05"]).tz_localize(tz),
            "litres": [100.0, 20.0, 300.0],
        }
    )
    daily = water.daily_litres(frame)
    assert daily.to_dict() == {
        pd.Timestamp("2025-01-01"): 120.0,
        pd.Timestamp("2025-01-02"): 100.0,
        pd.Timestamp("2025-01-03"): 100.0,
        pd.Timestamp("2025-01-04"): 100.0,
    }
    summary = water.per_person(daily, 2)
    assert summary.litres_per_person_day == pytest.approx(420 / 4 / 2)
    assert summary.figures()["litres_per_person_day"].value == pytest.approx(52.5)
    empty = water.per_person(daily.iloc[:0], 2)
    assert empty.litres_per_person_day is None  # not NaN: None, and the figure says why
    assert empty.figures()["litres_per_person_day"].reason == "aucun jour relevé"
    with pytest.raises(ValueError, match="occupants"):
        water.per_person(daily, 0)


def test_leak_is_found_with_its_dates_and_size():
    frame = simulate_household(
        "2025-01-01",
        "2026-01-01",
        occupants=2,
        holidays=[("2025-08-01", "2025-08-15")],
        leak=("2025-04-10", "2025-05-20", 120.0),
        seed=3,
    )
    leaks = water.detect_leaks(frame.set_index("day")["litres"])
    assert len(leaks) == 1
    leak = leaks[0]
    assert abs((leak.start - pd.Timestamp("2025-04-10")).days) <= 3
    assert abs((leak.end - pd.Timestamp("2025-05-20")).days) <= 3
    assert leak.extra_litres_per_day == pytest.approx(120, rel=0.3)
    assert not leak.ongoing
    assert leak.cost_eur(3.5) == pytest.approx(leak.litres_lost / 1000 * 3.5)


def test_no_leak_no_alarm_and_an_ongoing_leak_is_flagged():
    quiet = simulate_household(
        "2025-01-01", "2026-01-01", occupants=1, holidays=[("2025-07-10", "2025-07-24")], seed=5
    )
    assert water.detect_leaks(quiet.set_index("day")["litres"]) == []
    running = simulate_household(
        "2025-01-01", "2025-06-01", occupants=1, leak=("2025-04-20", "2025-06-01", 150.0), seed=6
    )
    leaks = water.detect_leaks(running.set_index("day")["litres"])
    assert len(leaks) == 1 and leaks[0].ongoing
    table = water.savings(1, 3.5, leaks[0])
    assert table["action"].iloc[-1] == "Réparer la fuite détectée"
    assert table["eur_per_year"].iloc[-1] == pytest.approx(leaks[0].extra_litres_per_day * 365 / 1000 * 3.5)


def test_camille_leak_is_detected(persona_camille):
    daily = water.daily_litres(read(persona_camille / "eau_du_grand_lyon_2025.json"))
    leaks = water.detect_leaks(daily)
    assert [(lk.start.date().isoformat(), lk.end.date().isoformat()) for lk in leaks] == [
        ("2025-09-08", "2025-10-19")
    ]


def test_evaluation_reports_recall_and_false_alarms():
    ev = water.evaluate_leak_detector(sizes=(20, 250), lengths=(28,), occupants=(2,), repeats=3, seed=1)
    assert list(ev["size_litres_per_day"]) == [0, 20, 250]
    big = ev[ev["size_litres_per_day"] == 250].iloc[0]
    assert big["recall"] == 1.0 and big["start_error_days"] <= 3
    smallest = water.smallest_reliable_leak(ev)
    assert smallest[2] == 250.0  # 20 l/day is lost in the noise of a two-person household


def test_district_lookup(isolated_settings):
    from selfdata_lib.opendata import load_lyon_arrondissements

    districts = load_lyon_arrondissements(source="sample")
    assert water.district_of(45.74571, 4.84252, districts) == "Lyon 7e Arrondissement"
    assert water.district_of(48.85, 2.35, districts) is None


def test_reference_release_matches_the_population_it_hides():
    districts = ["A", "B", "C"]
    members = simulate_cooperative(districts, members={"A": (400, 1.0), "B": (400, 1.2), "C": (5, 1.0)})
    hist = release_reference(members, districts)
    summary = district_summary(hist).set_index("district")
    assert summary.loc["C", "suppressed"]
    true_median = members.groupby("district")["litres_per_person_day"].median()
    for d in ("A", "B"):
        assert summary.loc[d, "median"] == pytest.approx(true_median[d], abs=12)
    assert summary.loc["B", "median"] > summary.loc["A", "median"]


def test_committed_reference_sample_is_a_proper_release():
    hist = load_water_reference(source="sample")
    release = hist.attrs["release"]
    assert release["simulated"] is True and release["epsilon"] == 1.0
    assert hist["district"].nunique() == 9
    summary = district_summary(hist)
    published = summary[~summary["suppressed"]]
    assert (published["noisy_contributors"] >= release["min_contributors"]).all()
    assert published["median"].between(60, 250).all()
    assert hist.attrs["provenance"]["sample"] is True


def test_official_reference_table(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text("commune;litres_per_person_day;source\nLyon;142,5;Rapport annuel\n", encoding="utf-8")
    ref = read_official_reference(path)
    assert ref.iloc[0].to_dict() == {
        "district": "Lyon",
        "litres_per_person_day": 142.5,
        "source": "Rapport annuel",
    }
    bad = tmp_path / "bad.csv"
    bad.write_text("ville,valeur\nLyon,140\n", encoding="utf-8")
    from selfdata_lib.errors import ExportFormatError

    with pytest.raises(ExportFormatError, match="district"):
        read_official_reference(bad)


def test_national_reference_and_price_are_sourced():
    assert water.NATIONAL_REFERENCE["litres_per_person_day"] > 0 and water.NATIONAL_REFERENCE["source"]
    assert water.DEFAULT_PRICE_LYON["eur_per_m3"] > 0 and water.DEFAULT_PRICE_LYON["source"]
    assert all(a["source"] for a in water.SAVING_ACTIONS)
    assert settings.project_folder.exists()


def test_savings_never_exceed_what_a_sober_household_could_save():
    typical = water.savings(2, 4.0)["eur_per_year"].sum()
    sober = water.savings(2, 4.0, litres_per_person_day=29.0)["eur_per_year"].sum()
    used = 29.0 * 2 * 365 / 1000 * 4.0  # what the sober household pays for all its water in a year
    assert sober < 0.5 * used < typical
    assert water.savings(2, 4.0, litres_per_person_day=400.0)["eur_per_year"].sum() == pytest.approx(typical)


def test_abroad_no_french_national_figure(tmp_path, monkeypatch):
    """Barcelona describes no water reference: no district and no national comparison — the French 148 l
    is not Spain's — and the reason says what to give; a country's figure given in the file is used.
    """
    import yaml

    from selfdata_lib import opendata, territories

    assert opendata.water_reference("", territory="barcelona", source="sample") is None
    position = water.compare_with_district(120.0, None, None)
    assert position.national is None and position.median is None
    assert position.figures()["national_litres_per_person_day"].value is None
    assert "rubrique water_reference : litres par personne et par jour" in (position.reason or "")
    paris = opendata.water_reference("", territory="paris", source="sample")
    france = water.compare_with_district(120.0, None, paris)
    assert france.national == water.NATIONAL_REFERENCE["litres_per_person_day"]
    path = territories.get("barcelona").path
    assert path is not None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["open_data"]["water_reference"] = {"litres_per_person_day": 133, "source": "INE (test)"}
    (tmp_path / "barcelona.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("SELFDATA_TERRITORIES", str(tmp_path))
    spain = opendata.water_reference("", territory="barcelona", source="sample")
    assert spain is not None and spain.attrs["provenance"]["source"] == "INE (test)"
    assert water.compare_with_district(120.0, None, spain).national == 133


def test_the_water_price_is_mine_else_my_territorys_else_no_euros():
    assert water.water_price(4.2, "paris") == (4.2, "le prix que j'ai indiqué")
    price, note = water.water_price("auto", "lyon")
    assert price == 3.5 and "Lyon" in note and "Métropole de Lyon" in note
    price, note = water.water_price("auto", "paris")
    assert price is None and "aucun prix de l'eau n'est décrit pour Paris" in note
    days = pd.date_range("2025-01-01", periods=120, freq="D")
    use = water.per_person(pd.Series(300.0, index=days), 2)
    leaks = water.leak_check(use, "auto", territory="paris")
    plan = water.savings_plan(use, leaks)
    assert plan.figures()["potential_savings_eur_year"].value is None
    text = str(water.interpret(use, leaks, water.compare_with_district(use, None, None), plan))
    assert "Pas d'euros" in text and "m³ par an" in text and "€" not in text


def test_my_position_without_a_district_histogram_is_a_bar_beside_the_national_mean():
    import matplotlib

    matplotlib.use("Agg")
    from types import SimpleNamespace

    from selfdata_lib.app import charts

    unknown = SimpleNamespace(histogram=None, median=None, official=False)
    fig = charts.plot_water_position(100.0, unknown, district=None, national=148.0)
    [ax] = fig.axes
    bars = {t.get_text(): p.get_width() for t, p in zip(ax.get_yticklabels(), ax.patches, strict=True)}
    assert bars == {"moyenne nationale": 148.0, "mon foyer": 100.0}
    assert ax.get_xlabel() == "litres par personne et par jour" and ax.get_ylabel() != "foyers"
    assert "sans référence de quartier" in ax.get_title()
    official = SimpleNamespace(histogram=None, median=118.0, official=True)
    [ax] = charts.plot_water_position(100.0, official, district="Lyon 7e", national=148.0).axes
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "moyenne nationale",
        "moyenne de Lyon 7e",
        "mon foyer",
    ]
    [ax] = charts.plot_water_position(100.0, unknown, district=None, national=None).axes
    assert not ax.patches and "rien à comparer" in ax.texts[0].get_text()
    assert "100 litres par personne et par jour" in ax.texts[0].get_text()
    matplotlib.pyplot.close("all")


def test_why_my_district_is_unknown_is_said_where_the_comparison_is_missing(isolated_settings):
    choice = water.DistrictChoice(
        None, None, "domicile introuvable (l'API Adresse nationale : pas d'accès à Internet ?)"
    )
    reference = load_water_reference(source="sample")
    position = water.compare_with_district(120.0, choice, reference)
    assert position.median is None
    assert position.reason == f"quartier inconnu — {choice.reason}"
    assert water.compare_with_district(120.0, None, reference).reason == "quartier inconnu"
