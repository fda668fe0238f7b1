"""Vélo'v stations of the fictional world and their simulated availability."""

from __future__ import annotations

from dataclasses import dataclass
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


# --- Other bike-share systems of the fictional world (issue « any territory ») -------------------------------


@dataclass(frozen=True)
class SampleArea:
    """Where a system's fictional stations are laid: a box (south, west, north, east), the grid's spacing,
    the business centres (lat, lon, radius in metres) whose stations fill in the morning, and a seed.
    """

    box: tuple[float, float, float, float]
    business: tuple[tuple[float, float, float], ...]
    seed: int
    spacing_m: float = 450.0
    capacities: tuple[int, ...] = (12, 15, 18, 20, 24, 30)


#: The areas of the systems shipped with samples besides Vélo'v (:func:`sample_stations`): central
#: Paris from the 11th to the 13th arrondissement, central Nantes and the Île de Nantes, Barcelona from
#: Gràcia to the Eixample and Glòries, central Rennes and central La Rochelle (small boxes: about 40
#: stations each, to keep the training of the suite short). Chosen to hold the sample personas' homes
#: and workplaces, and the trips of the presets.
SAMPLE_AREAS: dict[str, SampleArea] = {
    "velib": SampleArea(
        (48.826, 2.330, 48.876, 2.412),
        ((48.8700, 2.3400, 1300.0), (48.8334, 2.3759, 800.0), (48.8448, 2.3735, 600.0)),
        seed=75,
    ),
    "naolib": SampleArea(
        (47.196, -1.585, 47.234, -1.520), ((47.2135, -1.5585, 900.0), (47.2173, -1.5420, 500.0)), seed=44
    ),
    "bicing": SampleArea(
        (41.376, 2.135, 41.420, 2.200), ((41.3870, 2.1700, 1000.0), (41.4030, 2.1880, 800.0)), seed=8
    ),
    # Rennes from the station to the city centre (République, the town hall) and Sainte-Anne
    "star": SampleArea(
        (48.098, -1.695, 48.122, -1.655), ((48.1105, -1.6790, 500.0), (48.1040, -1.6720, 400.0)), seed=35
    ),
    # La Rochelle from the station and the Vieux-Port to the centre and Les Minimes
    "yelo": SampleArea(
        (46.143, -1.168, 46.166, -1.135), ((46.1595, -1.1515, 450.0), (46.1527, -1.1453, 300.0)), seed=17
    ),
}


def area_stations(area: SampleArea, *, first_number: int = 1) -> pd.DataFrame:
    """Fictional stations on a jittered grid over ``area`` (``area.spacing_m`` apart), numbered from
    ``first_number``, business near the area's centres, residential or mixed elsewhere.
    """
    from selfdata_lib.geo import haversine_m

    rng = np.random.default_rng(area.seed)
    south, west, north, east = area.box
    dlat = area.spacing_m / 111_000
    dlon = dlat / np.cos(np.radians((south + north) / 2))
    rows: list[dict[str, object]] = []
    for la in np.arange(south, north, dlat):
        for lo in np.arange(west, east, dlon):
            number = first_number + len(rows)
            lat = float(np.clip(la + rng.normal(0, dlat / 6), south, north))
            lon = float(np.clip(lo + rng.normal(0, dlon / 6), west, east))
            central = any(float(haversine_m(lat, lon, c[0], c[1])) <= c[2] for c in area.business)
            role = "business" if central else rng.choice(["residential", "mixed"], p=[0.7, 0.3])
            rows.append(
                {
                    "station_id": number,
                    "name": f"Station exemple {number}",
                    "lat": round(lat, 6),
                    "lon": round(lon, 6),
                    "capacity": int(rng.choice(area.capacities)),
                    "role": role,
                }
            )
    return pd.DataFrame(rows)
