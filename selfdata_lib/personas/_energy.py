"""Realistic household load curves: daily and seasonal cycles, weekends, holidays, missing readings."""

from __future__ import annotations

import numpy as np
import pandas as pd

TZ = "Europe/Paris"


def daily_temperature(index: pd.DatetimeIndex, *, mean_c: float = 12.5, amplitude_c: float = 8.5,
                      rng: np.random.Generator) -> np.ndarray:
    """A plausible outdoor temperature (°C) at each timestamp: seasonal + daily cycle + weather noise."""
    doy = index.day_of_year.to_numpy()
    hour = index.hour.to_numpy() + index.minute.to_numpy() / 60
    seasonal = mean_c - amplitude_c * np.cos(2 * np.pi * (doy - 15) / 365.25)
    daily = 3.5 * np.sin(2 * np.pi * (hour - 9) / 24)
    days = pd.Index(index.normalize())
    codes, uniques = pd.factorize(days)
    weather = np.convolve(rng.normal(0, 2.2, len(uniques) + 4), np.ones(5) / 5, mode="same")[: len(uniques)]
    return seasonal + daily + weather[codes]


def flat_load_curve(start: str, end: str, *, step_min: int = 30, baseload_w: float = 180.0,
                    occupants: int = 2, heating_w_per_degree: float = 0.0,
                    holidays: list[tuple[str, str]] = (), seed: int = 1) -> pd.DataFrame:
    """Average power (W) per interval for a flat or house: standby, fridge, cooking peaks, lighting,
    electric heating driven by a generated temperature. Returns ``end`` (Europe/Paris) and ``power_w``.
    """
    rng = np.random.default_rng(seed)
    ends = pd.date_range(pd.Timestamp(start, tz=TZ) + pd.Timedelta(minutes=step_min),
                         pd.Timestamp(end, tz=TZ), freq=f"{step_min}min")
    local_hour = (ends - pd.Timedelta(minutes=step_min)).hour.to_numpy() + \
        (ends - pd.Timedelta(minutes=step_min)).minute.to_numpy() / 60
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
    morning = np.where(weekend, np.exp(-((local_hour - 9.5) ** 2) / 1.2), np.exp(-((local_hour - 7.2) ** 2) / 0.6))
    evening = np.exp(-((local_hour - 19.8) ** 2) / 2.0)
    midday = np.where(weekend, np.exp(-((local_hour - 12.7) ** 2) / 0.7), 0.0)
    activity = occupants * (380 * morning + 650 * evening + 500 * midday)
    activity *= rng.lognormal(0, 0.35, len(ends))
    darkness = np.clip(np.cos(2 * np.pi * (ends.day_of_year.to_numpy() - 172) / 365.25), 0, 1)
    lighting = 120 * darkness * ((local_hour >= 17) & (local_hour < 23.5))
    heating = heating_w_per_degree * np.clip(17.0 - temp, 0, None) * np.where(
        (local_hour >= 6) & (local_hour < 23), 1.0, 0.6)
    power = np.where(away, baseload_w * 0.9 + rng.normal(0, 8, len(ends)) + 0.5 * heating,
                     power + activity + lighting + heating)
    return pd.DataFrame({"end": ends, "power_w": np.round(np.clip(power, 40, None)).astype(int),
                         "temperature_c": temp})


def write_enedis_load_curve_csv(path, curve: pd.DataFrame, *, prm: str, missing: np.ndarray,
                                first_day: str, last_day: str) -> None:
    """Write ``curve`` (``end``, ``power_w``) as an Enedis "Courbe de charge" CSV (UTF-8 BOM, ``;``)."""
    lines = [
        "Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;"
        "Etape metier;Unite;Pas en minutes",
        f"{prm};Courbe de charge;{first_day};{last_day};Energie active;Consommation;Comptage Brut;W;",
        "Horodate;Valeur",
    ]
    stamps = curve["end"].dt.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(
        r"([+-]\d{2})(\d{2})$", r"\1:\2", regex=True)
    values = curve["power_w"].astype(str).to_numpy().copy()
    values[missing] = ""
    lines += [f"{s};{v}" for s, v in zip(stamps, values, strict=True)]
    with open(path, "w", encoding="utf-8-sig", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
