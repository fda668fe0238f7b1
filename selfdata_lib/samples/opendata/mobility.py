"""Mobility samples: the ADEME factors table and its European counterpart (UK factors via Our World in
Data), transit stops in the GTFS layout (synthetic Yélo stops; stations of Paris, Barcelona, Nantes and
Rennes placed by the project), fictional fuel stations (France's flux, Spain's « Precios de carburantes » JSON).
"""

from __future__ import annotations

import json
from pathlib import Path

from selfdata_lib.opendata.mobility import (
    IMPACTCO2_SOURCE,
    IMPACTCO2_TRANSPORT,
    OWID_COLUMN,
    OWID_TRAVEL_SOURCE,
)
from selfdata_lib.samples.opendata._write import write_sample


def build_emission_factors_sample(folder: Path) -> list[Path]:
    """The project's factor table, in Impact CO2's own JSON structure."""
    items = []
    for ident, slug, name, factor, _mode in IMPACTCO2_TRANSPORT:
        item = {
            "id": ident,
            "name": name,
            "slug": slug,
            "source": "https://base-empreinte.ademe.fr/documentation/base-carbone",
        }
        if slug != "velo":
            item["ecv"] = [{"id": 8, "value": factor}]  # stage "Usage": the project keeps the total only
        items.append(item)
    return write_sample(
        folder,
        {"deplacement.json": json.dumps(items, ensure_ascii=False, indent=1) + "\n"},
        retrieved="2026-07-01",
        note="the project's table of ADEME Impact CO2 totals",
        readme=(
            "# ademe-transport-factors — project table\n\n"
            "Written by `selfdata samples build` (`selfdata_lib/samples/opendata/mobility.py`). One entry per mode in "
            "the structure of Impact CO2's `deplacement.json`, with the *total* factor (kg CO2e per "
            f"passenger-km) in a single stage.\n\nSource: {IMPACTCO2_SOURCE}.\n\n"
            "Get the full, current file with `selfdata data fetch ademe-transport-factors`.\n"
        ),
    )


def build_bus_stops_sample(folder: Path) -> list[Path]:
    """Synthetic GTFS stops along the Puilboreau – Beaulieu – Périgny – city-centre corridors."""
    lines = ["stop_id,stop_name,stop_lat,stop_lon,location_type"]
    corridors = [
        ("PUI", "Puilboreau", (46.1857, -1.1175), (46.1680, -1.1020), 5),
        ("PER", "Périgny", (46.1680, -1.1020), (46.1530, -1.0980), 4),
        ("CTR", "Centre", (46.1680, -1.1020), (46.1580, -1.1520), 6),
    ]
    for code, name, (lat1, lon1), (lat2, lon2), n in corridors:
        for k in range(n):
            f = k / (n - 1)
            lines.append(
                f"{code}{k + 1:02d},{name} {k + 1} (exemple),{lat1 + (lat2 - lat1) * f:.5f},"
                f"{lon1 + (lon2 - lon1) * f:.5f},0"
            )
    return write_sample(
        folder,
        {"stops.txt": "\n".join(lines) + "\n"},
        note="synthetic stops along corridors",
        readme=(
            "# larochelle-bus-stops — project sample (synthetic stops)\n\n"
            "Written by `selfdata samples build`. **Not the real stops**: points spaced along three straight "
            "corridors (Puilboreau → Beaulieu, Beaulieu → Périgny, Beaulieu → city centre) so that the "
            "scenario can find a stop near home and work. The real GTFS of the Yélo network is published on "
            "transport.data.gouv.fr (Licence Ouverte); put its `stops.txt` in a folder named `yelo_gtfs` "
            "under `SELFDATA_OPENDATA_PATH`.\n"
        ),
    )


def build_fuel_prices_sample(folder: Path) -> list[Path]:
    """Fictional stations around La Rochelle, in Paris and in Lyon, priced at the 2025 national averages."""
    rows = [
        "id;latitude;longitude;cp;ville;gazole_prix;e10_prix;sp98_prix",
        "17000001;4618400;-111300;17138;Puilboreau (exemple);1.659;1.739;1.829",
        "17000002;4616900;-110100;17138;Puilboreau (exemple);1.649;1.729;1.819",
        "17000003;4612700;-109800;17440;Aytré (exemple);1.669;1.749;1.839",
        "17000004;4615900;-115200;17000;La Rochelle (exemple);1.689;1.759;1.859",
        "75011001;4885880;238620;75011;Paris 11e (exemple);1.799;1.859;1.949",
        "75012001;4884310;238950;75012;Paris 12e (exemple);1.819;1.879;1.969",
        "75013001;4882980;236210;75013;Paris 13e (exemple);1.789;1.849;1.939",
        "69007001;4574300;484600;69007;Lyon 7e (exemple);1.669;1.749;1.849",
        "69003001;4576200;486500;69003;Lyon 3e (exemple);1.679;1.759;1.859",
        "69008001;4573500;487000;69008;Lyon 8e (exemple);1.659;1.739;1.839",
    ]
    return write_sample(
        folder,
        {"prix-carburants-sample.csv": "\n".join(rows) + "\n"},
        note="fictional stations (La Rochelle, Paris, Lyon), 2025 average price levels",
        readme=(
            "# fuel-prices — project sample (fictional stations)\n\n"
            "Written by `selfdata samples build`. Four **fictional** stations near La Rochelle, three in "
            "Paris (11e, 12e, 13e) and three in Lyon (3e, 7e, 8e), in the column layout of the national open "
            "data (`id;latitude;longitude;cp;ville;gazole_prix;…`, coordinates in 1e-5 degrees), priced at "
            "orders of magnitude of the 2025 national averages (diesel ≈ 1.65 €/l, SP95-E10 ≈ 1.74 €/l), Paris "
            "a little above, Lyon close to them (à vérifier). Real prices: `selfdata data fetch fuel-prices`.\n"
        ),
    )


#: Values of Our World in Data's « carbon-footprint-travel-mode » (UK BEIS conversion factors 2019, data
#: year 2018), g CO2e per km: per vehicle-km for cars, per passenger-km otherwise.
OWID_TRAVEL_2018 = [
    ("Bus", 104.71),
    ("Coach", 27.79),
    ("Light rail and tram", 35.08),
    ("London Underground", 30.84),
    ("Medium car (diesel)", 170.61),
    ("Medium car (petrol)", 192.28),
    ("National rail", 41.15),
]


def build_owid_travel_factors_sample(folder: Path) -> list[Path]:
    """The modes of Our World in Data's travel-footprint chart the analysis uses, in its grapher CSV."""
    lines = [
        f"Entity,Code,Year,{OWID_COLUMN}",
        *(f"{entity},,2018,{value}" for entity, value in OWID_TRAVEL_2018),
    ]
    return write_sample(
        folder,
        {"carbon-footprint-travel-mode.csv": "\n".join(lines) + "\n"},
        retrieved="2026-07-01",
        note="the project's extract of Our World in Data's carbon-footprint-travel-mode",
        readme=(
            "# owid-travel-factors — project extract\n\n"
            "Written by `selfdata samples build` (`selfdata_lib/samples/opendata/mobility.py`): the rows of "
            "Our World in Data's « Carbon footprint of travel per kilometer » (grapher CSV "
            f"`Entity,Code,Year,{OWID_COLUMN}`) for the modes the mobility footprint uses.\n\n"
            f"Source: {OWID_TRAVEL_SOURCE}. Cars are per vehicle-km (one person on board), public transport "
            "per passenger-km. These are British figures, used as a documented European default where a "
            "territory names no national table: the electric modes (metro, tram, train) follow the British "
            "grid of 2018 and are marked « à vérifier » for another country.\n\n"
            "Get the full, current file with `selfdata data fetch owid-travel-factors`.\n"
        ),
    )


_IDFM_HEADER = (
    "stop_id,stop_code,stop_name,stop_desc,stop_lon,stop_lat,zone_id,stop_url,location_type,parent_station,"
    "stop_timezone,level_id,wheelchair_boarding,platform_code"
)
#: Stations and stops of Paris 11e–13e (name, lat, lon), placed by the project from the station's
#: square or street: positions to within ~100 m, not the network's own coordinates.
PARIS_STOPS = [
    ("Voltaire (métro 9)", 48.85770, 2.38000),
    ("Voltaire - Léon Blum (bus)", 48.85715, 2.37935),
    ("Charonne (métro 9)", 48.85490, 2.38480),
    ("Saint-Ambroise (métro 9)", 48.86120, 2.37370),
    ("Ledru-Rollin (métro 8)", 48.85130, 2.37610),
    ("Gare de Lyon (métro 1, 14, RER A, D)", 48.84430, 2.37430),
    ("Quai de la Gare (métro 6)", 48.83720, 2.37290),
    ("Chevaleret (métro 6)", 48.83480, 2.36830),
    ("Bibliothèque François Mitterrand (métro 14, RER C)", 48.82980, 2.37630),
    ("Bibliothèque François Mitterrand (bus)", 48.83100, 2.37800),
]
_TMB_HEADER = (
    "stop_id,stop_code,stop_name,stop_desc,stop_lat,stop_lon,zone_id,stop_url,location_type,parent_station"
)
#: Metro stations and bus stops of Gràcia, Eixample and Glòries, placed by the project (as above).
BARCELONA_STOPS = [
    ("Fontana (L3)", 41.40260, 2.15270),
    ("Travessera de Gràcia - Torrent de l'Olla (bus)", 41.40250, 2.15750),
    ("Joanic (L4)", 41.40580, 2.16270),
    ("Diagonal (L3, L5)", 41.39550, 2.16100),
    ("Verdaguer (L4, L5)", 41.39940, 2.16700),
    ("Monumental (L2)", 41.39960, 2.17990),
    ("Encants (L2)", 41.40750, 2.18260),
    ("Glòries (L1)", 41.40250, 2.18660),
    ("Pl. de les Glòries (bus)", 41.40350, 2.18750),
]


_GTFS_HEADER = (
    "stop_id,stop_code,stop_name,stop_desc,stop_lat,stop_lon,zone_id,stop_url,location_type,parent_station"
)
#: Tram stations of central Nantes (Naolib lines 1, 2 and 3), placed by the project from the square or
#: street they serve: positions to within a few hundred metres, not the network's own coordinates.
NANTES_STOPS = [
    ("Commerce (tram 1, 2, 3)", 47.21290, -1.55940),
    ("Gare SNCF Nord (tram 1)", 47.21780, -1.54200),
    ("Duchesse Anne - Château (tram 1)", 47.21560, -1.54980),
    ("Hôtel Dieu (tram 2, 3)", 47.21190, -1.55330),
    ("Médiathèque (tram 1)", 47.20940, -1.56200),
    ("Place du Cirque (tram 2, 3)", 47.21750, -1.55770),
    ("Mairie de Doulon (tram 1)", 47.22650, -1.52250),
]
#: Metro stations of central Rennes (STAR lines a and b), placed by the project (as above).
RENNES_STOPS = [
    ("République (métro a)", 48.10960, -1.67880),
    ("Gares (métro a, b)", 48.10400, -1.67270),
    ("Charles de Gaulle (métro a)", 48.10630, -1.67700),
    ("Sainte-Anne (métro a, b)", 48.11460, -1.68050),
    ("Jacques Cartier (métro a)", 48.09850, -1.67450),
    ("Saint-Germain (métro b)", 48.11100, -1.67480),
    ("Colombier (métro b)", 48.10540, -1.68280),
]


def _stops_readme(name: str, network: str, where: str, real: str, *, within: str = "about 100 m") -> str:
    return (
        f"# {name} — project sample (stations placed by the project)\n\n"
        "Written by `selfdata samples build` (`selfdata_lib/samples/opendata/mobility.py`), in the layout of "
        f"the GTFS `stops.txt` of {network}. **Not the network's file**: a few stations and stops of {where}, "
        "named after the real ones and placed by the project from their square or street (to within "
        f"{within}), so that the mobility footprint can count the stops near home and work offline. The real "
        f"GTFS: {real}; put its `stops.txt` in a folder named `{name}` under `SELFDATA_OPENDATA_PATH`.\n"
    )


def _placed_stops(prefix: str, stops: list[tuple[str, float, float]]) -> str:
    lines = [_GTFS_HEADER] + [
        f'{prefix}{k + 1:04d},,"{name}",,{lat:.5f},{lon:.5f},,,0,' for k, (name, lat, lon) in enumerate(stops)
    ]
    return "\n".join(lines) + "\n"


def build_nantes_transit_stops_sample(folder: Path) -> list[Path]:
    """Tram stations of central Nantes in the GTFS ``stops.txt`` layout."""
    return write_sample(
        folder,
        {"stops.txt": _placed_stops("NAOLIB:sample", NANTES_STOPS)},
        note="tram stations of central Nantes placed by the project",
        readme=_stops_readme(
            "nantes-transit-stops",
            "Naolib (Nantes Métropole)",
            "central Nantes and Doulon (tram lines 1, 2 and 3)",
            "Naolib's GTFS on transport.data.gouv.fr",
            within="a few hundred metres",
        ),
    )


def build_rennes_transit_stops_sample(folder: Path) -> list[Path]:
    """Metro stations of central Rennes in the GTFS ``stops.txt`` layout."""
    return write_sample(
        folder,
        {"stops.txt": _placed_stops("STAR:sample", RENNES_STOPS)},
        note="metro stations of central Rennes placed by the project",
        readme=_stops_readme(
            "rennes-transit-stops",
            "STAR (Rennes Métropole)",
            "central Rennes (metro lines a and b)",
            "STAR's GTFS on data.explore.star.fr",
            within="a few hundred metres",
        ),
    )


def build_paris_transit_stops_sample(folder: Path) -> list[Path]:
    """Stations and stops of Paris 11e–13e in the IDFM GTFS ``stops.txt`` layout."""
    lines = [_IDFM_HEADER] + [
        f'IDFM:sample{k + 1:04d},,"{name}",,{lon:.5f},{lat:.5f},1,,0,,Europe/Paris,,1,'
        for k, (name, lat, lon) in enumerate(PARIS_STOPS)
    ]
    return write_sample(
        folder,
        {"stops.txt": "\n".join(lines) + "\n"},
        note="stations of Paris 11e-13e placed by the project",
        readme=_stops_readme(
            "paris-transit-stops",
            "Île-de-France Mobilités",
            "Paris 11e, 12e and 13e (around place Léon-Blum and the Bibliothèque François-Mitterrand)",
            "« Offre horaires tc gtfs idfm » on data.iledefrance-mobilites.fr (Licence Mobilité)",
        ),
    )


def build_barcelona_transit_stops_sample(folder: Path) -> list[Path]:
    """Metro stations and bus stops of Gràcia and Glòries in the TMB GTFS ``stops.txt`` layout."""
    lines = [_TMB_HEADER] + [
        f'{k + 1:04d},,"{name}",,{lat:.5f},{lon:.5f},1,,0,'
        for k, (name, lat, lon) in enumerate(BARCELONA_STOPS)
    ]
    return write_sample(
        folder,
        {"stops.txt": "\n".join(lines) + "\n"},
        note="stations of Gràcia and Glòries placed by the project",
        readme=_stops_readme(
            "barcelona-transit-stops",
            "Transports Metropolitans de Barcelona (TMB)",
            "Gràcia, the Eixample and Glòries",
            "TMB's GTFS on developer.tmb.cat (free account)",
        ),
    )


#: Fictional stations of Barcelona (id, brand, address, lat, lon, diesel, 95 E5, 98 E5), priced at
#: orders of magnitude of early 2025 in Spain (diesel ≈ 1.45 €/l, 95 ≈ 1.55 €/l; à vérifier).
ES_STATIONS = [
    ("90001", "EXEMPLE 1", "CALLE DE EXEMPLE, 1 (GRÀCIA)", 41.4049, 2.1602, 1.459, 1.569, 1.709),
    ("90002", "EXEMPLE 2", "CALLE DE EXEMPLE, 2 (EIXAMPLE)", 41.3960, 2.1650, 1.479, 1.589, 1.729),
    ("90003", "EXEMPLE 3", "CALLE DE EXEMPLE, 3 (SANT MARTÍ)", 41.4065, 2.1915, 1.439, 1.549, 1.689),
    ("90004", "EXEMPLE 4", "CALLE DE EXEMPLE, 4 (LES CORTS)", 41.3850, 2.1300, 1.469, 1.579, 1.719),
]


def build_es_fuel_prices_sample(folder: Path) -> list[Path]:
    """Four fictional stations of Barcelona in the JSON of the « Precios de carburantes » service."""

    def es(x: float | None) -> str:
        return "" if x is None else f"{x:.3f}".replace(".", ",")

    items = []
    for ident, brand, address, lat, lon, diesel, e5, e98 in ES_STATIONS:
        items.append(
            {
                "C.P.": "08000",
                "Dirección": address,
                "Horario": "L-D: 24H",
                "Latitud": f"{lat:.6f}".replace(".", ","),
                "Localidad": "BARCELONA",
                "Longitud (WGS84)": f"{lon:.6f}".replace(".", ","),
                "Margen": "D",
                "Municipio": "Barcelona",
                "Precio Biodiesel": "",
                "Precio Bioetanol": "",
                "Precio Gas Natural Comprimido": "",
                "Precio Gas Natural Licuado": "",
                "Precio Gases licuados del petróleo": "",
                "Precio Gasoleo A": es(diesel),
                "Precio Gasoleo B": "",
                "Precio Gasoleo Premium": es(diesel + 0.07),
                "Precio Gasolina 95 E10": "",
                "Precio Gasolina 95 E5": es(e5),
                "Precio Gasolina 95 E5 Premium": "",
                "Precio Gasolina 98 E10": "",
                "Precio Gasolina 98 E5": es(e98),
                "Precio Hidrogeno": "",
                "Provincia": "BARCELONA",
                "Remisión": "dm",
                "Rótulo": brand,
                "Tipo Venta": "P",
                "% BioEtanol": "0,0",
                "% Éster metílico": "0,0",
                "IDEESS": ident,
                "IDMunicipio": "0000",
                "IDProvincia": "08",
                "IDCCAA": "09",
            }
        )
    answer = {
        "Fecha": "15/01/2025 10:00:00",
        "ListaEESSPrecio": items,
        "Nota": "Exemple écrit par le projet : stations fictives.",
        "ResultadoConsulta": "OK",
    }
    return write_sample(
        folder,
        {"EstacionesTerrestres.json": json.dumps(answer, ensure_ascii=False, indent=1) + "\n"},
        note="fictional stations of Barcelona, early-2025 price levels (à vérifier)",
        readme=(
            "# es-fuel-prices — project sample (fictional stations)\n\n"
            "Written by `selfdata samples build`. Four **fictional** stations of Barcelona in the JSON answer of "
            "the Spanish Ministry's service « Precios de carburantes » (`ServiciosRESTCarburantes/"
            "PreciosCarburantes/EstacionesTerrestres/`: `Fecha`, `ListaEESSPrecio` with `Latitud`, "
            "`Longitud (WGS84)`, `Precio Gasoleo A`, `Precio Gasolina 95 E5`… in decimal commas), priced at "
            "orders of magnitude of early 2025 in Spain (diesel ≈ 1.45 €/l, 95 E5 ≈ 1.55 €/l — à vérifier). "
            "Real prices: `selfdata data fetch es-fuel-prices`.\n"
        ),
    )
