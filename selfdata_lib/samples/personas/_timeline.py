"""A Google Maps on-device timeline (``Timeline.json``) for any persona and any mode, in the layout of
Yanis's (:mod:`selfdata_lib.samples.personas.yanis`): visits, activities with their mode and distance,
path points, and the ``userLocationProfile`` naming HOME and WORK.
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np
import pandas as pd

from selfdata_lib.geo import haversine_m


class Place(TypedDict):
    """A place of a persona's timeline."""

    lat: float
    lon: float
    id: str
    name: str


def _latlng(lat: float, lon: float) -> str:
    return f"{lat:.7f}°, {lon:.7f}°"


#: Door-to-door speeds (km/h, the wait included) and detours (route length / straight line) by mode.
SPEED_KMH = {"car": 28.0, "taxi": 22.0, "bus": 12.0, "metro": 24.0, "train": 85.0, "bike": 14.0, "walk": 4.8}
DETOUR = {"car": 1.3, "taxi": 1.3, "bus": 1.4, "metro": 1.35, "train": 1.15, "bike": 1.2, "walk": 1.15}
GOOGLE_TYPE = {
    "car": "IN_PASSENGER_VEHICLE",
    "taxi": "IN_TAXI",
    "bus": "IN_BUS",
    "metro": "IN_SUBWAY",
    "train": "IN_TRAIN",
    "bike": "CYCLING",
    "walk": "WALKING",
}


class Timeline:
    """A persona's segments, built day by day: visits between trips timed from distance and mode."""

    def __init__(
        self,
        rng: np.random.Generator,
        tz: str,
        *,
        speeds: dict[str, float] | None = None,
        detours: dict[str, float] | None = None,
        wait_min: dict[str, float] | None = None,
        path_points: int | None = None,
    ):
        """``speeds``, ``detours``: by mode (default :data:`SPEED_KMH`, :data:`DETOUR`); ``wait_min``: the
        minutes added to a trip by mode (default 2); ``path_points``: points per path (default from its
        duration, 4 to 12).
        """
        self.segments: list[dict] = []
        self.rng, self.tz = rng, tz
        self.speeds, self.detours = speeds or SPEED_KMH, detours or DETOUR
        self.wait_min, self.path_points = wait_min or {}, path_points

    def _iso(self, ts: pd.Timestamp) -> str:
        return ts.tz_convert(self.tz).isoformat(timespec="milliseconds")

    def visit(self, place: Place, start: pd.Timestamp, end: pd.Timestamp) -> None:
        """A stay at ``place``."""
        self.segments.append(
            {
                "startTime": self._iso(start),
                "endTime": self._iso(end),
                "visit": {
                    "hierarchyLevel": 0,
                    "probability": 0.9,
                    "topCandidate": {
                        "placeId": place["id"],
                        "semanticType": "UNKNOWN",
                        "probability": 0.88,
                        "placeLocation": {"latLng": _latlng(place["lat"], place["lon"])},
                    },
                },
            }
        )

    def trip(self, a: Place, b: Place, start: pd.Timestamp, mode: str) -> pd.Timestamp:
        """A trip from ``a`` to ``b`` by ``mode`` leaving at ``start``, and its path; returns the arrival."""
        dist = (
            haversine_m(a["lat"], a["lon"], b["lat"], b["lon"])
            * self.detours[mode]
            * self.rng.uniform(0.97, 1.05)
        )
        minutes = dist / 1000 / self.speeds[mode] * 60 + self.wait_min.get(mode, 2)
        end = start + pd.Timedelta(minutes=round(minutes, 1))
        self.segments.append(
            {
                "startTime": self._iso(start),
                "endTime": self._iso(end),
                "activity": {
                    "start": {"latLng": _latlng(a["lat"], a["lon"])},
                    "end": {"latLng": _latlng(b["lat"], b["lon"])},
                    "distanceMeters": round(dist, 1),
                    "probability": 0.93,
                    "topCandidate": {
                        "type": GOOGLE_TYPE[mode],
                        "probability": round(float(self.rng.uniform(0.7, 0.97)), 2),
                    },
                },
            }
        )
        n = self.path_points or max(4, min(12, int(minutes // 3)))
        points = [
            {
                "point": _latlng(
                    a["lat"] + (b["lat"] - a["lat"]) * k / n + self.rng.normal(0, 0.0003),
                    a["lon"] + (b["lon"] - a["lon"]) * k / n + self.rng.normal(0, 0.0003),
                ),
                "time": self._iso(start + (end - start) * k / n),
            }
            for k in range(n + 1)
        ]
        self.segments.append(
            {"startTime": self._iso(start), "endTime": self._iso(end), "timelinePath": points}
        )
        return end

    def outing(
        self,
        home: Place,
        place: Place,
        go: pd.Timestamp,
        stay: pd.Timedelta,
        mode: str,
        back_mode: str | None = None,
    ) -> pd.Timestamp:
        """Home → ``place`` → home (the stay at home before ``go`` is the caller's); returns the return."""
        there = self.trip(home, place, go, mode)
        self.visit(place, there, there + stay)
        return self.trip(place, home, there + stay, back_mode or mode)

    def document(self, home: Place, work: Place, affinity: str) -> dict:
        """The ``Timeline.json`` document: segments, a few raw signals at home, HOME and WORK labelled."""
        first = pd.Timestamp(self.segments[0]["startTime"])
        raw = [
            {
                "position": {
                    "LatLng": _latlng(
                        home["lat"] + self.rng.normal(0, 0.0001), home["lon"] + self.rng.normal(0, 0.0001)
                    ),
                    "accuracyMeters": int(self.rng.integers(8, 30)),
                    "altitudeMeters": 40.0,
                    "source": "WIFI",
                    "timestamp": (first + pd.Timedelta(hours=h))
                    .tz_convert("UTC")
                    .strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                }
            }
            for h in (1, 2, 3)
        ]
        profile = {
            "frequentPlaces": [
                {"placeId": home["id"], "placeLocation": _latlng(home["lat"], home["lon"]), "label": "HOME"},
                {"placeId": work["id"], "placeLocation": _latlng(work["lat"], work["lon"]), "label": "WORK"},
            ],
            "persona": {"travelModeAffinities": [{"mode": affinity, "affinity": 0.8}]},
        }
        return {"semanticSegments": self.segments, "rawSignals": raw, "userLocationProfile": profile}
