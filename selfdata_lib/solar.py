"""Rooftop solar, alone or shared: production with pvlib aligned to load curves, self-consumption and
self-sufficiency, collective self-consumption with static or dynamic keys, payback and 20-year value.

Production offline: pvlib's clear-sky irradiance (Ineichen) scaled month by month by a clearness ratio
(measured / clear-sky irradiation), split into direct and diffuse (Erbs), transposed to the roof plane,
and turned into DC power with PVWatts, minus system losses. With a PVGIS typical year (fetched live)
the hourly irradiance replaces the clear-sky model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

TZ = "Europe/Paris"


def _plane_kwh(site, mid: pd.DatetimeIndex, ghi, dni, dhi, *, peak_kwc: float, tilt_deg: float,
               azimuth_deg: float, losses: float, step_min: float, temp_air=None) -> np.ndarray:
    """Transpose horizontal irradiance to the roof plane and turn it into kWh per interval (PVWatts)."""
    import pvlib

    solpos = site.get_solarposition(mid)
    poa = pvlib.irradiance.get_total_irradiance(
        surface_tilt=tilt_deg, surface_azimuth=azimuth_deg, solar_zenith=solpos["apparent_zenith"],
        solar_azimuth=solpos["azimuth"], dni=dni, ghi=ghi, dhi=dhi)
    poa_global = np.nan_to_num(np.asarray(poa["poa_global"], dtype=float).clip(min=0))
    air = 12.0 if temp_air is None else np.asarray(temp_air, dtype=float)
    temp_cell = air + poa_global / 800 * 25  # NOCT-like rise over the outdoor temperature
    dc_w = pvlib.pvsystem.pvwatts_dc(poa_global, temp_cell, pdc0=peak_kwc * 1000, gamma_pdc=-0.004)
    return np.clip(np.asarray(dc_w, dtype=float) * (1 - losses) * step_min / 60 / 1000, 0, None)


def _step_min(starts: pd.DatetimeIndex, step_min: float | None) -> float:
    if step_min is not None:
        return step_min
    return float(pd.Series(starts).diff().dropna().dt.total_seconds().median() / 60) if len(starts) > 1 else 60.0


def production(starts: pd.DatetimeIndex, *, lat: float, lon: float, peak_kwc: float, tilt_deg: float = 30.0,
               azimuth_deg: float = 180.0, clearness_by_month: dict[int, float] | None = None,
               losses: float = 0.14, step_min: float | None = None) -> pd.Series:
    """kWh produced in each interval starting at ``starts`` (tz-aware, regular step), offline: clear sky
    × monthly clearness, split by Erbs."""
    import pvlib

    step_min = _step_min(starts, step_min)
    mid = starts + pd.Timedelta(minutes=step_min / 2)  # irradiance at the middle of each interval
    site = pvlib.location.Location(lat, lon, tz=TZ)
    clear = site.get_clearsky(mid, model="ineichen")
    factor = pd.Series(mid.month, index=mid).map(clearness_by_month or {}).fillna(1.0).to_numpy()
    ghi = clear["ghi"].to_numpy() * factor
    erbs = pvlib.irradiance.erbs(ghi, site.get_solarposition(mid)["zenith"].to_numpy(), mid)
    kwh = _plane_kwh(site, mid, ghi, erbs["dni"], erbs["dhi"], peak_kwc=peak_kwc, tilt_deg=tilt_deg,
                     azimuth_deg=azimuth_deg, losses=losses, step_min=step_min)
    return pd.Series(kwh, index=starts, name="production_kwh")


def production_from_tmy(starts: pd.DatetimeIndex, tmy: pd.DataFrame, *, lat: float, lon: float, peak_kwc: float,
                        tilt_deg: float = 30.0, azimuth_deg: float = 180.0, losses: float = 0.14,
                        step_min: float | None = None) -> pd.Series:
    """kWh per interval from a typical meteorological year (hourly ``ghi``, ``dni``, ``dhi`` and
    optionally ``temp_air``, UTC index as PVGIS gives it): each interval takes the typical hour with the
    same UTC month, day and hour (29 February takes the 28th)."""
    import pvlib

    step_min = _step_min(starts, step_min)
    site = pvlib.location.Location(lat, lon, tz=TZ)
    index = pd.DatetimeIndex(tmy.index).tz_convert("UTC")
    mid_tmy = index + pd.Timedelta(minutes=30)  # PVGIS hourly values are centred around the half hour
    hourly = _plane_kwh(site, mid_tmy, tmy["ghi"].to_numpy(float), tmy["dni"].to_numpy(float),
                        tmy["dhi"].to_numpy(float), peak_kwc=peak_kwc, tilt_deg=tilt_deg, azimuth_deg=azimuth_deg,
                        losses=losses, step_min=60.0, temp_air=tmy.get("temp_air", None))
    key_tmy = pd.Series(hourly, index=index.month * 10000 + index.day * 100 + index.hour).groupby(level=0).mean()
    utc = starts.tz_convert("UTC")
    day = np.where((utc.month == 2) & (utc.day == 29), 28, utc.day)
    kwh = key_tmy.reindex(utc.month * 10000 + day * 100 + utc.hour).to_numpy() * step_min / 60
    return pd.Series(np.nan_to_num(kwh), index=starts, name="production_kwh")


def self_consumption(load_kwh: pd.Series, production_kwh: pd.Series) -> dict[str, float]:
    """Self-consumption rate (share of production used at home) and self-sufficiency rate (share of
    the load covered by the panels), interval by interval."""
    load, prod = load_kwh.align(production_kwh, join="inner")
    used = np.minimum(load, prod)
    return {"production_kwh": float(prod.sum()), "load_kwh": float(load.sum()),
            "self_consumed_kwh": float(used.sum()), "surplus_kwh": float((prod - used).sum()),
            "self_consumption_rate": float(used.sum() / prod.sum()) if prod.sum() else float("nan"),
            "self_sufficiency_rate": float(used.sum() / load.sum()) if load.sum() else float("nan")}


def collective(loads: pd.DataFrame, production_kwh: pd.Series, *, key: str = "dynamic",
               static_shares: dict[str, float] | None = None,
               price_eur_per_kwh: float | None = None) -> pd.DataFrame:
    """Share one production between households (columns of ``loads``, kWh per interval).

    ``key="dynamic"``: each interval's production is split pro rata of the households' consumption in
    that interval (the default key of French collective self-consumption). ``key="static"``: fixed
    shares (``static_shares``, summing to 1; equal shares by default), and what a household cannot use
    is surplus. Returns, per household: ``load_kwh``, ``allocated_kwh`` (used), ``self_sufficiency_rate``
    and, with ``price_eur_per_kwh``, ``benefit_eur`` (the purchases avoided at that price).
    """
    loads, prod = loads.align(production_kwh, join="inner", axis=0)
    if key == "dynamic":
        total = loads.sum(axis=1)
        share = loads.div(total.where(total > 0), axis=0).fillna(0.0)
    elif key == "static":
        shares = static_shares or {c: 1 / loads.shape[1] for c in loads.columns}
        if abs(sum(shares.values()) - 1) > 1e-6:
            msg = f"static shares must sum to 1, got {sum(shares.values()):.3f}"
            raise ValueError(msg)
        share = pd.DataFrame({c: shares[c] for c in loads.columns}, index=loads.index)
    else:
        msg = f"key must be 'dynamic' or 'static', got {key!r}"
        raise ValueError(msg)
    allocated = np.minimum(share.mul(prod, axis=0), loads)
    out = pd.DataFrame({"load_kwh": loads.sum(), "allocated_kwh": allocated.sum()})
    out["self_sufficiency_rate"] = out["allocated_kwh"] / out["load_kwh"]
    if price_eur_per_kwh is not None:
        out["benefit_eur"] = out["allocated_kwh"] * price_eur_per_kwh
    out.attrs["collective_self_consumption_rate"] = float(allocated.to_numpy().sum() / prod.sum()) if prod.sum() else float("nan")
    return out


@dataclass
class Economics:
    """Inputs of the payback calculation (all in euros, kWh and years)."""

    install_eur_per_kwc: float
    subsidy_eur_per_kwc: float
    feed_in_eur_per_kwh: float
    electricity_eur_per_kwh: float
    electricity_growth: float = 0.02
    degradation: float = 0.005
    years: int = 20
    maintenance_eur_per_year: float = 0.0


def cash_flows(peak_kwc: float, annual_self_consumed_kwh: float, annual_surplus_kwh: float,
               eco: Economics) -> pd.DataFrame:
    """Yearly savings (self-consumed kWh at the growing electricity price + surplus at the feed-in
    tariff, both degrading with the panels), cumulative net value after the net investment."""
    years = np.arange(1, eco.years + 1)
    health = (1 - eco.degradation) ** (years - 1)
    price = eco.electricity_eur_per_kwh * (1 + eco.electricity_growth) ** (years - 1)
    saving = annual_self_consumed_kwh * health * price + annual_surplus_kwh * health * eco.feed_in_eur_per_kwh
    saving = saving - eco.maintenance_eur_per_year
    investment = peak_kwc * (eco.install_eur_per_kwc - eco.subsidy_eur_per_kwc)
    return pd.DataFrame({"year": years, "saving_eur": saving, "cumulative_eur": np.cumsum(saving) - investment},
                        ).assign(investment_eur=investment)


def payback_years(flows: pd.DataFrame) -> float:
    """First (fractional) year where the cumulative value turns positive; NaN if never."""
    cum = flows["cumulative_eur"].to_numpy()
    pos = np.flatnonzero(cum >= 0)
    if not len(pos):
        return float("nan")
    i = int(pos[0])
    before = cum[i - 1] if i > 0 else -float(flows["investment_eur"].iloc[0])
    return float(flows["year"].iloc[i] - 1 + (-before) / (cum[i] - before))


def sensitivity(peak_kwc: float, self_consumed: float, surplus: float, eco: Economics, *,
                prices: Any = (0.15, 0.20, 0.25, 0.30), costs: Any = (1500, 2000, 2500, 3000)) -> pd.DataFrame:
    """Payback years for each electricity price (rows) and installation cost per kWc (columns)."""
    from dataclasses import replace

    table = {c: [payback_years(cash_flows(peak_kwc, self_consumed, surplus,
                                          replace(eco, electricity_eur_per_kwh=p, install_eur_per_kwc=c)))
                 for p in prices] for c in costs}
    return pd.DataFrame(table, index=pd.Index(prices, name="€/kWh")).rename_axis(columns="€/kWc")
