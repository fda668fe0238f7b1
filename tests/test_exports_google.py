"""Google Semantic Location History: visits and trips, every timestamp spelling, BOM."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from selfdata_lib import settings
from selfdata_lib.errors import ExportFormatError
from selfdata_lib.exports import read
from selfdata_lib.exports.google import parse_google_time


@pytest.mark.parametrize(
    "value",
    [
        "2025-03-24T19:25:02Z",
        "2025-03-24T19:25:02.000Z",
        "1742844302",
        "1742844302000",
        1742844302000,
        "2025-03-24 20:25:02 +0100",
    ],
)
def test_every_timestamp_spelling(value):
    assert parse_google_time(value) == pd.Timestamp("2025-03-24T19:25:02Z")


def test_visits_and_trips_with_labels(tmp_path):
    data = {
        "timelineObjects": [
            {
                "placeVisit": {
                    "location": {
                        "latitudeE7": 457457100,
                        "longitudeE7": 48425200,
                        "semanticType": "TYPE_HOME",
                        "name": "Maison",
                    },
                    "duration": {"startTimestampMs": "1740787200000", "endTimestampMs": "1740816000000"},
                }
            },
            {
                "activitySegment": {
                    "startLocation": {"latitudeE7": 457457100, "longitudeE7": 48425200},
                    "endLocation": {"latitudeE7": 457605500, "longitudeE7": 48594600},
                    "duration": {
                        "startTimestamp": "2025-03-01T08:00:00Z",
                        "endTimestamp": "2025-03-01T08:14:00Z",
                    },
                    "activityType": "CYCLING",
                }
            },
            {"placeVisit": {"duration": {"startTimestamp": "2025-03-01T09:00:00Z"}}},
        ]
    }
    path = tmp_path / "2025_MARCH.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(data).encode())
    visits = read(path)
    assert visits.attrs["kind"] == "visits" and visits.attrs["format"] == "google-semantic"
    assert visits["label"].tolist() == ["HOME"] and visits["lat"].iloc[0] == pytest.approx(45.74571)
    rep = visits.attrs["import_report"]
    # the activity segment belongs to the trips: not read (nor rejected) as a visit, but noted
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (2, 1, 1)
    assert "1 élément de l'autre nature de ce fichier" in rep["notes"][0]
    trips = read(path, kind="trips")
    assert trips["mode"].tolist() == ["bike"]
    # no distance given: straight line between the two points (about 2.1 km)
    assert trips["distance_m"].iloc[0] == pytest.approx(2110, rel=0.05)


def test_truncated_file_is_a_format_error(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('{"timelineObjects": [{"placeVisit": {"location": ')
    with pytest.raises(ExportFormatError, match=r"cut\.json: ligne 1 .*tronqué"):
        read(path)


def test_a_multi_kind_file_is_parsed_once(monkeypatch):
    """read_kinds on a Timeline (visits, trips, points) decodes the JSON once, not once per kind."""
    import json as json_module

    from selfdata_lib.exports import _base, read_kinds

    path = settings.personas_folder / "yanis" / "Timeline.json"
    calls = []
    real = json_module.loads

    def counting(text, *args, **kwargs):
        calls.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(_base.json, "loads", counting)
    frames = read_kinds(path, ("visits", "trips", "location_points"))
    assert all(f is not None and len(f) for f in frames.values())
    big = [n for n in calls if n > 100_000]
    assert len(big) == 1, calls[:5]
    assert _base._PARSED is None  # the cache lives only during the read
    separately = [_base.load_json(path, "x"), _base.load_json(path, "x")]
    assert len([n for n in calls if n > 100_000]) == 3 and separately[0] == separately[1]
