"""Maps that work without internet, and small chart helpers.

Folium loads Leaflet, jQuery, Bootstrap and icon fonts from CDNs by default, which leaves a blank map on
a workshop's flaky Wi-Fi. :func:`offline_map` returns a :class:`folium.Map` whose page embeds Leaflet
(from the ``django-js-lib-leaflet`` package, installed with the project) and no remote asset at all.
Without tiles, the territory's own layers (districts, arrondissements, lines) give the context.

Use circle markers (``folium.CircleMarker``) or the default Leaflet marker, not ``folium.Icon``: its
icon fonts come from a CDN.
"""

from __future__ import annotations

import base64
import re
import warnings
from collections import OrderedDict
from functools import lru_cache
from importlib import resources
from typing import Any

import folium
import jinja2
import pandas as pd
from branca.element import CssLink, Element, Figure, JavascriptLink

# Assets folium adds to every map that an offline map does not need (Leaflet is embedded instead).
_FOLIUM_CORE_ASSETS = {
    "leaflet",
    "jquery",
    "bootstrap",
    "awesome_markers",
    "leaflet_css",
    "bootstrap_css",
    "glyphicons_css",
    "awesome_markers_font_css",
    "awesome_markers_css",
    "awesome_rotate_css",
}
_REMOTE = re.compile(r"^(https?:)?//")


@lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS, with its images inlined as data URIs."""
    base = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")
    images = {}
    for name in ("layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"):
        data = (base / "images" / name).read_bytes()
        images[name] = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        css = css.replace(f"url(images/{name})", f"url({images[name]})")
    # Leaflet finds its default marker images from the CSS path; give it the data URIs instead.
    js += (
        "\nL.Icon.Default.prototype.options.imagePath='';"
        f"L.Icon.Default.prototype.options.iconUrl='{images['marker-icon.png']}';"
        f"L.Icon.Default.prototype.options.iconRetinaUrl='{images['marker-icon-2x.png']}';"
        f"L.Icon.Default.prototype.options.shadowUrl='{images['marker-shadow.png']}';"
    )
    return js, css


class OfflineMap(folium.Map):
    """A :class:`folium.Map` whose HTML embeds Leaflet and loads nothing from the network.

    Remote JavaScript or CSS that a plugin adds is kept (the plugin would not work without it) but a
    :class:`UserWarning` says the map will need internet.
    """

    # branca annotates Element.render -> str, but MacroElement.render (folium.Map's) returns None.
    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca annotation gap
        """Render the figure, then inline Leaflet's scripts and styles so the map works offline."""
        super().render(**kwargs)
        root = self.get_root()
        assert isinstance(root, Figure), "an offline map renders inside a Figure"  # as folium asserts
        header = root.header
        js, css = leaflet_assets()
        kept: OrderedDict[str, Element] = OrderedDict()
        kept["leaflet_css_inline"] = Element(f"<style>{css}</style>")
        kept["leaflet_js_inline"] = Element(f"<script>{js}</script>")
        kept["selfdata_css"] = Element(
            "<style>html,body{margin:0;padding:0;width:100%;height:100%;}"
            ".leaflet-container{background:#f4f1ea;font-family:sans-serif}</style>"
        )
        for name, child in header._children.items():
            if isinstance(child, (JavascriptLink, CssLink)) and _REMOTE.match(child.url or ""):
                if name in _FOLIUM_CORE_ASSETS:
                    continue
                warnings.warn(
                    f"map asset {child.url} is loaded from the network; the map will not fully work offline",
                    stacklevel=2,
                )
            if name not in kept:
                kept[name] = child
        header._children = kept


def offline_map(
    location: tuple[float, float] = (45.76, 4.85),
    *,
    zoom_start: int = 12,
    tiles: str | None = None,
    height: str | int = 480,
    **kwargs: Any,
) -> OfflineMap:
    """A map centred on ``location`` (lat, lon) that renders offline.

    Parameters
    ----------
    location
        Centre of the map, ``(lat, lon)``.
    zoom_start
        Initial zoom level.
    tiles
        ``None`` (default) draws no background tiles: nothing is fetched and the territory's layers
        give the context. A tile provider name (``"OpenStreetMap"``) or URL adds online tiles — the
        browser then asks the tile server for the map area (not for any personal data).
    height
        Height of the map in a notebook or report.
    """
    fig = folium.Figure(height=height if isinstance(height, str) else f"{height}px")
    m = OfflineMap(location=list(location), zoom_start=zoom_start, tiles=tiles, control_scale=False, **kwargs)
    fig.add_child(m)
    MetricScale().add_to(m)
    return m


class MetricScale(folium.MacroElement):
    """Leaflet's scale bar in metres and kilometres only (folium's shows feet and miles too)."""

    _template = jinja2.Template(
        "{% macro script(this, kwargs) %}"
        "L.control.scale({imperial: false, metric: true}).addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )


def add_context_layer(
    m: folium.Map,
    frame: Any,
    *,
    name: str,
    label: str | None = None,
    color: str = "#6c757d",
    fill_opacity: float = 0.05,
    weight: float = 1.0,
    show: bool = True,
) -> folium.GeoJson:
    """Draw a GeoDataFrame of polygons or lines as a light context layer (hover shows ``label``)."""
    frame = frame.to_crs(4326) if getattr(frame, "crs", None) is not None else frame
    columns = [c for c in [label] if c and c in frame.columns]
    layer = folium.GeoJson(
        frame[[*columns, "geometry"]],
        name=name,
        show=show,
        style_function=lambda _: {"color": color, "weight": weight, "fillOpacity": fill_opacity},
        tooltip=folium.GeoJsonTooltip(fields=columns) if columns else None,
    )
    layer.add_to(m)
    return layer


def add_choropleth(
    m: folium.Map,
    frame: Any,
    column: str,
    *,
    name: str,
    label: str = "name",
    fields: list[str] | None = None,
    cmap: str = "Blues",
    highlight: str | None = None,
    missing_color: str = "#e0e0e0",
) -> folium.GeoJson:
    """Shade polygons by ``column`` (matplotlib colour map, no legend asset to download); rows whose
    value is missing are grey; the polygon whose ``label`` equals ``highlight`` is outlined in red.
    """
    import matplotlib as mpl
    import numpy as np

    frame = frame.to_crs(4326) if getattr(frame, "crs", None) is not None else frame
    values = frame[column].astype(float)
    lo, hi = (float(np.nanmin(values)), float(np.nanmax(values))) if values.notna().any() else (0.0, 1.0)
    colours = mpl.colormaps[cmap]
    frame = frame.assign(
        _fill=[
            missing_color
            if np.isnan(v)
            else mpl.colors.to_hex(colours(0.2 + 0.7 * ((v - lo) / (hi - lo) if hi > lo else 0.5)))
            for v in values
        ],
        _mine=(frame[label] == highlight) if highlight is not None else False,
    )
    shown = [c for c in (fields or [label, column]) if c in frame.columns]

    def style(feature: dict) -> dict:
        props = feature["properties"]
        mine = props["_mine"]
        return {
            "fillColor": props["_fill"],
            "fillOpacity": 0.65,
            "color": "#c62828" if mine else "#555555",
            "weight": 4 if mine else 1,
        }

    layer = folium.GeoJson(
        frame[[*shown, "_fill", "_mine", "geometry"]],
        name=name,
        style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=shown),
    )
    layer.add_to(m)
    return layer


def map_districts(
    districts: Any,
    table: pd.DataFrame,
    column: str,
    *,
    name: str,
    key: str = "district",
    label: str = "name",
    highlight: str | None = None,
) -> OfflineMap:
    """Offline map of ``districts`` shaded by ``table[column]`` (joined on ``table[key]`` =
    ``districts[label]``), the district ``highlight`` outlined in red.
    """
    shaded = districts.merge(table.rename(columns={key: label})[[label, column]], on=label, how="left")
    shaded[column] = shaded[column].astype(float).round(0)
    centre = shaded.to_crs(4326).union_all().centroid if len(shaded) else None
    m = offline_map((centre.y, centre.x) if centre is not None else (45.757, 4.84), zoom_start=12)
    add_choropleth(m, shaded, column, name=name, label=label, highlight=highlight)
    return m


def map_html(m: folium.Map) -> str:
    """The standalone HTML page of a map (what a report embeds)."""
    return m.get_root().render()


MODE_COLOURS = {
    "walk": "#2e7d32",
    "bike": "#1565c0",
    "car": "#c62828",
    "bus": "#ef6c00",
    "tram": "#6a1b9a",
    "metro": "#ad1457",
    "train": "#4e342e",
    "unknown": "#757575",
}


def map_my_places(
    visits: Any = None,
    trips: Any = None,
    *,
    context: Any = None,
    context_label: str | None = "name",
    tiles: str | None = None,
) -> OfflineMap:
    """Map of my visited places (size = time spent, HOME/WORK labelled) and my trips by mode."""
    pts = []
    if visits is not None and len(visits):
        pts += list(zip(visits["lat"], visits["lon"], strict=True))
    if trips is not None and len(trips):
        pts += list(zip(trips["start_lat"], trips["start_lon"], strict=True))
    centre = (
        (float(pd.Series([p[0] for p in pts]).median()), float(pd.Series([p[1] for p in pts]).median()))
        if pts
        else (45.76, 4.85)
    )
    m = offline_map(centre, zoom_start=13, tiles=tiles)
    if context is not None:
        add_context_layer(m, context, name="Territoire", label=context_label)
    if trips is not None and len(trips):
        layer = folium.FeatureGroup(name="Mes trajets").add_to(m)
        for t in trips.dropna(subset=["end_lat"]).itertuples():
            folium.PolyLine(
                [(t.start_lat, t.start_lon), (t.end_lat, t.end_lon)],
                color=MODE_COLOURS.get(t.mode, "#757575"),
                weight=2,
                opacity=0.5,
                tooltip=f"{t.mode}, {t.distance_m / 1000:.1f} km",
            ).add_to(layer)
    if visits is not None and len(visits):
        v = visits.assign(hours=(visits["end"] - visits["start"]).dt.total_seconds() / 3600)
        places = (
            v.groupby([v["lat"].round(4), v["lon"].round(4)])
            .agg(
                hours=("hours", "sum"),
                visits=("hours", "size"),
                label=("label", "first"),
                name=("name", "first"),
            )
            .reset_index()
        )
        layer = folium.FeatureGroup(name="Mes lieux").add_to(m)
        for p in places.itertuples():
            colour = {"HOME": "#d81b60", "WORK": "#3949ab"}.get(p.label, "#00897b")
            folium.CircleMarker(
                (p.lat, p.lon),
                radius=4 + min(16, (p.hours or 0) ** 0.5),
                color=colour,
                fill=True,
                fill_opacity=0.7,
                tooltip=f"{p.label or p.name}: {p.visits} visites, {p.hours:.0f} h",
            ).add_to(layer)
    folium.LayerControl(collapsed=True).add_to(m)
    if pts:
        lats, lons = [p[0] for p in pts], [p[1] for p in pts]
        m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(20, 20))
    return m


def probability_colour(p: float) -> str:
    """Red (unlikely) → orange → green (likely), for station markers."""
    if p != p:  # NaN
        return "#9e9e9e"
    return "#c62828" if p < 0.5 else "#ef6c00" if p < 0.8 else "#2e7d32"


def _latlon(place: Any) -> tuple[float, float]:
    """``(lat, lon)`` of a place of :mod:`selfdata_lib.analysis.places` or of a pair."""
    if hasattr(place, "lat"):
        return float(place.lat), float(place.lon)
    return float(place[0]), float(place[1])


def map_velov_trip(
    origin: Any,
    destination: Any,
    plan: pd.DataFrame,
    *,
    stations: Any = None,
    context: Any = None,
    metro: Any = None,
    tiles: str | None = None,
) -> OfflineMap:
    """My bike-share trip (any GBFS system): home and destination, the walking and riding legs of the best option, the chosen
    and alternative stations coloured by the probability of a bike (pick-up) or a dock (drop-off),
    the other stations in grey; the territory and the metro as context.
    """
    origin, destination = _latlon(origin), _latlon(destination)
    cand = plan.attrs.get("candidates")
    lats = [origin[0], destination[0]] + ([] if cand is None else cand["lat"].tolist())
    lons = [origin[1], destination[1]] + ([] if cand is None else cand["lon"].tolist())
    m = offline_map((sum(lats) / len(lats), sum(lons) / len(lons)), zoom_start=14, tiles=tiles)
    if context is not None:
        add_context_layer(m, context, name="Arrondissements", label="name")
    if metro is not None and len(metro):
        lines = metro[metro["kind"] == "line"]
        if len(lines):
            add_context_layer(
                m,
                lines,
                name="Métro",
                label="ligne" if "ligne" in lines else None,
                color="#6a1b9a",
                weight=2.5,
                fill_opacity=0,
            )
        layer = folium.FeatureGroup(name="Stations de métro et tram", show=False).add_to(m)
        for s in metro[metro["kind"] == "station"].itertuples():
            folium.CircleMarker(
                (s.geometry.y, s.geometry.x),
                radius=3,
                color="#6a1b9a",
                fill=True,
                tooltip=getattr(s, "nom", ""),
            ).add_to(layer)
    if stations is not None and len(stations):
        system = (stations.attrs.get("gbfs") or {}).get("name") or "du système"
        layer = folium.FeatureGroup(name=f"Toutes les stations {system}", show=True).add_to(m)
        for s in stations.itertuples():
            folium.CircleMarker(
                (s.lat, s.lon),
                radius=2,
                color="#9e9e9e",
                weight=1,
                tooltip=f"{s.name} : {s.bikes:.0f} vélos, {s.docks:.0f} places",
            ).add_to(layer)
    best = plan[plan["option"] != "À pied"].head(1)
    chosen = set()
    if len(best) and cand is not None:
        b = best.iloc[0]
        chosen = {("pickup", b["pickup_station_id"]), ("dropoff", b["dropoff_station_id"])}
        pick = cand[(cand["role"] == "pickup") & (cand["station_id"] == b["pickup_station_id"])].iloc[0]
        drop = cand[(cand["role"] == "dropoff") & (cand["station_id"] == b["dropoff_station_id"])].iloc[0]
        legs = folium.FeatureGroup(name="Mon trajet").add_to(m)
        folium.PolyLine(
            [origin, (pick.lat, pick.lon)],
            color="#37474f",
            weight=4,
            dash_array="6 8",
            tooltip=f"à pied {b['walk_to_station_minutes']:.0f} min",
        ).add_to(legs)
        folium.PolyLine(
            [(pick.lat, pick.lon), (drop.lat, drop.lon)],
            color="#1565c0",
            weight=5,
            tooltip=f"à vélo {b['bike_minutes']:.0f} min",
        ).add_to(legs)
        folium.PolyLine(
            [(drop.lat, drop.lon), destination],
            color="#37474f",
            weight=4,
            dash_array="6 8",
            tooltip=f"à pied {b['walk_from_station_minutes']:.0f} min",
        ).add_to(legs)
    if cand is not None:
        layer = folium.FeatureGroup(name="Stations envisagées").add_to(m)
        for c in cand.itertuples():
            is_chosen = (c.role, c.station_id) in chosen
            what = "un vélo" if c.role == "pickup" else "une place libre"
            folium.CircleMarker(
                (c.lat, c.lon),
                radius=10 if is_chosen else 6,
                color="#000000" if is_chosen else probability_colour(c.probability),
                weight=3 if is_chosen else 1,
                fill=True,
                fill_color=probability_colour(c.probability),
                fill_opacity=0.85,
                tooltip=f"{c.name} — {'départ' if c.role == 'pickup' else 'arrivée'} : "
                f"{c.probability:.0%} de chances d'y trouver {what} "
                f"(dans {c.minutes:.0f} min)",
            ).add_to(layer)
    for (lat, lon), label, colour in ((origin, "Départ", "#d81b60"), (destination, "Destination", "#3949ab")):
        folium.Marker(
            (lat, lon),
            tooltip=label,
            icon=folium.DivIcon(
                html=(
                    f'<div style="background:{colour};color:white;border-radius:4px;padding:2px 5px;'
                    f'font:bold 12px sans-serif;white-space:nowrap">{label}</div>'
                )
            ),
        ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    m.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(30, 30))
    return m


#: A colour per kind of leisure place (Okabe & Ito's palette, as the charts), for :func:`map_outings`.
OUTING_KIND_COLOURS = {
    "museum": "#CC79A7",
    "library": "#009E73",
    "theatre": "#D55E00",
    "cinema": "#000000",
    "beach": "#E69F00",
    "sports": "#0072B2",
    "park": "#56B4E9",
}


def map_outings(reach: Any, swaps: Any = None, *, tiles: str | None = None) -> OfflineMap:
    """My usual places with the distance a bike covers in 15 minutes around each (dashed circle), the
    leisure places by kind (the larger, the ones within 15 minutes by bike), the places I drive to (red
    lines) and the suggested way instead (blue dashed lines). ``reach`` and ``swaps`` are the results of
    :mod:`selfdata_lib.analysis.outings`.
    """
    from selfdata_lib.analysis.outings import KIND_FR

    usual, minutes = reach.usual, reach.minutes
    s = swaps.swaps if swaps is not None and len(swaps.swaps) else pd.DataFrame()
    lats = [*usual["lat"], *s.get("lat", [])] if len(usual) or len(s) else [46.1591]
    lons = [*usual["lon"], *s.get("lon", [])] if len(usual) or len(s) else [-1.1520]
    m = offline_map((sum(lats) / len(lats), sum(lons) / len(lons)), zoom_start=12, tiles=tiles)
    if len(minutes):
        best = minutes.groupby("place").agg(
            name=("name", "first"),
            kind=("kind", "first"),
            lat=("lat", "first"),
            lon=("lon", "first"),
            bike_min=("bike_min", "min"),
            usual=("usual", "first"),
        )
        for kind, part in best.groupby("kind", sort=False):
            layer = folium.FeatureGroup(name=KIND_FR.get(str(kind), str(kind))).add_to(m)
            for p in part.itertuples():
                near = p.bike_min <= 15 + 1e-6
                folium.CircleMarker(
                    (p.lat, p.lon),
                    radius=8 if near else 5,
                    color=OUTING_KIND_COLOURS.get(str(kind), "#616161"),
                    fill=True,
                    fill_opacity=0.85 if near else 0.5,
                    tooltip=f"{p.name} ({KIND_FR.get(str(kind), kind)}) : {p.bike_min:.0f} min à vélo au plus près",
                ).add_to(layer)
    if len(s):
        layer = folium.FeatureGroup(name="Mes sorties en voiture, et autrement").add_to(m)
        for w in s.to_dict("records"):
            folium.PolyLine(
                [(w["from_lat"], w["from_lon"]), (w["lat"], w["lon"])],
                color="#D55E00",
                weight=2 + min(6.0, float(w["car_trips_year"]) / 30),
                opacity=0.7,
                tooltip=f"{w['place']} : {w['car_trips_year']:.0f} trajets en voiture par an, "
                f"{w['car_kgco2e_year']:.0f} kg CO₂e",
            ).add_to(layer)
            if isinstance(w["mode"], str):
                folium.PolyLine(
                    [(w["from_lat"], w["from_lon"]), (w["alt_lat"], w["alt_lon"])],
                    color="#0072B2",
                    weight=3,
                    dash_array="6 6",
                    tooltip=f"autrement : {w['suggestion']}",
                ).add_to(layer)
    if reach.stops is not None and len(reach.stops) and len(minutes):
        layer = folium.FeatureGroup(name="Arrêts de bus", show=False).add_to(m)
        for stop in reach.stops.to_dict("records"):
            folium.CircleMarker(
                (stop["stop_lat"], stop["stop_lon"]),
                radius=2,
                color="#616161",
                tooltip=str(stop["stop_name"]),
            ).add_to(layer)
    radius = reach.times.radius_m(15, "bike")
    for u in usual.itertuples():
        if u.covered:
            folium.Circle(
                (u.lat, u.lon),
                radius=radius,
                color="#0072B2",
                weight=1,
                dash_array="4 6",
                fill=False,
                tooltip=f"{u.label} : 15 min à vélo (à vol d'oiseau × {reach.times.detour:g})",
            ).add_to(m)
        folium.CircleMarker(
            (u.lat, u.lon),
            radius=9,
            color="#000000",
            fill=True,
            fill_color="#F0E442",
            fill_opacity=1.0,
            tooltip=f"{u.label} (reste sur cette machine)",
        ).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    if len(usual):
        pad = radius / 111_195
        m.fit_bounds(
            [
                [min(usual["lat"]) - pad, min(usual["lon"]) - pad * 1.45],
                [max(usual["lat"]) + pad, max(usual["lon"]) + pad * 1.45],
            ]
        )
    return m
