"""Stations per shipped GBFS system and the cold training time of the availability predictors on each
system's sample history (no cache), with Vélo'v's as the baseline run in the same process.

    .venv/bin/python benchmarks/bench_gbfs_systems.py
"""

from __future__ import annotations

import time

from selfdata_lib.analysis import velov
from selfdata_lib.opendata import gbfs


def main() -> None:
    """Print, per shipped system: GBFS version, stations, history rows and days, training seconds."""
    baseline = None
    print(
        f"{'system':<28}{'GBFS':>6}{'stations':>10}{'history rows':>14}{'days':>6}{'training s':>12}{'ratio':>7}"
    )
    for key in gbfs.SHIPPED:
        system = gbfs.find_system(key, source="sample")
        stations = gbfs.load_system_stations(system, source="sample")
        history = gbfs.load_system_history(system, source="sample")
        assert history is not None
        start = time.perf_counter()
        trained = velov.train_availability(history, step_min=15, cache=False)
        seconds = time.perf_counter() - start
        baseline = baseline or seconds
        print(
            f"{system.name:<28}{stations.attrs['gbfs']['version']:>6}{len(stations):>10}{len(history):>14}"
            f"{trained.days:>6}{seconds:>12.1f}{seconds / baseline:>7.2f}"
        )


if __name__ == "__main__":
    main()
