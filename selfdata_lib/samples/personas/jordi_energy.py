"""Jordi's energy exports (see the module jordi): his hourly consumption of 2025 as Datadis hands it out.

A 70 m² flat for three in Gràcia (Barcelona): a heat-pump split heats a little in winter and cools in
summer afternoons and evenings, the rest is standby, cooking and lighting — about 3,300 kWh a year, a
Spanish household's order of magnitude. Barcelona's weather is the fictional world's model shifted to
a Mediterranean climate (warmer, less seasonal).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from selfdata_lib.synth.households import flat_load_curve
from selfdata_lib.synth.weather import daily_temperature

TZ = "Europe/Madrid"
CUPS = "ES0031400000000000JJ0F"  # fictional (distributor code 0031: e-distribución, Barcelona)
HOLIDAYS = [("2025-08-04", "2025-08-24")]
COOLING_W_PER_DEGREE = 95.0  # above 24 °C, 13:00–23:00

#: One line per file written, for the persona's README ("`file`: what it is").
README_LINES: list[str] = [
    "`datadis_consumo_horario_2025.csv`: hourly consumption 2025 as downloaded from Datadis "
    "(`CUPS;Fecha;Hora;Consumo_kWh;Metodo_obtencion`, `;`, decimal comma, hour 1–24 ending the interval, "
    "23 and 25 hours on the clock-change days); a heat-pump split heating in winter and cooling in summer; "
    "holidays 4–24 August; a few hours estimated by the distributor (E).",
]


def load_curve(seed: int) -> pd.DataFrame:
    """Jordi's hourly energy in 2025 (``start`` Europe/Madrid, ``kwh``) and the outdoor temperature."""
    base = flat_load_curve(
        "2025-01-01",
        "2026-01-01",
        step_min=60,
        baseload_w=140,
        occupants=3,
        heating_w_per_degree=0.0,
        holidays=HOLIDAYS,
        seed=seed,
    )
    start = (base["end"] - pd.Timedelta(hours=1)).dt.tz_convert(TZ)
    rng = np.random.default_rng(seed + 1)
    temp = daily_temperature(pd.DatetimeIndex(start), mean_c=16.8, amplitude_c=7.2, rng=rng)
    hour = start.dt.hour.to_numpy()
    away = base["power_w"].to_numpy() < 140
    cooling = COOLING_W_PER_DEGREE * np.clip(temp - 24.0, 0, None) * ((hour >= 13) & (hour < 23))
    heating = 40.0 * np.clip(13.0 - temp, 0, None) * ((hour >= 7) & (hour < 23))
    power = base["power_w"].to_numpy() + np.where(away, 0.0, cooling + heating)
    return pd.DataFrame({"start": start, "kwh": np.round(power / 1000, 3), "temperature_c": temp})


def write_datadis_csv(path: Path, curve: pd.DataFrame, *, cups: str, estimated: np.ndarray) -> None:
    """Write hourly ``curve`` (``start`` local, ``kwh``) as a Datadis CSV: local date, hour of the day
    1…23/24/25 ending the interval (counted in elapsed hours), decimal comma.
    """
    day = curve["start"].dt.strftime("%d/%m/%Y")
    hour = curve.groupby(day.to_numpy()).cumcount() + 1
    values = curve["kwh"].map(lambda v: f"{v:.3f}".replace(".", ","))
    method = np.where(estimated, "E", "R")
    lines = ["CUPS;Fecha;Hora;Consumo_kWh;Metodo_obtencion"]
    lines += [f"{cups};{d};{h};{v};{m}" for d, h, v, m in zip(day, hour, values, method, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_energy(folder: Path) -> list[Path]:
    """Write Jordi's energy exports into ``folder``; returns the paths written."""
    from selfdata_lib.samples.personas import jordi

    curve = load_curve(jordi.SEED)
    rng = np.random.default_rng(jordi.SEED + 7)
    estimated = np.zeros(len(curve), dtype=bool)
    start = int(rng.integers(0, len(curve) - 30))
    estimated[start : start + 26] = True  # a day the meter did not answer: the distributor estimated it
    path = folder / "datadis_consumo_horario_2025.csv"
    write_datadis_csv(path, curve, cups=CUPS, estimated=estimated)
    return [path]
