"""Rooftop solar, alone or shared: production with pvlib aligned to load curves, self-consumption and
self-sufficiency, collective self-consumption with static or dynamic keys, payback and 20-year value.

Production offline: pvlib's clear-sky irradiance (Ineichen) scaled month by month by a clearness ratio
(measured / clear-sky irradiation), split into direct and diffuse (Erbs), transposed to the roof plane,
and turned into DC power with PVWatts, minus system losses. With a PVGIS typical year (fetched live)
the hourly irradiance replaces the clear-sky model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from selfdata_lib.results import Figure, Reading, Result, figure, import_doubts, missing

TZ = "Europe/Paris"


INVERTER_EFFICIENCY = 0.96  # nominal efficiency of pvlib's PVWatts inverter model
# The two day types of the offline sky. A clear day receives 90 % of pvlib's clear sky (Ineichen, with
# its monthly Linke turbidity: haze and thin cloud take the rest), an overcast day 45 %, all of it
# diffuse. With the monthly irradiation of Nantes (PVGIS SARAH-2, 1,218 kWh/m² a year) the annual
# diffuse share comes out at 0.41 and a 30°, south-facing roof yields 1,211 kWh/kWc, inside the
# 1,150-1,250 kWh/kWc of PVGIS and published figures for Nantes; « evenly hazy » days gave 1,081.
CLEAR_DAY = 0.90
OVERCAST_DAY = 0.45


def _plane_kwh(
    site,
    mid: pd.DatetimeIndex,
    ghi,
    dni,
    dhi,
    *,
    peak_kwc: float,
    tilt_deg: float,
    azimuth_deg: float,
    losses: float,
    step_min: float,
    temp_air=None,
) -> np.ndarray:
    """Transpose horizontal irradiance to the roof plane (Perez) and turn it into AC kWh per interval:
    cell temperature (SAPM, open rack), PVWatts DC, PVWatts inverter. ``losses`` is the whole system
    loss as PVGIS counts it (14 % by default), the inverter's included.
    """
    import pvlib

    solpos = site.get_solarposition(mid)
    poa = pvlib.irradiance.get_total_irradiance(
        surface_tilt=tilt_deg,
        surface_azimuth=azimuth_deg,
        solar_zenith=solpos["apparent_zenith"],
        solar_azimuth=solpos["azimuth"],
        dni=dni,
        ghi=ghi,
        dhi=dhi,
        dni_extra=pvlib.irradiance.get_extra_radiation(mid),
        airmass=site.get_airmass(mid, solar_position=solpos)["airmass_relative"],
        model="perez",
    )
    poa_global = np.nan_to_num(np.asarray(poa["poa_global"], dtype=float).clip(min=0))
    air = 12.0 if temp_air is None else np.asarray(temp_air, dtype=float)
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_polymer"]
    temp_cell = pvlib.temperature.sapm_cell(poa_global, air, 2.0, **params)
    pdc0 = peak_kwc * 1000
    dc_w = pvlib.pvsystem.pvwatts_dc(poa_global, temp_cell, pdc0=pdc0, gamma_pdc=-0.004)
    other = 1 - (1 - losses) / INVERTER_EFFICIENCY  # cables, dirt, mismatch: what the inverter leaves
    dc_w = np.clip(np.nan_to_num(np.asarray(dc_w, dtype=float)) * (1 - other), 0, None)
    ac_w = pvlib.inverter.pvwatts(dc_w, pdc0 / INVERTER_EFFICIENCY, eta_inv_nom=INVERTER_EFFICIENCY)
    return np.clip(np.nan_to_num(np.asarray(ac_w, dtype=float)) * step_min / 60 / 1000, 0, None)


def _step_min(starts: pd.DatetimeIndex, step_min: float | None) -> float:
    if step_min is not None:
        return step_min
    return (
        float(pd.Series(starts).diff().dropna().dt.total_seconds().median() / 60) if len(starts) > 1 else 60.0
    )


def clear_day_share(clearness: float) -> float:
    """Share of clear days in a month whose irradiation is ``clearness`` × the clear sky's, when a day
    is either clear (:data:`CLEAR_DAY`) or overcast (:data:`OVERCAST_DAY`).
    """
    return float(np.clip((clearness - OVERCAST_DAY) / (CLEAR_DAY - OVERCAST_DAY), 0.0, 1.0))


def _clear_days(days: pd.DatetimeIndex, clearness_by_month: dict[int, float]) -> np.ndarray:
    """Which days are clear: in each month, the share of :func:`clear_day_share` spread evenly over
    its days (deterministic, so that a study is reproducible).
    """
    clear = np.zeros(len(days), dtype=bool)
    frame = pd.DataFrame({"month": days.month, "ym": days.year * 12 + days.month})
    for _, idx in frame.groupby("ym").groups.items():
        positions = np.asarray([frame.index.get_loc(i) for i in idx])
        share = clear_day_share(clearness_by_month.get(int(frame.loc[idx[0], "month"]), CLEAR_DAY))
        d = np.arange(len(positions))
        clear[positions] = np.floor((d + 1) * share + 0.5) > np.floor(d * share + 0.5)
    return clear


def production(
    starts: pd.DatetimeIndex,
    *,
    lat: float,
    lon: float,
    peak_kwc: float,
    tilt_deg: float = 30.0,
    azimuth_deg: float = 180.0,
    clearness_by_month: dict[int, float] | None = None,
    losses: float = 0.14,
    step_min: float | None = None,
) -> pd.Series:
    """KWh produced in each interval starting at ``starts`` (tz-aware, regular step), offline, from a
    two-state sky: each day is clear (the clear sky, its direct and diffuse parts) or overcast (a
    fraction of it, all diffuse), clear days in the proportion that gives each month its measured
    irradiation (``clearness_by_month``: measured / clear sky). Spreading the clearness evenly over
    every day instead (« hazy » days, Erbs decomposition) underestimated the yield by about 10 %.
    """
    import pvlib

    step_min = _step_min(starts, step_min)
    mid = starts + pd.Timedelta(minutes=step_min / 2)  # irradiance at the middle of each interval
    site = pvlib.location.Location(lat, lon, tz=TZ)
    clear = site.get_clearsky(mid, model="ineichen")
    local_days = mid.tz_convert(TZ).normalize()
    days = pd.DatetimeIndex(local_days.unique())
    is_clear_day = (
        pd.Series(_clear_days(days, clearness_by_month or {}), index=days).reindex(local_days).to_numpy()
    )
    factor = np.where(is_clear_day, CLEAR_DAY, OVERCAST_DAY)
    ghi = clear["ghi"].to_numpy() * factor
    dni = np.where(is_clear_day, clear["dni"].to_numpy() * CLEAR_DAY, 0.0)
    dhi = np.where(is_clear_day, clear["dhi"].to_numpy() * CLEAR_DAY, ghi)
    kwh = _plane_kwh(
        site,
        mid,
        ghi,
        dni,
        dhi,
        peak_kwc=peak_kwc,
        tilt_deg=tilt_deg,
        azimuth_deg=azimuth_deg,
        losses=losses,
        step_min=step_min,
    )
    return pd.Series(kwh, index=starts, name="production_kwh")


def production_from_tmy(
    starts: pd.DatetimeIndex,
    tmy: pd.DataFrame,
    *,
    lat: float,
    lon: float,
    peak_kwc: float,
    tilt_deg: float = 30.0,
    azimuth_deg: float = 180.0,
    losses: float = 0.14,
    step_min: float | None = None,
) -> pd.Series:
    """KWh per interval from a typical meteorological year (hourly ``ghi``, ``dni``, ``dhi`` and
    optionally ``temp_air``, UTC index as PVGIS gives it): each interval takes the typical hour with the
    same UTC month, day and hour (29 February takes the 28th).
    """
    import pvlib

    step_min = _step_min(starts, step_min)
    site = pvlib.location.Location(lat, lon, tz=TZ)
    index = pd.DatetimeIndex(tmy.index).tz_convert("UTC")
    mid_tmy = index + pd.Timedelta(minutes=30)  # PVGIS hourly values are centred around the half hour
    hourly = _plane_kwh(
        site,
        mid_tmy,
        tmy["ghi"].to_numpy(float),
        tmy["dni"].to_numpy(float),
        tmy["dhi"].to_numpy(float),
        peak_kwc=peak_kwc,
        tilt_deg=tilt_deg,
        azimuth_deg=azimuth_deg,
        losses=losses,
        step_min=60.0,
        temp_air=tmy.get("temp_air", None),
    )
    key_tmy = (
        pd.Series(hourly, index=index.month * 10000 + index.day * 100 + index.hour).groupby(level=0).mean()
    )
    utc = starts.tz_convert("UTC")
    day = np.where((utc.month == 2) & (utc.day == 29), 28, utc.day)
    kwh = key_tmy.reindex(utc.month * 10000 + day * 100 + utc.hour).to_numpy() * step_min / 60
    return pd.Series(np.nan_to_num(kwh), index=starts, name="production_kwh")


@dataclass(frozen=True)
class SelfConsumption:
    """Energy used at home and sold, and the two rates (``None`` when there was no production, or no
    load, over the period).
    """

    production_kwh: float
    load_kwh: float
    self_consumed_kwh: float
    surplus_kwh: float
    self_consumption_rate: float | None
    self_sufficiency_rate: float | None


def self_consumption(load_kwh: pd.Series, production_kwh: pd.Series) -> SelfConsumption:
    """Self-consumption rate (share of production used at home) and self-sufficiency rate (share of
    the load covered by the panels), interval by interval.
    """
    load, prod = load_kwh.align(production_kwh, join="inner")
    used = np.minimum(load, prod)
    produced, consumed, kept = float(prod.sum()), float(load.sum()), float(used.sum())
    return SelfConsumption(
        production_kwh=produced,
        load_kwh=consumed,
        self_consumed_kwh=kept,
        surplus_kwh=float((prod - used).sum()),
        self_consumption_rate=kept / produced if produced else None,
        self_sufficiency_rate=kept / consumed if consumed else None,
    )


def collective(
    loads: pd.DataFrame,
    production_kwh: pd.Series,
    *,
    key: str = "dynamic",
    static_shares: dict[str, float] | None = None,
    price_eur_per_kwh: float | None = None,
) -> pd.DataFrame:
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
    # a NumPy ufunc on frames gives a frame (numpy's stubs only know arrays)
    allocated = cast(pd.DataFrame, np.minimum(share.mul(prod, axis=0), loads))
    out = pd.DataFrame({"load_kwh": loads.sum(), "allocated_kwh": allocated.sum()})
    out["self_sufficiency_rate"] = out["allocated_kwh"] / out["load_kwh"]
    if price_eur_per_kwh is not None:
        out["benefit_eur"] = out["allocated_kwh"] * price_eur_per_kwh
    out.attrs["collective_self_consumption_rate"] = (
        float(allocated.to_numpy().sum() / prod.sum()) if prod.sum() else float("nan")
    )
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


def cash_flows(
    peak_kwc: float, annual_self_consumed_kwh: float, annual_surplus_kwh: float, eco: Economics
) -> pd.DataFrame:
    """Yearly savings (self-consumed kWh at the growing electricity price + surplus at the feed-in
    tariff, both degrading with the panels), cumulative net value after the net investment.
    """
    years = np.arange(1, eco.years + 1)
    health = (1 - eco.degradation) ** (years - 1)
    price = eco.electricity_eur_per_kwh * (1 + eco.electricity_growth) ** (years - 1)
    saving = annual_self_consumed_kwh * health * price + annual_surplus_kwh * health * eco.feed_in_eur_per_kwh
    saving = saving - eco.maintenance_eur_per_year
    investment = peak_kwc * (eco.install_eur_per_kwc - eco.subsidy_eur_per_kwc)
    return pd.DataFrame(
        {"year": years, "saving_eur": saving, "cumulative_eur": np.cumsum(saving) - investment},
    ).assign(investment_eur=investment)


def payback_years(flows: pd.DataFrame) -> float | None:
    """First (fractional) year where the cumulative value turns positive; ``None`` if never."""
    cum = flows["cumulative_eur"].to_numpy()
    pos = np.flatnonzero(cum >= 0)
    if not len(pos):
        return None
    i = int(pos[0])
    before = cum[i - 1] if i > 0 else -float(flows["investment_eur"].iloc[0])
    return float(flows["year"].iloc[i] - 1 + (-before) / (cum[i] - before))


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else value


def sensitivity(
    peak_kwc: float,
    self_consumed: float,
    surplus: float,
    eco: Economics,
    *,
    prices: Any = (0.15, 0.20, 0.25, 0.30),
    costs: Any = (1500, 2000, 2500, 3000),
) -> pd.DataFrame:
    """Payback years for each electricity price (rows) and installation cost per kWc (columns); a
    cell is NaN where the roof is not paid back within the study (a table to read, not a figure).
    """
    from dataclasses import replace

    table = {
        c: [
            _or_nan(
                payback_years(
                    cash_flows(
                        peak_kwc,
                        self_consumed,
                        surplus,
                        replace(eco, electricity_eur_per_kwh=p, install_eur_per_kwc=c),
                    )
                )
            )
            for p in prices
        ]
        for c in costs
    }
    return pd.DataFrame(table, index=pd.Index(prices, name="€/kWh")).rename_axis(columns="€/kWc")


# --- A household's study: curves, roof, resource, money ------------------------------------------------

#: A study covering fewer days than this reads a season, not a year: its rates are flagged.
FULL_YEAR_DAYS = 330


def align_hourly(curves: dict[str, pd.DataFrame], *, me: str) -> tuple[pd.DataFrame, str | None]:
    """The households' kWh per hour (columns), on the hours known for all of them (Europe/Paris index).

    A neighbour whose curve shares fewer than 30 days with mine (another year, say) is left out, and
    the French note returned says so — my own curve is never cut short by someone else's.
    """
    from selfdata_lib.analysis.energy import hourly_kwh

    hourly = {name: hourly_kwh(c) for name, c in curves.items()}
    loads = hourly[me].to_frame(me)
    dropped = []
    for name, series in hourly.items():
        if name == me:
            continue
        joined = loads.join(series.rename(name), how="inner").dropna()
        if len(joined) >= 30 * 24:
            loads = joined
        else:
            dropped.append(name)
    loads = loads.dropna()
    loads.index = pd.DatetimeIndex(loads.index).tz_convert(TZ)
    note = None
    if dropped:
        note = (
            f"{', '.join(dropped)} : moins de 30 jours en commun avec ma courbe (une autre période ?) — "
            "laissé(s) de côté pour l'étude collective"
        )
    return loads, note


def roof_location(spec: str, *, territory: str = "Nantes") -> tuple[tuple[float, float], str | None]:
    """The roof's ``(lat, lon)`` from ``"lat,lon"``; without it the territory's centre, with a note (the
    production changes by a few percent within a territory, more from one to another).
    """
    from selfdata_lib import territories
    from selfdata_lib.geo import parse_latlon

    place = parse_latlon(spec) if spec else None
    if place is not None:
        return place, None
    centre = territories.get(territory).centre
    return centre, (
        f"emplacement du toit non donné : centre de {territory} retenu ({centre[0]:.3f}, {centre[1]:.3f}) ; "
        'donnez -p roof_place "lat,lon" pour le vôtre'
    )


def production_for(
    starts: pd.DatetimeIndex,
    resource: pd.DataFrame,
    *,
    lat: float,
    lon: float,
    peak_kwc: float,
    tilt_deg: float = 30.0,
    azimuth_deg: float = 180.0,
    losses: float = 0.14,
) -> pd.Series:
    """KWh per interval from whichever solar resource was loaded: a typical year (hourly ``ghi``, live
    PVGIS) or monthly irradiation (``month``, ``ghi_kwh_m2``: clear sky scaled month by month).
    """
    if {"ghi", "dni", "dhi"} <= set(resource.columns):
        return production_from_tmy(
            starts,
            resource,
            lat=lat,
            lon=lon,
            peak_kwc=peak_kwc,
            tilt_deg=tilt_deg,
            azimuth_deg=azimuth_deg,
            losses=losses,
        )
    from selfdata_lib.opendata.energy import clearness_by_month

    clearness = clearness_by_month(resource, lat=lat, lon=lon)
    return production(
        starts,
        lat=lat,
        lon=lon,
        peak_kwc=peak_kwc,
        tilt_deg=tilt_deg,
        azimuth_deg=azimuth_deg,
        clearness_by_month=clearness,
        losses=losses,
    )


def resource_warning(
    resource: pd.DataFrame, lat: float, lon: float, *, territory: str = "Nantes"
) -> str | None:
    """A French warning when the offline irradiation (measured at ``territory``) is used for a roof far
    from it: the live typical year of PVGIS is the roof's own.
    """
    if {"ghi", "dni", "dhi"} <= set(resource.columns):
        return None
    from selfdata_lib import territories

    far = territories.get(territory).outside((lat, lon), radius_km=100.0)
    return (
        None
        if far is None
        else (
            f"{far.replace('mon domicile', 'mon toit')} ; l'irradiation hors ligne est celle "
            f'de {territory} : open_data = "live" prend celle de mon toit (PVGIS)'
        )
    )


def annual_production(resource: pd.DataFrame, **roof: Any) -> float:
    """KWh a year: the production of a whole (non-leap) year, whatever period my curve covers."""
    year = pd.date_range("2023-01-01", "2024-01-01", freq="1h", inclusive="left", tz=TZ)
    return float(production_for(year, resource, **roof).sum())


def coverage_warning(loads: pd.DataFrame) -> str | None:
    """A French warning when the curves cover less than a year: rates then read a season."""
    days = len(loads) / 24
    if days >= FULL_YEAR_DAYS:
        return None
    return (
        f"mes courbes couvrent {days:.0f} jours seulement ({loads.index.min():%m/%Y}–{loads.index.max():%m/%Y}) : "
        "les taux d'autoconsommation et le temps de retour extrapolent cette saison à l'année"
    )


def annual_scale(loads: pd.DataFrame) -> float:
    """The factor turning the covered hours into a year (365 days over the days covered)."""
    return 365 / (len(loads) / 24) if len(loads) else float("nan")


def annual_split(rate: float | None, annual_production_kwh: float) -> tuple[float, float]:
    """Annual self-consumed and surplus kWh from a self-consumption ``rate`` (``None``: nothing used
    at home) and the annual production.
    """
    share = 0.0 if rate is None or math.isnan(rate) else rate
    return share * annual_production_kwh, (1 - share) * annual_production_kwh


def economics_in_force(
    support_table: pd.DataFrame,
    tariffs_table: pd.DataFrame,
    *,
    peak_kwc: float,
    kva: int,
    on: str | None = None,
    electricity_eur_per_kwh: Any = "auto",
    install_eur_per_kwc: Any = "auto",
    **kw: Any,
) -> tuple[Economics, pd.Series]:
    """The :class:`Economics` of the study from the support and tariffs in force (``"auto"`` values) or
    from mine (my quote, my price), and a French table saying where each figure comes from.
    """
    from selfdata_lib.opendata.energy import support_in_force, tariffs_in_force

    support = support_in_force(support_table, peak_kwc, on=on)
    price = (
        tariffs_in_force(tariffs_table, kva)["base"]["prices"]["base"]
        if str(electricity_eur_per_kwh) == "auto"
        else float(electricity_eur_per_kwh)
    )
    cost = (
        support["install_eur_per_kwc"] if str(install_eur_per_kwc) == "auto" else float(install_eur_per_kwc)
    )
    eco = Economics(
        install_eur_per_kwc=cost,
        subsidy_eur_per_kwc=support["prime_eur_per_kwc"],
        feed_in_eur_per_kwh=support["surplus_eur_per_kwh"],
        electricity_eur_per_kwh=price,
        **kw,
    )
    table = pd.Series(
        {
            "prime (€/kWc)": support["prime_eur_per_kwc"],
            "tarif d'achat du surplus (€/kWh)": support["surplus_eur_per_kwh"],
            "en vigueur depuis": support["effective_from"],
            "source": support["source"],
            "coût d'installation (€/kWc)": cost,
            "source du coût": support["install_source"]
            if str(install_eur_per_kwc) == "auto"
            else "mon devis",
            "prix du kWh évité (€)": price,
            "source du prix": f"tarif Base réglementé, {kva} kVA"
            if str(electricity_eur_per_kwh) == "auto"
            else "mon prix",
        }
    )
    table.attrs["support_effective"] = support["effective_from"]
    return eco, table


def share_production(
    loads: pd.DataFrame, production_kwh: pd.Series, *, price_eur_per_kwh: float
) -> tuple[dict[str, pd.DataFrame] | None, str | None]:
    """Collective self-consumption with the dynamic and the static keys, or ``(None, reason)`` when I
    am alone.
    """
    if loads.shape[1] < 2:
        return None, "pas de courbes de voisins (-p neighbours_folder DOSSIER) : pas d'étude collective"
    return {
        key: collective(loads, production_kwh, key=key, price_eur_per_kwh=price_eur_per_kwh)
        for key in ("dynamic", "static")
    }, None


def loads_table(curves: dict[str, pd.DataFrame], loads: pd.DataFrame) -> pd.DataFrame:
    """One row per household: format, rows read, kept, rejected, kWh on the hours in common."""
    from selfdata_lib.exports._base import FORMATS

    rows = {}
    for name, c in curves.items():
        rep = c.attrs["import_report"]
        known = FORMATS.get(str(c.attrs.get("format")))
        rows[name] = {
            "format": known.title if known is not None else c.attrs.get("format"),
            "lues": rep["rows_read"],
            "gardées": rep["rows_kept"],
            "écartées": rep["rows_rejected"],
            "kWh (heures communes)": round(float(loads[name].sum())) if name in loads else None,
        }
    return pd.DataFrame(rows).T


def _share(rate: float | None) -> str:
    from selfdata_lib import fr

    return "—" if rate is None else fr.percent(rate)


def alone_table(alone: SelfConsumption, annual_production_kwh: float) -> pd.Series:
    """What I would produce, use and sell in a year, alone, in French."""
    self_kwh, surplus_kwh = annual_split(alone.self_consumption_rate, annual_production_kwh)
    return pd.Series(
        {
            "production annuelle (kWh)": round(annual_production_kwh),
            "consommée chez moi (kWh/an)": round(self_kwh),
            "surplus vendu (kWh/an)": round(surplus_kwh),
            "taux d'autoconsommation": _share(alone.self_consumption_rate),
            "taux d'autoproduction": _share(alone.self_sufficiency_rate),
        },
        name="",
    )


# --- The steps of the use case, each a frozen result ----------------------------------------------------


@dataclass(frozen=True)
class Households(Result):
    """The households' kWh per hour on the hours they share (mine first), and what was left out."""

    curves: dict[str, pd.DataFrame]
    loads: pd.DataFrame
    me: str
    left_out: str | None = None
    doubts: tuple[str, ...] = ()

    def notes(self) -> list[str]:
        """Which neighbours were left out, and why."""
        return [self.left_out] if self.left_out else []

    def figures(self) -> dict[str, Figure]:
        """How many households and hours in common."""
        return {"households": figure(self.loads.shape[1]), "hours_in_common": figure(len(self.loads))}

    @property
    def table(self) -> pd.DataFrame:
        """One row per household: format, rows read, kept, rejected, kWh on the hours in common."""
        return loads_table(self.curves, self.loads)

    @property
    def mine(self) -> pd.Series:
        """My kWh per hour."""
        return self.loads[self.me]

    @property
    def scale(self) -> float:
        """The factor turning the covered hours into a year."""
        return annual_scale(self.loads)


def households(curves: dict[str, pd.DataFrame], *, me: str) -> Households:
    """:func:`align_hourly` on my curve and my neighbours'; my curve's import warnings and a warning
    when the curves cover less than a year go with the rates computed from them.
    """
    readable = {name.replace("_", " "): frame for name, frame in curves.items()}  # file stems, as people read
    curves, me = readable, me.replace("_", " ")
    loads, left_out = align_hourly(curves, me=me)
    season = coverage_warning(loads)
    doubts = (*import_doubts(curves[me]), *([season] if season else []))
    return Households(curves, loads, me, left_out, doubts)


@dataclass(frozen=True)
class Roof(Result):
    """Where the roof is (given, or the territory's centre with a note) and how it is built."""

    lat: float
    lon: float
    peak_kwc: float
    tilt_deg: float = 30.0
    azimuth_deg: float = 180.0
    losses: float = 0.14
    note: str | None = None

    def notes(self) -> list[str]:
        """Whether the place was assumed."""
        return [self.note] if self.note else []

    def figures(self) -> dict[str, Figure]:
        """The peak power studied."""
        return {"peak_power_kwc": figure(self.peak_kwc)}

    @property
    def settings(self) -> dict[str, float]:
        """The keyword arguments of :func:`production_for`."""
        return {
            "lat": self.lat,
            "lon": self.lon,
            "peak_kwc": self.peak_kwc,
            "tilt_deg": self.tilt_deg,
            "azimuth_deg": self.azimuth_deg,
            "losses": self.losses,
        }


def roof(
    place: str, *, peak_kwc: float, tilt_deg: float = 30.0, azimuth_deg: float = 180.0, losses: float = 0.14
) -> Roof:
    """The roof at ``place`` (``"lat,lon"``; the centre of Nantes when empty, with a note)."""
    (lat, lon), note = roof_location(place)
    return Roof(lat, lon, float(peak_kwc), float(tilt_deg), float(azimuth_deg), float(losses), note)


@dataclass(frozen=True)
class Production(Result):
    """What the roof would produce: hour by hour on my hours, and in a whole year."""

    hourly: pd.Series
    annual_kwh: float
    peak_kwc: float
    resource_note: str | None = None

    def figures(self) -> dict[str, Figure]:
        """Annual kWh and kWh per kWc."""
        return {
            "annual_production_kwh": figure(self.annual_kwh, digits=1, warnings=self.resource_note),
            "yield_kwh_per_kwc": figure(
                self.annual_kwh / self.peak_kwc, digits=1, warnings=self.resource_note
            ),
        }


def pv_production(group: Households, resource: pd.DataFrame, site: Roof) -> Production:
    """:func:`production_for` on my hours and over a whole year, with a warning when the offline
    irradiation is far from the roof (:func:`resource_warning`).
    """
    hourly = production_for(cast(pd.DatetimeIndex, group.loads.index), resource, **site.settings)
    annual = annual_production(resource, **site.settings)
    return Production(hourly, annual, site.peak_kwc, resource_warning(resource, site.lat, site.lon))


@dataclass(frozen=True)
class Alone(Result):
    """Self-consumption alone: the rates, and the kWh a year used at home and sold."""

    rates: SelfConsumption
    annual_production_kwh: float
    doubts: tuple[str, ...] = ()

    @property
    def self_consumption_rate(self) -> float | None:
        """Share of the production used at home."""
        return self.rates.self_consumption_rate

    @property
    def split(self) -> tuple[float, float]:
        """Annual self-consumed and surplus kWh."""
        return annual_split(self.rates.self_consumption_rate, self.annual_production_kwh)

    def figures(self) -> dict[str, Figure]:
        """Self-consumption and self-sufficiency rates."""
        why = "pas de production ou de consommation sur la période"
        return {
            "self_consumption_rate": figure(
                self.rates.self_consumption_rate, digits=3, reason=why, warnings=self.doubts
            ),
            "self_sufficiency_rate": figure(
                self.rates.self_sufficiency_rate, digits=3, reason=why, warnings=self.doubts
            ),
        }

    @property
    def table(self) -> pd.Series:
        """What I would produce, use and sell in a year, in French."""
        return alone_table(self.rates, self.annual_production_kwh)


def alone(group: Households, pv: Production) -> Alone:
    """:func:`self_consumption` of my hourly load with the roof's production."""
    return Alone(self_consumption(group.mine, pv.hourly), pv.annual_kwh, group.doubts)


@dataclass(frozen=True)
class Money(Result):
    """The study's :class:`Economics`, from the support and tariffs in force or from my own figures,
    with where each one comes from.
    """

    eco: Economics
    sources: pd.Series
    kva: int
    kva_note: str | None = None

    def notes(self) -> list[str]:
        """How the subscribed power was chosen, when I did not give it."""
        return [self.kva_note] if self.kva_note else []

    def figures(self) -> dict[str, Figure]:
        """The price of a kWh avoided, the subsidy, the feed-in tariff, their date, the installation cost."""
        return {
            "electricity_eur_per_kwh": figure(self.eco.electricity_eur_per_kwh),
            "subsidy_eur_per_kwc": figure(self.eco.subsidy_eur_per_kwc),
            "feed_in_eur_per_kwh": figure(self.eco.feed_in_eur_per_kwh),
            "support_effective": figure(self.sources.attrs.get("support_effective")),
            "install_eur_per_kwc": figure(self.eco.install_eur_per_kwc),
        }


def money(
    group: Households,
    support_table: pd.DataFrame,
    tariffs_table: pd.DataFrame,
    *,
    peak_kwc: float,
    subscribed_kva: Any = "auto",
    on: str | None = None,
    electricity_eur_per_kwh: Any = "auto",
    install_eur_per_kwc: Any = "auto",
    **kw: Any,
) -> Money:
    """:func:`economics_in_force` at my subscribed power (given, or deduced from my curve)."""
    from selfdata_lib.analysis.energy import subscribed_power

    kva, kva_note = subscribed_power(group.curves[group.me], subscribed_kva)
    eco, sources = economics_in_force(
        support_table,
        tariffs_table,
        peak_kwc=peak_kwc,
        kva=kva,
        on=on or None,
        electricity_eur_per_kwh=electricity_eur_per_kwh,
        install_eur_per_kwc=install_eur_per_kwc,
        **kw,
    )
    return Money(eco, sources, kva, kva_note)


@dataclass(frozen=True)
class Payback(Result):
    """Yearly gains, the investment, the year it is paid back (``None`` if not within the study)."""

    flows: pd.DataFrame
    years: int
    doubts: tuple[str, ...] = ()

    @property
    def payback_years(self) -> float | None:
        """The (fractional) year the cumulative gain turns positive; ``None`` if never."""
        return payback_years(self.flows)

    @property
    def net_value_eur(self) -> float:
        """The cumulative gain at the end of the study."""
        return float(self.flows["cumulative_eur"].iloc[-1])

    def figures(self) -> dict[str, Figure]:
        """Investment, payback years and net value."""
        return {
            "investment_eur": figure(float(self.flows["investment_eur"].iloc[0]), digits=2),
            "payback_years": figure(
                self.payback_years,
                digits=1,
                reason=f"pas remboursé en {self.years} ans",
                warnings=self.doubts,
            ),
            "net_value_eur": figure(self.net_value_eur, digits=2, warnings=self.doubts),
        }


def payback(pv: Production, me_alone: Alone, cost: Money) -> Payback:
    """:func:`cash_flows` of the roof alone, at the prices of ``cost``."""
    flows = cash_flows(pv.peak_kwc, *me_alone.split, cost.eco)
    return Payback(flows, cost.eco.years, me_alone.doubts)


@dataclass(frozen=True)
class Sensitivity(Result):
    """Payback years for each electricity price (rows) and installation cost per kWc (columns)."""

    table: pd.DataFrame

    def figures(self) -> dict[str, Figure]:
        """The whole table, ``None`` where the roof is not paid back."""
        from selfdata_lib import fr

        grid = {
            f"{fr.euros(float(cast(float, p)))}/kWh": {
                f"{fr.euros(float(cast(float, c)), cents=False)}/kWc": (
                    None if math.isnan(v) else round(v, 1)
                )
                for c, v in row.items()
            }
            for p, row in self.table.iterrows()
        }
        return {"sensitivity_payback_years": figure(grid)}


def payback_sensitivity(
    pv: Production,
    me_alone: Alone,
    cost: Money,
    *,
    prices: Any = (0.15, 0.20, 0.25, 0.30),
    costs: Any = (1500, 2000, 2500, 3000),
) -> Sensitivity:
    """:func:`sensitivity` of the payback to the electricity price and the installation cost."""
    return Sensitivity(sensitivity(pv.peak_kwc, *me_alone.split, cost.eco, prices=prices, costs=costs))


@dataclass(frozen=True)
class Sharing(Result):
    """The production shared with my neighbours, dynamic and static keys — or ``None`` and why (alone)."""

    shared: dict[str, pd.DataFrame] | None
    reason: str | None
    scale: float
    flows: pd.DataFrame | None = None
    doubts: tuple[str, ...] = ()

    @property
    def rate(self) -> float | None:
        """The group's self-consumption rate with the dynamic key."""
        if self.shared is None:
            return None
        rate = self.shared["dynamic"].attrs["collective_self_consumption_rate"]
        return None if math.isnan(rate) else float(rate)

    @property
    def payback_years(self) -> float | None:
        """The payback of the roof when its production is shared."""
        if self.flows is None:
            return None
        return payback_years(self.flows)

    def figures(self) -> dict[str, Figure]:
        """Collective rates (dynamic, static), each household's yearly benefit, the payback."""
        names = (
            "collective_self_consumption_rate",
            "collective_static_self_consumption_rate",
            "collective_benefit_eur_per_year",
            "collective_payback_years",
        )
        if self.shared is None:
            return {n: missing(self.reason or "pas d'étude collective") for n in names}
        benefit = {
            h: round(float(v) * self.scale, 2) for h, v in self.shared["dynamic"]["benefit_eur"].items()
        }
        years = len(self.flows) if self.flows is not None else 0
        return {
            "collective_self_consumption_rate": figure(self.rate, digits=3, warnings=self.doubts),
            "collective_static_self_consumption_rate": figure(
                self.shared["static"].attrs["collective_self_consumption_rate"], digits=3
            ),
            "collective_benefit_eur_per_year": figure(benefit),
            "collective_payback_years": figure(
                self.payback_years, digits=1, reason=f"pas remboursé en {years} ans"
            ),
        }


def sharing(group: Households, pv: Production, cost: Money) -> Sharing:
    """:func:`share_production` between the households, and the roof's payback when shared."""
    shared, reason = share_production(
        group.loads, pv.hourly, price_eur_per_kwh=cost.eco.electricity_eur_per_kwh
    )
    if shared is None:
        return Sharing(None, reason, group.scale, None, group.doubts)
    rate = shared["dynamic"].attrs["collective_self_consumption_rate"]
    flows = cash_flows(pv.peak_kwc, *annual_split(rate, pv.annual_kwh), cost.eco)
    return Sharing(shared, None, group.scale, flows, group.doubts)


def interpret(
    pv: Production, me_alone: Alone, cost: Money, back: Payback, shared: Sharing, group: Households
) -> Reading:
    """A French reading of my solar study, computed from its results: production and payback make the
    headline; self-consumption, sharing and the price warning follow.
    """
    from selfdata_lib import fr

    eco, rates, years = cost.eco, me_alone.rates, back.years
    head, parts = [], []
    if me_alone.doubts:
        head.append(f"**Attention : {' '.join(me_alone.doubts)}** Les chiffres qui suivent en dépendent.")
    head.append(
        f"{fr.number(pv.peak_kwc, 1)} kWc sur mon toit produiraient environ "
        f"{fr.number(pv.annual_kwh)} kWh par an."
    )
    if rates.self_consumption_rate is not None:
        parts.append(
            f"Seul, je consommerais sur place {fr.percent(rates.self_consumption_rate)} de cette production ; "
            f"elle couvrirait {fr.percent(rates.self_sufficiency_rate or 0.0)} de ma consommation. Le surplus est "
            f"vendu {fr.euros(eco.feed_in_eur_per_kwh, cents=True)} le kWh, contre "
            f"{fr.euros(eco.electricity_eur_per_kwh)} pour le kWh que je n'achète plus."
        )
    if back.payback_years is not None:
        head.append(
            f"Au coût de {fr.euros(eco.install_eur_per_kwc, cents=False)} par kWc, l'installation serait "
            f"remboursée en {fr.number(back.payback_years, 1)} ans ; au bout de {years} ans, le gain net serait de "
            f"{fr.euros(back.net_value_eur, cents=False)}."
        )
    else:
        head.append(
            f"Au coût de {fr.euros(eco.install_eur_per_kwc, cents=False)} par kWc, l'installation ne serait "
            f"pas remboursée en {years} ans (le tableau de sensibilité montre à quel prix elle le serait)."
        )
    if shared.rate is not None and me_alone.self_consumption_rate is not None:
        better = shared.rate - me_alone.self_consumption_rate
        group_payback = shared.payback_years
        parts.append(
            f"Partagée entre {group.loads.shape[1]} foyers, la production serait consommée sur place à "
            f"{fr.percent(shared.rate)} ({'+' if better >= 0 else ''}{fr.number(better * 100)} points)"
            + (
                f", pour un temps de retour de {fr.number(group_payback, 1)} ans."
                if group_payback is not None
                else "."
            )
        )
    parts.append(
        "Les primes, tarifs d'achat et coûts changent chaque trimestre : vérifiez-les sur votre devis."
    )
    return Reading(head, parts)
