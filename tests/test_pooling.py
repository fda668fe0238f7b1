"""The cooperative's side (analysis.pooling): contributions sealed by the citizen, every bad one rejected
with its reason, withdrawals honoured, the same pre-noise counts on every engine, and a release the water
notebook loads as its reference.
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
from selfdata_lib.synth.cooperative import simulate_cooperative

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
    assert "1 contributions retenues sur 2" in res.output and "broken.json" in res.output
    assert (tmp_path / "p" / "lyon-water-reference" / "release.json").is_file()
