"""The street network (OpenStreetMap) for walking and cycling distances, through osmnx and networkx.

A graph comes from a file the user gives (``.graphml`` saved by osmnx, ``.osm`` XML, or ``.osm.pbf``
converted with pyosmium when it is installed) or from ``selfdata data fetch lyon-streets``, which
downloads Lyon and Villeurbanne's cycling network with osmnx and caches it as GraphML. Without a graph,
:mod:`selfdata_lib.analysis.velov` falls back to straight-line distance × a detour factor.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

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
        msg = f"fichier de rues introuvable : {path} (attendu : un .graphml, .osm ou .osm.pbf)"
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
            msg = f"{path.name} : un réseau de rues .graphml, .osm ou .osm.pbf est attendu"
            raise ExportFormatError(msg)
    except (ExportFormatError, DataUnavailableError):
        raise
    except Exception as exc:  # osmnx/networkx parse errors of many kinds
        msg = (
            f"{path.name} : illisible comme réseau de rues (fichier abîmé ou d'un autre format ? "
            f"détail : {type(exc).__name__})"
        )
        raise ExportFormatError(msg) from exc
    if graph.number_of_nodes() == 0:
        msg = f"{path.name} : ce réseau de rues ne contient aucun carrefour (zone vide ?)"
        raise ExportFormatError(msg)
    return graph


def _pbf_to_xml(path: Path) -> Path:
    try:
        import osmium
    except ImportError as exc:
        msg = (
            f"{path.name} : lire un .pbf demande pyosmium (pip install osmium), ou convertissez-le "
            "d'abord avec `osmium cat fichier.osm.pbf -o fichier.osm`"
        )
        raise DataUnavailableError(msg) from exc
    out = Path(tempfile.mkdtemp(prefix="selfdata-osm-")) / (path.stem + ".osm")
    with osmium.SimpleWriter(str(out)) as writer:
        for obj in osmium.FileProcessor(str(path)):
            writer.add(obj)
    return out


def _fetch_lyon_streets(folder: Path) -> None:
    """Download the cycling network of :data:`LYON_BBOX` from Overpass (osmnx) into ``folder``.

    Through :func:`selfdata_lib._http.osmnx_session`: without Internet it fails in seconds with a French
    reason (osmnx alone waits more than a minute, then prints urllib3's English).
    """
    import osmnx as ox

    from selfdata_lib import _http

    west, south, east, north = LYON_BBOX
    with _http.osmnx_session("le réseau de rues de Lyon (OpenStreetMap, API Overpass)"):
        graph = ox.graph_from_bbox((west, south, east, north), network_type="bike", simplify=True)
    folder.mkdir(parents=True, exist_ok=True)
    ox.save_graphml(graph, folder / GRAPH_FILE)


register(
    Dataset(
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
    )
)


def find_graph(street_graph: str = "", *, source: str = "auto"):
    """The graph given as a file, else ``lyon-streets`` from the cache or a snapshot folder; ``None``
    when there is none (the caller then uses straight-line distances). Never downloads.
    """
    if street_graph:
        return load_graph(street_graph)
    try:
        files, _ = locate("lyon-streets", source=source)
    except DataUnavailableError:
        return None
    return load_graph(files[0])
