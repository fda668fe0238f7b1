"""My home's electricity from its load curve: totals, base load, off-peak share, typical days, heating
sensitivity, and the cost of the same curve under several tariffs.

Works on any electricity frame of :mod:`selfdata_lib.exports` (``start``, ``end``, ``kwh``, intervals of
any length). Tariffs are described by :class:`Tariff` (subscription per month and price per kWh by
period); the regulated tariffs with their effective date and source are in the open-data loaders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

TZ = "Europe/Paris"


def _local(ts: pd.Series) -> pd.Series:
    return ts.dt.tz_convert(TZ)


def totals(curve: pd.DataFrame) -> dict[str, float]:
    """``total_kwh``, ``days_covered`` (distinct local days with data) and ``annual_kwh``
    (total / days covered × 365)."""
    days = int(_local(curve["start"]).dt.date.nunique())
    total = float(curve["kwh"].sum())
    return {"total_kwh": total, "days_covered": days, "annual_kwh": total / days * 365 if days else float("nan")}


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
    return float(curve.loc[in_hours(curve["start"], offpeak_hours), "kwh"].sum() / total) if total else float("nan")


def daily_kwh(curve: pd.DataFrame) -> pd.Series:
    """kWh per local day."""
    day = _local(curve["start"]).dt.tz_localize(None).dt.normalize()
    return curve["kwh"].groupby(day.to_numpy()).sum().rename_axis("day").rename("kwh")


def hourly_kwh(curve: pd.DataFrame) -> pd.Series:
    """kWh per UTC hour (intervals summed by the hour they start in) — the common step to put load
    curves of different steps (30 min, 1 h) side by side."""
    hour = curve["start"].dt.tz_convert("UTC").dt.floor("h")
    return curve["kwh"].groupby(hour.to_numpy()).sum().rename_axis("hour").rename("kwh")


def peaks(curve: pd.DataFrame, *, subscribed_kva: float | None = None, n: int = 5) -> pd.DataFrame:
    """The ``n`` highest average powers (kW), one per day, with the local time they started and, when
    ``subscribed_kva`` is given, their share of the subscribed power (kVA ≈ kW for a home)."""
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
        index="day", columns="hour", values="kwh", aggfunc="sum")
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


def thermosensitivity(daily: pd.Series, daily_temp_c: pd.Series, *, base_c: float = 17.0,
                      freq: str | None = None) -> dict[str, float]:
    """kWh per degree-day by robust linear regression (scikit-learn's Huber) of daily kWh on
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
    return {"kwh_per_degree_day": slope, "base_kwh_per_day": float(model.intercept_),
            "r2": float(model.score(x, y)), "heating_share": float(heating / both["kwh"].sum()),
            "base_c": base_c, "days": len(both) if freq is None else int(grouped.size().sum()), "periods": len(both)}


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
        days = totals(curve)["days_covered"]
        subscription = self.subscription_eur_month * 12 / 365 * days
        return {"energy_eur": energy, "subscription_eur": subscription, "total_eur": energy + subscription}


def base_tariff(subscription_eur_month: float, price: float, **kw: Any) -> Tariff:
    return Tariff("Base", subscription_eur_month, {"base": price},
                  lambda c: pd.Series("base", index=c.index), **kw)


def hphc_tariff(subscription_eur_month: float, hp: float, hc: float, offpeak_hours: str = "22:00-06:00",
                **kw: Any) -> Tariff:
    return Tariff("Heures creuses", subscription_eur_month, {"hp": hp, "hc": hc},
                  lambda c: pd.Series(np.where(in_hours(c["start"], offpeak_hours), "hc", "hp"), index=c.index),
                  details={"offpeak_hours": offpeak_hours}, **kw)


def tempo_tariff(subscription_eur_month: float, prices: dict[str, float], colours: pd.Series, **kw: Any) -> Tariff:
    """Tempo: ``prices`` keyed ``bleu_hp``, ``bleu_hc``, ``blanc_hp``… ; ``colours`` maps each *Tempo
    day* (06:00 to 06:00, naive date) to ``bleu``/``blanc``/``rouge``; off-peak hours 22:00–06:00.
    Days without a known colour are priced blue (and counted in ``details``)."""
    def period_of(c: pd.DataFrame) -> pd.Series:
        local = _local(c["start"]).dt.tz_localize(None)
        tempo_day = (local - pd.Timedelta(hours=6)).dt.normalize()
        colour = tempo_day.map(colours).fillna("bleu").str.lower()
        hc = in_hours(c["start"], "22:00-06:00")
        return colour + np.where(hc, "_hc", "_hp")

    return Tariff("Tempo", subscription_eur_month, prices, period_of, **kw)


def regulated_tariffs(in_force: dict[str, dict], *, colours: pd.Series | None = None,
                      offpeak_hours: str = "22:00-06:00", source: str = "") -> list[Tariff]:
    """The regulated tariffs of :func:`selfdata_lib.opendata.tariffs_in_force` as :class:`Tariff` objects
    (Tempo only when its day ``colours`` are given)."""
    out = []
    for option, spec in in_force.items():
        kw = {"source": source, "effective": spec["effective"]}
        if option == "base":
            out.append(base_tariff(spec["subscription_eur_month"], spec["prices"]["base"], **kw))
        elif option == "hphc":
            out.append(hphc_tariff(spec["subscription_eur_month"], spec["prices"]["hp"], spec["prices"]["hc"],
                                   offpeak_hours=offpeak_hours, **kw))
        elif option == "tempo" and colours is not None:
            out.append(tempo_tariff(spec["subscription_eur_month"], spec["prices"], colours, **kw))
    return out


def tempo_coverage(curve: pd.DataFrame, colours: pd.Series) -> float:
    """Share of the curve's Tempo days (06:00 → 06:00) whose colour is known."""
    tempo_day = (_local(curve["start"]).dt.tz_localize(None) - pd.Timedelta(hours=6)).dt.normalize()
    days = pd.Index(tempo_day.unique())
    return float(days.isin(pd.DatetimeIndex(colours.index)).mean()) if len(days) else float("nan")


def compare_tariffs(curve: pd.DataFrame, tariffs: list[Tariff]) -> pd.DataFrame:
    """Cost of the same curve under each tariff, cheapest first."""
    rows = [{"tariff": t.name, **t.cost(curve), "effective": t.effective, "source": t.source} for t in tariffs]
    return pd.DataFrame(rows).sort_values("total_eur", ignore_index=True)
