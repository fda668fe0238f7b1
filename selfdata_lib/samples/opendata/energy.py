"""Energy samples: regulated tariffs, Tempo days, the persona world's weather, IRIS references,
monthly irradiation, solar subsidies — written from public facts (dated, sourced) or from synth.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypedDict, cast

import numpy as np
import pandas as pd

from selfdata_lib import settings
from selfdata_lib.opendata.energy import (
    _REF_COLUMNS,
    ENEDIS_IRIS_DATASET,
    TEMPO_CODES,
    daily_mean_temperature,
    read_weather,
)
from selfdata_lib.samples.opendata._write import write_sample
from selfdata_lib.synth.tempo import synthetic_tempo_season
from selfdata_lib.synth.weather import daily_temperature, weather_2024


class RegulatedTariffs(TypedDict):
    """Regulated tariffs TTC of one period: fixed parts per subscribed kVA, energy prices, source."""

    effective: str
    subscriptions: dict[int, tuple[float, float | None, float | None]]
    base: float
    hp: float
    hc: float
    tempo: dict[str, tuple[float, float]]
    source: str


#: Regulated tariffs TTC in force from 1 February 2025 (CRE deliberation of 15 January 2025), as the
#: project transcribed them: ``{kVA: (Base €/month, HP/HC €/month, Tempo €/month)}`` and €/kWh.
TRV_2025_02: RegulatedTariffs = {
    "effective": "01/02/2025",
    "subscriptions": {
        3: (11.73, None, None),
        6: (15.47, 15.74, 15.50),
        9: (19.39, 19.81, 19.49),
        12: (23.32, 23.76, 23.38),
        15: (27.06, 27.49, 27.01),
        18: (30.76, 31.34, 30.79),
        24: (38.79, 39.47, None),
        30: (46.44, 47.02, 46.31),
        36: (54.29, 54.61, 54.43),
    },
    "base": 0.2016,
    "hp": 0.2146,
    "hc": 0.1696,
    "tempo": {"Bleu": (0.1552, 0.1288), "Blanc": (0.1792, 0.1447), "Rouge": (0.6586, 0.1518)},
    "source": "CRE, délibération n° 2025-08 du 15 janvier 2025 (TRVE au 1er février 2025), grille Tarif Bleu "
    "EDF ; valeurs TTC recopiées par le projet — à vérifier avec `selfdata data fetch regulated-tariffs`",
}


def _fr(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".").replace(".", ",")


def build_tariffs_sample(folder: Path) -> list[Path]:
    """The February 2025 regulated tariffs in the CRE/data.gouv CSV layout (one file per option)."""
    t = TRV_2025_02
    files = {}
    head = "DATE_DEBUT;DATE_FIN;P_SOUSCRITE;PART_FIXE_HT;PART_FIXE_TTC;"
    rows = {
        "base": [head + "PART_VARIABLE_HT;PART_VARIABLE_TTC"],
        "hphc": [head + "PART_VARIABLE_HC_HT;PART_VARIABLE_HC_TTC;PART_VARIABLE_HP_HT;PART_VARIABLE_HP_TTC"],
        "tempo": [
            head
            + ";".join(
                f"PART_VARIABLE_{p}{c}_HT;PART_VARIABLE_{p}{c}_TTC"
                for c in ("Bleu", "Blanc", "Rouge")
                for p in ("HC", "HP")
            )
        ],
    }
    for kva, subs in t["subscriptions"].items():
        for option, monthly in zip(("base", "hphc", "tempo"), subs, strict=True):
            if monthly is None:
                continue
            fixed = f"{t['effective']};;{kva};;{_fr(monthly * 12)};"
            if option == "base":
                rows[option].append(fixed + f";{_fr(t['base'])}")
            elif option == "hphc":
                rows[option].append(fixed + f";{_fr(t['hc'])};;{_fr(t['hp'])}")
            else:
                rows[option].append(
                    fixed
                    + ";".join(
                        f";{_fr(t['tempo'][c][1 if p == 'HC' else 0])}"
                        for c in ("Bleu", "Blanc", "Rouge")
                        for p in ("HC", "HP")
                    )
                )
    for option, lines in rows.items():
        files[f"option_{option}.csv"] = "\n".join(lines) + "\n"
    return write_sample(
        folder,
        files,
        retrieved="2025-02-01",
        note="regulated tariffs of 1 February 2025 transcribed by the project",
        readme=(
            "# regulated-tariffs — project sample (February 2025 tariffs, transcribed)\n\n"
            "Written by `selfdata samples build` (`selfdata_lib/samples/opendata/energy.py`), in the layout of the CRE "
            "history files on data.gouv.fr (`DATE_DEBUT;DATE_FIN;P_SOUSCRITE;PART_FIXE_HT;PART_FIXE_TTC;…`, "
            "`;` separator, decimal comma, fixed part in € per year TTC). Only the period starting "
            "1 February 2025 is here, and only the TTC columns are filled.\n\n"
            f"Source: {t['source']}.\n\n"
            "The full history (every period since 2009, HT and TTC): `selfdata data fetch regulated-tariffs`.\n"
        ),
    )


def build_tempo_sample(folder: Path) -> list[Path]:
    """A rule-abiding synthetic Tempo calendar for the seasons 2023-2024 and 2024-2025, red and white
    days on the coldest days of the persona's weather (2024) and of the generic model (other months).
    """
    days = pd.date_range("2023-09-01", "2025-08-31", freq="D")
    temp = pd.Series(
        daily_temperature(days + pd.Timedelta(hours=12), rng=np.random.default_rng(7)), index=days
    )
    weather = read_weather(
        next((settings.opendata_samples_folder / "nantes-weather").glob("open-meteo*.json"))
    )
    persona = daily_mean_temperature(weather)
    temp.update(persona[persona.index.isin(days)])
    cal = synthetic_tempo_season(temp)
    code = {v: k for k, v in TEMPO_CODES.items()}
    items = [
        {
            "dateJour": d.strftime("%Y-%m-%d"),
            "codeJour": code[c],
            "periode": f"{d.year - (d.month < 9)}-{d.year - (d.month < 9) + 1}",
        }
        for d, c in zip(cal["day"], cal["colour"], strict=True)
    ]
    return write_sample(
        folder,
        {"joursTempo_sample.json": json.dumps(items, separators=(",", ":")) + "\n"},
        note="synthetic Tempo calendar following the rules",
        readme=(
            "# tempo-days — project sample (synthetic calendar)\n\n"
            "Written by `selfdata samples build`. **Not the real colours**: for the seasons 2023-2024 and "
            "2024-2025, 22 red days (weekdays, 1 November – 31 March) and 43 white days (not Sundays) placed on "
            "the coldest days of the sample weather, the others blue — the rules of the Tempo option, in the "
            "layout of api-couleur-tempo.fr (`dateJour`, `codeJour` 1/2/3, `periode`). Real colours: "
            "`selfdata data fetch tempo-days`.\n"
        ),
    )


def build_nantes_weather_sample(folder: Path) -> list[Path]:
    """The weather of the Morel persona's world: hourly 2024 temperatures at Nantes, generated by the same
    model and seed that drove the persona's heating, written as an Open-Meteo archive JSON.
    """
    world = weather_2024()
    utc = cast(pd.DatetimeIndex, world.index).tz_convert("UTC")
    year = (utc >= pd.Timestamp("2024-01-01", tz="UTC")) & (utc < pd.Timestamp("2025-01-01", tz="UTC"))
    keep = (utc.minute == 0) & year
    hourly = pd.Series(world.to_numpy(), index=utc)[keep]
    doc = {
        "latitude": 47.22,
        "longitude": -1.52,
        "generationtime_ms": 0.0,
        "utc_offset_seconds": 0,
        "timezone": "GMT",
        "timezone_abbreviation": "GMT",
        "elevation": 20.0,
        "hourly_units": {"time": "iso8601", "temperature_2m": "°C"},
        "hourly": {
            "time": utc[keep].strftime("%Y-%m-%dT%H:%M").tolist(),
            "temperature_2m": [round(float(v), 1) for v in hourly.to_numpy()],
        },
    }
    return write_sample(
        folder,
        {"open-meteo_nantes_2024.json": json.dumps(doc, separators=(",", ":")) + "\n"},
        note="synthetic temperatures of the persona's world, Open-Meteo layout",
        readme=(
            "# nantes-weather — project sample (synthetic temperatures)\n\n"
            "Written by `selfdata samples build` (`selfdata_lib/samples/opendata/energy.py`). **Not observed "
            "weather**: hourly 2024 temperatures from the seasonal + daily + weather-noise model that also "
            "drove the Morel persona's heating (same seed), so the notebook finds the persona's heating "
            "sensitivity. Laid out as an Open-Meteo archive answer (`hourly.time` in GMT, "
            "`hourly.temperature_2m` in °C). Real temperatures: `selfdata data fetch nantes-weather` (2024 at "
            "Nantes), or `selfdata_lib.opendata.fetch_weather(lat, lon, start, end)` for any place and period.\n"
        ),
    )


#: Synthetic IRIS of the sample, by commune: (code, name, sites, mean MWh per site). Made-up figures of a
#: plausible size; codes made up in the real pattern (the commune's INSEE code and four digits).
_SAMPLE_IRIS = {
    ("44109", "Nantes"): [
        ("441090901", "Doulon Bourg (exemple)", 1850, 6.9),
        ("441090902", "Gohards (exemple)", 1620, 7.8),
        ("441090903", "Toutes-Aides (exemple)", 2410, 4.1),
        ("441090904", "Bottière (exemple)", 2080, 3.6),
        ("441090905", "Landreau (exemple)", 1460, 6.2),
        ("441090101", "Graslin (exemple)", 3150, 3.2),
    ],
    # Paris 11e: flats, mostly heated by collective gas or district heating — small means
    ("75111", "Paris 11e Arrondissement"): [
        ("751114101", "Folie-Méricourt 1 (exemple)", 2740, 2.3),
        ("751114201", "Saint-Ambroise 1 (exemple)", 2590, 2.2),
        ("751114301", "Roquette - Léon Blum (exemple)", 2380, 2.4),
        ("751114302", "Roquette - Charonne (exemple)", 2460, 2.1),
        ("751114401", "Sainte-Marguerite 1 (exemple)", 2650, 2.5),
    ],
    # Lyon 7e: flats, electric heating in part of them — means a little above Paris 11e (made up)
    ("69387", "Lyon 7e Arrondissement"): [
        ("693870101", "Guillotière - Saxe (exemple)", 2310, 2.6),
        ("693870201", "Jean Macé 1 (exemple)", 2480, 2.8),
        ("693870202", "Jean Macé 2 (exemple)", 2150, 3.0),
        ("693870301", "Université - Berthelot (exemple)", 1970, 2.7),
        ("693870501", "Gerland - Debourg (exemple)", 2630, 3.2),
    ],
}


def build_residential_reference_sample(folder: Path) -> list[Path]:
    """Write the residential-consumption-by-IRIS sample: one file per commune (as the live loader
    caches them), a few IRIS of Nantes, Paris 11e and Lyon 7e, in the Enedis column layout.
    """
    files = {}
    for (commune, commune_name), rows in _SAMPLE_IRIS.items():
        lines = [";".join(_REF_COLUMNS)]
        for code, name, sites, mean in rows:
            lines.append(f"2023;{code};{name};{commune};{commune_name};{sites};{sites * mean:.1f};{mean:.2f}")
        files[f"{ENEDIS_IRIS_DATASET}_{commune}.csv"] = "\n".join(lines) + "\n"
    return write_sample(
        folder,
        files,
        note="synthetic IRIS figures in the Enedis column layout",
        readme=(
            "# enedis-residential-iris — project sample (synthetic figures)\n\n"
            "Written by `selfdata samples build` (`selfdata_lib/samples/opendata/energy.py`). **Fictional** IRIS "
            "of three communes — six of Nantes (44109), five of Paris 11e (75111) and five of Lyon 7e (69387) "
            "— with codes made up in the "
            "real pattern, names of real neighbourhoods followed by « exemple », and made-up numbers of "
            "residential sites and mean consumption of a plausible size (2–8 MWh a year), in the column layout "
            f"of Enedis' open data `{ENEDIS_IRIS_DATASET}` (field names, `;`), one file per commune as the "
            'live loader caches them. The real figures of any French commune: `open_data = "live"` in the '
            "notebook (the Enedis API filtered on the commune), or `selfdata data fetch enedis-residential-iris` "
            "(Nantes).\n"
        ),
    )


#: Monthly global horizontal irradiation at Nantes (kWh/m²), rounded from PVGIS (JRC, SARAH-2 monthly
#: radiation, 2005–2020 average) as read by the project — to check with a live PVGIS request.
NANTES_MONTHLY_GHI = {
    1: 32,
    2: 50,
    3: 92,
    4: 135,
    5: 161,
    6: 171,
    7: 174,
    8: 153,
    9: 113,
    10: 70,
    11: 38,
    12: 29,
}


def build_solar_resource_sample(folder: Path) -> list[Path]:
    """Write the monthly irradiation sample at Nantes (rounded from PVGIS)."""
    lines = [
        "# Nantes (47.22 N, -1.55 E), global horizontal irradiation per month, kWh/m2",
        "month,ghi_kwh_m2",
    ] + [f"{m},{v}" for m, v in NANTES_MONTHLY_GHI.items()]
    return write_sample(
        folder,
        {"irradiation_mensuelle_nantes.csv": "\n".join(lines) + "\n"},
        retrieved="2026-11-22",
        note="monthly irradiation rounded from PVGIS",
        readme=(
            "# nantes-solar-resource — monthly irradiation at Nantes\n\n"
            "Written by `selfdata samples build`. Monthly global horizontal irradiation (kWh/m²) at Nantes, "
            f"rounded from PVGIS (JRC, SARAH-2, monthly radiation, 2005–2020 average): yearly total "
            f"{sum(NANTES_MONTHLY_GHI.values())} kWh/m². Values transcribed by the project — check them with "
            "a live PVGIS request (`selfdata_lib.opendata.fetch_pvgis_tmy`).\n"
        ),
    )


#: The project's table (transcribed, dated, to check): effective_from, effective_to, bracket_min_kwc,
#: bracket_max_kwc, prime €/kWc, surplus tariff €/kWh, source.
SOLAR_SUPPORT_ROWS = [
    (
        "2024-11-01",
        "2025-01-31",
        0,
        3,
        220,
        0.1269,
        "CRE, tarifs et primes du 4e trimestre 2024 (arrêté du 6 octobre 2021 dit S21), recopiés — à vérifier",
    ),
    (
        "2024-11-01",
        "2025-01-31",
        3,
        9,
        160,
        0.1269,
        "CRE, tarifs et primes du 4e trimestre 2024 (arrêté S21), recopiés — à vérifier",
    ),
    (
        "2025-03-28",
        "",
        0,
        9,
        80,
        0.04,
        "Arrêté du 26 mars 2025 modifiant l'arrêté S21 (prime et tarif du surplus ≤ 9 kWc), recopiés — à vérifier",
    ),
]

#: Installed cost of a residential rooftop system, TTC per kWc, by size (order of magnitude).
INSTALLATION_COSTS = [
    (
        0,
        3,
        2300,
        (
            "Ordre de grandeur des devis résidentiels 2024–2025 (photovoltaique.info / HESPUL, "
            "observatoire des prix) — à vérifier sur vos devis"
        ),
    ),
    (3, 9, 2000, "Idem, effet de taille"),
]


def build_solar_support_sample(folder: Path) -> list[Path]:
    """Write the solar support sample: subsidy and feed-in tariff brackets by period, and installation costs."""
    lines = [
        "# Self-consumption subsidy (prime, one-off, €/kWc) and surplus feed-in tariff (€/kWh) for",
        "# rooftop systems with surplus sale, by power bracket (min < P <= max) and effective dates.",
        "effective_from,effective_to,bracket_min_kwc,bracket_max_kwc,prime_eur_per_kwc,surplus_eur_per_kwh,source",
    ]
    lines += [f'{a},{b},{lo},{hi},{p},{s},"{src}"' for a, b, lo, hi, p, s, src in SOLAR_SUPPORT_ROWS]
    costs = [
        "# Installed cost TTC per kWc for residential rooftop systems (min < P <= max kWc)",
        "bracket_min_kwc,bracket_max_kwc,install_eur_per_kwc,source",
    ]
    costs += [f'{lo},{hi},{c},"{src}"' for lo, hi, c, src in INSTALLATION_COSTS]
    return write_sample(
        folder,
        {
            "primes_et_tarifs_autoconsommation.csv": "\n".join(lines) + "\n",
            "cout_installation_pv.csv": "\n".join(costs) + "\n",
        },
        retrieved="2025-04-01",
        note="subsidy and feed-in brackets transcribed by the project",
        readme=(
            "# solar-support — the project's table of subsidies, feed-in tariffs and costs\n\n"
            "Written by `selfdata samples build` (`selfdata_lib/samples/opendata/energy.py`). The self-consumption "
            "subsidy and the surplus feed-in tariff change every quarter (CRE) and were reformed in March "
            "2025; the values here are **transcribed by the project with their dates and sources, to check** "
            "before any decision (photovoltaique.info keeps the current grid). Installation costs are "
            "orders of magnitude: use your quotes. There is no machine-readable live source: put an updated "
            "copy of these two files in a folder `solar_support` under `SELFDATA_OPENDATA_PATH`.\n"
        ),
    )
