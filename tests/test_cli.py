"""The `selfdata` command as a newcomer uses it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from selfdata_lib import settings
from selfdata_lib.app.cli import _parse_params, app

cli = CliRunner()


def test_help_and_list():
    res = cli.invoke(app, ["--help"])
    assert res.exit_code == 0 and "selfdata list" in res.output
    res = cli.invoke(app, ["list"])
    assert res.exit_code == 0
    assert "start-here" in res.output and "Carte de mes données" in res.output


def test_data_list_shows_where_each_dataset_comes_from(isolated_settings):
    res = cli.invoke(app, ["data", "list"])
    assert res.exit_code == 0
    assert "lyon-arrondissements" in res.output and "Licence Ouverte" in res.output
    assert "lu depuis : échantillon écrit par le projet" in res.output and "now read from" not in res.output


def test_data_fetch_offline_fails_cleanly(isolated_settings, monkeypatch):
    monkeypatch.setattr(settings, "offline", True)
    res = cli.invoke(app, ["data", "fetch", "lyon-arrondissements"])
    assert res.exit_code == 1 and "hors ligne" in res.output and "SELFDATA_OFFLINE" in res.output


def test_detect_reports_format_and_rows(persona_camille, tmp_path):
    res = cli.invoke(app, ["detect", str(persona_camille)])
    assert res.exit_code == 0
    assert "Enedis Linky, courbe de charge CSV (consommation d'électricité) — lues 17520" in res.output
    assert (
        "Google Takeout, historique des lieux (Semantic Location History) (lieux visités) — lues 53, gardées 53, écartées 0"
        in res.output
    )
    assert "écartées 37 : pas de valeur (mesure manquante chez Enedis)" in res.output
    assert "ligne " in res.output  # the first rejected lines, with their number
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n")
    res = cli.invoke(app, ["detect", str(bad)])
    assert res.exit_code == 1 and "ignoré" in res.output and "aucun des exports reconnus" in res.output
    (tmp_path / "Settings.json").write_text('{"deviceSettings": []}')  # a Takeout's own non-data file
    (tmp_path / "curve.csv").write_bytes((persona_camille / "enedis_courbe_de_charge.csv").read_bytes())
    res = cli.invoke(app, ["detect", str(tmp_path)])
    assert res.exit_code == 0 and "Settings.json: ignoré" in res.output


def test_param_parsing():
    assert _parse_params(["-p", "occupants", "3", "--param", "district", "Lyon 7e", "-p", "x", "true"]) == {
        "occupants": 3,
        "district": "Lyon 7e",
        "x": True,
    }


def test_run_unknown_use_case_or_preset_exits_non_zero():
    res = cli.invoke(app, ["run", "no-such-case"])
    assert res.exit_code == 1 and "pas de cas d'usage « no-such-case »" in res.output
    res = cli.invoke(app, ["run", "lyon-water-distrct"])
    assert "Vouliez-vous dire « lyon-water-district »" in res.output
    res = cli.invoke(app, ["run", "start-here", "--preset", "nobody"])
    assert res.exit_code == 1 and "Ses préréglages" in res.output and "Vouliez-vous" not in res.output
    res = cli.invoke(app, ["run", "start-here", "--preset", "camile"])
    assert res.exit_code == 1 and "Vouliez-vous dire « camille » ?" in res.output
    res = cli.invoke(app, ["run", "start-here", "-p", "only-name"])
    assert res.exit_code == 1 and "un NOM et une VALEUR" in res.output


@pytest.mark.notebooks
def test_new_scaffolds_a_working_use_case(tmp_path, monkeypatch, persona_camille, isolated_settings):
    monkeypatch.setattr(settings, "use_cases_folder", tmp_path / "use_cases")
    res = cli.invoke(app, ["new", "rennes-test-case", "--title", "Ma question", "--territory", "Rennes"])
    assert res.exit_code == 0, res.output
    folder = tmp_path / "use_cases" / "rennes-test-case"
    assert (folder / "rennes-test-case.ipynb").is_file()
    res = cli.invoke(
        app,
        [
            "run",
            "rennes-test-case",
            "-p",
            "my_export",
            str(persona_camille / "enedis_courbe_de_charge.csv"),
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "o" / "results.json").read_text())
    assert data["results"]["days_covered"] > 300 and data["territory"] == "Rennes"
    assert 1000 < data["results"]["annual_kwh"] < 20000
    res = cli.invoke(app, ["new", "rennes-test-case"])
    assert res.exit_code == 1 and "existe déjà" in res.output


def test_personas_list_and_build(tmp_path):
    res = cli.invoke(app, ["personas", "list"])
    assert res.exit_code == 0 and "camille" in res.output and "enedis_courbe_de_charge.csv" in res.output
    res = cli.invoke(app, ["personas", "build", "--out", str(tmp_path)])
    assert res.exit_code == 0
    assert (tmp_path / "camille" / "enedis_courbe_de_charge.csv").is_file()


def test_params_lists_the_parameters_and_my_files():
    res = cli.invoke(app, ["params", "lyon-water-district"])
    assert res.exit_code == 0, res.output
    assert "occupants" in res.output and "nombre de personnes du foyer" in res.output
    assert "water_export" in res.output.split("Vos fichiers")[1]
    assert "À donner aussi avec vos fichiers : occupants" in res.output


def test_foyer_drafts_my_household_file_from_my_exports_and_never_overwrites_it(tmp_path):
    from selfdata_lib.exports import read_household

    nadia = settings.personas_folder / "nadia"
    out = tmp_path / "foyer.yaml"
    args = ["foyer", str(out), "--banque", str(nadia / "releve_la_banque_postale.csv")]
    res = cli.invoke(app, [*args, "--adresse", str(nadia / "enedis_adresse.json")])
    assert res.exit_code == 0, res.output
    household = read_household(out)
    assert household.commune == "69123" and household.loyer == 650
    assert "releve_la_banque_postale.csv" in household.sources["adultes.0.salaire_net_mensuel"]
    again = cli.invoke(app, args)
    assert again.exit_code == 1 and "--force" in again.output
    bad = tmp_path / "pas_un_releve.csv"
    bad.write_text("rien à voir\n", encoding="utf-8")
    res = cli.invoke(app, ["foyer", str(tmp_path / "autre.yaml"), "--banque", str(bad)])
    assert res.exit_code == 1 and "pas_un_releve.csv" in res.output and not (tmp_path / "autre.yaml").exists()
