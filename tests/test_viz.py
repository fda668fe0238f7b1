"""Maps render without any remote asset; a headless Chromium screenshot shows real content."""

from __future__ import annotations

import re

import folium
import pytest

from selfdata_lib import opendata
from selfdata_lib.app import browser
from selfdata_lib.app.viz import add_context_layer, map_html, map_my_places, offline_map

REMOTE_ASSET = re.compile(r"<(?:script|link)[^>]+(?:src|href)=[\"']?(?:https?:)?//", re.I)


def test_offline_map_has_no_remote_script_or_stylesheet():
    m = offline_map((45.76, 4.85))
    folium.CircleMarker((45.76, 4.85), radius=5).add_to(m)
    folium.Marker((45.77, 4.86)).add_to(m)
    html = map_html(m)
    assert not REMOTE_ASSET.findall(html)
    assert "L.map(" in html or "L.map (" in html
    assert "leaflet" in html.lower() and "data:image/png;base64" in html


def test_plain_folium_map_would_need_internet():
    # guards the regex above: the stock folium map does load assets from CDNs
    assert REMOTE_ASSET.findall(folium.Map().get_root().render())


def test_a_plugin_needing_a_cdn_triggers_a_warning():
    from folium.plugins import MarkerCluster

    m = offline_map()
    MarkerCluster().add_to(m)
    with pytest.warns(UserWarning, match="network"):
        map_html(m)


def test_map_my_places_draws_visits_and_trips(persona_camille):
    from selfdata_lib.exports import read

    path = persona_camille / "Semantic Location History" / "2025" / "2025_MARCH.json"
    m = map_my_places(read(path), read(path, kind="trips"), context=opendata.load("lyon-arrondissements"))
    html = map_html(m)
    assert html.count("L.circleMarker(") >= 3  # home, work, outings
    assert html.count("L.polyline(") >= 40
    assert not REMOTE_ASSET.findall(html)


def _chromium() -> None:
    if browser.find_chromium() is None:
        pytest.skip("headless Chromium is not installed (Debian package 'chromium', make browser)")


@pytest.mark.browser
def test_screenshot_of_an_offline_map_shows_the_districts(tmp_path):
    from PIL import Image

    _chromium()
    m = offline_map((45.757, 4.835), zoom_start=12)
    add_context_layer(
        m,
        opendata.load("lyon-arrondissements"),
        name="arr",
        label="name",
        color="#ff0000",
        fill_opacity=0.6,
        weight=3,
    )
    page = tmp_path / "map.html"
    page.write_text(map_html(m), encoding="utf-8")
    png = browser.screenshot(page, tmp_path / "map.png", width=800, height=600, wait_ms=5000)
    img = Image.open(png).convert("RGB")
    pixels = list(img.get_flattened_data()) if hasattr(img, "get_flattened_data") else list(img.getdata())
    reddish = sum(1 for r, g, b in pixels if r > 200 and g < 150 and b < 150)
    # the red district polygons cover a good part of the view: Leaflet ran, offline
    assert reddish / len(pixels) > 0.10
