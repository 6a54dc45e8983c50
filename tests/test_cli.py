"""The `cloudmart` command as people run it: a real process, real files."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request

from foundation.settings import Settings
from tests.support import cloudmart, edit_source, installation_env, stop_process_group


def test_refresh_prints_a_summary_then_sql_answers(settings: Settings):
    done = cloudmart(settings, "refresh")
    assert done.returncode == 0, done.stderr
    assert f"Published {settings.warehouse_path}" in done.stdout
    assert "marts.figures" in done.stdout and "39 rows" in done.stdout
    assert "Checks: 22 of 22 passed, 0 with warnings" in done.stdout
    assert f"Data Docs: {settings.data_docs_dir / 'index.html'}" in done.stdout
    assert f"Report: {settings.report_path}" in done.stdout and settings.report_path.exists()
    answer = cloudmart(settings, "sql", "SELECT provider_name, share_pct FROM marts.market_share "
                                        "WHERE period_label = '2024-H1'")
    assert answer.returncode == 0, answer.stderr
    assert "Mobile Cloud" in answer.stdout and "9.1" in answer.stdout


def test_sql_explains_a_missing_warehouse(settings: Settings):
    """(That it refuses to write is in test_security.)"""
    missing = cloudmart(settings, "sql", "SELECT 1")
    assert missing.returncode == 2 and "run `cloudmart refresh` first" in missing.stderr


def test_failed_refresh_exits_non_zero_and_names_the_bad_field(settings: Settings):
    edit_source(settings, "alibaba-cloud-global-race.csv", ",2025-Q2,4,,pct,", ",2025-Q2,4%,,pct,")
    done = cloudmart(settings, "refresh")
    assert done.returncode == 1
    assert "Refresh FAILED: the published warehouse was not changed." in done.stdout
    assert "FAILED staging/stg_figures / figure_rows_are_valid: 1 problem(s)" in done.stdout
    assert "| alibaba-cloud-global-race.csv | 10 | value | 4% | a plain number" in done.stdout


def test_dev_serves_the_asset_graph_on_loopback(settings: Settings):
    port = free_port()
    env = installation_env(settings)
    server = subprocess.Popen([sys.executable, "-m", "cloudmart.cli", "serve", "-h", "127.0.0.1", "-p", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        nodes = graphql_when_up(port, "{ assetNodes { assetKey { path } } }", deadline=120)["assetNodes"]
    finally:
        stop_process_group(server)
    keys = {"/".join(node["assetKey"]["path"]) for node in nodes}
    assert {"raw/source_files", "marts/figures", "published_warehouse", "market_report"} <= keys and len(keys) == 36
    assert "telemetry:\n  enabled: false" in (settings.dagster_home / "dagster.yaml").read_text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def graphql_when_up(port: int, query: str, deadline: float) -> dict:
    """POST a GraphQL query to the webserver, retrying until it answers or `deadline` seconds pass."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    give_up = time.monotonic() + deadline
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())["data"]
        except (OSError, KeyError):
            if time.monotonic() > give_up:
                raise
            time.sleep(1)


def test_refresh_with_nothing_changed_does_nothing_unless_forced(published: Settings):
    done = cloudmart(published, "refresh")
    assert done.returncode == 0 and "up to date: sources and code unchanged since refresh" in done.stdout
    assert "Published" not in done.stdout
    forced = cloudmart(published, "refresh", "--force")
    assert forced.returncode == 0 and f"Published {published.warehouse_path}" in forced.stdout
    edit_source(published, "alibaba-cloud-global-race.csv", "Model Studio", "Model Studio platform")
    changed = cloudmart(published, "refresh")
    assert f"Published {published.warehouse_path}" in changed.stdout
