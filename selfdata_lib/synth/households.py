"""Households of the fictional world: load curves and daily water use, seeded.

``flat_load_curve`` gives a flat's or a house's average power per interval (standby, fridge, cooking,
lighting, electric heating driven by a generated temperature); ``simulate_household`` a household's
litres per day (weekends, seasons, holidays, a running toilet).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from selfdata_lib.synth.weather import daily_temperature

TZ = "Europe/Paris"


def flat_load_curve(
    start: str,
    end: str,
    *,
    step_min: int = 30,
    baseload_w: float = 180.0,
    occupants: int = 2,
    heating_w_per_degree: float = 0.0,
    holidays: Sequence[tuple[str, str]] = (),
    seed: int = 1,
) -> pd.DataFrame:
    """Average power (W) per interval for a flat or house: standby, fridge, cooking peaks, lighting,
    electric heating driven by a generated temperature. Returns ``end`` (Europe/Paris) and ``power_w``.
    """
    rng = np.random.default_rng(seed)
    ends = pd.date_range(
        pd.Timestamp(start, tz=TZ) + pd.Timedelta(minutes=step_min),
        pd.Timestamp(end, tz=TZ),
        freq=f"{step_min}min",
    )
    local_hour = (ends - pd.Timedelta(minutes=step_min)).hour.to_numpy() + (
        ends - pd.Timedelta(minutes=step_min)
    ).minute.to_numpy() / 60
    weekday = (ends - pd.Timedelta(minutes=step_min)).day_of_week.to_numpy()
    weekend = weekday >= 5
    day = (ends - pd.Timedelta(minutes=step_min)).normalize()
    away = np.zeros(len(ends), dtype=bool)
    for h_start, h_end in holidays:
        away |= (day >= pd.Timestamp(h_start, tz=TZ)) & (day <= pd.Timestamp(h_end, tz=TZ))
    temp = daily_temperature(ends, rng=rng)
    power = np.full(len(ends), baseload_w) + rng.normal(0, 12, len(ends))
    power += 35 * (np.sin(2 * np.pi * local_hour * 1.7) > 0.6)  # fridge cycles
    morning = np.exp(-((local_hour - (8.5 if weekend.any() else 7.2)) ** 2) / 0.8)
    morning = np.where(
        weekend, np.exp(-((local_hour - 9.5) ** 2) / 1.2), np.exp(-((local_hour - 7.2) ** 2) / 0.6)
    )
    evening = np.exp(-((local_hour - 19.8) ** 2) / 2.0)
    midday = np.where(weekend, np.exp(-((local_hour - 12.7) ** 2) / 0.7), 0.0)
    activity = occupants * (380 * morning + 650 * evening + 500 * midday)
    activity *= rng.lognormal(0, 0.35, len(ends))
    darkness = np.clip(np.cos(2 * np.pi * (ends.day_of_year.to_numpy() - 172) / 365.25), 0, 1)
    lighting = 120 * darkness * ((local_hour >= 17) & (local_hour < 23.5))
    heating = (
        heating_w_per_degree
        * np.clip(17.0 - temp, 0, None)
        * np.where((local_hour >= 6) & (local_hour < 23), 1.0, 0.6)
    )
    power = np.where(
        away,
        baseload_w * 0.9 + rng.normal(0, 8, len(ends)) + 0.5 * heating,
        power + activity + lighting + heating,
    )
    return pd.DataFrame(
        {"end": ends, "power_w": np.round(np.clip(power, 40, None)).astype(int), "temperature_c": temp}
    )


def simulate_household(
    start: str,
    end: str,
    *,
    occupants: int,
    litres_per_person: float = 125.0,
    holidays: Sequence[tuple[str, str]] = (),
    leak: tuple[str, str, float] | None = None,
    seed: int = 1,
) -> pd.DataFrame:
    """A household's daily water use, generated: litres per local day from ``start`` to ``end``
    (exclusive). Used by the sample persona and by :func:`evaluate_leak_detector`.

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
