"""Vélo'v samples: fictional stations and their simulated availability history."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd

from selfdata_lib.samples.opendata._write import write_sample
from selfdata_lib.synth.velov import SAMPLE_HISTORY, SAMPLE_SNAPSHOT, TZ, sample_stations, simulate_history


def build_velov_samples(folder: Path) -> list[Path]:
    """Stations in the rdata layout, availability at :data:`SAMPLE_SNAPSHOT` from the simulated history."""
    stations = sample_stations()
    history = simulate_history(stations, SAMPLE_HISTORY[0], SAMPLE_SNAPSHOT, step_min=15, seed=18)
    last = history[history["time"] == history["time"].max()].set_index("station_id")
    stamp = pd.Timestamp(SAMPLE_SNAPSHOT, tz=TZ).isoformat()
    values = []
    columns = ("station_id", "name", "lat", "lon", "capacity")
    for station_id, name, lat, lon, capacity in zip(*(stations[c] for c in columns), strict=True):
        bikes = int(last.loc[station_id, "bikes"])
        values.append(
            {
                "number": station_id,
                "name": name,
                "address": "Adresse exemple",
                "commune": "Lyon",
                "lat": lat,
                "lng": lon,
                "bike_stands": capacity,
                "available_bikes": bikes,
                "available_bike_stands": capacity - bikes,
                "status": "OPEN",
                "last_update": stamp,
                "total_stands": {
                    "availabilities": {"bikes": bikes, "stands": capacity - bikes},
                    "capacity": capacity,
                },
            }
        )
    doc = {
        "fields": list(values[0]),
        "layer_name": "jcd_jcdecaux.jcdvelov",
        "nb_results": len(values),
        "values": values,
    }
    return write_sample(
        folder,
        {"sample_jcd_jcdecaux.jcdvelov.json": json.dumps(doc, ensure_ascii=False, indent=0) + "\n"},
        note="fictional stations, availability simulated",
        readme=(
            "# velov-stations — project sample (fictional stations)\n\n"
            "Written by `selfdata samples build` (`selfdata_lib/samples/opendata/velov.py`). **Not the real stations**: "
            f"{len(values)} fictional stations on a jittered grid about 500 m apart over central Lyon, with "
            "made-up capacities, in the layout of the Métropole de Lyon's rdata JSON of `jcd_jcdecaux.jcdvelov`. "
            f"Availability is the state at {SAMPLE_SNAPSHOT} (local time) of the simulated history in "
            "`velov-availability-history`. Real stations and live availability: `selfdata data fetch "
            "velov-stations` (or a GBFS feed with `selfdata_lib.opendata.velov.fetch_gbfs`).\n"
        ),
    )


def build_velov_history_sample(folder: Path) -> list[Path]:
    """Write the simulated availability history of the fictional stations."""
    history = simulate_history(sample_stations(), SAMPLE_HISTORY[0], SAMPLE_SNAPSHOT, step_min=15, seed=18)
    csv = pd.DataFrame(
        {
            "timestamp_utc": history["time"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "station_number": history["station_id"],
            "bikes": history["bikes"],
            "stands": history["docks"],
            "capacity": history["capacity"],
            "mapping": "simulated",
        }
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "velov_availability_sample.csv.gz"
    with gzip.GzipFile(path, "wb", mtime=0) as fh:  # mtime 0: the same bytes at every build
        fh.write(csv.to_csv(index=False).encode())
    written = write_sample(
        folder,
        {},
        note="simulated availability of the fictional stations",
        readme=(
            "# velov-availability-history — project sample (simulated)\n\n"
            "Written by `selfdata samples build`. **Simulated**: bikes at each fictional station of the "
            f"`velov-stations` sample every 15 minutes from {SAMPLE_HISTORY[0]} to {SAMPLE_SNAPSHOT} (local "
            "time), by `selfdata_lib.synth.velov.simulate_history` (residential stations empty in the morning rush and "
            "refill in the evening, business stations the reverse, random arrivals and departures). Same columns "
            "as the real history (`timestamp_utc,station_number,bikes,stands,capacity,mapping`). A real history "
            "(four days at 2-minute resolution, 2019) can be put in a folder `velov_availability_history` under "
            "`SELFDATA_OPENDATA_PATH`.\n"
        ),
    )
    return [path, *written]
