"""Vélo'v stations of the fictional world and their simulated availability."""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

TZ = "Europe/Paris"

#: Snapshot time of the sample stations (a Tuesday morning rush), and the simulated history before it.
SAMPLE_SNAPSHOT = "2025-03-18 08:00"
SAMPLE_HISTORY = ("2025-03-14 08:00", "2025-03-18 08:00")


def sample_stations() -> pd.DataFrame:
    """Fictional stations on a jittered grid over central Lyon (about 500 m apart), with a role
    (residential, business, mixed) and a capacity.
    """
    rng = np.random.default_rng(69)
    lats = np.arange(45.728, 45.786, 0.0045)
    lons = np.arange(4.815, 4.888, 0.0065)
    rows: list[dict[str, object]] = []
    for la in lats:
        for lo in lons:
            number = 1001 + len(rows)
            # business around Part-Dieu and the Presqu'île, residential elsewhere
            central = (abs(la - 45.760) < 0.009 and abs(lo - 4.856) < 0.012) or (
                abs(lo - 4.832) < 0.006 and la > 45.750
            )
            role = "business" if central else rng.choice(["residential", "mixed"], p=[0.7, 0.3])
            rows.append(
                {
                    "station_id": number,
                    "name": f"{number} - Station exemple {number}",
                    "lat": round(float(la + rng.normal(0, 0.0008)), 6),
                    "lon": round(float(lo + rng.normal(0, 0.0010)), 6),
                    "capacity": int(rng.choice([12, 15, 18, 20, 24, 30])),
                    "role": role,
                }
            )
    return pd.DataFrame(rows)


def simulate_history(
    stations: pd.DataFrame, start: str, end: str, *, step_min: int = 15, seed: int = 0
) -> pd.DataFrame:
    """Bikes per station every ``step_min`` between ``start`` and ``end`` (local times): residential
    stations empty in the morning rush and refill in the evening, business stations the reverse, less
    so at weekends, with random arrivals and departures. ``stations`` needs ``station_id``, ``capacity``
    and ``role`` (``residential``, ``business`` or ``mixed``).
    """
    rng = np.random.default_rng(seed)
    times = pd.date_range(pd.Timestamp(start, tz=TZ), pd.Timestamp(end, tz=TZ), freq=f"{step_min}min")
    hour = times.hour.to_numpy() + times.minute.to_numpy() / 60
    weekend = times.day_of_week.to_numpy() >= 5
    morning = np.exp(-((hour - 8.3) ** 2) / 1.5)
    evening = np.exp(-((hour - 18.0) ** 2) / 3.0)
    swing = np.where(weekend, 0.3, 1.0) * (morning - evening)  # > 0 while people ride to work
    cap = stations["capacity"].to_numpy(float)
    sign = stations["role"].map({"residential": -1.0, "business": 1.0, "mixed": 0.0}).to_numpy(float)
    base = rng.uniform(0.3, 0.6, len(cap))
    bikes = np.round(base * cap)
    out = np.empty((len(times), len(cap)))
    churn = 0.15 * step_min / 15 * (0.5 + np.where(weekend, 0.6, 1.0)[:, None] * (0.4 + hour[:, None] / 24))
    for t in range(len(times)):
        target = np.clip(base + 0.45 * sign * swing[t], 0.0, 1.0) * cap
        pull = (target - bikes) * 0.25 * step_min / 15
        arrivals = rng.poisson(np.clip(pull, 0, None) + churn[t] * cap / 10)
        departures = rng.poisson(np.clip(-pull, 0, None) + churn[t] * cap / 10)
        bikes = np.clip(bikes + arrivals - departures, 0, cap)
        out[t] = bikes
    frame = pd.DataFrame(out, index=times.tz_convert("UTC"), columns=stations["station_id"].to_numpy())
    long = cast(pd.Series, frame.stack()).dropna().rename("bikes").reset_index()
    long.columns = ["time", "station_id", "bikes"]
    long["bikes"] = long["bikes"].astype(int)
    long = long.merge(stations[["station_id", "capacity"]], on="station_id")
    long["docks"] = long["capacity"] - long["bikes"]
    return long.sort_values(["station_id", "time"], ignore_index=True)
