"""Open data for mobility, for any territory: emission factors per mode, transit stops (GTFS), fuel
prices, and the fare of the network.

A territory file (:mod:`selfdata_lib.territories`) says which dataset gives each kind here: ADEME Impact
CO2 factors and the national « prix des carburants » flux in France; elsewhere a documented European
source (the UK government's conversion factors as republished by Our World in Data) and the country's
own feed (Spain: the Ministry's « Precios de carburantes » REST service); the transit network's GTFS
``stops.txt`` (Yélo, Île-de-France Mobilités, TMB…) and its fare (``transit.fare_eur`` with its source).
``load_*(territory)`` returns ``None`` when the territory describes nothing of that kind: the analysis
then says what is missing and where to get it (``Territory.missing``).

Each dataset follows the catalogue's search order (cache → snapshots → the project's samples → live
only when asked). The project's samples are written by :func:`build_*` functions, from public figures
with their source and date, never copied from a snapshot.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, overload

import pandas as pd

from selfdata_lib import territories
from selfdata_lib.errors import ExportFormatError
from selfdata_lib.geo import haversine_m
from selfdata_lib.opendata._catalog import Dataset, load, register

# --- Emission factors ---------------------------------------------------------------------------------

#: The project's table: kg CO2e per passenger-km, with the Impact CO2 id and slug of each mode.
#: Values as published by ADEME Impact CO2 (``src/data/categories/deplacement.json``, sum of the life
#: cycle stages), checked against the snapshot of 2026-07-01; walking and cycling count zero.
IMPACTCO2_TRANSPORT = [
    # id, slug, name, kg CO2e per km, our mode
    (4, "voiturethermique", "Voiture thermique", 0.2176, "car"),
    (5, "voitureelectrique", "Voiture électrique", 0.1034, "car_electric"),
    (9, "busthermique", "Bus thermique", 0.12242, "bus"),
    (16, "buselectrique", "Bus électrique", 0.0217, "bus_electric"),
    (10, "tramway", "Tramway", 0.00428, "tram"),
    (11, "metro", "Métro", 0.00444, "metro"),
    (15, "ter", "TER", 0.02769, "train"),
    (2, "tgv", "TGV", 0.00293, "tgv"),
    (6, "autocar", "Autocar", 0.03756, "coach"),
    (12, "scooter", "Scooter ou moto légère", 0.0763, "scooter"),
    (13, "moto", "Moto", 0.2167, "motorbike"),
    (8, "veloelectrique", "Vélo à assistance électrique", 0.01095, "ebike"),
    (7, "velo", "Vélo ou marche", 0.0, "bike"),
]
IMPACTCO2_SOURCE = (
    "ADEME, Impact CO2 (impactco2.fr), facteurs « déplacement » issus de la Base Empreinte, "
    "par personne et par km, cycle de vie complet ; relevés le 2026-07-01"
)
_MODE_OF_SLUG = {slug: mode for _, slug, _, _, mode in IMPACTCO2_TRANSPORT}


def _read_impactco2(files: list[Path]) -> pd.DataFrame:
    """Impact CO2 ``deplacement.json`` (real or the project's): one row per mode with its total factor."""
    try:
        items = json.loads(files[0].read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        msg = f"{files[0].name}: not valid JSON ({exc})"
        raise ExportFormatError(msg) from exc
    rows = []
    for item in items:
        if "ecv" in item:
            factor = sum(float(e["value"]) for e in item["ecv"])
        elif item.get("slug") == "velo":
            factor = 0.0
        else:
            continue  # distance-dependent variants (plane): not a daily-mobility mode
        mode = _MODE_OF_SLUG.get(item.get("slug"))
        if mode is None:
            continue
        rows.append(
            {
                "mode": mode,
                "impactco2_id": int(item["id"]),
                "slug": item["slug"],
                "name": item.get("name", item["slug"]),
                "kgco2e_per_km": factor,
                "source": item.get("source", ""),
            }
        )
    frame = pd.DataFrame(rows).drop_duplicates("mode", keep="first")  # one factor per mode
    walk = frame[frame["mode"] == "bike"].assign(mode="walk", name="Marche")
    return pd.concat([frame, walk], ignore_index=True)


register(
    Dataset(
        name="ademe-transport-factors",
        title="Facteurs d'émission des déplacements (ADEME Impact CO2)",
        territory="France",
        source="ADEME — Impact CO2 / Base Empreinte",
        url="https://impactco2.fr/outils/transport",
        licence="Licence Ouverte / Etalab 2.0 (données ADEME)",
        files=("deplacement.json",),
        snapshot_dirs=("ademe_impactco2/categories",),
        live={
            "deplacement.json": "https://raw.githubusercontent.com/incubateur-ademe/impactco2/main/"
            "src/data/categories/deplacement.json"
        },
        read=_read_impactco2,
        description="kg CO2e per passenger-km for car, bus, tram, train, bike… (life cycle).",
    )
)


#: The travel modes of Our World in Data's « carbon-footprint-travel-mode » (the UK government's
#: greenhouse-gas conversion factors, BEIS 2019, data year 2018) → our modes, with a French name and a
#: note on how far the factor carries to another country. Cars are per vehicle-km with one person on
#: board; public transport per passenger-km. Walking and cycling count zero, as in Impact CO2.
OWID_TRAVEL_MODES: dict[str, tuple[str, str, str]] = {
    # entity: (our mode, French name, note)
    "Medium car (diesel)": ("car", "Voiture moyenne (diesel), une personne à bord", ""),
    "Bus": ("bus", "Bus (moyenne des bus urbains britanniques)", ""),
    "London Underground": (
        "metro",
        "Métro (London Underground)",
        "électricité britannique de 2018 : à vérifier pour un réseau alimenté par un autre mix",
    ),
    "Light rail and tram": (
        "tram",
        "Tramway et métro léger",
        "électricité britannique de 2018 : à vérifier pour un réseau alimenté par un autre mix",
    ),
    "National rail": (
        "train",
        "Train (réseau national britannique)",
        "électricité et diesel britanniques de 2018 : à vérifier pour un autre réseau ferré",
    ),
    "Coach": ("coach", "Autocar", ""),
}
OWID_TRAVEL_SOURCE = (
    "UK BEIS, Greenhouse gas reporting: conversion factors 2019 (année 2018), publiés par Our World in "
    "Data (« Carbon footprint of travel per kilometer », carbon-footprint-travel-mode)"
)
OWID_COLUMN = "GHG emissions (gCO2e/km)"


def _read_owid_travel(files: list[Path]) -> pd.DataFrame:
    """Our World in Data's grapher CSV ``Entity,Code,Year,GHG emissions (gCO2e/km)``: one row per mode."""
    frame = pd.read_csv(files[0])
    missing = {"Entity", "Year", OWID_COLUMN} - set(frame.columns)
    if missing:
        msg = (
            f"{files[0].name}: not Our World in Data's carbon-footprint-travel-mode CSV "
            f"(missing {sorted(missing)}; expected Entity,Code,Year,{OWID_COLUMN})"
        )
        raise ExportFormatError(msg)
    latest = frame.sort_values("Year").drop_duplicates("Entity", keep="last")
    rows = []
    for entity, (mode, name, note) in OWID_TRAVEL_MODES.items():
        found = latest[latest["Entity"] == entity]
        if found.empty:
            continue
        row = found.iloc[0]
        rows.append(
            {
                "mode": mode,
                "name": name,
                "kgco2e_per_km": float(row[OWID_COLUMN]) / 1000,
                "source": f"{OWID_TRAVEL_SOURCE} — « {entity} », {int(row['Year'])}",
                "note": note,
            }
        )
    for mode, name in (("bike", "Vélo"), ("walk", "Marche")):
        rows.append(
            {
                "mode": mode,
                "name": name,
                "kgco2e_per_km": 0.0,
                "source": "convention du projet (comme Impact CO2) : zéro émission directe",
                "note": "",
            }
        )
    return pd.DataFrame(rows)


register(
    Dataset(
        name="owid-travel-factors",
        title="Facteurs d'émission des déplacements (gouvernement britannique, via Our World in Data)",
        territory="Europe",
        source="UK BEIS / DESNZ — conversion factors, republished by Our World in Data",
        url="https://ourworldindata.org/grapher/carbon-footprint-travel-mode",
        licence="CC BY 4.0 (Our World in Data) ; Open Government Licence v3.0 (données britanniques)",
        files=("carbon-footprint-travel-mode*.csv",),
        snapshot_dirs=("owid_travel",),
        live={
            "carbon-footprint-travel-mode.csv": "https://ourworldindata.org/grapher/carbon-footprint-travel-mode.csv"
        },
        read=_read_owid_travel,
        description="g CO2e per km by travel mode (UK factors), a documented European default where no "
        "national table is described.",
    )
)


def _territory(territory: str | territories.Territory | None) -> territories.Territory | None:
    return None if territory is None else territories.get(territory)


@overload
def load_emission_factors(territory: None = None, *, source: str = "auto") -> pd.DataFrame: ...
@overload
def load_emission_factors(
    territory: str | territories.Territory, *, source: str = "auto"
) -> pd.DataFrame | None: ...
def load_emission_factors(
    territory: str | territories.Territory | None = None, *, source: str = "auto"
) -> pd.DataFrame | None:
    """Emission factors of ``territory`` (the dataset its ``emission_factors`` entry names; ADEME Impact
    CO2 without a territory): ``mode``, ``kgco2e_per_km``, ``name``, ``source`` (+ provenance) —
    ``None`` when the territory describes none (``Territory.missing`` says where to get them).
    """
    place = _territory(territory)
    if place is None:
        return load("ademe-transport-factors", source=source)
    name = place.dataset("emission_factors")
    return load(name, source=source) if name else None


# --- La Rochelle bus network (Yélo): GTFS stops, and fares ---------------------------------------------


def _read_gtfs_stops(files: list[Path]) -> pd.DataFrame:
    import geopandas as gpd

    stops = pd.read_csv(files[0], dtype={"stop_id": str})
    missing = {"stop_id", "stop_name", "stop_lat", "stop_lon"} - set(stops.columns)
    if missing:
        msg = f"{files[0].name}: not a GTFS stops.txt (missing {sorted(missing)})"
        raise ExportFormatError(msg)
    if "location_type" in stops.columns:
        stops = stops[stops["location_type"].fillna(0).astype(int) == 0]
    return gpd.GeoDataFrame(
        stops[["stop_id", "stop_name", "stop_lat", "stop_lon"]],
        geometry=gpd.points_from_xy(stops["stop_lon"], stops["stop_lat"]),
        crs=4326,
    )


register(
    Dataset(
        name="larochelle-bus-stops",
        title="Arrêts du réseau Yélo (GTFS, agglomération de La Rochelle)",
        territory="La Rochelle",
        source="Communauté d'agglomération de La Rochelle — réseau Yélo (transport.data.gouv.fr)",
        url="https://transport.data.gouv.fr/datasets?q=yelo",
        licence="Licence Ouverte / Etalab 2.0",
        files=("stops.txt",),
        snapshot_dirs=("larochelle_gtfs", "yelo_gtfs"),
        read=_read_gtfs_stops,
        description="Bus stops (GTFS stops.txt). The project sample is a handful of synthetic stops.",
    )
)

#: Yélo bus fares used by the scenario (parameters in the notebook). Orders of magnitude to check on
#: the network's site: prices change every year.
YELO_FARES = {
    "single_ticket_eur": 1.50,
    "ten_trips_eur": 14.00,
    "monthly_pass_eur": 31.00,
    "source": "Yélo (agglomération de La Rochelle), grille tarifaire grand public, ordre de "
    "grandeur 2025 — à vérifier sur yelo.agglo-larochelle.fr",
}


def load_bus_stops(*, source: str = "auto") -> pd.DataFrame:
    """Yélo bus stops of La Rochelle (``larochelle-bus-stops``)."""
    return load("larochelle-bus-stops", source=source)


register(
    Dataset(
        name="paris-transit-stops",
        title="Arrêts et gares du réseau francilien (GTFS Île-de-France Mobilités)",
        territory="Paris",
        source="Île-de-France Mobilités — offre horaires des transports en commun (GTFS)",
        url="https://data.iledefrance-mobilites.fr/explore/dataset/offre-horaires-tc-gtfs-idfm/",
        licence="Licence Mobilité (ODbL adaptée) — Île-de-France Mobilités",
        files=("stops.txt",),
        snapshot_dirs=("idfm_gtfs",),
        read=_read_gtfs_stops,
        description="Metro, RER, tram and bus stops (GTFS stops.txt). The project sample: a few stations "
        "of Paris 11e–13e placed by the project.",
    )
)
register(
    Dataset(
        name="barcelona-transit-stops",
        title="Parades i estacions de TMB (GTFS, Barcelone)",
        territory="Barcelone",
        source="Transports Metropolitans de Barcelona (TMB) — GTFS (developer.tmb.cat)",
        url="https://developer.tmb.cat/",
        licence="Conditions d'utilisation des données ouvertes de TMB (à vérifier)",
        files=("stops.txt",),
        snapshot_dirs=("tmb_gtfs",),
        read=_read_gtfs_stops,
        description="Metro and bus stops of TMB (GTFS stops.txt). The project sample: a few stations of "
        "Gràcia and Glòries placed by the project.",
    )
)


register(
    Dataset(
        name="nantes-transit-stops",
        title="Arrêts du réseau Naolib (GTFS, Nantes Métropole)",
        territory="Nantes",
        source="Nantes Métropole / Semitan — réseau Naolib, GTFS (transport.data.gouv.fr)",
        url="https://transport.data.gouv.fr/datasets?q=naolib",
        licence="Licence ODbL (Nantes Métropole) — à vérifier",
        files=("stops.txt",),
        snapshot_dirs=("naolib_gtfs",),
        read=_read_gtfs_stops,
        description="Tram, busway and bus stops of Naolib (GTFS stops.txt). The project sample: a few tram "
        "stations of central Nantes placed by the project.",
    )
)
register(
    Dataset(
        name="rennes-transit-stops",
        title="Arrêts du réseau STAR (GTFS, Rennes Métropole)",
        territory="Rennes",
        source="Rennes Métropole / Keolis Rennes — réseau STAR, GTFS (data.explore.star.fr)",
        url="https://data.explore.star.fr/",
        licence="Licence ODbL (données STAR) — à vérifier",
        files=("stops.txt",),
        snapshot_dirs=("star_gtfs",),
        read=_read_gtfs_stops,
        description="Metro and bus stops of STAR (GTFS stops.txt). The project sample: a few metro stations "
        "of central Rennes placed by the project.",
    )
)


def load_transit_stops(
    territory: str | territories.Territory, *, source: str = "auto"
) -> pd.DataFrame | None:
    """The stops of ``territory``'s transit network (the dataset its ``transit`` entry names: a GTFS
    ``stops.txt``, or any table with ``stop_lat``/``stop_lon``), or ``None`` when it describes none.
    """
    name = territories.get(territory).dataset("transit")
    return load(name, source=source) if name else None


def transit_fare(territory: str | territories.Territory) -> tuple[float | None, str]:
    """The price of one trip on the territory's network (``transit.fare_eur``) and its source; ``None``
    and a French reason when the territory file gives none.
    """
    place = territories.get(territory)
    entry = place.source("transit") or {}
    if entry.get("fare_eur") is None:
        where = f"{place.file_name}, transit.fare_eur"
        network = entry.get("name") or "le réseau"
        return None, f"tarif d'un trajet sur {network} non décrit ({where}) : donnez le vôtre (-p fare_eur)"
    return float(entry["fare_eur"]), str(entry.get("fare_source") or "source non indiquée — à vérifier")


def network_name(territory: str | territories.Territory) -> str | None:
    """The transit network's name (``transit.name``: Yélo, TMB…), or ``None``."""
    entry = territories.get(territory).source("transit") or {}
    return str(entry["name"]) if entry.get("name") else None


def bank_rules(territory: str | territories.Territory) -> list[tuple[str, str]]:
    """Patterns of the territory's mobility operators on a bank statement (``bank_labels`` of its
    ``transit`` and ``fuel_prices`` entries: ``{category: regular expression on the lower-case label
    without accents}``), as rules for :func:`selfdata_lib.exports.categorise`.
    """
    place = territories.get(territory)
    rules: list[tuple[str, str]] = []
    for kind in ("transit", "fuel_prices"):
        labels: Any = (place.source(kind) or {}).get("bank_labels") or {}
        rules += [(str(category), str(pattern)) for category, pattern in labels.items()]
    return rules


# --- Fuel prices ------------------------------------------------------------------------------------------

_FUEL_COLUMNS = {
    "gazole_prix": "gazole",
    "e10_prix": "e10",
    "sp95_prix": "sp95",
    "sp98_prix": "sp98",
    "e85_prix": "e85",
    "gplc_prix": "gplc",
}


def _read_fuel_prices(files: list[Path]) -> pd.DataFrame:
    """The instantaneous-flow CSV of "prix des carburants" (``;``): one row per station with
    ``gazole_prix``, ``e10_prix``… in €/l; coordinates in degrees or in 1e-5 degrees.
    """
    frame = pd.read_csv(files[0], sep=";", dtype={"cp": str, "id": str})
    missing = {"id", "latitude", "longitude"} - set(frame.columns)
    if missing or not set(_FUEL_COLUMNS) & set(frame.columns):
        msg = f"{files[0].name}: not a 'prix des carburants' export (missing {sorted(missing) or 'prices'})"
        raise ExportFormatError(msg)
    for c in ("latitude", "longitude"):
        frame[c] = pd.to_numeric(frame[c].astype(str).str.replace(",", "."), errors="coerce")
        if frame[c].abs().max() > 180:
            frame[c] = frame[c] / 100000
    keep = ["id", "latitude", "longitude", *[c for c in ("cp", "ville") if c in frame.columns]]
    out = frame[keep + [c for c in _FUEL_COLUMNS if c in frame.columns]].rename(columns=_FUEL_COLUMNS)
    return out


register(
    Dataset(
        name="fuel-prices",
        title="Prix des carburants en France (flux instantané)",
        territory="France",
        source="Ministère de l'Économie — prix des carburants (data.economie.gouv.fr)",
        url="https://data.economie.gouv.fr/explore/dataset/prix-des-carburants-en-france-flux-instantane-v2/",
        licence="Licence Ouverte / Etalab 2.0",
        files=("prix-carburants*.csv",),
        snapshot_dirs=("fuel_prices",),
        live={
            "prix-carburants-flux-instantane.csv": "https://data.economie.gouv.fr/api/explore/v2.1/catalog/datasets/"
            "prix-des-carburants-en-france-flux-instantane-v2/exports/csv?delimiter=%3B"
        },
        read=_read_fuel_prices,
        description="Fuel prices per station (€/l). The project sample: a few fictional stations near "
        "La Rochelle at 2025 national-average prices.",
    )
)


#: The price fields of the Spanish Ministry's « Precios de carburantes » service (``ListaEESSPrecio``)
#: → our fuel columns (Gasóleo A is road diesel; the Spanish 95 is mostly E5, E10 is rare).
_ES_FUEL_FIELDS = {
    "Precio Gasoleo A": "gazole",
    "Precio Gasolina 95 E10": "e10",
    "Precio Gasolina 95 E5": "sp95",
    "Precio Gasolina 98 E5": "sp98",
    "Precio Gases licuados del petróleo": "gplc",
}


def _es_number(text: Any) -> float | None:
    """``"1,459"`` → 1.459; empty → ``None`` (the service writes decimal commas, empty when not sold)."""
    text = str(text or "").strip().replace(",", ".")
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _read_es_fuel_prices(files: list[Path]) -> pd.DataFrame:
    """The JSON of ``ServiciosRESTCarburantes/PreciosCarburantes/EstacionesTerrestres``: ``Fecha``,
    ``ListaEESSPrecio`` (one object per station: ``IDEESS``, ``Latitud``, ``Longitud (WGS84)``, ``C.P.``,
    ``Municipio``, ``Precio Gasoleo A``…, decimal commas), ``ResultadoConsulta``.
    """
    try:
        data = json.loads(files[0].read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        msg = f"{files[0].name}: not valid JSON ({exc})"
        raise ExportFormatError(msg) from exc
    stations = data.get("ListaEESSPrecio") if isinstance(data, dict) else None
    if not isinstance(stations, list):
        msg = (
            f"{files[0].name}: not a « Precios de carburantes » answer (expected an object with "
            "'ListaEESSPrecio', the list of stations)"
        )
        raise ExportFormatError(msg)
    rows = []
    for item in stations:
        row: dict[str, Any] = {
            "id": str(item.get("IDEESS", "")),
            "latitude": _es_number(item.get("Latitud")),
            "longitude": _es_number(item.get("Longitud (WGS84)")),
            "cp": str(item.get("C.P.", "")),
            "ville": str(item.get("Municipio", "")),
        }
        row.update({ours: _es_number(item.get(field)) for field, ours in _ES_FUEL_FIELDS.items()})
        rows.append(row)
    frame = pd.DataFrame(
        rows, columns=["id", "latitude", "longitude", "cp", "ville", *_ES_FUEL_FIELDS.values()]
    )
    frame.attrs["date"] = data.get("Fecha")
    return frame.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)


register(
    Dataset(
        name="es-fuel-prices",
        title="Prix des carburants en Espagne (Precios de carburantes, ministère)",
        territory="Espagne",
        source="Ministerio para la Transición Ecológica y el Reto Demográfico — Geoportal de gasolineras "
        "(service REST « Precios de carburantes »)",
        url="https://geoportalgasolineras.es/",
        licence="Réutilisation des informations du secteur public (loi 37/2007, datos.gob.es) — à vérifier",
        files=("EstacionesTerrestres*.json",),
        snapshot_dirs=("precios_carburantes",),
        live={
            "EstacionesTerrestres.json": "https://sedeaplicaciones.minetur.gob.es/ServiciosRESTCarburantes/"
            "PreciosCarburantes/EstacionesTerrestres/"
        },
        read=_read_es_fuel_prices,
        description="Fuel prices per station in Spain (€/l). The project sample: a few fictional stations "
        "of Barcelona in the service's JSON.",
    )
)


@overload
def load_fuel_prices(territory: None = None, *, source: str = "auto") -> pd.DataFrame: ...
@overload
def load_fuel_prices(
    territory: str | territories.Territory, *, source: str = "auto"
) -> pd.DataFrame | None: ...
def load_fuel_prices(
    territory: str | territories.Territory | None = None, *, source: str = "auto"
) -> pd.DataFrame | None:
    """Fuel stations and their prices (€/l by fuel: ``gazole``, ``e10``, ``sp95``, ``sp98``…) from the
    dataset ``territory``'s ``fuel_prices`` entry names (France's flux without a territory); ``None``
    when the territory describes none.
    """
    place = _territory(territory)
    if place is None:
        return load("fuel-prices", source=source)
    name = place.dataset("fuel_prices")
    return load(name, source=source) if name else None


def fuel_price_near(
    prices: pd.DataFrame, lat: float, lon: float, fuel: str = "gazole", radius_km: float = 15.0
) -> float:
    """Median price of ``fuel`` among stations within ``radius_km`` (all stations if none is)."""
    if fuel not in prices.columns:
        msg = f"no {fuel!r} prices; available: {[c for c in _FUEL_COLUMNS.values() if c in prices.columns]}"
        raise KeyError(msg)
    dist = (
        haversine_m(lat, lon, prices["latitude"].to_numpy(float), prices["longitude"].to_numpy(float)) / 1000
    )
    near = prices.loc[dist <= radius_km, fuel].dropna()
    return float((near if len(near) else prices[fuel].dropna()).median())


def stops_near(stops: pd.DataFrame, lat: float, lon: float, radius_m: float = 500.0) -> pd.DataFrame:
    """Stops within ``radius_m`` (as the crow flies) of a point, nearest first, with ``distance_m``."""
    dist = haversine_m(lat, lon, stops["stop_lat"].to_numpy(float), stops["stop_lon"].to_numpy(float)).round()
    return stops.assign(distance_m=dist)[dist <= radius_m].sort_values("distance_m")
