"""My home's electricity from its load curve: totals, base load, off-peak share, typical days, heating
sensitivity, and the cost of the same curve under several tariffs.

Works on any electricity frame of :mod:`selfdata_lib.exports` (``start``, ``end``, ``kwh``, intervals of
any length). Tariffs are described by :class:`Tariff` (subscription per month and price per kWh by
period); the regulated tariffs with their effective date and source are in the open-data loaders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypedDict, cast

import numpy as np
import pandas as pd

from selfdata_lib.results import Figure, Reading, Result, figure, import_doubts, missing

TZ = "Europe/Paris"


def _local(ts: pd.Series) -> pd.Series:
    return ts.dt.tz_convert(TZ)


def days_covered(curve: pd.DataFrame) -> int:
    """Distinct local days with data."""
    return int(_local(curve["start"]).dt.date.nunique())


def baseload_w(curve: pd.DataFrame, *, quantile: float = 0.05) -> float:
    """Standby power (W): a low quantile of the average power over the intervals (fridge, boxes, …)."""
    hours = (curve["end"] - curve["start"]).dt.total_seconds() / 3600
    power = curve["kwh"] / hours * 1000
    return float(power.quantile(quantile))


def parse_hours(spec: str) -> tuple[float, float]:
    """``"22:00-06:00"`` → (22.0, 6.0)."""
    try:
        a, b = (part.strip() for part in spec.split("-"))
        ha, ma = (int(x) for x in a.split(":"))
        hb, mb = (int(x) for x in b.split(":"))
    except ValueError as exc:
        msg = f"off-peak hours must look like '22:00-06:00', got {spec!r}"
        raise ValueError(msg) from exc
    return ha + ma / 60, hb + mb / 60


def in_hours(start: pd.Series, spec: str) -> pd.Series:
    """Whether each interval *starts* inside the local hours ``spec`` (which may cross midnight)."""
    a, b = parse_hours(spec)
    local = _local(start)
    h = local.dt.hour + local.dt.minute / 60
    return (h >= a) & (h < b) if a < b else (h >= a) | (h < b)


def offpeak_share(curve: pd.DataFrame, offpeak_hours: str = "22:00-06:00") -> float:
    """Share of the kWh in intervals starting inside ``offpeak_hours``."""
    total = curve["kwh"].sum()
    return (
        float(curve.loc[in_hours(curve["start"], offpeak_hours), "kwh"].sum() / total)
        if total
        else float("nan")
    )


def daily_kwh(curve: pd.DataFrame) -> pd.Series:
    """KWh per local day."""
    day = _local(curve["start"]).dt.tz_localize(None).dt.normalize()
    return curve["kwh"].groupby(day.to_numpy()).sum().rename_axis("day").rename("kwh")


def hourly_kwh(curve: pd.DataFrame) -> pd.Series:
    """KWh per UTC hour (intervals summed by the hour they start in) — the common step to put load
    curves of different steps (30 min, 1 h) side by side.
    """
    hour = curve["start"].dt.tz_convert("UTC").dt.floor("h")
    return curve["kwh"].groupby(hour.to_numpy()).sum().rename_axis("hour").rename("kwh")


def peaks(curve: pd.DataFrame, *, subscribed_kva: float | None = None, n: int = 5) -> pd.DataFrame:
    """The ``n`` highest average powers (kW), one per day, with the local time they started and, when
    ``subscribed_kva`` is given, their share of the subscribed power (kVA ≈ kW for a home).
    """
    hours = (curve["end"] - curve["start"]).dt.total_seconds() / 3600
    frame = pd.DataFrame({"start": _local(curve["start"]), "kw": curve["kwh"] / hours})
    frame["day"] = frame["start"].dt.date
    top = frame.loc[frame.groupby("day")["kw"].idxmax()].nlargest(n, "kw").reset_index(drop=True)
    if subscribed_kva:
        top["share_of_subscribed"] = top["kw"] / subscribed_kva
    return top[[c for c in ("start", "kw", "share_of_subscribed") if c in top.columns]]


def daily_profiles(curve: pd.DataFrame) -> pd.DataFrame:
    """One row per complete local day, 24 columns: kWh in each local hour."""
    local = _local(curve["start"]).dt.tz_localize(None)
    table = curve.assign(day=local.dt.normalize(), hour=local.dt.hour).pivot_table(
        index="day", columns="hour", values="kwh", aggfunc="sum"
    )
    return table.reindex(columns=range(24)).dropna()


def typical_days(curve: pd.DataFrame, *, k: int = 4, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    """Typical days by k-means on the daily load *shapes* (each day divided by its total) — which also
    separates heating days, working days, days away by their level kept as a feature.

    Returns the centroids (kWh per hour, ``k`` rows, with ``days`` and ``share_of_days``) and the cluster
    of each day.
    """
    from sklearn.cluster import KMeans

    prof = daily_profiles(curve)
    if len(prof) < k:
        msg = f"{len(prof)} complete days: too few for {k} typical days"
        raise ValueError(msg)
    total = prof.sum(axis=1)
    shape = prof.div(total.where(total > 0, 1), axis=0)
    features = np.column_stack([shape.to_numpy(), (total / total.mean()).to_numpy() * 0.1])
    labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(features)
    lab = pd.Series(labels, index=prof.index, name="cluster")
    order = prof.sum(axis=1).groupby(lab).mean().sort_values().index  # cluster 0 = lightest days
    remap = {old: new for new, old in enumerate(order)}
    lab = lab.map(remap)
    centroids = prof.groupby(lab).mean()
    centroids["days"] = lab.value_counts().sort_index()
    centroids["share_of_days"] = centroids["days"] / len(lab)
    return centroids, lab


def degree_days(temperature_c: pd.Series, base_c: float = 17.0) -> pd.Series:
    """Heating degree-days per day: ``max(0, base − daily mean temperature)``."""
    return (base_c - temperature_c).clip(lower=0).rename("degree_days")


class ThermoFit(TypedDict):
    """What :func:`thermosensitivity` finds: the regression's figures and how many days and periods."""

    kwh_per_degree_day: float
    base_kwh_per_day: float
    r2: float
    heating_share: float
    base_c: float
    days: int
    periods: int


def thermosensitivity(
    daily: pd.Series, daily_temp_c: pd.Series, *, base_c: float = 17.0, freq: str | None = None
) -> ThermoFit:
    """KWh per degree-day by robust linear regression (scikit-learn's Huber) of daily kWh on
    degree-days, the weather-independent daily part, R², and the heating share of the total.

    ``freq`` (``"W"``, ``"MS"``…) regresses period means instead of days — for coarse meters such as
    Gazpar, whose daily readings are whole cubic metres (≈ 11 kWh steps). Periods with fewer than
    five days of data are left out.
    """
    from sklearn.linear_model import HuberRegressor

    both = pd.concat([daily.rename("kwh"), degree_days(daily_temp_c, base_c)], axis=1, join="inner").dropna()
    if freq is not None:
        grouped = both.groupby(pd.Grouper(freq=freq))
        both = grouped.mean()[grouped.size() >= 5]
    unit = "days" if freq is None else "periods"
    if len(both) < (14 if freq is None else 8):
        msg = f"{len(both)} {unit} with both consumption and temperature: too few for a regression"
        raise ValueError(msg)
    x, y = both[["degree_days"]].to_numpy(), both["kwh"].to_numpy()
    model = HuberRegressor().fit(x, y)  # robust to days away
    slope = max(float(model.coef_[0]), 0.0)
    heating = slope * both["degree_days"].sum()
    return {
        "kwh_per_degree_day": slope,
        "base_kwh_per_day": float(model.intercept_),
        "r2": float(model.score(x, y)),
        "heating_share": float(heating / both["kwh"].sum()),
        "base_c": base_c,
        "days": len(both) if freq is None else int(grouped.size().sum()),
        "periods": len(both),
    }


#: Hitchin's constant (°C⁻¹) linking a month's mean temperature to its degree-days: E. R. Hitchin,
#: "Estimating monthly degree-days", Building Services Engineering Research and Technology 4(4),
#: 159–162, 1983 (fitted on UK stations; the spread of daily temperatures in western France is similar).
HITCHIN_K = 0.71


def degree_days_from_monthly_mean(mean_c: Any, base_c: float = 17.0, k: float = HITCHIN_K) -> Any:
    """Heating degree-days per day of a month of mean temperature ``mean_c`` (Hitchin 1983):
    ``(base − mean) / (1 − exp(−k (base − mean)))``, which stays positive in mild months where some
    days are still cold (``1/k`` when the mean equals the base).
    """
    gap = np.asarray(base_c - np.asarray(mean_c, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        dd = np.where(np.abs(gap) < 1e-6, 1 / k, gap / (1 - np.exp(-k * gap)))
    return dd


@dataclass(frozen=True)
class HeatingFit:
    """How much my consumption rises with the cold.

    ``method`` is ``"daily"`` (daily weather of my period), ``"normals"`` (monthly climate normals of
    the nearest reference station: ``approximate``) or ``"none"`` (then the figures are ``None`` and
    ``reason`` says why, in French). ``points`` holds what was regressed (``temperature_c``,
    ``degree_days``, ``kwh_per_day``) for the chart; ``note`` is a French remark on coverage.
    """

    method: str
    kwh_per_degree_day: float | None = None
    base_kwh_per_day: float | None = None
    heating_share: float | None = None
    r2: float | None = None
    base_c: float = 17.0
    periods: int = 0
    points: pd.DataFrame = field(default_factory=pd.DataFrame)
    reason: str | None = None
    note: str | None = None

    @property
    def approximate(self) -> bool:
        """Whether the fit rests on climate normals rather than the days' own weather."""
        return self.method == "normals"


def _huber(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    from sklearn.linear_model import HuberRegressor

    model = HuberRegressor().fit(x.reshape(-1, 1), y)
    return max(float(model.coef_[0]), 0.0), float(model.intercept_), float(model.score(x.reshape(-1, 1), y))


def heating_sensitivity(
    daily: pd.Series,
    daily_temp_c: pd.Series | None = None,
    *,
    normals: pd.Series | None = None,
    base_c: float = 17.0,
    freq: str | None = None,
    min_coverage: float = 0.6,
) -> HeatingFit:
    """My kWh per degree-day, from the best weather available for my period.

    With daily temperatures covering at least ``min_coverage`` of my days, a robust regression of daily
    kWh (or of ``freq`` means, e.g. weekly for whole-m3 gas meters) on degree-days
    (:func:`thermosensitivity`). Otherwise, with monthly ``normals`` (index 1–12, °C) of a nearby
    station: month by month, kWh per day against the degree-days per day of the month's normal
    temperature (Hitchin's formula) — an approximation, said so. Otherwise nothing, with the reason.
    """
    daily = daily.dropna()
    coverage = 0.0
    if daily_temp_c is not None and len(daily):
        coverage = float(daily.index.isin(daily_temp_c.dropna().index).mean())
    if daily_temp_c is not None and coverage >= min_coverage:
        try:
            fit = thermosensitivity(daily, daily_temp_c, base_c=base_c, freq=freq)
        except ValueError as exc:
            return HeatingFit("none", base_c=base_c, reason=f"trop peu de jours pour une régression ({exc})")
        both = pd.concat(
            [daily.rename("kwh_per_day"), daily_temp_c.rename("temperature_c")], axis=1, join="inner"
        ).dropna()
        if freq is not None:
            both = both.groupby(pd.Grouper(freq=freq)).mean().dropna()
        both["degree_days"] = degree_days(both["temperature_c"], base_c)
        note = (
            None
            if coverage > 0.99
            else f"la météo couvre {coverage:.0%} de mes jours : la régression porte sur ceux-là".replace(
                "%", " %"
            )
        )
        return HeatingFit(
            "daily",
            fit["kwh_per_degree_day"],
            fit["base_kwh_per_day"],
            fit["heating_share"],
            fit["r2"],
            base_c,
            fit["periods"],
            both,
            note=note,
        )
    why_not_daily = (
        "aucune météo quotidienne"
        if daily_temp_c is None
        else f"la météo disponible ne couvre que {coverage:.0%} de mes jours".replace("%", " %")
    )
    if normals is None:
        return HeatingFit(
            "none",
            base_c=base_c,
            reason=(
                f"{why_not_daily}, et pas de normales climatiques à moins de 150 km : "
                'avec open_data = "live", la météo de ma période est téléchargée (seules les coordonnées et les '
                "dates sont envoyées)"
            ),
        )
    month = cast(pd.DatetimeIndex, daily.index).to_period("M")  # daily_kwh's local days
    per_month = daily.groupby(month).agg(["mean", "size"])
    per_month = per_month[per_month["size"] >= 10]
    temp = cast(pd.PeriodIndex, per_month.index).month.map(normals.to_dict()).astype(float)
    points = pd.DataFrame(
        {
            "kwh_per_day": per_month["mean"].to_numpy(),
            "temperature_c": temp,
            "degree_days": degree_days_from_monthly_mean(temp, base_c),
            "days": per_month["size"].to_numpy(),
        },
        index=per_month.index,
    )
    if len(points) < 4 or points["degree_days"].max() - points["degree_days"].min() < 2:
        return HeatingFit(
            "none",
            base_c=base_c,
            points=points,
            reason=(
                f"{why_not_daily}, et trop peu de mois (au moins 4 mois d'au moins 10 jours, froids et doux) pour "
                'une estimation par les normales climatiques : open_data = "live" télécharge la météo de ma période'
            ),
        )
    slope, intercept, r2 = _huber(points["degree_days"].to_numpy(), points["kwh_per_day"].to_numpy())
    total = float((points["kwh_per_day"] * points["days"]).sum())
    heating = slope * float((points["degree_days"] * points["days"]).sum())
    station = normals.attrs.get("name", "la station la plus proche")
    note = (
        f"{why_not_daily} : estimation approchée, mois par mois, avec les normales 1991–2020 de {station} "
        '(degrés-jours de Hitchin) — open_data = "live" télécharge la météo réelle de ma période'
    )
    return HeatingFit(
        "normals",
        slope,
        intercept,
        heating / total if total else None,
        r2,
        base_c,
        len(points),
        points,
        note=note,
    )


#: Subscribed powers of the regulated residential offers (kVA).
STANDARD_KVA = (3, 6, 9, 12, 15, 18, 24, 30, 36)
#: A 30-minute average hides the instantaneous peaks that trip the breaker; the subscribed power of a
#: home is typically 1.3–2 times its highest half-hour average (Enedis, "Bien choisir sa puissance").
PEAK_TO_SUBSCRIBED = 1.3


def subscribed_power(curve: pd.DataFrame, kva: Any) -> tuple[int, str | None]:
    """The subscribed power to price tariffs with, and a French note when it was not given as such:
    ``"auto"`` → the smallest standard power (6 kVA at least, the most common) above my highest
    half-hour average × 1.3; a power between two standard ones → the one above.
    """
    if str(kva).strip().lower() == "auto":
        hours = (curve["end"] - curve["start"]).dt.total_seconds() / 3600
        peak = float((curve["kwh"] / hours).max()) if len(curve) else 0.0
        need = max(6.0, peak * PEAK_TO_SUBSCRIBED)
        chosen = next((k for k in STANDARD_KVA if k >= need), STANDARD_KVA[-1])
        peak_fr = f"{peak:.1f}".replace(".", ",")
        return chosen, (
            f"puissance souscrite non donnée : {chosen} kVA supposés (ma plus forte demi-heure : "
            f"{peak_fr} kW). Elle figure sur ma facture : -p subscribed_kva"
        )
    value = float(kva)
    if value in STANDARD_KVA:
        return int(value), None
    chosen = next((k for k in STANDARD_KVA if k >= value), STANDARD_KVA[-1])
    return chosen, f"{value:g} kVA n'est pas une puissance des offres réglementées : {chosen} kVA retenus"


def find_typical_days(
    curve: pd.DataFrame, k: int = 4
) -> tuple[pd.DataFrame | None, pd.Series | None, str | None]:
    """:func:`typical_days` when the curve has enough complete days (a week per type at least),
    fewer types when it is short; ``(None, None, reason)`` when it has under two weeks.
    """
    complete = len(daily_profiles(curve))
    if complete < 14:
        return (
            None,
            None,
            f"{complete} jours complets seulement : il en faut au moins 14 pour des journées types",
        )
    k = max(2, min(k, complete // 7))
    centroids, labels = typical_days(curve, k=k)
    return centroids, labels, None


@dataclass
class Tariff:
    """An electricity tariff: monthly subscription and a price per kWh chosen by ``period_of``.

    ``prices`` maps a period name (``base``, ``hp``/``hc``, ``bleu_hp``…) to €/kWh; ``period_of`` gives
    the period of each interval from its start (and, for Tempo, the day colours).
    """

    name: str
    subscription_eur_month: float
    prices: dict[str, float]
    period_of: Callable[[pd.DataFrame], pd.Series]
    source: str = ""
    effective: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def cost(self, curve: pd.DataFrame) -> dict[str, float]:
        """Energy and subscription cost of ``curve`` (subscription pro rata of the days covered)."""
        period = self.period_of(curve)
        unknown = set(period.unique()) - set(self.prices)
        if unknown:
            msg = f"tariff {self.name}: no price for period(s) {sorted(unknown)}"
            raise KeyError(msg)
        energy = float((curve["kwh"] * period.map(self.prices)).sum())
        days = days_covered(curve)
        subscription = self.subscription_eur_month * 12 / 365 * days
        return {"energy_eur": energy, "subscription_eur": subscription, "total_eur": energy + subscription}


def base_tariff(subscription_eur_month: float, price: float, **kw: Any) -> Tariff:
    """A single-price tariff: every kWh at ``price`` (€/kWh)."""
    return Tariff(
        "Base", subscription_eur_month, {"base": price}, lambda c: pd.Series("base", index=c.index), **kw
    )


def hphc_tariff(
    subscription_eur_month: float, hp: float, hc: float, offpeak_hours: str = "22:00-06:00", **kw: Any
) -> Tariff:
    """Off-peak/peak tariff: ``hc`` (€/kWh) during ``offpeak_hours`` (``"22:00-06:00"``, several ranges
    separated by ``;``), ``hp`` otherwise.
    """
    return Tariff(
        "Heures creuses",
        subscription_eur_month,
        {"hp": hp, "hc": hc},
        lambda c: pd.Series(np.where(in_hours(c["start"], offpeak_hours), "hc", "hp"), index=c.index),
        details={"offpeak_hours": offpeak_hours},
        **kw,
    )


def tempo_tariff(
    subscription_eur_month: float, prices: dict[str, float], colours: pd.Series, **kw: Any
) -> Tariff:
    """Tempo: ``prices`` keyed ``bleu_hp``, ``bleu_hc``, ``blanc_hp``… ; ``colours`` maps each *Tempo
    day* (06:00 to 06:00, naive date) to ``bleu``/``blanc``/``rouge``; off-peak hours 22:00–06:00.
    Days without a known colour are priced blue (and counted in ``details``).
    """

    def period_of(c: pd.DataFrame) -> pd.Series:
        local = _local(c["start"]).dt.tz_localize(None)
        tempo_day = (local - pd.Timedelta(hours=6)).dt.normalize()
        colour = tempo_day.map(colours).astype(object).fillna("bleu").astype(str).str.lower()
        hc = in_hours(c["start"], "22:00-06:00")
        return colour + np.where(hc, "_hc", "_hp")

    return Tariff("Tempo", subscription_eur_month, prices, period_of, **kw)


def regulated_tariffs(
    in_force: dict[str, dict],
    *,
    colours: pd.Series | None = None,
    offpeak_hours: str = "22:00-06:00",
    source: str = "",
) -> list[Tariff]:
    """The regulated tariffs of :func:`selfdata_lib.opendata.tariffs_in_force` as :class:`Tariff` objects
    (Tempo only when its day ``colours`` are given).
    """
    out = []
    for option, spec in in_force.items():
        kw = {"source": source, "effective": spec["effective"]}
        if option == "base":
            out.append(base_tariff(spec["subscription_eur_month"], spec["prices"]["base"], **kw))
        elif option == "hphc":
            out.append(
                hphc_tariff(
                    spec["subscription_eur_month"],
                    spec["prices"]["hp"],
                    spec["prices"]["hc"],
                    offpeak_hours=offpeak_hours,
                    **kw,
                )
            )
        elif option == "tempo" and colours is not None:
            out.append(tempo_tariff(spec["subscription_eur_month"], spec["prices"], colours, **kw))
    return out


def tempo_coverage(curve: pd.DataFrame, colours: pd.Series) -> float | None:
    """Share of the curve's Tempo days (06:00 → 06:00) whose colour is known (``None`` for an empty curve)."""
    tempo_day = (_local(curve["start"]).dt.tz_localize(None) - pd.Timedelta(hours=6)).dt.normalize()
    days = pd.Index(tempo_day.unique())
    return float(days.isin(pd.DatetimeIndex(colours.index)).mean()) if len(days) else None


def compare_tariffs(curve: pd.DataFrame, tariffs: list[Tariff]) -> pd.DataFrame:
    """Cost of the same curve under each tariff, cheapest first."""
    rows = [
        {"tariff": t.name, **t.cost(curve), "effective": t.effective, "source": t.source} for t in tariffs
    ]
    return pd.DataFrame(rows).sort_values("total_eur", ignore_index=True)


def heating_per_m2(
    fit: HeatingFit, annual_kwh: float, surface_m2: float | None
) -> tuple[float | None, str | None]:
    """Heating kWh per m² and per year, or ``None`` with the reason (no surface, no heating estimate)."""
    if not surface_m2:
        return None, "surface du logement non donnée (-p surface_m2)"
    if fit.heating_share is None:
        return None, fit.reason
    return round(fit.heating_share * annual_kwh / surface_m2, 1), None


def tempo_warning(coverage: float | None) -> str | None:
    """A French warning when the Tempo colours of too many of my days are unknown."""
    if coverage is None or coverage >= 0.9:
        return None
    share = f"{coverage:.0%}".replace("%", "\u00a0%")
    return (
        f"couleurs Tempo connues pour {share} de mes jours seulement : les autres sont comptés « bleu », "
        'le coût Tempo est sous-estimé (open_data = "live" télécharge le calendrier réel)'
    )


def best_tariff(costs: pd.DataFrame, tempo_coverage: float | None = None) -> str:
    """The cheapest tariff for my curve — Tempo only when the colours of at least 90 % of my days are
    known (otherwise its cost, priced blue on unknown days, is too low to be compared).
    """
    reliable = costs
    if tempo_coverage is None or tempo_coverage < 0.9:
        reliable = costs[costs["tariff"] != "Tempo"]
    return str((reliable if len(reliable) else costs).sort_values("total_eur")["tariff"].iloc[0])


def typical_days_summary(centroids: pd.DataFrame | None) -> list[dict[str, Any]] | None:
    """Days, kWh per day and peak hour of each typical day."""
    if centroids is None:
        return None
    hours = list(range(24))
    return [
        {
            "days": int(r["days"]),
            "kwh_per_day": round(float(r[hours].sum()), 1),
            "peak_hour": int(cast(int, r[hours].astype(float).idxmax())),  # the label of an hour 0–23
        }
        for _, r in centroids.iterrows()
    ]


# --- The steps of the use case, each a frozen result ----------------------------------------------------


@dataclass(frozen=True)
class Consumption(Result):
    """My load curve's totals: kWh over the period, days covered, kWh brought to a year."""

    curve: pd.DataFrame
    total_kwh: float
    days_covered: int
    annual_kwh: float | None
    doubts: tuple[str, ...] = ()

    @property
    def daily(self) -> pd.Series:
        """KWh of each local day."""
        return daily_kwh(self.curve)

    def figures(self) -> dict[str, Figure]:
        """``total_kwh``, ``days_covered``, ``annual_kwh``."""
        return {
            "total_kwh": figure(self.total_kwh, digits=1, warnings=self.doubts),
            "days_covered": figure(self.days_covered),
            "annual_kwh": figure(self.annual_kwh, digits=1, reason="aucun jour relevé", warnings=self.doubts),
        }


def consumption(curve: pd.DataFrame) -> Consumption:
    """The totals of an electricity frame (:func:`totals`), with the import warnings of its files."""
    days = days_covered(curve)
    total = float(curve["kwh"].sum())
    return Consumption(curve, total, days, total / days * 365 if days else None, import_doubts(curve))


@dataclass(frozen=True)
class PowerProfile(Result):
    """Subscribed power (given or deduced), standby power, off-peak share and my highest peaks."""

    kva: int
    kva_note: str | None
    baseload_w: float
    offpeak_share: float
    offpeak_hours: str
    peaks: pd.DataFrame
    doubts: tuple[str, ...] = ()

    def notes(self) -> list[str]:
        """How the subscribed power was chosen, when I did not give it."""
        return [self.kva_note] if self.kva_note else []

    def figures(self) -> dict[str, Figure]:
        """Subscribed kVA, standby W, off-peak share, highest power."""
        top = float(self.peaks["kw"].iloc[0]) if len(self.peaks) else None
        return {
            "subscribed_kva": figure(self.kva),
            "baseload_w": figure(self.baseload_w, digits=0),
            "offpeak_share": figure(self.offpeak_share, digits=3),
            "max_power_kw": figure(top, digits=2, reason="courbe vide", warnings=self.doubts),
        }

    @property
    def peaks_table(self) -> pd.DataFrame:
        """My five highest intervals, dates written the French way."""
        return self.peaks.assign(start=self.peaks["start"].dt.strftime("%d/%m/%Y %H:%M")).round(2)


def power_profile(
    use: Consumption, subscribed_kva: Any = "auto", offpeak_hours: str = "22:00-06:00"
) -> PowerProfile:
    """:func:`subscribed_power`, :func:`baseload_w`, :func:`offpeak_share` and :func:`peaks` of my curve."""
    kva, kva_note = subscribed_power(use.curve, subscribed_kva)
    return PowerProfile(
        kva,
        kva_note,
        baseload_w(use.curve),
        offpeak_share(use.curve, offpeak_hours),
        offpeak_hours,
        peaks(use.curve, subscribed_kva=kva, n=5),
        use.doubts,
    )


@dataclass(frozen=True)
class TypicalDays(Result):
    """My typical days (k-means on the daily shapes), or ``None`` and why the curve is too short."""

    centroids: pd.DataFrame | None
    labels: pd.Series | None
    reason: str | None = None

    def figures(self) -> dict[str, Figure]:
        """Days, kWh per day and peak hour of each typical day."""
        return {"typical_days": figure(typical_days_summary(self.centroids), reason=self.reason)}


def typical_day_types(use: Consumption, k: int = 4) -> TypicalDays:
    """:func:`find_typical_days` on my curve."""
    return TypicalDays(*find_typical_days(use.curve, k=k))


@dataclass(frozen=True)
class Heating(Result):
    """How much the cold drives my consumption (:class:`HeatingFit`), and heating kWh per m²."""

    fit: HeatingFit
    per_m2: float | None
    per_m2_reason: str | None
    doubts: tuple[str, ...] = ()

    def notes(self) -> list[str]:
        """The fit's remark on the weather it used."""
        return [self.fit.note] if self.fit.note else []

    def figures(self) -> dict[str, Figure]:
        """Method, kWh per degree-day, heating share, R², kWh per m²."""
        fit = self.fit
        approx = (fit.note,) if fit.approximate and fit.note else ()
        return {
            "heating_method": figure(fit.method),
            "thermosensitivity_kwh_per_degree_day": figure(
                fit.kwh_per_degree_day, digits=3, reason=fit.reason, warnings=approx
            ),
            "heating_share": figure(fit.heating_share, digits=3, reason=fit.reason, warnings=approx),
            "thermosensitivity_r2": figure(fit.r2, digits=3, reason=fit.reason),
            "heating_kwh_per_m2": figure(self.per_m2, reason=self.per_m2_reason, warnings=approx),
        }


def heating(
    use: Consumption,
    daily_temp_c: pd.Series | None,
    *,
    normals: pd.Series | None = None,
    base_c: float = 17.0,
    surface_m2: float | None = None,
) -> Heating:
    """:func:`heating_sensitivity` of my daily kWh, and :func:`heating_per_m2` for my surface."""
    fit = heating_sensitivity(use.daily, daily_temp_c, normals=normals, base_c=base_c)
    per_m2, why = heating_per_m2(fit, use.annual_kwh or 0.0, surface_m2)
    return Heating(fit, per_m2, why, use.doubts)


#: The columns of a tariff comparison (also when there is nothing to compare).
COST_COLUMNS = ["tariff", "energy_eur", "subscription_eur", "total_eur", "effective", "source"]


@dataclass(frozen=True)
class TariffComparison(Result):
    """The cost of my curve under each regulated tariff in force, and how many Tempo colours are known —
    or no cost at all and the French ``reason`` (a territory without a reference tariff grid).
    """

    costs: pd.DataFrame
    effective: Any
    tempo_coverage: float | None
    doubts: tuple[str, ...] = ()
    reason: str | None = None

    def notes(self) -> list[str]:
        """A warning when too few Tempo colours are known; the reason when nothing was priced."""
        if self.reason:
            return [self.reason]
        warning = tempo_warning(self.tempo_coverage) if self.tempo_coverage is not None else None
        return [warning] if warning else []

    def figures(self) -> dict[str, Figure]:
        """The grid's date, the Tempo coverage, each tariff's cost and the cheapest one."""
        by_name = self.costs.set_index("tariff")["total_eur"]

        def cost(name: str, warnings: Any = None) -> Figure:
            if name not in by_name:
                return missing(self.reason or f"pas de tarif « {name} » pour cette puissance")
            return figure(float(by_name[name]), digits=2, warnings=warnings or self.doubts)

        coverage = self.tempo_coverage
        return {
            "tariff_effective": figure(self.effective, reason=self.reason),
            "tempo_days_known_share": figure(
                coverage, digits=3, reason=self.reason or "aucun jour dans la courbe"
            ),
            "cost_base_eur": cost("Base"),
            "cost_hphc_eur": cost("Heures creuses"),
            "cost_tempo_eur": cost("Tempo", (*self.doubts, *(self.notes()))),
            "best_tariff": figure(
                best_tariff(self.costs, coverage) if len(self.costs) else None, reason=self.reason
            ),
        }


def compare_regulated_tariffs(
    use: Consumption,
    tariffs: pd.DataFrame | None,
    tempo_days: pd.DataFrame | None,
    *,
    kva: int,
    on: str | None = None,
    offpeak_hours: str = "22:00-06:00",
    territory: Any = None,
) -> TariffComparison:
    """Price my curve with the regulated tariffs in force on ``on`` (the newest when empty) for ``kva``,
    Tempo with the colours of ``tempo_days``. Without a grid (``tariffs`` is ``None``: my territory has
    no reference tariff), nothing is priced and the comparison says why, in French.
    """
    from selfdata_lib.opendata.energy import tariffs_in_force, tempo_colours

    if tariffs is None or tempo_days is None:
        from selfdata_lib import territories

        where = territories.get(territory) if territory is not None else None
        hint = f" ({where.missing('energy_prices')})" if where is not None else ""
        reason = f"pas de grille de référence pour ce territoire{hint} : la comparaison de tarifs est sautée"
        return TariffComparison(pd.DataFrame(columns=COST_COLUMNS), None, None, use.doubts, reason)
    grid = tariffs_in_force(tariffs, kva, on=on or None)
    colours = tempo_colours(tempo_days)
    coverage = tempo_coverage(use.curve, colours)
    options = regulated_tariffs(
        grid,
        colours=colours,
        offpeak_hours=offpeak_hours,
        source=tariffs.attrs.get("provenance", {}).get("source", ""),
    )
    costs = compare_tariffs(use.curve, options)
    effective = next(iter(grid.values()))["effective"] if grid else None
    return TariffComparison(costs, effective, coverage, use.doubts)


@dataclass(frozen=True)
class ReferencePosition(Result):
    """My annual kWh against the mean residential site of my IRIS and of the whole area (newest year) —
    or no reference and the French ``reason`` (a territory outside France, a commune the offline data
    does not cover, a cooperative that has published nothing yet).
    """

    annual_kwh: float | None
    year: int | None
    area_mean_kwh: float | None
    iris_mean_kwh: float | None = None
    iris_name: str | None = None
    iris_reason: str | None = None
    territory_note: str | None = None
    reason: str | None = None
    area_name: str | None = None
    iris: str | None = None
    source: str | None = None

    @property
    def area_ratio(self) -> float | None:
        """My annual kWh over the area's mean."""
        if self.annual_kwh is None or not self.area_mean_kwh:
            return None
        return self.annual_kwh / self.area_mean_kwh

    @property
    def iris_ratio(self) -> float | None:
        """My annual kWh over my IRIS's mean (``None`` without IRIS)."""
        if self.annual_kwh is None or self.iris_mean_kwh is None:
            return None
        return self.annual_kwh / self.iris_mean_kwh

    def notes(self) -> list[str]:
        """Why there is no reference, when there is none."""
        return [self.reason] if self.reason else []

    def figures(self) -> dict[str, Figure]:
        """The reference year, the area's and my IRIS's means, and my ratio to the closest one."""
        why = self.reason
        return {
            "reference_year": figure(self.year, reason=why),
            "reference_area_mean_kwh": figure(self.area_mean_kwh, digits=0, reason=why),
            "reference_iris_mean_kwh": figure(self.iris_mean_kwh, digits=0, reason=why or self.iris_reason),
            "reference_ratio": figure(
                self.iris_ratio or self.area_ratio,
                digits=2,
                reason=why or "ma consommation annuelle n'a pas pu être calculée",
                warnings=self.territory_note,
            ),
        }


def reference_position(
    use: Consumption | float | None,
    reference: pd.DataFrame | None,
    *,
    iris: str | None = None,
    home: str = "",
    territory: Any = "nantes",
    kind: str = "enedis",
) -> ReferencePosition:
    """My annual kWh against the mean residential site of my IRIS (when given and present) and of all
    the IRIS in the table (weighted by sites), for the newest year; ``iris_reason`` says in French why
    there is no IRIS figure; a home far from the territory is flagged. Without a reference (``None``, or
    an empty table), every figure is ``None`` with the reason (:func:`opendata.reference_missing`).
    """
    from selfdata_lib import territories
    from selfdata_lib.geo import parse_latlon
    from selfdata_lib.opendata.energy import reference_missing

    annual = use.annual_kwh if isinstance(use, Consumption) else use
    here = territories.get(territory)
    where = here.outside(parse_latlon(home)) if home else None
    if reference is None or reference.empty:
        reason = reference_missing(here, kind) or (
            reference.attrs.get("missing")
            if reference is not None
            else "la coopérative n'a encore rien publié (aucune publication dans le cache ni dans "
            'SELFDATA_OPENDATA_PATH) : reference = "enedis" compare avec les chiffres d\'Enedis'
        )
        reason = reason or f"la référence chargée ne contient aucune ligne pour {here.name}"
        return ReferencePosition(
            annual, None, None, territory_note=where, reason=str(reason), iris=iris or None
        )
    ref = reference[reference["year"] == reference["year"].max()]
    area = float(ref["total_mwh"].sum() * 1000 / ref["sites"].sum())
    names = ref["commune_name"].dropna().astype(str).unique() if "commune_name" in ref else []
    area_name = names[0] if len(names) == 1 else here.name
    source = reference.attrs.get("provenance", {}).get("source")
    base = ReferencePosition(
        annual, int(ref["year"].max()), area, territory_note=where, area_name=area_name, source=source
    )
    if not iris:
        return replace(
            base, iris_reason="pas de quartier IRIS donné (-p iris_code) : comparaison avec la zone entière"
        )
    mine = ref[ref["iris"] == str(iris)]
    if mine.empty:
        return replace(
            base, iris=str(iris), iris_reason=f"le quartier IRIS {iris} n'est pas dans la table de référence"
        )
    mean = float(mine["total_mwh"].sum() * 1000 / mine["sites"].sum())
    name = str(mine["iris_name"].iloc[0]) if "iris_name" in mine else str(iris)
    return replace(base, iris_mean_kwh=mean, iris_name=name, iris=str(iris))


@dataclass(frozen=True)
class EnergyContribution(Result):
    """What I would share with the data cooperative — my IRIS, one annual figure and its period — and
    the consent receipt I would keep. Nothing is sent.
    """

    payload: dict[str, Any]
    receipt: Any  # privacy.ConsentReceipt

    def figures(self) -> dict[str, Figure]:
        """``shared_payload``: exactly what would leave the machine."""
        return {"shared_payload": figure(self.payload)}


#: Annual kWh a household can share (clamped to this range before it leaves the machine).
CONTRIBUTION_BOUNDS_KWH = (0.0, 30000.0)


def cooperative_contribution(
    use: Consumption, position: ReferencePosition | str | None
) -> EnergyContribution:
    """What I would share with the cooperative building ``cooperative-energy-reference`` — my IRIS (9
    digits, or ``None`` when unknown), my annual kWh clamped to :data:`CONTRIBUTION_BOUNDS_KWH` and
    rounded to the kWh, the period it covers — and the consent receipt I would keep (nothing is sent).
    """
    from selfdata_lib import fr
    from selfdata_lib.analysis import privacy

    iris = position.iris if isinstance(position, ReferencePosition) else position
    iris = str(iris) if iris and len(str(iris)) == 9 and str(iris).isalnum() else None
    days = daily_kwh(use.curve)
    period = f"{days.index.min():%Y-%m-%d}/{days.index.max():%Y-%m-%d}" if len(days) else None
    low, high = CONTRIBUTION_BOUNDS_KWH
    annual = use.annual_kwh
    payload = {
        "iris": iris,
        "annual_kwh": float(privacy.clamp([annual], low, high)[0].round(0)) if annual is not None else None,
        "period": period,
    }
    receipt = privacy.ConsentReceipt(
        purpose="référence de consommation électrique résidentielle par IRIS (moyenne par logement)",
        recipient="coopérative de données citoyenne (exemple)",
        payload=payload,
        epsilon=1.0,
        mechanism=(
            f"somme et nombre de foyers par IRIS bruités (Laplace, OpenDP), chiffre borné à {fr.number(high)} "
            "kWh ; IRIS non publié sous 20 contributeurs"
        ),
        retention="jusqu'à la publication annuelle, puis suppression du chiffre individuel",
    )
    return EnergyContribution(payload, receipt)


@dataclass(frozen=True)
class GasUse(Result):
    """My annual gas kWh and the share driven by the cold — or ``None`` and why (no gas export)."""

    annual_kwh: float | None
    fit: HeatingFit | None
    daily: pd.Series | None
    reason: str | None = None
    doubts: tuple[str, ...] = ()

    def figures(self) -> dict[str, Figure]:
        """Annual kWh, kWh per degree-day and heating share of my gas."""
        fit = self.fit
        why = self.reason or (fit.reason if fit else None)
        return {
            "gas_annual_kwh": figure(self.annual_kwh, digits=1, reason=self.reason, warnings=self.doubts),
            "gas_kwh_per_degree_day": figure(fit.kwh_per_degree_day if fit else None, digits=3, reason=why),
            "gas_heating_share": figure(fit.heating_share if fit else None, digits=3, reason=why),
        }


def gas_use(
    gas: pd.DataFrame | None,
    daily_temp_c: pd.Series | None,
    *,
    normals: pd.Series | None = None,
    base_c: float = 17.0,
) -> GasUse:
    """Annual gas kWh and the share driven by the cold (weekly regression: Gazpar reads whole m3, about
    11 kWh steps, so days are too coarse). Without a gas export, every figure is ``None`` with the reason.
    """
    if gas is None or gas.empty:
        reason = (
            "pas d'export de gaz" if gas is None else "l'export de gaz ne contient aucun relevé utilisable"
        )
        return GasUse(None, None, None, reason)
    use = consumption(gas)
    fit = heating_sensitivity(use.daily, daily_temp_c, normals=normals, base_c=base_c, freq="W")
    return GasUse(use.annual_kwh, fit, use.daily, None, use.doubts)


def interpret(
    use: Consumption,
    power: PowerProfile,
    heat: Heating,
    prices: TariffComparison | None = None,
    reference: ReferencePosition | None = None,
    gas: GasUse | None = None,
    household: dict[str, Any] | None = None,
) -> Reading:
    """A French reading of my electricity results, computed from them (never written for a persona):
    my consumption, the share of the cold and the cheapest tariff make the headline.
    """
    from selfdata_lib import fr

    heating_fit, costs = heat.fit, prices.costs if prices else None
    tempo_cov = prices.tempo_coverage if prices else None
    offpeak_share, offpeak_hours, base_w = power.offpeak_share, power.offpeak_hours, power.baseload_w
    head, parts = [], []
    if use.doubts:
        head.append(f"**Attention : {' '.join(use.doubts)}** Les chiffres qui suivent en dépendent.")
    home = household or {}
    facts = [
        f"{fr.number(home['surface_m2'])} m²" if home.get("surface_m2") else "",
        fr.plural(home["occupants"], "personne") if home.get("occupants") else "",
        f"chauffage {home['heating']}" if home.get("heating") else "",
    ]
    if any(facts):
        parts.append("Mon logement : " + ", ".join(f for f in facts if f) + ".")
    if use.annual_kwh is None:
        return Reading([*head, "Ma courbe ne contient aucun relevé : rien à chiffrer."], parts)
    head.append(
        f"Sur {fr.plural(use.days_covered, 'jour')} couverts, mon logement a consommé "
        f"{fr.number(use.total_kwh)} kWh, soit {fr.number(use.annual_kwh)} kWh ramenés à une année."
    )
    if use.annual_kwh > 0:
        standby = base_w * 8.76
        parts.append(
            f"La veille (box, froid, appareils en attente) tire {fr.number(base_w)} W jour et nuit : "
            f"{fr.number(standby)} kWh par an, {fr.percent(standby / use.annual_kwh)} de ma consommation."
        )
    if heating_fit.kwh_per_degree_day is not None and heating_fit.heating_share is not None:
        how = " (estimation approchée, faute de météo pour ma période)" if heating_fit.approximate else ""
        head.append(
            f"Le froid explique environ {fr.percent(heating_fit.heating_share)} de ma consommation : "
            f"{fr.number(heating_fit.kwh_per_degree_day, 1)} kWh de plus par degré-jour{how}."
        )
    elif heating_fit.reason:
        parts.append(f"La part du chauffage n'est pas estimée : {heating_fit.reason}.")
    tariffs = _tariff_reading(costs, tempo_cov, offpeak_share, offpeak_hours)
    head += tariffs[:1]
    parts += tariffs[1:]
    if prices is not None and prices.reason:
        parts.append(f"Pas de comparaison de tarifs : {prices.reason}.")
    ratio = (reference.iris_ratio or reference.area_ratio) if reference else None
    if reference is not None and reference.reason:
        parts.append(f"Pas de comparaison avec les logements du quartier : {reference.reason}.")
    if reference and ratio:
        where = reference.iris_name or reference.area_name or "la zone de référence"
        parts.append(
            f"Ma consommation annuelle vaut {fr.number(ratio, 1)} fois la moyenne résidentielle de "
            f"{where} ({reference.year}) : un repère qui mélange appartements et maisons, chauffages "
            "électriques et au gaz, pas une note."
        )
    if gas and gas.annual_kwh is not None:
        share = gas.fit.heating_share if gas.fit else None
        with_cold = f", dont {fr.percent(share)} liés au froid" if share is not None else ""
        parts.append(f"Gaz : {fr.number(gas.annual_kwh)} kWh par an{with_cold}.")
    return Reading(head, parts)


def _tariff_reading(
    costs: pd.DataFrame | None, tempo_cov: float | None, offpeak_share: float, offpeak_hours: str
) -> list[str]:
    """The sentences on tariffs: the cheapest for my curve, why, and Tempo's caveat."""
    from selfdata_lib import fr

    if costs is None or len(costs) < 2:
        return []
    parts = []
    comparable = costs if tempo_cov is not None and tempo_cov >= 0.9 else costs[costs["tariff"] != "Tempo"]
    # one row per tariff name: the label gives a row
    best = cast(pd.Series, costs.set_index("tariff", drop=False).loc[best_tariff(costs, tempo_cov)])
    worst = comparable.sort_values("total_eur").iloc[-1]
    gap = float(worst["total_eur"] - best["total_eur"])
    parts.append(
        f"Avec la grille en vigueur le {fr.date(best['effective'])}, le tarif le moins cher pour ma courbe "
        f"est « {best['tariff']} » ({fr.euros(best['total_eur'], cents=False)} sur la période), "
        f"{fr.euros(gap, cents=False)} de moins que « {worst['tariff']} »."
    )
    if best["tariff"] == "Heures creuses":
        parts.append(
            f"{fr.percent(offpeak_share)} de mes kWh tombent dans mes heures creuses ({offpeak_hours}) : "
            "assez pour compenser le kWh plus cher le reste du temps."
        )
    elif "Tempo" in set(comparable["tariff"]) and best["tariff"] != "Tempo":
        parts.append(
            "Tempo coûterait plus cher : ses 22 jours rouges, très chers, tombent sur les jours les plus "
            "froids ; il ne devient intéressant que si je peux réduire ou décaler ma consommation ces jours-là."
        )
    if tempo_cov is not None and tempo_cov < 0.9:
        parts.append(
            f"Les couleurs Tempo ne sont connues que pour {fr.percent(tempo_cov)} de mes jours "
            "(les autres sont comptés bleus) : Tempo n'est pas comparé aux autres tarifs."
        )
    return parts
