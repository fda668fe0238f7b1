"""A generated population of the La Rochelle agglomeration and its trips, for the mobility-contribution
research: commuters, students and retirees living around a few centres, working or studying at the
main employment places, with weekday commutes and some weekend outings (seeded, a few thousand people).
It is nobody: it stands for « the crowd » an attacker would search my trips in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TZ = "Europe/Paris"
#: Where people live (lat, lon, weight): La Rochelle's centre and neighbourhoods, and the nearby communes.
HOMES = [
    (46.1600, -1.1510, 0.22),  # centre
    (46.1700, -1.1800, 0.10),  # Port-Neuf, Laleu
    (46.1480, -1.1300, 0.10),  # Tasdon, Bongraine
    (46.1350, -1.1500, 0.08),  # Villeneuve-les-Salines, Minimes
    (46.1900, -1.1450, 0.08),  # Lagord
    (46.1860, -1.1180, 0.07),  # Puilboreau
    (46.1530, -1.0900, 0.07),  # Périgny
    (46.1300, -1.1200, 0.07),  # Aytré
    (46.1800, -1.0700, 0.06),  # Dompierre-sur-Mer
    (46.2100, -1.1200, 0.05),  # Nieul-sur-Mer
    (46.1100, -1.0800, 0.05),  # Angoulins, Salles
    (46.1500, -1.0300, 0.05),  # La Jarrie
]
#: Where people work or study (lat, lon, weight).
WORK = [
    (46.1580, -1.1530, 0.30),  # city centre, offices and shops
    (46.1530, -1.0980, 0.20),  # Périgny business park
    (46.1680, -1.2000, 0.12),  # the port of La Pallice
    (46.1470, -1.1550, 0.13),  # university
    (46.1680, -1.1330, 0.10),  # hospital
    (46.1750, -1.1000, 0.15),  # Puilboreau–Beaulieu commercial area
]
MODES = ("car", "bus", "bike", "walk")


def _around(
    rng: np.random.Generator, centres: list[tuple[float, float, float]], n: int, sd_km: float
) -> np.ndarray:
    weights = np.array([c[2] for c in centres])
    pick = rng.choice(len(centres), size=n, p=weights / weights.sum())
    lat = np.array([centres[i][0] for i in pick]) + rng.normal(0, sd_km / 111, n)
    lon = np.array([centres[i][1] for i in pick]) + rng.normal(0, sd_km / 77, n)
    return np.column_stack([lat, lon])


def population(n: int = 3000, *, days: int = 28, start: str = "2025-03-03", seed: int = 17) -> pd.DataFrame:
    """``n`` people's trips over ``days`` days: ``person``, ``start`` (UTC), ``start_lat``, ``start_lon``,
    ``end_lat``, ``end_lon``, ``mode``. 70 % commuters, 15 % students, 15 % retirees.
    """
    rng = np.random.default_rng(seed)
    homes = _around(rng, HOMES, n, 0.8)
    works = _around(rng, WORK, n, 0.4)
    kind = rng.choice(["commuter", "student", "retiree"], size=n, p=[0.70, 0.15, 0.15])
    mode_p = {
        "commuter": [0.72, 0.10, 0.13, 0.05],
        "student": [0.15, 0.40, 0.30, 0.15],
        "retiree": [0.55, 0.20, 0.10, 0.15],
    }
    usual = np.array([rng.choice(MODES, p=mode_p[k]) for k in kind])
    leave = rng.normal(7.9, 0.6, n)
    back = rng.normal(17.6, 0.8, n)
    rows = []
    dates = pd.date_range(start, periods=days, freq="D", tz=TZ)
    for i in range(n):
        h, w = homes[i], works[i]
        for day in dates:
            weekday = day.day_of_week < 5
            if kind[i] != "retiree" and weekday and rng.random() < 0.9:
                go = day + pd.Timedelta(hours=float(leave[i] + rng.normal(0, 0.2)))
                ret = day + pd.Timedelta(hours=float(back[i] + rng.normal(0, 0.3)))
                rows.append((i, go, h[0], h[1], w[0], w[1], usual[i]))
                rows.append((i, ret, w[0], w[1], h[0], h[1], usual[i]))
            elif rng.random() < (0.35 if kind[i] == "retiree" else 0.25):  # an outing
                dest = _around(rng, HOMES + WORK, 1, 1.0)[0]
                go = day + pd.Timedelta(hours=float(rng.uniform(9.5, 16)))
                mode = usual[i] if rng.random() < 0.7 else rng.choice(MODES)
                rows.append((i, go, h[0], h[1], dest[0], dest[1], mode))
                rows.append((i, go + pd.Timedelta(hours=2.5), dest[0], dest[1], h[0], h[1], mode))
    frame = pd.DataFrame(
        rows, columns=["person", "start", "start_lat", "start_lon", "end_lat", "end_lon", "mode"]
    )
    frame["start"] = pd.to_datetime(frame["start"]).dt.tz_convert("UTC")
    return frame
