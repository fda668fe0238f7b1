"""The plain-Python trip planner that ``velov.plan_trips`` is benchmarked and tested against: one trip
at a time, a loop over the stations, the great-circle distance written out. Not part of the library:
it exists to measure the vectorised planner (``bench_route.py``) and to check it gives the same plans
(``tests/test_velov.py``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from selfdata_lib.analysis.velov import Speeds


def _distance_m(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance of two points in plain Python (the reference loop's arithmetic)."""
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b_lon - a_lon) / 2) ** 2
    )
    return 2 * 6_371_000.0 * math.asin(math.sqrt(h))


def reference_nearest_m(stations: pd.DataFrame, speeds: Speeds | None = None) -> list[float]:
    """Each station's distance to its nearest neighbour (metres, detour included), by a plain double loop."""
    speeds = speeds or Speeds()
    lat, lon = stations["lat"].to_list(), stations["lon"].to_list()
    return [
        min(_distance_m(lat[i], lon[i], lat[j], lon[j]) for j in range(len(lat)) if j != i) * speeds.detour
        for i in range(len(lat))
    ]


def plan_trip_reference(
    origin: tuple[float, float],
    destination: tuple[float, float],
    stations: pd.DataFrame,
    *,
    p_bike: np.ndarray,
    p_dock: np.ndarray,
    max_walk_m: float = 600.0,
    k: int = 8,
    speeds: Speeds | None = None,
    nearest_m: list[float] | None = None,
) -> tuple[float, int, int]:
    """The same plan for one trip, written as a plain loop over the stations (the benchmark's baseline
    and the tests' reference). ``nearest_m``: each station's distance to its nearest neighbour (metres,
    detour included), computed here when not given. Returns (expected minutes, pick-up row, drop-off row).
    """
    speeds = speeds or Speeds()
    lat, lon = stations["lat"].to_list(), stations["lon"].to_list()
    dist = _distance_m
    nearest = nearest_m if nearest_m is not None else reference_nearest_m(stations, speeds)
    d_o = sorted((dist(origin[0], origin[1], lat[i], lon[i]), i) for i in range(len(lat)))[:k]
    d_d = sorted((dist(destination[0], destination[1], lat[j], lon[j]), j) for j in range(len(lat)))[:k]
    best = (math.inf, -1, -1)
    for do, i in d_o:
        for dd, j in d_d:
            wo, wd = do * speeds.detour, dd * speeds.detour
            if i == j or wo > max_walk_m or wd > max_walk_m:
                continue
            ride = dist(lat[i], lon[i], lat[j], lon[j]) * speeds.detour / speeds.bike_m_per_min
            t = (
                wo / speeds.walk_m_per_min
                + 2 * speeds.dock_min
                + ride
                + wd / speeds.walk_m_per_min
                + (1 - p_bike[i]) * nearest[i] / speeds.walk_m_per_min
                + (1 - p_dock[j]) * (nearest[j] / speeds.bike_m_per_min + nearest[j] / speeds.walk_m_per_min)
            )
            if t < best[0]:
                best = (t, i, j)
    return best
