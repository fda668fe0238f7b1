"""Contributing my trips (analysis.contribution): the grid, clamping, how few points single me out,
exactly what would leave my machine, and the research evaluation of central DP, local DP and k-anonymity.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from selfdata_lib.analysis import contribution as c
from selfdata_lib.errors import ParameterError

CENTRE = (46.1600, -1.1510)
PERIGNY = (46.1530, -1.0980)


def _trips(points, *, start="2025-03-03 08:00", person=None):
    rows = []
    t0 = pd.Timestamp(start, tz="Europe/Paris")
    for i, (a, b, mode) in enumerate(points):
        rows.append(
            {
                "start": (t0 + pd.Timedelta(hours=3 * i)).tz_convert("UTC"),
                "start_lat": a[0],
                "start_lon": a[1],
                "end_lat": b[0],
                "end_lon": b[1],
                "mode": mode,
            }
        )
    frame = pd.DataFrame(rows)
    if person is not None:
        frame["person"] = person
    return frame


def test_zones_cover_the_agglomeration_and_nothing_else():
    rows, cols = c.grid_shape(3.0)
    assert rows * cols * rows * cols * 4 * 4 == len(c.domain(3.0))
    zones = c.zone_of([CENTRE[0], 48.85, PERIGNY[0]], [CENTRE[1], 2.35, PERIGNY[1]])
    assert zones[0] and zones[2] and zones[0] != zones[2]
    assert zones[1] == ""  # Paris is outside La Rochelle's grid
    trips = _trips([(CENTRE, PERIGNY, "car"), (CENTRE, (48.85, 2.35), "car")])
    assert len(c.od_rows(trips)) == 1


def test_clamping_bounds_a_person_and_keeps_the_largest_cells():
    counts = pd.Series({"a": 40, "b": 15, "c": 5})
    kept = c.clamp_counts(counts, 30)
    assert kept.sum() == 30 and kept["a"] == 20 and kept.index[0] == "a"
    assert (c.clamp_counts(counts, 100) == counts).all()


def test_randomised_response_tells_the_truth_with_the_right_probability():
    assert c.rr_probability(math.log(3), 2) == pytest.approx(0.75)
    cells = [f"x{i}" for i in range(10)]
    assert all(c.randomised_cell("x3", cells, 0.5) in cells for _ in range(20))
    assert c.randomised_cell("x3", cells, 50.0) == "x3"


def test_a_trace_shared_by_the_crowd_never_singles_me_out_and_a_rare_one_does():
    common = [(CENTRE, PERIGNY, "car"), (PERIGNY, CENTRE, "car")] * 3
    crowd = pd.concat([_trips(common, person=p) for p in range(30)], ignore_index=True)
    hidden = c.unicity(_trips(common), crowd, max_points=3, draws=50)
    assert hidden.points_needed is None and (hidden.table["share_unique"] == 0).all()
    assert "ne suffisent pas" in hidden.figures()["unique_points_to_identify_me"].reason
    rare = _trips([((46.20, -1.05), (46.12, -1.20), "bike")] * 3, start="2025-03-09 23:00")
    assert c.unicity(rare, crowd, max_points=2, draws=50).points_needed == 1


def test_the_payload_is_exactly_what_would_leave_and_epsilon_is_counted():
    trips = _trips(
        [(CENTRE, PERIGNY, "car"), (PERIGNY, CENTRE, "bus")] * 40 + [(CENTRE, (48.85, 2.35), "car")]
    )
    central = c.contribution(trips, epsilon=0.5, max_trips=60)
    assert sum(central.payload["cellules"].values()) == 60 == central.trips_contributed
    assert central.outside == 1 and central.ledger.spent == pytest.approx(0.5)
    assert central.receipt.payload == central.payload and central.receipt.epsilon == 0.5
    assert set(c.payload_table(central)["mode"]) == {"voiture", "bus"}
    local = c.contribution(trips, mechanism="local", epsilon=1.0, ledger=central.ledger)
    assert local.payload["cellule"] in c.domain() and local.trips_contributed == 1
    assert local.ledger.spent == pytest.approx(1.5)  # the ledger adds contributions up
    with pytest.raises(ParameterError, match="central"):
        c.contribution(trips, mechanism="centrale")


def test_the_releases_are_close_to_the_truth_only_when_epsilon_allows():
    cells = [f"c{i}" for i in range(6)]
    totals = pd.Series([500.0, 200.0, 50.0, 5.0, 0.0, 0.0], index=cells)
    loose = c.central_release(totals, epsilon=1000.0, max_trips=10, threshold=1.0)
    assert loose.iloc[:4].to_numpy() == pytest.approx(totals.iloc[:4].to_numpy(), abs=0.5)
    strict = c.central_release(totals, epsilon=0.01, max_trips=10, threshold=10_000.0)
    assert (strict == 0).sum() >= 5  # the noise is larger than almost every cell: suppressed
    people = pd.DataFrame({"person": np.repeat(np.arange(2000), 2), "cell": ["c0", "c1"] * 2000})
    estimate = c.local_release(people, cells, epsilon=8.0, seed=1)
    assert estimate["c0"] + estimate["c1"] == pytest.approx(4000, rel=0.1)


def test_the_k_anonymous_release_reaches_k_as_pycanon_measures_it():
    rows = [{"person": p, "cell": "Z1-1>Z2-2|6h-10h|car"} for p in range(12)]
    rows += [{"person": 100, "cell": "Z5-5>Z6-6|20h-6h|bike"}]
    published, k = c.k_anonymous_release(pd.DataFrame(rows), k=5)
    assert len(published) == 12 and k >= 5
    assert published.attrs["measured_by"] == "pyCANON"


def test_the_evaluation_compares_every_option_on_a_small_town():
    crowd = c.simulated_crowd(300, seed=3)
    verdict = c.evaluate(crowd, epsilons=(0.5, 5.0), repeats=2)
    table = verdict.table
    assert list(table["mechanism"]) == ["central", "local", "central", "local", "k-anonymat", "brut"]
    raw = table[table["mechanism"] == "brut"].iloc[0]
    assert raw["tv_distance"] == 0 and 0 < raw["reidentification_risk"] <= 1
    central = table[table["mechanism"] == "central"].set_index("epsilon")
    assert central.loc[5.0, "top20_relative_error"] < central.loc[0.5, "top20_relative_error"]
    assert verdict.figures()["contributors_simulated"].value == 300
    reading = c.describe_verdict(verdict)  # a small town may reach no ε at all: said so
    assert "300 contributeurs" in reading and ("ε =" in reading or "aucun ε" in reading)
