"""Bike share on any GBFS system: the three layouts, the catalogue, finding a system, live through a
local server, the planner on each shipped system, and clear French messages when something is missing.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from selfdata_lib import opendata, settings
from selfdata_lib.analysis import velov
from selfdata_lib.errors import DataUnavailableError, ExportFormatError
from selfdata_lib.opendata import gbfs
from selfdata_lib.samples.personas import ines, jordi


@pytest.mark.parametrize(
    ("key", "version", "stations", "id_type"),
    [("velov", "3.0", 156, np.integer), ("velib", "1.0", 182, np.integer), ("naolib", "2.3", 110, np.integer),
     ("bicing", "3.0", 143, np.integer), ("star", "1.0", 42, np.integer), ("yelo", "3.0", 36, np.integer)],
)  # fmt: skip
def test_each_shipped_sample_reads_into_the_same_stations_frame(key, version, stations, id_type):
    system = gbfs.find_system(key, source="sample")
    frame = gbfs.load_system_stations(system, source="sample")
    assert list(frame.columns) == gbfs.STATION_COLUMNS
    assert frame.attrs["gbfs"]["version"] == version and len(frame) == stations
    assert frame.attrs["provenance"]["sample"] is True
    assert np.issubdtype(frame["station_id"].dtype, id_type) and frame["station_id"].is_unique
    assert (frame["bikes"] + frame["docks"] == frame["capacity"]).all() and (frame["status"] == "OPEN").all()
    assert str(frame["last_update"].dt.tz) == "UTC"
    assert frame["last_update"].max() == pd.Timestamp("2025-03-18 08:00", tz="Europe/Paris")
    assert frame["name"].str.contains("Station exemple").all()  # v3 localised names read as text
    # inside the territory the system belongs to
    from selfdata_lib import territories

    place = territories.get(system.territory)
    assert all(place.contains(la, lo) for la, lo in zip(frame["lat"], frame["lon"], strict=True))


def test_velov_gbfs_sample_is_the_rdata_sample_seen_through_gbfs():
    rdata = opendata.load_velov_stations(source="sample").set_index("station_id").sort_index()
    feed = gbfs.load_system_stations(gbfs.find_system("velov", source="sample"), source="sample")
    feed = feed.set_index("station_id").sort_index()
    assert list(rdata.index) == list(feed.index)
    for column in ("bikes", "docks", "capacity", "lat", "lon"):
        assert np.allclose(rdata[column].astype(float), feed[column].astype(float)), column


def _write_feed(folder, discovery, info, status):
    folder.mkdir(parents=True, exist_ok=True)
    for name, doc in (
        ("gbfs.json", discovery),
        ("station_information.json", info),
        ("station_status.json", status),
    ):
        (folder / name).write_text(json.dumps(doc), encoding="utf-8")


def test_a_v11_feed_with_text_ids_closed_stations_and_no_capacity(tmp_path):
    feeds = [{"name": n, "url": f"https://x/{n}.json"} for n in ("station_information", "station_status")]
    _write_feed(
        tmp_path / "f",
        {"last_updated": 1742281200, "ttl": 0, "version": "1.1", "data": {"en": {"feeds": feeds}}},
        {"data": {"stations": [{"station_id": "a1", "name": "Dock A", "lat": 48.85, "lon": 2.35},
                               {"station_id": "b2", "name": "Dock B", "lat": 48.86, "lon": 2.36}]}},
        {"last_updated": 1742281200,
         "data": {"stations": [{"station_id": "a1", "num_bikes_available": 3, "num_docks_available": 5,
                                "is_installed": 1, "is_renting": 0, "is_returning": 1, "last_reported": 1742281100},
                               {"station_id": "b2", "num_bikes_available": 0, "num_docks_available": 9,
                                "is_installed": 1, "is_renting": 1, "is_returning": 1}]}},
    )  # fmt: skip
    frame = gbfs.read_gbfs_folder(tmp_path / "f")
    assert frame["station_id"].tolist() == ["a1", "b2"]  # text ids stay text
    assert frame["status"].tolist() == ["CLOSED", "OPEN"] and frame["capacity"].tolist() == [8, 9]
    assert frame["last_update"].tolist() == [
        pd.Timestamp(1742281100, unit="s", tz="UTC"),
        pd.Timestamp(1742281200, unit="s", tz="UTC"),  # no last_reported: the feed's own time
    ]
    assert frame.attrs["gbfs"]["version"] == "1.1"


def test_text_booleans_a_station_without_coordinates_and_a_season_without_stations(tmp_path):
    feeds = [{"name": n, "url": f"https://x/{n}.json"} for n in ("station_information", "station_status")]
    discovery = {"last_updated": 1742281200, "ttl": 0, "version": "2.3", "data": {"fr": {"feeds": feeds}}}
    info = {
        "data": {
            "stations": [
                {"station_id": "1", "name": "A", "lat": 48.85, "lon": 2.35},
                {"station_id": "2", "name": "B", "lat": "n/a", "lon": 2.36},
                {"station_id": "3", "name": "C", "lat": 48.87, "lon": 2.37},
            ]
        }
    }
    status = {
        "last_updated": 1742281200,
        "data": {
            "stations": [
                {
                    "station_id": s,
                    "num_bikes_available": 2,
                    "num_docks_available": 4,
                    "is_installed": "true",
                    "is_renting": r,
                }
                for s, r in (("1", "false"), ("2", "true"), ("3", "true"))
            ]
        },
    }
    _write_feed(tmp_path / "f", discovery, info, status)  # fmt: skip
    frame = gbfs.read_gbfs_folder(tmp_path / "f")
    assert frame["station_id"].tolist() == [1, 3]  # the station without coordinates is left out
    assert frame["status"].tolist() == ["CLOSED", "OPEN"]  # "false" as text is false
    _write_feed(tmp_path / "g", discovery, {"data": {"stations": []}}, {"data": {"stations": []}})
    with pytest.raises(DataUnavailableError, match="aucune station en ce moment"):
        gbfs.read_gbfs_folder(tmp_path / "g")


def test_feeds_that_are_not_gbfs_or_lack_a_file_say_so_in_french(tmp_path):
    with pytest.raises(DataUnavailableError, match="il manque station_status.json"):
        (tmp_path / "half").mkdir()
        for name in ("gbfs.json", "station_information.json"):
            (tmp_path / "half" / name).write_text("{}")
        gbfs.read_gbfs_folder(tmp_path / "half")
    with pytest.raises(DataUnavailableError, match="pas un flux GBFS.*data.feeds"):
        gbfs.feed_urls({"type": "FeatureCollection", "features": []}, where="stations.geojson")
    with pytest.raises(DataUnavailableError, match="aucune liste de flux"):
        gbfs.feed_urls({"data": {"fr": {"flux": []}}}, where="gbfs.json")
    info = {"data": {"stations": [{"station_id": "1", "lat": 45.7, "lon": 4.8}]}}
    with pytest.raises(DataUnavailableError, match="num_bikes_available.*num_vehicles_available"):
        gbfs.stations_from_feeds(info, {"data": {"stations": [{"station_id": "1", "bikes": 2}]}})
    with pytest.raises(DataUnavailableError, match=r"station_information\).*data.stations"):
        gbfs.stations_from_feeds({"data": {}}, {"data": {"stations": [{"station_id": "1"}]}})
    version, urls = gbfs.feed_urls(
        {"version": "3.0", "data": {"feeds": [{"name": "station_status", "url": "u"}]}}, where="g"
    )
    assert version == "3.0" and urls == {"station_status": "u"}
    _, urls = gbfs.feed_urls(
        {
            "data": {
                "en": {"feeds": [{"name": "x", "url": "en"}]},
                "es": {"feeds": [{"name": "x", "url": "es"}]},
            }
        },
        where="g",
        language="es",
    )
    assert urls == {"x": "es"}


def test_the_catalogue_sample_has_mobilitydata_columns_and_a_bad_file_is_refused(tmp_path):
    catalogue = gbfs.load_systems_catalogue(source="sample")
    assert catalogue.attrs["provenance"]["sample"] is True
    bicing = catalogue[catalogue["system_id"] == "bike_barcelona"].iloc[0]
    assert bicing["gbfs_url"].endswith("/gbfs/v3.0/gbfs.json") and "3.0" in bicing["versions"]
    header = (settings.opendata_samples_folder / "gbfs-systems" / "systems.csv").read_text().splitlines()[0]
    assert header.split(",") == gbfs.CATALOGUE_COLUMNS
    bad = tmp_path / "systems.csv"
    bad.write_text("id,nom\n1,Vélo\n")
    with pytest.raises(ExportFormatError, match="systems.csv, ligne 1 : un catalogue des systèmes GBFS"):
        gbfs.read_systems_catalogue(bad)


@pytest.mark.parametrize(
    ("territory", "system_id", "dataset", "streets"),
    [("lyon", "lyon", "gbfs-velov", "lyon-streets"), ("paris", "Paris", "gbfs-velib", None),
     ("nantes", "nantes", "gbfs-naolib", None), ("barcelona", "bike_barcelona", "gbfs-bicing", None),
     ("rennes", "le_velo_star", "gbfs-star", None), ("la-rochelle", "citiz_la_rochelle", "gbfs-yelo", None)],
)  # fmt: skip
def test_auto_finds_the_territorys_system(territory, system_id, dataset, streets):
    system = gbfs.find_system("auto", territory=territory, source="sample")
    assert (system.system_id, system.dataset, system.streets, system.territory) == (
        system_id,
        dataset,
        streets,
        territory,
    )
    assert system.figures()["system_found_by"].value.startswith("territoire")
    assert system.history and opendata.get_dataset(system.history)


def test_a_system_by_id_name_or_url_and_unknown_ones(isolated_settings):
    by_name = gbfs.find_system("Vélib' Metropole", source="sample")
    by_url = gbfs.find_system(
        "https://velib-metropole-opendata.smovengo.cloud/opendata/Velib_Metropole/gbfs.json", source="sample"
    )
    assert by_name.dataset == by_url.dataset == "gbfs-velib" and by_url.territory == "paris"
    with pytest.raises(DataUnavailableError, match="inconnu « Bicingo ».*Vouliez-vous : Bicing"):
        gbfs.find_system("Bicingo", source="sample")
    lille = gbfs.find_system("v_lille", source="sample")  # in the catalogue, no sample shipped
    assert lille.system_id == "v_lille" and lille.dataset is None
    with pytest.raises(DataUnavailableError, match="V'lille : pas d'état des stations.*open_data = \"live\""):
        gbfs.load_system_stations(lille, source="auto")
    assert gbfs.load_system_history(lille) is None


def test_a_territory_without_bike_share_says_what_is_missing(tmp_path, monkeypatch):
    folder = tmp_path / "territories"
    folder.mkdir()
    (folder / "gent.yaml").write_text(
        "id: gent\nname: Gand\ncountry: BE\nbbox: [3.65, 51.0, 3.8, 51.1]\ncentre: [51.054, 3.725]\n"
        "timezone: Europe/Brussels\nlanguage: nl\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SELFDATA_TERRITORIES", str(folder))
    with pytest.raises(
        DataUnavailableError, match="Gand : pas de source pour vélos en libre-service.*gent.yaml"
    ):
        gbfs.find_system("auto", territory="gent")


def _v3_routes(local_http, bikes: int, *, tz: str = "Europe/Brussels", offset: str = "+02:00") -> None:
    base = local_http.url
    feeds = [
        {"name": n, "url": f"{base}/v3/{n}.json"}
        for n in ("system_information", "station_information", "station_status")
    ]
    docs = {
        "gbfs.json": {"last_updated": "2026-06-01T08:00:00+02:00", "ttl": 0, "version": "3.0", "data": {"feeds": feeds}},
        "system_information.json": {"data": {"system_id": "gent_bikes", "name": [{"text": "Gent fietsen", "language": "nl"}],
                                             "timezone": tz}},
        "station_information.json": {"data": {"stations": [
            {"station_id": f"s{i}", "name": [{"text": f"Plein {i}", "language": "nl"}], "lat": 51.05 + i / 1000,
             "lon": 3.72 + i / 1000, "capacity": 10} for i in range(3)]}},
        "station_status.json": {"data": {"stations": [
            {"station_id": f"s{i}", "num_vehicles_available": bikes, "num_docks_available": 10 - bikes,
             "is_installed": True, "is_renting": True, "is_returning": True,
             "last_reported": f"2026-06-01T07:59:00{offset}"} for i in range(3)]}},
    }  # fmt: skip
    for name, doc in docs.items():
        path = "/gbfs.json" if name == "gbfs.json" else f"/v3/{name}"
        local_http.routes[path] = ("application/json", json.dumps(doc).encode())


def test_any_system_given_by_url_is_read_live_then_from_the_cache(isolated_settings, local_http, monkeypatch):
    _v3_routes(local_http, bikes=4)
    url = f"{local_http.url}/gbfs.json"
    system = gbfs.find_system(url, source="auto")
    assert system.found_by == "URL donnée" and system.dataset is None
    with pytest.raises(DataUnavailableError, match="pas d'état des stations"):
        gbfs.load_system_stations(system, source="auto")
    live = gbfs.load_system_stations(system, source="live")
    assert live["name"].tolist() == ["Plein 0", "Plein 1", "Plein 2"] and live["bikes"].eq(4).all()
    assert live.attrs["gbfs"]["name"] == "Gent fietsen" and live.attrs["provenance"]["sample"] is False
    assert set(local_http.requests) >= {
        "/gbfs.json",
        "/v3/station_information.json",
        "/v3/station_status.json",
    }
    monkeypatch.setattr(settings, "offline", True)
    again = gbfs.load_system_stations(system, source="auto")  # the cache, no network
    assert again["bikes"].eq(4).all()
    with pytest.raises(Exception, match="mode hors ligne"):
        gbfs.load_system_stations(system, source="live")


def test_a_system_on_another_clock_takes_and_shows_my_departure_on_its_own(isolated_settings, local_http):
    _v3_routes(local_http, bikes=4, tz="America/Montreal", offset="-04:00")
    system = gbfs.find_system(f"{local_http.url}/gbfs.json")
    stations = gbfs.load_system_stations(system, source="live")
    assert stations.attrs["timezone"] == "America/Montreal"
    when = velov.departure_time(stations, "2026-06-01 08:05")  # 08:05 in Montréal, not in Paris
    assert when.leave_at == pd.Timestamp("2026-06-01 12:05", tz="UTC")
    assert when.figures()["departure"].value == "2026-06-01 08:05" and "01/06/2026 07:59" in when.notes()[0]
    _v3_routes(local_http, bikes=4, tz="Mars/Olympus_Mons", offset="-04:00")  # a name no clock knows
    odd = gbfs.load_system_stations(system, source="live")
    assert "timezone" not in odd.attrs and velov.departure_time(odd, "maintenant").tz == "Europe/Paris"


def test_hours_and_days_of_a_history_are_read_on_its_systems_clock(isolated_settings):
    system = gbfs.find_system("auto", territory="barcelona", source="sample")
    assert system.timezone == "Europe/Madrid"
    history = gbfs.load_system_history(system, source="sample")
    assert history is not None and history.attrs["timezone"] == "Europe/Madrid"
    cut = history[history["station_id"].isin(sorted(history["station_id"].unique())[:4])].copy()
    cut.attrs = {"timezone": "America/Anchorage"}  # the same readings, on a clock nine hours behind
    days = set(cut["time"].dt.tz_convert("America/Anchorage").dt.date)
    held = {day for day, _train, _test in velov.held_out_days(cut)}
    assert held == days and min(days) < min(history["time"].dt.tz_convert("Europe/Madrid").dt.date)
    trained = velov.train_availability(cut, cache=False)
    assert trained.model.model.tz == "America/Anchorage" and trained.days == len(days)
    assert {b.tz for b in trained.model.baselines.values() if hasattr(b, "tz")} == {"America/Anchorage"}
    anchorage = velov.station_profiles(cut)
    madrid = cut.copy()
    madrid.attrs = {"timezone": "Europe/Madrid"}
    # the same readings: 08:00 in Anchorage is 17:00 in Madrid (UTC-8 and UTC+1 in mid-March)
    expected = np.roll(velov.station_profiles(madrid).to_numpy(), -9, axis=1)
    assert np.allclose(anchorage.to_numpy(), expected, equal_nan=True)
    assert not np.allclose(anchorage.to_numpy(), velov.station_profiles(madrid).to_numpy(), equal_nan=True)


def test_a_system_that_lists_no_stations_is_refused_in_french(isolated_settings, local_http):
    local_http.routes["/free.json"] = (
        "application/json",
        json.dumps(
            {"version": "2.3", "data": {"en": {"feeds": [{"name": "free_bike_status", "url": "x"}]}}}
        ).encode(),
    )
    system = gbfs.find_system(f"{local_http.url}/free.json")
    with pytest.raises(DataUnavailableError, match="ne liste pas station_information ni station_status"):
        gbfs.load_system_stations(system, source="live")


def test_the_collector_writes_the_same_history_for_a_v3_system_with_text_ids(
    isolated_settings, local_http, tmp_path
):
    _v3_routes(local_http, bikes=5)
    polls = iter([2])
    opendata.collect_history(
        tmp_path / "h",
        every_min=1,
        times=2,
        url=f"{local_http.url}/gbfs.json",
        sleep=lambda s: _v3_routes(local_http, bikes=next(polls)),
    )
    history = opendata.load_availability_history(path=tmp_path / "h")
    assert sorted(history["station_id"].unique()) == ["s0", "s1", "s2"]
    assert sorted(history.loc[history["station_id"] == "s1", "bikes"]) == [2, 5]


@pytest.mark.parametrize(
    ("territory", "home", "work", "name"),
    [("paris", ines.HOME, ines.WORK, "Vélib' Métropole"), ("barcelona", jordi.HOME, jordi.WORK, "Bicing")],
)
def test_the_planner_on_another_system_with_its_history_cut_short(
    territory, home, work, name, isolated_settings
):
    system = gbfs.find_system("auto", territory=territory, source="sample")
    stations = gbfs.load_system_stations(system, source="sample")
    history = gbfs.load_system_history(system, source="sample")
    assert history is not None and history["station_id"].nunique() == len(stations)
    near = velov.nearest_stations(stations, np.array([home, work]), k=6).ravel()
    cut = history[history["station_id"].isin(stations["station_id"].iloc[near])]  # a quick model
    trained = velov.train_availability(cut, cache=False)
    when = velov.departure_time(stations, "2025-03-18 08:05")
    trip = velov.plan(home, work, stations, trained, when, system=system)
    best = trip.best
    assert best is not None and trip.plan["option"].iloc[0] == f"{name} 1"
    assert best.total_minutes < trip.plan.attrs["walking_only_minutes"] < 60
    reading = velov.describe_trip(trip)
    text = str(reading)
    assert "aucun réseau de rues décrit pour ce territoire" in text and "lyon-streets" not in text
    assert gbfs.street_graph(system) is None


def test_without_history_the_planner_trusts_what_it_sees_and_says_so():
    system = gbfs.find_system("bicing", source="sample")
    stations = gbfs.load_system_stations(system, source="sample")
    trained = velov.train_availability(None)
    figures = trained.figures()
    assert figures["history_days"].value is None and "pas d'historique" in figures["history_days"].reason
    when = velov.departure_time(stations, "maintenant")
    trip = velov.plan(jordi.HOME, jordi.WORK, stations, trained, when, system=system)
    assert trip.best is not None and trip.best.p_bike in (0.0, 1.0)  # persistence: certain either way


def test_the_notebook_names_no_city_and_a_new_territory_needs_no_notebook_change(tmp_path, monkeypatch):
    import nbformat

    path = settings.project_folder / "use_cases" / "lyon-velov-route" / "lyon-velov-route.ipynb"
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(
        c.source for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
    )
    for city in ("lyon", "Lyon", "Vélo'v", "velov-stations", "arrondissements", "Paris", "Barcel", "Bicing"):
        assert city not in code, city
    folder = tmp_path / "territories"
    folder.mkdir()
    (folder / "sant-cugat.yaml").write_text(
        "id: sant-cugat\nname: Sant Cugat\ncountry: ES\nbbox: [2.0, 41.3, 2.25, 41.5]\ncentre: [41.47, 2.08]\n"
        "timezone: Europe/Madrid\nlanguage: ca\nopen_data:\n"
        "  bike_share: {system: bike_barcelona, gbfs: 'https://barcelona.publicbikesystem.net/customer/gbfs/v3.0/gbfs.json'}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SELFDATA_TERRITORIES", str(folder))
    system = gbfs.find_system("auto", territory="Sant Cugat", source="sample")
    assert system.territory == "sant-cugat" and system.name == "Bicing"  # the catalogue's name
    assert system.dataset == "gbfs-bicing" and system.history == "bicing-availability-history"
    assert len(gbfs.load_system_stations(system, source="sample")) == 143


def test_the_research_notebook_history_of_any_shipped_system_or_a_clear_refusal():
    assert gbfs.history_of("bicing", source="sample")["station_id"].nunique() == 143
    assert gbfs.history_of("le_velo_star", source="sample")["station_id"].nunique() == 42
    with pytest.raises(DataUnavailableError, match="V'lille : pas d'historique.*selfdata collect velov"):
        gbfs.history_of("v_lille", source="sample")
