"""The Morel family — Nantes (Doulon), four people in an electrically heated house with gas for hot
water and cooking, and a south-facing roof. Two neighbours of the street share their load curves for
a collective self-consumption study.

Exports:

- ``Enedis_mes_donnees_2024.csv`` — Linky load curve 2024, 30-minute steps, in the 2023+ Enedis
  layout (``Date de la mesure;Heure de la mesure;Valeur;…``, latin-1, local wall-clock hours with the
  October hour twice), a few missing readings, holidays in July and at Christmas;
- ``gazpar_donnees_informatives.json`` — GRDF monespace daily readings for 2024 (hot water, cooking);
- ``courses/`` — their food shopping 2024: E.Leclerc's GDPR export (``liste_ticket.csv``,
  ``leclerc_detail_ticket.csv``) and Lidl Plus tickets (``lidl_plus_tickets.json``);
- ``voisins/voisin_retraites_courbe_de_charge.csv`` and ``voisins/voisin_teletravail_courbe_de_charge.csv``
  — two neighbours' Linky load curves 2024 (Enedis customer-space CSV, hourly steps).

Roof (for the solar use case): 3 kWp possible, 30° tilt, facing south (azimuth 180°).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypedDict, cast

import numpy as np
import pandas as pd

from selfdata_lib.samples.personas._energy import write_enedis_load_curve_csv
from selfdata_lib.samples.personas._requests import write_requests_log
from selfdata_lib.samples.personas._shopping import write_shopping
from selfdata_lib.synth.households import flat_load_curve
from selfdata_lib.synth.weather import weather_2024

SEED = 20240401
HOME = {
    "lat": 47.22904,
    "lon": -1.51836,
    "name": "Maison",
    "address": "Place de l'Église, Doulon, 44300 Nantes",
}
PRM = "00000000000044"  # fictional
PCE = "GI000044"  # fictional
HOLIDAYS = [("2024-07-13", "2024-07-28"), ("2024-12-23", "2025-01-01")]
OCCUPANTS = 4
SURFACE_M2 = 110
SUBSCRIBED_KVA = 9
ROOF = {"peak_power_kwc": 3.0, "tilt_deg": 30, "azimuth_deg": 180}


class NeighbourSpec(TypedDict):
    """A neighbour's household, for :func:`flat_load_curve` plus a daytime presence."""

    seed: int
    baseload_w: int
    occupants: int
    heating_w_per_degree: float
    holidays: list[tuple[str, str]]
    daytime_w: int


NEIGHBOURS: dict[str, NeighbourSpec] = {
    "voisin_retraites": {
        "seed": 11,
        "baseload_w": 210,
        "occupants": 2,
        "heating_w_per_degree": 0.0,
        "holidays": [("2024-09-02", "2024-09-15")],
        "daytime_w": 260,
    },
    "voisin_teletravail": {
        "seed": 12,
        "baseload_w": 140,
        "occupants": 1,
        "heating_w_per_degree": 25.0,
        "holidays": [("2024-08-05", "2024-08-25")],
        "daytime_w": 180,
    },
}

_HEADER = (
    "Date de la mesure;Heure de la mesure;Valeur;Statut de la mesure;PRM;Type de données;"
    "Date de début;Date de fin;Grandeur métier;Grandeur physique;Statut demandé;Unité;Pas en minutes"
)


def write_enedis_measures_csv(
    path: Path,
    curve: pd.DataFrame,
    *,
    prm: str,
    missing: np.ndarray,
    first_day: str,
    last_day: str,
    step_min: int = 30,
) -> None:
    """Write ``curve`` (``end`` aware, ``power_w``) in the 2023+ Enedis layout, latin-1: local date and
    wall-clock hour of the end of each interval; the metadata columns filled on the first line.
    """
    local = curve["end"].dt.tz_convert("Europe/Paris")
    dates = local.dt.strftime("%d/%m/%Y").to_numpy()
    hours = local.dt.strftime("%H:%M:%S").to_numpy()
    values = curve["power_w"].astype(str).to_numpy().copy()
    values[missing] = ""
    lines = [_HEADER]
    for i, (d, h, v) in enumerate(zip(dates, hours, values, strict=True)):
        status = "" if not v else "R"
        if i == 0:
            lines.append(
                f"{d};{h};{v};{status};{prm};Courbe de charge;{first_day};{last_day};"
                f"Consommation;Puissance active;Brut;W;{step_min}"
            )
        else:
            lines.append(f"{d};{h};{v};{status};;;;;;;;W;{step_min}")
    with open(path, "w", encoding="latin-1", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")


def gas_days(rng: np.random.Generator) -> pd.DataFrame:
    """Daily gas (hot water and cooking, a little more when it is cold) for the 2024 gas days, with the
    index running on.
    """
    days = pd.date_range("2024-01-01", "2025-01-01", freq="D", inclusive="left", tz="Europe/Paris")
    world = weather_2024(SEED)
    world_days = cast(pd.DatetimeIndex, world.index).normalize()
    temp = world.groupby(world_days).mean().reindex(days).ffill().to_numpy()
    away = np.zeros(len(days), dtype=bool)
    for a, b in HOLIDAYS:
        away |= (days >= pd.Timestamp(a, tz="Europe/Paris")) & (days <= pd.Timestamp(b, tz="Europe/Paris"))
    kwh = 6.5 + 0.22 * np.clip(15 - temp, 0, None) + rng.normal(0, 1.2, len(days))
    kwh = np.where(days.day_of_week >= 5, kwh * 1.15, kwh)
    kwh = np.where(away, rng.uniform(0.0, 0.6, len(days)), np.clip(kwh, 2, None))
    coeff = np.round(11.2 + 0.1 * np.sin(2 * np.pi * days.day_of_year / 365), 2)
    m3 = np.round(kwh / coeff).astype(int)  # Gazpar counts whole m3: energy follows the index
    index = 4210 + np.cumsum(m3)
    return pd.DataFrame(
        {"day": days, "m3": m3, "coeff": coeff, "kwh": np.round(m3 * coeff).astype(int), "index_end": index}
    )


def write_grdf_json(path: Path, gas: pd.DataFrame) -> None:
    """Write ``gas`` as the monespace ``consommation/informatives`` JSON keyed by PCE."""
    releves = []
    days = pd.DatetimeIndex(gas["day"])
    columns = zip(days, gas["coeff"], gas["kwh"], gas["m3"], gas["index_end"], strict=True)
    for day, coeff, kwh, m3, index_end in columns:
        start = (day + pd.Timedelta(hours=6)).tz_convert("UTC")
        releves.append(
            {
                "coeffConversion": float(coeff),
                "dateDebutReleve": start.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                "dateFinReleve": (start + pd.Timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                "energieConsomme": int(kwh),
                "frequenceReleve": None,
                "indexDebut": int(index_end - m3),
                "indexFin": int(index_end),
                "journeeGaziere": day.strftime("%Y-%m-%d"),
                "natureReleve": "Informative Journalier",
                "pcs": None,
                "pta": None,
                "qualificationReleve": "Mesuré",
                "status": None,
                "temperature": None,
                "volumeBrutConsomme": int(m3),
                "volumeConverti": None,
            }
        )
    doc = {PCE: {"frequence": None, "idPce": PCE, "releves": releves}}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=4) + "\n", encoding="utf-8")


def _neighbour_curve(spec: NeighbourSpec) -> pd.DataFrame:
    curve = flat_load_curve(
        "2024-01-01",
        "2025-01-01",
        step_min=60,
        baseload_w=spec["baseload_w"],
        occupants=spec["occupants"],
        heating_w_per_degree=spec["heating_w_per_degree"],
        holidays=spec["holidays"],
        seed=spec["seed"],
    )
    hour = (curve["end"] - pd.Timedelta(hours=1)).dt.hour
    away = curve["power_w"] < spec["baseload_w"]  # holidays: no daytime presence either
    daytime = np.where((hour >= 9) & (hour < 18) & ~away, spec["daytime_w"], 0)
    return curve.assign(power_w=(curve["power_w"] + daytime).astype(int))


def build_morel(folder: Path) -> list[Path]:
    """Write the Morel family's exports (and their two neighbours') into ``folder``."""
    rng = np.random.default_rng(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    curve = flat_load_curve(
        "2024-01-01",
        "2025-01-01",
        step_min=30,
        baseload_w=260,
        occupants=OCCUPANTS,
        heating_w_per_degree=170,
        holidays=HOLIDAYS,
        seed=SEED,
    )
    missing = np.zeros(len(curve), dtype=bool)
    for start in rng.integers(0, len(curve) - 8, 3):
        missing[start : start + int(rng.integers(2, 8))] = True
    missing[rng.integers(0, len(curve), 8)] = True
    elec = folder / "Enedis_mes_donnees_2024.csv"
    write_enedis_measures_csv(
        elec, curve, prm=PRM, missing=missing, first_day="01/01/2024", last_day="01/01/2025"
    )
    gas = folder / "gazpar_donnees_informatives.json"
    write_grdf_json(gas, gas_days(rng))
    written = [elec, gas]
    (folder / "voisins").mkdir(exist_ok=True)
    for name, spec in NEIGHBOURS.items():
        ncurve = _neighbour_curve(spec)
        nmiss = np.zeros(len(ncurve), dtype=bool)
        nmiss[rng.integers(0, len(ncurve), 3)] = True
        path = folder / "voisins" / f"{name}_courbe_de_charge.csv"
        write_enedis_load_curve_csv(
            path,
            ncurve,
            prm=f"000000000000{50 + spec['seed']}",
            missing=nmiss,
            first_day="01/01/2024",
            last_day="01/01/2025",
        )
        written.append(path)
    # their own generator: the energy files above stay as they were
    written += write_shopping(folder / "courses", np.random.default_rng(SEED + 1))
    readme = folder / "README.md"
    readme.write_text(
        "# La famille Morel (Nantes, Doulon) — fictional persona\n\n"
        f"Generated by `selfdata samples build` (`selfdata_lib/samples/personas/morel.py`, seed {SEED}). "
        "Fictional: the home is a public square, the meter ids are made up.\n\n"
        f"House of {SURFACE_M2} m², {OCCUPANTS} people, electric heating (convectors), gas for hot water "
        f"and cooking, {SUBSCRIBED_KVA} kVA subscribed. Roof: {ROOF['peak_power_kwc']} kWp possible, "
        f"{ROOF['tilt_deg']}° tilt, azimuth {ROOF['azimuth_deg']}° (south).\n\n"
        "- `Enedis_mes_donnees_2024.csv`: Linky load curve 2024, 30 min, Enedis 2023+ layout, latin-1; "
        "a few missing readings; holidays 13–28 July and 23 December – 1 January.\n"
        "- `gazpar_donnees_informatives.json`: GRDF monespace daily readings 2024 (gas days from 06:00).\n"
        "- `voisins/`: two neighbours' load curves 2024 (Enedis CSV, hourly): a retired couple at home "
        "in the daytime, and a single person working from home.\n"
        "- `courses/`: their food shopping in 2024 — the E.Leclerc loyalty-card GDPR export "
        "(`liste_ticket.csv` with dates, `leclerc_detail_ticket.csv` with the lines) and Lidl Plus tickets "
        "(`lidl_plus_tickets.json`); barcodes are made-up in-store codes (prefix 200).\n",
        encoding="utf-8",
    )
    written.append(readme)
    written += write_requests_log(folder, "morel")  # last: the files above stay as they were
    return written
