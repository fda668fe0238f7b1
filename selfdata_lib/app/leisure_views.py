"""The chart and the offline map of ``lyon-leisure-tariffs``: what my year of activities costs, and the
places near home with « votre tarif » there. One function per figure, so that a notebook cell is one call.
"""

from __future__ import annotations

from typing import Any

import folium
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from selfdata_lib import fr
from selfdata_lib.analysis.tariffs import UNVERIFIED, MyTariffs, NearbyPlaces
from selfdata_lib.app.charts import BLUE, GREY, ORANGE, RED, empty_figure
from selfdata_lib.app.viz import OfflineMap, add_context_layer, offline_map
from selfdata_lib.opendata.leisure import PLACE_KINDS

#: A colour per kind of place (Okabe & Ito's palette, as the charts).
KIND_COLOURS = {
    "pool": "#0072B2",
    "library": "#009E73",
    "sports_hall": "#E69F00",
    "leisure_centre": "#CC79A7",
    "conservatory": "#D55E00",
    "school": "#56B4E9",
}


def plot_programme_costs(tariffs: MyTariffs) -> plt.Figure:
    """The year's cost of each activity of my programme (hatched: an amount « à vérifier »), with what
    it would cost one tranche of QF up (▲) or down (▼).
    """
    lines = tariffs.applicable
    if lines.empty:
        return empty_figure("Aucune activité du programme ne s'applique à votre foyer : rien à chiffrer.")
    rows = lines.iloc[::-1]
    y = np.arange(len(rows))
    cost = rows["cost_eur_year"].astype(float).to_numpy()
    up = rows["cost_up_eur_year"].astype(float).to_numpy()
    down = rows["cost_down_eur_year"].astype(float).to_numpy()
    sure = rows["verified"].astype(bool).to_numpy()
    fig, ax = plt.subplots(figsize=(9, 0.62 * len(rows) + 2.0))
    ax.barh(
        y, cost, color=[BLUE if ok else ORANGE for ok in sure], hatch=[None if ok else "//" for ok in sure]
    )
    moves = up != cost  # a grid of one price has no tranche to move to
    ax.scatter(up[moves], y[moves], marker="^", color=RED, zorder=3, s=30)
    ax.scatter(down[down != cost], y[down != cost], marker="v", color=GREY, zorder=3, s=30)
    for k, (value, ok) in enumerate(zip(cost.tolist(), sure.tolist(), strict=True)):
        text = f" {fr.euros(value, cents=False)}" + ("" if ok else f" ({UNVERIFIED})")
        ax.text(1.01, k, text, va="center", fontsize=8, transform=ax.get_yaxis_transform())
    labels = [f"{label}\n{who}" for label, who in zip(rows["label"], rows["who"], strict=True)]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, float(np.nanmax(np.fmax(cost, up))) * 1.08 + 1)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fr.number(v)))
    ax.set_xlabel("€ par an")
    ax.legend(
        handles=[
            Patch(color=BLUE, label="montant sourcé"),
            Patch(facecolor=ORANGE, hatch="//", label=f"montant {UNVERIFIED}"),
            plt.Line2D([], [], marker="^", color=RED, linestyle="", label="une tranche de QF au-dessus"),
            plt.Line2D([], [], marker="v", color=GREY, linestyle="", label="une tranche de QF en dessous"),
        ],
        fontsize=8,
        ncols=2,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        frameon=False,
    )
    ax.grid(axis="x", alpha=0.3)
    ax.set_title("Le coût de mon année, activité par activité (à droite : le coût de l'année)")
    fig.tight_layout()
    return fig


def map_leisure_places(near: NearbyPlaces, *, context: Any = None, tiles: str | None = None) -> OfflineMap:
    """Offline map of the places (one layer per kind, the nearest ones larger) and of my home; the
    tooltip of a place gives its walking minutes and « votre tarif » there.
    """
    home = near.home
    m = offline_map(home or (45.757, 4.85), zoom_start=14 if home else 12, tiles=tiles)
    if context is not None:
        add_context_layer(m, context, name="Arrondissements", label="name")
    nearest = set(near.nearest["name"]) if home else set()
    for kind, part in near.places.groupby("kind", sort=False):
        layer = folium.FeatureGroup(name=PLACE_KINDS.get(str(kind), str(kind))).add_to(m)
        for place in part.to_dict("records"):
            walk = f" · {fr.number(place['walk_minutes'])} min à pied" if home else ""
            tariff = near.tariffs_by_kind.get(str(kind))
            folium.CircleMarker(
                (float(place["lat"]), float(place["lon"])),
                radius=8 if place["name"] in nearest else 5,
                color=KIND_COLOURS.get(str(kind), "#616161"),
                fill=True,
                fill_opacity=0.8,
                tooltip=f"{place['name']} ({PLACE_KINDS.get(str(kind), kind)}){walk}"
                + (f" — votre tarif : {tariff}" if tariff else ""),
            ).add_to(layer)
    if home:
        folium.CircleMarker(
            home,
            radius=9,
            color="#000000",
            fill=True,
            fill_color="#F0E442",
            fill_opacity=1.0,
            tooltip="mon domicile (il reste sur cette machine)",
        ).add_to(m)
        shown = near.nearest
        lats, lons = [home[0], *shown["lat"]], [home[1], *shown["lon"]]
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(20, 20))
    folium.LayerControl(collapsed=False).add_to(m)
    return m
