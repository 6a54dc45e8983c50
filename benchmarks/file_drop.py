"""File-drop latency under `cloudmart serve`: from a new file in the sources folder to its figure in the
published warehouse, with where the time goes.

A published installation of the seed sources runs `cloudmart serve --headless` (the real daemon); each
drop writes a new source file the way a copy does (modified now, so the sensor waits for it to settle)
and polls the published warehouse until its figure is there. The stages come from the Dagster
instance: the run the sensor created and its RUN_STARTING, RUN_START, engine and asset materialization events.

    detect       file written -> run requested (sensor interval + settle time + evaluation)
    queue        run requested -> launched off the run queue (the queue daemon's dequeue interval)
    spawn        launched -> the run worker process reports in (its fork from the preloaded process of
                 orchestration.run_launcher, and opening the Dagster instance)
    definitions  -> the run starts (the worker imports cloudmart's definitions)
    refresh      run started -> published_warehouse materialized (load, models, checks, publish)
    visible      file written -> the figure readable in the published warehouse (what analysts see)
    report       published -> market report drawn (after analysts can read)
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import time
from pathlib import Path

from tests.support import wait_for  # the tests' polling helper (benchmarks/run puts the project on sys.path)

ROOT = Path(__file__).resolve().parent.parent
CLOUDMART = ROOT / ".venv" / "bin" / "cloudmart"
STAGES = ("detect", "queue", "spawn", "definitions", "refresh", "visible", "report")
DROP = ('# title: "A dropped-in source {n}"\n# published: 2025-09-01\n'
        "entity,metric,market,period,value,magnitude,unit,qualifier,citation,note\n"
        "Huawei Cloud,market_share,China public cloud IaaS,2023-H1,{value},,pct,exact,,\n")


def measure_file_drops(workdir: Path, drops: int = 3, timeout: float = 240) -> dict:
    """Time `drops` file drops under a real `cloudmart serve --headless`; per-drop stages and medians."""
    sources, data = workdir / "drop-sources", workdir / "drop-data"
    shutil.rmtree(sources, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(ROOT / "sources", sources)
    env = {**os.environ, "CLOUDMART_DATA_DIR": str(data), "CLOUDMART_SOURCES_DIR": str(sources)}
    subprocess.run([str(CLOUDMART), "refresh"], env=env, check=True, stdout=subprocess.DEVNULL)
    log = workdir / "drop-daemon.log"
    with log.open("w") as out:
        daemon = subprocess.Popen([str(CLOUDMART), "serve", "--headless"], env=env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: "sources_changed skipped: watching" in log.read_text(), timeout, "the sensor's first look")
        os.environ["DAGSTER_HOME"] = str(data / "dagster")
        results = [_one_drop(sources, data, n, timeout) for n in range(drops)]
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        daemon.wait(timeout=60)
    return {"drops": results, "median": {s: statistics.median(r[s] for r in results) for s in STAGES}}


def _one_drop(sources: Path, data: Path, n: int, timeout: float) -> dict:
    import dagster as dg

    name = f"dropped-{n}"
    load = os.getloadavg()[0]  # a shared machine: the load beside each number
    (sources / f"{name}.csv").write_text(DROP.format(n=n, value=f"12.{n + 1}"), encoding="utf-8")
    dropped = time.time()
    wait_for(lambda: _published_has(data / "warehouse.duckdb", name), timeout, f"{name} in the published warehouse",
             every=0.2)
    visible = time.time()
    with dg.DagsterInstance.get() as instance:
        run = wait_for(lambda: _finished_sensor_run(instance, dropped), timeout, "the sensor's run to finish")
        events = {}
        for record in instance.all_logs(run.run_id):
            event = record.dagster_event
            if event is None:
                continue
            key = (event.event_type_value, "/".join(event.asset_key.path) if event.asset_key else None)
            events.setdefault(key, record.timestamp)
        created = instance.get_run_record_by_id(run.run_id).create_timestamp.timestamp()
    launched, started = events[("PIPELINE_STARTING", None)], events[("PIPELINE_START", None)]
    worker = events[("ENGINE_EVENT", None)]   # the worker's first event: "Started process for run (pid: …)"
    published = events[("ASSET_MATERIALIZATION", "published_warehouse")]
    reported = events.get(("ASSET_MATERIALIZATION", "market_report"), published)
    return {"detect": created - dropped, "queue": launched - created, "spawn": worker - launched,
            "definitions": started - worker, "refresh": published - started, "visible": visible - dropped,
            "report": reported - published, "load": load}


def _finished_sensor_run(instance, after: float):
    import dagster as dg

    runs = instance.get_run_records(dg.RunsFilter(tags={"dagster/sensor_name": "sources_changed"}), limit=1)
    if runs and runs[0].create_timestamp.timestamp() > after and runs[0].dagster_run.is_finished:
        return runs[0].dagster_run
    return None


def _published_has(warehouse: Path, source_id: str) -> bool:
    import duckdb

    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return False
    try:
        return con.execute("SELECT count(*) FROM marts.figures WHERE source_id = ?", [source_id]).fetchone()[0] > 0
    finally:
        con.close()


def print_file_drops(result: dict) -> None:
    """One line per drop and the medians, in seconds."""
    print("  file drop under `cloudmart serve` (s): " + ", ".join(STAGES))
    for n, drop in enumerate(result["drops"]):
        print(f"    drop {n}: " + ", ".join(f"{s} {drop[s]:.1f}" for s in STAGES) + f" (load {drop['load']:.1f})")
    print("    median: " + ", ".join(f"{s} {result['median'][s]:.1f}" for s in STAGES))
