"""My mobility: kilometres, CO2 and euros by mode and month, and what shifting short car trips would save.

Trips come from the importers (``start``, ``end``, …, ``distance_m``, ``mode``); emission factors from
:func:`selfdata_lib.opendata.load_emission_factors` (kg CO2e per passenger-km); money from a bank export
categorised by :func:`selfdata_lib.exports.categorise`. Trips without a mode can be given one by
:mod:`selfdata_lib.analysis.modes` (stay points, segmentation and a classifier on speed profiles).

Everything territory-specific — the factors, the network's stops, name and fare, the fuel prices, the
reference, the time zone of the months, the operators' labels on a bank statement — comes from the
territory file (:mod:`selfdata_lib.territories`); a kind it does not describe leaves the figures that
need it empty, with the territory's sentence saying where to get it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib import territories
from selfdata_lib.results import Figure, Reading, Result, figure, import_doubts, missing

TZ = "Europe/Paris"
#: Bank categories that are mobility spending, and the mode they pay for.
MOBILITY_CATEGORIES = {
    "fuel": "car",
    "tolls": "car",
    "parking": "car",
    "car_insurance": "car",
    "car_maintenance": "car",
    "public_transport": "transit",
    "bike_share": "bike",
}
#: Modes paid by one public-transport pass or ticket: their km are counted together for the € per km.
TRANSIT_MODES = ("bus", "tram", "metro", "train", "coach")
#: Trip modes of the importers → the factor table's modes.
FACTOR_MODE = {
    "car": "car",
    "bus": "bus",
    "tram": "tram",
    "metro": "metro",
    "train": "train",
    "bike": "bike",
    "walk": "walk",
}


def with_months(trips: pd.DataFrame, tz: str = TZ) -> pd.DataFrame:
    """Trips with ``km`` and ``month`` (calendar month in the time zone ``tz``)."""
    local = trips["start"].dt.tz_convert(tz).dt.tz_localize(None)
    return trips.assign(km=trips["distance_m"].astype(float) / 1000, month=local.dt.to_period("M"))


def km_by_mode_month(trips: pd.DataFrame, tz: str = TZ) -> pd.DataFrame:
    """Kilometres per month (rows) and mode (columns)."""
    t = with_months(trips, tz)
    return t.pivot_table(index="month", columns="mode", values="km", aggfunc="sum", fill_value=0.0)


def add_emissions(trips: pd.DataFrame, factors: pd.DataFrame, tz: str = TZ) -> pd.DataFrame:
    """Trips with ``kgco2e`` (km × the factor of their mode); a mode without factor (plane, boat,
    unknown) gets NaN and is reported by :func:`emissions_coverage`.
    """
    table = factors.drop_duplicates("mode").set_index("mode")["kgco2e_per_km"]
    t = with_months(trips, tz)
    factor = t["mode"].map(FACTOR_MODE).map(table)
    return t.assign(kgco2e_per_km=factor, kgco2e=t["km"] * factor)


@dataclass(frozen=True)
class EmissionsCoverage:
    """How many trips and km have an emission factor; which modes have none (plane, boat, unknown)."""

    trips_with_factor: int
    trips_without_factor: int
    km_without_factor: float
    modes_without_factor: list[str]


def emissions_coverage(trips_with_co2: pd.DataFrame) -> EmissionsCoverage:
    """How many trips and km have a factor; which modes have none."""
    missing_factor = trips_with_co2["kgco2e"].isna()
    return EmissionsCoverage(
        trips_with_factor=int((~missing_factor).sum()),
        trips_without_factor=int(missing_factor.sum()),
        km_without_factor=float(trips_with_co2.loc[missing_factor, "km"].sum()),
        modes_without_factor=sorted(trips_with_co2.loc[missing_factor, "mode"].unique().tolist()),
    )


def mobility_budget(bank: pd.DataFrame, tz: str = TZ) -> pd.DataFrame:
    """Mobility spending (€, positive) per month (rows) and category (columns), from a categorised
    bank frame; refunds in these categories reduce the spending.
    """
    b = bank[bank["category"].isin(MOBILITY_CATEGORIES)]
    local = b["date"].dt.tz_convert(tz).dt.tz_localize(None)
    spent = (-b["amount_eur"]).groupby([local.dt.to_period("M"), b["category"]]).sum()
    table = spent.unstack(fill_value=0.0)  # type: ignore[arg-type]  # stubs: fill_value int|str|dict only
    return table.rename_axis(index="month", columns="category")


def months_covered(trips: pd.DataFrame) -> float:
    """Length of the trips' period in months (days / 30.44)."""
    days = (trips["end"].max() - trips["start"].min()).total_seconds() / 86400
    return max(days, 1.0) / 30.44


def cost_per_km(trips: pd.DataFrame, budget: pd.DataFrame) -> pd.DataFrame:
    """Euros and km by mode over the common period; € per km where both exist. Bus, tram, metro and train
    km are counted together as ``transit``: one pass or ticket pays for them all.
    """
    t = with_months(trips)
    km = t.groupby(t["mode"].where(~t["mode"].isin(TRANSIT_MODES), "transit"))["km"].sum()
    by_mode = budget.sum().groupby(lambda c: MOBILITY_CATEGORIES[c]).sum()
    out = pd.DataFrame({"km": km, "eur": by_mode}).fillna(0.0)
    out["eur_per_km"] = np.where(out["km"] > 0, out["eur"] / out["km"].where(out["km"] > 0), np.nan)
    return out


@dataclass
class ShiftScenario:
    """Move car trips shorter than ``threshold_km`` to ``to_mode``; what it saves per year."""

    threshold_km: float
    to_mode: str
    trips_shifted: int
    km_shifted_per_year: float
    kgco2e_saved_per_year: float
    fuel_saved_eur_per_year: float
    fares_eur_per_year: float
    assumptions: dict[str, Any] = field(default_factory=dict)

    @property
    def eur_saved_per_year(self) -> float:
        """Fuel saved minus the fares paid, € per year (negative when the bus costs more)."""
        return self.fuel_saved_eur_per_year - self.fares_eur_per_year


def shift_short_car_trips(
    trips: pd.DataFrame,
    factors: pd.DataFrame,
    *,
    threshold_km: float = 3.0,
    to_mode: str = "bike",
    fuel_price_eur_l: float = 1.70,
    car_l_per_100km: float = 6.5,
    fare_eur: float = 1.50,
    tz: str = TZ,
) -> ShiftScenario:
    """What-if: every car trip shorter than ``threshold_km`` made by ``to_mode`` (``bike`` or ``bus``).

    CO2: car factor minus the new mode's factor, per km. Euros: the fuel not burnt (``car_l_per_100km``
    at ``fuel_price_eur_l``) minus one ``fare_eur`` per bus trip. Insurance, maintenance and parking
    are assumed unchanged (the car is kept), which makes the saving a floor. Scaled to a year from the
    period covered by the trips.
    """
    if to_mode not in ("bike", "bus", "walk"):
        msg = f"to_mode must be bike, bus or walk, got {to_mode!r}"
        raise ValueError(msg)
    t = with_months(trips, tz)
    short = t[(t["mode"] == "car") & (t["km"] < threshold_km)]
    table = factors.drop_duplicates("mode").set_index("mode")["kgco2e_per_km"]
    per_year = 12 / months_covered(trips)
    km = float(short["km"].sum())
    saved_co2 = km * (table["car"] - table[FACTOR_MODE[to_mode]])
    fuel = km * car_l_per_100km / 100 * fuel_price_eur_l
    fares = len(short) * fare_eur if to_mode == "bus" else 0.0
    return ShiftScenario(
        threshold_km=threshold_km,
        to_mode=to_mode,
        trips_shifted=len(short),
        km_shifted_per_year=km * per_year,
        kgco2e_saved_per_year=saved_co2 * per_year,
        fuel_saved_eur_per_year=fuel * per_year,
        fares_eur_per_year=fares * per_year,
        assumptions={
            "car_l_per_100km": car_l_per_100km,
            "fuel_price_eur_l": fuel_price_eur_l,
            "fare_eur_per_trip": fare_eur if to_mode == "bus" else 0.0,
            "car_kgco2e_per_km": float(table["car"]),
            "new_mode_kgco2e_per_km": float(table[FACTOR_MODE[to_mode]]),
            "scaled_to_year_from_months": round(months_covered(trips), 2),
            "unchanged": "assurance, entretien, stationnement (la voiture est gardée)",
        },
    )


TRIP_COLUMNS = ["start", "end", "start_lat", "start_lon", "end_lat", "end_lon", "distance_m", "mode"]


def combine_trips(*frames: pd.DataFrame | None) -> pd.DataFrame:
    """Trips of several exports (location history, GPX tracks) as one frame sorted by start; an empty
    frame with the trips schema when there are none.
    """
    parts = [f for f in frames if f is not None and len(f)]
    if not parts:
        return pd.DataFrame(
            {
                c: pd.Series(
                    dtype="datetime64[ns, UTC]"
                    if c in ("start", "end")
                    else (object if c == "mode" else float)
                )
                for c in TRIP_COLUMNS
            }
        )
    return pd.concat(parts, ignore_index=True).sort_values("start", ignore_index=True)


def drop_repeated_trips(trips: pd.DataFrame, *, overlap: float = 0.5) -> tuple[pd.DataFrame, int]:
    """The trips without those recorded twice (a ride in my timeline and in a GPX track): a trip whose
    time overlaps an earlier one by ``overlap`` of the shorter of the two is dropped. Returns the trips
    kept and how many were dropped.
    """
    if len(trips) < 2:
        return trips.reset_index(drop=True), 0
    t = trips.sort_values(["start", "end"], kind="stable").reset_index(drop=True)
    start, end = t["start"].to_numpy(), t["end"].to_numpy()
    keep = np.ones(len(t), dtype=bool)
    last = 0
    for k in range(1, len(t)):
        shared = min(end[k], end[last]) - max(start[k], start[last])
        shorter = min(end[k] - start[k], end[last] - start[last])
        if shared > np.timedelta64(0, "s") and shared >= overlap * shorter:
            keep[k] = False
            continue
        if end[k] > end[last]:
            last = k
    return t[keep].reset_index(drop=True), int((~keep).sum())


def co2_by_month(trips_with_co2: pd.DataFrame) -> pd.DataFrame:
    """Kg CO2e per month (rows) and mode (columns)."""
    return trips_with_co2.pivot_table(
        index="month", columns="mode", values="kgco2e", aggfunc="sum", fill_value=0.0
    )


#: When a fuel is not sold in a country's table (SP95-E10 is rare in Spain), the closest one it sells.
FUEL_SUBSTITUTES = {"e10": "sp95", "sp95": "e10", "sp98": "sp95", "gazole": "gazole"}


def fuel_price(
    prices: pd.DataFrame, home: Any, fuel: str, given: Any = "auto", *, radius_km: float = 15.0
) -> tuple[float, str | None]:
    """The fuel price to use: mine when given, else the median of the stations within ``radius_km`` of
    home — with a French note when home is unknown or no station is near it (the median of the whole
    table is then used), or when ``fuel`` is not sold there and its closest substitute is used.
    """
    if str(given).lower() != "auto":
        return float(given), None
    substitute = None
    if fuel not in prices.columns or prices[fuel].dropna().empty:
        other = FUEL_SUBSTITUTES.get(fuel, fuel)
        if other == fuel or other not in prices.columns or prices[other].dropna().empty:
            sold = [c for c in FUEL_SUBSTITUTES if c in prices.columns and prices[c].notna().any()]
            msg = f"aucun prix « {fuel} » dans les données de prix des carburants ; carburants présents : {sold}"
            raise KeyError(msg)
        substitute, fuel = f"« {fuel} » n'est pas vendu dans ces données : prix du « {other} »", other
    price, note = _median_price(prices, home, fuel, radius_km)
    return price, "; ".join(n for n in (substitute, note) if n) or None


def _median_price(prices: pd.DataFrame, home: Any, fuel: str, radius_km: float) -> tuple[float, str | None]:
    from selfdata_lib.geo import haversine_m

    column = prices[fuel].dropna()
    if home is None:
        return float(
            column.median()
        ), "domicile inconnu : prix médian de toutes les stations du jeu de données"
    dist = (
        haversine_m(
            home.lat,
            home.lon,
            prices.loc[column.index, "latitude"].to_numpy(float),
            prices.loc[column.index, "longitude"].to_numpy(float),
        )
        / 1000
    )
    near = column[dist <= radius_km]
    if near.empty:
        return float(column.median()), (
            f"aucune station à moins de {radius_km:g} km de mon domicile dans le jeu de "
            "données : prix médian de toutes ses stations (donnez le vôtre : "
            "-p fuel_price_eur_l)"
        )
    return float(near.median()), None


MODE_NAMES = {
    "car": "la voiture",
    "bus": "le bus",
    "bike": "le vélo",
    "walk": "la marche",
    "train": "le train",
    "tram": "le tram",
    "metro": "le métro",
    "plane": "l'avion",
    "boat": "le bateau",
    "unknown": "un mode inconnu",
}


def interpret(
    trips_: Travel,
    footprint_: Footprint,
    budget_: Budget,
    scenario_: Scenario,
    context_: LocalContext | None = None,
    reference_: TerritoryReference | None = None,
) -> Reading:
    """A French reading of my mobility results, computed from them (never written for a persona):
    distances, emissions, the reference and the budget make the headline; the scenario and the network
    near me follow.
    """
    from selfdata_lib import fr

    trips, km, co2 = trips_.trips, trips_.km, footprint_.co2_month
    budget, budget_reason, scenario = budget_.table, budget_.reason, scenario_.shift
    names = MODE_NAMES
    parts = []
    if trips_.doubts:
        parts.append(f"**Attention : {' '.join(trips_.doubts)}** Les chiffres qui suivent en dépendent.")
    if trips.empty:
        return Reading([*parts, "Mes exports ne contiennent aucun trajet : rien à chiffrer."])
    months = months_covered(trips)
    total_km = float(km.to_numpy().sum())
    by_mode = km.sum().sort_values(ascending=False)
    top = by_mode.index[0]
    parts.append(
        f"En {fr.number(months, 1)} mois, j'ai parcouru {fr.number(total_km)} km en "
        f"{fr.plural(len(trips), 'trajet')} ; {names.get(top, top)} en fait "
        f"{fr.percent(by_mode.iloc[0] / total_km if total_km else 0)}."
    )
    if footprint_.reason:
        parts.append(f"Pas d'émissions calculées : {footprint_.reason}.")
    elif len(co2.columns):
        co2_mode = co2.sum().sort_values(ascending=False)
        total_co2 = float(co2_mode.sum())
        if total_co2 > 0:
            parts.append(
                f"Mes trajets ont émis {fr.number(total_co2)} kg CO₂e, soit {fr.number(total_co2 / months)} kg "
                f"par mois ; {names.get(co2_mode.index[0], co2_mode.index[0])} en émet "
                f"{fr.percent(co2_mode.iloc[0] / total_co2)}."
            )
    if reference_ is not None and reference_.mine_kgco2e_per_year is not None:
        if reference_.reference_kgco2e_per_year:
            parts.append(
                f"Sur un an, cela ferait {fr.number(reference_.mine_kgco2e_per_year)} kg CO₂e, "
                f"{fr.percent(reference_.mine_kgco2e_per_year / reference_.reference_kgco2e_per_year)} de la "
                f"référence — {reference_.scope}."
            )
        elif reference_.reason:
            parts.append(f"Pas de référence à laquelle me comparer : {reference_.reason}.")
    if budget is not None and len(budget):
        per_month = float(budget.sum(axis=1).mean())
        parts.append(
            f"Ma mobilité me coûte {fr.euros(per_month, cents=False)} par mois d'après mon relevé "
            "(carburant, péages, stationnement, assurance, entretien, transports)."
        )
    elif budget_reason:
        parts.append(f"Pas de budget mobilité : {budget_reason}.")
    head, parts = parts, []
    if scenario is not None and scenario.trips_shifted:
        new = {"bike": "à vélo", "bus": "en bus", "walk": "à pied"}[scenario.to_mode]
        money = (
            f" et {'rapporterait' if scenario.eur_saved_per_year >= 0 else 'coûterait'} "
            f"{fr.euros(abs(scenario.eur_saved_per_year), cents=False)} par an — au moins, car la voiture "
            "est gardée (assurance et entretien inchangés)"
            if scenario_.eur_reason is None
            else f" ; le gain en euros reste inconnu ({scenario_.eur_reason})"
        )
        parts.append(
            f"Faire {new} mes {scenario.trips_shifted} trajets en voiture de moins de "
            f"{fr.number(scenario.threshold_km, 1)} km éviterait {fr.number(scenario.kgco2e_saved_per_year)} kg "
            f"CO₂e par an{money}."
        )
    elif scenario is not None:
        parts.append(
            f"Aucun trajet en voiture de moins de {fr.number(scenario.threshold_km, 1)} km : le scénario ne "
            "change rien pour moi."
        )
    elif scenario_.reason:
        parts.append(f"Pas de scénario : {scenario_.reason}.")
    if context_ is not None and context_.network and context_.stops_near_home is not None:
        parts.append(
            f"Le réseau {context_.network} a {fr.plural(context_.stops_near_home, 'arrêt')} à moins de "
            f"{fr.number(context_.radius_m)} m de chez moi"
            + (
                f" et {context_.stops_near_work} près de mon travail."
                if context_.stops_near_work is not None
                else "."
            )
        )
    return Reading(head, parts)


def scenario_table(scenario: ShiftScenario) -> pd.DataFrame:
    """The scenario and its assumptions, in French, to show."""
    return pd.Series(
        {
            "trajets concernés (période)": scenario.trips_shifted,
            "km par an": round(scenario.km_shifted_per_year, 1),
            "kg CO2e évités par an": round(scenario.kgco2e_saved_per_year, 1),
            "carburant économisé (€/an)": round(scenario.fuel_saved_eur_per_year, 2),
            "tickets de transport en commun (€/an)": round(scenario.fares_eur_per_year, 2),
            "gain net (€/an)": round(scenario.eur_saved_per_year, 2),
            **scenario.assumptions,
        }
    ).to_frame("valeur")


# --- The steps of the use case, each a frozen result ----------------------------------------------------


def _place(territory: str | territories.Territory | None) -> territories.Territory | None:
    return None if territory is None else territories.get(territory)


@dataclass(frozen=True)
class Travel(Result):
    """My trips from every export (location history, GPX/TCX tracks) and my kilometres per month and mode
    (months in the territory's time zone ``tz``).
    """

    trips: pd.DataFrame
    km: pd.DataFrame
    doubts: tuple[str, ...] = ()
    repeated: int = 0
    tz: str = TZ

    def notes(self) -> list[str]:
        """Trips recorded twice and counted once."""
        if not self.repeated:
            return []
        return [
            f"{self.repeated} trajet(s) présent(s) à la fois dans mon historique et dans une trace GPX : "
            "compté(s) une fois."
        ]

    def figures(self) -> dict[str, Figure]:
        """How many trips, and the kilometres by mode over the period."""
        return {
            "trips": figure(len(self.trips), warnings=self.doubts),
            "km_by_mode": figure(
                {m: round(float(v), 1) for m, v in self.km.sum().items()}, warnings=self.doubts
            ),
        }


def travel(
    location: dict[str, pd.DataFrame | None],
    tracks: dict[str, pd.DataFrame],
    territory: str | territories.Territory | None = None,
) -> Travel:
    """Combine the trips of my location export (``exports.read_kinds``) and of my tracks (``exports.read_each``);
    a trip recorded in both (a ride in my timeline and in a GPX track) counts once. Months are those of
    ``territory``'s time zone (Europe/Paris without one).
    """
    place = _place(territory)
    tz = place.timezone if place else TZ
    frames = [f for f in (*location.values(), *tracks.values()) if f is not None]
    trips, repeated = drop_repeated_trips(combine_trips(location.get("trips"), *tracks.values()))
    return Travel(trips, km_by_mode_month(trips, tz), import_doubts(*frames), repeated, tz)


@dataclass(frozen=True)
class Footprint(Result):
    """The CO2 of my trips: each trip's kg CO2e, and per month and mode — or why there is none (the
    territory describes no emission factors).
    """

    trips: pd.DataFrame
    co2_month: pd.DataFrame
    doubts: tuple[str, ...] = ()
    reason: str | None = None
    factors: pd.DataFrame | None = None

    @property
    def factor_notes(self) -> tuple[str, ...]:
        """The notes (« à vérifier »…) of the factors of the modes I used, as warnings on the CO2."""
        if self.factors is None or "note" not in self.factors.columns or self.trips.empty:
            return ()
        used = self.factors[self.factors["mode"].isin(set(self.trips["mode"].map(FACTOR_MODE).dropna()))]
        return tuple(
            f"facteur « {row['name']} » : {row['note']}"
            for _, row in used.iterrows()
            if str(row["note"]).strip()
        )

    @property
    def factors_table(self) -> pd.DataFrame | str:
        """The factors used (name, kg CO2e per km, and the note « à vérifier » where one is), or why none."""
        if self.factors is None:
            return self.reason or "pas de facteurs d'émission"
        columns = ["name", "kgco2e_per_km", *(["note"] if "note" in self.factors.columns else [])]
        return self.factors[columns]

    def figures(self) -> dict[str, Figure]:
        """Kg CO2e by mode over the period, and per month on average."""
        if self.reason:
            return {n: missing(self.reason) for n in ("kgco2e_by_mode", "kgco2e_per_month")}
        months = months_covered(self.trips) if len(self.trips) else 0
        total = float(self.co2_month.to_numpy().sum()) if len(self.co2_month) else 0.0
        per_month = total / months if months else None  # as the reading says: total over months covered
        warnings = (*self.doubts, *self.factor_notes)
        return {
            "kgco2e_by_mode": figure(
                {m: round(float(v), 1) for m, v in self.co2_month.sum().items()}, warnings=warnings
            ),
            "kgco2e_per_month": figure(per_month, digits=1, reason="aucun trajet", warnings=warnings),
        }


def footprint(
    trips: Travel, factors: pd.DataFrame | None, territory: str | territories.Territory | None = None
) -> Footprint:
    """Each trip's kg CO2e from the factor of its mode (:func:`add_emissions`), summed by month; without
    factors (``None``: the territory describes none), no CO2 and the territory's sentence why.
    """
    if factors is None:
        place = _place(territory)
        why = place.missing("emission_factors") if place else "pas de facteurs d'émission"
        unknown = trips.km * np.nan  # the months and modes, without a CO2 figure
        return Footprint(with_months(trips.trips, trips.tz), unknown, trips.doubts, why)
    with_co2 = add_emissions(trips.trips, factors, trips.tz)
    return Footprint(with_co2, co2_by_month(with_co2), trips.doubts, None, factors)


#: A French person's travel emits about 2 t CO2 a year, 70 % of it in local mobility (within 80 km of home):
#: CGDD, « La mobilité des Français, panorama issu de l'enquête nationale transports et déplacements 2008 »
#: (La Revue du CGDD, décembre 2010). No figure is published per inhabitant for the territories described.
NATIONAL_LOCAL_KGCO2E_PER_YEAR = 0.70 * 2000.0
NATIONAL_MOBILITY_SOURCE = (
    "CGDD, enquête nationale transports et déplacements 2008 (Revue du CGDD, décembre 2010)"
)


@dataclass(frozen=True)
class TerritoryReference(Result):
    """My yearly mobility CO2 beside a reference: the territory's when its file gives one, else the national
    one in France — or none, with the reason.
    """

    mine_kgco2e_per_year: float | None
    reference_kgco2e_per_year: float | None
    scope: str
    source: str
    reason: str | None = None

    @property
    def table(self) -> pd.DataFrame:
        """Mine and the reference, in French."""
        label = (
            f"référence : {self.scope}"
            if self.reference_kgco2e_per_year
            else f"pas de référence : {self.reason}"
        )
        return pd.DataFrame(
            {
                "": ["mes trajets (sur un an)", label],
                "kg CO2e par an": [self.mine_kgco2e_per_year, self.reference_kgco2e_per_year],
            }
        ).set_index("")

    def figures(self) -> dict[str, Figure]:
        """Mine per year, the reference, how they compare, and where the reference comes from."""
        mine = figure(self.mine_kgco2e_per_year, digits=0, reason="aucun trajet")
        if not self.reference_kgco2e_per_year:
            why = self.reason or "pas de référence"
            return {
                "kgco2e_per_year": mine,
                **{
                    n: missing(why)
                    for n in ("reference_kgco2e_per_year", "share_of_reference", "reference_source")
                },
            }
        ratio = (
            self.mine_kgco2e_per_year / self.reference_kgco2e_per_year
            if self.mine_kgco2e_per_year is not None
            else None
        )
        return {
            "kgco2e_per_year": mine,
            "reference_kgco2e_per_year": figure(self.reference_kgco2e_per_year, digits=0),
            "share_of_reference": figure(ratio, digits=2, reason="aucun trajet"),
            "reference_source": figure(f"{self.scope} — {self.source}"),
        }


def territory_reference(
    co2: Footprint, territory: str | territories.Territory = "la-rochelle"
) -> TerritoryReference:
    """My trips' kg CO2e per year (the period covered, annualised) beside a reference: the one the
    territory file gives (``emission_factors.reference_kgco2e_per_year``, ``reference_scope``,
    ``reference_source``), else in France the local mobility of an average French person
    (:data:`NATIONAL_LOCAL_KGCO2E_PER_YEAR`), saying that no per-inhabitant figure is published for the
    territory; elsewhere no reference, and why.
    """
    place = territories.get(territory)
    months = months_covered(co2.trips) if len(co2.trips) else 0
    total = float(co2.co2_month.to_numpy().sum()) if len(co2.co2_month) else 0.0
    mine = total * 12 / months if months and not co2.reason else None
    entry = place.source("emission_factors") or {}
    if entry.get("reference_kgco2e_per_year"):
        return TerritoryReference(
            mine,
            float(entry["reference_kgco2e_per_year"]),
            str(entry.get("reference_scope") or place.name),
            str(entry.get("reference_source") or "source non indiquée — à vérifier"),
        )
    if place.is_france:
        scope = (
            f"mobilité locale d'un Français en moyenne (aucun chiffre par habitant publié pour {place.name})"
        )
        return TerritoryReference(mine, NATIONAL_LOCAL_KGCO2E_PER_YEAR, scope, NATIONAL_MOBILITY_SOURCE)
    folder = place.path.parent.name if place.path else "territories"
    reason = (
        f"aucun chiffre d'émissions de la mobilité par habitant n'est décrit pour {place.name} "
        f"(à décrire dans {folder}/{place.file_name}, rubrique emission_factors) ; le chiffre français "
        "ne s'applique pas ici"
    )
    return TerritoryReference(mine, None, "", "", reason)


@dataclass(frozen=True)
class Budget(Result):
    """My mobility spending per month and category from my bank statement, and € per km by mode —
    or ``None`` and the reason (no statement given).
    """

    table: pd.DataFrame | None
    per_km: pd.DataFrame | None
    reason: str | None = None

    def figures(self) -> dict[str, Figure]:
        """Euros per month, by category, and per km by mode."""
        if self.table is None or self.per_km is None:
            why = self.reason or "pas de relevé bancaire"
            names = ("mobility_eur_per_month", "mobility_eur_by_category", "eur_per_km_by_mode")
            return {n: missing(why) for n in names}
        per_month = float(self.table.sum(axis=1).mean()) if len(self.table) else 0.0
        return {
            "mobility_eur_per_month": figure(per_month, digits=2),
            "mobility_eur_by_category": figure({c: round(float(v), 2) for c, v in self.table.sum().items()}),
            "eur_per_km_by_mode": figure(self.per_km["eur_per_km"].dropna().round(3).to_dict()),
        }

    @property
    def shown(self) -> pd.DataFrame | str:
        """The monthly table to show, or why there is none."""
        return self.table.round(2) if self.table is not None else f"Pas de budget : {self.reason}"


def budget(
    bank: pd.DataFrame | None,
    trips: Travel,
    *,
    extra_rules: str | Path = "",
    territory: str | territories.Territory | None = None,
) -> Budget:
    """Categorise my bank statement (my rules first when given, then the labels of ``territory``'s
    mobility operators — ``bank_labels`` of its ``transit`` and ``fuel_prices`` entries —, then the
    project's readable rules) and sum the mobility categories per month; € per km by mode over the trips.
    """
    from selfdata_lib.exports import categorise
    from selfdata_lib.exports.bank_rules import load_rules
    from selfdata_lib.opendata.mobility import bank_rules

    if bank is None:
        return Budget(None, None, "pas de relevé bancaire (-p bank_export FICHIER)")
    rules = load_rules(extra_rules) if extra_rules and str(extra_rules).strip() else []
    if territory is not None:
        rules += bank_rules(territory)
    table = mobility_budget(categorise(bank, extra_rules=rules or None, overwrite=True), trips.tz)
    return Budget(table, cost_per_km(trips.trips, table))


@dataclass(frozen=True)
class LocalContext(Result):
    """Where I live and work, the fuel price near home, the fare of the territory's network and its stops
    near both — each ``None`` with its reason when unknown.
    """

    home: Any
    work: Any
    fuel_price_eur_l: float | None
    fare_eur: float | None
    stops_near_home: int | None
    stops_near_work: int | None
    home_reason: str | None = None
    work_reason: str | None = None
    price_note: str | None = None
    territory_note: str | None = None
    network: str | None = None
    fare_note: str | None = None
    stops_reason: str | None = None
    price_reason: str | None = None
    radius_m: float = 500.0
    #: Where the territory's fare comes from (``transit.fare_source``), ``None`` when I gave mine.
    fare_source: str | None = None

    def notes(self) -> list[str]:
        """Where the fare comes from, when it is the territory's (a fare « à vérifier » says it as a warning)."""
        if not self.fare_source or "vérifier" in self.fare_source:
            return []
        return [f"tarif d'un trajet : {self.fare_source}"]

    def figures(self) -> dict[str, Figure]:
        """The fuel price used, the fare (flagged when its source says « à vérifier »), and the stops
        within ``radius_m`` of home and work.
        """
        unsure = self.fare_source and "vérifier" in self.fare_source
        fare_warning = f"tarif à vérifier : {self.fare_source}" if unsure else None
        return {
            "fuel_price_eur_l": figure(
                self.fuel_price_eur_l, digits=3, reason=self.price_reason, warnings=self.price_note
            ),
            "fare_eur": figure(self.fare_eur, digits=2, reason=self.fare_note, warnings=fare_warning),
            "transit_network": figure(self.network, reason=self.stops_reason or "réseau non décrit"),
            "bus_stops_near_home": figure(
                self.stops_near_home,
                reason=self.stops_reason or self.home_reason,
                warnings=self.territory_note,
            ),
            "bus_stops_near_work": figure(self.stops_near_work, reason=self.stops_reason or self.work_reason),
        }


def local_context(
    location: dict[str, pd.DataFrame | None],
    prices: pd.DataFrame | None,
    stops: pd.DataFrame | None,
    *,
    territory: str | territories.Territory | None = None,
    fuel: str = "gazole",
    fuel_price_eur_l: Any = "auto",
    fare_eur: Any = "auto",
    radius_m: float = 500.0,
) -> LocalContext:
    """Home and work from my location data; the fuel price near home (mine when given), the fare of
    ``territory``'s network (``transit.fare_eur``; mine when given) and its stops within ``radius_m`` of
    each place. ``prices`` or ``stops`` ``None`` (the territory describes none): the figures that need
    them are empty, with the territory's sentence saying where to get them.
    """
    from selfdata_lib.analysis.places import find_place
    from selfdata_lib.opendata.mobility import network_name, stops_near, transit_fare

    place = _place(territory)
    visits, points = location.get("visits"), location.get("location_points")
    home, home_reason = find_place("auto", label="HOME", visits=visits, points=points)
    work, work_reason = find_place("auto", label="WORK", visits=visits, points=points)
    price: float | None
    price_note = price_reason = None
    if str(fuel_price_eur_l).lower() != "auto":
        price = float(fuel_price_eur_l)
    elif prices is None:
        price = None
        price_reason = (
            place.missing("fuel_prices") if place else "pas de prix des carburants"
        ) + " (ou donnez le vôtre : -p fuel_price_eur_l)"
    else:
        try:
            price, price_note = fuel_price(prices, home, fuel, "auto")
        except KeyError as exc:  # my fuel is not sold in this territory's table: said, not a crash
            price, price_reason = None, f"{exc.args[0]} (ou donnez le vôtre : -p fuel_price_eur_l)"
    fare: float | None
    fare_note = fare_source = None
    if str(fare_eur).lower() != "auto":
        fare = float(fare_eur)
    elif place is None:
        fare, fare_note = None, "pas de territoire : tarif inconnu (-p fare_eur)"
    else:
        fare, told = transit_fare(place)
        fare_note, fare_source = (told, None) if fare is None else (None, told)
    stops_reason = None
    if stops is None:
        stops_reason = place.missing("transit") if place else "pas d'arrêts de transport en commun"

    def near(where: Any) -> int | None:
        if where is None or stops is None:
            return None
        return len(stops_near(stops, where.lat, where.lon, radius_m=radius_m))

    return LocalContext(
        home,
        work,
        price,
        fare,
        near(home),
        near(work),
        home_reason,
        work_reason,
        price_note,
        place.outside(home) if place else None,
        network_name(place) if place else None,
        fare_note,
        stops_reason,
        price_reason,
        radius_m,
        fare_source,
    )


@dataclass(frozen=True)
class Scenario(Result):
    """Short car trips made otherwise: the what-if and its assumptions (``None`` without trips or without
    emission factors, with the reason); ``eur_reason`` when the euros cannot be counted (no fuel price,
    no fare for a bus scenario).
    """

    shift: ShiftScenario | None
    threshold_km: float
    to_mode: str
    doubts: tuple[str, ...] = ()
    reason: str | None = None
    eur_reason: str | None = None

    def figures(self) -> dict[str, Figure]:
        """The scenario's settings, the trips it moves, the CO2 and euros it saves a year."""
        s, why = self.shift, self.reason or "aucun trajet"
        return {
            "scenario_threshold_km": figure(self.threshold_km),
            "scenario_to_mode": figure(self.to_mode),
            "scenario_trips_shifted": figure(s.trips_shifted, warnings=self.doubts) if s else missing(why),
            "scenario_kgco2e_saved_per_year": figure(s.kgco2e_saved_per_year, digits=1, warnings=self.doubts)
            if s
            else missing(why),
            "scenario_eur_saved_per_year": figure(s.eur_saved_per_year, digits=2, warnings=self.doubts)
            if s and not self.eur_reason
            else missing(self.eur_reason or why),
        }

    @property
    def table(self) -> pd.DataFrame | str:
        """The scenario and its assumptions, in French, or why there is none."""
        return scenario_table(self.shift) if self.shift else (self.reason or "aucun trajet")


def scenario(
    trips: Travel,
    factors: pd.DataFrame | None,
    context: LocalContext,
    *,
    threshold_km: float = 3.0,
    to_mode: str = "bike",
    car_l_per_100km: float = 6.5,
) -> Scenario:
    """:func:`shift_short_car_trips` on my trips, at the fuel price and fare of ``context``; without
    factors, no scenario; without a fuel price (or a fare, for the bus), the euros are left unknown.
    """
    if factors is None:
        return Scenario(
            None, threshold_km, to_mode, trips.doubts, "pas de facteurs d'émission pour ce territoire"
        )
    eur_reason = None
    if context.fuel_price_eur_l is None:
        eur_reason = context.price_reason or "prix du carburant inconnu"
    elif to_mode == "bus" and context.fare_eur is None:
        eur_reason = context.fare_note or "tarif du bus inconnu"
    shift = (
        shift_short_car_trips(
            trips.trips,
            factors,
            threshold_km=threshold_km,
            to_mode=to_mode,
            fuel_price_eur_l=context.fuel_price_eur_l or 0.0,
            car_l_per_100km=car_l_per_100km,
            fare_eur=context.fare_eur or 0.0,
            tz=trips.tz,
        )
        if len(trips.trips)
        else None
    )
    return Scenario(shift, threshold_km, to_mode, trips.doubts, None, eur_reason)
