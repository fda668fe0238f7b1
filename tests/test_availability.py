"""Baselines of bike availability (analysis.availability), the evaluation's split by whole days, and the
planner trusting the model only where it beat calibrated persistence.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from selfdata_lib.analysis import availability as av
from selfdata_lib.analysis import velov


def _history(days=3, stations=(1, 2), capacity=10, pattern=None):
    """Readings every 5 min: by default each station loses a bike every 15 min and refills at 06:00."""
    times = pd.date_range("2025-03-03 05:00", periods=days * 288, freq="5min", tz="Europe/Paris").tz_convert(
        "UTC"
    )
    rows = []
    for s in stations:
        for t in times:
            local = t.tz_convert("Europe/Paris")
            minutes = (local.hour * 60 + local.minute - 360) % 1440
            bikes = pattern(s, local) if pattern else max(capacity - minutes // 15, 0)
            rows.append({"station_id": s, "time": t, "bikes": bikes, "capacity": capacity})
    return pd.DataFrame(rows)


def test_crps_of_a_point_forecast_is_its_error_and_of_the_truth_zero():
    dist = av._point_mass(np.array([3, 0]), 6)
    assert av.crps_counts(dist, np.array([5, 0])).tolist() == [2.0, 0.0]
    spread = np.full((1, 4), 0.25)  # uniform over 0..3, observed 0: (.25-1)²+(.5-1)²+(.75-1)²+0
    assert av.crps_counts(spread, np.array([0]))[0] == pytest.approx(0.5625 + 0.25 + 0.0625)


def test_a_full_station_has_no_free_dock():
    dist = av._point_mass(np.array([10, 9, 0]), 11)
    s = av.summarise(dist, np.array([10, 10, 10]))
    assert s["p_dock"].tolist() == [0.0, 1.0, 1.0] and s["p_bike"].tolist() == [1.0, 1.0, 0.0]


def test_calibrated_persistence_learns_that_the_last_bike_goes():
    hist = _history()
    pairs = velov.training_pairs(hist, horizons=(15,), step_min=5)
    model = av.CalibratedPersistence().fit(pairs, hist)
    state = pd.DataFrame({"bikes": [1.0, 5.0], "capacity": [10.0, 10.0], "horizon_min": [15.0, 15.0]})
    p = av.summarise(model.distribution(state), state["capacity"].to_numpy())
    assert p["p_bike"][0] < 0.2  # a station seen with one bike is empty 15 minutes later, mostly
    assert p["expected_bikes"][1] == pytest.approx(4.0, abs=0.5)
    assert av.Persistence().fit(pairs, hist).distribution(state)[0, 1] == 1.0


def test_a_birth_death_queue_with_only_pickups_empties_like_an_exponential():
    hist = _history(days=2)
    queue = av.BirthDeathQueue().fit(velov.training_pairs(hist, horizons=(15,), step_min=5), hist)
    up, down = queue.rates[(1, 7)]  # from 06:00 the station loses a bike every 15 minutes
    assert up == 0.0 and down == pytest.approx(1 / 15, rel=0.05)
    t = pd.Timestamp("2025-03-05 07:00", tz="Europe/Paris").tz_convert("UTC")
    state = pd.DataFrame(
        {
            "station_id": [1],
            "bikes": [1],
            "capacity": [10.0],
            "horizon_min": [15.0],
            "target_time": [t + pd.Timedelta(minutes=15)],
        }
    )
    dist = queue.distribution(state)
    assert dist[0, 0] == pytest.approx(1 - math.exp(-down * 15), rel=1e-6)


def test_the_evaluation_holds_out_whole_days_never_rows():
    hist = _history(days=3)
    local_day = hist["time"].dt.tz_convert("Europe/Paris").dt.date
    splits = velov.held_out_days(hist)
    assert len(splits) == local_day.nunique()
    for held, train, test in splits:
        assert set(test["time"].dt.tz_convert("Europe/Paris").dt.date) == {held}
        assert held not in set(train["time"].dt.tz_convert("Europe/Paris").dt.date)
        assert len(train) + len(test) == len(hist)
    with pytest.raises(ValueError, match="at least 2"):
        velov.held_out_days(hist[local_day == local_day.iloc[0]])


def test_every_predictor_is_scored_side_by_side_and_the_verdict_comes_from_the_table():
    hist = _history(days=3)
    ev = velov.AvailabilityEvaluation(velov.evaluate_availability(hist, horizons=(15, 30), step_min=5))
    for key in velov.PREDICTORS:
        assert {f"brier_bike_{key}", f"crps_{key}"} <= set(ev.table.columns)
    assert set(ev.table.attrs["reliability"]["predictor"]) == set(velov.PREDICTORS)
    # a clockwork history: calibrated persistence knows it exactly, the model cannot do better
    assert ev.table["crps_calibrated"].max() < ev.table["crps_persistence"].min()
    reading = velov.describe_evaluation(ev)
    won = [h for h, b in ev.beats_calibrated.items() if b]
    assert ("ne bat la persistance calibrée à aucun" in reading.headline) == (not won)
    assert list(ev.summary.index) == list(velov.PREDICTORS.values())


def test_the_planner_trusts_a_baseline_where_the_model_lost():
    assert (
        velov.pick_predictor({"calibrated": (0.05, 1.0), "model": (0.04, 1.2), "queue": (0.045, 0.9)})
        == "queue"
    )
    assert (
        velov.pick_predictor({"calibrated": (0.05, 1.0), "model": (0.04, 0.8), "queue": (0.045, 0.9)})
        == "model"
    )
    assert (
        velov.pick_predictor({"calibrated": (0.05, 1.0), "model": (0.06, 0.8), "queue": (0.055, 0.9)})
        == "calibrated"
    )
    hist = _history(days=3)
    chosen = velov.choose_predictor(hist, horizons=(15,), step_min=5)
    assert set(chosen.uses) == {15} and chosen.uses[15] in {"model", "calibrated", "queue"}
    t = pd.Timestamp("2025-03-06 07:00", tz="Europe/Paris").tz_convert("UTC")
    state = pd.DataFrame(
        {
            "station_id": [1],
            "bikes": [1.0],
            "docks": [9.0],
            "capacity": [10.0],
            "horizon_min": [12.0],
            "target_time": [t + pd.Timedelta(minutes=12)],
        }
    )
    for name in ("calibrated", "queue"):
        forced = velov.ChosenPredictor(chosen.model, chosen.baselines, {15: name})
        expected = av.summarise(chosen.baselines[name].distribution(state), np.array([10.0]))
        assert forced.predict(state)["p_bike"].iloc[0] == pytest.approx(expected["p_bike"][0])
    trusted = velov.ChosenPredictor(chosen.model, chosen.baselines, {15: "model"})
    assert trusted.predict(state)["p_bike"].iloc[0] == pytest.approx(
        chosen.model.predict(state)["p_bike"].iloc[0]
    )


def test_the_trained_predictors_are_kept_in_the_cache_for_the_next_run(monkeypatch, isolated_settings):
    hist = _history(days=3)
    first = velov.train_availability(hist, step_min=15)
    calls = []
    monkeypatch.setattr(velov, "choose_predictor", lambda *a, **k: calls.append(a) or first.model)
    again = velov.train_availability(hist, step_min=15)
    assert calls == [] and again.model.uses == first.model.uses
    assert (again.stations, again.days) == (first.stations, first.days) == (2, 4)
    # another history is another entry; a damaged entry is trained again, not an error
    velov.train_availability(hist.assign(bikes=hist["bikes"] // 2), step_min=15)
    assert len(calls) == 1
    from selfdata_lib import settings

    entry = next((settings.cache_folder / "models").iterdir())
    entry.write_bytes(b"not a pickle")
    velov.train_availability(hist, step_min=15)
    velov.train_availability(hist.assign(bikes=hist["bikes"] // 2), step_min=15)
    assert len(calls) == 2


def test_the_model_learns_from_at_most_max_pairs(monkeypatch):
    seen = []
    import sklearn.ensemble

    real_fit = sklearn.ensemble.HistGradientBoostingClassifier.fit

    def spy(self, x, y, *a, **k):
        seen.append(len(x))
        return real_fit(self, x, y, *a, **k)

    monkeypatch.setattr(sklearn.ensemble.HistGradientBoostingClassifier, "fit", spy)
    hist = _history(days=2)
    everything = len(velov.training_pairs(hist, horizons=(15,), step_min=5))
    velov.AvailabilityModel.fit(hist, horizons=(15,), step_min=5, max_pairs=500)
    velov.AvailabilityModel.fit(hist, horizons=(15,), step_min=5, max_pairs=None)
    assert seen == [500, 500, everything, everything] and everything > 500
