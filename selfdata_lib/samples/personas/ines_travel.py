"""Inès's travel exports (see the module ines), January–March 2025:

- ``Timeline.json`` — Google Maps on-device timeline (Android): the metro to the BnF three days a week,
  Vélib' on the other two (the metro when it rains), Saturday walks to the Aligre market, Sunday rides to
  the bois de Vincennes, a dinner near République once a month with a taxi home, a weekend in Rouen by
  train (8–9 February) and a day in Fontainebleau in a hired car (22 March);
- ``releve_compte_credit_agricole.csv`` — her current account at the Crédit Agricole d'Île-de-France, in
  the Crédit Agricole CSV layout (:func:`selfdata_lib.samples.personas.yanis.write_credit_agricole_csv`):
  salary, rent, the monthly Navigo pass, the Vélib' subscription, the train tickets, fuel for the hired
  car, taxis, groceries, energy.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from selfdata_lib.samples.personas._timeline import Place, Timeline
from selfdata_lib.samples.personas.yanis import write_credit_agricole_csv

TZ = "Europe/Paris"
#: One line per file written, for the persona's README ("`file`: what it is").
README_LINES: list[str] = [
    "`Timeline.json`: Google Maps on-device timeline (Android), January–March 2025 — metro, Vélib', walking, "
    "a taxi home once a month, a train weekend in Rouen, a hired car to Fontainebleau.",
    "`releve_compte_credit_agricole.csv`: Crédit Agricole CSV statement, January–March 2025 (Navigo, Vélib', "
    "train, fuel of the hired car).",
]
PLACES: dict[str, Place] = {
    "aligre": {"lat": 48.8490, "lon": 2.3783, "id": "place-aligre", "name": "Marché d'Aligre"},
    "republique": {"lat": 48.8675, "lon": 2.3637, "id": "place-republique", "name": "Place de la République"},
    "vincennes": {"lat": 48.8335, "lon": 2.4130, "id": "place-daumesnil", "name": "Lac Daumesnil"},
    "saint_lazare": {"lat": 48.8763, "lon": 2.3254, "id": "place-saint-lazare", "name": "Gare Saint-Lazare"},
    "rouen": {"lat": 49.4490, "lon": 1.0940, "id": "place-rouen-rd", "name": "Gare de Rouen Rive-Droite"},
    "rouen_stay": {
        "lat": 49.4405,
        "lon": 1.0930,
        "id": "place-rouen-vieux-marche",
        "name": "Place du Vieux-Marché",
    },
    "fontainebleau": {
        "lat": 48.4020,
        "lon": 2.7000,
        "id": "place-fontainebleau",
        "name": "Château de Fontainebleau",
    },
}
DAYS_OFF = set(pd.date_range("2025-02-17", "2025-02-21", tz=TZ)) | {pd.Timestamp("2025-01-01", tz=TZ)}
RAINY = 0.25  # share of her Vélib' days when she takes the metro instead


def timeline(rng: np.random.Generator, home: Place, work: Place) -> dict:
    """Three months of Inès's on-device timeline."""
    tl = Timeline(rng, TZ)
    days = pd.date_range("2025-01-01", "2025-04-01", freq="D", inclusive="left", tz=TZ)
    cursor = days[0]

    def minutes(lo: int, hi: int) -> pd.Timedelta:
        return pd.Timedelta(minutes=int(rng.integers(lo, hi)))

    for day in days:
        iso = day.strftime("%Y-%m-%d")
        if day.day_of_week < 5 and day not in DAYS_OFF:
            mode = "bike" if day.day_of_week in (1, 3) and rng.random() > RAINY else "metro"
            leave = day + pd.Timedelta(hours=8, minutes=20) + minutes(0, 30)
            tl.visit(home, cursor, leave)
            arrive = tl.trip(home, work, leave, mode)
            back = day + pd.Timedelta(hours=17, minutes=30) + minutes(0, 45)
            tl.visit(work, arrive, back)
            cursor = tl.trip(work, home, back, mode)
            if day.day_of_week == 4 and day.day <= 7:  # first Friday: dinner near République, a taxi home
                go = cursor + minutes(60, 90)
                tl.visit(home, cursor, go)
                there = tl.trip(home, PLACES["republique"], go, "walk")
                tl.visit(PLACES["republique"], there, there + pd.Timedelta(hours=2, minutes=30))
                cursor = tl.trip(
                    PLACES["republique"], home, there + pd.Timedelta(hours=2, minutes=30), "taxi"
                )
        elif iso == "2025-02-08":  # the weekend in Rouen: metro to Saint-Lazare, then the train
            go = day + pd.Timedelta(hours=9)
            tl.visit(home, cursor, go)
            station = tl.trip(home, PLACES["saint_lazare"], go, "metro")
            tl.visit(PLACES["saint_lazare"], station, station + minutes(15, 25))
            rouen = tl.trip(
                PLACES["saint_lazare"], PLACES["rouen"], station + pd.Timedelta(minutes=25), "train"
            )
            tl.visit(PLACES["rouen"], rouen, rouen + pd.Timedelta(minutes=5))
            stay = tl.trip(PLACES["rouen"], PLACES["rouen_stay"], rouen + pd.Timedelta(minutes=5), "walk")
            cursor = stay
            tl.visit(PLACES["rouen_stay"], cursor, day + pd.Timedelta(days=1, hours=16))
            back = tl.trip(
                PLACES["rouen_stay"], PLACES["rouen"], day + pd.Timedelta(days=1, hours=16), "walk"
            )
            tl.visit(PLACES["rouen"], back, back + pd.Timedelta(minutes=20))
            paris = tl.trip(PLACES["rouen"], PLACES["saint_lazare"], back + pd.Timedelta(minutes=20), "train")
            tl.visit(PLACES["saint_lazare"], paris, paris + pd.Timedelta(minutes=5))
            cursor = tl.trip(PLACES["saint_lazare"], home, paris + pd.Timedelta(minutes=5), "metro")
        elif iso == "2025-02-09":
            continue  # in Rouen (written with the 8th)
        elif iso == "2025-03-22":  # a day in Fontainebleau in a hired car
            go = day + pd.Timedelta(hours=9, minutes=30)
            tl.visit(home, cursor, go)
            cursor = tl.outing(home, PLACES["fontainebleau"], go, pd.Timedelta(hours=6), "car")
        elif day.day_of_week == 5:  # Saturday: the Aligre market on foot
            go = day + pd.Timedelta(hours=10) + minutes(0, 40)
            tl.visit(home, cursor, go)
            cursor = tl.outing(home, PLACES["aligre"], go, minutes(45, 80), "walk")
        elif day.day_of_week == 6 and day.isocalendar().week % 2 == 0:  # every other Sunday: Vincennes
            go = day + pd.Timedelta(hours=14) + minutes(0, 30)
            tl.visit(home, cursor, go)
            cursor = tl.outing(home, PLACES["vincennes"], go, minutes(80, 120), "bike")
    tl.visit(home, cursor, days[-1] + pd.Timedelta(hours=23, minutes=59))
    return tl.document(home, work, "TRANSIT")


def bank_statement(rng: np.random.Generator) -> list[tuple[pd.Timestamp, str, float]]:
    """(date, label, signed amount) for January–March 2025 (amounts fictional)."""
    ops: list[tuple[pd.Timestamp, str, float]] = []
    for month in (1, 2, 3):
        first = pd.Timestamp(2025, month, 1)
        ops += [
            (first + pd.Timedelta(days=1), "PRLV SEPA NAVIGO MOIS COMUTITRES", -88.80),
            (first + pd.Timedelta(days=2), "PRLV SEPA VELIB METROPOLE ABONNEMENT V-PLUS", -3.10),
            (first + pd.Timedelta(days=3), "PRLV SEPA LOYER GESTION LOCATIVE EXEMPLE", -1150.00),
            (first + pd.Timedelta(days=6), "PRLV SEPA EDF clients particuliers", -48.00),
            (first + pd.Timedelta(days=9), "PRLV SEPA FREE MOBILE", -15.99),
            (first + pd.Timedelta(days=27), "VIREMENT SALAIRE BIBLIOTHEQUE NATIONALE DE FRANCE", 2480.00),
        ]
        for week in range(4):
            shop = first + pd.Timedelta(days=4 + 7 * week)
            ops.append(
                (shop, f"CARTE X7731 MONOPRIX PARIS 11 {shop:%d/%m}", -round(float(rng.uniform(35, 75)), 2))
            )
        friday = next(d for d in pd.date_range(first, periods=7) if d.day_of_week == 4)
        ops.append(
            (friday, f"CARTE X7731 G7 TAXI PARIS {friday:%d/%m}", -round(float(rng.uniform(12, 17)), 2))
        )
    ops += [
        (pd.Timestamp("2025-01-28"), "CARTE X7731 SNCF CONNECT PARIS ROUEN 28/01", -49.00),
        (pd.Timestamp("2025-03-22"), "CARTE X7731 LOCATION VOITURE EXEMPLE 22/03", -72.00),
        (pd.Timestamp("2025-03-22"), "CARTE X7731 TOTALENERGIES FONTAINEBLEAU 22/03", -17.60),
    ]
    return sorted(ops, key=lambda o: o[0])


def write_travel(folder: Path) -> list[Path]:
    """Write Inès's travel exports into ``folder``; returns the paths written."""
    from selfdata_lib.samples.personas import ines

    rng = np.random.default_rng(ines.SEED + 2)
    home: Place = {"lat": ines.HOME[0], "lon": ines.HOME[1], "id": "home-ines", "name": "Place Léon-Blum"}
    work: Place = {
        "lat": ines.WORK[0],
        "lon": ines.WORK[1],
        "id": "work-ines",
        "name": "BnF François-Mitterrand",
    }
    tl = folder / "Timeline.json"
    tl.write_text(
        json.dumps(timeline(rng, home, work), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    bank = folder / "releve_compte_credit_agricole.csv"
    write_credit_agricole_csv(bank, bank_statement(rng))
    return [tl, bank]
