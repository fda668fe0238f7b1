"""Leisure tariffs: the quotient familial and its parts, the two tariff models on their bounds, the
sourced grids (unverified rows flagged), one tranche up or down, grids that do not apply outside their
territory, the programme's French errors, places near home, and the samples' round trip.
"""

from __future__ import annotations

import filecmp
import json

import pandas as pd
import pytest

from selfdata_lib import opendata, settings
from selfdata_lib.analysis import tariffs
from selfdata_lib.errors import ExportFormatError, ParameterError
from selfdata_lib.exports.household import read_household
from selfdata_lib.opendata.leisure import read_tariff_grids
from selfdata_lib.results import Figure
from selfdata_lib.samples.opendata import leisure as leisure_sample


@pytest.fixture(scope="module")
def grids() -> pd.DataFrame:
    return opendata.load("lyon-leisure-tariffs", source="sample")


def household(
    tmp_path, *, commune="69123", adults=(38,), children=(7, 12), revenu=None, couple=None, received=None
):
    lines = [
        "periode: 2025-06",
        f'commune: "{commune}"',
        "logement: {statut: locataire_vide, loyer: 650}",
        "adultes:",
        *(f"  - {{age: {age}, salaire_net_mensuel: 1500}}" for age in adults),
    ]
    if children:
        lines += ["enfants:", *(f"  - {{age: {age}}}" for age in children)]
    if revenu is not None:
        lines.append(f"revenu_imposable_annuel: {revenu}")
    if couple:
        lines.append(f"couple: {couple}")
    if received:
        lines.append("prestations_percues: {" + ", ".join(f"{k}: {v}" for k, v in received.items()) + "}")
    path = tmp_path / f"foyer_{commune}_{len(children)}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_household(path)


def step_grid(*tranches, verified=True):
    """A grid of one activity from ``(qf_min, qf_max, amount)`` tranches (``qf_max`` None: no bound)."""
    return pd.DataFrame(
        [
            {
                "activity": "x",
                "model": "tranches",
                "qf_min": lo,
                "qf_max": float("nan") if hi is None else hi,
                "amount": amount,
                "verified": verified,
            }
            for lo, hi, amount in tranches
        ]
    )


# --- the two models on their bounds ---------------------------------------------------------------------


def test_step_tranches_take_a_qf_on_a_bound_in_the_lower_tranche():
    rows = step_grid((0, 400, 1.0), (401, 800, 2.0), (801, None, 3.0))
    assert tariffs.tariff_at(rows, 0).amount == 1.0
    assert tariffs.tariff_at(rows, 400).amount == 1.0  # « QF ≤ 400 »
    assert tariffs.tariff_at(rows, 400.5).amount == 2.0  # above the bound: the next tranche
    assert tariffs.tariff_at(rows, 800).amount == 2.0
    assert tariffs.tariff_at(rows, 801).amount == 3.0
    top = tariffs.tariff_at(rows, 50_000)
    assert (top.amount, top.up, top.down) == (3.0, None, 2.0)
    bottom = tariffs.tariff_at(rows, 10)
    assert (bottom.up, bottom.down) == (2.0, None)
    assert tariffs.tariff_at(rows, 600).tranche == "QF de 401\u00a0€ à 800\u00a0€"
    assert tariffs.tariff_at(rows, 900).tranche == "QF au-dessus de 800\u00a0€"


def test_taux_d_effort_is_clipped_between_its_floor_and_ceiling():
    rows = pd.DataFrame(
        [
            {
                "model": "taux_effort",
                "qf_min": 0,
                "rate": 0.01,
                "floor": 3.0,
                "ceiling": 16.0,
                "verified": False,
            }
        ]
    )
    assert tariffs.tariff_at(rows, 100).amount == 3.0  # 1 € is below the floor
    assert tariffs.tariff_at(rows, 300).amount == pytest.approx(3.0)  # exactly on the floor
    assert tariffs.tariff_at(rows, 1000).amount == pytest.approx(10.0)
    assert tariffs.tariff_at(rows, 5000).amount == 16.0  # 50 € is above the ceiling
    middle = tariffs.tariff_at(rows, 1000, qf_step=100)
    assert (middle.up, middle.down) == (pytest.approx(11.0), pytest.approx(9.0))
    assert tariffs.tariff_at(rows, 0).down == 3.0  # never below a QF of 0, never below the floor
    assert not middle.verified


# --- the quotient familial --------------------------------------------------------------------------------


@pytest.mark.parametrize(("children", "parts"), [(0, 1.0), (1, 2.5), (2, 3.0), (3, 4.0), (4, 4.5), (5, 5.0)])
def test_caf_parts_of_a_single_parent(grids, children, parts):
    rule = grids.attrs["rules"]["quotients"]["caf"]["parts"]
    assert tariffs.quotient_parts(1, children, rule) == parts


def test_caf_counts_a_couple_as_a_single_parent_the_city_does_not(grids):
    rules = grids.attrs["rules"]["quotients"]
    assert tariffs.quotient_parts(2, 2, rules["caf"]["parts"]) == tariffs.quotient_parts(
        1, 2, rules["caf"]["parts"]
    )
    # fiscal parts: 1 per adult (+0,5 for a single parent), 0,5 per child for the first two, 1 from the third
    assert tariffs.quotient_parts(2, 2, rules["lyon-municipal"]["parts"]) == 3.0
    assert tariffs.quotient_parts(1, 2, rules["lyon-municipal"]["parts"]) == 2.5
    assert tariffs.quotient_parts(2, 3, rules["lyon-municipal"]["parts"]) == 4.0


def test_family_quotient_from_declared_resources_and_counted_benefits(tmp_path, grids):
    home = household(tmp_path, revenu=18000)
    q = tariffs.family_quotient(home, {"af": 150.0, "ppa": 200.0}, grids)
    assert q.values["caf"] == pytest.approx((18000 / 12 + 150) / 3)  # the prime d'activité is not counted
    assert q.values["lyon-municipal"] == pytest.approx(18000 / 12 / 2.5)  # no benefit, fiscal parts
    figs = q.figures()
    assert figs["quotient_familial"].value == 550
    assert not any("approchées" in w for w in figs["quotient_familial"].warnings)
    assert any("prime d'activité" in w and "à vérifier" in w for w in figs["quotient_familial"].warnings)
    assert figs["quotient_municipal"].warnings == ("règle à vérifier",)


def test_family_quotient_without_taxable_income_says_it_is_approximate(tmp_path, grids):
    q = tariffs.family_quotient(household(tmp_path), {"af": 150.0}, grids)
    assert q.resources_eur_month == 1500 and q.approximate
    assert any("salaires nets déclarés × 12" in w for w in q.figures()["quotient_familial"].warnings)


def test_declared_benefits_win_and_a_known_qf_replaces_the_estimate(tmp_path, grids):
    home = household(tmp_path, revenu=18000, received={"af": 140})
    q = tariffs.family_quotient(home, {"af": 150.0}, grids)
    assert q.counted_eur_month["caf"] == 140.0
    given = tariffs.family_quotient(home, {"af": 150.0}, grids, known="612")
    assert given.qf == 612.0 and given.estimated["caf"] == pytest.approx((1500 + 140) / 3)
    assert given.figures()["quotient_origin"].value == "donné : mon attestation CAF"
    with pytest.raises(ParameterError, match="nombre d'euros"):
        tariffs.family_quotient(home, {}, grids, known="beaucoup")


# --- the sourced grids -----------------------------------------------------------------------------------


def test_college_grid_holds_the_sourced_tranches_and_flags_the_others(grids):
    college = grids[grids["activity"] == "cantine-college"].sort_values("qf_min")
    assert len(college) == 8  # délibération n° 2023-1733: eight tranches
    assert college["amount"].min() == 1.0 and college["amount"].max() == 6.0
    sure = college[college["verified"]]
    assert list(zip(sure["qf_max"].fillna(-1), sure["amount"], strict=True)) == [
        (400, 1.0),
        (800, 2.0),
        (1200, 3.0),
        (-1, 6.0),
    ]
    unsure = college[~college["verified"]]
    assert unsure["qf_min"].min() == 1201 and unsure["qf_max"].max() == 2600
    assert (grids["source_url"].str.startswith("http")).all()


def test_an_unverified_amount_is_never_shown_as_sound(tmp_path, grids):
    home = household(tmp_path, revenu=12 * 3 * 1400)  # QF 1 400: an unverified collège tranche
    mine = tariffs.my_tariffs(tariffs.family_quotient(home, {}, grids), grids, home, ["cantine-college:12"])
    meal = mine.figures()["college_meal_eur"]
    assert meal.value is not None and meal.warnings == ("montant à vérifier",)
    assert "à vérifier" in mine.table["votre tarif"].iloc[0]
    assert "Cantine du collège" in mine.figures()["activities_to_verify"].value
    assert any("à vérifier" in w for w in mine.figures()["programme_cost_eur_year"].warnings)
    assert "à vérifier" in tariffs.interpret(tariffs.family_quotient(home, {}, grids), mine).headline
    sure = household(tmp_path, revenu=12 * 3 * 500)  # QF 500: the sourced 2 € tranche
    sound = tariffs.my_tariffs(tariffs.family_quotient(sure, {}, grids), grids, sure, ["cantine-college:12"])
    assert sound.figures()["college_meal_eur"] == Figure(2.0, None, ())
    assert sound.table["fiabilité"].iloc[0] == "sourcé (2023-06-07)"


def test_one_tranche_up_or_down_changes_the_year_by_the_neighbouring_tranches(tmp_path, grids):
    home = household(tmp_path, revenu=12 * 3 * 600)  # QF 600: 2 € a meal, between 1 € and 3 €
    mine = tariffs.my_tariffs(
        tariffs.family_quotient(home, {}, grids), grids, home, ["cantine-college:12:100"]
    )
    figs = mine.figures()
    assert figs["programme_cost_eur_year"].value == 200
    assert figs["cost_if_qf_tranche_up_eur_year"].value == 100  # 3 € instead of 2 €, 100 meals
    assert figs["cost_if_qf_tranche_down_eur_year"].value == -100  # 1 € instead of 2 €
    assert figs["cost_if_qf_tranche_up_eur_year"].warnings == ()  # the 3 € tranche is sourced
    # the top of the grid: no tranche above, the year does not change
    rich = household(tmp_path, revenu=12 * 3 * 4000)
    top = tariffs.my_tariffs(
        tariffs.family_quotient(rich, {}, grids), grids, rich, ["cantine-college:12:100"]
    )
    assert top.figures()["programme_cost_eur_year"].value == 600
    assert top.figures()["cost_if_qf_tranche_up_eur_year"].value == 0


# --- territories -----------------------------------------------------------------------------------------


def test_outside_lyon_the_lyon_grids_are_said_not_to_apply(tmp_path, grids):
    paris = household(tmp_path, commune="75056", revenu=18000)
    q = tariffs.family_quotient(paris, {}, grids)
    mine = tariffs.my_tariffs(q, grids, paris, ["cantine-college:12", "conservatoire:7"])
    assert mine.lines["amount"].isna().all()
    assert "Métropole de Lyon" in mine.lines["reason"].iloc[0] and "75056" in mine.lines["reason"].iloc[0]
    figs = mine.figures()
    assert figs["programme_cost_eur_year"].value is None
    assert (
        figs["programme_cost_eur_year"].reason == "aucune activité du programme ne s'applique à votre foyer"
    )
    assert figs["college_meal_eur"].value is None and "ne s'applique pas" in figs["college_meal_eur"].reason
    assert set(figs["activities_not_applicable"].value) >= {"Cantine du collège", "Conservatoire (une année)"}
    # a public pool is open to everyone: its price is still given
    assert "Piscine municipale (entrée)" in " ".join(figs["my_tariffs_eur"].value)
    # every grid of the Métropole or the city (five of them concern children of 7 and 12)
    assert "5 grilles ne s'appliquent pas à votre commune (75056)" in tariffs.interpret(q, mine).headline


def test_villeurbanne_has_the_metropole_grid_not_the_city_ones(tmp_path, grids):
    home = household(tmp_path, commune="69266", revenu=18000)
    mine = tariffs.my_tariffs(
        tariffs.family_quotient(home, {}, grids), grids, home, ["cantine-college:12", "cantine-ecole:7"]
    )
    college, school = mine.lines.iloc[0], mine.lines.iloc[1]
    assert college["amount"] is not None and not pd.isna(college["amount"])
    assert pd.isna(school["amount"]) and "Ville de Lyon" in school["reason"]
    view = mine.overview
    assert (
        view.loc[view["amount"].notna(), "reason"].isna().all()
    )  # no reason leaks onto a tariff that applies
    assert set(view.loc[view["amount"].isna(), "territory"]) == {"la Ville de Lyon"}


# --- the programme ---------------------------------------------------------------------------------------


def test_a_mistyped_activity_names_the_closest_one(tmp_path, grids):
    home = household(tmp_path)
    q = tariffs.family_quotient(home, {}, grids)
    with pytest.raises(ParameterError, match="« piscin » inconnue. Vouliez-vous dire « piscine »"):
        tariffs.my_tariffs(q, grids, home, ["piscin:7"])
    with pytest.raises(ParameterError, match="Vouliez-vous dire « cantine-college »"):
        tariffs.my_tariffs(q, grids, home, "cantine-colege:12")
    with pytest.raises(ParameterError, match="enfant de 7 ans, enfant de 12 ans"):
        tariffs.my_tariffs(q, grids, home, ["cantine-college:9"])
    with pytest.raises(ParameterError, match="quantité"):
        tariffs.my_tariffs(q, grids, home, ["piscine:7:souvent"])


def test_auto_programme_gives_each_child_its_canteen(tmp_path, grids):
    home = household(tmp_path)
    items = tariffs.parse_programme("auto", home, list(grids["activity"]))
    by_age = {(i.activity, i.who.age) for i in items if i.who is not None}
    assert ("cantine-ecole", 7) in by_age and ("cantine-college", 12) in by_age
    assert ("cantine-college", 7) not in by_age and ("bibliotheque", 38) in by_age
    # an activity without a person is for everyone whose age fits: the library for all three
    mine = tariffs.my_tariffs(tariffs.family_quotient(home, {}, grids), grids, home, "Bibliothèque")
    assert sorted(mine.lines["who"]) == ["enfant de 12 ans", "enfant de 7 ans", "vous (38 ans)"]
    assert mine.lines.set_index("who").loc["enfant de 7 ans", "amount"] == 0.0  # free for minors


def test_the_words_are_votre_tarif_never_a_reduced_one(tmp_path, grids):
    home = household(tmp_path, revenu=6000)
    q = tariffs.family_quotient(home, {"af": 150.0}, grids)
    mine = tariffs.my_tariffs(q, grids, home, "auto")
    text = " ".join([tariffs.interpret(q, mine), *mine.table.columns, *mine.overview_table.columns])
    assert "votre tarif" in text and "réduit" not in text.lower() and "modeste" not in text.lower()


# --- places near home ------------------------------------------------------------------------------------


def test_walking_minutes_are_straight_line_times_1_3_at_4_8_kmh():
    places = pd.DataFrame(
        {
            "name": ["A", "B"],
            "kind": ["pool", "pool"],
            "lat": [45.0 + 1000 / 111_195, 45.1],
            "lon": [4.8, 4.8],
        }
    )
    near = tariffs.places_near("45.0,4.8", places, per_kind=1)
    assert near.places["name"].iloc[0] == "A"
    assert near.places["walk_minutes"].iloc[0] == pytest.approx(1000 * 1.3 / 80, rel=1e-3)
    assert near.figures()["nearest_by_kind"].value == {"piscine": "A"}
    nowhere = tariffs.places_near("", places)
    assert nowhere.figures()["nearest_by_kind"].value is None
    assert "home" in nowhere.figures()["nearest_by_kind"].reason and len(nowhere.places) == 2


# --- samples and loaders ---------------------------------------------------------------------------------


def test_samples_round_trip(tmp_path, monkeypatch, isolated_settings):
    written = leisure_sample.build_leisure_tariffs_sample(tmp_path / "lyon-leisure-tariffs")
    written += leisure_sample.build_leisure_places_sample(tmp_path / "lyon-leisure-places")
    for path in written:
        committed = settings.opendata_samples_folder / path.parent.name / path.name
        assert filecmp.cmp(path, committed, shallow=False), path.name
    monkeypatch.setattr(settings, "opendata_samples_folder", tmp_path)
    grid = opendata.load("lyon-leisure-tariffs", source="sample")
    assert len(grid) == len(leisure_sample.tariff_rows())
    assert grid["verified"].dtype == bool and grid["verified"].sum() == sum(
        r["verified"] for r in leisure_sample.tariff_rows()
    )
    assert set(grid.attrs["rules"]["territories"]["metropole-de-lyon"]["communes"]) >= {
        "69123",
        "69266",
        "69388",
    }
    places = opendata.load("lyon-leisure-places", source="sample")
    assert places.attrs["provenance"]["sample"] is True and set(places["kind"]) >= {"pool", "library"}


def test_a_grid_row_without_its_model_is_refused_with_its_line(tmp_path):
    folder = tmp_path / "grid"
    leisure_sample.build_leisure_tariffs_sample(folder)
    path = folder / "grilles_tarifaires.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",tranches,", ",paliers,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ExportFormatError, match="ligne 4 : modèle « paliers » inconnu"):
        read_tariff_grids(path, folder / "regles_tarifaires.yaml")


def test_live_places_merge_the_two_grandlyon_layers(isolated_settings, local_http, monkeypatch):
    def layer(name, lon, lat):
        feature = {"type": "Feature", "properties": {"nom": name, "adresse": "1 rue X", "commune": "Lyon"}}
        feature["geometry"] = {"type": "Point", "coordinates": [lon, lat]}
        return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()

    local_http.routes["/pools"] = ("application/json", layer("Piscine test", 4.85, 45.75))
    local_http.routes["/sports"] = ("application/json", layer("Gymnase test", 4.86, 45.76))
    urls = {
        "piscines.geojson": f"{local_http.url}/pools",
        "equipements_sportifs.geojson": f"{local_http.url}/sports",
    }
    monkeypatch.setenv("SELFDATA_LIVE_LYON_LEISURE_PLACES", json.dumps(urls))
    places = opendata.load("lyon-leisure-places", source="live")
    assert places.attrs["provenance"]["origin"] == "cache"
    assert dict(zip(places["name"], places["kind"], strict=True)) == {
        "Piscine test": "pool",
        "Gymnase test": "sports_hall",
    }
    assert places.loc[places["name"] == "Gymnase test", "lat"].item() == 45.76


def test_chart_and_map_show_every_line_and_place(tmp_path, grids):
    from selfdata_lib.app import leisure_views
    from selfdata_lib.app.viz import map_html

    home = household(tmp_path, revenu=18000)
    mine = tariffs.my_tariffs(tariffs.family_quotient(home, {}, grids), grids, home, "auto")
    fig = leisure_views.plot_programme_costs(mine)
    bars = fig.axes[0].patches
    assert len(bars) == len(mine.applicable)
    assert sum(bool(b.get_hatch()) for b in bars) == int((~mine.applicable["verified"].astype(bool)).sum())
    places = opendata.load("lyon-leisure-places", source="sample")
    page = map_html(leisure_views.map_leisure_places(tariffs.places_near("45.7343,4.8695", places, mine)))
    assert "mon domicile" in page and "Piscine d" in page and "votre tarif" in page
    assert "https://cdn" not in page


def test_the_time_by_tcl_walks_to_a_station_rides_and_walks_again():
    import math

    import pandas as pd

    from selfdata_lib.analysis import tariffs as t

    stations = pd.DataFrame(
        {
            "name": ["A", "B"],
            "mode": ["métro", "métro"],
            "stop_lat": [45.7400, 45.7600],
            "stop_lon": [4.8500, 4.8500],
        }
    )
    places = pd.DataFrame({"lat": [45.7605, 45.7402, 45.9000], "lon": [4.8500, 4.8500, 4.8500]})
    minutes = t.tcl_minutes(45.7400, 4.8500, places, stations)
    ride = 2224 * 1.3 / (t.TCL["kmh"] * 1000 / 60)  # 2.2 km between the stations
    assert minutes[0] == pytest.approx(t.TCL["wait_min"] + ride, abs=1.0)
    assert math.isnan(minutes[1])  # the same station at both ends: walk
    assert math.isnan(minutes[2])  # no station within 800 m of the place
    assert pd.isna(t.tcl_minutes(45.7400, 4.8500, places, None)).all()  # no stations loaded: no time
