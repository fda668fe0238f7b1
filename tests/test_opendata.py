"""The open-data catalogue: search order, provenance, live fetch against a local server."""

from __future__ import annotations

import filecmp
import json

import pytest

from selfdata_lib import opendata, settings
from selfdata_lib.errors import DataUnavailableError, NetworkDisabledError
from selfdata_lib.samples.opendata import NOT_REPRODUCIBLE, build_opendata_samples

SAMPLE = settings.opendata_samples_folder / "lyon-arrondissements"
SAMPLE_FILE = SAMPLE / "sample_adrarrond_arrondissements.geojson"


def _feature_collection(names: list[str]) -> dict:
    feats = []
    for i, name in enumerate(names):
        x = 4.80 + i * 0.01
        feats.append(
            {
                "type": "Feature",
                "properties": {"nom": name, "nomreduit": name, "insee": f"6938{i + 1}"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[x, 45.7], [x + 0.01, 45.7], [x + 0.01, 45.71], [x, 45.7]]],
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def test_sample_is_used_by_default_and_says_so(isolated_settings):
    frame = opendata.load("lyon-arrondissements")
    prov = frame.attrs["provenance"]
    assert prov["origin"] == "sample" and prov["sample"] is True
    assert len(frame) == 9
    assert sorted(frame["insee"]) == [f"6938{i}" for i in range(1, 10)]
    assert {"dataset", "source", "url", "licence", "retrieved", "sample"} <= set(prov)


def test_snapshot_beats_sample_and_cache_beats_snapshot(isolated_settings, monkeypatch):
    snap = isolated_settings / "snapshots" / "grandlyon_boundaries"
    snap.mkdir(parents=True)
    (snap / "adr_voie_lieu.adrarrond_arrondissements.geojson").write_text(
        json.dumps(_feature_collection(["Snap A", "Snap B"]))
    )
    (snap / "SOURCE.md").write_text("Retrieved 2025-01-02, unmodified.")
    monkeypatch.setattr(settings, "opendata_paths", [snap.parent])
    frame = opendata.load("lyon-arrondissements")
    assert list(frame["name"]) == ["Snap A", "Snap B"]
    assert frame.attrs["provenance"]["origin"] == "snapshot"
    assert frame.attrs["provenance"]["sample"] is False
    assert frame.attrs["provenance"]["retrieved"] == "2025-01-02"

    cache = settings.cache_folder / "opendata" / "lyon-arrondissements"
    cache.mkdir(parents=True)
    (cache / "adr_voie_lieu.adrarrond.geojson").write_text(json.dumps(_feature_collection(["Cached"])))
    frame = opendata.load("lyon-arrondissements")
    assert list(frame["name"]) == ["Cached"]
    assert frame.attrs["provenance"]["origin"] == "cache"
    # an explicit source skips the others
    assert opendata.load("lyon-arrondissements", source="sample").attrs["provenance"]["origin"] == "sample"


def test_missing_dataset_error_says_where_it_looked_and_what_to_do(isolated_settings, monkeypatch):
    monkeypatch.setattr(settings, "opendata_samples_folder", isolated_settings / "nothing")
    with pytest.raises(DataUnavailableError) as err:
        opendata.load("lyon-arrondissements")
    msg = str(err.value)
    assert "selfdata data fetch lyon-arrondissements" in msg and "SELFDATA_OPENDATA_PATH" in msg
    with pytest.raises(DataUnavailableError, match="catalogue has"):
        opendata.load("no-such-dataset")
    with pytest.raises(ValueError, match="source must be one of"):
        opendata.load("lyon-arrondissements", source="internet")


def test_fetch_refuses_when_offline(isolated_settings, monkeypatch):
    monkeypatch.setattr(settings, "offline", True)
    with pytest.raises(NetworkDisabledError):
        opendata.fetch("lyon-arrondissements")


def test_live_fetch_goes_to_the_configured_url_then_loads_from_cache(
    isolated_settings, local_http, monkeypatch
):
    local_http.routes["/wfs"] = (
        "application/json",
        json.dumps(_feature_collection(["Live 1", "Live 2", "Live 3"])).encode(),
    )
    monkeypatch.setenv("SELFDATA_LIVE_LYON_ARRONDISSEMENTS", f"{local_http.url}/wfs?layer=adrarrond")
    frame = opendata.load("lyon-arrondissements", source="live")
    assert list(frame["name"]) == ["Live 1", "Live 2", "Live 3"]
    prov = frame.attrs["provenance"]
    assert prov["origin"] == "cache" and prov["sample"] is False
    assert prov["retrieved"].startswith("20")
    assert local_http.requests == ["/wfs?layer=adrarrond"]
    # the next automatic load reads the cache without any request
    assert list(opendata.load("lyon-arrondissements")["name"]) == ["Live 1", "Live 2", "Live 3"]
    assert len(local_http.requests) == 1


def test_committed_open_data_samples_match_their_generator(tmp_path):
    build_opendata_samples(tmp_path)
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(
        p.relative_to(settings.opendata_samples_folder)
        for p in settings.opendata_samples_folder.rglob("*")
        if p.is_file()
    )
    assert generated == committed
    for rel in generated:
        if (
            rel.parts[0] in NOT_REPRODUCIBLE
            and rel.suffix in (".csv", ".json")
            and rel.name != "_provenance.json"
        ):
            continue  # random by design (DP noise): properties tested in test_water_reference
        assert filecmp.cmp(tmp_path / rel, settings.opendata_samples_folder / rel, shallow=False), rel


def test_every_sample_folder_has_a_readme_and_loads_as_sample(isolated_settings):
    for name in opendata.CATALOGUE:
        folder = settings.opendata_samples_folder / name
        if not folder.exists():
            continue
        assert (folder / "README.md").is_file()
        assert opendata.load(name, source="sample").attrs["provenance"]["sample"] is True


@pytest.mark.real
def test_real_snapshot_of_arrondissements(isolated_settings, monkeypatch):
    from conftest import shared_path

    folder = shared_path("opendata", "grandlyon_boundaries")
    monkeypatch.setattr(settings, "opendata_paths", [folder.parent])
    frame = opendata.load("lyon-arrondissements")
    assert frame.attrs["provenance"]["origin"] == "snapshot"
    assert len(frame) == 9
    assert frame.loc[frame["insee"] == "69384", "name"].item() == "Lyon 4e Arrondissement"
    # the real 4e is inside the sample's rough extent
    assert frame.total_bounds[0] > 4.76 and frame.total_bounds[2] < 4.91


@pytest.mark.real
def test_real_boundaries_place_the_personas_home_and_match_the_water_reference(
    isolated_settings, monkeypatch
):
    from conftest import shared_path

    from selfdata_lib.analysis import water
    from selfdata_lib.opendata.water import load_water_reference

    folder = shared_path("opendata", "grandlyon_boundaries")
    monkeypatch.setattr(settings, "opendata_paths", [folder.parent])
    districts = opendata.load("lyon-arrondissements")
    # place Jean Macé (Camille's home) is in the real 7th arrondissement
    assert water.district_of(45.74571, 4.84252, districts) == "Lyon 7e Arrondissement"
    # the cooperative's reference is keyed by the real layer's names
    assert set(load_water_reference()["district"]) == set(districts["name"])


def test_a_corrupted_cache_entry_is_discarded(isolated_settings, local_http, monkeypatch):
    import shutil

    from selfdata_lib import opendata, settings
    from selfdata_lib.errors import DataUnavailableError

    sample = settings.opendata_samples_folder / "lyon-arrondissements"
    cache = settings.cache_folder / "opendata" / "lyon-arrondissements"
    cache.mkdir(parents=True)
    good = next(sample.glob("*.geojson"))
    (cache / good.name).write_text('{"type": "FeatureCollection", "features": [{"geom')  # cut short
    frame = opendata.load("lyon-arrondissements")  # auto: the damaged cache is dropped, the search goes on
    assert frame.attrs["provenance"]["origin"] == "sample" and not cache.exists()
    cache.mkdir(parents=True)
    (cache / good.name).write_text("{")
    with pytest.raises(DataUnavailableError, match="supprimée"):
        opendata.load("lyon-arrondissements", source="cache")
    assert not cache.exists()
    # live: fetched again from the (local) server
    local_http.routes["/arr.geojson"] = ("application/geo+json", good.read_bytes())
    monkeypatch.setenv("SELFDATA_LIVE_LYON_ARRONDISSEMENTS", local_http.url + "/arr.geojson")
    cache.mkdir(parents=True)
    (cache / good.name).write_text("{")
    shutil.copy(good, cache / "x.tmp")
    frame = opendata.load("lyon-arrondissements", source="live")
    assert len(frame) == 9 and frame.attrs["provenance"]["origin"] == "cache"
