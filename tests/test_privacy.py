"""Privacy helpers: clamping, the ε ledger, DP histograms (OpenDP), suppression, consent receipts."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from selfdata_lib.analysis import privacy


def test_clamp_bounds_contributions():
    assert privacy.clamp([-5, 50, 900], 0, 400).tolist() == [0, 50, 400]
    with pytest.raises(ValueError, match="lower < upper"):
        privacy.clamp([1], 5, 5)


def test_ledger_refuses_to_overspend():
    ledger = privacy.BudgetLedger(total_epsilon=1.0)
    ledger.spend(0.6, "first release")
    assert ledger.remaining == pytest.approx(0.4)
    with pytest.raises(privacy.BudgetExceededError, match="only ε=0.4"):
        ledger.spend(0.5, "second release")
    ledger.spend(0.4, "last one")
    assert ledger.spent == pytest.approx(1.0)
    assert list(ledger.as_frame()["purpose"]) == ["first release", "last one"]


def test_measurement_is_calibrated_to_epsilon():
    meas = privacy.histogram_measurement([100.0, 200.0, 300.0], 0.0, 400.0, epsilon=0.5)
    assert meas.map(1) <= 0.5 + 1e-9  # one household more or less: privacy loss at most ε


def test_dp_histograms_are_close_to_the_truth_and_suppress_small_groups():
    rng = np.random.default_rng(1)
    big = rng.normal(130, 25, 2000)
    small = rng.normal(130, 25, 3)
    values = pd.Series(np.concatenate([big, small]))
    groups = pd.Series(["big"] * len(big) + ["small"] * len(small))
    ledger = privacy.BudgetLedger(total_epsilon=1.0)
    hist = privacy.dp_histograms(
        values,
        groups,
        lower=0,
        upper=400,
        bin_width=20,
        epsilon=1.0,
        min_contributors=20,
        ledger=ledger,
        all_groups=["big", "small", "empty"],
    )
    assert set(hist["group"]) == {"big", "small", "empty"}
    big_h = hist[hist["group"] == "big"]
    assert not big_h["suppressed"].any()
    assert abs(big_h["noisy_contributors"].iloc[0] - 2000) < 60  # 20 bins of Laplace(1) noise
    assert abs(privacy.histogram_quantile(big_h, 0.5) - np.median(big)) < 6
    assert 45 < privacy.histogram_percentile_of(big_h, 130) < 55
    assert hist.loc[hist["group"] == "empty", "suppressed"].all()
    assert hist.loc[hist["suppressed"], "noisy_count"].isna().all()
    assert ledger.spent == 1.0 and ledger.releases[0]["composition"].startswith("parallel")


def test_consent_receipt_says_exactly_what_is_shared():
    receipt = privacy.ConsentReceipt(
        purpose="district reference",
        recipient="coop",
        payload={"district": "Lyon 7e", "litres_per_person_day": 118.0},
        epsilon=1.0,
        mechanism="Laplace",
        retention="one year",
    )
    data = json.loads(receipt.to_json())
    assert data["payload"] == {"district": "Lyon 7e", "litres_per_person_day": 118.0}
    assert len(data["contributor"]) == 16 and data["epsilon"] == 1.0


def test_the_receipt_reads_in_french_with_no_python_value():
    def sent(payload):
        receipt = privacy.ConsentReceipt("x", "coop", payload, 1.0, "Laplace", "un an")
        return receipt.shown()["ce qui serait envoyé"]

    energy = sent({"iris": None, "annual_kwh": 12556.0, "period": "2024-01-01/2024-12-31"})
    assert energy == (
        "IRIS (quartier INSEE) : inconnu (envoyé vide) ; consommation sur un an : 12\u202f556\xa0kWh ; "
        "période : du 1er janvier 2024 au 31 décembre 2024"
    )
    water = sent({"district": None, "litres_per_person_day": 118.0})
    assert water == "arrondissement : inconnu (envoyé vide) ; eau par personne : 118\xa0l/personne/jour"
    trips = sent({"cellules": {"Z2-2>Z3-3|16h-20h|car": 2, "Z2-4>Z3-3|16h-20h|bus": 1}})
    assert (
        trips
        == "trajets par cellule : Z2-2 → Z3-3, 16h-20h, voiture : 2 trajets ; Z2-4 → Z3-3, 16h-20h, bus : 1 trajet"
    )
    for text in (energy, water, trips, sent({"cellule": None, "share": float("nan")})):
        assert not re.search(r"None|nan|\{|'|\.0\b", text), text
