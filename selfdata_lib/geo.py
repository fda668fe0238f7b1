"""Small geometry shared by importers, personas and analyses."""

from __future__ import annotations

from typing import Any

import numpy as np

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in metres; scalars give a float, arrays an array (broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(np.subtract(lon2, lon1)) / 2) ** 2
    d = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))
    return float(d) if np.ndim(d) == 0 else d


def path_steps_m(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Distance between consecutive points of a path (one fewer than the points)."""
    return haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
