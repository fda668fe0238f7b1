"""Charts of the use-case notebooks (matplotlib), one function per figure, so that a notebook cell is
one call. Each returns the ``Figure``; labels are in French.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any, cast

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from selfdata_lib.analysis.energy import ReferencePosition

from selfdata_lib import fr

# Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2008): every chart draws from it, and
# matplotlib's default cycle is set to it, so that no reading depends on telling red from green.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
BLUE, DARK_BLUE, RED, GREY = "#0072B2", "#003f63", "#D55E00", "#616161"
ORANGE, GREEN, SKY, PURPLE, YELLOW = "#E69F00", "#009E73", "#56B4E9", "#CC79A7", "#F0E442"
plt.rcParams["axes.prop_cycle"] = plt.cycler(color=list(OKABE_ITO))


def empty_figure(message: str, *, size: tuple[float, float] = (8, 1.2)) -> plt.Figure:
    """A small figure that says, in words, why there is no chart."""
    fig, ax = plt.subplots(figsize=size)
    ax.text(
        0.5,
        0.5,
        message,
        ha="center",
        va="center",
        wrap=True,
        fontsize=10,
        color=GREY,
        transform=ax.transAxes,
    )
    ax.set_axis_off()
    return fig


def plot_water_days(daily: pd.Series, leaks: list[Any]) -> plt.Figure:
    """Litres per day of the household, its 7-day median, the leaks shaded."""
    fig, ax = plt.subplots(figsize=(10, 3.5))
    ax.plot(daily.index, daily.to_numpy(), lw=0.8, color=BLUE, label="litres par jour (foyer)")
    ax.plot(daily.rolling(7, center=True).median(), color=DARK_BLUE, lw=2, label="médiane sur 7 jours")
    for lk in leaks:
        ax.axvspan(
            lk.start, lk.end, color=RED, alpha=0.18, label=f"fuite : +{lk.extra_litres_per_day:.0f} l/jour"
        )
    ax.set_ylabel("litres / jour")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title("Consommation quotidienne du foyer")
    return fig


def plot_water_position(
    litres_per_person_day: float | None, reference: Any, *, district: str | None, national: float | None
) -> plt.Figure:
    """My litres per person per day against my district's (noisy) histogram and the national mean; with
    no histogram of my district, my figure beside the references known, as horizontal bars.
    """
    hist = reference.histogram
    median = reference.median
    if hist is not None and median is not None and litres_per_person_day is not None:
        fig, ax = plt.subplots(figsize=(8, 3.2))
        ax.bar(
            hist["bin_low"],
            hist["noisy_count"],
            width=hist["bin_high"] - hist["bin_low"],
            align="edge",
            color=SKY,
            edgecolor="white",
            label=f"foyers de {district} (comptes bruités)",
        )
        ax.axvline(median, color=DARK_BLUE, ls="--", label=f"médiane du quartier : {fr.number(median)} l")
        ax.axvline(
            litres_per_person_day,
            color=RED,
            lw=2.5,
            label=f"mon foyer : {fr.number(litres_per_person_day)} l",
        )
        if national is not None:
            ax.axvline(national, color=GREY, ls=":", label=f"moyenne nationale : {fr.number(national)} l")
        ax.set_xlabel("litres par personne et par jour")
        ax.set_ylabel("foyers")
        ax.legend(fontsize=8)
        ax.set_title("Où je me situe")
        return fig
    if litres_per_person_day is None:
        return empty_figure("Pas de consommation par personne calculée : rien à situer.")
    bars = [("mon foyer", litres_per_person_day, RED)]
    if median is not None:
        kind = "moyenne" if getattr(reference, "official", False) else "médiane"
        bars.append((f"{kind} de {district or 'mon quartier'}", median, DARK_BLUE))
    if national is not None:
        bars.append(("moyenne nationale", national, GREY))
    if len(bars) == 1:
        return empty_figure(
            f"Mon foyer : {fr.number(litres_per_person_day)} litres par personne et par jour. Aucune "
            "référence connue pour mon territoire, ni de quartier ni nationale : rien à comparer."
        )
    fig, ax = plt.subplots(figsize=(8, 0.7 + 0.6 * len(bars)))
    names, values, colours = zip(*reversed(bars), strict=True)
    ax.barh(names, values, color=colours, height=0.6)
    for y, value in enumerate(values):
        ax.text(value, y, f" {fr.number(value)} l", va="center", fontsize=9)
    ax.set_xlim(0, max(values) * 1.18)
    ax.set_xlabel("litres par personne et par jour")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title("Où je me situe" if median is not None else "Où je me situe (sans référence de quartier)")
    fig.tight_layout()
    return fig


def plot_load_heatmap(profiles: pd.DataFrame) -> plt.Figure:
    """The year hour by hour: one column per day, one row per hour."""
    if profiles.empty:
        return empty_figure("Aucun jour complet dans la courbe : pas de carte jour × heure.")
    fig, ax = plt.subplots(figsize=(11, 3.8))
    im = ax.imshow(
        profiles.T.to_numpy(), aspect="auto", cmap="magma", origin="lower", extent=(0, len(profiles), 0, 24)
    )
    ax.set_xticks(*fr.month_ticks(pd.DatetimeIndex(profiles.index).strftime("%Y-%m")))
    ax.set_yticks([0, 6, 12, 18, 24])
    ax.set_ylabel("heure")
    fig.colorbar(im, ax=ax, label="kWh dans l'heure")
    ax.set_title("Ma consommation, jour par jour et heure par heure")
    return fig


def plot_typical_days(centroids: pd.DataFrame, day_cluster: pd.Series) -> plt.Figure:
    """The typical days (kWh per hour) and how many of each fall in each month."""
    if centroids is None:
        return empty_figure("Pas de journées types : la courbe est trop courte.")
    hours = list(range(24))
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), gridspec_kw={"width_ratios": [3, 2]})
    for k, row in centroids.iterrows():
        axes[0].plot(
            hours,
            row[hours].to_numpy(float),
            label=f"type {k} : {int(row['days'])} jours, {row[hours].sum():.0f} kWh/j",
        )
    axes[0].set_xlabel("heure")
    axes[0].set_ylabel("kWh")
    axes[0].legend(fontsize=8)
    axes[0].grid(alpha=0.3)
    axes[0].set_title("Journées types")
    month_mix = pd.crosstab(cast(pd.DatetimeIndex, day_cluster.index).month, day_cluster)
    month_mix.plot.bar(stacked=True, ax=axes[1], rot=0, width=0.85)
    axes[1].set_xlabel("mois")
    axes[1].set_ylabel("jours")
    axes[1].set_title("Quel type, quel mois")
    axes[1].legend(fontsize=7, title="type", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    fig.tight_layout()
    return fig


def plot_heating(fit: Any) -> plt.Figure:
    """Consumption against temperature (days, or months with climate normals) and the fitted line."""
    fig, ax = plt.subplots(figsize=(7, 4))
    if fit.kwh_per_degree_day is None:
        plt.close(fig)
        return empty_figure("Pas d'estimation du chauffage : " + (fit.reason or ""), size=(8, 1.6))
    points = fit.points
    ax.scatter(points["temperature_c"], points["kwh_per_day"], s=8 if len(points) > 40 else 30, alpha=0.6)
    t = np.linspace(points["temperature_c"].min(), points["temperature_c"].max(), 50)
    ax.plot(
        t,
        fit.base_kwh_per_day + fit.kwh_per_degree_day * np.clip(fit.base_c - t, 0, None),
        color=RED,
        label=f"{fit.kwh_per_degree_day:.2f} kWh par degré-jour sous {fit.base_c:g} °C",
    )
    ax.set_xlabel("température moyenne (°C)" + (" — normales mensuelles" if fit.approximate else ""))
    ax.set_ylabel("kWh par jour")
    ax.legend()
    ax.grid(alpha=0.3)
    return fig


def plot_tariffs(costs: pd.DataFrame) -> plt.Figure:
    """The same consumption priced with each tariff: energy and subscription."""
    if costs.empty:
        return empty_figure("Pas de grille tarifaire de référence pour ce territoire : rien à comparer.")
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.barh(costs["tariff"], costs["energy_eur"], color=BLUE, label="énergie")
    ax.barh(
        costs["tariff"],
        costs["subscription_eur"],
        left=costs["energy_eur"],
        color=SKY,
        label="abonnement",
    )
    for y, v in enumerate(costs["total_eur"]):
        ax.text(v, y, " " + fr.euros(v, cents=False), va="center")
    ax.invert_yaxis()
    ax.set_xlabel("€ sur la période")
    ax.set_xlim(0, costs["total_eur"].max() * 1.18)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set_title("Le même usage, trois tarifs")
    return fig


def plot_reference(position: ReferencePosition) -> plt.Figure:
    """My annual kWh against the residential means of my IRIS and of the area."""
    if position.area_mean_kwh is None:
        return empty_figure("Pas de référence de quartier : " + (position.reason or ""), size=(8, 1.6))
    area = (
        f"{position.area_name} (moyenne par logement)"
        if position.area_name
        else "zone (moyenne par logement)"
    )
    bars = {"mon logement": position.annual_kwh or 0.0, area: position.area_mean_kwh}
    if position.iris_mean_kwh:
        bars[str(position.iris_name)] = position.iris_mean_kwh
    fig, ax = plt.subplots(figsize=(7, 2.6))
    ax.barh(list(bars), list(bars.values()), color=[RED, SKY, GREY][: len(bars)])
    ax.invert_yaxis()
    ax.set_xlabel(f"kWh par an ({position.year} pour les références)")
    ax.grid(axis="x", alpha=0.3)
    return fig


def _months(series: pd.Series) -> pd.PeriodIndex:
    """The month of each value of a time-indexed series."""
    index = cast(pd.DatetimeIndex, series.index)
    return (index.tz_localize(None) if index.tz is not None else index).to_period("M")  # local months


def _monthly_bars(series: dict[str, pd.Series], colours: list[str], title: str) -> plt.Figure:
    """KWh of each series summed by local month, side by side, months written the French way."""
    monthly = pd.DataFrame({name: values.groupby(_months(values)).sum() for name, values in series.items()})
    monthly.index = pd.Index([fr.month(m) for m in monthly.index])
    fig, ax = plt.subplots(figsize=(8, 3.2))
    monthly.plot.bar(ax=ax, rot=45, color=cast(Any, colours))
    ax.set_xlabel("mois")
    ax.set_ylabel("kWh")
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_monthly_energy(electricity_daily: pd.Series, gas_daily: pd.Series | None) -> plt.Figure:
    """Electricity and gas kWh month by month."""
    if gas_daily is None:
        return empty_figure("Pas d'export de gaz : pas de comparaison électricité / gaz.")
    series = {"électricité": electricity_daily, "gaz": gas_daily}
    return _monthly_bars(series, [BLUE, ORANGE], "Électricité et gaz, mois par mois")


def plot_solar_months(
    production: pd.Series, my_load: pd.Series, *, peak_kwc: float, annual_kwh: float
) -> plt.Figure:
    """Production and my consumption, month by month, over the hours studied."""
    title = f"{fr.number(peak_kwc, 1)} kWc : {fr.number(annual_kwh)} kWh par an"
    return _monthly_bars({"production": production, "ma consommation": my_load}, [ORANGE, BLUE], title)


def plot_solar_days(production: pd.Series, loads: pd.DataFrame, *, me: str) -> plt.Figure:
    """The sunniest day of summer and of winter among the days studied (or of the two halves of the
    period when it misses a season): production, my consumption and the group's.
    """
    times = cast(pd.DatetimeIndex, production.index)
    daily = production.groupby(times.date).sum()

    def kwh(d: dt.date) -> float:
        return float(daily[d])

    summer = [d for d in daily.index if d.month in (5, 6, 7, 8)]
    winter = [d for d in daily.index if d.month in (11, 12, 1, 2)]
    picks = [(max(summer, key=kwh), "d'été")] if summer else []
    picks += [(max(winter, key=kwh), "d'hiver")] if winter else []
    if not picks:
        picks = [(max(daily.index, key=kwh), "de la période")]
    fig, axes = plt.subplots(1, len(picks), figsize=(5.5 * len(picks), 3.4), sharey=True, squeeze=False)
    for ax, (day, title) in zip(axes[0], picks, strict=True):
        sel = times.date == day
        hours = times[sel].hour
        ax.fill_between(hours, production[sel], step="post", color=YELLOW, alpha=0.8, label="production")
        ax.step(hours, loads.loc[sel, me], where="post", color=BLUE, label="ma consommation")
        if loads.shape[1] > 1:
            ax.step(hours, loads.loc[sel].sum(axis=1), where="post", color=PURPLE, ls="--", label="le groupe")
        ax.set_title(f"La plus belle journée {title} ({fr.date(day)})")
        ax.set_xlabel("heure")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("kWh dans l'heure")
    axes[0][-1].legend(fontsize=8)
    return fig


def plot_solar_payback(flows: pd.DataFrame, table: pd.DataFrame, *, years: int) -> plt.Figure:
    """Cumulative value year by year, and payback years by electricity price and installation cost."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
    axes[0].plot(flows["year"], flows["cumulative_eur"], marker="o", ms=3, color=GREEN)
    axes[0].axhline(0, color="black", lw=0.8)
    axes[0].set_xlabel("année")
    axes[0].set_ylabel("€ cumulés")
    axes[0].set_title("Seul : cumul des gains moins l'investissement")
    axes[0].grid(alpha=0.3)
    im = axes[1].imshow(table.to_numpy(float), cmap="cividis_r", vmin=5, vmax=30, aspect="auto")
    axes[1].set_xticks(range(len(table.columns)), [fr.euros(float(c), cents=False) for c in table.columns])
    axes[1].set_xlabel("coût par kWc")
    axes[1].set_yticks(range(len(table.index)), [fr.euros(float(p)) for p in table.index])
    axes[1].set_ylabel("prix du kWh")
    values = table.to_numpy(float)
    for (i, j), v in np.ndenumerate(values):
        axes[1].text(j, i, "jamais" if v != v else f"{v:.0f} ans", ha="center", va="center", fontsize=8)
    axes[1].set_title(f"Temps de retour sur {years} ans")
    fig.colorbar(im, ax=axes[1], label="ans")
    return fig


def plot_collective(
    alone_rate: float | None, shared: dict[str, pd.DataFrame] | None, *, scale: float
) -> plt.Figure:
    """Share of the production used on site, alone and shared; each household's yearly benefit."""
    if shared is None:
        return empty_figure("Pas de voisins : pas d'autoconsommation collective.")
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.4))
    rates = pd.Series(
        {
            "seul": alone_rate or 0.0,
            "groupe, clé dynamique": shared["dynamic"].attrs["collective_self_consumption_rate"],
            "groupe, clé statique": shared["static"].attrs["collective_self_consumption_rate"],
        }
    )
    axes[0].barh(rates.index, rates.to_numpy() * 100, color=[GREY, GREEN, SKY])
    axes[0].invert_yaxis()
    axes[0].set_xlabel("% de la production consommée sur place")
    axes[0].set_xlim(0, 100)
    axes[0].grid(axis="x", alpha=0.3)
    benefit = shared["dynamic"]["benefit_eur"] * scale
    axes[1].bar(benefit.index, benefit.to_numpy(), color=GREEN)
    axes[1].set_ylabel("€ d'achats évités par an")
    axes[1].set_title("Gain de chaque foyer (clé dynamique)")
    axes[1].tick_params(axis="x", labelrotation=15)
    fig.tight_layout()
    return fig


MODE_COLOURS = {"car": RED, "bus": ORANGE, "bike": BLUE, "walk": GREEN, "train": PURPLE}


def plot_mobility_months(km: pd.DataFrame, co2: pd.DataFrame) -> plt.Figure:
    """Kilometres and kg CO2e per month, stacked by mode."""
    if km.empty:
        return empty_figure("Aucun trajet : pas de kilomètres à montrer.")
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
    for ax, table, unit, title in (
        (axes[0], km, "km", "Kilomètres par mois"),
        (axes[1], co2, "kg CO₂e", "Émissions par mois"),
    ):
        table = table.copy()
        table.index = pd.Index([fr.month(m) for m in table.index])
        colours = [MODE_COLOURS.get(c, GREY) for c in table.columns]
        table.columns = pd.Index([fr.word(c) for c in table.columns])
        table.plot.bar(stacked=True, ax=ax, color=cast(Any, colours), rot=0)
        ax.set_ylabel(unit)
        ax.set_xlabel("")
        ax.grid(axis="y", alpha=0.3)
        ax.set_title(title)
    return fig


def plot_mobility_budget(budget: pd.DataFrame | None) -> plt.Figure:
    """Mobility spending per month, stacked by category."""
    if budget is None or budget.empty:
        return empty_figure(
            "Pas de relevé bancaire (ou aucune dépense de mobilité) : pas de budget à montrer."
        )
    fig, ax = plt.subplots(figsize=(8, 3.4))
    b = budget.copy()
    b.index = pd.Index([fr.month(m) for m in b.index])
    b.columns = [fr.word(c) for c in b.columns]
    b.plot.bar(stacked=True, ax=ax, rot=0, color=list(OKABE_ITO[: len(b.columns)]))
    ax.set_ylabel("€")
    ax.set_xlabel("")
    ax.set_title("Dépenses de mobilité par mois")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, bbox_to_anchor=(1, 1))
    return fig


PREDICTOR_STYLE = {
    "model": ("modèle", BLUE, "o", "-"),
    "persistence": ("persistance", GREY, "s", "--"),
    "calibrated": ("persistance calibrée", ORANGE, "^", "-"),
    "slot": ("moyenne historique", GREEN, "v", ":"),
    "queue": ("file d'attente", PURPLE, "D", "-."),
}


def plot_availability_errors(table: pd.DataFrame) -> plt.Figure:
    """Brier scores (bike, dock) and CRPS of the count (MAE when no CRPS), every predictor, by horizon."""
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    last = "crps" if any(c.startswith("crps_") for c in table.columns) else "mae_bikes"
    panels = [
        ("brier_bike", "Brier « au moins un vélo »"),
        ("brier_dock", "Brier « au moins une place »"),
        (last, "CRPS du nombre de vélos" if last == "crps" else "Erreur absolue (vélos)"),
    ]
    for ax, (col, title) in zip(axes, panels, strict=True):
        for key, (label, colour, marker, ls) in PREDICTOR_STYLE.items():
            if f"{col}_{key}" in table:
                ax.plot(
                    table["horizon_min"],
                    table[f"{col}_{key}"],
                    marker=marker,
                    ls=ls,
                    color=colour,
                    label=label,
                )
        ax.set_xlabel("horizon (min)")
        ax.set_title(title)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.text(0.5, -0.02, "plus bas = meilleur", ha="center", fontsize=9)
    fig.tight_layout()
    return fig


def plot_reliability(table: pd.DataFrame, *, horizon: int = 30) -> plt.Figure:
    """Reliability diagram of P(at least one bike) at one horizon: forecast probability against the
    frequency observed, for every predictor (on the diagonal = well calibrated).
    """
    curves = table.attrs.get("reliability")
    if curves is None or curves.empty:
        return empty_figure("Pas de diagramme de fiabilité pour cette évaluation.")
    shown = curves[curves["horizon_min"] == horizon]
    if shown.empty:
        horizon = int(curves["horizon_min"].iloc[0])
        shown = curves[curves["horizon_min"] == horizon]
    fig, ax = plt.subplots(figsize=(5, 4.4))
    ax.plot([0, 1], [0, 1], color="black", lw=0.8, label="fiabilité parfaite")
    for key, (label, colour, marker, ls) in PREDICTOR_STYLE.items():
        g = shown[shown["predictor"] == key]
        if len(g):
            ax.plot(g["forecast"], g["observed"], marker=marker, ls=ls, color=colour, label=label)
    ax.set_xlabel("probabilité annoncée d'au moins un vélo")
    ax.set_ylabel("fréquence observée")
    ax.set_title(f"Fiabilité des prévisions à {horizon} min")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_leak_recall(table: pd.DataFrame, required_recall: float) -> plt.Figure:
    """Share of injected leaks found, by leak size (worst length), one line per household size."""
    fig, ax = plt.subplots(figsize=(7, 3.5))
    with_leak = table[table["size_litres_per_day"] > 0]
    for occ, part in with_leak.groupby("occupants"):
        worst = part.groupby("size_litres_per_day")["recall"].min()
        ax.plot(worst.index, worst.to_numpy(), marker="o", label=f"{occ} personne(s)")
    ax.axhline(required_recall, color="#757575", ls=":", label="seuil « fiable »")
    ax.set_xlabel("fuite (litres par jour)")
    ax.set_ylabel("rappel (pire durée)")
    ax.set_ylim(-0.05, 1.05)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title("Part des fuites retrouvées")
    return fig


def plot_trip_options(plan: pd.DataFrame) -> plt.Figure:
    """Door-to-door minutes of each option (walk to the station, ride, walk from it) against walking.

    ``plan`` is the options frame of a :class:`~selfdata_lib.analysis.velov.TripPlan` (``trip.plan``).
    """
    if plan.empty:
        return empty_figure("Aucune option de trajet à montrer.")
    rows = plan.iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(rows) + 1.2))
    left = np.zeros(len(rows))
    for column, label, colour in (
        ("walk_to_station_minutes", "marche", GREEN),
        ("bike_minutes", "vélo", BLUE),
        ("walk_from_station_minutes", "marche à l'arrivée", SKY),
    ):
        minutes = rows[column].astype(float).fillna(0.0).to_numpy() if column in rows else np.zeros(len(rows))
        ax.barh(rows["option"].astype(str), minutes, left=left, color=colour, label=label)
        left += minutes
    for y, total in enumerate(left):
        ax.text(total + 0.3, y, f"{fr.number(total)} min", va="center", fontsize=9)
    ax.set_xlabel("minutes de porte à porte")
    ax.set_xlim(0, float(left.max()) * 1.18 + 1)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Mes options, de la plus rapide (en haut) à la plus lente")
    fig.tight_layout()
    return fig


def plot_my_data_timeline(inventory: pd.DataFrame) -> plt.Figure:
    """The period each recognised file covers, one bar per file, coloured by its first kind of data."""
    import matplotlib.dates as mdates

    ok = (
        inventory[(inventory["status"] == "ok") & inventory["first"].notna()] if len(inventory) else inventory
    )
    if ok.empty:
        return empty_figure("Aucun fichier reconnu : rien à placer dans le temps.")

    def local(stamps: pd.Series) -> Any:  # on the clock the dates are written in (fr.LOCAL_CLOCK)
        return mdates.date2num(
            pd.to_datetime(stamps, utc=True).dt.tz_convert(fr.LOCAL_CLOCK).dt.tz_localize(None).to_numpy()
        )

    first, last = local(ok["first"]), local(ok["last"])
    kind = [str(k).split(",")[0].strip() for k in ok["kinds"]]
    kinds = sorted(set(kind))
    colour = {k: OKABE_ITO[i % len(OKABE_ITO)] for i, k in enumerate(kinds)}
    fig, ax = plt.subplots(figsize=(8, max(2.8, 0.5 * len(ok) + 1.4)))
    ax.barh(range(len(ok)), last - first + 1, left=first, color=[colour[k] for k in kind], height=0.6)
    ax.set_yticks(
        range(len(ok)), [str(f).replace("\\", "/").rsplit("/", 1)[-1] for f in ok["file"]], fontsize=9
    )
    ax.xaxis_date()
    _french_dates(ax, float(np.nanmax(last) - np.nanmin(first)))
    handles = [plt.Rectangle((0, 0), 1, 1, color=colour[k]) for k in kinds]
    ax.legend(handles, [fr.word(k) for k in kinds], fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    ax.set_title("La période que couvre chacun de mes fichiers")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_entitlements(table: pd.DataFrame) -> plt.Figure:
    """The monthly aids OpenFisca computes for my household (``social.entitlements(...).table``), and what
    arrives on my account when ``perçu`` is given (``social.non_take_up(...).table``).
    """
    monthly = table[table["variable"].isin(["ppa", "aide_logement", "rsa", "af", "asf", "cf", "paje_base"])]
    column = "droit estimé" if "droit estimé" in monthly.columns else "montant"
    monthly = monthly[monthly[column] > 0]
    if monthly.empty:
        return empty_figure("Aucune aide mensuelle calculée pour ce foyer.")
    fig, ax = plt.subplots(figsize=(8, 0.6 + 0.55 * len(monthly)))
    y = np.arange(len(monthly))
    ax.barh(y, monthly[column], color=BLUE, height=0.38, label="mon droit estimé (OpenFisca-France)")
    if "perçu" in monthly.columns:
        ax.barh(y + 0.38, monthly["perçu"], color=ORANGE, height=0.38, label="ce qui arrive sur mon compte")
    ax.set_yticks(y + (0.19 if "perçu" in monthly.columns else 0), monthly["aide"])
    ax.invert_yaxis()
    ax.set_xlabel("€ par mois")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.5 / len(monthly) - 0.12), ncol=2, fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Mes aides mensuelles")
    fig.tight_layout()
    return fig


def plot_balance(trajectory: pd.DataFrame, today: Any) -> plt.Figure:
    """The balance expected day by day from ``social.urgencies`` (fixed debits, incomes, daily spending)."""
    if trajectory.empty:
        return empty_figure("Pas de solde de départ : la trajectoire n'est pas calculée.")
    fig, ax = plt.subplots(figsize=(9, 3.2))
    ax.step(trajectory["date"], trajectory["solde"], where="post", color=BLUE, lw=2, label="solde prévu")
    below = trajectory["solde"].clip(upper=0)
    ax.fill_between(trajectory["date"], below, 0, step="post", color=RED, alpha=0.25, label="sous zéro")
    ax.axhline(0, color=GREY, lw=1)
    ax.set_ylabel("€")
    ax.set_title(f"Mon solde prévu à partir du {fr.date(today)}")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    from matplotlib.dates import DateFormatter

    ax.xaxis.set_major_formatter(DateFormatter("%d/%m"))
    return fig


def plot_food(by_month: pd.Series, by_category: pd.Series) -> plt.Figure:
    """My food shopping's kg CO2e per month, and by category (the eight heaviest)."""
    if by_month.empty:
        return empty_figure("Aucune ligne de ticket n'a pu être comptée.")
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6), gridspec_kw={"width_ratios": [3, 2]})
    labels = [fr.month(pd.Timestamp(f"{m}-01")) for m in by_month.index]
    left.bar(range(len(by_month)), by_month.to_numpy(), color=GREEN)
    left.set_xticks(range(len(by_month)), labels, rotation=60, ha="right", fontsize=8)
    left.set_ylabel("kg CO2e")
    left.set_title("Par mois")
    left.grid(axis="y", alpha=0.3)
    top = by_category.head(8)[::-1]
    right.barh(range(len(top)), top.to_numpy(), color=ORANGE)
    right.set_yticks(range(len(top)), top.index, fontsize=8)
    right.set_xlabel("kg CO2e")
    right.set_title("Par catégorie")
    right.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def plot_unicity(table: pd.DataFrame) -> plt.Figure:
    """The share of draws of p of my points that single me out in the crowd, for p = 1, 2…"""
    if table.empty:
        return empty_figure("Pas assez de trajets pour tirer des points.")
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.plot(table["points"], 100 * table["share_unique"], marker="o", color=RED, lw=2)
    ax.axhline(95, color=GREY, ls="--", lw=1, label="95 %")
    ax.set_xlabel("points de mes trajets connus (zone, jour, heure)")
    ax.set_ylabel("% des tirages où je suis seul")
    ax.set_ylim(0, 105)
    ax.set_xticks(table["points"])
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title("Combien de points suffisent à me retrouver")
    return fig


def plot_privacy_tradeoff(table: pd.DataFrame) -> plt.Figure:
    """Error on the 20 largest flows and share of trips lost, by ε, for central and local DP."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4))
    for name, colour, label in (("central", BLUE, "DP centrale"), ("local", ORANGE, "DP locale")):
        rows = table[table["mechanism"] == name].sort_values("epsilon")
        left.plot(rows["epsilon"], 100 * rows["top20_relative_error"], marker="o", color=colour, label=label)
        right.plot(rows["epsilon"], 100 * rows["suppressed_share"], marker="o", color=colour, label=label)
    left.set_yscale("log")
    for ax, title in (
        (left, "Erreur sur les 20 plus grands flux (%)"),
        (right, "Trajets publiés à zéro (%)"),
    ):
        ax.set_xscale("log")
        ax.set_xlabel("ε")
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_outing_swaps(swaps: pd.DataFrame) -> plt.Figure:
    """The kg CO2e per year of my car outings, place by place, today and with the suggested swap.

    ``swaps`` is the frame of an :class:`~selfdata_lib.analysis.outings.Swaps` (``swaps.swaps``).
    """
    if swaps is None or swaps.empty:
        return empty_figure("Aucune sortie en voiture : rien à remplacer.")
    rows = swaps.head(8).iloc[::-1]
    y = np.arange(len(rows))
    now = rows["car_kgco2e_year"].astype(float).to_numpy()
    after = now - rows["saved_kgco2e_year"].astype(float).to_numpy()
    fig, ax = plt.subplots(figsize=(9, 0.75 * len(rows) + 1.6))
    swapped = rows["mode"].notna().to_numpy()
    ax.barh(y + 0.2, now, height=0.4, color=RED, label="aujourd'hui, en voiture")
    ax.barh(
        y - 0.2,
        after,
        height=0.4,
        color=[BLUE if ok else GREY for ok in swapped],
        alpha=0.6,
        label="autrement",
    )
    for k, (value, text) in enumerate(zip(now.tolist(), rows["suggestion"].astype(str), strict=True)):
        ax.text(value, k + 0.2, f" {fr.number(value)} kg", va="center", fontsize=8)
        ax.text(
            0,
            k - 0.2,
            f" → {text}",
            va="center",
            fontsize=8,
            color=DARK_BLUE,
            bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1},
        )
    ax.set_yticks(y, [str(p) for p in rows["place"]], fontsize=8)
    ax.set_xlim(0, float(now.max()) * 1.25 + 1)
    ax.set_xlabel("kg CO₂e par an, à ma fréquence")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Mes sorties en voiture, et la même sortie autrement")
    fig.tight_layout()
    return fig


def _french_dates(ax: Any, span_days: float) -> None:
    """A few date ticks on ``ax`` (matplotlib chooses them), in French: months (« janv. 2025 ») over a
    long span, days (« 18 mars 2025 ») over a short one — never a row of overlapping ISO dates.
    """
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    # months between ticks (about six ticks), a divisor of twelve so that each January has one
    wanted = math.ceil(span_days / 30.4 / 5)
    step = next((d for d in (1, 2, 3, 4, 6) if d >= wanted), 12)
    if span_days <= 62:
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6))
    else:  # month starts only, so that no month is written twice
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, step)))

    def label(x: float, pos: int | None) -> str:
        when = mdates.num2date(x)
        if span_days <= 62:
            return fr.date(when.date())
        short, year = fr.month(when.strftime("%Y-%m")).rsplit(" ", 1)
        new_year = (when.year * 12 + when.month - 1 - step) // 12 != when.year  # the previous tick's year
        return f"{short}\n{year}" if pos == 0 or new_year else short

    ax.xaxis.set_major_formatter(FuncFormatter(label))


def _french_months(ax: Any) -> None:
    """Date ticks of ``ax`` written as French months (« sept. 2024 »), a few per axis."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _pos: fr.month(mdates.num2date(x).strftime("%Y-%m")))
    )


def plot_grade_trends(trend: pd.DataFrame, *, subjects: list[str] | None = None) -> plt.Figure:
    """My grades on /20, subject by subject: each grade, my moving average and the class's (a reference,
    dashed) — smoothed lines, not predictions.

    ``trend`` is :attr:`selfdata_lib.analysis.school.GradeHistory.trend`; ``subjects`` orders the panels.
    """
    if trend is None or trend.empty:
        return empty_figure("Aucune note lue : pas de tendance à tracer.")
    order = [s for s in (subjects or list(dict.fromkeys(trend["subject"]))) if s in set(trend["subject"])][
        :12
    ]
    cols = min(4, len(order))
    rows = -(-len(order) // cols)
    fig, axes = plt.subplots(
        rows, cols, figsize=(3.1 * cols, 2.4 * rows), sharex=True, sharey=True, squeeze=False
    )
    for ax, subject in zip(axes.flat, order, strict=False):
        t = trend[trend["subject"] == subject]
        when = pd.to_datetime(t["date"]).dt.tz_localize(None)
        ax.scatter(when, t["value_20"], s=9, color=SKY, label="mes notes")
        ax.plot(when, t["smoothed"], color=BLUE, lw=2, label="ma tendance")
        ax.plot(when, t["class_smoothed"], color=ORANGE, lw=1.3, ls="--", label="moyenne de la classe")
        ax.set_title(subject, fontsize=9)
        ax.set_ylim(0, 20.5)
        ax.grid(alpha=0.3)
        _french_months(ax)
        ax.tick_params(axis="x", labelsize=7, rotation=45)
    for ax in list(axes.flat)[len(order) :]:
        ax.set_axis_off()
    axes.flat[0].set_ylabel("note sur 20")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle("Mes notes matière par matière : ma tendance et la moyenne de la classe", fontsize=11)
    fig.tight_layout(rect=(0, 0.05, 1, 0.96))
    return fig


def plot_homework_weeks(weeks: pd.DataFrame, *, minutes_per_task: float = 30) -> plt.Figure:
    """Homework due each week (estimated hours), the weeks of school holidays shaded.

    ``weeks`` is :attr:`selfdata_lib.analysis.school.Workload.weeks`.
    """
    if weeks is None or weeks.empty:
        return empty_figure("Aucun devoir lu : pas de charge de travail à tracer.")
    when = pd.to_datetime(weeks["week"])
    fig, ax = plt.subplots(figsize=(10, 3.2))
    school = ~weeks["holiday"].astype(bool)
    ax.bar(when[school], weeks.loc[school, "hours"], width=5, color=BLUE, label="semaine de cours")
    import matplotlib.dates as mdates

    for week in when[~school]:
        start = float(mdates.date2num(week))
        ax.axvspan(start, start + 7, color=GREY, alpha=0.15, lw=0)
    from matplotlib.patches import Patch

    shaded = Patch(facecolor=GREY, alpha=0.3, label="vacances scolaires")
    mean = float(weeks.loc[school, "hours"].mean()) if school.any() else 0.0
    ax.axhline(mean, color=DARK_BLUE, ls="--", lw=1, label=f"moyenne : {fr.number(mean, 1)} h")
    ax.set_ylabel(f"heures estimées ({fr.number(minutes_per_task)} min par devoir)")
    _french_months(ax)
    handles, _labels = ax.get_legend_handles_labels()
    ax.legend(handles=[*handles, shaded], fontsize=8, loc="upper left")
    ax.grid(axis="y", alpha=0.3)
    ax.set_title("Mes devoirs semaine par semaine")
    fig.tight_layout()
    return fig


def _french_tick(value: float, _position: Any = None) -> str:
    """A tick label written the French way (``2,5``, ``−6 000``)."""
    digits = 0 if float(value).is_integer() else 2 if abs(value) < 1 else 1
    return fr.number(value, digits)


def _french_axes(draw: Any) -> Any:
    """Give every numeric axis of the figure ``draw`` returns French tick labels (Babel, not the locale
    of the machine, which is seldom French).
    """
    import functools

    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    @functools.wraps(draw)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        fig = draw(*args, **kwargs)
        for ax in getattr(fig, "axes", []):
            for axis in (ax.xaxis, ax.yaxis):
                if type(axis.get_major_formatter()) is ScalarFormatter:
                    axis.set_major_formatter(FuncFormatter(_french_tick))
        return fig

    return wrapped


for _name in [n for n in list(globals()) if n.startswith("plot_")]:
    globals()[_name] = _french_axes(globals()[_name])


# --- my data holders and the portability observatory (appended after the loop above: decorated one by one)

_STATUS_COLOURS = {
    "within_month": GREEN,
    "extended": ORANGE,
    "late": RED,
    "pending": SKY,
    "unanswered": RED,
}
_STATUS_LABELS = {
    "within_month": "réponse dans le mois",
    "extended": "réponse après un mois (dans les trois mois)",
    "late": "réponse après plus de trois mois",
    "pending": "en attente, dans le délai",
    "unanswered": "sans réponse, délai dépassé",
}


@_french_axes
def plot_request_delays(evaluated: pd.DataFrame, as_of: Any = None) -> plt.Figure:
    """The days each of my requests took — or has been waiting, hatched — against the month of art. 12.3
    and its three-month limit. ``evaluated`` is a :class:`~selfdata_lib.analysis.portability.Scorecard`'s
    ``evaluated`` frame.
    """
    if evaluated is None or evaluated.empty:
        return empty_figure("Aucune demande dans mon journal.")
    day = pd.Timestamp(as_of).normalize() if as_of is not None else pd.Timestamp.now().normalize()
    rows = evaluated.iloc[::-1]
    waited = [
        float(r["delay_days"])
        if r["delay_days"] is not None and not pd.isna(r["delay_days"])
        else float((day - pd.Timestamp(r["sent"])).days)
        for r in rows.to_dict("records")
    ]
    y = np.arange(len(rows))
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(rows) + 1.8))
    seen: set[str] = set()
    for k, (status, value) in enumerate(zip(rows["status"], waited, strict=True)):
        hatch = "//" if status in ("pending", "unanswered") else None
        label = _STATUS_LABELS[status] if status not in seen else None
        seen.add(status)
        ax.barh(
            k, max(value, 0.6), color=_STATUS_COLOURS[status], hatch=hatch, edgecolor="white", label=label
        )
        ax.text(max(value, 0.6), k, f" {fr.plural(value, 'jour')}", va="center", fontsize=8)
    ax.axvline(30.4, color=GREY, ls="--", lw=1)
    ax.axvline(91.3, color=GREY, ls=":", lw=1)
    ax.text(30.4, -0.45, " 1 mois", fontsize=8, color=GREY, va="top")
    ax.text(91.3, -0.45, " 3 mois", fontsize=8, color=GREY, va="top")
    ax.set_ylim(len(rows) - 0.5, -0.9)
    ax.invert_yaxis()
    ax.set_yticks(y, [str(h)[:45] for h in rows["holder"]], fontsize=8)
    ax.set_xlim(0, max(max(waited) * 1.2, 100))
    ax.set_xlabel("jours entre la réception de la demande et la réponse (hachuré : attente en cours)")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Le délai de chaque demande, au regard de l'article 12.3 du RGPD")
    fig.tight_layout()
    return fig


@_french_axes
def plot_holder_ranking(table: pd.DataFrame, *, afcdp_share: float | None = None) -> plt.Figure:
    """The share of requests answered within the month, holder by holder — with its bootstrap interval
    when ``table`` has ``share_low`` and ``share_high`` — and the AFCDP index's share as a line. Holders
    not published (``published`` false) are left out.
    """
    if table is None or table.empty:
        return empty_figure("Aucun détenteur à classer.")
    shown = table[table["published"]] if "published" in table.columns else table
    shown = shown[shown["within_month_share"].notna()]
    if shown.empty:
        return empty_figure("Aucun détenteur n'a assez de participants pour être publié.")
    shown = shown.sort_values("within_month_share").reset_index(drop=True)
    y = np.arange(len(shown))
    share = 100 * shown["within_month_share"].astype(float).to_numpy()
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(shown) + 1.8))
    ax.barh(y, share, color=BLUE, alpha=0.75, label="réponse dans le mois")
    if {"share_low", "share_high"} <= set(shown.columns):
        low = 100 * shown["share_low"].astype(float).to_numpy()
        high = 100 * shown["share_high"].astype(float).to_numpy()
        ax.errorbar(
            share,
            y,
            xerr=[share - low, high - share],
            fmt="none",
            ecolor=DARK_BLUE,
            capsize=3,
            label="intervalle de confiance (bootstrap)",
        )
    if afcdp_share is not None:
        ax.axvline(100 * afcdp_share, color=ORANGE, lw=2, ls="--", label="index AFCDP 2024")
    labels = [f"{h} ({int(n)})" for h, n in zip(shown["holder"], shown["participants"], strict=True)]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% des demandes échues avec une réponse dans le mois (entre parenthèses : participants)")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Qui répond dans le délai légal ?")
    fig.tight_layout()
    return fig


@_french_axes
def plot_ranking_stability(table: pd.DataFrame) -> plt.Figure:
    """How close a campaign's ranking comes to the truth, against the participants per holder."""
    if table is None or table.empty:
        return empty_figure("Aucune taille de campagne testée.")
    fig, ax = plt.subplots(figsize=(8, 3.4))
    x = table["median_per_holder"].astype(float).clip(lower=1)
    ax.plot(
        x, table["kendall_tau"], marker="o", color=BLUE, lw=2, label="accord avec le vrai classement (tau)"
    )
    ax.plot(x, table["stable_share"], marker="s", color=ORANGE, lw=2, label="part des campagnes stables")
    ax.plot(
        x, table["rank_within_one"], marker="^", color=GREEN, lw=1.5, label="rangs justes à une place près"
    )
    ax.axhline(0.9, color=GREY, ls="--", lw=1)
    ax.set_xscale("log")
    ax.minorticks_off()
    ax.set_xticks(
        x.to_numpy(),
        [f"{fr.number(v)}\n({fr.number(n)})" for v, n in zip(x, table["participants"], strict=True)],
        fontsize=8,
    )
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("participants par détenteur, en médiane (entre parenthèses : taille de la campagne)")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    ax.set_title("À partir de combien de participants le classement est-il stable ?")
    fig.tight_layout()
    return fig


_HOLDER_STATUS = (
    ("have", "j'ai ses données", GREEN),
    ("answered", "réponse reçue", BLUE),
    ("asked", "demande envoyée", SKY),
    ("to_ask", "à demander", GREY),
)


@_french_axes
def plot_my_holders(holders: pd.DataFrame) -> plt.Figure:
    """The holders of my territory by domain: those I have data from, asked, still to ask.
    ``holders`` is a :class:`~selfdata_lib.analysis.holders.MyHolders`'s ``holders`` frame.
    """
    if holders is None or holders.empty:
        return empty_figure("Aucun détenteur dans le catalogue pour ce territoire.")
    counts = holders.groupby(["domain", "status"]).size().unstack(fill_value=0)
    order = counts.sum(axis=1).sort_values().index
    counts = counts.reindex(order)
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(counts) + 1.8))
    left = np.zeros(len(counts))
    for code, label, colour in _HOLDER_STATUS:
        if code in counts.columns:
            values = counts[code].to_numpy(dtype=float)
            ax.barh(np.arange(len(counts)), values, left=left, color=colour, label=label)
            left += values
    ax.set_yticks(np.arange(len(counts)), list(counts.index), fontsize=8)
    ax.set_xlabel("détenteurs")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Qui détient des données sur moi, et où j'en suis")
    fig.tight_layout()
    return fig
