"""Every preset of every use case and research notebook runs, and its results match the card."""

from __future__ import annotations

import html
import json
import re

import pytest

from selfdata_lib.app import display, runner, usecases

pytestmark = pytest.mark.notebooks

RUNS = [(c.id, p) for c in usecases.list_use_cases() for p in c.presets]


@pytest.mark.parametrize(("card_id", "preset"), RUNS, ids=[f"{c}-{p}" for c, p in RUNS])
def test_preset_runs_and_results_match_card(card_id, preset, tmp_path):
    card = usecases.get_use_case(card_id)
    outcome = runner.run_use_case(card, preset, out_dir=tmp_path, block_network=True)
    assert outcome.ok, outcome.error
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["results"], "the notebook recorded nothing"
    expect = card.preset(preset).expect
    assert expect, f"{card_id}/{preset} has no 'expect' block: the test would check nothing"
    failures = [
        msg
        for name, check in expect.items()
        if (msg := usecases.check_expectation(name, data["results"].get(name), check))
    ]
    assert not failures, failures
    used = {p["dataset"] for p in data["provenance"]}
    assert used <= set(card.open_data), (
        f"open data used but not declared on the card: {used - set(card.open_data)}"
    )
    if card.territory != "France" and card.open_data:  # a territory's use case always shows its sources
        assert used, "no open-data provenance shown"
    assert (tmp_path / "report.html").stat().st_size > 10_000
    # a citizen reads it: every result labelled by the card, a headline, nothing raw in the report
    unlabelled = [n for n in data["results"] if display.spec_for(n, card.results) is None]
    assert not unlabelled, f"results recorded without a French label in the card: {unlabelled}"
    assert data["headline"], "the notebook showed no reading: the report has no headline"
    assert data["report_problems"] == [], data["report_problems"]
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<html lang='fr'>" in page and "https://cdn" not in page
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    key = [f["label"] for f in data["figures"] if f.get("headline")]
    assert key and all(label in text for label in key), key
    assert data["headline"].split(".")[0].replace("**", "") in text
    assert "dtype:" not in text
    assert display.raw_values(page) == [], "Python's None, nan or NaT shown to a citizen"
