"""The real export fixtures of ../shared/exports_real, read with values checked by hand.

Expected numbers were counted with awk/jq on the files themselves (see comments); the tests skip when
../shared is absent.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import shared_path
from selfdata_lib.exports import read

pytestmark = pytest.mark.real


def test_enedis_sge_load_curve():
    path = shared_path("exports_real", "enedis_linky_csv", "Enedis_SGE_HDM_C5_courbe_de_charge.csv")
    df = read(path)
    rep = df.attrs["import_report"]
    # awk -F';' 'NR>3' | wc -l → 17866 rows; 14 of them have an empty value
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (17866, 17852, 14)
    assert df.attrs["format"] == "enedis-csv-load-curve"
    # first valued row "2021-01-07T14:00:00+01:00;1061" in the hourly part of the file
    assert df["end"].iloc[0] == pd.Timestamp("2021-01-07T14:00:00+01:00")
    assert df["start"].iloc[0] == pd.Timestamp("2021-01-07T13:00:00+01:00")
    assert df["kwh"].iloc[0] == pytest.approx(1.061)
    # last row "2022-02-02T00:00:00+01:00;602" at a 30-minute step
    assert df["end"].iloc[-1] == pd.Timestamp("2022-02-02T00:00:00+01:00")
    assert df["kwh"].iloc[-1] == pytest.approx(0.301)
    steps = (df["end"] - df["start"]).dt.total_seconds().div(60).value_counts().to_dict()
    assert steps == {30.0: 16992, 60.0: 860}


def test_google_semantic_history():
    path = shared_path("exports_real", "google_takeout", "semantic_history.json")
    trips = read(path, kind="trips")
    assert trips["mode"].tolist() == ["walk", "car", "walk"]  # travelMode WALK, DRIVE, WALK
    assert trips["distance_m"].tolist() == pytest.approx([209.65263509609417, 3853, 413])
    assert trips["start"].iloc[0] == pd.Timestamp("2013-12-01T07:05:14.222Z")
    assert len(read(path)) == 0  # no place visit in this file


def test_google_semantic_with_bom_and_edge_cases():
    folder = shared_path("exports_real", "google_takeout")
    assert len(read(folder / "edge_cases" / "semantic_history_with_bom.json", kind="trips")) == 1
    edge = folder / "edge_cases"
    for name, ts in [("with_placeVisit_with_location_with_coordinates_with_seconds_timestamp.json",
                      "2025-03-24T19:25:02Z"),
                     ("with_placeVisit_with_location_with_coordinates_with_timestampMs.json",
                      "2025-03-24T19:25:02.585Z")]:
        visits = read(edge / name)
        assert visits["start"].tolist() == [pd.Timestamp(ts)]
    other = read(edge / "with_placeVisit_without_location_with_coordinates_with_otherCandidateLocations.json")
    assert len(other) == 1
    none = read(edge / "with_activitySegment_without_startLocation_without_waypointPath.json", kind="trips")
    assert none.attrs["import_report"]["rows_rejected"] == 1
