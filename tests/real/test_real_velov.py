"""The Vélo'v availability model and its baselines on the real 2019 history of ../shared/opendata
(2-minute readings, 373 stations, 14–18 September 2019), held out day by day. Skipped when absent.
"""

from __future__ import annotations

import pytest
from conftest import shared_path

from selfdata_lib.analysis import velov
from selfdata_lib.opendata.velov import read_availability_history

pytestmark = pytest.mark.real


@pytest.fixture(scope="module")
def evaluation():
    folder = shared_path("opendata", "velov_availability_history")
    history = read_availability_history(next(folder.glob("*.csv.gz")))
    assert history["station_id"].nunique() == 373
    study = velov.study_history(history, max_stations=80)  # a quicker study: the first 80 stations
    return velov.evaluate_model(study, horizons=(15, 30, 60), step_min=10)


def test_real_days_are_held_out_whole(evaluation):
    assert evaluation.table.attrs["held_out_days"] == [
        "2019-09-14",
        "2019-09-15",
        "2019-09-16",
        "2019-09-17",
        "2019-09-18",
    ]


def test_on_real_days_the_baselines_that_know_the_history_beat_plain_persistence(evaluation):
    t = evaluation.table.set_index("horizon_min")
    for h in (30, 60):
        assert t.loc[h, "brier_bike_calibrated"] < t.loc[h, "brier_bike_persistence"]
        assert t.loc[h, "crps_calibrated"] < t.loc[h, "crps_persistence"]
        assert t.loc[h, "brier_bike_model"] < t.loc[h, "brier_bike_persistence"]
    # the planner's choice is the rule applied to this table, said in words
    uses = evaluation.planner_uses
    assert set(uses) == {15, 30, 60} and set(uses.values()) <= {"model", "queue", "calibrated"}
    reading = velov.describe_evaluation(evaluation)
    assert "Le calculateur d'itinéraire s'appuie donc sur" in reading.headline
