#!/usr/bin/env python3
"""Peak memory and wall time of `cloudmart sql` printing a large result as CSV, JSON and a table.

    benchmarks/sql_output_memory.py                 # 10,000,000 rows
    benchmarks/sql_output_memory.py --rows 1e6

It publishes a stand-in warehouse in a temp data directory (one table, `marts.wide`: an integer, a
text, a double and a date column, `--rows` rows), then runs the real `cloudmart sql` command once
per format on `SELECT * FROM marts.wide`, its output going to /dev/null, each in its own process so
that peak RSS (ru_maxrss) is that run's alone. Timings are wall clock on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

CLOUDMART = Path(sys.executable).with_name("cloudmart")
FORMATS = ("csv", "json", "table")
STAND_IN = """SET enable_progress_bar = false; CREATE SCHEMA marts;
CREATE TABLE marts.wide AS SELECT range AS id, 'provider ' || (range % 97) AS name, range / 7 AS share,
    DATE '2020-01-01' + CAST(range % 2000 AS INTEGER) AS period_start FROM range(?)"""


def publish_stand_in(data_dir: Path, rows: int) -> None:
    """A warehouse file holding `marts.wide` with `rows` rows."""
    data_dir.mkdir()
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as con:
        con.execute(STAND_IN, [rows])


def measure(data_dir: Path, output_format: str) -> tuple[float, float, int]:
    """Run `cloudmart sql` in a child that reports its own peak RSS: (seconds, peak MB, exit code)."""
    child = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)\n"
        "sys.stderr.write(done.stderr[-500:])\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)\n")
    env = dict(os.environ, CLOUDMART_DATA_DIR=str(data_dir))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", child, str(CLOUDMART), "sql", "--timeout", "0", "--format",
                           output_format, "SELECT * FROM marts.wide"], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"the measuring child failed: {done.stderr}")
    peak_kb, code = done.stdout.split()
    if done.stderr:
        print(f"  ({output_format}: {done.stderr.strip()[:300]})")
    return seconds, int(peak_kb) / 1024, int(code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=float, default=1e7, help="rows of the result (default 1e7)")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    args = parser.parse_args()
    rows = int(args.rows)
    with tempfile.TemporaryDirectory(prefix="cloudmart-sql-bench-") as folder:
        data_dir = Path(folder) / "data"
        publish_stand_in(data_dir, rows)
        print(f"`cloudmart sql --format F \"SELECT * FROM marts.wide\"` ({rows:,} rows x 4 columns) > /dev/null")
        print("| format | seconds | peak RSS MB | exit |")
        print("|---|---|---|---|")
        for output_format in args.formats:
            seconds, peak_mb, code = measure(data_dir, output_format)
            print(f"| {output_format} | {seconds:.1f} | {peak_mb:,.0f} | {code} |", flush=True)


if __name__ == "__main__":
    main()
