"""The whole suite against its slowest notebook: ``selfdata run --all`` should take little more than the
slowest single run, not the sum of them on oversubscribed cores. Target: ratio ≤ 1.5 on 2 cores.

Measured in one run, in temporary folders (your ``outputs/`` is left alone):

1. the baseline — every preset in parallel as before: alphabetical order, every kernel free to use every
   core for its BLAS/OpenMP pools;
2. the suite as ``selfdata run --all`` runs it now: longest first (from the durations the baseline just
   recorded), each kernel limited to its share of the cores;
3. the slowest run of (2) again, alone on the machine, with every core.

It prints each wall time, the sum of the runs' durations divided by the cores (the best any schedule can
do), and the ratios suite / slowest.

    .venv/bin/python benchmarks/bench_suite.py [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from selfdata_lib.app import runner


def suite(
    out: Path, *, jobs: int, threads: int | None, schedule: bool
) -> tuple[float, list[runner.RunOutcome]]:
    # a cold user cache for each suite: the trained Vélo'v predictors are not carried from one to the next
    out.mkdir(parents=True, exist_ok=True)
    os.environ["SELFDATA_CACHE"] = tempfile.mkdtemp(prefix="cache-", dir=out)
    t0 = time.perf_counter()
    outcomes = runner.run_all(jobs=jobs, out_root=out, block_network=True, threads=threads, schedule=schedule)
    wall = time.perf_counter() - t0
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise SystemExit("\n".join(o.error or "" for o in failed))
    return wall, outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as tmp:
        out = Path(tmp)
        base_wall, base = suite(out / "a", jobs=args.jobs, threads=0, schedule=False)
        # the same folder as the baseline: its results.json give the durations to schedule by
        wall, now = suite(out / "a", jobs=args.jobs, threads=None, schedule=True)
        slowest = max(now, key=lambda o: o.duration_s)
        t0 = time.perf_counter()
        os.environ["SELFDATA_CACHE"] = str(out / "alone" / "cache")
        alone = runner.run_use_case(
            slowest.use_case, slowest.preset, out_dir=out / "alone", block_network=True
        )
        alone_wall = time.perf_counter() - t0
        assert alone.ok, alone.error
    print(f"machine: {cores} cores, {args.jobs} parallel runs, {len(now)} runs")
    print(
        f"baseline (alphabetical, no thread limit): {base_wall:7.1f} s   sum of runs / cores: "
        f"{sum(o.duration_s for o in base) / cores:6.1f} s"
    )
    print(
        f"now (longest first, {max(1, cores // args.jobs)} thread(s) per kernel): {wall:7.1f} s   "
        f"sum of runs / cores: {sum(o.duration_s for o in now) / cores:6.1f} s"
    )
    print(f"slowest run alone ({slowest.use_case}/{slowest.preset}): {alone_wall:7.1f} s")
    print(
        f"ratio suite / slowest: baseline {base_wall / alone_wall:4.2f}, now {wall / alone_wall:4.2f} "
        f"(target ≤ 1.5); speed-up of the suite {base_wall / wall:4.2f}×"
    )


if __name__ == "__main__":
    main()
