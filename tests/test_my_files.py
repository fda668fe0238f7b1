"""A run on my files is mine, right or clearly refused: the six things seen in issue 13, kept as tests.

1. a mistyped parameter is an error, not the persona's analysis;
2. a run given my file uses no persona file or fact, is labelled mine and written apart;
3. units declared anywhere are honoured, implausible figures are flagged next to the figure;
4. a curve whose period the weather sample does not cover runs to the end (heating from normals);
5. a departure a few minutes before the availability snapshot is the snapshot;
6. the reading is computed from my results, not written for a persona.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from selfdata_lib import settings
from selfdata_lib.analysis import water
from selfdata_lib.app import runner, usecases
from selfdata_lib.app.cli import app
from selfdata_lib.errors import ParameterError

CAMILLE_WATER = settings.personas_folder / "camille" / "eau_du_grand_lyon_2025.json"
#: A file of each kind, to stand for "my" file in the tests that only plan runs (copied elsewhere when the
#: test must not point into the samples).
FILE_OF_KIND = {
    "water": CAMILLE_WATER,
    "electricity": settings.personas_folder / "camille" / "enedis_courbe_de_charge.csv",
    "gas": settings.personas_folder / "morel" / "gazpar_donnees_informatives.json",
    "visits": settings.personas_folder / "camille" / "Semantic Location History" / "2025" / "2025_MARCH.json",
    "trips": settings.personas_folder / "yanis" / "Timeline.json",
    "bank": settings.personas_folder / "yanis" / "releve_compte_credit_agricole.csv",
}


def _litres_file(tmp_path: Path, *, unit_key: str = "unites", unit: str = "l") -> Path:
    """Camille's days turned into litres, the unit declared once at the top of the file (or wrongly)."""
    doc = json.loads(CAMILLE_WATER.read_text())
    for poste in doc["postes"]:
        poste.pop("unite", None)
        for item in poste["data"]:
            if item["valeur"] is not None:
                item["valeur"] = round(item["valeur"] * 1000 * 0.9)
    doc[unit_key] = {"consommation": unit} if unit_key == "unites" else unit
    path = tmp_path / "ma_conso.json"
    path.write_text(json.dumps(doc))
    return path


# --- 1. mistyped parameters ------------------------------------------------------------------------------


def test_a_typo_names_the_closest_parameter_and_lists_them_all(tmp_path):
    card = usecases.get_use_case("lyon-water-district")
    with pytest.raises(ParameterError) as err:
        runner.plan_run(card, overrides={"water_exprt": str(_litres_file(tmp_path))})
    msg = str(err.value)
    assert "« water_exprt »" in msg and "Vouliez-vous dire « water_export »" in msg
    assert "occupants" in msg and "nombre de personnes du foyer" in msg  # the whole list, with meanings
    energy = usecases.get_use_case("nantes-home-energy")
    with pytest.raises(ParameterError, match="linky_export"):
        runner.plan_run(energy, overrides={"electricity_export": str(CAMILLE_WATER)})


def test_the_cli_refuses_a_typo_before_running_anything(tmp_path, isolated_settings):
    result = CliRunner().invoke(app, ["run", "lyon-water-district", "-p", "water_exprt", str(CAMILLE_WATER)])
    assert result.exit_code == 1
    assert "Vouliez-vous dire « water_export »" in result.output
    assert not (isolated_settings / "outputs").exists()  # nothing ran, nothing was written


@pytest.mark.parametrize(
    ("case", "name", "value", "needle"),
    [
        ("lyon-water-district", "occupants", "trois", "nombre entier"),
        ("lyon-water-district", "occupants", 0, "de 1 à 20"),
        ("lyon-water-district", "water_export", "/nowhere/eau.json", "n'existe pas"),
        ("lyon-water-district", "home", "12 rue de la République", "geocode_online"),
        ("lyon-water-district", "home", "45.7,400", "longitude"),
        ("lyon-water-district", "open_data", "internet", "l'une des valeurs"),
        ("nantes-home-energy", "offpeak_hours", "22h-6h", "HH:MM-HH:MM"),
        ("nantes-home-energy", "tariff_date", "2025-02-30", "date qui existe"),
        ("nantes-home-energy", "subscribed_kva", "beaucoup", "auto"),
        ("lyon-velov-route", "departure", "demain matin", "AAAA-MM-JJ HH:MM"),
        ("larochelle-mobility-footprint", "to_mode", "trottinette", "bike"),
    ],
)
def test_values_are_checked_against_the_parameters_cell(case, name, value, needle):
    with pytest.raises(ParameterError, match=needle):
        runner.plan_run(usecases.get_use_case(case), overrides={name: value})


def test_a_folder_is_not_a_file_and_relative_paths_start_from_here(tmp_path, monkeypatch):
    card = usecases.get_use_case("lyon-water-district")
    with pytest.raises(ParameterError, match="c'est un dossier"):
        runner.plan_run(card, overrides={"water_export": str(tmp_path)})
    path = _litres_file(tmp_path)
    monkeypatch.chdir(tmp_path)
    plan = runner.plan_run(card, overrides={"water_export": path.name, "occupants": "3"})
    assert plan.parameters["water_export"] == str(path.resolve()) and plan.parameters["occupants"] == 3


# --- 2. a run on my files is mine ---------------------------------------------------------------------


def test_my_file_blanks_every_other_personal_file_and_persona_fact(tmp_path):
    water_card = usecases.get_use_case("lyon-water-district")
    mine = _litres_file(tmp_path)
    with pytest.raises(ParameterError, match="occupants"):  # Camille's two occupants are not mine
        runner.plan_run(water_card, overrides={"water_export": str(mine)})
    plan = runner.plan_run(water_card, overrides={"water_export": str(mine), "occupants": 3})
    assert (plan.mode, plan.name, plan.label) == ("mine", "mes-donnees", "vos fichiers")
    assert plan.parameters["location_export"] == "" and plan.parameters["home"] == "auto"
    with pytest.raises(ParameterError, match="préréglage"):
        runner.plan_run(water_card, "camille", overrides={"water_export": str(mine), "occupants": 3})
    energy = runner.plan_run(
        usecases.get_use_case("nantes-home-energy"),
        overrides={"linky_export": str(FILE_OF_KIND["electricity"])},
    )
    assert energy.parameters["gas_export"] == "" and energy.parameters["surface_m2"] is None
    assert energy.parameters["iris_code"] == "" and energy.parameters["home"] == ""
    assert energy.parameters["subscribed_kva"] == "auto"


def test_a_preset_with_changed_settings_is_written_beside_the_preset():
    plan = runner.plan_run(usecases.get_use_case("lyon-water-district"), overrides={"occupants": 3})
    assert (plan.mode, plan.name) == ("preset-modified", "camille-modifie")
    assert "modifiés" in plan.label


@pytest.mark.parametrize(
    "card", [c for c in usecases.list_use_cases() if c.personal_parameters], ids=lambda c: c.id
)
def test_no_persona_file_survives_in_a_run_on_my_files(card, tmp_path):
    """Whatever personal parameter I give, no effective parameter (given, injected or default) points to
    a persona's file.
    """
    from selfdata_lib.app.parameters import parameter_specs

    specs = parameter_specs(card)
    mine = tmp_path / "mine"
    mine.mkdir()
    for name in card.personal_parameters:
        spec = specs[name]
        kind = card.personal_parameters[name]["kind"]
        value = {
            "file": str(FILE_OF_KIND.get(kind, CAMILLE_WATER).resolve()),
            "path": str(FILE_OF_KIND["visits"]),
            "folder": str(mine),
            "place": "45.75,4.85",
        }[spec.type]
        given = {name: value, **{n: 2 for n, s in specs.items() if s.mine == "required"}}
        if spec.type == "place":  # a typed place alone: the other places typed too, files left empty
            given.update({n: "45.76,4.86" for n, s in specs.items() if s.type == "place" and s.auto_from})
        try:
            plan = runner.plan_run(card, overrides=given)
        except ParameterError as exc:  # a required file is missing: refused before anything runs
            assert "Rien n'a été lancé" in str(exc)
            continue
        effective = {n: plan.parameters.get(n, s.default) for n, s in specs.items()}
        leaks = {n: v for n, v in effective.items() if "personas" in str(v) and n != name}
        assert not leaks, f"{card.id}: {name} given, yet persona files remain: {leaks}"


@pytest.mark.notebooks
def test_my_water_run_is_labelled_mine_and_leaves_the_persona_alone(tmp_path, isolated_settings):
    persona_out = settings.outputs_folder / "lyon-water-district" / "camille"
    persona_out.mkdir(parents=True)
    (persona_out / "results.json").write_text('{"preset": "camille"}')
    mine = _litres_file(tmp_path)
    outcome = runner.run_use_case(
        "lyon-water-district", overrides={"water_export": str(mine), "occupants": 3}, block_network=True
    )
    assert outcome.ok, outcome.error
    assert outcome.out_dir == settings.outputs_folder / "lyon-water-district" / "mes-donnees"
    assert (persona_out / "results.json").read_text() == '{"preset": "camille"}'
    data = json.loads(outcome.results_path.read_text())
    assert data["label"] == "vos fichiers" and data["persona"] is None
    assert [e["file"] for e in data["inputs"]] == ["ma_conso.json"]  # not Camille's location history
    assert data["inputs"][0]["sample"] is False and len(data["inputs"][0]["sha256"]) == 64
    assert data["results"]["district"] is None and "home" in data["missing"]["district"]
    assert 60 <= data["results"]["litres_per_person_day"] <= 80  # 0.9 × Camille's 118 l × 2 people / 3 people
    report = (outcome.out_dir / "report.html").read_text()
    assert "vos fichiers" in report and "mon fichier" in report


# --- 3. units and magnitudes -------------------------------------------------------------------------


def test_a_unit_declared_once_at_the_top_is_honoured(tmp_path):
    from selfdata_lib import exports

    frame = exports.read(_litres_file(tmp_path), kind="water")
    assert 150 < frame["litres"].median() < 300 and not frame.attrs["import_report"]["warnings"]
    frame = exports.read(_litres_file(tmp_path, unit_key="unite", unit="litres"), kind="water")
    assert 150 < frame["litres"].median() < 300


def test_a_wrong_declared_unit_is_flagged_not_printed_as_sound(tmp_path):
    from selfdata_lib import exports

    frame = exports.read(_litres_file(tmp_path, unit_key="unite", unit="m3"), kind="water")
    warnings = " ".join(frame.attrs["import_report"]["warnings"])
    assert "unité" in warnings and "m³" in warnings
    assert len(frame) >= 355  # flagged, not dropped: nothing is lost


@pytest.mark.notebooks
def test_an_absurd_figure_carries_its_warning_in_the_results(tmp_path):
    path = _litres_file(tmp_path, unit_key="unite", unit="m3")
    outcome = runner.run_use_case(
        "lyon-water-district",
        overrides={"water_export": str(path), "occupants": 3},
        out_dir=tmp_path / "out",
        block_network=True,
    )
    assert outcome.ok, outcome.error
    data = json.loads(outcome.results_path.read_text())
    assert data["results"]["litres_per_person_day"] > 10_000
    flags = " ".join(data["warnings"]["litres_per_person_day"])
    assert "invraisemblable" in flags and "unité" in flags
    assert data["warnings"]["leak_cost_eur"]
    nb = nbformat.read(outcome.out_dir / "notebook.ipynb", as_version=4)
    shown = json.dumps([o for c in nb.cells for o in c.get("outputs", [])], ensure_ascii=False)
    assert "⚠ Ma consommation : " in shown and "Attention" in shown  # next to the figure, and in the reading


# --- 4 and 5: notebooks degrade, small clock differences ------------------------------------------------


@pytest.mark.notebooks
def test_a_curve_outside_the_weather_sample_runs_to_the_end(tmp_path):
    from variants import VARIANTS

    variant = next(v for v in VARIANTS if v.name == "linky-2019-horaire-sans-gaz")
    folder = variant.write(tmp_path)
    outcome = runner.run_use_case(
        "nantes-home-energy",
        overrides=variant.parameters(folder, "nantes-home-energy"),
        out_dir=tmp_path / "out",
        block_network=True,
    )
    assert outcome.ok, outcome.error
    data = json.loads(outcome.results_path.read_text())
    assert data["results"]["heating_method"] == "normals"
    assert any("approchée" in w for w in data["warnings"]["thermosensitivity_kwh_per_degree_day"])
    assert data["results"]["cost_base_eur"] > 0 and data["results"]["best_tariff"] in (
        "Base",
        "Heures creuses",
    )
    assert data["missing"]["gas_annual_kwh"] == "pas d'export de gaz"
    assert "Tempo" in " ".join(data["warnings"]["cost_tempo_eur"])  # no colours for 2019: said so


@pytest.mark.notebooks
def test_a_departure_two_minutes_before_the_snapshot_is_the_snapshot(tmp_path):
    outcome = runner.run_use_case(
        "lyon-velov-route",
        "camille",
        overrides={"departure": "2025-03-18 07:58"},
        out_dir=tmp_path,
        block_network=True,
    )
    assert outcome.ok, outcome.error
    data = json.loads(outcome.results_path.read_text())
    assert data["results"]["departure"] == "2025-03-18 08:00"


# --- 6. readings computed from my results ---------------------------------------------------------------


def test_no_use_case_notebook_carries_a_reading_written_for_a_persona():
    """Notebooks that take personal data write their reading from the results (research notebooks, on
    fixed data, may keep a written one).
    """
    for card in [c for c in usecases.list_use_cases() if c.personal_parameters]:
        nb = nbformat.read(card.notebook_path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                assert "préréglage" not in cell.source.lower(), (card.id, cell.source[:80])
                assert not cell.source.lstrip().startswith("**Lecture"), (card.id, cell.source[:80])


def test_the_water_reading_follows_my_figures():
    import pandas as pd

    days = pd.date_range("2024-01-01", periods=300, freq="D")
    use = water.per_person(pd.Series(212.4 * 3, index=days), 3)
    ref = water.compare_with_district(
        use, None, pd.DataFrame({"district": [], "litres_per_person_day": [], "source": []})
    )
    no_leak = water.LeakCheck((), 4.1)
    text = water.interpret(use, no_leak, ref)
    assert "212 litres" in text and "3 personnes" in text and "300 jours" in text
    assert "44\u00a0% de plus que la moyenne nationale" in text
    assert "quartier inconnu" in text and "Aucune fuite" in text and "4,10" in text
    leak = water.Leak(
        start=pd.Timestamp("2024-03-01"),
        end=pd.Timestamp("2024-03-20"),
        extra_litres_per_day=95.0,
        days=20,
        ongoing=True,
    )
    assert "1er mars 2024" in water.interpret(use, water.LeakCheck((leak,), 4.1), ref)
    assert water.LeakCheck((leak,), 4.1).figures()["leak_cost_eur"].value == round(95 * 20 / 1000 * 4.1, 2)


def test_a_file_of_another_kind_is_refused_before_running(tmp_path):
    gpx = settings.personas_folder / "yanis" / "sortie_velo_2025-03-15.gpx"
    with pytest.raises(ParameterError, match="GPX") as err:
        runner.plan_run(
            usecases.get_use_case("lyon-water-district"), overrides={"water_export": str(gpx), "occupants": 2}
        )
    assert "Rien n'a été lancé" in str(err.value)
    junk = tmp_path / "notes.txt"
    junk.write_text("liste de courses\nlait\n")
    with pytest.raises(ParameterError, match="aucun des exports reconnus"):
        runner.plan_run(usecases.get_use_case("nantes-home-energy"), overrides={"linky_export": str(junk)})
    pdf = tmp_path / "facture.csv"
    pdf.write_bytes(b"%PDF-1.7\n...")
    with pytest.raises(ParameterError, match="PDF"):
        runner.plan_run(usecases.get_use_case("nantes-home-energy"), overrides={"linky_export": str(pdf)})


@pytest.mark.notebooks
def test_no_station_within_walking_distance_says_so_and_proposes_a_wider_radius(tmp_path):
    outcome = runner.run_use_case(
        "lyon-velov-route", "camille", overrides={"max_walk_m": 60}, out_dir=tmp_path, block_network=True
    )
    assert outcome.ok, outcome.error
    data = json.loads(outcome.results_path.read_text())
    assert data["results"]["total_minutes"] is None and data["results"]["best_option"] == "À pied"
    assert "max_walk_m 120" in data["missing"]["total_minutes"]


@pytest.mark.notebooks
def test_mobility_on_a_semantic_history_or_an_extracted_takeout_folder(tmp_path):
    folder = tmp_path / "Takeout" / "Historique des positions" / "Semantic Location History" / "2025"
    folder.mkdir(parents=True)
    (folder / "2025_MARCH.json").write_bytes(FILE_OF_KIND["visits"].read_bytes())
    outcome = runner.run_use_case(
        "larochelle-mobility-footprint",
        overrides={"location_export": str(tmp_path / "Takeout")},
        out_dir=tmp_path / "out",
        block_network=True,
    )
    assert outcome.ok, outcome.error
    data = json.loads(outcome.results_path.read_text())
    assert data["results"]["trips"] > 40 and data["inputs"][0]["format"] == "google-semantic"
    assert data["missing"]["mobility_eur_per_month"]  # no bank statement given: said, not invented


def test_my_folder_s_period_is_read_on_my_files_clock():
    from selfdata_lib.app import mydata, usecases

    inv = mydata.inventory(settings.personas_folder / "camille")  # curves from midnight, 1 January, in Paris
    text = str(mydata.interpret(inv, mydata.unlock(inv, usecases.list_use_cases())))
    assert "du 1er janvier 2025 au" in text and "31 décembre 2024" not in text
