"""My evenings and weekends out: which of my trips are outings, what they emit, which leisure and
cultural places I can reach from my usual places on foot, by bike or by bus, and the same kind of
outing with a lower footprint.

The steps of ``larochelle-leisure-low-carbon``, each a frozen result:

1. :func:`leisure_trips` — my trips (:func:`selfdata_lib.analysis.mobility.travel`) that are outings:
   they start on a Saturday, a Sunday or a public holiday, or in the evening (from ``evening_hour``,
   until 05:00), and one of their ends is neither home nor work (:func:`selfdata_lib.analysis.places.
   find_place`). Each gets its kg CO2e from its mode (:func:`selfdata_lib.analysis.mobility.
   add_emissions`) and the kind of the place it leads to: the leisure place of the open data within
   :data:`MATCH_M`, or a word of the visit's name (« plage », « cinéma »…), else « autre lieu ».
2. :func:`reachable` — for each of my usual places (home, work, the place I visit most), the leisure
   places within 15 and 30 minutes on foot, by bike and by bus.
3. :func:`suggest_swaps` — for each place I drive to in the evening or at the weekend: the same place on
   foot, by bike or by bus when it is within ``max_minutes``, else the nearest place of the same kind
   that is; the kg CO2e saved per year at my frequency.

Times are straight-line distances × :data:`DETOUR` at documented speeds (:class:`TravelTimes`): the
street graph of :mod:`selfdata_lib.opendata.streets` covers Lyon only, and none is built here. By bus:
walking to the nearest stop and from the stop nearest the place, half an interval of waiting, the ride at
the network's commercial speed — without timetables or lines, so a bus time is an order of magnitude.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib import territories
from selfdata_lib.analysis.mobility import (
    FACTOR_MODE,
    Travel,
    add_emissions,
    co2_by_month,
    drop_repeated_trips,
    km_by_mode_month,
    months_covered,
)
from selfdata_lib.analysis.places import Place, find_place
from selfdata_lib.analysis.velov import DETOUR_FACTOR, WALK_KMH
from selfdata_lib.geo import haversine_m
from selfdata_lib.opendata.osm_leisure import LEISURE_KINDS
from selfdata_lib.results import Figure, Reading, Result, figure, import_doubts, missing

TZ = "Europe/Paris"
#: Network distance / straight-line distance in town (see :data:`selfdata_lib.analysis.velov.DETOUR_FACTOR`).
DETOUR = DETOUR_FACTOR
#: Riding my own bike in town, stops at lights included: 15 km/h is the usual planning value (13–16 km/h).
BIKE_KMH = 15.0
#: Commercial speed of an urban bus outside Paris, stops included: about 18 km/h (from 15 to 20 km/h).
BUS_KMH = 18.0
#: Waiting at the stop: half of a 15-minute interval.
BUS_WAIT_MIN = 7.5
#: A stop farther than this from where I am (or from the place) does not serve it.
BUS_STOP_MAX_M = 500.0
#: Walking is suggested for at most this long (a longer walk is for a walk's sake, not to get there).
WALK_MAX_MIN = 15.0
#: The time limits of the reach table (minutes).
LIMITS_MIN = (15, 30)
#: A trip end within this of home or work is at home or at work.
AT_PLACE_M = 200.0
#: A trip end within this of a leisure place of the open data is that place (a building's door is near its
#: point; a beach or a park is large, its point may lie farther from where I stopped).
MATCH_M = 100.0
MATCH_LARGE_M = {"beach": 300.0, "park": 300.0}
#: Outing ends within this of each other are the same place.
SAME_PLACE_M = 150.0
#: A usual place farther than this outside the area of the leisure places loaded is not covered by them.
COVER_MARGIN_M = 5000.0
EVENING_HOUR = 18.0
NIGHT_END_HOUR = 5.0
#: Reaching a limit exactly counts as within it (the times are computed to about 1e-6 min).
TOLERANCE_MIN = 1e-6
#: The kinds of places (:data:`selfdata_lib.opendata.osm_leisure.LEISURE_KINDS`) and « other ».
KIND_FR = {**LEISURE_KINDS, "other": "autre lieu"}
#: Words of a visit's name that give the kind of the place (lower case, accents kept).
KIND_WORDS = {
    "beach": ("plage",),
    "museum": ("musée", "museum", "aquarium"),
    "library": ("médiathèque", "bibliothèque"),
    "theatre": ("théâtre", "scène", "salle de spectacle", "opéra", "concert"),
    "cinema": ("cinéma", "cgr", "pathé", "ugc", "mégarama"),
    "sports": ("piscine", "stade", "gymnase", "salle de sport", "centre aquatique", "patinoire", "fitness"),
    "park": ("parc", "jardin", "bois de"),
}
MODE_FR = {"walk": "à pied", "bike": "à vélo", "bus": "en bus", "car": "en voiture"}
MODE_NAME = {
    "walk": "la marche",
    "bike": "le vélo",
    "bus": "le bus",
    "car": "la voiture",
    "train": "le train",
}
NO_TRIP = "aucun trajet dans mes exports"
NO_OUTING = "aucune sortie du soir ou du week-end dans mes trajets"


@dataclass(frozen=True)
class TravelTimes:
    """Speeds and the detour factor that turn a straight-line distance into minutes, by mode."""

    walk_kmh: float = WALK_KMH
    bike_kmh: float = BIKE_KMH
    bus_kmh: float = BUS_KMH
    bus_wait_min: float = BUS_WAIT_MIN
    bus_stop_max_m: float = BUS_STOP_MAX_M
    detour: float = DETOUR

    def minutes(self, distance_m: Any, mode: str) -> Any:
        """Minutes on foot (``walk``) or by bike (``bike``) for a straight-line ``distance_m``."""
        kmh = {"walk": self.walk_kmh, "bike": self.bike_kmh}[mode]
        return np.asarray(distance_m, dtype=float) * self.detour / (kmh * 1000 / 60)

    def radius_m(self, minutes: float, mode: str) -> float:
        """The straight-line distance covered in ``minutes`` on foot or by bike."""
        kmh = {"walk": self.walk_kmh, "bike": self.bike_kmh}[mode]
        return minutes * kmh * 1000 / 60 / self.detour

    def bus_minutes(
        self, lat: float, lon: float, to_lat: Any, to_lon: Any, stops: pd.DataFrame | None
    ) -> Any:
        """Minutes by bus from ``(lat, lon)`` to each of ``(to_lat, to_lon)``: walk to the nearest stop,
        wait, ride to the stop nearest the place, walk; NaN when a stop is farther than
        ``bus_stop_max_m`` or both ends share their nearest stop (walking is then the way).
        """
        to_lat, to_lon = np.atleast_1d(np.asarray(to_lat, float)), np.atleast_1d(np.asarray(to_lon, float))
        out = np.full(len(to_lat), np.nan)
        if stops is None or stops.empty or not len(to_lat):
            return out
        s_lat, s_lon = stops["stop_lat"].to_numpy(float), stops["stop_lon"].to_numpy(float)
        from_stop = haversine_m(lat, lon, s_lat, s_lon)
        i = int(np.argmin(from_stop))
        to_stop = haversine_m(to_lat[:, None], to_lon[:, None], s_lat[None, :], s_lon[None, :])
        j = np.argmin(to_stop, axis=1)
        walk_m = (from_stop[i] + to_stop[np.arange(len(to_lat)), j]) * self.detour
        ride_m = haversine_m(s_lat[i], s_lon[i], s_lat[j], s_lon[j]) * self.detour
        minutes = (
            walk_m / (self.walk_kmh * 1000 / 60) + self.bus_wait_min + ride_m / (self.bus_kmh * 1000 / 60)
        )
        served = (from_stop[i] <= self.bus_stop_max_m) & (
            to_stop[np.arange(len(to_lat)), j] <= self.bus_stop_max_m
        )
        return np.where(served & (j != i), minutes, out)


TIMES = TravelTimes()


# --- Which trips are outings ---------------------------------------------------------------------------------


def easter(year: int) -> dt.date:
    """Easter Sunday of ``year`` (Gregorian calendar; the anonymous algorithm of Meeus, *Astronomical
    Algorithms*, 1991, ch. 8).
    """
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def french_public_holidays(years: Any) -> set[dt.date]:
    """The eleven public holidays of France (Code du travail, art. L3133-1) in ``years``."""
    days: set[dt.date] = set()
    for year in {int(y) for y in years}:
        days |= {
            dt.date(year, m, d)
            for m, d in ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
        }
        sunday = easter(year)
        days |= {sunday + dt.timedelta(days=n) for n in (1, 39, 50)}  # Easter Monday, Ascension, Whit Monday
    return days


def _near(place: Place | None, lat: pd.Series, lon: pd.Series, radius_m: float) -> np.ndarray:
    if place is None:
        return np.zeros(len(lat), dtype=bool)
    return np.asarray(haversine_m(place.lat, place.lon, lat.to_numpy(float), lon.to_numpy(float)) <= radius_m)


def outing_kind(trips: pd.DataFrame, *, evening_hour: float = EVENING_HOUR) -> pd.Series:
    """``week-end``, ``holiday`` or ``evening`` for a trip starting then (local time), else empty."""
    local = trips["start"].dt.tz_convert(TZ)
    hour = local.dt.hour + local.dt.minute / 60
    holidays = french_public_holidays(local.dt.year.unique()) if len(local) else set()
    when = np.where(
        local.dt.day_of_week >= 5,
        "week-end",
        np.where(
            local.dt.date.isin(list(holidays)),
            "holiday",
            np.where((hour >= evening_hour) | (hour < NIGHT_END_HOUR), "evening", ""),
        ),
    )
    return pd.Series(when, index=trips.index, dtype=object)


def cluster_points(lat: np.ndarray, lon: np.ndarray, *, within_m: float = SAME_PLACE_M) -> np.ndarray:
    """A cluster number per point: each point joins the first cluster whose first point is within
    ``within_m``, else starts a new one (greedy, in order).
    """
    labels = np.full(len(lat), -1)
    centres: list[tuple[float, float]] = []
    for k in range(len(lat)):
        if centres:
            c = np.array(centres)
            d = haversine_m(lat[k], lon[k], c[:, 0], c[:, 1])
            best = int(np.argmin(d))
            if d[best] <= within_m:
                labels[k] = best
                continue
        centres.append((float(lat[k]), float(lon[k])))
        labels[k] = len(centres) - 1
    return labels


def kind_from_name(name: Any) -> str | None:
    """The kind of place a visit's name says (« Plage des Minimes » → ``beach``), else ``None``."""
    text = str(name or "").lower()
    for kind, words in KIND_WORDS.items():
        if any(w in text for w in words):
            return kind
    return None


def _readable(name: Any) -> bool:
    """Whether a visit's name is a name (« Cinéma Utopia »), not an identifier (``place-salle``, ``ChIJ…``)."""
    text = str(name or "").strip()
    return " " in text and not text.startswith("ChIJ")


def _place_names(
    centres: pd.DataFrame, places: pd.DataFrame | None, visits: pd.DataFrame | None
) -> pd.DataFrame:
    """Name and kind of each outing place: the open data's place within :data:`MATCH_M`, else the words of
    the nearest visit's name, else « autre lieu ».
    """
    names, kinds, sources = [], [], []
    named = visits[visits["name"].map(_readable)] if visits is not None and "name" in visits else None
    for row in centres.itertuples():
        name, kind, source = "", "other", ""
        if places is not None and len(places):
            d = haversine_m(row.lat, row.lon, places["lat"].to_numpy(float), places["lon"].to_numpy(float))
            d = d / places["kind"].map(lambda k: MATCH_LARGE_M.get(str(k), MATCH_M) / MATCH_M).to_numpy(float)
            best = int(np.argmin(d))
            if d[best] <= MATCH_M:
                name, kind, source = (
                    str(places["name"].iloc[best]),
                    str(places["kind"].iloc[best]),
                    "données ouvertes",
                )
        if not name and named is not None and len(named):
            d = haversine_m(row.lat, row.lon, named["lat"].to_numpy(float), named["lon"].to_numpy(float))
            best = int(np.argmin(d))
            if d[best] <= AT_PLACE_M:
                name = str(named["name"].iloc[best])
                kind, source = kind_from_name(name) or "other", "nom de la visite"
        names.append(name)
        kinds.append(kind)
        sources.append(source)
    return centres.assign(name=names, kind=kinds, kind_source=sources)


def select_outings(
    trips: pd.DataFrame,
    home: Place | None,
    work: Place | None,
    *,
    evening_hour: float = EVENING_HOUR,
    at_place_m: float = AT_PLACE_M,
) -> pd.DataFrame:
    """The outings among ``trips``: in the evening, at the weekend or on a public holiday, with one end
    neither home nor work. Adds ``when``, ``place_lat``/``place_lon`` (the end that is not home or work,
    the destination when neither is) and ``from_lat``/``from_lon`` (the other end).
    """
    t = trips.dropna(subset=["start_lat", "start_lon", "end_lat", "end_lon"])
    when = outing_kind(t, evening_hour=evening_hour)
    start_usual = _near(home, t["start_lat"], t["start_lon"], at_place_m) | _near(
        work, t["start_lat"], t["start_lon"], at_place_m
    )
    end_usual = _near(home, t["end_lat"], t["end_lon"], at_place_m) | _near(
        work, t["end_lat"], t["end_lon"], at_place_m
    )
    keep = (when != "").to_numpy() & ~(start_usual & end_usual)
    out = t[keep].copy()
    to_end = ~end_usual[keep]
    out["when"] = when[keep]
    out["place_lat"] = np.where(to_end, out["end_lat"], out["start_lat"])
    out["place_lon"] = np.where(to_end, out["end_lon"], out["start_lon"])
    out["from_lat"] = np.where(to_end, out["start_lat"], out["end_lat"])
    out["from_lon"] = np.where(to_end, out["start_lon"], out["end_lon"])
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class Outings(Result):
    """My outings (evenings, weekends, public holidays; not between home and work): each trip with its
    kg CO2e and the place it leads to, the places of my outings, my km and kg CO2e per month.
    """

    trips: pd.DataFrame
    all_trips: pd.DataFrame
    places: pd.DataFrame
    home: Place | None
    work: Place | None
    visits: pd.DataFrame | None = None
    evening_hour: float = EVENING_HOUR
    repeated: int = 0
    home_reason: str | None = None
    doubts: tuple[str, ...] = ()

    @property
    def months(self) -> float:
        """Months covered by all my trips (the period the yearly figures are scaled from)."""
        return months_covered(self.all_trips) if len(self.all_trips) else 0.0

    @property
    def km(self) -> pd.DataFrame:
        """Outing km per month (rows) and mode (columns)."""
        return km_by_mode_month(self.trips)

    @property
    def co2(self) -> pd.DataFrame:
        """Outing kg CO2e per month (rows) and mode (columns)."""
        return co2_by_month(self.trips)

    def figures(self) -> dict[str, Figure]:
        """How many outings, their km by mode, kg CO2e per month, share of my km, count by kind of place."""
        names = (
            "leisure_trips",
            "leisure_km_by_mode",
            "leisure_kgco2e_per_month",
            "leisure_share_of_km",
            "leisure_trips_by_kind",
        )
        if self.all_trips.empty:
            return {n: missing(NO_TRIP) for n in names}
        t, w = self.trips, self.doubts
        out = {"leisure_trips": figure(len(t), warnings=w)}
        if t.empty:
            return out | {n: missing(NO_OUTING) for n in names[1:]}
        total_km = float(self.all_trips["km"].sum())
        return out | {
            "leisure_km_by_mode": figure(
                {m: round(float(v), 1) for m, v in t.groupby("mode")["km"].sum().items()}, warnings=w
            ),
            "leisure_kgco2e_per_month": figure(float(t["kgco2e"].sum()) / self.months, digits=1, warnings=w),
            "leisure_share_of_km": figure(
                float(t["km"].sum()) / total_km if total_km else None, digits=3, warnings=w
            ),
            "leisure_trips_by_kind": figure(
                {str(k): int(v) for k, v in t["kind"].value_counts().items()}, warnings=w
            ),
        }

    def notes(self) -> list[str]:
        """The trips counted once though recorded twice; home or work unknown; modes without a factor."""
        out = []
        if self.repeated == 1:
            out.append(
                "Un trajet présent à la fois dans mon historique et dans une trace GPX est compté une fois."
            )
        elif self.repeated:
            out.append(
                f"{self.repeated} trajets présents à la fois dans mon historique et dans une trace GPX sont "
                "comptés une fois chacun."
            )
        if self.home is None and len(self.all_trips):
            out.append(
                f"{self.home_reason or 'domicile inconnu'} : toutes mes sorties du soir et du week-end sont "
                "gardées, même celles qui partent de chez moi pour y revenir."
            )
        no_factor = (
            sorted(set(self.trips.loc[self.trips["kgco2e"].isna(), "mode"])) if len(self.trips) else []
        )
        if no_factor:
            out.append(f"Sans facteur d'émission, donc comptés à zéro : {', '.join(no_factor)}.")
        return out

    @property
    def table(self) -> pd.DataFrame | str:
        """My outings by kind of place: trips, km, of which by car, kg CO2e — in French."""
        if self.trips.empty:
            return NO_TRIP if self.all_trips.empty else NO_OUTING
        t = self.trips.assign(car_km=self.trips["km"].where(self.trips["mode"] == "car", 0.0))
        table = t.groupby("kind").agg(
            trajets=("km", "size"), km=("km", "sum"), car=("car_km", "sum"), co2=("kgco2e", "sum")
        )
        table.index = pd.Index([KIND_FR.get(str(k), str(k)) for k in table.index], name="genre de lieu")
        table = table.rename(columns={"car": "dont en voiture (km)", "co2": "kg CO₂e"}).sort_values(
            "trajets", ascending=False
        )
        return table.round(1)


def leisure_trips(
    travel: Travel,
    location: dict[str, pd.DataFrame | None],
    factors: pd.DataFrame,
    places: pd.DataFrame | None = None,
    *,
    evening_hour: float = EVENING_HOUR,
) -> Outings:
    """My outings among my trips (:func:`select_outings`), with home and work from my location data, each
    trip's kg CO2e (:func:`selfdata_lib.analysis.mobility.add_emissions`) and the place it leads to.
    """
    visits, points = location.get("visits"), location.get("location_points")
    home, home_reason = find_place("auto", label="HOME", visits=visits, points=points)
    work, _ = find_place("auto", label="WORK", visits=visits, points=points)
    trips, again = drop_repeated_trips(travel.trips)  # travel() already counts a repeated ride once
    repeated = travel.repeated + again
    all_trips = add_emissions(trips, factors) if len(trips) else trips.assign(km=[], month=[], kgco2e=[])
    outings = (
        select_outings(all_trips, home, work, evening_hour=evening_hour) if len(all_trips) else all_trips
    )
    if len(outings):
        labels = cluster_points(outings["place_lat"].to_numpy(float), outings["place_lon"].to_numpy(float))
        outings = outings.assign(place_id=labels)
        centres = outings.groupby("place_id").agg(
            lat=("place_lat", "median"), lon=("place_lon", "median"), trips=("km", "size")
        )
        named = _place_names(centres, places, visits)
        named["name"] = [
            r["name"] or _fallback_name(float(r["lat"]), float(r["lon"]), home, int(k))
            for k, r in zip(named.index, named.to_dict("records"), strict=True)
        ]
        outings = outings.join(named[["name", "kind"]], on="place_id")
    else:
        named = pd.DataFrame(columns=["lat", "lon", "trips", "name", "kind", "kind_source"])
        outings = outings.assign(place_id=[], name=[], kind=[])
    frames = [f for f in location.values() if f is not None]
    doubts = tuple(dict.fromkeys([*travel.doubts, *import_doubts(*frames)]))
    return Outings(outings, all_trips, named, home, work, visits, evening_hour, repeated, home_reason, doubts)


def _fallback_name(lat: float, lon: float, home: Place | None, k: int) -> str:
    """A name for a place nobody named: how far it is from home (« lieu à 1,3 km de mon domicile »)."""
    from selfdata_lib import fr

    if home is None:
        return f"lieu n° {k + 1}"
    return (
        f"lieu à {fr.number(float(haversine_m(home.lat, home.lon, lat, lon)) / 1000, 1)} km de mon domicile"
    )


# --- What I can reach from my usual places -------------------------------------------------------------------


def usual_places(outings: Outings, *, frequent: int = 1) -> list[tuple[str, Place]]:
    """``(label, place)`` of home, work and the ``frequent`` places I visit most (other than those two):
    counted in my visits when I have some, else in my outings.
    """
    out = [
        (label, p) for label, p in (("domicile", outings.home), ("travail", outings.work)) if p is not None
    ]
    v = outings.visits
    if v is not None and len(v):
        v = v[
            ~_near(outings.home, v["lat"], v["lon"], AT_PLACE_M)
            & ~_near(outings.work, v["lat"], v["lon"], AT_PLACE_M)
        ]
    if v is not None and len(v):
        labels = cluster_points(v["lat"].to_numpy(float), v["lon"].to_numpy(float))
        counts = pd.Series(labels).value_counts()
        for label in counts.index[:frequent]:
            part = v[labels == label]
            name = _frequent_name(outings, float(part["lat"].median()), float(part["lon"].median()))
            out.append(
                (name, Place(float(part["lat"].median()), float(part["lon"].median()), "visits", name))
            )
    elif len(outings.places):
        for row in outings.places.sort_values("trips", ascending=False).head(frequent).to_dict("records"):
            name = str(row["name"])
            out.append((name, Place(float(row["lat"]), float(row["lon"]), "outings", name)))
    return out


def _frequent_name(outings: Outings, lat: float, lon: float) -> str:
    """The name of my most visited place: that of the outing place there (when someone named it), else
    « mon lieu le plus fréquenté ».
    """
    p = outings.places
    if len(p):
        d = haversine_m(lat, lon, p["lat"].to_numpy(float), p["lon"].to_numpy(float))
        name = str(p["name"].iloc[int(np.argmin(d))])
        if d.min() <= SAME_PLACE_M and not name.startswith("lieu "):
            return name
    return "mon lieu le plus fréquenté"


#: How a usual place is named in a sentence.
WHO = {"domicile": "mon domicile", "travail": "mon lieu de travail"}


def coverage_gap(place: Place, places: pd.DataFrame) -> str | None:
    """How far ``place`` lies outside the area of the leisure places loaded (more than
    :data:`COVER_MARGIN_M` beyond the box around them): « à 154 km de La Rochelle »; ``None`` when they
    cover it.
    """
    if places.empty:
        return "sans aucun lieu de loisirs autour"
    lat, lon = places["lat"].to_numpy(float), places["lon"].to_numpy(float)
    margin_lat = COVER_MARGIN_M / 111_195
    margin_lon = margin_lat / max(np.cos(np.radians(place.lat)), 0.1)
    inside = (lat.min() - margin_lat <= place.lat <= lat.max() + margin_lat) and (
        lon.min() - margin_lon <= place.lon <= lon.max() + margin_lon
    )
    if inside:
        return None
    prov = places.attrs.get("provenance") or {}
    if str(prov.get("dataset", "")).startswith("larochelle"):
        km = haversine_m(place.lat, place.lon, *territories.get("la-rochelle").centre) / 1000
        return f"à {km:.0f} km de La Rochelle"
    return f"à {float(np.min(haversine_m(place.lat, place.lon, lat, lon))) / 1000:.0f} km du lieu de loisirs le plus proche"


def _outside_sentence(usual: pd.DataFrame, places: pd.DataFrame) -> str:
    """One French sentence for the usual places outside the area of the leisure places loaded."""
    out = usual[~usual["covered"]]
    listed = ", ".join(f"{WHO.get(str(r.label), str(r.label))} ({r.reason})" for r in out.itertuples())
    sample = " de l'échantillon du projet" if (places.attrs.get("provenance") or {}).get("sample") else ""
    return (
        f"Hors de la zone des lieux de loisirs chargés{sample} : {listed}. Ces lieux-là ne leur sont pas "
        "appliqués et rien n'est compté depuis là ; donnez les lieux de mon territoire dans "
        "SELFDATA_OPENDATA_PATH."
    )


@dataclass(frozen=True)
class Reach(Result):
    """The leisure places within 15 and 30 minutes on foot, by bike and by bus from my usual places."""

    usual: pd.DataFrame
    minutes: pd.DataFrame
    stops: pd.DataFrame | None = None
    reason: str | None = None
    times: TravelTimes = field(default_factory=TravelTimes)
    outside: str | None = None

    def within(self, mode: str, limit: float) -> pd.DataFrame:
        """Rows of :attr:`minutes` (one per usual place and leisure place) within ``limit`` by ``mode``."""
        m = self.minutes
        return m[m[f"{mode}_min"].to_numpy(float) <= limit + TOLERANCE_MIN] if len(m) else m

    def count(self, mode: str, limit: float) -> int:
        """Distinct leisure places within ``limit`` by ``mode`` from at least one of my usual places."""
        return int(self.within(mode, limit)["place"].nunique()) if len(self.minutes) else 0

    def figures(self) -> dict[str, Figure]:
        """Places within 15 and 30 min by bike, 15 on foot, 30 by bus; by usual place; my usual places."""
        names = {
            "places_reachable_15min_bike": ("bike", 15),
            "places_reachable_30min_bike": ("bike", 30),
            "places_reachable_15min_walk": ("walk", 15),
            "places_reachable_30min_bus": ("bus", 30),
        }
        covered = self.usual[self.usual["covered"]] if len(self.usual) else self.usual
        labels = [str(x) for x in self.usual["label"]] if len(self.usual) else []
        if covered.empty:
            why = (
                self.reason or "aucun de mes lieux habituels n'est dans la zone des lieux de loisirs chargés"
            )
            return {n: missing(why) for n in names} | {
                "reachable_15min_bike_by_place": missing(why),
                "usual_places": figure(labels) if labels else missing(why),
            }
        warn = [
            f"sans {WHO.get(str(r.label), str(r.label))}, {r.reason}, hors de la zone des lieux chargés"
            for r in self.usual.itertuples()
            if not r.covered
        ]
        by_place = self.within("bike", 15).groupby("usual")["place"].nunique()
        return {n: figure(self.count(mode, limit), warnings=warn) for n, (mode, limit) in names.items()} | {
            "reachable_15min_bike_by_place": figure(
                {str(u): int(by_place.get(u, 0)) for u in covered["label"]}
            ),
            "usual_places": figure(labels),
        }

    def notes(self) -> list[str]:
        """The usual places the leisure places loaded do not cover, in one sentence."""
        return [self.outside] if self.outside else []

    @property
    def table(self) -> pd.DataFrame | str:
        """Per usual place: how many leisure places within 15 and 30 minutes on foot, by bike, by bus."""
        if self.usual.empty:
            return self.reason or "aucun lieu habituel"
        rows = {}
        for u in self.usual.itertuples():
            counts: dict[str, Any] = {}
            for mode in ("walk", "bike", "bus"):
                for limit in LIMITS_MIN:
                    part = self.within(mode, limit)
                    n = int((part["usual"] == u.label).sum()) if len(part) else 0
                    counts[f"{MODE_FR[mode]}, {limit} min"] = n if u.covered else None
            rows[str(u.label)] = counts
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("depuis")

    @property
    def nearest(self) -> pd.DataFrame | str | None:
        """From my first usual place (home when known): the nearest place of each kind by bike, and its times."""
        covered = self.usual[self.usual["covered"]] if len(self.usual) else self.usual
        if covered.empty:
            return None  # the reason is noted with the figures
        first = str(covered["label"].iloc[0])
        m = self.minutes[self.minutes["usual"] == first].sort_values("bike_min")
        best = m.groupby("kind", sort=False).head(1)
        table = pd.DataFrame(
            {
                "genre de lieu": [KIND_FR.get(str(k), str(k)) for k in best["kind"]],
                "le plus proche": best["name"].to_numpy(),
                "à pied (min)": best["walk_min"].round(0).to_numpy(),
                "à vélo (min)": best["bike_min"].round(0).to_numpy(),
                "en bus (min)": best["bus_min"].round(0).to_numpy(),
            }
        )
        return table.set_index("genre de lieu").rename_axis(f"depuis : {first}")


def reachable(
    outings: Outings,
    places: pd.DataFrame,
    stops: pd.DataFrame | None = None,
    *,
    frequent: int = 1,
    times: TravelTimes = TIMES,
) -> Reach:
    """Minutes on foot, by bike and by bus from each of my usual places (:func:`usual_places`) to every
    leisure place of ``places``; a usual place outside their area (:func:`coverage_gap`) gets none, and
    the places of another territory are never used for it.
    """
    usual = usual_places(outings, frequent=frequent)
    if not usual:
        reason: str | None = (
            "aucun lieu habituel connu (ni domicile, ni travail, ni lieu visité) dans mes exports"
        )
        return Reach(
            pd.DataFrame(columns=["label", "lat", "lon", "covered", "reason"]),
            _no_minutes(),
            stops,
            reason,
            times,
        )
    rows, parts = [], []
    for label, place in usual:
        why = coverage_gap(place, places)
        rows.append(
            {"label": label, "lat": place.lat, "lon": place.lon, "covered": why is None, "reason": why}
        )
        if why is not None:
            continue
        d = haversine_m(place.lat, place.lon, places["lat"].to_numpy(float), places["lon"].to_numpy(float))
        parts.append(
            pd.DataFrame(
                {
                    "usual": label,
                    "place": places.index.to_numpy(),
                    "name": places["name"].to_numpy(),
                    "kind": places["kind"].to_numpy(),
                    "lat": places["lat"].to_numpy(float),
                    "lon": places["lon"].to_numpy(float),
                    "distance_m": d,
                    "walk_min": times.minutes(d, "walk"),
                    "bike_min": times.minutes(d, "bike"),
                    "bus_min": times.bus_minutes(place.lat, place.lon, places["lat"], places["lon"], stops),
                }
            )
        )
    usual_frame = pd.DataFrame(rows)
    first = usual_frame.iloc[0]
    reason = (
        None
        if usual_frame["covered"].any()
        else f"{WHO.get(str(first['label']), str(first['label']))} est {first['reason']}, hors de la zone des "
        f"lieux de loisirs chargés{' (échantillon du projet)' if (places.attrs.get('provenance') or {}).get('sample') else ''}"
        " : rien n'est compté"
    )
    outside = None if usual_frame["covered"].all() else _outside_sentence(usual_frame, places)
    minutes = pd.concat(parts, ignore_index=True) if parts else _no_minutes()
    return Reach(usual_frame, minutes, stops, reason, times, outside)


def _no_minutes() -> pd.DataFrame:
    columns = [
        "usual",
        "place",
        "name",
        "kind",
        "lat",
        "lon",
        "distance_m",
        "walk_min",
        "bike_min",
        "bus_min",
    ]
    return pd.DataFrame(
        {c: pd.Series(dtype=object if c in ("usual", "name", "kind") else float) for c in columns}
    )


# --- The same outing, lower carbon ------------------------------------------------------------------------------


def _main_origin(group: pd.DataFrame) -> tuple[float, float]:
    """Where the trips to a place usually come from: the most frequent of their other ends."""
    labels = cluster_points(group["from_lat"].to_numpy(float), group["from_lon"].to_numpy(float))
    top = pd.Series(labels).value_counts().index[0]
    part = group[labels == top]
    return float(part["from_lat"].median()), float(part["from_lon"].median())


def _alternative(
    origin: tuple[float, float],
    place: tuple[float, float],
    kind: str,
    reach: Reach,
    places: pd.DataFrame | None,
    max_minutes: float,
) -> dict[str, Any] | None:
    """The lower-carbon way: the same place on foot, by bike or by bus within ``max_minutes``, else the
    nearest place of the same kind by bike, else by bus; ``None`` when nothing is within reach.
    """
    times = reach.times
    d = float(haversine_m(origin[0], origin[1], place[0], place[1]))
    same = {
        "walk": float(times.minutes(d, "walk")),
        "bike": float(times.minutes(d, "bike")),
        "bus": float(times.bus_minutes(origin[0], origin[1], place[0], place[1], reach.stops)[0]),
    }
    for mode, limit in (
        ("walk", min(WALK_MAX_MIN, max_minutes)),
        ("bike", max_minutes),
        ("bus", max_minutes),
    ):
        if same[mode] <= limit + TOLERANCE_MIN:
            return {
                "mode": mode,
                "minutes": same[mode],
                "distance_m": d,
                "name": "",
                "lat": place[0],
                "lon": place[1],
            }
    if kind == "other" or places is None or places.empty:
        return None
    if coverage_gap(Place(origin[0], origin[1], "origin"), places) is not None:
        return None
    alike = places[places["kind"] == kind]
    if alike.empty:
        return None
    dist = haversine_m(origin[0], origin[1], alike["lat"].to_numpy(float), alike["lon"].to_numpy(float))
    by_mode = {
        "bike": times.minutes(dist, "bike"),
        "bus": times.bus_minutes(origin[0], origin[1], alike["lat"], alike["lon"], reach.stops),
    }
    for mode, minutes in by_mode.items():
        ok = np.flatnonzero(np.nan_to_num(minutes, nan=np.inf) <= max_minutes + TOLERANCE_MIN)
        if len(ok):
            best = ok[int(np.argmin(minutes[ok]))]
            return {
                "mode": mode,
                "minutes": float(minutes[best]),
                "distance_m": float(dist[best]),
                "name": str(alike["name"].iloc[best]),
                "lat": float(alike["lat"].iloc[best]),
                "lon": float(alike["lon"].iloc[best]),
            }
    return None


@dataclass(frozen=True)
class Swaps(Result):
    """For each place I drive to on my outings: the same outing on foot, by bike or by bus (or the same kind
    of place within reach), and the kg CO2e it saves per year at my frequency.
    """

    swaps: pd.DataFrame
    car_trips: int
    months: float
    max_minutes: float
    reason: str | None = None

    def figures(self) -> dict[str, Figure]:
        """Car outings, how many places have a swap, the kg CO2e saved per year, what car outings emit."""
        names = (
            "car_leisure_trips",
            "suggested_swaps",
            "kgco2e_saved_per_year",
            "car_leisure_kgco2e_per_year",
        )
        if self.reason:
            return {n: missing(self.reason) for n in names} | {"places_without_swap": missing(self.reason)}
        s = self.swaps
        found = s[s["mode"].notna()] if len(s) else s
        return {
            "car_leisure_trips": figure(self.car_trips),
            "suggested_swaps": figure(len(found)),
            "kgco2e_saved_per_year": figure(float(s["saved_kgco2e_year"].sum()) if len(s) else 0.0, digits=1),
            "car_leisure_kgco2e_per_year": figure(
                float(s["car_kgco2e_year"].sum()) if len(s) else 0.0, digits=1
            ),
            "places_without_swap": figure(
                [str(n) for n in s.loc[s["mode"].isna(), "place"]] if len(s) else []
            ),
        }

    def notes(self) -> list[str]:
        """How a saving is counted."""
        if self.reason or self.swaps.empty:
            return []
        from selfdata_lib import fr

        return [
            "Économie par an = (mes trajets en voiture vers ce lieu − les mêmes trajets faits autrement) × 12 / "
            f"{fr.number(self.months, 1)} mois couverts par mon export ; marche et vélo comptent zéro, le bus "
            "son facteur ADEME."
        ]

    @property
    def table(self) -> pd.DataFrame | str:
        """The swaps, one row per place I drive to, in French."""
        if self.reason:
            return self.reason
        if self.swaps.empty:
            return "Aucune sortie en voiture : rien à remplacer."
        s = self.swaps
        return pd.DataFrame(
            {
                "genre": [KIND_FR.get(str(k), str(k)) for k in s["kind"]],
                "trajets en voiture par an": s["car_trips_year"].round(0).to_numpy(),
                "kg CO₂e par an aujourd'hui": s["car_kgco2e_year"].round(1).to_numpy(),
                "autrement": s["suggestion"].to_numpy(),
                "kg CO₂e évités par an": s["saved_kgco2e_year"].round(1).to_numpy(),
            },
            index=pd.Index(s["place"].to_numpy(), name="lieu de sortie"),
        )


def _suggestion_text(alt: dict[str, Any] | None, max_minutes: float) -> str:
    if alt is None:
        return f"rien à moins de {max_minutes:.0f} min à pied, à vélo ou en bus, ni ce lieu ni un lieu du même genre"
    where = f"{alt['name']}, " if alt["name"] else "le même lieu, "
    return f"{where}{MODE_FR[alt['mode']]} ({alt['minutes']:.0f} min)"


def suggest_swaps(
    outings: Outings,
    reach: Reach,
    factors: pd.DataFrame,
    places: pd.DataFrame | None = None,
    *,
    max_minutes: float = 30.0,
) -> Swaps:
    """For each outing place I drive to (:attr:`Outings.places`), :func:`_alternative` from where those
    trips usually start; the kg CO2e of those car trips minus the alternative's (the same number of
    trips over the alternative's distance × detour, at its mode's factor), per year.
    """
    if outings.all_trips.empty:
        return Swaps(pd.DataFrame(), 0, 0.0, max_minutes, NO_TRIP)
    car = outings.trips[outings.trips["mode"] == "car"] if len(outings.trips) else outings.trips
    per_year = 12 / outings.months
    factor = factors.drop_duplicates("mode").set_index("mode")["kgco2e_per_km"]
    rows = []
    for place_id, group in car.groupby("place_id", sort=False):
        info = outings.places.loc[place_id].to_dict()
        origin = _main_origin(group)
        alt = _alternative(
            origin, (float(info["lat"]), float(info["lon"])), str(info["kind"]), reach, places, max_minutes
        )
        car_kg = float(group["kgco2e"].sum())
        alt_kg = 0.0
        if alt is not None:
            alt_kg = (
                len(group)
                * alt["distance_m"]
                * reach.times.detour
                / 1000
                * float(factor.get(FACTOR_MODE[alt["mode"]], 0.0))
            )
        rows.append(
            {
                "place": str(info["name"]),
                "kind": str(info["kind"]),
                "lat": float(info["lat"]),
                "lon": float(info["lon"]),
                "from_lat": origin[0],
                "from_lon": origin[1],
                "car_trips": len(group),
                "car_trips_year": len(group) * per_year,
                "car_km": float(group["km"].sum()),
                "car_kgco2e_year": car_kg * per_year,
                "mode": alt["mode"] if alt else None,
                "minutes": alt["minutes"] if alt else None,
                "alt_name": alt["name"] if alt else None,
                "alt_lat": alt["lat"] if alt else None,
                "alt_lon": alt["lon"] if alt else None,
                "suggestion": _suggestion_text(alt, max_minutes),
                "saved_kgco2e_year": (car_kg - alt_kg) * per_year if alt else 0.0,
            }
        )
    swaps = pd.DataFrame(rows)
    if len(swaps):
        swaps = swaps.sort_values("car_kgco2e_year", ascending=False, ignore_index=True)
    return Swaps(swaps, len(car), outings.months, max_minutes)


# --- The reading ------------------------------------------------------------------------------------------------


def interpret(outings: Outings, reach: Reach, swaps: Swaps) -> Reading:
    """A French reading of my outings, computed from my results (never written for a persona): how many,
    how far, by which mode and what they emit make the headline, with what the swaps would save; what I
    can reach from my usual places follows.
    """
    from selfdata_lib import fr

    if outings.all_trips.empty:
        return Reading([f"Mes exports ne contiennent aucun trajet : rien à chiffrer ({NO_TRIP})."])
    t = outings.trips
    if t.empty:
        head = [
            f"Aucun de mes {fr.plural(len(outings.all_trips), 'trajet')} n'est une sortie du soir (après "
            f"{outings.evening_hour:g} h) ou du week-end vers un autre lieu que mon domicile ou mon travail."
        ]
        return Reading(head, [_reach_sentence(reach)])
    km = t.groupby("mode")["km"].sum().sort_values(ascending=False)
    total_km, total_kg = float(km.sum()), float(t["kgco2e"].sum())
    share = total_km / float(outings.all_trips["km"].sum())
    head = [
        f"En {fr.number(outings.months, 1)} mois, {fr.plural(len(t), 'trajet')} de soirée ou de week-end m'ont "
        f"fait parcourir {fr.number(total_km)} km ({fr.percent(share)} de mes kilomètres) ; "
        f"{MODE_NAME.get(str(km.index[0]), str(km.index[0]))} en assure {fr.percent(km.iloc[0] / total_km)}, et ces "
        f"sorties émettent {fr.number(total_kg / outings.months, 1)} kg CO₂e par mois."
    ]
    s = swaps.swaps
    if not swaps.reason and len(s):
        saved = float(s["saved_kgco2e_year"].sum())
        found = s[s["mode"].notna()]
        if len(found):
            best = found.sort_values("saved_kgco2e_year", ascending=False).iloc[0]
            which = (
                "au seul lieu"
                if len(s) == 1
                else f"à chacun des {len(s)} lieux"
                if len(found) == len(s)
                else f"à {fr.number(len(found))} des {len(s)} lieux"
            )
            head.append(
                f"Aller autrement qu'en voiture {which} où je me rends en voiture éviterait {fr.number(saved)} kg "
                f"CO₂e par an, {fr.percent(saved / float(s['car_kgco2e_year'].sum()))} de ce qu'émettent mes "
                f"sorties en voiture ; la plus grosse économie : {best['place']} — {best['suggestion']}."
            )
        else:
            head.append(
                f"Pour aucun des lieux où je me rends en voiture je ne trouve d'autre façon d'y aller, ni de lieu "
                f"du même genre, à moins de {swaps.max_minutes:.0f} minutes à pied, à vélo ou en bus."
            )
    elif not swaps.reason:
        head.append("Je ne prends jamais la voiture pour ces sorties : rien à remplacer.")
    details = [_reach_sentence(reach)]
    if len(s) and s["mode"].isna().any():
        names = ", ".join(str(n) for n in s.loc[s["mode"].isna(), "place"])
        details.append(f"Sans alternative à moins de {swaps.max_minutes:.0f} minutes : {names}.")
    return Reading(head, details)


def _reach_sentence(reach: Reach) -> str:
    from selfdata_lib import fr

    covered = reach.usual[reach.usual["covered"]] if len(reach.usual) else reach.usual
    if covered.empty:
        return f"Je ne sais pas quels lieux de loisirs sont près de mes lieux habituels : {reach.reason}."
    n15, n30, b30 = reach.count("bike", 15), reach.count("bike", 30), reach.count("bus", 30)
    labels = ", ".join(str(x) for x in covered["label"])
    return (
        f"Depuis mes lieux habituels ({labels}), {fr.plural(n15, 'lieu de loisirs ou de culture', 'lieux de loisirs ou de culture')} "
        f"{'est' if n15 < 2 else 'sont'} à moins de 15 minutes à vélo, {fr.number(n30)} à moins de 30, et "
        f"{fr.number(b30)} à moins de 30 minutes en bus (distances à vol d'oiseau × {fr.number(reach.times.detour, 1)})."
    )
