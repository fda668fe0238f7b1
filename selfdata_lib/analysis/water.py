"""My water use: litres per person and per day, profile, leak detection, savings.

Works on any water frame of :mod:`selfdata_lib.exports` (``start``, ``end``, ``litres``; several meters
are summed). Leak detection looks for a lasting rise of the daily level — a running toilet or a
dripping pipe adds a steady flow day and night — with change-point detection (``ruptures``, PELT with
a median cost, robust to single heavy days).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any, TypedDict, cast

import numpy as np
import pandas as pd

from selfdata_lib.analysis import privacy
from selfdata_lib.results import Figure, Reading, Result, figure, import_doubts, missing
from selfdata_lib.synth.households import simulate_household

TZ = "Europe/Paris"


class NationalReference(TypedDict):
    """A national figure of domestic water use, with its source."""

    litres_per_person_day: float
    source: str
    url: str


class WaterPrice(TypedDict):
    """A price of water, all charges included, with its source."""

    eur_per_m3: float
    source: str
    url: str


class SavingAction(TypedDict):
    """A water-saving action, its typical saving (per person, or per household) and its source."""

    action: str
    litres_per_day: float
    per: str
    source: str


class Release(TypedDict):
    """The parameters of the cooperative's differentially private release."""

    lower: float
    upper: float
    bin_width: float
    epsilon: float
    min_contributors: int
    period: str


#: Average domestic use in France, litres per person per day (drinking-water services observatory).
NATIONAL_REFERENCE: NationalReference = {
    "litres_per_person_day": 148.0,
    "source": "Observatoire des services publics d'eau et d'assainissement (SISPEA), rapport national "
    "2023 sur les données 2020 : 148 litres par jour et par habitant",
    "url": "https://www.services.eaufrance.fr/panorama/consommation",
}

#: Default water price for the Métropole de Lyon, all charges included (€/m3). An order of magnitude
#: to check against one's own bill: the price per m3 is on every bill, and the parameter is there for it.
DEFAULT_PRICE_LYON: WaterPrice = {
    "eur_per_m3": 3.50,
    "source": "Métropole de Lyon, prix de l'eau potable et de l'assainissement (facture type 120 m3, "
    "ordre de grandeur 2024, toutes redevances et TVA comprises)",
    "url": "https://www.grandlyon.com/services/eau/prix-de-leau",
}

#: Water-saving actions and their typical saving (litres per person per day unless ``per`` says so).
SAVING_ACTIONS: list[SavingAction] = [
    {
        "action": "Pommeau de douche économe (6–8 l/min au lieu de 12–15)",
        "litres_per_day": 25.0,
        "per": "person",
        "source": "ADEME, « Réduire sa consommation d'eau » : un pommeau économe divise "
        "par deux le débit de la douche (≈ 5 min par jour)",
    },
    {
        "action": "Mousseurs sur les robinets",
        "litres_per_day": 8.0,
        "per": "person",
        "source": "ADEME : un mousseur réduit de 30 à 50 % le débit d'un robinet",
    },
    {
        "action": "Chasse d'eau à double commande (3/6 l au lieu de 9 l)",
        "litres_per_day": 12.0,
        "per": "person",
        "source": "Centre d'information sur l'eau (CIEau) : 4 chasses par jour et par "
        "personne, 3 l économisés à chaque fois",
    },
]


def daily_litres(water: pd.DataFrame) -> pd.Series:
    """Litres per local day (all meters summed). A reading covering several days is spread evenly over
    them; days without any reading are absent (not zero).
    """
    if water.empty:
        return pd.Series(dtype=float, name="litres")
    start = water["start"].dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()
    end = water["end"].dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()
    n_days = ((end - start).dt.days).clip(lower=1)
    if (n_days == 1).all():
        out = water["litres"].groupby(start.to_numpy()).sum()
    else:
        rows = np.repeat(np.arange(len(water)), n_days.to_numpy())
        offsets = np.concatenate([np.arange(n) for n in n_days.to_numpy()])
        days = start.to_numpy()[rows] + offsets.astype("timedelta64[D]")
        share = (water["litres"].to_numpy() / n_days.to_numpy())[rows]
        out = pd.Series(share).groupby(days).sum()
    out.index = pd.DatetimeIndex(out.index, name="day")
    return out.sort_index().rename("litres")


@dataclass(frozen=True)
class WaterUse(Result):
    """My water use over the export: litres per day, per person and per day, and the profile.

    ``litres_per_person_day`` is ``None`` when no day was read (``reason`` says so); ``doubts`` are the
    import warnings of the files it comes from, shown next to every figure computed from them.
    """

    daily: pd.Series
    occupants: int
    total_litres: float
    days_covered: int
    litres_per_person_day: float | None
    first_day: pd.Timestamp | None
    last_day: pd.Timestamp | None
    doubts: tuple[str, ...] = ()

    @property
    def profile(self) -> pd.DataFrame:
        """Litres per person per day by season and by type of day (weekday, weekend)."""
        return profile(self.daily, self.occupants)["table"]

    def figures(self) -> dict[str, Figure]:
        """``litres_per_person_day`` and ``days_covered``."""
        return {
            "litres_per_person_day": figure(
                self.litres_per_person_day, digits=1, reason="aucun jour relevé", warnings=self.doubts
            ),
            "days_covered": figure(self.days_covered),
        }


def per_person(daily: pd.Series, occupants: int, *, doubts: tuple[str, ...] = ()) -> WaterUse:
    """Total litres, days covered and litres per person per day (total / days covered / occupants)."""
    if occupants < 1:
        msg = f"occupants must be at least 1, got {occupants}"
        raise ValueError(msg)
    days = int(daily.notna().sum())
    total = float(daily.sum())
    return WaterUse(
        daily=daily,
        occupants=int(occupants),
        total_litres=total,
        days_covered=days,
        litres_per_person_day=total / days / occupants if days else None,
        first_day=daily.index.min() if days else None,
        last_day=daily.index.max() if days else None,
        doubts=doubts,
    )


def usage(water: pd.DataFrame, occupants: int) -> WaterUse:
    """My water use from a water frame of :mod:`selfdata_lib.exports` (several meters summed)."""
    return per_person(daily_litres(water), occupants, doubts=import_doubts(water))


class WaterProfile(TypedDict):
    """Litres per person per day by month, type of day and season, and the last two as a table."""

    by_month: pd.Series
    by_daytype: pd.Series
    by_season: pd.Series
    table: pd.DataFrame


def profile(daily: pd.Series, occupants: int) -> WaterProfile:
    """Litres per person per day by month, weekday/weekend and season (and ``table``: the last two as
    one frame to show).
    """
    lpd = daily / occupants
    days = cast(pd.DatetimeIndex, lpd.index)  # daily_litres' local days
    season = days.month.map(
        {
            12: "hiver",
            1: "hiver",
            2: "hiver",
            3: "printemps",
            4: "printemps",
            5: "printemps",
            6: "été",
            7: "été",
            8: "été",
            9: "automne",
            10: "automne",
            11: "automne",
        }
    )
    by_month = lpd.groupby(days.to_period("M")).mean().rename("litres_per_person_day")
    by_daytype = lpd.groupby(np.where(days.day_of_week >= 5, "week-end", "semaine")).mean()
    by_season = lpd.groupby(season).mean()
    return {
        "by_month": by_month,
        "by_daytype": by_daytype,
        "by_season": by_season,
        "table": pd.concat({"saison": by_season, "type de jour": by_daytype}).to_frame("l/pers/jour"),
    }


@dataclass
class Leak:
    """A lasting rise of the daily level: ``start`` (first leaking day), ``end`` (last one), extra
    litres per day over the level around it, and whether it is still running at the end of the data.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    extra_litres_per_day: float
    days: int
    ongoing: bool

    @property
    def litres_lost(self) -> float:
        """Litres lost over the leak's days."""
        return self.extra_litres_per_day * self.days

    def cost_eur(self, price_eur_m3: float) -> float:
        """What the lost water cost at ``price_eur_m3``."""
        return self.litres_lost / 1000 * price_eur_m3

    def as_dict(self) -> dict[str, Any]:
        """The leak as plain values (ISO dates), for results and tables."""
        d = asdict(self)
        d.update(
            start=self.start.date().isoformat(), end=self.end.date().isoformat(), litres_lost=self.litres_lost
        )
        return d


def _noise_scale(x: np.ndarray) -> float:
    """Robust day-to-day noise (σ) of a series: MAD of first differences."""
    d = np.abs(np.diff(x))
    return float(np.median(d) / (0.6745 * np.sqrt(2))) if len(d) else 0.0


def segments(daily: pd.Series, *, penalty: float = 6.0, min_size: int = 5) -> pd.DataFrame:
    """Stretches of steady level found by change-point detection (PELT, L1 cost, penalty
    ``penalty × noise``): ``start``, ``end`` (inclusive days), ``days``, ``median``, ``q20``.
    """
    import ruptures as rpt

    s = daily.asfreq("D")
    x = s.interpolate(limit=5).bfill().ffill().to_numpy(dtype=float)
    if len(x) < 2 * min_size:
        bounds = [len(x)]
    else:
        sigma = max(_noise_scale(x), 1.0)
        bounds = (
            rpt.Pelt(model="l1", min_size=min_size, jump=1).fit(x.reshape(-1, 1)).predict(pen=penalty * sigma)
        )
    rows, first = [], 0
    for b in bounds:
        part = x[first:b]
        rows.append(
            {
                "start": s.index[first],
                "end": s.index[b - 1],
                "days": b - first,
                "median": float(np.median(part)),
                "q20": float(np.quantile(part, 0.2)),
            }
        )
        first = b
    return pd.DataFrame(rows)


def detect_leaks(
    daily: pd.Series,
    *,
    min_extra_litres: float = 30.0,
    min_extra_share: float = 0.15,
    min_days: int = 7,
    penalty: float = 6.0,
    away_ratio: float = 0.25,
) -> list[Leak]:
    """Leaks in a daily series: stretches at least ``min_days`` long whose level (median, and low
    quantile: a leak runs day and night) exceeds that of the normal stretches on both sides by at
    least ``min_extra_litres`` a day and ``min_extra_share`` of their level.

    Stretches far below the usual level (``away_ratio`` of the overall median: holidays) are neither
    leaks nor references.
    """
    if daily.dropna().empty:
        return []
    seg = segments(daily, penalty=penalty)
    overall = float(daily.median())
    seg["away"] = seg["median"] < away_ratio * overall
    leaks: list[Leak] = []
    for i, (_, row) in enumerate(seg.iterrows()):  # segments' index is 0, 1, …: labels are positions
        if row["away"] or row["days"] < min_days:
            continue
        before = seg.loc[: i - 1]
        after = seg.loc[i + 1 :]
        refs = [r for r in (before[~before["away"]].tail(1), after[~after["away"]].head(1)) if len(r)]
        if not refs:
            continue
        # a leak stands above the normal level on *both* sides (a slow seasonal drift does not)
        ref_median = max(float(r["median"].iloc[0]) for r in refs)
        ref_q20 = max(float(r["q20"].iloc[0]) for r in refs)
        extra = row["median"] - ref_median
        threshold = max(min_extra_litres, min_extra_share * ref_median)
        if extra >= threshold and row["q20"] - ref_q20 >= 0.5 * threshold:
            leaks.append(
                Leak(
                    start=row["start"],
                    end=row["end"],
                    extra_litres_per_day=float(extra),
                    days=int(row["days"]),
                    ongoing=bool(i == seg.index[-1]),
                )
            )
    # two adjacent rising stretches are one leak getting worse: merge them
    merged: list[Leak] = []
    for leak in leaks:
        if merged and (leak.start - merged[-1].end).days <= 1:
            prev = merged[-1]
            days = prev.days + leak.days
            merged[-1] = Leak(
                prev.start, leak.end, (prev.litres_lost + leak.litres_lost) / days, days, leak.ongoing
            )
        else:
            merged.append(leak)
    return merged


def savings(
    occupants: int,
    price_eur_m3: float,
    leak: Leak | None = None,
    *,
    litres_per_person_day: float | None = None,
) -> pd.DataFrame:
    """Litres and euros a year saved by each action (and by repairing a leak still running).

    The actions' savings are those of an average household (148 l per person per day); a household
    that already uses less saves proportionally less (``litres_per_person_day`` scales them down, never
    up), so that a sober household is not promised more than it could save.
    """
    scale = 1.0
    if litres_per_person_day is not None and not math.isnan(litres_per_person_day):
        scale = min(1.0, max(litres_per_person_day, 0.0) / NATIONAL_REFERENCE["litres_per_person_day"])
    rows = []
    for a in SAVING_ACTIONS:
        litres = a["litres_per_day"] * scale * (occupants if a["per"] == "person" else 1) * 365
        rows.append(
            {
                "action": a["action"],
                "litres_per_year": litres,
                "eur_per_year": litres / 1000 * price_eur_m3,
                "source": a["source"],
            }
        )
    if leak is not None and leak.ongoing:
        litres = leak.extra_litres_per_day * 365
        rows.append(
            {
                "action": "Réparer la fuite détectée",
                "litres_per_year": litres,
                "eur_per_year": litres / 1000 * price_eur_m3,
                "source": "ce notebook (fuite détectée)",
            }
        )
    return pd.DataFrame(rows)


def district_of(lat: float, lon: float, districts: Any, name_col: str = "name") -> str | None:
    """The name of the district (polygon of ``districts``, WGS84) holding the point, or ``None``."""
    from shapely.geometry import Point

    hit = districts[districts.contains(Point(lon, lat))]
    return None if hit.empty else str(hit[name_col].iloc[0])


def leaks_table(leaks: list[Leak]) -> pd.DataFrame:
    """The leaks found, one row each (start, end, extra litres a day, days, litres lost, still running)."""
    columns = ["start", "end", "extra_litres_per_day", "days", "ongoing", "litres_lost"]
    return pd.DataFrame([lk.as_dict() for lk in leaks], columns=columns).round(
        {"extra_litres_per_day": 0, "litres_lost": 0}
    )


def largest_leak(leaks: list[Leak]) -> Leak | None:
    """The leak that lost the most water (``None`` when there is none)."""
    return max(leaks, key=lambda lk: lk.litres_lost) if leaks else None


@dataclass(frozen=True)
class LeakCheck(Result):
    """The leaks found in my daily series, the largest one, and what it cost at ``price_eur_m3``."""

    leaks: tuple[Leak, ...]
    #: ``None`` when no price is known (the territory describes none and I gave none): no euros then.
    price_eur_m3: float | None
    doubts: tuple[str, ...] = ()
    #: Where the price comes from (mine, or my territory file's source), or why there is none.
    price_note: str = ""

    @property
    def largest(self) -> Leak | None:
        """The leak that lost the most water (``None`` when there is none)."""
        return largest_leak(list(self.leaks))

    @property
    def table(self) -> pd.DataFrame:
        """One row per leak found."""
        return leaks_table(list(self.leaks))

    def figures(self) -> dict[str, Figure]:
        """Whether a leak was found, when it started, its litres per day and its cost."""
        leak = self.largest
        return {
            "leak_detected": figure(leak is not None),
            "leak_start": figure(leak.start.date().isoformat()) if leak else missing("aucune fuite détectée"),
            "leak_litres_per_day": figure(
                leak.extra_litres_per_day if leak else 0.0, digits=0, warnings=self.doubts
            ),
            "leak_cost_eur": (
                missing(self.price_note)
                if leak and self.price_eur_m3 is None
                else figure(
                    leak.cost_eur(self.price_eur_m3) if leak and self.price_eur_m3 else 0.0,
                    digits=2,
                    warnings=self.doubts,
                )
            ),
        }


def water_price(price_eur_m3: Any = "auto", territory: Any = None) -> tuple[float | None, str]:
    """The price of water to count in euros and where it comes from: mine when I give a number, else
    (``"auto"``) my territory file's ``water_price`` (``eur_m3`` and its ``source``), else ``None`` and why.
    """
    if price_eur_m3 not in (None, "", "auto"):
        return float(price_eur_m3), "le prix que j'ai indiqué"
    if territory is None:
        return None, "aucun prix de l'eau indiqué"
    from selfdata_lib import territories

    here = territories.get(territory)
    entry = here.source("water_price") or {}
    if entry.get("eur_m3") is not None:
        return float(entry["eur_m3"]), f"prix de {here.name} : {entry.get('source') or here.file_name}"
    return None, (
        f"aucun prix de l'eau n'est décrit pour {here.name} : donnez le mien (-p price_eur_m3, il est sur ma "
        "facture) pour chiffrer les fuites et les gestes en euros"
    )


def leak_check(
    use: WaterUse, price_eur_m3: Any = "auto", *, territory: Any = None, **detector: Any
) -> LeakCheck:
    """Look for lasting leaks in my daily series (:func:`detect_leaks`) and price them at
    :func:`water_price` (mine, else my territory's, else no euros).
    """
    price, note = water_price(price_eur_m3, territory)
    return LeakCheck(tuple(detect_leaks(use.daily, **detector)), price, use.doubts, note)


@dataclass(frozen=True)
class Savings(Result):
    """What each water-saving action would save me a year (and repairing a leak still running)."""

    table: pd.DataFrame
    price_eur_m3: float | None
    price_note: str = ""

    def figures(self) -> dict[str, Figure]:
        """The total of the actions' savings and the price of water used."""
        if self.price_eur_m3 is None:
            return {
                "potential_savings_eur_year": missing(self.price_note),
                "price_eur_m3": missing(self.price_note),
            }
        return {
            "potential_savings_eur_year": figure(float(self.table["eur_per_year"].sum()), digits=2),
            "price_eur_m3": figure(self.price_eur_m3),
        }


def savings_plan(use: WaterUse, leaks: LeakCheck) -> Savings:
    """:func:`savings` for my household, scaled by my use, with the leak still running if any."""
    price = leaks.price_eur_m3 if leaks.price_eur_m3 is not None else float("nan")
    table = savings(use.occupants, price, leaks.largest, litres_per_person_day=use.litres_per_person_day)
    return Savings(table, leaks.price_eur_m3, leaks.price_note)


@dataclass(frozen=True)
class DistrictChoice(Result):
    """My district (or ``None`` with the French ``reason``) and the home it came from."""

    district: str | None
    home: Any = None
    reason: str | None = None

    def figures(self) -> dict[str, Figure]:
        """``district``, or why it is unknown."""
        return {"district": figure(self.district, reason=self.reason)}


def find_district(
    district: str,
    districts: Any,
    *,
    home: str = "auto",
    visits: pd.DataFrame | None = None,
    points: pd.DataFrame | None = None,
    geocode_online: bool = False,
    name_col: str = "name",
) -> DistrictChoice:
    """My district: typed (``district``, matched to the open-data names, accents and case aside), or
    the one holding my home (``home``: ``"auto"`` from my location data, ``"lat,lon"``, an address).

    Never fails for lack of a place: ``district`` is then ``None`` and ``reason`` says what to give.
    """
    import difflib

    from selfdata_lib.analysis.places import resolve_place
    from selfdata_lib.exports._base import normalise

    names = [str(n) for n in districts[name_col]]
    no_map = getattr(districts, "attrs", {}).get("missing")
    if no_map or not names:  # a territory without a district map: said, and the rest of the notebook runs
        reason = no_map or "pas de carte de quartiers pour ce territoire"
        return DistrictChoice(None, None, f"{reason} : la comparaison de quartier ne s'applique pas ici")
    if district and str(district).strip().lower() != "auto":
        wanted = normalise(str(district))
        exact = [n for n in names if normalise(n) == wanted]
        contains = [n for n in names if wanted and wanted in normalise(n)]
        found = exact or (contains if len(contains) == 1 else [])
        if found:
            return DistrictChoice(found[0], None, None)
        close = difflib.get_close_matches(str(district), names, n=1, cutoff=0.4)
        hint = f" Vouliez-vous dire « {close[0]} » ?" if close else ""
        return DistrictChoice(
            None, None, f"« {district} » n'est pas un quartier de la carte ({', '.join(names)}).{hint}"
        )
    if (home or "auto").strip().lower() == "auto" and visits is None and points is None:
        return DistrictChoice(
            None,
            None,
            'ni domicile ni quartier donné : indiquez home = "lat,lon" (ou un '
            "historique de localisation), ou le nom de votre quartier dans district",
        )
    try:
        place = resolve_place(
            home or "auto", label="HOME", visits=visits, points=points, geocode_online=geocode_online
        )
    except (ValueError, LookupError) as exc:
        return DistrictChoice(None, None, f"domicile introuvable ({exc})")
    holding = district_of(place.lat, place.lon, districts, name_col)
    if holding is None:
        return DistrictChoice(
            None,
            place,
            f"mon domicile ({place.lat:.4f}, {place.lon:.4f}) n'est dans aucun "
            "quartier de la carte : la comparaison de quartier ne s'applique pas ici",
        )
    return DistrictChoice(holding, place, None)


@dataclass(frozen=True)
class DistrictReference(Result):
    """My position against my district's reference; ``median``/``percentile`` are ``None`` with a
    French ``reason`` when the reference says nothing of my district.
    """

    median: float | None
    percentile: float | None
    source: str
    table: pd.DataFrame
    histogram: pd.DataFrame | None = None
    reason: str | None = None
    litres_per_person_day: float | None = None
    district: str | None = None
    official: bool = False
    #: The national average I am also compared with (my territory's country's), ``None`` when none is known.
    national: float | None = NATIONAL_REFERENCE["litres_per_person_day"]

    def figures(self) -> dict[str, Figure]:
        """The district's median, my percentile in it, where the reference comes from, the national figure."""
        percentile_reason = (
            self.reason
            if self.median is None or not self.official
            else "la table officielle ne donne qu'une moyenne"
        )
        return {
            "district_median_litres_per_person_day": figure(self.median, reason=self.reason),
            "percentile_in_district": figure(self.percentile, reason=percentile_reason),
            "reference_source": figure(self.source),
            "national_litres_per_person_day": figure(
                self.national, reason=None if self.national is not None else self.reason
            ),
        }


#: The cooperative's release parameters (stated in the notebook and the sample's README).
RELEASE: Release = {
    "lower": 0.0,
    "upper": 400.0,
    "bin_width": 20.0,
    "epsilon": 1.0,
    "min_contributors": 20,
    "period": "2025",
}


def release_reference(
    contributions: pd.DataFrame,
    districts: list[str],
    *,
    ledger: privacy.BudgetLedger | None = None,
    **release: Any,
) -> pd.DataFrame:
    """The cooperative's publication: DP histograms of ``litres_per_person_day`` per district."""
    params = {**RELEASE, **release}
    hist = privacy.dp_histograms(
        contributions["litres_per_person_day"],
        contributions["district"],
        lower=params["lower"],
        upper=params["upper"],
        bin_width=params["bin_width"],
        epsilon=params["epsilon"],
        min_contributors=params["min_contributors"],
        ledger=ledger,
        all_groups=districts,
        purpose=f"water use per person per day by district, {params['period']}",
    )
    return hist.rename(columns={"group": "district"})


def district_summary(hist: pd.DataFrame) -> pd.DataFrame:
    """Median and quartiles of each district, read from its noisy histogram (post-processing)."""
    rows = []
    for name, part in hist.groupby("district", sort=True):
        suppressed = bool(part["suppressed"].iloc[0])
        rows.append(
            {
                "district": name,
                "suppressed": suppressed,
                "noisy_contributors": float(part["noisy_contributors"].iloc[0]),
                "median": np.nan if suppressed else privacy.histogram_quantile(part, 0.5),
                "q25": np.nan if suppressed else privacy.histogram_quantile(part, 0.25),
                "q75": np.nan if suppressed else privacy.histogram_quantile(part, 0.75),
            }
        )
    return pd.DataFrame(rows)


def _compare(
    litres_per_person_day: float | None,
    district: str | None,
    reference: pd.DataFrame,
    unknown: str = "quartier inconnu",
) -> DistrictReference:
    """Where my litres per person per day stand in my district: against the cooperative's noisy
    histograms (``district``, ``bin_low``, ``noisy_count``… as published) or an official table
    (``district``, ``litres_per_person_day``, ``source``).
    """
    official = "litres_per_person_day" in reference.columns
    if official:
        table = reference.rename(columns={"litres_per_person_day": "median"})
        row = table[table["district"] == district] if district else table.iloc[:0]
        source = f"table officielle : {row['source'].iloc[0]}" if len(row) else "table officielle"
        if district is None:
            return DistrictReference(None, None, source, table, reason=unknown)
        if row.empty or pd.isna(row["median"].iloc[0]):
            return DistrictReference(
                None, None, source, table, reason=f"la table ne donne rien pour {district}"
            )
        return DistrictReference(float(row["median"].iloc[0]), None, source, table)
    table = district_summary(reference)
    release = reference.attrs.get("release", {})
    sample = reference.attrs.get("provenance", {}).get("sample")
    source = (
        "coopérative de données (simulation, agrégats différentiellement privés, "
        f"ε={release.get('epsilon', float('nan')):g})" + (" — échantillon du projet" if sample else "")
    )
    if district is None:
        return DistrictReference(None, None, source, table, reason=unknown)
    mine = reference[reference["district"] == district]
    if mine.empty or bool(mine["suppressed"].iloc[0]):
        return DistrictReference(
            None,
            None,
            source,
            table,
            mine if len(mine) else None,
            reason=f"{district} n'est pas publié : trop peu de foyers y ont contribué",
        )
    median = privacy.histogram_quantile(mine, 0.5)
    if litres_per_person_day is None:
        return DistrictReference(
            round(median, 1), None, source, table, mine, reason="ma consommation n'a pas pu être calculée"
        )
    percentile = privacy.histogram_percentile_of(mine, litres_per_person_day)
    return DistrictReference(round(median, 1), round(percentile), source, table, mine)


def compare_with_district(
    litres_per_person_day: float | WaterUse | None,
    district: str | DistrictChoice | None,
    reference: pd.DataFrame | None,
) -> DistrictReference:
    """Where my litres per person per day stand in my district: against the cooperative's noisy
    histograms (``district``, ``bin_low``, ``noisy_count``… as published) or an official table
    (``district``, ``litres_per_person_day``, ``source``). Takes the figures or the results they come from.
    """
    if isinstance(litres_per_person_day, WaterUse):
        litres_per_person_day = litres_per_person_day.litres_per_person_day
    unknown = "quartier inconnu"
    if isinstance(district, DistrictChoice):
        if district.district is None and district.reason:  # say why: no home given, geocoding offline…
            unknown = f"quartier inconnu — {district.reason}"
        district = district.district
    if reference is None:  # abroad, and the territory file gives no figure of its country
        return DistrictReference(
            None,
            None,
            "aucune",
            pd.DataFrame(columns=["district", "median"]),
            reason=(
                "aucune référence pour mon territoire, ni de quartier ni nationale (la moyenne française ne "
                "vaut pas pour un autre pays) : le fichier du territoire peut en donner une (à décrire dans "
                "sa rubrique water_reference : litres par personne et par jour, avec la source)"
            ),
            litres_per_person_day=litres_per_person_day,
            district=district,
            national=None,
        )
    if reference.attrs.get("national"):  # a national figure, never another city's
        value = float(reference["litres_per_person_day"].iloc[0])
        source = str(reference["source"].iloc[0])
        return DistrictReference(
            None,
            None,
            f"moyenne nationale : {source}",
            pd.DataFrame(columns=["district", "median"]),
            reason=(
                "aucune référence de quartier pour mon territoire (ni coopérative ni table officielle) : "
                f"comparaison avec la moyenne nationale seulement ({value:g} l)"
            ),
            litres_per_person_day=litres_per_person_day,
            district=district,
            national=value,
        )
    ref = _compare(litres_per_person_day, district, reference, unknown)
    return replace(
        ref,
        litres_per_person_day=litres_per_person_day,
        district=district,
        official="litres_per_person_day" in reference.columns,
    )


@dataclass(frozen=True)
class Contribution(Result):
    """What I would share with the cooperative — one clamped figure — and the consent receipt I would
    keep. Nothing is sent.
    """

    payload: dict[str, Any]
    receipt: privacy.ConsentReceipt

    def figures(self) -> dict[str, Figure]:
        """``shared_payload``: exactly what would leave the machine."""
        return {"shared_payload": figure(self.payload)}


def cooperative_contribution(use: WaterUse, district: str | DistrictChoice | None) -> Contribution:
    """What I would share with the cooperative — one clamped figure — and the consent receipt I would
    keep (nothing is sent).
    """
    if isinstance(district, DistrictChoice):
        district = district.district
    lppd = use.litres_per_person_day
    payload = {
        "district": district,
        "period": f"{use.first_day:%Y-%m-%d}/{use.last_day:%Y-%m-%d}" if use.first_day is not None else None,
        "litres_per_person_day": float(privacy.clamp([lppd], 0, 400)[0].round(0))
        if lppd is not None
        else None,
    }
    receipt = privacy.ConsentReceipt(
        purpose="référence de consommation d'eau par arrondissement (histogramme différentiellement privé)",
        recipient="coopérative de données citoyenne (exemple)",
        payload=payload,
        epsilon=1.0,
        mechanism="Laplace sur les comptes de l'histogramme (OpenDP), arrondissement non publié sous 20 contributeurs",
        retention="jusqu'à la publication annuelle, puis suppression du chiffre individuel",
    )
    return Contribution(payload, receipt)


def interpret(
    use: WaterUse,
    leaks: LeakCheck,
    reference: DistrictReference,
    plan: Savings | None = None,
) -> Reading:
    """A French reading of my results, computed from them (never written for a persona): my use, my
    district and the leak make the headline; the best saving and the price note follow.
    """
    from selfdata_lib import fr

    lppd = use.litres_per_person_day
    leak, price_eur_m3, district = leaks.largest, leaks.price_eur_m3, reference.district
    national = reference.national
    parts = []
    if use.doubts:
        parts.append(f"**Attention : {' '.join(use.doubts)}** Les chiffres qui suivent en dépendent.")
    if lppd is None:
        parts.append("Aucun jour de consommation n'a pu être lu : il n'y a rien à comparer.")
        return Reading(parts)
    gap = lppd / national - 1 if national else 0.0
    compare = (
        "aucune moyenne nationale n'est décrite pour mon territoire"
        if not national
        else "à peu près comme la moyenne nationale"
        if abs(gap) < 0.1
        else f"{fr.percent(abs(gap))} {'de plus' if gap > 0 else 'de moins'} que la moyenne nationale "
        f"({fr.number(national)} l)"
    )
    parts.append(
        f"Sur {fr.plural(use.days_covered, 'jour')} relevés, mon foyer de "
        f"{fr.plural(use.occupants, 'personne')} a utilisé {fr.number(lppd)} litres par personne "
        f"et par jour : {compare}."
    )
    if reference.median is not None and district:
        pos = (
            f" ; je suis au {fr.number(reference.percentile)}e centile de mon arrondissement"
            if reference.percentile is not None
            else ""
        )
        parts.append(
            f"La référence de {district} est de {fr.number(reference.median)} litres (médiane){pos}."
        )
    elif reference.reason:
        parts.append(f"Pas de comparaison de quartier : {reference.reason}.")
    if leak is not None:
        state = "toujours en cours à la fin de l'export" if leak.ongoing else f"jusqu'au {fr.date(leak.end)}"
        cost = (
            f", {fr.euros(leak.cost_eur(price_eur_m3), cents=False)} au prix de {fr.euros(price_eur_m3)} le m³"
            if price_eur_m3 is not None
            else f", soit {fr.number(leak.litres_lost / 1000)} m³ perdus"
        )
        parts.append(
            f"Une fuite a commencé vers le {fr.date(leak.start)} ({state}) : environ "
            f"{fr.number(leak.extra_litres_per_day)} litres de plus par jour{cost}."
        )
    else:
        parts.append(
            "Aucune fuite durable n'apparaît dans la série (une fuite pendant des vacances peut passer inaperçue)."
        )
    head, parts = parts, []
    if plan is not None and len(plan.table):
        best = plan.table.sort_values("litres_per_year", ascending=False).iloc[0]
        worth = (
            f"environ {fr.euros(best['eur_per_year'], cents=False)} par an"
            if price_eur_m3 is not None
            else f"environ {fr.number(best['litres_per_year'] / 1000)} m³ par an"
        )
        parts.append(f"Le geste qui économiserait le plus : {best['action'].lower()} ({worth}).")
    if price_eur_m3 is not None:
        parts.append(
            f"Le prix utilisé ({fr.euros(price_eur_m3)} le m³, {leaks.price_note}) se vérifie sur la facture d'eau."
        )
    else:
        parts.append(f"Pas d'euros : {leaks.price_note}.")
    return Reading(head, parts)


def evaluate_leak_detector(
    *,
    sizes: tuple[float, ...] = (40, 60, 90, 150, 250),
    lengths: tuple[int, ...] = (14, 42),
    occupants: tuple[int, ...] = (1, 2, 4),
    repeats: int = 4,
    seed: int = 7,
    **detector: Any,
) -> pd.DataFrame:
    """Run :func:`detect_leaks` on generated yearly series (with two weeks of holidays) holding one
    injected leak of each size and length, and on leak-free series (size 0).

    Returns one row per (occupants, size, length): ``recall`` (share of leaks found, i.e. a detection
    overlapping the true leak), ``false_alarms_per_series`` (detections overlapping no leak),
    ``start_error_days`` (median absolute error on the start date) and ``extra_relative_error``
    (median relative error on the extra litres per day).
    """
    rng = np.random.default_rng(seed)
    rows = []
    for occ in occupants:
        for size in (0.0, *sizes):
            for length in lengths if size else (0,):
                found, false, start_err, extra_err = 0, 0, [], []
                for _ in range(repeats):
                    hol_start = pd.Timestamp("2025-07-01") + pd.Timedelta(days=int(rng.integers(0, 45)))
                    holidays = [(str(hol_start.date()), str((hol_start + pd.Timedelta(days=14)).date()))]
                    leak_start = pd.Timestamp("2025-02-01") + pd.Timedelta(days=int(rng.integers(0, 240)))
                    leak_end = leak_start + pd.Timedelta(days=length - 1)
                    leak = (str(leak_start.date()), str(leak_end.date()), size) if size else None
                    frame = simulate_household(
                        "2025-01-01",
                        "2026-01-01",
                        occupants=occ,
                        holidays=holidays,
                        leak=leak,
                        seed=int(rng.integers(1 << 30)),
                    )
                    hits = detect_leaks(frame.set_index("day")["litres"], **detector)
                    true_hit = [h for h in hits if size and h.start <= leak_end and h.end >= leak_start]
                    false += len(hits) - len(true_hit)
                    if true_hit:
                        found += 1
                        start_err.append(abs((true_hit[0].start - leak_start).days))
                        extra_err.append(abs(true_hit[0].extra_litres_per_day - size) / size)
                rows.append(
                    {
                        "occupants": occ,
                        "size_litres_per_day": size,
                        "length_days": length,
                        "series": repeats,
                        "recall": found / repeats if size else float("nan"),
                        "false_alarms_per_series": false / repeats,
                        "start_error_days": float(np.median(start_err)) if start_err else float("nan"),
                        "extra_relative_error": float(np.median(extra_err)) if extra_err else float("nan"),
                    }
                )
    return pd.DataFrame(rows)


def smallest_reliable_leak(evaluation: pd.DataFrame, *, recall: float = 0.9) -> pd.Series:
    """For each household size, the smallest leak (litres/day) found with at least ``recall`` at every
    tested length, and at every larger size too (NaN when none is).
    """
    leaks = evaluation[evaluation["size_litres_per_day"] > 0]
    out = {}
    for occ, part in leaks.groupby("occupants"):
        worst = part.groupby("size_litres_per_day")["recall"].min().sort_index()
        reliable = worst[::-1].ge(recall).cummin()[::-1]  # reliable from this size upwards
        out[occ] = float(reliable[reliable].index.min()) if reliable.any() else float("nan")
    return pd.Series(out, name="smallest_reliable_leak_litres_per_day").rename_axis("occupants")


@dataclass(frozen=True)
class DetectorEvaluation(Result):
    """How well the leak detector finds leaks injected in generated series (:func:`evaluate_leak_detector`)."""

    table: pd.DataFrame
    required_recall: float

    @property
    def smallest(self) -> pd.Series:
        """The smallest leak found reliably, by household size (NaN when none is)."""
        return smallest_reliable_leak(self.table, recall=self.required_recall)

    def figures(self) -> dict[str, Figure]:
        """Series simulated, false alarms, error on the start date, the smallest reliable leak."""
        no_leak = self.table[self.table["size_litres_per_day"] == 0]
        with_leak = self.table[self.table["size_litres_per_day"] > 0]
        smallest = self.smallest
        by_size = {
            int(k): (None if math.isnan(v) else v)
            for k, v in zip(smallest.index.tolist(), smallest.tolist(), strict=True)
        }
        none_reliable = f"aucune taille testée n'est retrouvée avec un rappel de {self.required_recall:.0%}"
        return {
            "series_simulated": figure(int(self.table["series"].sum())),
            "false_alarms_per_series": figure(float(no_leak["false_alarms_per_series"].mean()), digits=3),
            "median_start_error_days": figure(float(with_leak["start_error_days"].median())),
            "smallest_reliable_leak_by_occupants": figure(by_size),
            "smallest_reliable_leak_litres_per_day": figure(float(smallest.max()), reason=none_reliable),
        }


def evaluate_detector(
    *,
    sizes: Any = (40, 60, 90, 150, 250),
    lengths: Any = (14, 42),
    occupants: Any = (1, 2, 4),
    repeats: int = 4,
    required_recall: float = 0.9,
) -> DetectorEvaluation:
    """:func:`evaluate_leak_detector` on every combination, judged against ``required_recall``."""
    table = evaluate_leak_detector(
        sizes=tuple(sizes), lengths=tuple(lengths), occupants=tuple(occupants), repeats=repeats
    )
    return DetectorEvaluation(table, required_recall)


def describe_detector(evaluation: DetectorEvaluation) -> Reading:
    """The detector's verdict in words, from the evaluation's figures: the smallest leak it finds
    reliably, then its false alarms and how close it dates a leak's start.
    """
    from selfdata_lib import fr

    figs = evaluation.figures()
    smallest = figs["smallest_reliable_leak_litres_per_day"].value
    recall = fr.percent(evaluation.required_recall)
    if smallest is None:
        head = f"Aucune taille de fuite testée n'est retrouvée dans {recall} des cas : le détecteur n'est pas fiable ainsi."
    else:
        head = (
            f"Le détecteur retrouve au moins {recall} des fuites de {fr.number(smallest)} litres par jour et plus, "
            "quelle que soit la taille du foyer testée."
        )
    alarms = figs["false_alarms_per_series"].value
    start = figs["median_start_error_days"].value
    details = [
        f"Sur une série sans fuite, il donne en moyenne {fr.number(alarms, 2)} fausse alerte."
        if alarms is not None
        else "",
        f"Il date le début d'une fuite à {fr.plural(start, 'jour')} près (médiane)."
        if start is not None
        else "",
    ]
    return Reading([head], details)
