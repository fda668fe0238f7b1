"""The real export fixtures of ../shared/exports_real, read with values checked by hand.

Expected numbers were counted with awk/jq on the files themselves (see comments); the tests skip when
../shared is absent.
"""

from __future__ import annotations

import re

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
    for name, ts in [
        (
            "with_placeVisit_with_location_with_coordinates_with_seconds_timestamp.json",
            "2025-03-24T19:25:02Z",
        ),
        ("with_placeVisit_with_location_with_coordinates_with_timestampMs.json", "2025-03-24T19:25:02.585Z"),
    ]:
        visits = read(edge / name)
        assert visits["start"].tolist() == [pd.Timestamp(ts)]
    other = read(edge / "with_placeVisit_without_location_with_coordinates_with_otherCandidateLocations.json")
    assert len(other) == 1
    none = read(edge / "with_activitySegment_without_startLocation_without_waypointPath.json", kind="trips")
    assert none.attrs["import_report"]["rows_rejected"] == 1


def _first_latlng(text: str, pattern: str) -> tuple[float, float]:
    """The first position the fixture itself writes (the tests never copy coordinates of a real file)."""
    lat, lon = (float(x.strip(" °")) for x in re.search(pattern, text).group(1).split(","))
    return lat, lon


def test_google_records_legacy():
    folder = shared_path("exports_real", "google_takeout")
    df = read(folder / "records.json")
    assert df.attrs["format"] == "google-records" and df.attrs["kind"] == "location_points"
    assert len(df) == 3  # grep -c latitudeE7 → 3
    assert df["time"].iloc[0] == pd.Timestamp("2012-12-15T14:21:29.460Z")
    assert df["accuracy_m"].tolist() == [150, 18000, 22]
    first_e7 = int(re.search(r'"latitudeE7"\s*:\s*(-?\d+)', (folder / "records.json").read_text()).group(1))
    assert df["lat"].iloc[0] == pytest.approx(first_e7 / 1e7)  # read from the file, never copied here
    watched = read(folder / "Records_watched.json")
    assert len(watched) == 5 and watched["time"].iloc[-1] == pd.Timestamp("2013-05-01T08:30:00Z")


def test_google_timeline_on_device():
    folder = shared_path("exports_real", "google_takeout")
    path = folder / "timeline_new_format.json"
    visits = read(path)
    assert visits.attrs["format"] == "google-timeline-device"
    import json

    seg = next(s for s in json.loads(path.read_text())["semanticSegments"] if "visit" in s)
    lat, lon = _first_latlng(seg["visit"]["topCandidate"]["placeLocation"]["latLng"], r"(.+)")
    assert visits[["lat", "lon", "label"]].values.tolist() == [[lat, lon, "HOME"]]
    assert visits["start"].iloc[0] == pd.Timestamp("2024-06-15T07:00:00Z")  # 09:00+02:00
    trips = read(path, kind="trips")
    assert trips["mode"].tolist() == ["car"]  # IN_PASSENGER_VEHICLE
    assert trips["distance_m"].iloc[0] == pytest.approx(1157, abs=5)  # straight line
    points = read(path, kind="location_points")
    assert len(points) == 3  # two timelinePath points + one rawSignals position
    assert points["accuracy_m"].iloc[-1] == 15


@pytest.mark.parametrize(
    ("name", "points", "trips", "first"),
    [
        ("gpx_track_single_segment.gpx", 10, 1, "2024-03-16T12:30:23Z"),
        ("gpx_track_multiple_segments.gpx", 43, 3, "2024-04-21T09:07:31Z"),
        ("arc_example.gpx", 6, 1, "2024-12-18T01:44:09Z"),  # 08:44:09+07:00
    ],
)
def test_gpx_files(name, points, trips, first):
    path = shared_path("exports_real", "gpx", name)
    df = read(path)
    assert df.attrs["format"] == "gpx" and len(df) == points  # grep -c '<trkpt'
    assert df["time"].min() == pd.Timestamp(first)
    t = read(path, kind="trips")
    assert len(t) == trips
    assert (t["distance_m"] > 0).all()


def test_tcx_running():
    path = shared_path("exports_real", "gpx", "running.tcx")
    df = read(path)
    assert df.attrs["format"] == "tcx"
    text = path.read_text()
    lat = float(re.search(r"<LatitudeDegrees>([^<]+)<", text).group(1))
    lon = float(re.search(r"<LongitudeDegrees>([^<]+)<", text).group(1))
    assert df[["lat", "lon"]].values.tolist() == [[lat, lon]]
    assert df["track_type"].tolist() == ["Running"]


def test_enedis_dataconnect_daily_and_load_curve():
    folder = shared_path("exports_real", "enedis_dataconnect_json")
    daily = read(folder / "daily.json")
    assert daily.attrs["format"] == "enedis-dataconnect-daily"
    # 365 readings, sum of "value" = 12 089 386 Wh (python: sum(int(v)) over interval_reading)
    assert len(daily) == 365 and daily["kwh"].sum() == pytest.approx(12089.386)
    assert daily["start"].iloc[0] == pd.Timestamp("2022-03-08T00:00:00+01:00")
    assert daily["kwh"].iloc[0] == pytest.approx(42.045)
    curve = read(folder / "detail.json")
    assert curve.attrs["format"] == "enedis-dataconnect-load-curve"
    # 144 half-hours; energy = sum(W) × 0.5 h = 228 211 Wh; first date is the END of 00:00–00:30
    assert len(curve) == 144 and curve["kwh"].sum() == pytest.approx(228.211)
    assert curve["start"].iloc[0] == pd.Timestamp("2023-03-01T00:00:00+01:00")
    assert curve["kwh"].iloc[0] == pytest.approx(1344 * 0.5 / 1000)


def test_grdf_xlsx_daily_and_monthly_agree():
    folder = shared_path("exports_real", "grdf_gazpar")
    daily = read(folder / "Donnees_informatives_PCE_DAILY.xlsx")
    monthly = read(folder / "Donnees_informatives_PCE_MONTHLY.xlsx")
    assert daily.attrs["format"] == "grdf-xlsx-daily" and monthly.attrs["format"] == "grdf-xlsx-monthly"
    # rows 10..372 of the daily sheet; first row "24/11/2020 | 12163 | 12175 | 12 | 133"
    assert len(daily) == 363
    assert daily["start"].iloc[0] == pd.Timestamp("2020-11-24T06:00:00+01:00")
    assert (daily["kwh"].iloc[0], daily["m3"].iloc[0]) == (133, 12)
    # 13 months, "Novembre 2020 " first (75 m3, 845 kWh); both files total 23 181 kWh and 2 100 m3
    assert len(monthly) == 13 and monthly["start"].iloc[0] == pd.Timestamp("2020-11-01T00:00:00+01:00")
    assert (monthly["m3"].iloc[0], monthly["kwh"].iloc[0]) == (75, 845)
    assert daily["kwh"].sum() == monthly["kwh"].sum() == 23181
    assert daily["m3"].sum() == monthly["m3"].sum() == 2100


def test_grdf_json():
    folder = shared_path("exports_real", "grdf_gazpar")
    info = read(folder / "donnees_informatives.json")
    rep = info.attrs["import_report"]
    # 1096 relevés, one "Absence de Données" (2021-08-10) without energy
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (1096, 1095, 1)
    assert info["kwh"].sum() == 62213 and info["m3"].sum() == 5617
    assert info["start"].iloc[0] == pd.Timestamp("2019-11-30T06:00:00Z")
    published = read(folder / "donnees_publiees.json")
    assert len(published) == 87 and published["kwh"].sum() == 117744


def test_enedis_index_and_max_power():
    from selfdata_lib.exports import read_enedis_max_power

    path = shared_path("exports_real", "enedis_linky_csv", "Enedis_SGE_HDM_C5_index_pmax.csv")
    df = read(path)
    assert df.attrs["format"] == "enedis-csv-index"
    rep = df.attrs["import_report"]
    # lines 4..474 are daily indexes (471); 80 of them have no EAS T; the first valued one opens
    assert (rep["rows_read"], rep["rows_kept"], rep["rows_rejected"]) == (471, 390, 81)
    # first valued line "2021-01-08T23:00:00+01:00;…;15747", next 74071 → 58.324 kWh on 9 January
    assert df["start"].iloc[0] == pd.Timestamp("2021-01-09T00:00:00+01:00")
    assert df["kwh"].iloc[0] == pytest.approx(58.324)
    # last EAS T 9723814 − first 15747 Wh
    assert df["kwh"].sum() == pytest.approx((9723814 - 15747) / 1000)
    assert [c["supplier_calendar"] for c in df.attrs["calendars"]] == ["INCONNU", "FC000165"]
    pmax = read_enedis_max_power(path)
    # last line "2022-02-01T08:18:09+01:00;5125"
    assert pmax["time"].iloc[-1] == pd.Timestamp("2022-02-01T08:18:09+01:00")
    assert pmax["power"].iloc[-1] == 5125
    assert pmax.attrs["unit"] == "W"


def test_google_ios_array_export():
    folder = shared_path("exports_real", "google_takeout")
    path = folder / "location-history.json"
    visits = read(path)
    assert visits.attrs["format"] == "google-timeline-ios"
    # one visit, "2023-08-27T15:48:56.000-05:00"; its place as the file writes it ("geo:lat,lon")
    assert len(visits) == 1
    assert visits["start"].iloc[0] == pd.Timestamp("2023-08-27T20:48:56Z")
    lat, lon = _first_latlng(path.read_text(), r'"placeLocation"\s*:\s*"geo:([^"]+)"')
    assert (visits["lat"].iloc[0], visits["lon"].iloc[0]) == (lat, lon)
    points = read(path, kind="location_points")
    # 1 + 9 timelinePath points; the first is 49 min after 20:00Z
    assert len(points) == 10
    assert points["time"].iloc[0] == pd.Timestamp("2023-08-27T20:49:00Z")
    edge = read(folder / "edge_cases" / "phone_takeout_array_timeline_path.json", kind="location_points")
    assert len(edge) == 3
    assert edge["time"].iloc[-1] == pd.Timestamp("2025-07-29T16:10:00Z")
