"""Running unattended: the real daemon refreshes on a new source file, triggers queue instead of
overlapping, every refresh is logged, failures notify, and `cloudmart status` tells the story."""

from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from foundation.settings import PROJECT_ROOT, Settings
from tests.support import VENV_BIN, cloudmart, edit_source, installation_env, stop_process_group, wait_for

NEW_SOURCE = ('# title: "A newly arrived source"\n# published: 2025-09-01\n'
              "entity,metric,market,period,value,magnitude,unit,qualifier,citation,note\n"
              "Huawei Cloud,market_share,China public cloud IaaS,2024-H1,13.1,,pct,exact,,\n")


def published(settings: Settings, sql: str) -> list[tuple]:
    """Query the published warehouse (a fresh read-only connection each time: the file is replaced)."""
    if not settings.warehouse_path.exists():
        return []
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def settled_write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    past = time.time() - 60
    os.utime(path, (past, past))


def test_daemon_refreshes_on_a_new_source_and_queues_concurrent_triggers(settings: Settings):
    log = settings.data_dir.parent / "daemon.log"
    settings.data_dir.mkdir(parents=True)
    with log.open("w") as out:
        daemon = subprocess.Popen([str(VENV_BIN / "cloudmart"), "serve", "--headless"], stdout=out,
                                  stderr=subprocess.STDOUT, env=installation_env(settings, CLOUDMART_SENSOR_INTERVAL="5"),
                                  start_new_session=True)
    try:
        wait_for(lambda: "sources_changed skipped: watching" in log.read_text(), 90, "the sensor's first look")
        started = time.monotonic()
        settled_write(settings.sources_dir / "new-arrival.csv", NEW_SOURCE)
        wait_for(lambda: published(settings, "SELECT share_pct FROM marts.market_share "
                                             "WHERE provider_name = 'Huawei Cloud'") == [(13.1,)], 240,
                 "the new figure in the published warehouse")
        print(f"new source published {time.monotonic() - started:.1f} s after it arrived")
        assert published(settings, "SELECT trigger, outcome FROM meta.refresh_log") == [("sensor", "published")]

        for _ in range(2):  # two manual triggers at once: they queue behind each other
            launched = subprocess.run([str(VENV_BIN / "dagster"), "job", "launch", "-j", "refresh"],
                                      cwd=PROJECT_ROOT, env=installation_env(settings, DAGSTER_HOME=str(settings.dagster_home)),
                                      capture_output=True, text=True, timeout=120)
            assert launched.returncode == 0, launched.stderr
        runs = wait_for(lambda: (r := published(settings, "SELECT started_at, finished_at FROM meta.refresh_log "
                                                          "WHERE outcome = 'published' ORDER BY started_at"))
                        and len(r) == 3 and r, 300, "both queued refreshes to publish")
        for earlier, later in zip(runs, runs[1:]):
            assert earlier[1] <= later[0], "two refreshes wrote the warehouse at the same time"
    finally:
        stop_process_group(daemon)


def test_a_refresh_waits_while_another_process_holds_the_warehouse(published: Settings):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(300)"),
        str(published.build_path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    refresh = subprocess.Popen([str(VENV_BIN / "cloudmart"), "refresh", "--force"], env=installation_env(published),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in refresh.stdout:  # the refresh says it is waiting; then the other writer goes away
            if "build.duckdb is locked by another refresh; retrying" in line:
                break
        else:
            raise AssertionError("the refresh never waited for the lock")
    finally:
        holder.kill()
    rest = refresh.communicate(timeout=300)[0]
    assert refresh.returncode == 0, rest
    assert "Published" in rest


SHARE_PROBLEM = {"check": "figure_rows_are_valid", "file": "mobile-cloud-counterattack-2025.csv", "field": "value",
                 "value": "109.1"}


class Hook(http.server.BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        Hook.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Hook.received = []
    yield f"http://127.0.0.1:{server.server_address[1]}/hook?token=SECRET-TOKEN"
    server.shutdown()


def test_a_failed_refresh_notifies_the_webhook_and_status_says_so(published: Settings, webhook: str):
    edit_source(published, "mobile-cloud-counterattack-2025.csv", "2024-H1,9.1,", "2024-H1,109.1,")
    done = cloudmart(published, "refresh", env={"CLOUDMART_WEBHOOK_URL": webhook})
    assert done.returncode == 1
    assert "SECRET-TOKEN" not in done.stdout + done.stderr
    assert "refresh" in done.stderr and "failed" in done.stderr      # the log line, always
    assert [m["event"] for m in Hook.received] == ["refresh_failed"]
    [problem] = Hook.received[0]["problems"]
    assert Hook.received[0]["problem_count"] == 1
    assert SHARE_PROBLEM.items() <= problem.items() and problem["expected"]
    assert problem["text"] in Hook.received[0]["message"]
    status = cloudmart(published, "status")
    assert status.returncode == 1
    assert "Last refresh:   failed (manual)" in status.stdout
    assert "critical figure_rows_are_valid / figure_rows_are_valid: 1 problem(s)" in status.stdout
    assert f"  {problem['text']}" in status.stdout.splitlines()
    assert "mobile-cloud-counterattack-2025.csv, line " in problem["text"] and "'109.1'" in problem["text"]
    assert "Published data: refreshed" in status.stdout and "Next scheduled:" in status.stdout
    with duckdb.connect(str(published.build_path), read_only=True) as con:
        log = con.execute("SELECT outcome, checks_failed > 0 FROM meta.refresh_log ORDER BY started_at").fetchall()
    assert log == [("published", False), ("failed", True)]


def test_a_revert_to_the_published_bytes_is_published_and_current(published: Settings):
    path = published.sources_dir / "mobile-cloud-counterattack-2025.csv"
    good = path.read_bytes()
    edit_source(published, path.name, "2024-H1,9.1,", "2024-H1,109.1,")
    assert cloudmart(published, "refresh").returncode == 1
    status = cloudmart(published, "status")
    assert status.returncode == 1 and "State:          failed" in status.stdout
    path.write_bytes(good)
    again = cloudmart(published, "refresh")
    assert again.returncode == 0 and "up to date" in again.stdout
    status = cloudmart(published, "status")
    assert status.returncode == 0, status.stdout
    assert "State:          published, current" in status.stdout


def start_serve(settings: Settings, log: Path, **extra: str) -> subprocess.Popen:
    """`cloudmart serve --headless` in its own process group, its output appended to `log`; returns once
    the sources sensor has had its first look."""
    looked = "Sensor sources_changed skipped"
    mark = log.read_text().count(looked) if log.exists() else 0
    with log.open("a") as out:
        daemon = subprocess.Popen([str(VENV_BIN / "cloudmart"), "serve", "--headless"], stdout=out,
                                  stderr=subprocess.STDOUT, env=installation_env(settings, **extra), start_new_session=True)
    wait_for(lambda: log.read_text().count(looked) > mark, 120, "the sensor's first look")
    return daemon


def dagster_runs(settings: Settings) -> list:
    """Every Dagster run of the data directory's instance, newest first."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(settings.dagster_home)) as instance:
        return list(instance.get_runs())


def test_under_serve_a_failure_is_detailed_everywhere_and_a_revert_publishes_again(published: Settings,
                                                                                    webhook: str):
    log = published.data_dir.parent / "daemon.log"
    path = published.sources_dir / "mobile-cloud-counterattack-2025.csv"
    good = path.read_text(encoding="utf-8")
    daemon = start_serve(published, log, CLOUDMART_WEBHOOK_URL=webhook)
    try:
        settled_write(path, good.replace("2024-H1,9.1,", "2024-H1,109.1,"))
        wait_for(lambda: Hook.received, 240, "the failure webhook")
        [failure] = Hook.received
        assert failure["event"] == "refresh_failed" and failure["problem_count"] == 1
        [problem] = failure["problems"]
        assert SHARE_PROBLEM.items() <= problem.items() and problem["line"] and problem["expected"]
        wait_for(lambda: problem["text"] in log.read_text(), 30, "the problem in the daemon's log")
        assert "SECRET-TOKEN" not in log.read_text()
        status = cloudmart(published, "status")
        assert status.returncode == 1 and f"  {problem['text']}" in status.stdout.splitlines()

        settled_write(path, good)   # the exact bytes that were published: the sensor refreshes again
        wait_for(lambda: published_by_sensor(published) == 1, 240, "the reverted sources to publish")
        status = cloudmart(published, "status")
        assert status.returncode == 0, status.stdout
        assert "State:          published, current" in status.stdout
    finally:
        stop_process_group(daemon)


def run_worker_pid(settings: Settings) -> int:
    """The process id of the run in progress, as Dagster's run worker reported it."""
    import dagster as dg

    from orchestration.recovery import worker_pid

    with dg.DagsterInstance.from_config(str(settings.dagster_home)) as instance:
        [run] = instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
        return worker_pid(instance, run)


def parent_command(pid: int) -> str:
    """The command line of the parent of process `pid`."""
    parent = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
    return Path(f"/proc/{parent}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def published_by_sensor(settings: Settings) -> int:
    return published(settings, "SELECT count(*) FROM meta.refresh_log WHERE trigger = 'sensor' "
                               "AND outcome = 'published'")[0][0] if settings.warehouse_path.exists() else 0


def test_a_killed_serve_recovers_by_itself_after_a_restart(published: Settings, webhook: str):
    """kill -9 of `cloudmart serve` and its run mid-refresh; after a restart, Dagster's run monitoring fails
    the dead run, the failure sensor logs it abandoned and deletes its file, and the queue moves on."""
    log = published.data_dir.parent / "daemon.log"
    daemon = start_serve(published, log, CLOUDMART_WEBHOOK_URL=webhook)
    next_versions = lambda: list(published.data_dir.glob(".warehouse.duckdb.*.tmp*"))  # noqa: E731
    try:
        settled_write(published.sources_dir / "new-arrival.csv", NEW_SOURCE)
        wait_for(next_versions, 240, "a refresh to start writing its next version")
        worker_parent = parent_command(run_worker_pid(published))
    finally:
        os.killpg(daemon.pid, signal.SIGKILL)
        daemon.wait(timeout=60)
    # the run worker is a fork of the process that preloaded the libraries (orchestration.run_launcher),
    # not a new process importing them again
    assert "forkserver" in worker_parent, worker_parent
    [dead] = [run for run in dagster_runs(published) if run.status.value == "STARTED"]
    time.sleep(5)
    assert next_versions() and dagster_runs(published)[0].status.value == "STARTED"   # nobody else will end it

    restarted = time.monotonic()
    daemon = start_serve(published, log, CLOUDMART_WEBHOOK_URL=webhook)
    try:
        wait_for(lambda: dagster_runs(published)[0].status.value == "FAILURE", 180, "the dead run to be failed")
        failed_after = time.monotonic() - restarted
        wait_for(lambda: not next_versions(), 60, "the dead refresh's next version to be deleted")
        with duckdb.connect(str(published.build_path), read_only=True) as con:
            outcome = con.execute("SELECT outcome FROM meta.refresh_log WHERE refresh_id = ?", [dead.run_id]).fetchall()
        assert outcome == [("abandoned",)]
        cleaned_after = time.monotonic() - restarted
        wait_for(lambda: [m for m in Hook.received if m["refresh_id"] == dead.run_id], 60, "the failure webhook")
        print(f"after the restart: the dead run failed in {failed_after:.1f} s, closed in {cleaned_after:.1f} s")

        settled_write(published.sources_dir / "later-arrival.csv", NEW_SOURCE.replace("13.1", "13.2"))
        wait_for(lambda: published_by_sensor(published) == 1, 240, "a later refresh to publish (the queue moved on)")
    finally:
        stop_process_group(daemon)


def test_terminating_a_running_refresh_cancels_it_and_publishes_nothing(published: Settings):
    """Terminate from the UI (the launcher's `terminate`: an interrupt to the run's forked worker): the run
    ends CANCELED, the published warehouse is untouched, its next version is deleted and the refresh is
    logged failed."""
    import dagster as dg

    log = published.data_dir.parent / "daemon.log"
    before = published.warehouse_path.read_bytes()
    next_versions = lambda: list(published.data_dir.glob(".warehouse.duckdb.*.tmp*"))  # noqa: E731
    daemon = start_serve(published, log)
    try:
        settled_write(published.sources_dir / "new-arrival.csv", NEW_SOURCE)
        wait_for(next_versions, 240, "a refresh to start writing its next version")
        with dg.DagsterInstance.from_config(str(published.dagster_home)) as instance:
            [run] = instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
            assert instance.run_launcher.terminate(run.run_id)
        wait_for(lambda: dagster_runs(published)[0].status.value == "CANCELED", 120, "the run to be canceled")
        wait_for(lambda: not next_versions(), 60, "the canceled refresh's next version to be deleted")
    finally:
        stop_process_group(daemon)
    assert published.warehouse_path.read_bytes() == before
    with duckdb.connect(str(published.build_path), read_only=True) as con:
        outcome = con.execute("SELECT outcome FROM meta.refresh_log WHERE refresh_id = ?", [run.run_id]).fetchall()
    assert outcome == [("failed",)], outcome
