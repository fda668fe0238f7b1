"""Leisure and cultural places of the La Rochelle agglomeration, from OpenStreetMap (through osmnx).

``larochelle-leisure-places``
    One row per place: ``name``, ``kind`` (a key of :data:`LEISURE_KINDS`), ``lat``, ``lon``,
    ``commune`` and ``osm_id`` (``node/123``, ``way/456``; empty in the project's sample). Written as
    ``lieux_loisirs.csv``.

    ``selfdata data fetch larochelle-leisure-places`` (or ``source="live"``) asks the Overpass API,
    through :func:`osmnx.features_from_bbox`, for the features of :data:`OSM_TAGS` inside
    :data:`LAROCHELLE_BBOX` (the agglomeration, from Esnandes to Châtelaillon-Plage), and keeps each
    named one with the kind of its first matching tag (:data:`KIND_OF_TAG`): a polygon is placed at a
    point inside it. Features marked ``access=private`` (garden pools) and features without a name are
    left out; the same name and kind found twice within 150 m (a node and its building) is kept once.
    Only the bounding box is sent, nothing personal.

    The project's sample (``data/samples/opendata/larochelle-leisure-places``) names a few real public
    places of each kind at approximate positions (a few hundred metres at most): its README says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from selfdata_lib.geo import haversine_m
from selfdata_lib.opendata._catalog import Dataset, load, register

PLACES_FILE = "lieux_loisirs.csv"
PLACE_COLUMNS = ("name", "kind", "lat", "lon", "commune", "osm_id")
#: The kinds of leisure places, with their French names (tables, maps, readings).
LEISURE_KINDS = {
    "museum": "musée",
    "library": "médiathèque",
    "theatre": "salle de spectacle",
    "cinema": "cinéma",
    "beach": "plage",
    "sports": "équipement sportif",
    "park": "parc ou jardin",
}
#: OpenStreetMap tags asked for (https://wiki.openstreetmap.org/wiki/Map_features), as osmnx takes them.
OSM_TAGS: dict[str, bool | str | list[str]] = {
    "tourism": ["museum", "aquarium"],
    "amenity": ["library", "theatre", "arts_centre", "cinema"],
    "natural": "beach",
    "leisure": ["sports_centre", "stadium", "swimming_pool", "ice_rink", "park", "beach_resort"],
}
#: ``(key, value)`` of a tag → the kind of place, in the order the tags are tried on a feature.
KIND_OF_TAG = {
    ("tourism", "museum"): "museum",
    ("tourism", "aquarium"): "museum",
    ("amenity", "library"): "library",
    ("amenity", "theatre"): "theatre",
    ("amenity", "arts_centre"): "theatre",
    ("amenity", "cinema"): "cinema",
    ("natural", "beach"): "beach",
    ("leisure", "beach_resort"): "beach",
    ("leisure", "sports_centre"): "sports",
    ("leisure", "stadium"): "sports",
    ("leisure", "swimming_pool"): "sports",
    ("leisure", "ice_rink"): "sports",
    ("leisure", "park"): "park",
}
#: The area fetched (west, south, east, north): the communes of the agglomeration of La Rochelle.
LAROCHELLE_BBOX = (-1.26, 46.05, -0.95, 46.26)
SAME_PLACE_M = 150.0


def read_leisure_places(path: str | Path) -> pd.DataFrame:
    """``lieux_loisirs.csv``: one row per place (:data:`PLACE_COLUMNS`), WGS84 coordinates; an
    :class:`ExportFormatError` naming the file and what is wrong (missing columns, unknown kinds).
    """
    from selfdata_lib.opendata.leisure import read_places_csv

    return read_places_csv(path, columns=tuple(PLACE_COLUMNS), kinds=LEISURE_KINDS)


def _kind(tags: dict[str, Any]) -> str | None:
    """The kind of a feature from its tags (the first of :data:`KIND_OF_TAG` it carries)."""
    for (key, value), kind in KIND_OF_TAG.items():
        if str(tags.get(key) or "") == value:
            return kind
    return None


def places_from_osm(features: Any) -> pd.DataFrame:
    """Rows of :data:`PLACE_COLUMNS` from the GeoDataFrame :func:`osmnx.features_from_bbox` returns
    (index ``(element, id)``, one column per tag, ``geometry`` in WGS84): named features of a known
    kind, not private, each at a point inside its shape, the same name and kind within
    :data:`SAME_PLACE_M` kept once.
    """
    rows = []
    if features is None or len(features) == 0:
        return pd.DataFrame(columns=list(PLACE_COLUMNS))
    for index, feature in features.iterrows():
        tags = {k: v for k, v in feature.items() if k != "geometry" and isinstance(v, str)}
        kind = _kind(tags)
        name = str(tags.get("name") or "").strip()
        if kind is None or not name or tags.get("access") in ("private", "no"):
            continue
        point = feature["geometry"].representative_point()
        element, ident = index if isinstance(index, tuple) else ("", index)
        rows.append(
            {
                "name": name,
                "kind": kind,
                "lat": round(float(point.y), 6),
                "lon": round(float(point.x), 6),
                "commune": str(tags.get("addr:city") or "").strip(),
                "osm_id": f"{element}/{ident}" if element else str(ident),
            }
        )
    frame = pd.DataFrame(rows, columns=list(PLACE_COLUMNS))
    return drop_repeated_places(frame)


def drop_repeated_places(frame: pd.DataFrame, *, within_m: float = SAME_PLACE_M) -> pd.DataFrame:
    """Keep once a place found twice (same name and kind within ``within_m``: a node and its building)."""
    keep = np.ones(len(frame), dtype=bool)
    for (_, _), group in frame.groupby(["name", "kind"], sort=False):
        rows = group.index.to_numpy()
        for i, a in enumerate(rows):
            if not keep[a]:
                continue
            later = rows[i + 1 :]
            near = (
                haversine_m(
                    frame.at[a, "lat"], frame.at[a, "lon"], frame.loc[later, "lat"], frame.loc[later, "lon"]
                )
                <= within_m
            )
            keep[later[np.asarray(near, dtype=bool)]] = False
    return frame[keep].reset_index(drop=True)


def _fetch_places(folder: Path) -> None:
    """Ask OpenStreetMap (osmnx, Overpass API) for the places of the agglomeration; write them as CSV."""
    import osmnx as ox

    from selfdata_lib import _http

    with _http.osmnx_session("les lieux de loisirs de La Rochelle (OpenStreetMap, API Overpass)"):
        features = ox.features_from_bbox(LAROCHELLE_BBOX, OSM_TAGS)
    frame = places_from_osm(features)
    folder.mkdir(parents=True, exist_ok=True)
    _http.write_atomically(folder / PLACES_FILE, frame.to_csv(index=False).encode("utf-8"))


register(
    Dataset(
        name="larochelle-leisure-places",
        title="Lieux de loisirs et de culture de l'agglomération de La Rochelle (OpenStreetMap)",
        territory="La Rochelle",
        source="Contributeurs OpenStreetMap, via osmnx (API Overpass) : musées, médiathèques, salles de "
        "spectacle, cinémas, plages, équipements sportifs, parcs",
        url="https://www.openstreetmap.org/",
        licence="ODbL 1.0 (© les contributeurs d'OpenStreetMap)",
        files=("lieux_loisirs*.csv",),
        snapshot_dirs=("larochelle_leisure", "osm_leisure_larochelle"),
        fetcher=_fetch_places,
        read=lambda files: read_leisure_places(files[0]),
        description="Museums, libraries, theatres, cinemas, beaches, sports facilities and parks of the "
        "agglomeration (live: OSM features through osmnx); the project's sample names a few real public "
        "places of each kind at approximate positions.",
    )
)


def load_larochelle_leisure_places(*, source: str = "auto") -> pd.DataFrame:
    """The places (:data:`PLACE_COLUMNS`) with ``attrs["provenance"]`` (``larochelle-leisure-places``)."""
    return load("larochelle-leisure-places", source=source)
