"""Records.json (streamed), on-device Timeline.json and GPX, on small handmade files."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports import read


def test_records_mixed_timestamps_and_bad_points(tmp_path):
    locs = [
        {"latitudeE7": 457600000, "longitudeE7": 48500000, "accuracy": 10, "timestampMs": "1740787200000"},
        {"latitudeE7": 457610000, "longitudeE7": 48510000, "timestamp": "2025-03-01T00:01:00Z"},
        {"longitudeE7": 48510000, "timestamp": "2025-03-01T00:02:00Z"},
        {"latitudeE7": 457610000, "longitudeE7": 48510000},
        {"latitudeE7": 9999999999, "longitudeE7": 48510000, "timestamp": "2025-03-01T00:03:00Z"},
    ]
    path = tmp_path / "Records.json"
    path.write_text(json.dumps({"locations": locs}))
    df = read(path)
    rep = df.attrs["import_report"]
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (5, 2, 3)
    assert df["time"].tolist() == [pd.Timestamp("2025-03-01T00:00:00Z"), pd.Timestamp("2025-03-01T00:01:00Z")]
    assert df["lat"].tolist() == pytest.approx([45.76, 45.761])


def test_a_truncated_records_keeps_what_was_complete_and_says_where_it_stops(tmp_path):
    path = tmp_path / "Records.json"
    point = '{"latitudeE7": 457600000, "longitudeE7": 48500000, "timestamp": "2025-03-01T08:0%d:00Z"}'
    path.write_text('{"locations": [' + ", ".join(point % i for i in range(3)) + ', {"latitudeE7": 4576')
    frame = read(path)
    rep = frame.attrs["import_report"]
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (4, 3, 1)
    assert "cut short" in next(iter(rep["rejected_by_reason"]))
    path.write_text('{"locations": [{"latitudeE7": 457600000, "longitudeE7": 48500000, "timestamp": "2025-0')
    with pytest.raises(ExportFormatError, match="aucune position utilisable"):
        read(path)


def test_damaged_records_in_the_middle_are_rejected_and_the_rest_read(tmp_path):
    point = '{"latitudeE7": 4576%05d, "longitudeE7": 48500000, "activity": [{"timestamp": "x", "activity": [{"type": "STILL"}]}], "timestamp": "2025-03-01T08:%02d:00Z"}'
    items = [point % (i, i % 60) for i in range(300)]
    items[100] = items[100].replace('"STILL"', '"STILL')  # an unclosed string
    items[200] = items[200][:40]  # a record cut in the middle
    path = tmp_path / "Records.json"
    path.write_text('{"locations": [\n' + ",\n".join(items) + "\n]}")
    rep = read(path).attrs["import_report"]
    assert rep["rows_kept"] == 298 and rep["rows_read"] == rep["rows_kept"] + rep["rows_rejected"]
    assert set(rep["rejected_by_reason"]) == {"record that is not valid JSON (skipped to the next record)"}


def test_gpx_trip_distance_and_mode(tmp_path):
    pts = "".join(
        f'<trkpt lat="45.76" lon="{4.80 + i * 0.01:.2f}"><time>2025-03-01T08:{i:02d}:00Z</time></trkpt>'
        for i in range(5)
    )
    path = tmp_path / "ride.gpx"
    path.write_text(
        '<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><type>cycling</type><trkseg>{pts}</trkseg></trk></gpx>"
    )
    trips = read(path, kind="trips")
    assert trips["mode"].tolist() == ["bike"]
    # 4 steps of 0.01° of longitude at 45.76°N ≈ 4 × 777 m
    assert trips["distance_m"].iloc[0] == pytest.approx(4 * 777, rel=0.01)
    assert trips["end"].iloc[0] - trips["start"].iloc[0] == pd.Timedelta(minutes=4)
