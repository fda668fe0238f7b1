"""Trip planning speed: 10,000 random origin–destination pairs across the Métropole de Lyon with the
real Vélo'v station set, planned by ``velov.plan_trips`` (vectorised over trips × candidate stations)
against ``reference_route.plan_trip_reference`` (a straightforward per-trip loop over the stations), measured in
the same run. Target: at least 20× faster.

Both get the same inputs: per-station probabilities of a bike and of a dock, straight-line distances ×
detour factor, the k = 8 nearest stations at each end, 600 m of walking at most; the per-station
fallback distances are computed once for the loop too. The loop is timed on a subset (``--loop``
trips) and scaled to the same number of trips; the results of the two are checked to agree.

    .venv/bin/python benchmarks/bench_route.py [--trips 10000] [--loop 1000] [--stations PATH]

Without ``--stations``, the real snapshot is looked for in SELFDATA_OPENDATA_PATH (``velov_stations``)
and in ../shared/opendata; the project's sample (156 fictional stations) is the last resort.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

from selfdata_lib import opendata
from selfdata_lib.analysis import velov

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference_route


def stations_frame(path: str | None):
    if path:
        return opendata.read_stations(path), path
    candidates = [
        Path(p) / "velov_stations"
        for p in os.environ.get("SELFDATA_OPENDATA_PATH", "").split(os.pathsep)
        if p
    ]
    candidates.append(Path(__file__).resolve().parents[2] / "shared" / "opendata" / "velov_stations")
    for folder in candidates:
        hits = sorted(folder.glob("*jcdvelov*.json")) if folder.is_dir() else []
        if hits:
            return opendata.read_stations(hits[-1]), str(hits[-1])
    return opendata.load_velov_stations(source="sample"), "project sample (fictional stations)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trips", type=int, default=10_000)
    ap.add_argument(
        "--loop", type=int, default=1_000, help="trips planned by the per-trip loop (then scaled)"
    )
    ap.add_argument("--stations", default=None)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    stations, origin = stations_frame(args.stations)
    stations = stations.dropna(subset=["lat", "lon"]).reset_index(drop=True)
    rng = np.random.default_rng(args.seed)
    lat_lo, lat_hi = stations["lat"].quantile([0.02, 0.98])
    lon_lo, lon_hi = stations["lon"].quantile([0.02, 0.98])
    o = np.column_stack([rng.uniform(lat_lo, lat_hi, args.trips), rng.uniform(lon_lo, lon_hi, args.trips)])
    d = np.column_stack([rng.uniform(lat_lo, lat_hi, args.trips), rng.uniform(lon_lo, lon_hi, args.trips)])
    p_bike, p_dock = rng.uniform(0.2, 1.0, len(stations)), rng.uniform(0.2, 1.0, len(stations))
    speeds = velov.Speeds()

    velov.plan_trips(
        o[:10], d[:10], stations, p_bike=p_bike, p_dock=p_dock
    )  # warm-up (imports, BallTree code)
    t0 = time.perf_counter()
    plan = velov.plan_trips(o, d, stations, p_bike=p_bike, p_dock=p_dock, speeds=speeds)
    vec_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    nearest = reference_route.reference_nearest_m(
        stations, speeds
    )  # once for the whole run, as a careful loop would
    setup_s = time.perf_counter() - t0
    n_loop = min(args.loop, args.trips)
    t0 = time.perf_counter()
    ref = [
        reference_route.plan_trip_reference(
            tuple(o[t]), tuple(d[t]), stations, p_bike=p_bike, p_dock=p_dock, speeds=speeds, nearest_m=nearest
        )
        for t in range(n_loop)
    ]
    loop_s = (time.perf_counter() - t0) * args.trips / n_loop + setup_s

    agree = sum(
        1
        for t, r in enumerate(ref)
        if (math.isinf(r[0]) and plan["pickup"][t, 0] == -1)
        or (not math.isinf(r[0]) and abs(r[0] - plan["total_min"][t, 0]) < 1e-3 * r[0])
    )
    with_bike = int((plan["pickup"][:, 0] >= 0).sum())
    print(f"stations: {len(stations)} from {origin}")
    print(f"trips: {args.trips} ({with_bike} with a station pair within reach, the others walk)")
    print(f"vectorised plan_trips : {vec_s:8.3f} s  → {args.trips / vec_s:10,.0f} trips/s")
    print(
        f"per-trip loop         : {loop_s:8.3f} s  → {args.trips / loop_s:10,.0f} trips/s "
        f"(timed on {n_loop} trips, scaled; fallback set-up {setup_s:.2f} s included)"
    )
    print(f"speed-up              : {loop_s / vec_s:8.1f}×   (target ≥ 20×)")
    print(f"agreement on the {n_loop} looped trips: {agree}/{n_loop}")


if __name__ == "__main__":
    main()
