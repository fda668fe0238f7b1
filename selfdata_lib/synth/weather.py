"""The weather of the fictional world: a plausible temperature at any time, seeded."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The seed of the Morel persona's world: its weather drove the persona's heating.
MOREL_SEED = 20240401


def daily_temperature(
    index: pd.DatetimeIndex, *, mean_c: float = 12.5, amplitude_c: float = 8.5, rng: np.random.Generator
) -> np.ndarray:
    """A plausible outdoor temperature (°C) at each timestamp: seasonal + daily cycle + weather noise."""
    doy = index.day_of_year.to_numpy()
    hour = index.hour.to_numpy() + index.minute.to_numpy() / 60
    seasonal = mean_c - amplitude_c * np.cos(2 * np.pi * (doy - 15) / 365.25)
    daily = 3.5 * np.sin(2 * np.pi * (hour - 9) / 24)
    days = pd.Index(index.normalize())
    codes, uniques = pd.factorize(days)
    weather = np.convolve(rng.normal(0, 2.2, len(uniques) + 4), np.ones(5) / 5, mode="same")[: len(uniques)]
    return seasonal + daily + weather[codes]


def weather_2024(seed: int = MOREL_SEED) -> pd.Series:
    """The outdoor temperature of the persona's world (°C, every 30 minutes of 2024, Europe/Paris): the
    one that drove the heating in the load curve, and the project's Nantes weather sample.
    """
    ends = pd.date_range(
        pd.Timestamp("2024-01-01 00:30", tz="Europe/Paris"),
        pd.Timestamp("2025-01-01", tz="Europe/Paris"),
        freq="30min",
    )
    return pd.Series(
        daily_temperature(ends, rng=np.random.default_rng(seed)), index=ends, name="temperature_c"
    )
