"""Yanis — La Rochelle agglomeration, a car commuter: lives in Puilboreau, works in the Périgny
business park, drives most days, takes the Yélo bus when the car is at the garage, rides a bike on
some Saturdays.

Exports (January to March 2025):

- ``Timeline.json`` — Google Maps on-device timeline (Android): visits, activities with their mode,
  path points, and ``userLocationProfile`` naming HOME and WORK;
- ``releve_compte_credit_agricole.csv`` — Crédit Agricole CSV statement (cp1252, preamble lines,
  Débit/Crédit columns): salary, rent, fuel, tolls, parking, bus tickets, car insurance, a service at
  the garage, groceries, energy;
- ``sortie_velo_2025-03-15.gpx`` — a Saturday bike ride recorded with a phone (GPX 1.1).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from selfdata_lib.samples.personas._requests import write_requests_log
from selfdata_lib.samples.personas._timeline import Place, Timeline, _latlng

SEED = 20250115
TZ = "Europe/Paris"


HOME: Place = {"lat": 46.18570, "lon": -1.11750, "id": "home-yanis", "name": "Mairie de Puilboreau"}
WORK: Place = {"lat": 46.15300, "lon": -1.09800, "id": "work-yanis", "name": "Parc d'activités de Périgny"}
PLACES: dict[str, Place] = {
    "beaulieu": {
        "lat": 46.16800,
        "lon": -1.10200,
        "id": "place-beaulieu",
        "name": "Centre commercial Beaulieu",
    },
    "bakery": {"lat": 46.18320, "lon": -1.11270, "id": "place-boulangerie", "name": "Boulangerie du bourg"},
    "vieux_port": {"lat": 46.15580, "lon": -1.15230, "id": "place-vieux-port", "name": "Vieux-Port"},
    "minimes": {"lat": 46.14500, "lon": -1.16500, "id": "place-minimes", "name": "Plage des Minimes"},
    "gym": {"lat": 46.17750, "lon": -1.10480, "id": "place-salle", "name": "Salle de sport"},
}
SPEED_KMH = {"car": 32.0, "bus": 17.0, "bike": 15.0, "walk": 4.8}
DETOUR = {"car": 1.3, "bus": 1.45, "bike": 1.2, "walk": 1.15}
GARAGE_DAYS = ("2025-02-10", "2025-02-11", "2025-02-12")  # the car is serviced: bus to work


def timeline(rng: np.random.Generator) -> dict:
    """Three months of Yanis's on-device timeline."""
    # Yanis's speeds and detours, 4 minutes' wait for the bus, 4 points per path
    day_builder = Timeline(rng, TZ, speeds=SPEED_KMH, detours=DETOUR, wait_min={"bus": 4}, path_points=4)
    segments = day_builder.segments
    days = pd.date_range("2025-01-01", "2025-04-01", freq="D", inclusive="left", tz=TZ)
    cursor = days[0]
    holidays = set(pd.date_range("2025-02-24", "2025-02-28", tz=TZ))
    public = {pd.Timestamp("2025-01-01", tz=TZ)}

    def minutes(lo: int, hi: int) -> pd.Timedelta:
        return pd.Timedelta(minutes=int(rng.integers(lo, hi)))

    for day in days:
        if day.day_of_week < 5 and day not in holidays and day not in public:
            mode = "bus" if day.strftime("%Y-%m-%d") in GARAGE_DAYS else "car"
            leave = day + pd.Timedelta(hours=7, minutes=40) + minutes(0, 25)
            day_builder.visit(HOME, cursor, leave)
            arrive = day_builder.trip(HOME, WORK, leave, mode)
            back = day + pd.Timedelta(hours=17, minutes=10) + minutes(0, 50)
            day_builder.visit(WORK, arrive, back)
            home = day_builder.trip(WORK, HOME, back, mode)
            cursor = home
            if mode == "car" and day.day_of_week in (1, 3):  # the gym, 1.6 km, by car
                go = home + minutes(40, 70)
                day_builder.visit(HOME, cursor, go)
                there = day_builder.trip(HOME, PLACES["gym"], go, "car")
                leave_gym = there + minutes(55, 80)
                day_builder.visit(PLACES["gym"], there, leave_gym)
                cursor = day_builder.trip(PLACES["gym"], HOME, leave_gym, "car")
        elif day.day_of_week == 5:
            go = day + pd.Timedelta(hours=9, minutes=30) + minutes(0, 40)
            day_builder.visit(HOME, cursor, go)
            bakery = day_builder.trip(HOME, PLACES["bakery"], go, "car")  # 600 m, by car
            out = bakery + minutes(5, 12)
            day_builder.visit(PLACES["bakery"], bakery, out)
            shop = day_builder.trip(PLACES["bakery"], PLACES["beaulieu"], out, "car")
            done = shop + minutes(45, 90)
            day_builder.visit(PLACES["beaulieu"], shop, done)
            cursor = day_builder.trip(PLACES["beaulieu"], HOME, done, "car")
            if day.strftime("%Y-%m-%d") == "2025-03-15":  # the bike ride of the GPX file
                ride = day + pd.Timedelta(hours=14, minutes=30)
                day_builder.visit(HOME, cursor, ride)
                port = day_builder.trip(HOME, PLACES["vieux_port"], ride, "bike")
                day_builder.visit(PLACES["vieux_port"], port, port + pd.Timedelta(minutes=40))
                cursor = day_builder.trip(PLACES["vieux_port"], HOME, port + pd.Timedelta(minutes=40), "bike")
        elif day.day_of_week == 6 and day.day % 2 == 0:
            go = day + pd.Timedelta(hours=15) + minutes(0, 30)
            day_builder.visit(HOME, cursor, go)
            beach = day_builder.trip(HOME, PLACES["minimes"], go, "car")
            walk_end = beach + minutes(50, 100)
            day_builder.visit(PLACES["minimes"], beach, walk_end)
            cursor = day_builder.trip(PLACES["minimes"], HOME, walk_end, "car")
    day_builder.visit(HOME, cursor, days[-1] + pd.Timedelta(hours=23, minutes=59))
    raw = [
        {
            "position": {
                "LatLng": _latlng(HOME["lat"] + rng.normal(0, 0.0001), HOME["lon"] + rng.normal(0, 0.0001)),
                "accuracyMeters": int(rng.integers(8, 30)),
                "altitudeMeters": 12.0,
                "source": "WIFI",
                "timestamp": (days[0] + pd.Timedelta(hours=h))
                .tz_convert("UTC")
                .strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            }
        }
        for h in (1, 2, 3)
    ]
    profile = {
        "frequentPlaces": [
            {"placeId": HOME["id"], "placeLocation": _latlng(HOME["lat"], HOME["lon"]), "label": "HOME"},
            {"placeId": WORK["id"], "placeLocation": _latlng(WORK["lat"], WORK["lon"]), "label": "WORK"},
        ],
        "persona": {"travelModeAffinities": [{"mode": "DRIVING", "affinity": 0.9}]},
    }
    return {"semanticSegments": segments, "rawSignals": raw, "userLocationProfile": profile}


def bank_statement(rng: np.random.Generator) -> list[tuple[pd.Timestamp, str, float]]:
    """(date, label, signed amount) for January–March 2025."""
    ops: list[tuple[pd.Timestamp, str, float]] = []
    for month in (1, 2, 3):
        first = pd.Timestamp(2025, month, 1)
        ops += [
            (first + pd.Timedelta(days=1), "VIREMENT SALAIRE SAS ATLANTIQUE COMPOSITES", 2240.00),
            (first + pd.Timedelta(days=4), "PRLV SEPA LOYER IMMOBILIERE ATLANTIQUE", -720.00),
            (first + pd.Timedelta(days=5), "PRLV SEPA MAIF ASSURANCE AUTO VEHICULE", -48.60),
            (first + pd.Timedelta(days=6), "PRLV SEPA EDF clients particuliers", -61.00),
            (first + pd.Timedelta(days=9), "PRLV SEPA SFR MOBILE", -19.99),
            (first + pd.Timedelta(days=12), "PRLV SEPA EAU 17 RESEAU", -22.40),
        ]
        for week in range(4):
            day = first + pd.Timedelta(days=2 + 7 * week + int(rng.integers(0, 3)))
            litres = float(rng.uniform(28, 40))
            station = ["CARTE X4412 TOTALENERGIES PUILBOREAU", "CARTE X4412 LECLERC STATION ANGOULINS"][
                week % 2
            ]
            ops.append((day, f"{station} {day:%d/%m}", -round(litres * 1.78, 2)))
            shop = first + pd.Timedelta(days=5 + 7 * week)
            ops.append(
                (shop, f"CARTE X4412 LECLERC BEAULIEU {shop:%d/%m}", -round(float(rng.uniform(55, 110)), 2))
            )
        ops.append(
            (
                first + pd.Timedelta(days=15),
                f"CARTE X4412 PARKING VIEUX PORT LA ROCHELLE {first + pd.Timedelta(days=15):%d/%m}",
                -6.40,
            )
        )
        if month == 1:
            ops.append((pd.Timestamp("2025-01-18"), "CARTE X4412 VINCI AUTOROUTES A10 18/01", -9.80))
            ops.append((pd.Timestamp("2025-01-18"), "CARTE X4412 VINCI AUTOROUTES A10 19/01", -9.80))
        if month == 2:
            ops.append(
                (pd.Timestamp("2025-02-10"), "CARTE X4412 YELO AGGLO LA ROCHELLE CARNET 10 VOYAGES", -14.00)
            )
            ops.append((pd.Timestamp("2025-02-12"), "CARTE X4412 NORAUTO PERIGNY REVISION", -189.90))
    return sorted(ops, key=lambda o: o[0])


def write_credit_agricole_csv(path: Path, ops: list[tuple[pd.Timestamp, str, float]]) -> None:
    """Crédit Agricole layout: preamble, ``Date;Libellé;Débit euros;Crédit euros;``, cp1252."""

    def money(x: float) -> str:
        return f"{abs(x):,.2f}".replace(",", " ").replace(".", ",")

    balance = 1850.0 + sum(o[2] for o in ops)
    lines = [
        "Téléchargement du 01/04/2025;",
        "",
        "Compte de Dépôt carte n° xxxx4412;",
        f"Solde au 31/03/2025 {money(balance)} €",
        "",
        "Date;Libellé;Débit euros;Crédit euros;",
    ]
    for day, label, amount in reversed(ops):  # newest first, as the bank writes it
        debit, credit = (money(amount), "") if amount < 0 else ("", money(amount))
        lines.append(f'{day:%d/%m/%Y};"{label}";{debit};{credit};')
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def write_ride_gpx(path: Path, rng: np.random.Generator) -> None:
    """The Saturday ride Puilboreau → Vieux-Port → Puilboreau, one point every 10 s."""
    a, b = HOME, PLACES["vieux_port"]
    start = pd.Timestamp("2025-03-15 14:30", tz=TZ).tz_convert("UTC")
    pts = []
    for leg, (p, q) in enumerate(((a, b), (b, a))):
        n = 120
        t0 = start + pd.Timedelta(minutes=0 if leg == 0 else 75)
        for k in range(n + 1):
            f = k / n
            bend = 0.004 * math.sin(math.pi * f)
            lat = p["lat"] + (q["lat"] - p["lat"]) * f + bend + rng.normal(0, 0.00003)
            lon = p["lon"] + (q["lon"] - p["lon"]) * f + rng.normal(0, 0.00003)
            pts.append(
                f'      <trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>{8 + 4 * math.sin(3 * f):.1f}</ele>'
                f"<time>{(t0 + pd.Timedelta(seconds=10 * k)):%Y-%m-%dT%H:%M:%SZ}</time></trkpt>"
            )
        if leg == 0:
            pts.append("    </trkseg>\n    <trkseg>")
    body = "\n".join(pts)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="OpenTracks" xmlns="http://www.topografix.com/GPX/1/1">\n'
        "  <metadata><name>Sortie vélo Vieux-Port</name></metadata>\n"
        "  <trk>\n    <name>Sortie vélo</name>\n    <type>cycling</type>\n    <trkseg>\n"
        f"{body}\n    </trkseg>\n  </trk>\n</gpx>\n",
        encoding="utf-8",
    )


def build_yanis(folder: Path) -> list[Path]:
    """Write Yanis's exports into ``folder``."""
    rng = np.random.default_rng(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    tl = folder / "Timeline.json"
    tl.write_text(json.dumps(timeline(rng), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    bank = folder / "releve_compte_credit_agricole.csv"
    write_credit_agricole_csv(bank, bank_statement(rng))
    gpx = folder / "sortie_velo_2025-03-15.gpx"
    write_ride_gpx(gpx, rng)
    readme = folder / "README.md"
    readme.write_text(
        "# Yanis (Puilboreau, La Rochelle agglomeration) — fictional persona\n\n"
        f"Generated by `selfdata samples build` (`selfdata_lib/samples/personas/yanis.py`, seed {SEED}). "
        "Fictional: home and work are public places, the card number is masked and made up.\n\n"
        "A car commuter: home near Puilboreau town hall, work in the Périgny business park (about 4 km). "
        "Drives to work most days, goes to the gym (1.6 km) by car on Tuesdays and Thursdays, shops on "
        "Saturdays (bakery 600 m away, then Beaulieu), goes to the Minimes beach some Sundays; took the "
        "Yélo bus on 10–12 February while the car was serviced; one bike ride on 15 March.\n\n"
        "- `Timeline.json`: Google Maps on-device timeline (Android), January–March 2025.\n"
        "- `releve_compte_credit_agricole.csv`: Crédit Agricole CSV statement, January–March 2025.\n"
        "- `sortie_velo_2025-03-15.gpx`: the 15 March bike ride (two track segments).\n",
        encoding="utf-8",
    )
    return [tl, bank, gpx, readme, *write_requests_log(folder, "yanis")]
