"""Vélo'v: station readers and live paths, availability model vs persistence, trip planner, streets."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from benchmarks.reference_route import plan_trip_reference
from selfdata_lib import opendata, settings
from selfdata_lib.analysis import routing, velov
from selfdata_lib.errors import DataUnavailableError, ExportFormatError
from selfdata_lib.opendata import streets


def _rdata(values):
    return {"fields": [], "layer_name": "jcd_jcdecaux.jcdvelov", "nb_results": len(values), "values": values}


def _station(number, lat, lon, bikes, stands, capacity=None):
    return {
        "number": number,
        "name": f"{number} - TEST",
        "lat": lat,
        "lng": lon,
        "bike_stands": capacity or bikes + stands,
        "available_bikes": bikes,
        "available_bike_stands": stands,
        "status": "OPEN",
        "last_update": "2025-03-18 08:00:00+01:00",
    }


def test_read_stations_in_every_layout(tmp_path):
    rdata = tmp_path / "jcd_jcdecaux.jcdvelov.json"
    rdata.write_text(
        json.dumps(_rdata([_station(7001, 45.75, 4.84, 3, 12), _station(7002, 45.76, 4.85, 0, 20)]))
    )
    s = opendata.read_stations(rdata)
    assert (
        list(s["station_id"]) == [7001, 7002]
        and list(s["bikes"]) == [3, 0]
        and list(s["capacity"]) == [15, 20]
    )
    wfs = tmp_path / "pvostationvelov.geojson"
    wfs.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [4.84, 45.75]},
                        "properties": {"idstation": 7001, "nom": "Test", "nbbornettes": 15, "ouverte": True},
                    }
                ],
            }
        )
    )
    w = opendata.read_stations(wfs)
    assert w["capacity"].item() == 15 and np.isnan(w["bikes"].item())
    (tmp_path / "station_information.json").write_text(
        json.dumps(
            {
                "data": {
                    "stations": [
                        {"station_id": "7001", "name": "Test", "lat": 45.75, "lon": 4.84, "capacity": 15}
                    ]
                }
            }
        )
    )
    status = tmp_path / "station_status.json"
    status.write_text(
        json.dumps(
            {
                "data": {
                    "stations": [
                        {
                            "station_id": "7001",
                            "num_bikes_available": 4,
                            "num_docks_available": 11,
                            "is_renting": True,
                        }
                    ]
                }
            }
        )
    )
    g = opendata.read_stations(status)
    assert g["bikes"].item() == 4 and g["docks"].item() == 11 and g["station_id"].item() == 7001
    bad = tmp_path / "other.json"
    bad.write_text(json.dumps({"values": [{"number": 1, "lat": 45.7}]}))
    with pytest.raises(ExportFormatError, match="other.json, record 1"):
        opendata.read_stations(bad)


def test_station_live_path_and_gbfs_against_a_local_server(isolated_settings, local_http, monkeypatch):
    local_http.routes["/ws/rdata/jcdvelov.json"] = (
        "application/json",
        json.dumps(_rdata([_station(9001, 45.75, 4.84, 5, 5)])).encode(),
    )
    monkeypatch.setenv(
        "SELFDATA_LIVE_VELOV_STATIONS", f"{local_http.url}/ws/rdata/jcdvelov.json?maxfeatures=-1"
    )
    live = opendata.load_velov_stations(source="live")
    assert live["station_id"].tolist() == [9001] and live.attrs["provenance"]["sample"] is False
    base = local_http.url
    local_http.routes["/gbfs.json"] = (
        "application/json",
        json.dumps(
            {
                "data": {
                    "fr": {
                        "feeds": [
                            {"name": "station_information", "url": f"{base}/info.json"},
                            {"name": "station_status", "url": f"{base}/status.json"},
                        ]
                    }
                }
            }
        ).encode(),
    )
    local_http.routes["/info.json"] = (
        "application/json",
        json.dumps(
            {
                "data": {
                    "stations": [
                        {
                            "station_id": "9002",
                            "name": [{"text": "Gare", "language": "fr"}],
                            "lat": 45.76,
                            "lon": 4.86,
                            "capacity": 20,
                        }
                    ]
                }
            }
        ).encode(),
    )
    local_http.routes["/status.json"] = (
        "application/json",
        json.dumps(
            {
                "data": {
                    "stations": [
                        {
                            "station_id": "9002",
                            "num_vehicles_available": 7,
                            "num_docks_available": 13,
                            "is_renting": True,
                        }
                    ]
                }
            }
        ).encode(),
    )
    gbfs = opendata.fetch_gbfs(f"{base}/gbfs.json")
    assert gbfs["name"].item() == "Gare" and gbfs["bikes"].item() == 7
    assert local_http.requests[-3:] == ["/gbfs.json", "/info.json", "/status.json"]


def test_history_reader_fills_docks_and_rejects_other_files(tmp_path):
    path = tmp_path / "velov_availability_x.csv"
    path.write_text(
        "timestamp_utc,station_number,bikes,stands,capacity,mapping\n"
        "2019-09-14T12:02:29Z,201,2,,7,positional\n2019-09-14T12:02:29Z,555,1,2,3,explicit\n"
    )
    h = opendata.read_availability_history(path)
    assert h.loc[h["station_id"] == 201, "docks"].item() == 5
    path.write_text("date,velos\n2019-09-14,3\n")
    with pytest.raises(ExportFormatError, match="line 1"):
        opendata.read_availability_history(path)


@pytest.fixture(scope="module")
def sample_history():
    return opendata.load_availability_history(source="sample")


def test_model_beats_persistence_at_an_hour_on_the_sample(sample_history):
    history = sample_history[sample_history["station_id"] < 1040]  # a quicker subset
    table = velov.evaluate_availability(history, step_min=15).set_index("horizon_min")
    assert list(table.index) == [15, 30, 60]
    assert table.loc[60, "mae_bikes_model"] < table.loc[60, "mae_bikes_persistence"]
    # persistence gets worse with the horizon
    assert table.loc[60, "mae_bikes_persistence"] > table.loc[15, "mae_bikes_persistence"]
    assert (table.filter(like="brier") >= 0).all().all() and (table.filter(like="brier") <= 1).all().all()


def test_model_probabilities_follow_the_state(sample_history):
    model = velov.AvailabilityModel.fit(sample_history[sample_history["station_id"] < 1040], step_min=15)
    t = pd.Timestamp("2025-03-18 07:15", tz="UTC")
    state = pd.DataFrame(
        {
            "station_id": [1001, 1001, 1001],
            "bikes": [0, 12, 12],
            "docks": [18, 6, 6],
            "capacity": [18, 18, 18],
            "horizon_min": [15, 15, 15],
            "target_time": [t, t, t],
        }
    )
    p = model.predict(state)
    assert p["p_bike"].between(0, 1).all() and p["p_dock"].between(0, 1).all()
    assert p["p_bike"].iloc[1] > p["p_bike"].iloc[0]  # bikes now make bikes later more likely


def _line_stations():
    # three stations on a meridian, 0.005° (≈ 556 m) apart, plus one far away
    return pd.DataFrame(
        {
            "station_id": [1, 2, 3, 4],
            "name": list("ABCD"),
            "lat": [45.750, 45.755, 45.760, 45.800],
            "lon": [4.85, 4.85, 4.85, 4.85],
            "capacity": [10] * 4,
            "bikes": [5] * 4,
            "docks": [5] * 4,
            "status": ["OPEN"] * 4,
        }
    )


def test_planner_by_hand_and_the_penalty_of_an_empty_station():
    stations = _line_stations()
    speeds = velov.Speeds(
        walk_kmh=6.0, bike_kmh=12.0, detour=1.0, dock_min=1.0
    )  # 100 m/min walking, 200 m/min riding
    origin, destination = (45.750, 4.85), (45.760, 4.85)
    plan = velov.plan_trips(
        np.array([origin]),
        np.array([destination]),
        stations,
        p_bike=np.ones(4),
        p_dock=np.ones(4),
        speeds=speeds,
        max_walk_m=700,
    )
    assert (plan["pickup"][0, 0], plan["dropoff"][0, 0]) == (0, 2)
    ride = 1111.95 / 200  # 0.01° of latitude
    assert plan["total_min"][0, 0] == pytest.approx(2 + ride, rel=1e-3)
    assert plan["walk_only_min"][0] == pytest.approx(1111.95 / 100, rel=1e-3)
    # no bike expected at A: the fallback (walk 556 m to B, 5.6 min) makes B the better start
    empty_a = np.array([0.0, 1, 1, 1])
    plan = velov.plan_trips(
        np.array([origin]),
        np.array([destination]),
        stations,
        p_bike=empty_a,
        p_dock=np.ones(4),
        speeds=speeds,
        max_walk_m=700,
    )
    assert plan["pickup"][0, 0] == 1 and plan["p_bike"][0, 0] == 1.0


def test_vectorised_planner_equals_the_reference_loop():
    rng = np.random.default_rng(4)
    stations = opendata.load_velov_stations(source="sample")
    pb, pdk = rng.uniform(0.2, 1, len(stations)), rng.uniform(0.2, 1, len(stations))
    n = 40
    o = np.column_stack([rng.uniform(45.735, 45.78, n), rng.uniform(4.82, 4.88, n)])
    d = np.column_stack([rng.uniform(45.735, 45.78, n), rng.uniform(4.82, 4.88, n)])
    plan = velov.plan_trips(o, d, stations, p_bike=pb, p_dock=pdk, max_walk_m=500)
    for t in range(n):
        ref_t, ref_i, ref_j = plan_trip_reference(
            tuple(o[t]), tuple(d[t]), stations, p_bike=pb, p_dock=pdk, max_walk_m=500
        )
        if np.isinf(ref_t):
            assert plan["pickup"][t, 0] == -1
        else:
            assert plan["total_min"][t, 0] == pytest.approx(ref_t, rel=1e-5)
            assert (plan["pickup"][t, 0], plan["dropoff"][t, 0]) == (ref_i, ref_j)


def test_departure_rules():
    snap = pd.Timestamp("2025-03-18 07:00", tz="UTC")
    dep, note = velov.resolve_departure("2025-03-18 08:10", snap)
    assert dep == pd.Timestamp("2025-03-18 07:10", tz="UTC") and "08:10" in note
    dep, note = velov.resolve_departure("now", snap, now=pd.Timestamp("2025-03-18 07:12", tz="UTC"))
    assert dep == pd.Timestamp("2025-03-18 07:10", tz="UTC")
    dep, note = velov.resolve_departure("maintenant", snap, now=pd.Timestamp("2026-11-22 10:00", tz="UTC"))
    assert dep == snap and "live" in note
    with pytest.raises(ValueError, match="snapshot"):
        velov.resolve_departure("2025-03-18 12:00", snap)
    # a departure two minutes before the snapshot is a clock difference: the snapshot, with a note
    dep, note = velov.resolve_departure("2025-03-18 07:58", snap)
    assert dep == snap and "2 min avant" in note
    with pytest.raises(ValueError, match="min avant"):
        velov.resolve_departure("2025-03-18 07:30", snap)


def _grid_graph():
    """A small street grid (osmnx conventions: x/y in degrees, length in metres)."""
    g = nx.MultiDiGraph(crs="epsg:4326")
    lats, lons = np.arange(45.745, 45.7651, 0.0025), np.arange(4.835, 4.8651, 0.0025)
    for a, la in enumerate(lats):
        for b, lo in enumerate(lons):
            g.add_node(a * 100 + b, y=float(la), x=float(lo))
    from selfdata_lib.geo import haversine_m

    for u, du in g.nodes(data=True):
        for v, dv in g.nodes(data=True):
            same_row_neighbour = abs(u - v) == 1 and u // 100 == v // 100
            if same_row_neighbour or abs(u - v) == 100:
                g.add_edge(u, v, length=float(haversine_m(du["y"], du["x"], dv["y"], dv["x"])))
    return g


def test_street_graph_from_graphml_and_network_distances(tmp_path):
    import osmnx as ox

    path = tmp_path / "grid.graphml"
    ox.save_graphml(_grid_graph(), path)
    graph = streets.load_graph(path)
    origin, destination = (45.745, 4.835), (45.765, 4.865)  # opposite corners
    picks, drops = np.array([[45.7475, 4.835]]), np.array([[45.765, 4.8625]])
    nd = routing.network_distances(graph, origin, destination, picks, drops)
    # on a grid the street distance is the Manhattan distance
    from selfdata_lib.geo import haversine_m

    manhattan = haversine_m(45.745, 4.835, 45.765, 4.835) + haversine_m(45.765, 4.835, 45.765, 4.865)
    assert nd["walk_only_m"] == pytest.approx(manhattan, rel=1e-3)
    assert nd["walk_o_m"][0] == pytest.approx(haversine_m(45.745, 4.835, 45.7475, 4.835), rel=1e-3)
    assert nd["walk_only_m"] > haversine_m(*origin, *destination) * 1.3
    (tmp_path / "bad.graphml").write_text("<graphml>")
    with pytest.raises(ExportFormatError, match="bad.graphml : illisible comme réseau de rues"):
        streets.load_graph(tmp_path / "bad.graphml")
    with pytest.raises(DataUnavailableError, match="fichier de rues introuvable"):
        streets.load_graph(tmp_path / "absent.graphml")
    (tmp_path / "x.shp").write_text("")
    with pytest.raises(ExportFormatError, match="un réseau de rues .graphml, .osm ou .osm.pbf est attendu"):
        streets.load_graph(tmp_path / "x.shp")


def test_street_graph_from_osm_xml(tmp_path):
    osm = tmp_path / "tiny.osm"
    nodes = "".join(f'<node id="{i}" lat="{45.75 + i * 0.001}" lon="4.85" version="1"/>' for i in range(1, 4))
    osm.write_text(
        f'<?xml version="1.0"?><osm version="0.6">{nodes}<way id="10" version="1"><nd ref="1"/><nd ref="2"/>'
        '<nd ref="3"/><tag k="highway" v="residential"/></way></osm>'
    )
    graph = streets.load_graph(osm)
    assert graph.number_of_nodes() >= 2


def test_plan_one_with_and_without_a_street_graph(sample_history):
    stations = opendata.load_velov_stations(source="sample")
    model = velov.AvailabilityModel.fit(sample_history[sample_history["station_id"] < 1040], step_min=15)
    snap = pd.Timestamp("2025-03-18 07:00", tz="UTC")
    origin, destination = (45.7460, 4.8400), (45.7600, 4.8580)
    table = velov.plan_one(origin, destination, stations, model, snap, snap + pd.Timedelta(minutes=5))
    assert table.attrs["network"] == "straight-line" and table.attrs["detour_factor"] == velov.DETOUR_FACTOR
    assert table["option"].iloc[0].startswith("Vélo'v") and "À pied" in set(table["option"])
    assert table["total_minutes"].is_monotonic_increasing
    first = table.iloc[0]
    parts = first["walk_to_station_minutes"] + first["bike_minutes"] + first["walk_from_station_minutes"] + 2
    assert first["total_minutes"] >= parts - 1e-9  # the expected fallback cost is added, never removed
    cand = table.attrs["candidates"]
    assert set(cand["role"]) == {"pickup", "dropoff"} and cand["probability"].between(0, 1).all()
    graph = _grid_graph()
    on_streets = velov.plan_one(origin, destination, stations, model, snap, snap, graph=graph)
    assert on_streets.attrs["network"] == "osm"
    walk = on_streets.loc[on_streets["option"] == "À pied", "total_minutes"].item()
    assert walk > table.loc[table["option"] == "À pied", "total_minutes"].item() * 0.9


@pytest.mark.real
def test_real_station_snapshots_and_history(isolated_settings, monkeypatch):
    from conftest import shared_path

    folder = shared_path("opendata", "velov_stations")
    monkeypatch.setattr(settings, "opendata_paths", [folder.parent])
    rt = opendata.load_velov_stations()
    assert rt.attrs["provenance"]["origin"] == "snapshot" and len(rt) == 415
    assert (rt["bikes"] + rt["docks"] <= rt["capacity"]).mean() > 0.95
    layer = opendata.read_stations(folder / "pvo_patrimoine_voirie.pvostationvelov.geojson")
    assert len(layer) == 425 and layer["capacity"].gt(0).mean() > 0.95
    assert len(set(rt["station_id"]) & set(layer["station_id"])) > 380
    hist = opendata.load_availability_history()
    assert hist["station_id"].nunique() == 373
    assert hist["time"].min() == pd.Timestamp("2019-09-14 12:02:29", tz="UTC")


def test_street_graph_from_osm_pbf(tmp_path):
    import osmium

    pbf = tmp_path / "tiny.osm.pbf"
    with osmium.SimpleWriter(str(pbf)) as writer:
        for i in range(1, 4):
            writer.add_node(osmium.osm.mutable.Node(id=i, location=(4.85, 45.75 + i * 0.001), version=1))
        writer.add_way(
            osmium.osm.mutable.Way(id=10, nodes=[1, 2, 3], tags={"highway": "residential"}, version=1)
        )
    graph = streets.load_graph(pbf)
    assert graph.number_of_nodes() >= 2
    lengths = [d["length"] for *_, d in graph.edges(data=True)]
    assert sum(lengths) == pytest.approx(2 * 111.2 * 2, rel=0.05)  # both directions of a 222 m street


def test_lyon_streets_fetch_goes_through_the_fetcher_and_is_then_found(isolated_settings, monkeypatch):
    import dataclasses

    import osmnx as ox

    calls = []

    def fake_osmnx_download(folder):
        calls.append(folder)
        ox.save_graphml(_grid_graph(), folder / streets.GRAPH_FILE)

    ds = opendata.get_dataset("lyon-streets")
    monkeypatch.setitem(
        opendata.CATALOGUE, "lyon-streets", dataclasses.replace(ds, fetcher=fake_osmnx_download)
    )
    assert streets.find_graph() is None  # nothing cached yet: the planner falls back to straight lines
    folder = opendata.fetch("lyon-streets")
    assert calls == [settings.cache_folder / "opendata" / "lyon-streets"] and folder == calls[0]
    assert streets.find_graph().number_of_nodes() == _grid_graph().number_of_nodes()
    opendata.fetch("lyon-streets")
    assert len(calls) == 1  # cached
    assert opendata.load_optional("lyon-metro", source="sample") is None


def _gbfs_routes(local_http, bikes: int) -> None:
    base = local_http.url
    feeds = [
        {"name": "station_information", "url": f"{base}/info.json"},
        {"name": "station_status", "url": f"{base}/status.json"},
    ]
    info = [
        {"station_id": str(s), "name": f"S{s}", "lat": 45.76, "lon": 4.86, "capacity": 20} for s in (1, 2)
    ]
    status = [
        {"station_id": str(s), "num_bikes_available": bikes + s, "num_docks_available": 20 - bikes - s}
        for s in (1, 2)
    ]
    local_http.routes["/gbfs.json"] = (
        "application/json",
        json.dumps({"data": {"en": {"feeds": feeds}}}).encode(),
    )
    local_http.routes["/info.json"] = ("application/json", json.dumps({"data": {"stations": info}}).encode())
    local_http.routes["/status.json"] = (
        "application/json",
        json.dumps({"data": {"stations": status}}).encode(),
    )


def test_collecting_the_gbfs_feed_builds_a_history_the_model_reads(isolated_settings, local_http, tmp_path):
    _gbfs_routes(local_http, bikes=5)
    polls = iter([3, 1])

    def next_poll(seconds: float) -> None:  # instead of waiting: the feed changes
        assert seconds == 120.0
        _gbfs_routes(local_http, bikes=next(polls))

    written = opendata.collect_history(
        tmp_path / "hist", every_min=2, times=3, url=f"{local_http.url}/gbfs.json", sleep=next_poll
    )
    assert len(written) == 3 and all(p.suffix == ".parquet" for p in written)
    history = opendata.load_availability_history(path=tmp_path / "hist")
    assert history.attrs["provenance"]["origin"] == "file" and not history.attrs["provenance"]["sample"]
    assert sorted(history.loc[history["station_id"] == 1, "bikes"].tolist()) == [2, 4, 6]
    assert set(history.columns) >= {"time", "station_id", "bikes", "docks", "capacity"}
    assert history["capacity"].eq(20).all()


def test_collect_refuses_offline_in_french(isolated_settings, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from selfdata_lib import settings
    from selfdata_lib.app.cli import app

    monkeypatch.setattr(settings, "offline", True)
    res = CliRunner().invoke(app, ["collect", "velov", str(tmp_path / "h"), "--times", "1"])
    assert res.exit_code == 1 and "mode hors ligne est activé" in res.output
    assert not (tmp_path / "h").exists() or not any((tmp_path / "h").iterdir())
