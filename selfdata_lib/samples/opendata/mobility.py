"""Mobility samples: the ADEME factors table, synthetic Yélo stops, fictional fuel stations."""

from __future__ import annotations

import json
from pathlib import Path

from selfdata_lib.opendata.mobility import IMPACTCO2_SOURCE, IMPACTCO2_TRANSPORT
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
    """Four fictional stations around La Rochelle, priced at the 2025 national averages."""
    rows = [
        "id;latitude;longitude;cp;ville;gazole_prix;e10_prix;sp98_prix",
        "17000001;4618400;-111300;17138;Puilboreau (exemple);1.659;1.739;1.829",
        "17000002;4616900;-110100;17138;Puilboreau (exemple);1.649;1.729;1.819",
        "17000003;4612700;-109800;17440;Aytré (exemple);1.669;1.749;1.839",
        "17000004;4615900;-115200;17000;La Rochelle (exemple);1.689;1.759;1.859",
    ]
    return write_sample(
        folder,
        {"prix-carburants-sample.csv": "\n".join(rows) + "\n"},
        note="fictional stations, 2025 average price levels",
        readme=(
            "# fuel-prices — project sample (fictional stations)\n\n"
            "Written by `selfdata samples build`. Four **fictional** stations near La Rochelle, in the column "
            "layout of the national open data (`id;latitude;longitude;cp;ville;gazole_prix;…`, coordinates in "
            "1e-5 degrees), priced at orders of magnitude of the 2025 national averages (diesel ≈ 1.65 €/l, "
            "SP95-E10 ≈ 1.74 €/l). Real prices: `selfdata data fetch fuel-prices`.\n"
        ),
    )
