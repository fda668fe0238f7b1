"""The cooperative at Nantes' size: 250,000 households × 365 daily values (91 M rows of Parquet) → the
district statistics, differentially private, in one pass — on pandas (the baseline), DuckDB and Dask (local
mode), in the same run. Targets: DuckDB ≥ 10× pandas' throughput, peak memory < 4 GB on 2 cores.

Each engine runs in its own process so that its peak memory (``ru_maxrss``) is its own.

    .venv/bin/python benchmarks/bench_pooling.py [--households 250000] [--days 365] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

DISTRICTS = [f"Nantes IRIS {i:03d}" for i in range(60)]
CHILD = """
import json, resource, sys, time
import dask.dataframe, duckdb, opendp.prelude  # imported before the clock starts: the engines' work only
from selfdata_lib.analysis import pooling
t0 = time.perf_counter()
counts = pooling.aggregate(sys.argv[1], engine=sys.argv[2])
hist = pooling.publish(counts, sorted(counts["group"].unique()), epsilon=1.0, min_contributors=20,
                       lower=0.0, upper=400.0, bin_width=20.0)
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "households": int(counts["count"].sum()), "published": int((~hist["suppressed"]).sum())}))
"""


def generate(path: Path, households: int, days: int, *, chunk: int = 10_000, seed: int = 0) -> int:
    """Write ``households`` × ``days`` daily litres per person as Parquet (one row group per chunk)."""
    rng = np.random.default_rng(seed)
    group_type = pa.dictionary(pa.int8(), pa.string())
    schema = pa.schema([("household", pa.int32()), ("group", group_type), ("value", pa.float32())])
    rows = 0
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, households, chunk):
            n = min(chunk, households - start)
            level = rng.lognormal(np.log(125), 0.35, n).astype(np.float32)
            district = rng.integers(0, len(DISTRICTS), n)
            value = np.repeat(level, days) * rng.uniform(0.6, 1.4, n * days).astype(np.float32)
            codes = pa.array(np.repeat(district, days).astype(np.int8))
            table = pa.table(
                {
                    "household": pa.array(np.repeat(np.arange(start, start + n, dtype=np.int32), days)),
                    "group": pa.DictionaryArray.from_arrays(codes, pa.array(DISTRICTS)),
                    "value": pa.array(value),
                },
                schema=schema,
            )
            writer.write_table(table)
            rows += n * days
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=250_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--keep", type=Path, default=None, help="Keep the Parquet file in this folder.")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-pooling-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "contributions.parquet"
    t0 = time.perf_counter()
    rows = generate(path, args.households, args.days)
    print(
        f"generated {rows:,} rows ({args.households:,} households × {args.days} days) in "
        f"{time.perf_counter() - t0:.1f} s, {path.stat().st_size / 1e6:.0f} MB of Parquet"
    )
    results = {}
    for engine in ("pandas", "duckdb", "dask"):
        run = subprocess.run(
            [sys.executable, "-c", CHILD, str(path), engine], capture_output=True, text=True, check=False
        )
        if run.returncode != 0:
            print(f"{engine:7s} failed: {run.stderr.strip().splitlines()[-1] if run.stderr else '?'}")
            continue
        res = json.loads(run.stdout.strip().splitlines()[-1])
        results[engine] = res
        print(
            f"{engine:7s} {res['wall']:7.1f} s   {rows / res['wall'] / 1e6:6.1f} M rows/s   peak {res['peak_mb']:7.0f} MB"
            f"   {res['households']:,} households, {res['published']} bins published"
        )
    if "pandas" in results and "duckdb" in results:
        speed = results["pandas"]["wall"] / results["duckdb"]["wall"]
        print(
            f"DuckDB / pandas throughput: {speed:.1f}× (target ≥ 10×); DuckDB peak "
            f"{results['duckdb']['peak_mb'] / 1024:.2f} GB (target < 4 GB)"
        )
    if not args.keep:
        path.unlink()


if __name__ == "__main__":
    main()
