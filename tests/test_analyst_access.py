"""Analysts and BI tools read the published snapshot: any time, read-only, never half a refresh."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cloudmart.refresh import run_refresh
from cloudmart.settings import Settings
from tests.support import edit_source

VENV_BIN = Path(sys.executable).parent


def cloudmart(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    env = {"CLOUDMART_DATA_DIR": str(settings.data_dir), "CLOUDMART_SOURCES_DIR": str(settings.sources_dir),
           "PATH": str(VENV_BIN)}
    return subprocess.run([str(VENV_BIN / "cloudmart"), *args], env=env, capture_output=True, text=True, timeout=300)


def test_sql_binds_parameters_and_prints_csv_and_json(refreshed: Settings):
    csv_out = cloudmart(refreshed, "sql", "SELECT provider_name, share_pct FROM marts.market_share "
                        "WHERE period_label = ? AND NOT is_group ORDER BY share_pct DESC", "--param", "2025-Q2",
                        "--format", "csv")
    assert csv_out.stdout.splitlines()[:3] == ["provider_name,share_pct", "Amazon Web Services,30.0",
                                               "Microsoft Azure,20.0"]
    injected = cloudmart(refreshed, "sql", "SELECT count(*) AS n FROM marts.figures WHERE entity_name = ?",
                         "--param", "x' OR '1'='1", "--format", "json")
    assert json.loads(injected.stdout) == [{"n": 0}]


def test_sql_reads_a_query_file_and_lists_the_marts_for_a_typo(refreshed: Settings, tmp_path: Path):
    query = tmp_path / "q.sql"
    query.write_text("SELECT count(*) AS figures FROM marts.figures", encoding="utf-8")
    assert "39" in cloudmart(refreshed, "sql", "--file", str(query)).stdout
    typo = cloudmart(refreshed, "sql", "SELECT * FROM marts.figure")
    assert typo.returncode == 1 and "Tables analysts query:" in typo.stderr and "marts.figures" in typo.stderr


@pytest.mark.parametrize("output_format", ["parquet", "csv"])
def test_export_writes_every_mart_and_on_request_the_star_schema(refreshed: Settings, tmp_path: Path,
                                                                 output_format: str):
    done = cloudmart(refreshed, "export", str(tmp_path / "out"), "--format", output_format, "--star-schema")
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert done.returncode == 0 and f"marts.figures.{output_format}" in files
    assert f"core.fct_market_share.{output_format}" in files and len(files) == 19
    count = cloudmart(refreshed, "sql", f"SELECT count(*) FROM '{tmp_path / 'out' / f'marts.figures.{output_format}'}'")
    assert "39" in count.stdout


READER = textwrap.dedent("""
    import duckdb, json, sys, time
    path, stop_file = sys.argv[1], sys.argv[2]
    seen, errors, mixed = set(), [], 0
    queries = 0
    import os
    while not os.path.exists(stop_file):
        try:
            con = duckdb.connect(path, read_only=True)
            facts, latest = con.execute(
                "SELECT (SELECT list(DISTINCT refresh_id) FROM core.fct_market_share), "
                "(SELECT max_by(refresh_id, finished_at) FROM meta.refresh_log WHERE outcome = 'published')"
            ).fetchone()
            con.close()
            queries += 1
            if facts != [latest]:
                mixed += 1
            seen.add(latest)
        except Exception as error:
            errors.append(repr(error))
        time.sleep(0.05)
    print(json.dumps({"queries": queries, "versions": len(seen), "mixed": mixed, "errors": errors[:5]}))
""")


def test_a_reader_never_fails_nor_sees_a_mix_while_refreshes_publish(published: Settings, tmp_path: Path):
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(published.warehouse_path), str(stop)],
                              stdout=subprocess.PIPE, text=True)
    refreshes = 10
    try:
        for number in range(refreshes):
            edit_source(published, "mobile-cloud-counterattack-2025.csv", f"edge_nodes,,unspecified,{6 + number},",
                        f"edge_nodes,,unspecified,{7 + number},")
            assert run_refresh(published).success
    finally:
        stop.touch()
    report = json.loads(reader.communicate(timeout=60)[0])
    print(report)
    assert report["errors"] == [] and report["mixed"] == 0
    assert report["queries"] > 50 and report["versions"] >= refreshes


def test_the_published_file_opens_in_duckdb_1_4(refreshed: Settings, tmp_path: Path):
    venv = tmp_path / "duckdb14"
    made = subprocess.run([str(VENV_BIN / "uv"), "venv", "-q", str(venv)], capture_output=True, text=True)
    installed = made.returncode == 0 and subprocess.run(
        [str(VENV_BIN / "uv"), "pip", "install", "-q", "--python", str(venv / "bin" / "python"), "duckdb==1.4.4"],
        capture_output=True, text=True, timeout=300).returncode == 0
    if not installed:
        pytest.skip("duckdb 1.4 could not be installed here (no package index)")
    read = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
                           "print(duckdb.__version__, con.execute('SELECT count(*) FROM marts.figures').fetchone()[0])",
                           str(refreshed.warehouse_path)], capture_output=True, text=True, timeout=120)
    assert read.returncode == 0, read.stderr
    assert read.stdout.split() == ["1.4.4", "39"]
