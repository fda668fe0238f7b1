"""My evenings and weekends out (larochelle-leisure-low-carbon): which trips are outings, what I can reach
from my usual places, the lower-carbon swaps and their savings, the empty and faraway cases, and the
OpenStreetMap places (sample, live through a stand-in for osmnx).
"""

from __future__ import annotations

import datetime as dt
import filecmp
import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon

from selfdata_lib import opendata, settings
from selfdata_lib.analysis import mobility, outings
from selfdata_lib.geo import EARTH_RADIUS_M, haversine_m
from selfdata_lib.opendata.osm_leisure import LAROCHELLE_BBOX, LEISURE_KINDS, places_from_osm
from selfdata_lib.samples.opendata import osm_leisure as osm_sample

TZ = "Europe/Paris"
HOME = (46.1700, -1.1300)  # a made-up home in La Rochelle (not the persona's)
WORK = (46.1500, -1.1000)


def _north(place: tuple[float, float], metres: float) -> tuple[float, float]:
    """The point ``metres`` due north of ``place`` (great-circle distance exactly ``metres``)."""
    return place[0] + math.degrees(metres / EARTH_RADIUS_M), place[1]


def _east(place: tuple[float, float], metres: float) -> tuple[float, float]:
    return place[0], place[1] + math.degrees(metres / EARTH_RADIUS_M / math.cos(math.radians(place[0])))


def _trip(
    start: str, a: tuple[float, float], b: tuple[float, float], mode: str = "car", minutes: int = 10
) -> dict:
    t0 = pd.Timestamp(start, tz=TZ).tz_convert("UTC")
    return {
        "start": t0,
        "end": t0 + pd.Timedelta(minutes=minutes),
        "start_lat": a[0],
        "start_lon": a[1],
        "end_lat": b[0],
        "end_lon": b[1],
        "distance_m": haversine_m(*a, *b) * 1.3,
        "mode": mode,
    }


def _visits(*labelled: tuple[str, tuple[float, float], str]) -> pd.DataFrame:
    rows = []
    for k, (label, place, name) in enumerate(labelled):
        start = pd.Timestamp("2025-03-01", tz="UTC") + pd.Timedelta(hours=k)
        rows.append(
            {
                "start": start,
                "end": start + pd.Timedelta(minutes=30),
                "lat": place[0],
                "lon": place[1],
                "label": label,
                "name": name,
            }
        )
    return pd.DataFrame(rows)


def _location(trips: list[dict], visits: pd.DataFrame | None = None) -> dict:
    frame = pd.DataFrame(trips) if trips else None
    if visits is None:
        visits = _visits(("HOME", HOME, "home-id"), ("WORK", WORK, "work-id"))
    return {"visits": visits, "trips": frame, "location_points": None}


@pytest.fixture
def factors(isolated_settings):
    return opendata.load_emission_factors(source="sample")


@pytest.fixture
def car_factor(factors):
    return float(factors.set_index("mode").loc["car", "kgco2e_per_km"])


def _outings(trips: list[dict], factors, places=None, visits=None, **kw) -> outings.Outings:
    location = _location(trips, visits)
    return outings.leisure_trips(mobility.travel(location, {}), location, factors, places, **kw)


def _places(*rows: tuple[str, str, tuple[float, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [{"name": n, "kind": k, "lat": p[0], "lon": p[1], "commune": "", "osm_id": ""} for n, k, p in rows]
    )
    frame.attrs["provenance"] = {"dataset": "larochelle-leisure-places", "sample": True}
    return frame


# --- which trips are outings ----------------------------------------------------------------------------------


def test_outings_are_evenings_weekends_and_holidays_not_between_home_and_work(factors):
    gym, beach, bar = _east(HOME, 1500), _north(HOME, -4000), _east(HOME, 800)
    trips = [
        _trip("2025-03-04 08:00", HOME, WORK),  # Tuesday commute: not an outing
        _trip("2025-03-04 12:10", WORK, _east(WORK, 600)),  # lunch on a weekday: not an outing
        _trip("2025-03-04 18:30", HOME, gym),  # Tuesday evening: an outing
        _trip("2025-03-04 19:45", gym, HOME),  # and back
        _trip("2025-03-05 17:40", WORK, HOME),  # the way home, after work: not an outing
        _trip("2025-03-06 02:10", bar, HOME, "walk"),  # back home from the bar at night: an outing
        _trip("2025-03-08 10:00", HOME, beach),  # Saturday: an outing
        _trip("2025-03-08 11:00", HOME, WORK),  # Saturday, but home to work: not an outing
        _trip("2025-05-08 11:00", HOME, gym, "bike"),  # Thursday 8 May, a public holiday: an outing
    ]
    out = _outings(trips, factors)
    t = out.trips.sort_values("start")
    assert len(t) == 5
    assert list(t["when"]) == ["evening", "evening", "evening", "week-end", "holiday"]
    back = t.iloc[1]  # gym → home: the outing's place is the gym, not home
    assert (back["place_lat"], back["place_lon"]) == pytest.approx(gym)
    assert (back["from_lat"], back["from_lon"]) == pytest.approx(HOME)
    figures = out.figures()
    assert figures["leisure_trips"].value == 5
    assert set(figures["leisure_km_by_mode"].value) == {"car", "walk", "bike"}
    assert figures["leisure_share_of_km"].value == pytest.approx(
        t["km"].sum() / out.all_trips["km"].sum(), abs=1e-3
    )
    # a later evening hour leaves the 18:30 trip out
    assert len(_outings(trips, factors, evening_hour=19).trips) == 4


def test_the_kind_of_place_comes_from_the_open_data_or_the_visits_name(factors):
    museum, beach, pool = _east(HOME, 2000), _north(HOME, -3000), _east(HOME, -2500)
    places = _places(("Musée test", "museum", _east(museum, 60)), ("Plage test", "beach", _north(beach, 250)))
    visits = _visits(("HOME", HOME, "h"), ("WORK", WORK, "w"), ("", pool, "Piscine municipale Lucien"))
    trips = [
        _trip("2025-03-08 10:00", HOME, museum),
        _trip("2025-03-08 14:00", HOME, beach),  # a beach is large: 250 m from its point is still it
        _trip("2025-03-09 10:00", HOME, pool),
        _trip("2025-03-09 15:00", HOME, _north(HOME, 5000)),
    ]
    out = _outings(trips, factors, places, visits)
    kinds = dict(zip(out.places["name"], out.places["kind"], strict=True))
    assert kinds["Musée test"] == "museum" and kinds["Plage test"] == "beach"
    assert kinds["Piscine municipale Lucien"] == "sports"
    assert kinds["lieu à 5,0 km de mon domicile"] == "other"
    assert (
        outings.kind_from_name("Cinéma Utopia") == "cinema" and outings.kind_from_name("place-salle") is None
    )


def test_a_ride_in_the_timeline_and_in_a_gpx_track_counts_once(factors):
    ride = _trip("2025-03-08 14:30", HOME, _east(HOME, 4000), "bike", minutes=20)
    same = dict(ride, start=ride["start"] + pd.Timedelta(minutes=1), distance_m=ride["distance_m"] * 0.9)
    kept, dropped = outings.drop_repeated_trips(
        pd.DataFrame([ride, same, _trip("2025-03-08 16:00", HOME, WORK)])
    )
    assert (len(kept), dropped) == (2, 1)
    location = _location([ride])
    out = outings.leisure_trips(mobility.travel(location, {"trace": pd.DataFrame([same])}), location, factors)
    assert len(out.trips) == 1 and out.repeated == 1 and "compté une fois" in out.notes()[0]


def test_french_public_holidays():
    assert outings.easter(2025) == dt.date(2025, 4, 20) and outings.easter(2024) == dt.date(2024, 3, 31)
    days = outings.french_public_holidays([2025])
    assert len(days) == 11
    assert {dt.date(2025, 4, 21), dt.date(2025, 5, 29), dt.date(2025, 6, 9), dt.date(2025, 7, 14)} <= days


# --- what I can reach -----------------------------------------------------------------------------------------


def test_a_place_exactly_at_the_15_minute_bike_radius_is_within_reach(factors):
    radius = outings.TIMES.radius_m(15, "bike")
    assert radius == pytest.approx(15 * 15_000 / 60 / 1.3)
    places = _places(
        ("Au bord", "library", _north(HOME, radius)),
        ("Juste après", "library", _north(HOME, radius + 5)),
        ("Loin", "park", _north(HOME, 2 * radius)),
    )
    out = _outings([], factors, visits=_visits(("HOME", HOME, "h")))
    reach = outings.reachable(out, places)
    assert list(reach.usual["label"]) == ["domicile"]
    edge = reach.minutes.set_index("name")["bike_min"]
    assert edge["Au bord"] == pytest.approx(15.0, abs=1e-6) and edge["Juste après"] > 15
    figures = reach.figures()
    assert figures["places_reachable_15min_bike"].value == 1
    assert figures["places_reachable_30min_bike"].value == 3
    assert figures["places_reachable_15min_walk"].value == 0
    assert figures["reachable_15min_bike_by_place"].value == {"domicile": 1}
    assert set(reach.within("bike", 15)["name"]) == {"Au bord"}


def test_by_bus_needs_a_stop_near_both_ends():
    stops = pd.DataFrame(
        {
            "stop_id": ["A", "B", "C"],
            "stop_name": ["A", "B", "C"],
            "stop_lat": [HOME[0], _north(HOME, 3000)[0], _north(HOME, 9000)[0]],
            "stop_lon": [HOME[1]] * 3,
        }
    )
    there = [_north(HOME, 3100), _north(HOME, 4000), _north(HOME, 100)]
    minutes = outings.TIMES.bus_minutes(HOME[0], HOME[1], [p[0] for p in there], [p[1] for p in there], stops)
    ride = 3000 * 1.3 / (18_000 / 60)
    assert minutes[0] == pytest.approx(100 * 1.3 / (4500 / 60) + 7.5 + ride, rel=1e-3)
    assert math.isnan(minutes[1])  # 1 km from the nearest stop: not served
    assert math.isnan(minutes[2])  # the same stop at both ends: walk instead


# --- the same outing, lower carbon ----------------------------------------------------------------------------


def test_swaps_save_what_the_car_emitted_and_say_when_there_is_none(factors, car_factor):
    shop = _east(HOME, 2000)  # 2 km: the same place by bike
    beach, other_beach = _north(HOME, 12_000), _north(HOME, -3000)  # 12 km: another beach, 3 km away
    cinema = _east(HOME, 14_000)  # 14 km, no other cinema, no bus: nothing
    places = _places(
        ("Plage loin", "beach", beach),
        ("Plage proche", "beach", other_beach),
        ("Cinéma loin", "cinema", cinema),
    )
    trips = []
    for week in range(8):
        day = pd.Timestamp("2025-03-01") + pd.Timedelta(weeks=week)  # Saturdays
        trips += [_trip(f"{day:%Y-%m-%d} 10:00", HOME, shop), _trip(f"{day:%Y-%m-%d} 11:00", shop, HOME)]
        if week % 2 == 0:
            trips += [
                _trip(f"{day:%Y-%m-%d} 15:00", HOME, beach),
                _trip(f"{day:%Y-%m-%d} 18:00", beach, HOME),
            ]
        if week == 3:
            trips += [_trip(f"{day:%Y-%m-%d} 20:00", HOME, cinema)]
    out = _outings(trips, factors, places)
    reach = outings.reachable(out, places)
    swaps = outings.suggest_swaps(out, reach, factors, places, max_minutes=30)
    per_year = 12 / mobility.months_covered(out.all_trips)
    rows = swaps.swaps.set_index("place")
    shop_km = out.trips.loc[out.trips["name"] == "lieu à 2,0 km de mon domicile", "km"].sum()
    assert shop_km == pytest.approx(16 * 2.0 * 1.3, rel=1e-3)
    assert rows.loc["lieu à 2,0 km de mon domicile", "mode"] == "bike"
    assert rows.loc["lieu à 2,0 km de mon domicile", "saved_kgco2e_year"] == pytest.approx(
        shop_km * car_factor * per_year
    )
    assert rows.loc["Plage loin", "alt_name"] == "Plage proche" and rows.loc["Plage loin", "mode"] == "bike"
    assert rows.loc["Plage loin", "saved_kgco2e_year"] == pytest.approx(
        rows.loc["Plage loin", "car_kgco2e_year"]
    )
    assert pd.isna(rows.loc["Cinéma loin", "mode"]) and rows.loc["Cinéma loin", "saved_kgco2e_year"] == 0
    assert "rien à moins de 30 min" in rows.loc["Cinéma loin", "suggestion"]
    figures = swaps.figures()
    assert figures["car_leisure_trips"].value == len(trips)
    assert figures["suggested_swaps"].value == 2
    assert figures["places_without_swap"].value == ["Cinéma loin"]
    assert figures["kgco2e_saved_per_year"].value == pytest.approx(rows["saved_kgco2e_year"].sum(), abs=0.05)
    assert figures["kgco2e_saved_per_year"].value < figures["car_leisure_kgco2e_per_year"].value
    # with 12 minutes allowed, the shop (10.4 min by bike) stays, the other beach (3 km: 15.6 min) does not
    tight = outings.suggest_swaps(out, reach, factors, places, max_minutes=12).figures()
    assert tight["places_without_swap"].value == ["Plage loin", "Cinéma loin"]
    reading = outings.interpret(out, reach, swaps)
    assert "Cinéma loin" in reading and "kg CO₂e par an" in reading.headline


def test_a_bus_swap_counts_the_bus_emissions(factors, car_factor):
    bus = float(factors.set_index("mode").loc["bus", "kgco2e_per_km"])
    pool = _north(HOME, 12_000)  # 62 min by bike: too far; by bus 60 min, a stop at each end
    stops = pd.DataFrame(
        {
            "stop_id": ["A", "B"],
            "stop_name": ["A", "B"],
            "stop_lat": [HOME[0], pool[0]],
            "stop_lon": [HOME[1], pool[1]],
        }
    )
    trips = [_trip(f"2025-03-{d:02d} 19:00", HOME, pool) for d in (3, 10, 17, 24, 31)]
    out = _outings(trips, factors)
    reach = outings.reachable(out, _places(("Piscine", "sports", pool)), stops)
    row = outings.suggest_swaps(out, reach, factors, max_minutes=60).swaps.iloc[0]
    per_year = 12 / mobility.months_covered(out.all_trips)
    km = 12_000 * 1.3 / 1000
    assert row["mode"] == "bus"
    assert row["saved_kgco2e_year"] == pytest.approx(5 * km * (car_factor - bus) * per_year, rel=1e-6)


# --- nothing to count, and a home far from La Rochelle -------------------------------------------------------


def test_an_empty_history_gives_missing_figures_with_french_reasons(factors):
    empty = _outings([], factors)
    for name, fig in empty.figures().items():
        assert fig.value is None and fig.reason == "aucun trajet dans mes exports", name
    places = opendata.load_larochelle_leisure_places(source="sample")
    swaps = outings.suggest_swaps(empty, outings.reachable(empty, places), factors, places)
    assert all(f.value is None and "aucun trajet" in f.reason for f in swaps.figures().values())
    assert "aucun trajet" in outings.interpret(empty, outings.reachable(empty, places), swaps)
    commute = _outings(
        [_trip("2025-03-04 08:00", HOME, WORK), _trip("2025-03-04 17:30", WORK, HOME)], factors
    )
    figures = commute.figures()
    assert figures["leisure_trips"].value == 0
    assert figures["leisure_kgco2e_per_month"].value is None
    assert (
        figures["leisure_kgco2e_per_month"].reason == "aucune sortie du soir ou du week-end dans mes trajets"
    )
    swaps = outings.suggest_swaps(commute, outings.reachable(commute, places), factors, places).figures()
    assert swaps["car_leisure_trips"].value == 0 and swaps["kgco2e_saved_per_year"].value == 0
    assert commute.table == "aucune sortie du soir ou du week-end dans mes trajets"


def test_a_home_outside_la_rochelle_is_said_never_served_by_the_sample(factors):
    toulouse, work = (43.6047, 1.4442), (43.5800, 1.4500)
    beach, near = _north(toulouse, -25_000), _east(toulouse, 2000)
    visits = _visits(("HOME", toulouse, "h"), ("WORK", work, "w"), ("", beach, "Plage du lac"))
    trips = [
        _trip(f"2025-03-{d:02d} {h}", toulouse, p)
        for d in (1, 8, 15)
        for h, p in (("10:00", beach), ("16:00", near))
    ]
    places = opendata.load_larochelle_leisure_places(source="sample")
    out = _outings(trips, factors, places, visits)
    assert set(out.places["kind"]) == {"beach", "other"}  # from the visit's name, not from the sample
    reach = outings.reachable(out, places)
    figures = reach.figures()
    assert figures["places_reachable_15min_bike"].value is None
    reason = figures["places_reachable_15min_bike"].reason
    assert "La Rochelle" in reason and "km" in reason and "échantillon" in reason
    assert reach.minutes.empty and not reach.usual["covered"].any()
    swaps = outings.suggest_swaps(out, reach, factors, places).swaps.set_index("place")
    assert swaps.loc["lieu à 2,0 km de mon domicile", "mode"] == "bike"  # the same place needs no open data
    assert pd.isna(swaps.loc["Plage du lac", "mode"])  # no La Rochelle beach offered to someone in Toulouse
    assert "La Rochelle" in outings.interpret(out, reach, outings.suggest_swaps(out, reach, factors, places))


# --- the open data ------------------------------------------------------------------------------------------------


def test_the_sample_is_the_generators_and_covers_every_kind(tmp_path, isolated_settings):
    written = osm_sample.build_larochelle_leisure_places_sample(tmp_path / "larochelle-leisure-places")
    for path in written:
        committed = settings.opendata_samples_folder / "larochelle-leisure-places" / path.name
        assert filecmp.cmp(path, committed, shallow=False), path.name
    places = opendata.load_larochelle_leisure_places(source="sample")
    assert places.attrs["provenance"]["sample"] is True and set(places["kind"]) == set(LEISURE_KINDS)
    west, south, east, north = LAROCHELLE_BBOX
    assert places["lat"].between(south, north).all() and places["lon"].between(west, east).all()
    assert "approximate" in (tmp_path / "larochelle-leisure-places" / "README.md").read_text()


def _osm_features() -> gpd.GeoDataFrame:
    square = Polygon([(-1.153, 46.153), (-1.152, 46.153), (-1.152, 46.154), (-1.153, 46.154)])
    rows = [
        (("way", 1), {"tourism": "museum", "name": "Musée maritime"}, square),
        (("node", 2), {"amenity": "cinema", "name": "CGR"}, Point(-1.1528, 46.1567)),
        (("way", 3), {"amenity": "cinema", "name": "CGR"}, Point(-1.1527, 46.1568)),  # its building
        (
            ("way", 4),
            {"leisure": "swimming_pool", "access": "private", "name": "Piscine de M. X"},
            Point(-1.1, 46.2),
        ),
        (("way", 5), {"leisure": "park"}, Point(-1.15, 46.16)),  # no name
        (("way", 6), {"natural": "beach", "name": "Plage"}, Point(-1.16, 46.15)),
        (("node", 7), {"amenity": "bench", "name": "Banc"}, Point(-1.16, 46.15)),
    ]
    index = pd.MultiIndex.from_tuples([r[0] for r in rows], names=["element", "id"])
    frame = pd.DataFrame([r[1] for r in rows], index=index)
    return gpd.GeoDataFrame(frame, geometry=[r[2] for r in rows], crs=4326)


def test_openstreetmap_features_become_named_places_of_a_kind():
    places = places_from_osm(_osm_features())
    assert list(zip(places["name"], places["kind"], places["osm_id"], strict=True)) == [
        ("Musée maritime", "museum", "way/1"),
        ("CGR", "cinema", "node/2"),
        ("Plage", "beach", "way/6"),
    ]
    museum = places.iloc[0]
    assert 46.153 < museum["lat"] < 46.154 and -1.153 < museum["lon"] < -1.152  # a point inside the shape


def test_live_places_come_from_osmnx_for_the_agglomeration(isolated_settings, monkeypatch):
    import osmnx as ox

    asked = {}

    def features_from_bbox(bbox, tags):
        asked.update(bbox=bbox, tags=tags, cache=str(ox.settings.cache_folder))
        return _osm_features()

    monkeypatch.setattr(ox, "features_from_bbox", features_from_bbox)
    from selfdata_lib import _http

    monkeypatch.setattr(_http, "check_reachable", lambda url, **kw: None)  # no Overpass in the tests
    before = ox.settings.cache_folder
    places = opendata.load_larochelle_leisure_places(source="live")
    assert asked["bbox"] == LAROCHELLE_BBOX and asked["tags"]["natural"] == "beach"
    assert places.attrs["provenance"]["origin"] == "cache" and places.attrs["provenance"]["sample"] is False
    assert len(places) == 3
    assert asked["cache"].startswith(str(settings.cache_folder))  # osmnx's cache: never ./cache
    assert ox.settings.cache_folder == before  # and osmnx's settings are given back


def test_chart_and_map_of_the_swaps(factors):
    from selfdata_lib.app import charts
    from selfdata_lib.app.viz import map_html, map_outings

    places = opendata.load_larochelle_leisure_places(source="sample")
    home = (46.1600, -1.1400)
    trips = [_trip(f"2025-03-{d:02d} 18:30", home, _east(home, 1500)) for d in (3, 4, 5)]
    out = _outings(trips, factors, places, _visits(("HOME", home, "h")))
    reach = outings.reachable(out, places, opendata.load_bus_stops(source="sample"))
    swaps = outings.suggest_swaps(out, reach, factors, places)
    fig = charts.plot_outing_swaps(swaps.swaps)
    assert len(fig.axes[0].patches) == 2 * len(swaps.swaps)
    page = map_html(map_outings(reach, swaps))
    assert "domicile" in page and "autrement" in page and "https://cdn" not in page
    assert charts.plot_outing_swaps(pd.DataFrame()).axes[0].texts  # no car outing: says so in words
