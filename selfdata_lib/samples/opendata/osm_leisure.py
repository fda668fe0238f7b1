"""The project's sample of leisure and cultural places of La Rochelle: real public places, each at an
approximate position, in the columns of the OpenStreetMap loader.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from selfdata_lib.opendata.osm_leisure import LEISURE_KINDS, PLACE_COLUMNS, PLACES_FILE
from selfdata_lib.samples.opendata._write import write_sample

WRITTEN = "2026-12-01"

#: (name, kind, lat, lon, commune): public places of the agglomeration as the project knows them from
#: public pages (the City's, the agglomeration's, the press); positions placed by hand, to a few hundred
#: metres. Names and positions are to be checked against OpenStreetMap (the live source).
PLACES = [
    ("Musée maritime", "museum", 46.1530, -1.1528, "La Rochelle"),
    ("Muséum d'histoire naturelle", "museum", 46.1628, -1.1526, "La Rochelle"),
    ("Musée du Nouveau Monde", "museum", 46.1596, -1.1537, "La Rochelle"),
    ("Musée des Beaux-Arts", "museum", 46.1613, -1.1518, "La Rochelle"),
    ("Musée d'Orbigny-Bernon", "museum", 46.1619, -1.1493, "La Rochelle"),
    ("Aquarium La Rochelle", "museum", 46.1536, -1.1510, "La Rochelle"),
    ("Médiathèque Michel-Crépeau", "library", 46.1531, -1.1474, "La Rochelle"),
    ("Médiathèque de Mireuil", "library", 46.1745, -1.1565, "La Rochelle"),
    ("Médiathèque de Villeneuve-les-Salines", "library", 46.1470, -1.1210, "La Rochelle"),
    ("Médiathèque de Laleu-La Pallice", "library", 46.1665, -1.1855, "La Rochelle"),
    ("La Coursive, scène nationale", "theatre", 46.1568, -1.1545, "La Rochelle"),
    ("Carré Amelot", "theatre", 46.1637, -1.1505, "La Rochelle"),
    ("La Sirène, espace musiques actuelles", "theatre", 46.1590, -1.1940, "La Rochelle"),
    ("Espace Encan", "theatre", 46.1524, -1.1535, "La Rochelle"),
    ("Cinéma CGR Dragon", "cinema", 46.1567, -1.1528, "La Rochelle"),
    ("Cinéma CGR Olympia", "cinema", 46.1617, -1.1525, "La Rochelle"),
    ("Plage de la Concurrence", "beach", 46.1528, -1.1612, "La Rochelle"),
    ("Plage des Minimes", "beach", 46.1445, -1.1655, "La Rochelle"),
    ("Plage de Chef de Baie", "beach", 46.1595, -1.2010, "La Rochelle"),
    ("Plage d'Aytré", "beach", 46.1265, -1.1290, "Aytré"),
    ("Grande plage de Châtelaillon", "beach", 46.0745, -1.0890, "Châtelaillon-Plage"),
    ("Centre aquatique Palmilud", "sports", 46.1555, -1.0940, "Périgny"),
    ("Centre aquatique de Châtelaillon-Plage", "sports", 46.0790, -1.0850, "Châtelaillon-Plage"),
    ("Stade Marcel-Deflandre", "sports", 46.1606, -1.1388, "La Rochelle"),
    ("Parc Charruyer", "park", 46.1598, -1.1590, "La Rochelle"),
    ("Parc Franck-Delmas", "park", 46.1572, -1.1650, "La Rochelle"),
    ("Jardin des plantes", "park", 46.1630, -1.1520, "La Rochelle"),
    ("Marais de Tasdon", "park", 46.1500, -1.1330, "La Rochelle"),
]


def build_larochelle_leisure_places_sample(folder: Path) -> list[Path]:
    """``lieux_loisirs.csv``: :data:`PLACES` in the loader's columns (no OpenStreetMap id)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PLACE_COLUMNS)
    for name, kind, lat, lon, commune in PLACES:
        writer.writerow([name, kind, f"{lat:.4f}", f"{lon:.4f}", commune, ""])
    counts = ", ".join(f"{kind} {sum(1 for p in PLACES if p[1] == kind)}" for kind in LEISURE_KINDS)
    return write_sample(
        folder,
        {PLACES_FILE: out.getvalue()},
        retrieved=WRITTEN,
        note="real public places of La Rochelle at approximate positions, written by the project",
        readme=(
            "# larochelle-leisure-places — project sample\n\n"
            "Written by `selfdata samples build` (`selfdata_lib/samples/opendata/osm_leisure.py`) on "
            f"{WRITTEN}. {len(PLACES)} **real** public places of the La Rochelle agglomeration ({counts}), "
            "named by the project from public pages (the City's and the agglomeration's sites, the local press): "
            "museums, médiathèques, La Coursive, the agglomeration's pools, beaches and parks.\n\n"
            "**Positions are approximate**: placed by hand by the project, to a few hundred metres at most "
            "— enough for « 15 minutes by bike », not to find a door; names and positions are to be "
            "checked against OpenStreetMap. The list is short: a place missing "
            "here is not a place that does not exist. The sample has no OpenStreetMap id (`osm_id` empty).\n\n"
            "The real data is OpenStreetMap's (ODbL 1.0): `selfdata data fetch larochelle-leisure-places` "
            "asks the Overpass API, through osmnx, for the features tagged `tourism=museum|aquarium`, "
            "`amenity=library|theatre|arts_centre|cinema`, `natural=beach`, `leisure=sports_centre|stadium|"
            "swimming_pool|ice_rink|park|beach_resort` in the agglomeration's bounding box, and keeps the "
            "named, non-private ones (`selfdata_lib/opendata/osm_leisure.py`).\n"
        ),
    )
