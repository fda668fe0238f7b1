"""District maps of any territory: IRIS contours in France, OpenStreetMap boundaries elsewhere — samples,
districts_for on each territory, the live paths (a local server, a stubbed osmnx) and their caches.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from selfdata_lib import _http, opendata, settings, territories
from selfdata_lib.analysis import water
from selfdata_lib.app.territory_tools import offline_source
from selfdata_lib.errors import DataUnavailableError, NetworkDisabledError
from selfdata_lib.opendata import districts

BARCELONA = {
    "Ciutat Vella", "Eixample", "Sants-Montjuïc", "Les Corts", "Sarrià-Sant Gervasi", "Gràcia",
    "Horta-Guinardó", "Nou Barris", "Sant Andreu", "Sant Martí",
}  # fmt: skip


def test_the_iris_sample_reads_into_name_iris_commune_geometry():
    frame = opendata.load("iris-contours", source="sample")
    assert list(frame.columns) == ["name", "iris", "commune", "geometry"]
    assert frame.crs.to_epsg() == 4326 and frame.attrs["provenance"]["sample"] is True
    assert {"751114301", "441090901", "441090905"} <= set(frame["iris"])
    assert frame["iris"].str.len().eq(9).all() and set(frame["commune"]) == {"75111", "44109"}
    assert frame.geometry.is_valid.all() and frame.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert "(exemple)" in frame.loc[frame["iris"] == "751114301", "name"].item()


def test_the_osm_sample_has_barcelonas_ten_districts():
    frame = opendata.load("osm-admin-boundaries", source="sample")
    assert set(frame["name"]) == BARCELONA and (frame["admin_level"] == 9).all()
    assert frame.attrs["provenance"]["sample"] is True and "ODbL" in frame.attrs["provenance"]["licence"]
    assert not frame.geometry.union_all().is_empty


def test_districts_for_paris_gives_its_iris_and_finds_ines_home(isolated_settings):
    frame = opendata.districts_for("paris")
    assert "missing" not in frame.attrs and frame.attrs["provenance"]["dataset"] == "iris-contours"
    assert "751114301" in set(frame["iris"]) and set(frame["commune"]) == {"75111"}
    where = water.find_district("auto", frame, home="48.8575,2.38")
    assert where.district == frame.loc[frame["iris"] == "751114301", "name"].item()


def test_districts_for_nantes_gives_the_enedis_sample_iris(isolated_settings):
    frame = opendata.districts_for("nantes")
    assert {f"44109090{i}" for i in range(1, 6)} <= set(frame["iris"]) and set(frame["commune"]) == {"44109"}
    enedis = opendata.load("enedis-residential-iris", source="sample")
    assert set(frame["iris"]) == set(enedis.loc[enedis["commune"] == "44109", "iris"])


def test_districts_for_barcelona_gives_ten_osm_districts(isolated_settings):
    frame = opendata.districts_for("barcelona")
    assert len(frame) == 10 and set(frame["name"]) == BARCELONA
    assert frame.attrs["provenance"]["dataset"] == "osm-admin-boundaries"
    assert water.district_of(41.3809, 2.1760, frame) == "Ciutat Vella"
    assert offline_source(territories.get("barcelona"), "districts") == "osm-admin-boundaries"


def test_districts_for_lyon_is_unchanged(isolated_settings):
    frame = opendata.districts_for("lyon")
    assert len(frame) == 9 and frame.attrs["provenance"]["dataset"] == "lyon-arrondissements"
    assert "Lyon 7e Arrondissement" in set(frame["name"])


def test_a_french_commune_outside_the_sample_gets_its_box_and_a_french_reason(isolated_settings):
    frame = opendata.districts_for("rennes")
    here = territories.get("rennes")
    assert len(frame) == 1 and frame.geometry.iloc[0].equals(box(*here.bbox))
    missing = frame.attrs["missing"]
    assert missing.startswith("Rennes : pas de carte de quartiers hors ligne") and "35238" in missing
    assert 'open_data = "live"' in missing and "provenance" not in frame.attrs
    assert offline_source(here, "districts") is None  # national, but only live for this commune
    assert offline_source(territories.get("paris"), "districts") == "iris-contours"
    where = water.find_district("auto", frame, home="48.11,-1.68")
    assert where.district is None and "comparaison de quartier" in where.reason


def _iris_feature(code: str, name: str, lon: float, lat: float) -> dict:
    return {
        "type": "Feature",
        "geometry": box(lon - 0.002, lat - 0.002, lon + 0.002, lat + 0.002).__geo_interface__,
        "properties": {"iris_code": [code], "iris_name": [name], "com_code": [code[:5]], "iris_type": "H"},
    }


def test_iris_live_reads_the_ods_export_once_per_commune_then_the_cache(
    isolated_settings, local_http, monkeypatch
):
    doc = {
        "type": "FeatureCollection",
        "features": [
            _iris_feature("352380101", "Centre 1", -1.680, 48.111),
            _iris_feature("352380102", "Centre 2", -1.675, 48.111),
        ],
    }
    path = "/catalog/datasets/georef-france-iris/exports/geojson"
    local_http.routes[path] = ("application/geo+json", json.dumps(doc).encode())
    monkeypatch.setenv("SELFDATA_IRIS_ODS_URL", f"{local_http.url}/catalog/datasets")
    frame = opendata.districts_for("rennes", source="live")
    assert list(frame["iris"]) == ["352380101", "352380102"] and list(frame["name"]) == [
        "Centre 1",
        "Centre 2",
    ]
    assert frame.attrs["provenance"]["origin"] == "cache" and not frame.attrs["provenance"]["sample"]
    assert len(local_http.requests) == 1 and "com_code%3D%2235238%22" in local_http.requests[0]
    cached = settings.cache_folder / "opendata" / "iris-contours" / "georef-france-iris_35238.geojson"
    assert cached.is_file()
    # afterwards: offline, from the cache, no request; Nantes is not in this cache
    monkeypatch.setattr(settings, "offline", True)
    again = opendata.districts_for("rennes")
    assert list(again["iris"]) == ["352380101", "352380102"] and len(local_http.requests) == 1
    assert offline_source(territories.get("rennes"), "districts") == "iris-contours"
    with pytest.raises(NetworkDisabledError):
        opendata.districts_for("la-rochelle", source="live")


def test_an_invalid_commune_code_is_refused_in_french(isolated_settings):
    with pytest.raises(DataUnavailableError, match="invalide"):
        districts.fetch_iris_contours("7511")


def test_osm_live_keeps_the_territorys_level_and_caches_it(isolated_settings, monkeypatch):
    import osmnx as ox

    calls = []

    def fake_features(bbox, tags):
        calls.append((bbox, tags))
        return gpd.GeoDataFrame(
            {
                "name": ["Dins", "Veí", "Massa amunt", None],
                "boundary": ["administrative"] * 4,
                "admin_level": ["9", "9", "8", "9"],
            },
            geometry=[Point(2.17, 41.39).buffer(0.01), Point(2.40, 41.39).buffer(0.01),
                      Point(2.15, 41.40).buffer(0.01), Point(2.16, 41.40).buffer(0.01)],
            crs=4326,
        )  # fmt: skip

    monkeypatch.setattr(ox, "features_from_bbox", fake_features)
    monkeypatch.setattr(_http, "check_reachable", lambda url, **kw: None)  # no Overpass in the tests
    frame = opendata.districts_for("barcelona", source="live")
    assert list(frame["name"]) == ["Dins"]  # level 9, named, inside the box
    assert calls == [((2.05, 41.32, 2.23, 41.47), {"admin_level": "9"})]
    cached = (
        settings.cache_folder
        / "opendata"
        / "osm-admin-boundaries"
        / "osm_admin_boundaries_barcelona_9.geojson"
    )
    assert cached.is_file() and frame.attrs["provenance"]["origin"] == "cache"
    assert list(opendata.districts_for("barcelona")["name"]) == ["Dins"] and len(calls) == 1  # the cache
