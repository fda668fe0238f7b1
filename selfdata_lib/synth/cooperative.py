"""The citizens' water cooperative of the fictional world: who joined, and their litres per day."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Households that joined the (simulated) cooperative in each arrondissement, and a made-up shift of
#: the district's typical use — fictional figures for a demonstration, not measurements.
SIMULATED_MEMBERS = {
    "Lyon 1er Arrondissement": (48, 1.04),
    "Lyon 2e Arrondissement": (61, 1.08),
    "Lyon 3e Arrondissement": (212, 1.00),
    "Lyon 4e Arrondissement": (74, 0.97),
    "Lyon 5e Arrondissement": (9, 0.99),
    "Lyon 6e Arrondissement": (118, 1.10),
    "Lyon 7e Arrondissement": (176, 0.98),
    "Lyon 8e Arrondissement": (154, 0.94),
    "Lyon 9e Arrondissement": (97, 0.96),
}


def simulate_cooperative(
    districts: list[str], *, seed: int = 2025, members: dict[str, tuple[int, float]] | None = None
) -> pd.DataFrame:
    """A generated membership: one row per household with its ``district``, ``occupants`` and yearly
    ``litres_per_person_day`` (log-normal around 125 l, household size from 1 to 5).
    """
    rng = np.random.default_rng(seed)
    members = members or SIMULATED_MEMBERS
    rows = []
    for name in districts:
        n, shift = members.get(name, (50, 1.0))
        occupants = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.37, 0.32, 0.14, 0.12, 0.05])
        # bigger households use a little less per person (shared dishwasher, laundry)
        lpd = 125 * shift * (1.08 - 0.04 * occupants) * rng.lognormal(0, 0.32, n)
        rows += [
            {"district": name, "occupants": int(o), "litres_per_person_day": float(v)}
            for o, v in zip(occupants, lpd, strict=True)
        ]
    return pd.DataFrame(rows)


#: Households of the (simulated) energy cooperative of Nantes per IRIS, and the IRIS's typical yearly
#: residential electricity (kWh) — fictional figures near the sample's means, not measurements.
SIMULATED_ENERGY_MEMBERS = {
    "441090901": (64, 6900.0),
    "441090902": (41, 7800.0),
    "441090903": (88, 4100.0),
    "441090904": (27, 3600.0),
    "441090905": (12, 6200.0),
    "441090101": (120, 3200.0),
}


def simulate_energy_cooperative(
    iris: list[str] | None = None, *, seed: int = 2024, members: dict[str, tuple[int, float]] | None = None
) -> pd.DataFrame:
    """A generated energy membership: one row per household with its ``iris`` and yearly residential
    electricity ``annual_kwh`` (log-normal around the IRIS's typical figure, σ = 0.45; a few electrically
    heated homes above 15,000 kWh).
    """
    rng = np.random.default_rng(seed)
    members = members or SIMULATED_ENERGY_MEMBERS
    rows = []
    for code in iris or list(members):
        n, typical = members.get(code, (50, 4500.0))
        kwh = typical * rng.lognormal(-0.1, 0.45, n)
        rows += [{"iris": code, "annual_kwh": float(v)} for v in kwh]
    return pd.DataFrame(rows)
