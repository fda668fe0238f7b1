"""Walking and cycling distances on a street graph (see :mod:`selfdata_lib.opendata.streets`)."""

from __future__ import annotations

import numpy as np

from selfdata_lib.geo import haversine_m


def network_distances(
    graph,
    origin: tuple[float, float],
    destination: tuple[float, float],
    pick_latlon: np.ndarray,
    drop_latlon: np.ndarray,
) -> dict[str, np.ndarray]:
    """Shortest-path lengths (metres) on the graph, taken as undirected (walking; cyclists are assumed
    to follow the same streets): origin → each pick-up station (k,), each drop-off → destination (k,),
    pick-up × drop-off (k, k). The snapping distance to the nearest node is added at each end.
    """
    import networkx as nx
    import osmnx as ox

    g = graph.to_undirected() if graph.is_directed() else graph
    lats = np.concatenate([[origin[0], destination[0]], pick_latlon[:, 0], drop_latlon[:, 0]])
    lons = np.concatenate([[origin[1], destination[1]], pick_latlon[:, 1], drop_latlon[:, 1]])
    nodes = ox.distance.nearest_nodes(graph, lons, lats)
    ny = np.array([graph.nodes[n]["y"] for n in nodes], dtype=float)
    nx_ = np.array([graph.nodes[n]["x"] for n in nodes], dtype=float)
    snap = haversine_m(lats, lons, ny, nx_)
    k_p = len(pick_latlon)
    o_node, d_node = nodes[0], nodes[1]
    p_nodes, d_nodes = nodes[2 : 2 + k_p], nodes[2 + k_p :]

    def lengths(src):
        return nx.single_source_dijkstra_path_length(g, src, weight="length")

    from_o, to_d = lengths(o_node), lengths(d_node)
    inf = float("inf")
    walk_o = np.array([from_o.get(n, inf) for n in p_nodes]) + snap[0] + snap[2 : 2 + k_p]
    walk_d = np.array([to_d.get(n, inf) for n in d_nodes]) + snap[1] + snap[2 + k_p :]
    bike = np.empty((k_p, len(d_nodes)))
    for a, pn in enumerate(p_nodes):
        la = lengths(pn)
        bike[a] = [la.get(n, inf) for n in d_nodes]
    bike += snap[2 : 2 + k_p, None] + snap[None, 2 + k_p :]
    direct = from_o.get(d_node, inf) + snap[0] + snap[1]
    return {"walk_o_m": walk_o, "walk_d_m": walk_d, "bike_m": bike, "walk_only_m": direct}
