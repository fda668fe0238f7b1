"""Inès's energy and water exports (see the module ines): her Linky load curve of 2025, as Enedis hands
it out, and her daily water readings of 2025.

A 48 m² flat for two near place Léon-Blum (Paris 11e), heated by the building's collective gas boiler:
the electricity is standby, cooking, lighting, an electric water heater at night and a small bathroom
radiator — about 3,000 kWh a year, a little above the mean residential site of the 11e.

Water: Eau de Paris shows daily readings of a smart meter in its customer space, but its download
format could not be checked, so her readings are written in the project's generic water CSV
(``date;volume (l)``, the ``water-csv`` format), and said so in the README.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from selfdata_lib.samples.personas._energy import write_enedis_load_curve_csv
from selfdata_lib.synth.households import flat_load_curve, simulate_household

PRM = "00000000000075"  # fictional
HOLIDAYS = [("2025-08-02", "2025-08-17"), ("2025-12-24", "2025-12-28")]
IRIS = "751114301"  # the project sample's IRIS « Roquette - Léon Blum (exemple) »
WATER_HEATER_W = 1000  # a 100-litre tank heating 01:00–03:00 (off-peak), less in summer and away

#: One line per file written, for the persona's README ("`file`: what it is").
README_LINES: list[str] = [
    "`Enedis_courbe_de_charge_2025.csv`: Linky load curve 2025, 30 min, Enedis customer-space « Courbe de "
    "charge » CSV (UTF-8 BOM); collective gas heating, an electric water heater at night; holidays "
    "2–17 August and 24–28 December; a few missing readings. Her IRIS in the project's sample: "
    f"{IRIS} (fictional code).",
    "`eau_releves_quotidiens_2025.csv`: daily water readings 2025 (litres), two people, no leak, in the "
    "project's generic water CSV (`date;volume (l)`): Eau de Paris shows daily readings online, but its "
    "download format could not be checked.",
]


def load_curve(seed: int) -> pd.DataFrame:
    """Inès's average power per half hour in 2025 (``end``, ``power_w``)."""
    curve = flat_load_curve(
        "2025-01-01",
        "2026-01-01",
        step_min=30,
        baseload_w=80,
        occupants=2,
        heating_w_per_degree=6.0,
        holidays=HOLIDAYS,
        seed=seed,
    )
    start = curve["end"] - pd.Timedelta(minutes=30)
    hour = start.dt.hour + start.dt.minute / 60
    away = curve["power_w"] < 80
    summer = np.cos(2 * np.pi * (start.dt.day_of_year - 15) / 365.25)  # 1 in January, -1 in July
    tank = WATER_HEATER_W * ((hour >= 1) & (hour < 3)) * (0.8 + 0.2 * summer) * ~away
    return curve.assign(power_w=(curve["power_w"] + tank).round().astype(int))


def write_energy(folder: Path) -> list[Path]:
    """Write Inès's energy exports into ``folder``; returns the paths written."""
    from selfdata_lib.samples.personas import ines

    curve = load_curve(ines.SEED)
    rng = np.random.default_rng(ines.SEED + 7)
    missing = np.zeros(len(curve), dtype=bool)
    missing[rng.integers(0, len(curve), 6)] = True
    path = folder / "Enedis_courbe_de_charge_2025.csv"
    write_enedis_load_curve_csv(
        path, curve, prm=PRM, missing=missing, first_day="01/01/2025", last_day="01/01/2026"
    )
    water = simulate_household(
        "2025-01-01", "2026-01-01", occupants=2, litres_per_person=105.0, holidays=HOLIDAYS, seed=ines.SEED
    )
    water_path = folder / "eau_releves_quotidiens_2025.csv"
    lines = ["date;volume (l)"] + [
        f"{d:%d/%m/%Y};{int(v)}" for d, v in zip(water["day"], water["litres"], strict=True)
    ]
    water_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [path, water_path]
