"""The street network (OpenStreetMap) for walking and cycling distances, through osmnx and networkx.

A graph comes from a file the user gives (``.graphml`` saved by osmnx, ``.osm`` XML, or ``.osm.pbf``
converted with pyosmium when it is installed) or from ``selfdata data fetch lyon-streets``, which
downloads Lyon and Villeurbanne's cycling network with osmnx and caches it as GraphML. Without a graph,
:mod:`selfdata_lib.velov` falls back to straight-line distance × a detour factor.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from selfdata_lib.errors import DataUnavailableError, ExportFormatError
from selfdata_lib.opendata._catalog import Dataset, locate, register

#: The area fetched for ``lyon-streets``: Lyon and Villeurbanne (west, south, east, north).
LYON_BBOX = (4.77, 45.70, 4.93, 45.81)
GRAPH_FILE = "lyon_streets_bike.graphml"


def load_graph(path: str | Path):
    """A street graph from ``.graphml`` (osmnx), ``.osm`` (OSM XML) or ``.pbf`` (converted with pyosmium)."""
    import osmnx as ox

    path = Path(path)
    if not path.is_file():
        msg = f"street network file not found: {path}"
        raise DataUnavailableError(msg)
    name = path.name.lower()
    try:
        if name.endswith(".graphml"):
            graph = ox.load_graphml(path)
        elif name.endswith((".osm", ".xml")):
            graph = ox.graph_from_xml(path, simplify=True, retain_all=False)
        elif name.endswith(".pbf"):
            graph = ox.graph_from_xml(_pbf_to_xml(path), simplify=True, retain_all=False)
        else:
            msg = f"{path.name}: expected a .graphml, .osm or .osm.pbf street network"
            raise ExportFormatError(msg)
    except (ExportFormatError, DataUnavailableError):
        raise
    except Exception as exc:  # osmnx/networkx parse errors of many kinds
        msg = f"{path.name}: could not be read as a street network ({exc})"
        raise ExportFormatError(msg) from exc
    if graph.number_of_nodes() == 0:
        msg = f"{path.name}: the street network has no node"
        raise ExportFormatError(msg)
    return graph


def _pbf_to_xml(path: Path) -> Path:
    try:
        import osmium
    except ImportError as exc:
        msg = (f"{path.name}: reading .pbf needs pyosmium (pip install osmium), or convert it first with "
               "`osmium cat file.osm.pbf -o file.osm`")
        raise DataUnavailableError(msg) from exc
    out = Path(tempfile.mkdtemp(prefix="selfdata-osm-")) / (path.stem + ".osm")
    with osmium.SimpleWriter(str(out)) as writer:
        for obj in osmium.FileProcessor(str(path)):
            writer.add(obj)
    return out


def _fetch_lyon_streets(folder: Path) -> None:
    import osmnx as ox

    west, south, east, north = LYON_BBOX
    graph = ox.graph_from_bbox((west, south, east, north), network_type="bike", simplify=True)
    folder.mkdir(parents=True, exist_ok=True)
    ox.save_graphml(graph, folder / GRAPH_FILE)


register(Dataset(
    name="lyon-streets",
    title="Réseau de rues cyclables de Lyon et Villeurbanne (OpenStreetMap)",
    territory="Lyon",
    source="Contributeurs OpenStreetMap, via osmnx (API Overpass)",
    url="https://www.openstreetmap.org/",
    licence="ODbL 1.0 (© les contributeurs d'OpenStreetMap)",
    files=("*.graphml",),
    snapshot_dirs=("lyon_streets",),
    read=lambda files: pd.DataFrame({"graphml": [str(files[0])]}),
    fetcher=_fetch_lyon_streets,
    description="Street graph for walking and cycling distances, cached as GraphML (fetch it once).",
))


def find_graph(street_graph: str = "", *, source: str = "auto"):
    """The graph given as a file, else ``lyon-streets`` from the cache or a snapshot folder; ``None``
    when there is none (the caller then uses straight-line distances). Never downloads."""
    if street_graph:
        return load_graph(street_graph)
    try:
        files, _ = locate("lyon-streets", source=source)
    except DataUnavailableError:
        return None
    return load_graph(files[0])


def network_distances(graph, origin: tuple[float, float], destination: tuple[float, float],
                      pick_latlon: np.ndarray, drop_latlon: np.ndarray) -> dict[str, np.ndarray]:
    """Shortest-path lengths (metres) on the graph, taken as undirected (walking; cyclists are assumed
    to follow the same streets): origin → each pick-up station (k,), each drop-off → destination (k,),
    pick-up × drop-off (k, k). The snapping distance to the nearest node is added at each end."""
    import networkx as nx
    import osmnx as ox

    from selfdata_lib.geo import haversine_m

    g = graph.to_undirected() if graph.is_directed() else graph
    lats = np.concatenate([[origin[0], destination[0]], pick_latlon[:, 0], drop_latlon[:, 0]])
    lons = np.concatenate([[origin[1], destination[1]], pick_latlon[:, 1], drop_latlon[:, 1]])
    nodes = ox.distance.nearest_nodes(graph, lons, lats)
    ny = np.array([graph.nodes[n]["y"] for n in nodes], dtype=float)
    nx_ = np.array([graph.nodes[n]["x"] for n in nodes], dtype=float)
    snap = haversine_m(lats, lons, ny, nx_)
    k_p = len(pick_latlon)
    o_node, d_node = nodes[0], nodes[1]
    p_nodes, d_nodes = nodes[2:2 + k_p], nodes[2 + k_p:]

    def lengths(src):
        return nx.single_source_dijkstra_path_length(g, src, weight="length")

    from_o, to_d = lengths(o_node), lengths(d_node)
    inf = float("inf")
    walk_o = np.array([from_o.get(n, inf) for n in p_nodes]) + snap[0] + snap[2:2 + k_p]
    walk_d = np.array([to_d.get(n, inf) for n in d_nodes]) + snap[1] + snap[2 + k_p:]
    bike = np.empty((k_p, len(d_nodes)))
    for a, pn in enumerate(p_nodes):
        la = lengths(pn)
        bike[a] = [la.get(n, inf) for n in d_nodes]
    bike += snap[2:2 + k_p, None] + snap[None, 2 + k_p:]
    direct = from_o.get(d_node, inf) + snap[0] + snap[1]
    return {"walk_o_m": walk_o, "walk_d_m": walk_d, "bike_m": bike, "walk_only_m": direct}
