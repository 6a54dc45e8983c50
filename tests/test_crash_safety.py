"""Crash safety: `cloudmart refresh` killed with SIGKILL at every stage (loading, building, validating,
publishing) leaves the published warehouse exactly as it was or exactly as the refresh would have made
it, consistent and passing every blocking check; the next refresh needs no manual cleanup."""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import dagster as dg
import duckdb

from foundation.settings import Settings
from orchestration.instance import prepare_dagster_home
from report.stamp import drawn_from
from tests.support import VENV_BIN, edit_source, installation_env, published_content, refresh_ok

MOBILE = "mobile-cloud-counterattack-2025.csv"
VERSIONS = {"A": "edge_nodes,,unspecified,6,", "B": "edge_nodes,,unspecified,7,"}


def build_written(settings: Settings, started: float) -> bool:
    """The refresh has opened the working warehouse and begun writing it (its WAL changed)."""
    wal = Path(f"{settings.build_path}.wal")
    try:
        return wal.stat().st_mtime >= started
    except FileNotFoundError:
        return False


# Where a kill is aimed: a line the refresh prints or a condition on its files, then a random wait of
# up to so many seconds.
STAGES = {
    "starting": ("cloudmart: refreshing from", 2.0),
    "load": (build_written, 0.3),
    "transform": ("built staging.stg_figures", 0.8),
    "validate": ("check market_shares_are_valid", 0.8),
    "publish": ("built marts.derived_figures", 0.4),
    # printed once the refresh is logged as published, before its new file is complete and renamed
    "publish (logged, not yet renamed)": ("publishing", 0.03),
}
RUNS = {"quick": 12, "full": 24}  # kills, spread evenly over STAGES; `pytest --full-soak` runs the full count
# Aimed at by a test of its own, not by the loop over STAGES: the new file is in place, the report not drawn.
AFTER_RENAME = {"published, report not drawn": ("tables to /", 0.0)}
FACTS = ("fct_market_share", "fct_market_size", "fct_operating_metrics", "fct_provider_financials")


def use_version(settings: Settings, version: str) -> None:
    other = "B" if version == "A" else "A"
    text = (settings.sources_dir / MOBILE).read_text(encoding="utf-8")
    if VERSIONS[other] in text:
        edit_source(settings, MOBILE, VERSIONS[other], VERSIONS[version])


def start_refresh(settings: Settings, *args: str) -> tuple[subprocess.Popen, queue.Queue]:
    env = installation_env(settings)
    process = subprocess.Popen([str(VENV_BIN / "cloudmart"), "refresh", *args], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return process, lines


def kill_at(settings: Settings, process: subprocess.Popen, lines: queue.Queue, stage: str, rng: random.Random
            ) -> tuple[bool, str]:
    """Kill the refresh with SIGKILL at `stage`; return whether it was killed (not finished first) and its output."""
    marker, most = (STAGES | AFTER_RENAME)[stage]
    seen, deadline, started = [], time.monotonic() + 300, time.time()  # the process is still importing
    while time.monotonic() < deadline:
        if callable(marker):
            if marker(settings, started):
                break
            time.sleep(0.002)
        else:
            line = lines.get(timeout=300)
            if line is None:
                break
            seen.append(line)
            if marker in line:
                break
        if process.poll() is not None:
            break
    time.sleep(rng.uniform(0, most))
    killed = process.poll() is None
    if killed:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    while (line := lines.get(timeout=60)) is not None:
        seen.append(line)
    output = "".join(seen)
    assert killed or process.returncode == 0, output  # a refresh that ended by itself must have succeeded
    return killed, output


def figure_changes_of(con: duckdb.DuckDBPyConnection, refresh_id: str) -> int:
    return con.execute("SELECT count(*) FROM meta.figure_changes WHERE refresh_id = ?", [refresh_id]).fetchone()[0]


def assert_consistent(settings: Settings) -> None:
    """The published warehouse opens, every fact was written by a refresh that published (the last one wrote
    the changed source's rows; the other sources' rows are kept from earlier ones, transforms/incremental.py),
    the last refresh's blocking checks all passed, and every figure change it records is of a refresh that
    published."""
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        facts = " UNION ALL ".join(f"SELECT refresh_id FROM core.{fact}" for fact in FACTS)
        ids = con.execute(f"SELECT list(DISTINCT refresh_id) FROM ({facts})").fetchone()[0]
        latest, published = con.execute("SELECT max_by(refresh_id, finished_at), list(refresh_id) FROM meta.refresh_log "
                                        "WHERE outcome = 'published'").fetchone()
        checks, failed = con.execute("SELECT count(*), count(*) FILTER (WHERE NOT success) FROM meta.check_results "
                                     "WHERE refresh_id = ? AND severity = 'critical'", [latest]).fetchone()
        unpublished_changes = con.execute(
            "SELECT DISTINCT refresh_id FROM (FROM meta.figure_changes SELECT refresh_id UNION ALL "
            "FROM meta.answer_changes SELECT refresh_id) WHERE refresh_id NOT IN "
            "(SELECT refresh_id FROM meta.refresh_log WHERE outcome = 'published')").fetchall()
    finally:
        con.close()
    assert latest in ids and set(ids) <= set(published)
    assert checks > 0 and failed == 0
    assert unpublished_changes == []


def test_refreshes_killed_at_every_stage_leave_the_old_or_the_new_warehouse(settings: Settings, full_soak: bool):
    rng = random.Random(7)
    content = {}
    for version in "BA":  # ends with A published: the loop starts by refreshing to B
        use_version(settings, version)
        refresh_ok(settings)
        content[version] = published_content(settings.warehouse_path)
    assert content["A"] != content["B"]
    runs = RUNS["full" if full_soak else "quick"]
    stages = list(STAGES) * (runs // len(STAGES))
    tally = {stage: [0, 0] for stage in STAGES}  # stage: [killed, finished before the kill]
    published, outcomes, leftovers = "A", {"old": 0, "new": 0}, set()
    for run, stage in enumerate(stages):
        target = "B" if published == "A" else "A"  # always a change: the refresh rebuilds that source's rows
        use_version(settings, target)
        process, lines = start_refresh(settings, *(["--force"] if run % 3 == 2 else []))  # and every table whole
        killed, output = kill_at(settings, process, lines, stage, rng)
        tally[stage][0 if killed else 1] += 1
        now = published_content(settings.warehouse_path)
        assert now in (content[published], content[target]), f"run {run} ({stage}): a mix of versions\n{output}"
        outcomes["old" if now == content[published] else "new"] += 1
        published = published if now == content[published] else target
        assert_consistent(settings)
        leftovers |= set(settings.data_dir.glob(".warehouse.duckdb.*.tmp"))
    use_version(settings, "B")
    refresh_ok(settings)  # the next refresh after all that: no cleanup by hand
    assert published_content(settings.warehouse_path) == content["B"]
    assert_consistent(settings)
    assert not list(settings.data_dir.glob(".warehouse.duckdb.*.tmp*"))
    assert_no_run_left_in_progress(settings)
    print(f"\n{len(stages)} refreshes killed with SIGKILL; by stage (killed, finished first): {tally}; "
          f"afterwards the published warehouse was the old version {outcomes['old']} times, the new one "
          f"{outcomes['new']} times, never a mix; {len(leftovers)} half-written files left behind, all removed")
    assert sum(killed for killed, _ in tally.values()) >= runs - 2


def assert_no_run_left_in_progress(settings: Settings) -> None:
    """Every killed refresh is logged as abandoned and its Dagster run as failed, so the daemon's run
    queue (one refresh at a time) is not blocked by a run that will never finish."""
    with duckdb.connect(str(settings.build_path), read_only=True) as con:
        outcomes = dict(con.execute("SELECT outcome, count(*) FROM meta.refresh_log GROUP BY ALL").fetchall())
    assert "running" not in outcomes and outcomes.get("abandoned", 0) > 0, outcomes
    prepare_dagster_home(settings)
    instance = dg.DagsterInstance.get()
    stuck = instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED,
                                                              dg.DagsterRunStatus.STARTING]))
    assert stuck == []


def test_a_refresh_killed_while_publishing_is_done_again_by_the_next(published: Settings):
    """Killed after logging its publish but before the new file is in place, a refresh is not taken
    for published: the next `cloudmart refresh` (without --force) publishes the new sources."""
    before = published_content(published.warehouse_path)
    use_version(published, "B")
    process, lines = start_refresh(published)
    killed, output = kill_at(published, process, lines, "publish (logged, not yet renamed)", random.Random(1))
    assert killed, output
    assert published_content(published.warehouse_path) == before
    with duckdb.connect(str(published.build_path), read_only=True) as con:  # killed where this test aims
        killed_id, outcome = con.execute("SELECT refresh_id, outcome FROM meta.refresh_log "
                                         "ORDER BY started_at DESC LIMIT 1").fetchone()
        assert outcome == "published"
        assert figure_changes_of(con, killed_id) > 0  # logged before the rename it did not live to do
    process, lines = start_refresh(published)
    process.wait(timeout=300)
    output = "".join(iter(lambda: lines.get(timeout=60), None))
    assert process.returncode == 0 and "Published" in output, output
    assert published_content(published.warehouse_path) != before
    assert_consistent(published)
    for path in (published.build_path, published.warehouse_path):  # the killed refresh's changes are gone
        with duckdb.connect(str(path), read_only=True) as con:
            assert figure_changes_of(con, killed_id) == 0, path


def test_a_refresh_killed_after_its_rename_has_published_and_the_next_draws_its_report(published: Settings):
    """Killed once its file is renamed into place, before the report: the refresh has published (its
    log says so, the file holds it), and the next `cloudmart refresh` draws the report from it alone."""
    use_version(published, "B")
    process, lines = start_refresh(published)
    killed, output = kill_at(published, process, lines, "published, report not drawn", random.Random(1))
    assert killed, output
    assert_consistent(published)
    with duckdb.connect(str(published.warehouse_path), read_only=True) as con:
        new = con.execute("SELECT max_by(refresh_id, finished_at) FROM meta.refresh_log "
                          "WHERE outcome = 'published'").fetchone()[0]
    assert drawn_from(published.report_path) != new
    process, lines = start_refresh(published)
    process.wait(timeout=300)
    output = "".join(iter(lambda: lines.get(timeout=60), None))
    assert process.returncode == 0 and f"unchanged since refresh {new}" in output, output
    assert f"Report: {published.report_path}" in output and drawn_from(published.report_path) == new
    with duckdb.connect(str(published.build_path), read_only=True) as con:
        assert con.execute("SELECT outcome FROM meta.refresh_log WHERE refresh_id = ?", [new]).fetchone() == (
            "published",)
