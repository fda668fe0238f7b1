"""Where I live and work: Google labels, inference from raw points, typed coordinates, opt-in geocoding."""

from __future__ import annotations

import http.server
import json
import threading
import typing

import numpy as np
import pandas as pd
import pytest

from selfdata_lib import settings
from selfdata_lib.analysis import places
from selfdata_lib.exports import read

HOME, WORK = (45.74571, 4.84252), (45.76055, 4.85946)


def test_typed_coordinates_are_used_as_typed():
    p = places.resolve_place(" 45.7457 , 4.8425 ")
    assert (p.lat, p.lon, p.how) == (45.7457, 4.8425, "typed")


def test_google_label_wins(persona_camille):
    visits = read(persona_camille / "Semantic Location History" / "2025" / "2025_MARCH.json")
    home = places.resolve_place("auto", visits=visits)
    work = places.resolve_place("auto", label="WORK", visits=visits)
    assert home.how == "google label"
    assert (round(home.lat, 4), round(home.lon, 4)) == (round(HOME[0], 4), round(HOME[1], 4))
    assert (round(work.lat, 4), round(work.lon, 4)) == (round(WORK[0], 4), round(WORK[1], 4))


def test_home_and_work_are_inferred_from_raw_points():
    rng = np.random.default_rng(0)
    times, lat, lon = [], [], []
    for day in pd.date_range("2025-03-03", periods=14, freq="D", tz="Europe/Paris"):
        for h in range(24):
            t = day + pd.Timedelta(hours=h)
            at_work = day.day_of_week < 5 and 9 <= h < 17
            base = WORK if at_work else HOME
            times.append(t.tz_convert("UTC"))
            lat.append(base[0] + rng.normal(0, 0.0001))
            lon.append(base[1] + rng.normal(0, 0.0001))
    points = pd.DataFrame({"time": times, "lat": lat, "lon": lon, "accuracy_m": 10.0})
    found = places.infer_home_work(points)
    assert found["HOME"].how == "inferred"
    assert abs(found["HOME"].lat - HOME[0]) < 5e-4 and abs(found["WORK"].lon - WORK[1]) < 5e-4
    assert places.resolve_place("auto", label="WORK", points=points).label == "WORK"


def test_an_address_is_not_sent_without_consent():
    with pytest.raises(ValueError, match="geocode_online=True"):
        places.resolve_place("16 place Jean Macé, Lyon")
    with pytest.raises(ValueError, match="lat,lon"):
        places.resolve_place("auto", visits=None, points=None)


class _Geocoder(http.server.BaseHTTPRequestHandler):
    queries: typing.ClassVar[list[str]] = []

    def do_GET(self):
        type(self).queries.append(self.path)
        body = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [4.8425, 45.7457]},
                    "properties": {"label": "Place Jean Macé 69007 Lyon"},
                }
            ],
        }
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def log_message(self, *args):
        pass


def test_geocoding_with_consent_uses_the_address_api_format(monkeypatch):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Geocoder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setattr(places, "GEOCODER_URL", f"http://127.0.0.1:{server.server_port}/search/")
        monkeypatch.setattr(settings, "offline", False)
        p = places.resolve_place("place Jean Macé, Lyon", geocode_online=True)
    finally:
        server.shutdown()
    assert (p.lat, p.lon, p.how) == (45.7457, 4.8425, "geocoded")
    assert _Geocoder.queries[0].startswith("/search/?q=place+Jean+Mac")
