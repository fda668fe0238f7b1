"""The cooperative's side (analysis.pooling): contributions sealed by the citizen, every bad one rejected
with its reason, withdrawals honoured, the same pre-noise aggregates on every engine, and releases the
notebooks load: the water reference, the energy reference in Enedis' IRIS layout, the mobility
origin–destination matrix (the observatory's side is in test_holders.py).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from selfdata_lib import opendata, settings
from selfdata_lib.analysis import pooling
from selfdata_lib.app.cli import app
from selfdata_lib.synth.commuters import population
from selfdata_lib.synth.cooperative import simulate_cooperative, simulate_energy_cooperative

DISTRICTS = ["Lyon 3e Arrondissement", "Lyon 7e Arrondissement", "Lyon 8e Arrondissement"]


@pytest.fixture(scope="module")
def members():
    return simulate_cooperative(DISTRICTS, members={d: (60, 1.0) for d in DISTRICTS})


def _run(value=118.0, district="Lyon 7e Arrondissement"):
    payload = {"district": district, "litres_per_person_day": value, "period": "2025-01-01/2025-12-31"}
    return {"use_case": "lyon-water-district", "results": {"shared_payload": payload}}


def test_a_run_becomes_a_sealed_contribution_and_a_run_without_payload_says_why():
    item = pooling.contribution_from_results(_run(), household="abc")
    assert item["format"] == pooling.FORMAT and item["release"] == "2025" and item["household"] == "abc"
    assert item["receipt"]["payload"] == item["payload"] and len(item["sha256"]) == 64
    with pytest.raises(pooling.ContributionError, match="ne prévoit pas"):
        pooling.contribution_from_results({"use_case": "lyon-velov-route", "results": {}})
    with pytest.raises(pooling.ContributionError, match="shared_payload"):
        pooling.contribution_from_results({"use_case": "nantes-home-energy", "results": {}})
    with pytest.raises(pooling.ContributionError, match="vide"):
        pooling.contribution_from_results(_run(value=None))


def test_every_bad_contribution_is_rejected_with_its_reason():
    good = pooling.contribution_from_results(_run(), household="h1")
    tampered = dict(good, household="h2")  # edited after sealing
    out_of_range = pooling.seal({**{k: v for k, v in good.items() if k != "sha256"}, "household": "h3"})
    out_of_range["payload"] = dict(out_of_range["payload"], litres_per_person_day=900.0)
    out_of_range["receipt"] = dict(out_of_range["receipt"], payload=out_of_range["payload"])
    out_of_range = pooling.seal({k: v for k, v in out_of_range.items() if k != "sha256"})
    missing = {
        k: v for k, v in pooling.contribution_from_results(_run(), household="h4").items() if k != "receipt"
    }
    duplicate = pooling.contribution_from_results(_run(value=90.0), household="h1")
    withdrawn = pooling.contribution_from_results(_run(), household="h5")
    other_year = pooling.contribution_from_results(
        {
            "use_case": "lyon-water-district",
            "results": {
                "shared_payload": {**_run()["results"]["shared_payload"], "period": "2024-01-01/2024-12-31"}
            },
        },
        household="h6",
    )
    checked = pooling.validate(
        [good, tampered, out_of_range, missing, duplicate, withdrawn, other_year],
        release="2025",
        withdrawals={"h5"},
    )
    assert list(checked.accepted["household"]) == ["h1"]
    reasons = checked.rejected.set_index("household")["reason"]
    assert "modifiée" in reasons["h2"] and "hors des bornes" in reasons["h3"] and "schéma" in reasons["h4"]
    assert "doublon" in reasons["h1"] and "retiré" in reasons["h5"] and "autre publication" in reasons["h6"]


def test_the_engines_agree_on_the_pre_noise_counts(tmp_path, members):
    rng = np.random.default_rng(0)
    daily = pd.DataFrame(
        {
            "household": np.repeat(np.arange(len(members)), 30),
            "group": np.repeat(members["district"].to_numpy(), 30),
            "value": np.repeat(members["litres_per_person_day"].to_numpy(), 30)
            * rng.uniform(0.7, 1.3, 30 * len(members)),
        }
    )
    daily.loc[0, "value"] = 5000.0  # one wild day: clamped with the household's mean, not dropped
    path = tmp_path / "daily.parquet"
    daily.to_parquet(path)
    results = {engine: pooling.aggregate(path, engine=engine) for engine in pooling.ENGINES}
    for engine in ("duckdb", "dask"):
        pd.testing.assert_frame_equal(results["pandas"], results[engine], check_dtype=False)
    assert results["pandas"]["count"].sum() == len(members)


def test_a_pooled_release_is_the_reference_the_water_notebook_loads(tmp_path, members, monkeypatch):
    items = pooling.simulated_contributions(members)
    items.append(pooling.contribution_from_results(_run(), household="mine"))
    published = pooling.pool(items, tmp_path / "pub", release="2025", groups=DISTRICTS)
    assert published.record["contributions_accepted"] == len(members) + 1
    assert published.record["contributors_by_group_before_noise"]["Lyon 7e Arrondissement"] == 61
    monkeypatch.setattr(settings, "opendata_paths", [tmp_path / "pub"])
    reference = opendata.load("lyon-water-reference", source="snapshot")
    assert set(reference["district"]) == set(DISTRICTS)
    assert reference.attrs["release"]["households"] == len(members) + 1
    assert reference.attrs["release"]["simulated"] is False
    again = pooling.pool(items, tmp_path / "pub2", release="2025", groups=DISTRICTS, withdrawals={"mine"})
    assert again.record["contributions_accepted"] == len(members)  # a withdrawal leaves the next release


def test_the_command_line_contributes_and_pools_without_sending_anything(tmp_path):
    run = tmp_path / "outputs" / "lyon-water-district" / "mes-donnees"
    run.mkdir(parents=True)
    (run / "results.json").write_text(json.dumps(_run()), encoding="utf-8")
    cli = CliRunner()
    res = cli.invoke(
        app, ["contribute", "lyon-water-district", str(tmp_path / "c"), "--out", str(tmp_path / "outputs")]
    )
    assert res.exit_code == 0, res.output
    (tmp_path / "c" / "broken.json").write_text("{", encoding="utf-8")
    res = cli.invoke(app, ["pool", str(tmp_path / "c"), str(tmp_path / "p"), "--engine", "pandas"])
    assert res.exit_code == 0, res.output
    assert "1 contributions retenues sur 2 lues" in res.output and "broken.json" in res.output
    assert (tmp_path / "p" / "lyon-water-reference" / "release.json").is_file()
    provenance = json.loads((tmp_path / "p" / "lyon-water-reference" / "_provenance.json").read_text())
    assert provenance["cooperative"] is True and provenance["sample"] is False


# --- energy: Morel's yearly kWh per IRIS, published in Enedis' layout ----------------------------------------

MOREL_PAYLOAD = {"iris": "441090901", "annual_kwh": 12345.0, "period": "2024-01-01/2024-12-31"}


def _energy_run(payload=None):
    """The results the energy notebook records (its ``shared_payload``), built by hand."""
    return {"use_case": "nantes-home-energy", "results": {"shared_payload": payload or MOREL_PAYLOAD}}


@pytest.fixture(scope="module")
def energy_items():
    members = simulate_energy_cooperative()
    items = pooling.simulated_contributions(members, use_case="nantes-home-energy", release="2024")
    items += pooling.simulated_contributions(members.head(150), use_case="nantes-home-energy", release="2023")
    items.append(pooling.contribution_from_results(_energy_run(), household="morel"))
    return items


def test_morel_s_energy_run_is_a_contribution_and_bad_ones_are_refused():
    item = pooling.contribution_from_results(_energy_run(), household="morel")
    assert item["release"] == "2024" and item["receipt"]["epsilon"] == 1.0
    too_much = pooling.contribution_from_results(
        _energy_run({**MOREL_PAYLOAD, "annual_kwh": 45000.0}), household="b"
    )
    not_iris = pooling.contribution_from_results(
        _energy_run({**MOREL_PAYLOAD, "iris": "Doulon"}), household="c"
    )
    text = pooling.contribution_from_results(
        _energy_run({**MOREL_PAYLOAD, "annual_kwh": "12345"}), household="d"
    )
    corsica = pooling.contribution_from_results(
        _energy_run({**MOREL_PAYLOAD, "iris": "2A0040101"}), household="e"
    )
    checked = pooling.validate([item, too_much, not_iris, text, corsica])
    assert list(checked.accepted["household"]) == ["morel", "e"]  # a Corsican IRIS is an IRIS
    reasons = checked.rejected.set_index("household")["reason"]
    assert (
        "hors des bornes [0, 30000]" in reasons["b"] and "IRIS" in reasons["c"] and "schéma" in reasons["d"]
    )


def test_the_energy_release_is_read_by_the_enedis_iris_reader(tmp_path, energy_items, monkeypatch):
    published = pooling.pool(energy_items, tmp_path)
    rec = published.record
    assert rec["releases"] == ["2023", "2024"] and rec["contributions_accepted"] == len(energy_items)
    assert rec["contributors_by_group_before_noise"]["2024"]["441090901"] == 65  # 64 generated and Morel
    assert len(rec["groups_published"]) + len(rec["groups_suppressed"]) == 3 + 6  # 2023: three IRIS
    assert "somme bruitée / nombre bruité" in rec["mechanism"] and len(rec["ledger"]) == 4
    folder = tmp_path / "cooperative-energy-reference"
    monkeypatch.setattr(settings, "opendata_paths", [folder])
    reference = opendata.load("enedis-residential-iris", source="snapshot")
    assert set(reference["year"]) == {2023, 2024}
    latest = reference[reference["year"] == 2024].set_index("iris")
    assert "441090101" in latest.index
    assert reference.attrs["provenance"]["cooperative"] is True
    # a noisy count near the 120 households, a mean within a few noise deviations of the truth
    truth = simulate_energy_cooperative().query("iris == '441090101'")["annual_kwh"].round().mean()
    assert abs(latest.loc["441090101", "sites"] - 120) < 40
    mean_kwh = latest.loc["441090101", "total_mwh"] * 1000 / latest.loc["441090101", "sites"]
    assert abs(mean_kwh - truth) < 8 * rec["mean_noise_sd_kwh"]["2024 441090101"]


def test_a_generous_epsilon_gives_back_the_true_mean(tmp_path, energy_items):
    published = pooling.pool(energy_items, tmp_path, release="2024", epsilon=1e6)
    assert published.record["groups_suppressed"] == ["2024 441090905"]  # 12 households: under 20
    row = published.table.set_index("code_iris").loc["441090101"]
    truth = simulate_energy_cooperative().query("iris == '441090101'")["annual_kwh"].round().mean()
    assert row["nb_sites_secteur_residentiel_enedis"] == 120
    assert row["conso_moyenne_secteur_residentiel_enedis_mwh"] * 1000 == pytest.approx(truth, abs=2)


def test_the_engines_agree_on_the_energy_sums(tmp_path, energy_items):
    checked = pooling.validate(energy_items, release="2024")
    rows = pooling.long_rows(checked.accepted, "nantes-home-energy")
    path = tmp_path / "energy.parquet"
    rows.to_parquet(path)
    results = {engine: pooling.aggregate_sums(path, engine=engine) for engine in pooling.ENGINES}
    for engine in ("duckdb", "dask"):
        pd.testing.assert_frame_equal(results["pandas"], results[engine], check_dtype=False)
    assert results["pandas"]["contributors"].sum() == len(rows)


# --- mobility: Yanis's origin–destination cells ---------------------------------------------------------------


@pytest.fixture(scope="module")
def yanis_given():
    from selfdata_lib import exports
    from selfdata_lib.analysis import contribution, mobility

    kinds = ("visits", "trips", "location_points")
    mine = exports.read_kinds(settings.personas_folder / "yanis" / "Timeline.json", kinds)
    return contribution.contribution(mobility.travel(mine, {}).trips)


def _mobility_run(given):
    """What the mobility notebook records, as results.json keeps it."""
    figures = given.figures()
    return {
        "use_case": "larochelle-mobility-contribution",
        "results": {k: figures[k].value for k in ("payload", "mechanism", "epsilon")},
        "inputs": [{"file": "Timeline.json", "last": "2025-03-31T21:58:59+00:00"}],
    }


@pytest.fixture(scope="module")
def crowd():
    return population(400, seed=5)


def test_yanis_s_run_is_a_contribution_and_unbounded_ones_are_refused(yanis_given):
    item = pooling.contribution_from_results(_mobility_run(yanis_given), household="yanis")
    assert item["release"] == "2025" and item["receipt"]["mechanism_id"] == "central"
    assert sum(item["payload"]["cellules"].values()) == 60
    body = {k: v for k, v in item.items() if k != "sha256"}
    cells = dict(item["payload"]["cellules"])
    first = next(iter(cells))
    over = {**cells, first: cells[first] + 1}  # 61 trips: more than the bound
    outside = {"Z99-99>Z0-0|6h-10h|car": 1}
    bad = []
    for name, payload in (("over", {"cellules": over}), ("outside", {"cellules": outside})):
        receipt = {**body["receipt"], "payload": payload}
        bad.append(pooling.seal({**body, "household": name, "payload": payload, "receipt": receipt}))
    local = {**body["receipt"], "mechanism_id": "local", "epsilon": 50.0, "payload": {"cellule": first}}
    bad.append(pooling.seal({**body, "household": "greedy", "payload": {"cellule": first}, "receipt": local}))
    checked = pooling.validate([item, *bad])
    assert list(checked.accepted["household"]) == ["yanis"]
    reasons = checked.rejected.set_index("household")["reason"]
    assert "61 trajets" in reasons["over"] and "hors de la grille" in reasons["outside"]
    assert "ε = 50" in reasons["greedy"]


def test_yanis_and_a_crowd_pool_into_a_noisy_od_matrix(tmp_path, yanis_given, crowd):
    items = pooling.simulated_contributions(
        crowd, use_case="larochelle-mobility-contribution", release="2025", epsilon=5.0
    )
    items.append(pooling.contribution_from_results(_mobility_run(yanis_given), household="yanis"))
    published = pooling.pool(items, tmp_path, epsilon=5.0)
    rec = published.record
    # Yanis consented to ε = 1 only: a release spending 5 leaves him out, and says why
    assert rec["contributions_accepted"] == len(crowd["person"].unique())
    assert any("ε = 1" in r["reason"] and r["household"] == "yanis" for r in rec["rejected"])
    central = rec["by_release"]["2025"]["central"]
    assert 0 < central["cells_published"] < central["cells_before_noise"]  # small cells suppressed
    table = pd.read_csv(tmp_path / "cooperative-mobility-od" / pooling.OD_FILE)
    assert len(table) == central["cells_published"] and table["trips"].min() > 0
    again = pooling.pool(items, tmp_path / "b", epsilon=1.0)
    assert again.record["contributions_accepted"] == len(items)  # at ε = 1, Yanis is in
    out = pooling.pool(items, tmp_path / "c", epsilon=1.0, withdrawals={"yanis"})
    assert out.record["contributions_accepted"] == len(items) - 1


def test_local_reports_are_debiased_and_chance_cells_are_not_published(tmp_path, crowd):
    from selfdata_lib.analysis import contribution

    estimate, sd = contribution.debias_reports([30.0, 10.0, 0.0, 0.0], epsilon=50.0)
    assert estimate == pytest.approx([30, 10, 0, 0], abs=1e-6) and sd[0] == pytest.approx(0, abs=1e-6)
    items = pooling.simulated_contributions(
        crowd, use_case="larochelle-mobility-contribution", mechanism="local", epsilon=2.0, seed=1
    )
    published = pooling.pool(items, tmp_path)
    local = published.record["by_release"]["2025"]["local ε=2"]
    assert local["contributors"] == len(items) and local["trips_before_noise"] == len(items)
    # 400 reports over 36,864 cells at ε = 2: nothing stands out from chance, nothing is published
    assert local["cells_published"] == 0 and "réponses" in local["rule"]


def test_the_engines_agree_on_the_od_cells(tmp_path, crowd):
    items = pooling.simulated_contributions(crowd, use_case="larochelle-mobility-contribution")
    items += pooling.simulated_contributions(
        crowd.assign(person=crowd["person"] + 10_000),
        use_case="larochelle-mobility-contribution",
        mechanism="local",
        epsilon=2.0,
    )
    rows = pooling.long_rows(pooling.validate(items).accepted, "larochelle-mobility-contribution")
    path = tmp_path / "cells.parquet"
    rows.to_parquet(path)
    results = {engine: pooling.aggregate_cells(path, engine=engine) for engine in pooling.ENGINES}
    for engine in ("duckdb", "dask"):
        pd.testing.assert_frame_equal(results["pandas"], results[engine], check_dtype=False)
    assert set(results["pandas"]["group"]) == {"central", "local ε=2"}
    assert results["pandas"]["trips"].sum() == rows["count"].sum()


# --- the three personas together ----------------------------------------------------------------------------


def test_the_three_personas_runs_and_generated_households_pool_from_one_folder(
    tmp_path, yanis_given, members
):
    from selfdata_lib import exports
    from selfdata_lib.analysis import water

    export = sorted((settings.personas_folder / "camille").glob("eau_du_grand_lyon*.json"))[-1]
    use = water.usage(exports.read(export, kind="water"), 2)
    camille = water.cooperative_contribution(use, "Lyon 7e Arrondissement")
    runs = {
        "lyon-water-district": {"use_case": "lyon-water-district", "results": camille.figures()},
        "nantes-home-energy": _energy_run(),
        "larochelle-mobility-contribution": _mobility_run(yanis_given),
    }
    folder = tmp_path / "contributions"
    for use_case, results in runs.items():
        run = tmp_path / "outputs" / use_case / "mes-donnees"
        run.mkdir(parents=True)
        plain = {**results, "results": {k: getattr(v, "value", v) for k, v in results["results"].items()}}
        (run / "results.json").write_text(json.dumps(plain, default=str), encoding="utf-8")
        res = CliRunner().invoke(
            app, ["contribute", use_case, str(folder), "--out", str(tmp_path / "outputs")]
        )
        assert res.exit_code == 0, res.output
    generated = pooling.simulated_contributions(members)
    generated += pooling.simulated_contributions(
        simulate_energy_cooperative(), use_case="nantes-home-energy", release="2024"
    )
    pooling.write_jsonl(generated, folder / "generated.jsonl")
    (tmp_path / "withdrawn.txt").write_text("sim000000  # a household that left\n", encoding="utf-8")
    res = CliRunner().invoke(
        app, ["pool", str(folder), str(tmp_path / "pub"), "--withdrawals", str(tmp_path / "withdrawn.txt")]
    )
    assert res.exit_code == 0, res.output
    for dataset in ("lyon-water-reference", "cooperative-energy-reference", "cooperative-mobility-od"):
        assert (tmp_path / "pub" / dataset / "release.json").is_file(), dataset
    assert "consentement retiré" in res.output and res.output.count("sim000000") == 2  # water and energy
    for use_case in runs:  # each line counts that use case's contributions, not the whole folder's
        release = json.loads(
            (tmp_path / "pub" / pooling.SPECS[use_case]["dataset"] / "release.json").read_text()
        )
        line = next(x for x in res.output.splitlines() if x.startswith(f"{use_case} :"))
        assert f"sur {release['contributions_read']} lues" in line
        assert release["contributions_read"] < len(generated) + 3
    water_rec = json.loads((tmp_path / "pub" / "lyon-water-reference" / "release.json").read_text())
    before = water_rec["contributors_by_group_before_noise"]
    assert (
        before["Lyon 7e Arrondissement"] == 61 and before["Lyon 3e Arrondissement"] == 59
    )  # Camille; sim000000 left


def test_a_jsonl_file_is_read_line_by_line_and_a_broken_line_costs_only_itself(tmp_path):
    items = [pooling.contribution_from_results(_run(), household=f"h{i}") for i in range(3)]
    path = pooling.write_jsonl(items, tmp_path / "c.jsonl")
    path.write_text(path.read_text() + "{pas du JSON\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    checked = pooling.validate(tmp_path)
    assert list(checked.accepted["household"]) == ["h0", "h1", "h2"]
    assert checked.rejected.to_dict("records") == [
        {"file": "c.jsonl:4", "household": "", "use_case": "", "reason": "JSON illisible"}
    ]
    with pytest.raises(pooling.ContributionError, match="dossier de contributions"):
        pooling.validate(tmp_path / "absent")
