"""Household daily water use: people, weekday rhythm, seasons, holidays, and an optional leak."""

from __future__ import annotations

import numpy as np
import pandas as pd


def household_water(start: str, end: str, *, occupants: int, litres_per_person: float = 125.0,
                    holidays: list[tuple[str, str]] = (), leak: tuple[str, str, float] | None = None,
                    seed: int = 1) -> pd.DataFrame:
    """Litres per local day from ``start`` to ``end`` (exclusive).

    Weekends +12 %, summer (garden, showers) +10 %, day-to-day noise; nobody home during
    ``holidays`` (only a trickle); ``leak = (first day, last day, litres per day)`` adds a constant
    flow, as a running toilet does, holidays included. Returns ``day``, ``litres``, ``leak_litres``.
    """
    rng = np.random.default_rng(seed)
    days = pd.date_range(start, end, freq="D", inclusive="left")
    weekend = days.day_of_week >= 5
    season = 1 + 0.10 * np.cos(2 * np.pi * (days.day_of_year - 200) / 365.25)
    base = occupants * litres_per_person * season * np.where(weekend, 1.12, 0.96)
    litres = base * rng.lognormal(0, 0.14, len(days))
    away = np.zeros(len(days), dtype=bool)
    for a, b in holidays:
        away |= (days >= pd.Timestamp(a)) & (days <= pd.Timestamp(b))
    litres = np.where(away, rng.uniform(0, 6, len(days)), litres)
    leak_l = np.zeros(len(days))
    if leak is not None:
        a, b, per_day = leak
        on = (days >= pd.Timestamp(a)) & (days <= pd.Timestamp(b))
        leak_l = np.where(on, per_day * rng.uniform(0.9, 1.1, len(days)), 0.0)
    return pd.DataFrame({"day": days, "litres": np.round(litres + leak_l), "leak_litres": leak_l})
