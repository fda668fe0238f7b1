"""Camille — Lyon, a cyclist-commuter living with a partner in a flat of the 7th arrondissement.

Home near place Jean Macé, work near the Part-Dieu station, Vélo'v every weekday. Exports:

- ``enedis_courbe_de_charge.csv`` — Linky load curve, 2025, 30-minute steps (Enedis CSV), with a
  few missing readings, holidays in August and at Christmas, modest electric heating;
- ``Semantic Location History/2025/2025_MARCH.json`` — Google Takeout Semantic Location History
  for March 2025: HOME and WORK visits, bike commutes, weekend outings;
- ``eau_du_grand_lyon_2025.json`` — Eau du Grand Lyon daily water export for 2025 (two people), with
  the same holidays, a few days without a reading, and a running toilet from 8 September to
  19 October (about 110 litres a day more) until it was repaired.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NotRequired, TypedDict

import numpy as np
import pandas as pd

from selfdata_lib.geo import haversine_m
from selfdata_lib.samples.personas._energy import write_enedis_load_curve_csv
from selfdata_lib.samples.personas._requests import write_requests_log
from selfdata_lib.synth.households import flat_load_curve, simulate_household

SEED = 20250107


class Place(TypedDict):
    """A place of the persona's timeline (``semanticType`` for HOME and WORK only)."""

    lat: float
    lon: float
    name: str
    address: str
    semanticType: NotRequired[str]


HOME: Place = {
    "lat": 45.74571,
    "lon": 4.84252,
    "name": "Domicile",
    "address": "Place Jean Macé, 69007 Lyon",
    "semanticType": "TYPE_HOME",
}
WORK: Place = {
    "lat": 45.76055,
    "lon": 4.85946,
    "name": "Bureau",
    "address": "Boulevard Vivier-Merle, 69003 Lyon",
    "semanticType": "TYPE_WORK",
}
OUTINGS: list[Place] = [
    {"lat": 45.77722, "lon": 4.85528, "name": "Parc de la Tête d'Or", "address": "69006 Lyon"},
    {
        "lat": 45.76276,
        "lon": 4.82743,
        "name": "Marché Saint-Antoine",
        "address": "Quai Saint-Antoine, 69002 Lyon",
    },
    {
        "lat": 45.73065,
        "lon": 4.81744,
        "name": "Musée des Confluences",
        "address": "86 quai Perrache, 69002 Lyon",
    },
]
PRM = "00000000000042"  # fictional
HOLIDAYS = [("2025-08-02", "2025-08-17"), ("2025-12-24", "2025-12-31")]
OCCUPANTS = 2
LEAK = ("2025-09-08", "2025-10-19", 110.0)  # a running toilet, repaired on 20 October
WATER_METER = "LYO-0000042"  # fictional poste id


def _e7(x: float) -> int:
    return round(x * 1e7)


def _iso(ts: pd.Timestamp) -> str:
    return ts.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def _visit(place: Place, start: pd.Timestamp, end: pd.Timestamp, place_id: str) -> dict:
    loc = {
        "latitudeE7": _e7(place["lat"]),
        "longitudeE7": _e7(place["lon"]),
        "placeId": place_id,
        "address": place["address"],
        "name": place["name"],
        "sourceInfo": {"deviceTag": 1234567},
        "locationConfidence": 91.2,
    }
    if place.get("semanticType"):
        loc["semanticType"] = place["semanticType"]
    return {
        "placeVisit": {
            "location": loc,
            "duration": {"startTimestamp": _iso(start), "endTimestamp": _iso(end)},
            "placeConfidence": "HIGH_CONFIDENCE",
            "visitConfidence": 95,
            "editConfirmationStatus": "NOT_CONFIRMED",
        }
    }


def _segment(
    a: Place, b: Place, start: pd.Timestamp, end: pd.Timestamp, mode: str, rng: np.random.Generator
) -> dict:
    dist = haversine_m(a["lat"], a["lon"], b["lat"], b["lon"]) * rng.uniform(1.2, 1.35)
    others = [m for m in ("WALKING", "CYCLING", "IN_PASSENGER_VEHICLE", "IN_BUS") if m != mode]
    probs = [0.91, 0.05, 0.03, 0.01]
    mid = {
        "latE7": _e7((a["lat"] + b["lat"]) / 2 + rng.normal(0, 0.0008)),
        "lngE7": _e7((a["lon"] + b["lon"]) / 2 + rng.normal(0, 0.0008)),
    }
    return {
        "activitySegment": {
            "startLocation": {"latitudeE7": _e7(a["lat"]), "longitudeE7": _e7(a["lon"])},
            "endLocation": {"latitudeE7": _e7(b["lat"]), "longitudeE7": _e7(b["lon"])},
            "duration": {"startTimestamp": _iso(start), "endTimestamp": _iso(end)},
            "distance": round(dist),
            "activityType": mode,
            "confidence": "HIGH",
            "activities": [
                {"activityType": m, "probability": p} for m, p in zip([mode, *others], probs, strict=True)
            ],
            "waypointPath": {
                "waypoints": [
                    {"latE7": _e7(a["lat"]), "lngE7": _e7(a["lon"])},
                    mid,
                    {"latE7": _e7(b["lat"]), "lngE7": _e7(b["lon"])},
                ],
                "source": "INFERRED",
                "distanceMeters": round(dist, 1),
            },
            "editConfirmationStatus": "NOT_CONFIRMED",
        }
    }


def semantic_month(year: int, month: int, rng: np.random.Generator) -> dict:
    """One month of Camille's Semantic Location History."""
    tz = "Europe/Paris"
    objects = []
    days = pd.date_range(
        f"{year}-{month:02d}-01", periods=pd.Period(f"{year}-{month:02d}").days_in_month, freq="D", tz=tz
    )
    cursor = days[0]
    for day in days:
        if day.day_of_week < 5:
            leave = day + pd.Timedelta(hours=8, minutes=int(rng.integers(5, 35)))
            ride = pd.Timedelta(minutes=int(rng.integers(11, 17)))
            back = day + pd.Timedelta(hours=17, minutes=int(rng.integers(30, 75)))
            objects.append(_visit(HOME, cursor, leave, "home-camille"))
            objects.append(_segment(HOME, WORK, leave, leave + ride, "CYCLING", rng))
            objects.append(_visit(WORK, leave + ride, back, "work-camille"))
            objects.append(_segment(WORK, HOME, back, back + ride + pd.Timedelta(minutes=2), "CYCLING", rng))
            cursor = back + ride + pd.Timedelta(minutes=2)
        elif day.day_of_week == 5:
            place = OUTINGS[int(rng.integers(len(OUTINGS)))]
            go = day + pd.Timedelta(hours=10, minutes=int(rng.integers(0, 50)))
            walk = pd.Timedelta(minutes=int(rng.integers(18, 35)))
            stay = pd.Timedelta(minutes=int(rng.integers(70, 160)))
            objects.append(_visit(HOME, cursor, go, "home-camille"))
            objects.append(_segment(HOME, place, go, go + walk, "WALKING", rng))
            objects.append(_visit(place, go + walk, go + walk + stay, f"place-{place['name'][:6]}"))
            objects.append(_segment(place, HOME, go + walk + stay, go + 2 * walk + stay, "WALKING", rng))
            cursor = go + 2 * walk + stay
    objects.append(_visit(HOME, cursor, days[-1] + pd.Timedelta(hours=23, minutes=59), "home-camille"))
    return {"timelineObjects": objects}


def build_camille(folder: Path) -> list[Path]:
    """Write Camille's exports into ``folder``."""
    rng = np.random.default_rng(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    curve = flat_load_curve(
        "2025-01-01",
        "2026-01-01",
        step_min=30,
        baseload_w=165,
        occupants=2,
        heating_w_per_degree=55,
        holidays=HOLIDAYS,
        seed=SEED,
    )
    missing = np.zeros(len(curve), dtype=bool)
    for start in rng.integers(0, len(curve) - 12, 4):  # a few meter outages of a few hours
        missing[start : start + int(rng.integers(2, 12))] = True
    missing[rng.integers(0, len(curve), 10)] = True  # isolated missing readings
    elec = folder / "enedis_courbe_de_charge.csv"
    write_enedis_load_curve_csv(
        elec, curve, prm=PRM, missing=missing, first_day="01/01/2025", last_day="01/01/2026"
    )
    loc_dir = folder / "Semantic Location History" / "2025"
    loc_dir.mkdir(parents=True, exist_ok=True)
    semantic = loc_dir / "2025_MARCH.json"
    semantic.write_text(
        json.dumps(semantic_month(2025, 3, rng), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    water = folder / "eau_du_grand_lyon_2025.json"
    write_eau_grand_lyon_json(
        water,
        simulate_household(
            "2025-01-01",
            "2026-01-01",
            occupants=OCCUPANTS,
            litres_per_person=118,
            holidays=HOLIDAYS,
            leak=LEAK,
            seed=SEED + 1,
        ),
        meter=WATER_METER,
        rng=rng,
    )
    readme = folder / "README.md"
    readme.write_text(
        "# Camille (Lyon 7e) — fictional persona\n\n"
        "Generated by `selfdata samples build` (`selfdata_lib/samples/personas/camille.py`, seed "
        f"{SEED}). Fictional: the places are public landmarks, the meter id is made up.\n\n"
        "- `enedis_courbe_de_charge.csv`: Linky load curve 2025, 30 min, Enedis CSV layout; a few "
        "missing readings; holidays 2–17 August and 24–31 December.\n"
        "- `Semantic Location History/2025/2025_MARCH.json`: Google Takeout Semantic Location History, "
        "March 2025: home (place Jean Macé), work (Part-Dieu), bike commutes, Saturday outings.\n"
        "- `eau_du_grand_lyon_2025.json`: Eau du Grand Lyon daily water export, 2025, two occupants; "
        "same holidays; a running toilet from 8 September to 19 October 2025 (about 110 l/day); "
        "a few days without a reading.\n",
        encoding="utf-8",
    )
    return [elec, semantic, water, readme, *write_requests_log(folder, "camille")]


def write_eau_grand_lyon_json(
    path: Path, daily: pd.DataFrame, *, meter: str, rng: np.random.Generator
) -> None:
    """Write daily litres as the Eau du Grand Lyon export: ``postes[].data[]`` with 0-based ``mois``,
    values in m3, a handful of days without a reading (``valeur`` null).
    """
    missing = set(rng.choice(len(daily), 5, replace=False).tolist())
    data = [
        {
            "annee": int(d.year),
            "mois": int(d.month) - 1,
            "jour": int(d.day),
            "valeur": None if i in missing else round(float(v) / 1000, 3),
        }
        for i, (d, v) in enumerate(zip(daily["day"], daily["litres"], strict=True))
    ]
    doc = {"postes": [{"id": meter, "libelle": "Compteur principal", "unite": "m3", "data": data}]}
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
