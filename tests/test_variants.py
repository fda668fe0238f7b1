"""The matrix a citizen's files would pass: every use case runs on generated exports that are nobody's
persona (tests/variants.py), completes, stays within the card's plausible bounds, says why each missing
figure is missing, and lists in ``inputs`` only the variant's own files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from variants import VARIANTS

from selfdata_lib.app import runner, usecases

pytestmark = pytest.mark.notebooks

RUNS = [(v, uc) for v in VARIANTS for uc in v.runs]


@pytest.fixture(scope="module")
def variant_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("variants")
    for variant in VARIANTS:
        variant.write(root)
    return root


@pytest.mark.parametrize(("variant", "use_case"), RUNS, ids=[f"{v.name}-{uc}" for v, uc in RUNS])
def test_use_case_runs_on_a_citizens_files(variant, use_case, variant_root, tmp_path):
    folder = variant_root / variant.name
    card = usecases.get_use_case(use_case)
    params = variant.parameters(folder, use_case)
    outcome = runner.run_use_case(card, overrides=params, out_dir=tmp_path / "out", block_network=True)
    assert outcome.ok, outcome.error
    data = json.loads(outcome.results_path.read_text())
    # the run is mine: labelled so, no preset, no persona file or fact
    assert (data["mode"], data["preset"], data["label"], data["persona"]) == (
        "mine",
        "mes-donnees",
        "vos fichiers",
        None,
    )
    assert "personas" not in json.dumps(data["parameters"]), data["parameters"]
    # inputs: my files only, each with its sha256, none a project sample
    assert data["inputs"], "the run lists no input file"
    for entry in data["inputs"]:
        assert Path(entry["path"]).resolve().is_relative_to(folder.resolve()), entry["path"]
        assert entry["sample"] is False and len(entry["sha256"]) == 64
    given = {Path(v).resolve() for v in params.values() if isinstance(v, str) and Path(v).is_file()}
    assert given <= {Path(e["path"]).resolve() for e in data["inputs"]}
    # every figure within the card's plausible bounds; every missing one with its reason
    results = data["results"]
    for name, spec in card.results.items():
        if results.get(name) is not None:
            assert (
                usecases.check_expectation(
                    name, results[name], {k: spec[k] for k in ("min", "max") if k in spec}
                )
                is None
            )
    for name, value in results.items():
        if value is None and name in card.results:
            assert data["missing"].get(name), f"{name} is null without a reason"
    failures = [
        msg
        for name, check in variant.expect.get(use_case, {}).items()
        if (msg := usecases.check_expectation(name, results.get(name), check))
    ]
    assert not failures, failures
    assert (tmp_path / "out" / "report.html").stat().st_size > 10_000
