"""Open data for mobility: emission factors per mode (ADEME Impact CO2), the La Rochelle bus network
(Yélo GTFS stops) and its fares, and fuel prices (the national "prix des carburants" open data).

Each dataset follows the catalogue's search order (cache → snapshots → the project's samples → live
only when asked). The project's samples are written by :func:`build_*` functions, from public figures
with their source and date, never copied from a snapshot.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

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


def load_emission_factors(*, source: str = "auto") -> pd.DataFrame:
    """``mode``, ``kgco2e_per_km``, ``name``, ``impactco2_id``, ``source`` (+ provenance)."""
    return load("ademe-transport-factors", source=source)


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


def load_fuel_prices(*, source: str = "auto") -> pd.DataFrame:
    """Fuel stations and their prices (``fuel-prices``)."""
    return load("fuel-prices", source=source)


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
