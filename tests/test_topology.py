"""Beyond one machine (issue 19): Dagster's instance in a real PostgreSQL, the code server, the webserver and
the daemon as separate processes (`cloudmart service ...`), a sensor-triggered refresh that publishes, its
history read back from PostgreSQL, and a `cloudmart refresh` from another process that queues behind it
instead of running beside it. `pytest -m topology` runs these alone."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

from foundation.settings import Settings
from tests.pg_fixture import Database, free_port
from tests.support import VENV_BIN, cloudmart, installation_env, stop_process_group, wait_for
from tests.test_unattended import NEW_SOURCE, published, settled_write

pytestmark = pytest.mark.topology


def dagster_url(database: Database) -> str:
    """The postgresql:// URL of `database`, as CLOUDMART_DAGSTER_PG_DSN takes it."""
    return (f"postgresql://{quote(database.user, safe='')}:{quote(database.password, safe='')}"
            f"@{database.host}:{database.port}/{database.name}")


def start_service(settings: Settings, log: Path, *args: str, **extra: str) -> subprocess.Popen:
    """`cloudmart service ...` in its own process group, its output in `log`."""
    with log.open("w") as out:
        return subprocess.Popen([str(VENV_BIN / "cloudmart"), "service", *args], stdout=out, stderr=subprocess.STDOUT,
                                env=installation_env(settings, **extra), start_new_session=True)


def start_refresh(settings: Settings, **extra: str) -> subprocess.Popen:
    """`cloudmart refresh --force` in a process of its own, its output read through pipes."""
    return subprocess.Popen([str(VENV_BIN / "cloudmart"), "refresh", "--force"], env=installation_env(settings, **extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def runs_in_postgres(database: Database) -> dict[str, dict]:
    """Dagster's runs as its run storage holds them in PostgreSQL: run id -> status, tags, when it was created
    (queued), started and ended (epoch seconds; Dagster stores the first as a local time of the server's zone)."""
    with psycopg.connect(database.dsn) as con:
        rows = con.execute("SELECT run_id, status, run_body, start_time, end_time, extract(epoch FROM "
                           "create_timestamp AT TIME ZONE current_setting('TimeZone')) FROM runs").fetchall()
    return {run_id: {"status": status, "tags": json.loads(body)["tags"], "created": float(created), "start": start,
                     "end": end} for run_id, status, body, start, end, created in rows}


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", json.dumps({"query": query}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


def test_separate_services_on_postgres_publish_a_dropped_file_and_queue_a_cli_refresh(settings: Settings,
                                                                                      database: Database):
    env = {"CLOUDMART_DAGSTER_PG_DSN": dagster_url(database), "CLOUDMART_SENSOR_INTERVAL": "5"}
    settings.data_dir.mkdir(parents=True)
    logs = settings.data_dir.parent
    code_port, web_port = free_port(), free_port()
    code_at = f"127.0.0.1:{code_port}"
    services = [start_service(settings, logs / "code-server.log", "code-server", "--port", str(code_port), **env)]
    try:
        wait_for(lambda: "Started Dagster code server" in (logs / "code-server.log").read_text(), 120,
                 "the code server")
        services.append(start_service(settings, logs / "daemon.log", "daemon", "--code-server", code_at, **env))
        services.append(start_service(settings, logs / "webserver.log", "webserver", "--port", str(web_port),
                                      "--code-server", code_at, **env))
        wait_for(lambda: "sources_changed skipped: watching" in (logs / "daemon.log").read_text(), 120,
                 "the sensor's first look")
        second = cloudmart(settings, "service", "daemon", "--code-server", code_at, env=env)
        assert second.returncode == 2 and "another Dagster daemon serves this instance" in second.stderr
        assert second.stderr.count("\n") == 1, second.stderr

        settled_write(settings.sources_dir / "new-arrival.csv", NEW_SOURCE)
        [sensor_run] = wait_for(lambda: list(runs_in_postgres(database)), 120, "the sensor's run in PostgreSQL")
        started = time.monotonic()
        refresh = start_refresh(settings, **env)  # another process, the same shared instance
        given_up = start_refresh(settings, **env)  # and one more, stopped with Ctrl-C while it waits in the queue
        assert any("queued as run" in line for line in given_up.stdout)  # read up to that line
        given_up.send_signal(signal.SIGINT)
        stopped = given_up.communicate(timeout=120)
        assert given_up.returncode == 130 and stopped[1].count("\n") == 1, stopped
        assert re.fullmatch(r"cloudmart: interrupted: run \S+ was canceled\n", stopped[1]), stopped[1]
        said = refresh.communicate(timeout=600)
        print(f"cloudmart refresh behind the sensor's run: {time.monotonic() - started:.1f} s")
        assert refresh.returncode == 0, said
        assert "queued as run" in said[0] and "Published" in said[0], said

        runs = runs_in_postgres(database)
        [canceled] = [run_id for run_id, run in runs.items() if run["status"] == "CANCELED"]
        [cli_run] = [run_id for run_id, run in runs.items()
                     if "cloudmart/launched_by_cli" in run["tags"] and run_id != canceled]
        assert runs[canceled]["start"] is None  # it never ran
        assert runs[sensor_run]["tags"].get("dagster/sensor_name") == "sources_changed"
        assert {runs[sensor_run]["status"], runs[cli_run]["status"]} == {"SUCCESS"}
        assert runs[cli_run]["created"] < runs[sensor_run]["end"], "the CLI's refresh came after, not during"
        assert runs[cli_run]["start"] >= runs[sensor_run]["end"], "the CLI's refresh ran beside the sensor's"
        print(f"the CLI's run waited {runs[cli_run]['start'] - runs[cli_run]['created']:.1f} s in the queue")
        with psycopg.connect(database.dsn) as con:  # the CLI's run waited in the queue of the shared instance
            assert con.execute("SELECT count(*) FROM event_logs WHERE run_id = %s AND dagster_event_type = %s",
                               [cli_run, "PIPELINE_ENQUEUED"]).fetchone()[0] == 1
            assert con.execute("SELECT count(*) FROM event_logs WHERE run_id = %s AND dagster_event_type = %s",
                               [sensor_run, "ASSET_MATERIALIZATION"]).fetchone()[0] > 5

        assert published(settings, "SELECT share_pct FROM marts.market_share "
                                   "WHERE provider_name = 'Huawei Cloud'") == [(13.1,)]
        log = published(settings, "SELECT refresh_id, started_at, finished_at FROM meta.refresh_log "
                                  "WHERE outcome = 'published' ORDER BY started_at")
        assert [row[0] for row in log] == [sensor_run, cli_run]
        assert log[0][2] <= log[1][1], "two refreshes wrote the warehouse at the same time"

        settings.report_path.unlink()  # the report is behind: a catch-up run of it alone, through the queue too
        caught_up = cloudmart(settings, "refresh", env=env)
        assert caught_up.returncode == 0, caught_up.stdout + caught_up.stderr
        assert "publishing it to what is behind it" in caught_up.stdout and "queued as run" in caught_up.stdout
        assert settings.report_path.exists()
        [catch_up_run] = set(runs_in_postgres(database)) - set(runs)

        seen = graphql(web_port, "{ runsOrError { ... on Runs { results { runId status } } } }")
        assert {(r["runId"], r["status"]) for r in seen["runsOrError"]["results"]} == {
            (sensor_run, "SUCCESS"), (cli_run, "SUCCESS"), (catch_up_run, "SUCCESS"), (canceled, "CANCELED")}
    finally:
        for service in reversed(services):
            stop_process_group(service)


def test_a_shared_instance_that_cannot_be_used_is_one_line(settings: Settings, database: Database):
    url = dagster_url(database)
    unreachable = url.replace(f":{database.port}/", f":{free_port()}/")
    for command in (["refresh"], ["status"], ["service", "daemon"]):
        done = cloudmart(settings, *command, env={"CLOUDMART_DAGSTER_PG_DSN": unreachable})
        assert done.returncode == 1 and done.stderr.count("\n") == 1, (command, done.stderr)
        assert "cannot reach Dagster's database" in done.stderr and database.password not in done.stderr
        assert "Traceback" not in done.stderr

    done = cloudmart(settings, "refresh", env={"CLOUDMART_DAGSTER_PG_DSN": url})  # no daemon serves the queue
    assert done.returncode == 1 and "no Dagster daemon serves the run queue" in done.stderr, done.stderr
    assert not settings.warehouse_path.exists()
    with psycopg.connect(database.dsn) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 0  # nothing was queued


def test_a_run_of_another_machine_is_never_judged_by_a_process_id_here():
    """A process id means something only on the machine of the run's process: the dead-run recovery (and the
    launcher's health check and termination, through worker_pid) leave another machine's runs alone."""
    import dagster as dg

    from foundation.run_tags import HOST_TAG, PROCESS_TAG
    from orchestration.recovery import runs_whose_process_died, this_host, worker_pid

    finished = subprocess.Popen(["true"])
    finished.wait()
    gone = str(finished.pid)  # a process that has ended
    job = dg.GraphDefinition("refresh", node_defs=[]).to_job()
    with dg.DagsterInstance.ephemeral() as instance:
        here = instance.create_run_for_job(job, status=dg.DagsterRunStatus.STARTED,
                                           tags={PROCESS_TAG: gone, HOST_TAG: this_host()})
        elsewhere = instance.create_run_for_job(job, status=dg.DagsterRunStatus.STARTED,
                                                tags={PROCESS_TAG: gone, HOST_TAG: "another-machine"})
        untagged = instance.create_run_for_job(job, status=dg.DagsterRunStatus.STARTED,  # e.g. a Kubernetes run pod
                                               tags={PROCESS_TAG: gone})
        assert worker_pid(instance, here) == int(gone) and worker_pid(instance, elsewhere) is None
        assert worker_pid(instance, untagged) is None
        assert runs_whose_process_died(instance) == {here.run_id}
