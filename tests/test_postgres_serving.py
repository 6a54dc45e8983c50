"""Serving the warehouse from PostgreSQL: a full refresh publishing to a real cluster, and `cloudmart pg`."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import dagster as dg
import duckdb
import psycopg
import pytest
from psycopg import errors

from cloudmart.refresh import run_refresh
from foundation.settings import Settings
from orchestration.definitions import build_definitions
from tests.pg_fixture import Database, free_port
from tests.support import edit_source, file_digest
from warehouse import pg_cluster

SERVING = dg.AssetKey(["postgres_serving"])


def duckdb_comments(path: Path, schema: str, table: str) -> tuple[str | None, dict[str, str | None]]:
    """A published DuckDB table's comment and its columns' comments."""
    with duckdb.connect(str(path), read_only=True) as con:
        comment = con.execute("SELECT comment FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
                              [schema, table]).fetchone()[0]
        columns = dict(con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = ? "
                                   "AND table_name = ?", [schema, table]).fetchall())
    return comment, columns


def pg_comments(con: psycopg.Connection, schema: str, table: str) -> tuple[str | None, dict[str, str | None]]:
    """A PostgreSQL table's comment and its columns' comments."""
    relation = f"{schema}.{table}"
    comment = con.execute("SELECT obj_description(%s::regclass, 'pg_class')", [relation]).fetchone()[0]
    columns = dict(con.execute("SELECT attname, col_description(attrelid, attnum) FROM pg_attribute "
                               "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped", [relation]))
    return comment, columns


def test_refresh_publishes_the_marts_to_postgres_without_showing_the_password(
        settings: Settings, database: Database) -> None:
    settings = replace(settings, pg_dsn=database.dsn)
    outcome = run_refresh(settings)
    assert outcome.success, outcome.errors
    assert outcome.tables["marts.figures"] == 39
    with psycopg.connect(database.dsn) as con:
        assert con.execute("SELECT count(*) FROM marts.figures").fetchone()[0] == 39
        assert con.execute("SELECT count(*) FROM marts.market_share").fetchone()[0] == \
            outcome.tables["marts.market_share"] > 0
        assert con.execute("SELECT share_pct FROM marts.market_share WHERE provider_name = 'Mobile Cloud' "
                           "AND period_label = '2024-H1'").fetchone()[0] == 9.1
        for table in ("figures", "market_share"):
            comment, columns = pg_comments(con, "marts", table)
            assert comment and (comment, columns) == duckdb_comments(settings.warehouse_path, "marts", table)
            assert sum(text is not None for text in columns.values()) >= 5, columns

    instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    event = instance.get_latest_materialization_event(SERVING)
    assert event is not None and event.run_id == outcome.run_id
    metadata = event.asset_materialization.metadata
    assert metadata["tables"].data["marts.figures"] == 39
    assert metadata["tables"].data["marts.market_share"] == outcome.tables["marts.market_share"]
    assert metadata["dagster/row_count"].value == sum(metadata["tables"].data.values())
    assert metadata["dsn"].value == database.dsn.replace(f"password={database.password}", "password=***")
    stored = [dg.serialize_value(record) for record in instance.all_logs(outcome.run_id)]
    stored.append(dg.serialize_value(instance.get_run_by_id(outcome.run_id)))
    assert not [text for text in stored if database.password in text]


def test_serving_asset_exists_only_with_a_dsn(settings: Settings) -> None:
    assert settings.pg_dsn is None
    without = build_definitions(settings).resolve_all_asset_keys()
    assert SERVING not in without
    with_dsn = build_definitions(replace(settings, pg_dsn="postgresql://writer:s3cret@db.example/cloudmart"))
    assert set(with_dsn.resolve_all_asset_keys()) == {*without, SERVING}
    node = with_dsn.resolve_asset_graph().get(SERVING)
    assert node.parent_keys == {dg.AssetKey(["published_warehouse"])}
    assert node.group_name == "publish" and node.description
    assert "s3cret" not in repr(replace(settings, pg_dsn="postgresql://writer:s3cret@db.example/cloudmart"))


def test_settings_read_the_dsn_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOUDMART_PG_DSN", raising=False)
    assert Settings.from_env().pg_dsn is None
    monkeypatch.setenv("CLOUDMART_PG_DSN", "postgresql://writer:pw@127.0.0.1:5433/cloudmart")
    assert Settings.from_env().pg_dsn == "postgresql://writer:pw@127.0.0.1:5433/cloudmart"


def cloudmart(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cloudmart.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300)


def require_postgres() -> None:
    try:
        pg_cluster.find_binary("pg_ctl")
    except pg_cluster.ClusterError as error:
        pytest.skip(f"PostgreSQL server binaries are not installed: {error}")


def test_pg_init_creates_a_server_the_printed_credentials_work_on(settings: Settings) -> None:
    require_postgres()
    home = Path(tempfile.mkdtemp(prefix="cloudmart-pginit-"))
    home.chmod(0o755)  # when root, the server runs as the postgres OS user, which must reach the data directory
    env = {name: value for name, value in os.environ.items()
           if name not in ("CLOUDMART_PG_DSN", "CLOUDMART_PG_READER_PASSWORD")}
    env |= {"CLOUDMART_DATA_DIR": str(home / "data"), "CLOUDMART_SOURCES_DIR": str(settings.sources_dir)}
    port = free_port()
    try:
        init = cloudmart(env, "pg", "init", "--port", str(port))
        assert init.returncode == 0, init.stderr
        assert (home / "data" / "postgres" / "data" / "PG_VERSION").exists()
        writer_dsn = shlex.split(re.search(r"^\s*export CLOUDMART_PG_DSN=(.+)$", init.stdout, re.M)[1])[0]
        assert writer_dsn.startswith("postgresql://cloudmart_writer:") and writer_dsn.endswith(
            f"@127.0.0.1:{port}/cloudmart")
        dagster_dsn = shlex.split(re.search(r"^\s*export CLOUDMART_DAGSTER_PG_DSN=(.+)$", init.stdout, re.M)[1])[0]
        with psycopg.connect(dagster_dsn) as dagster_db:  # Dagster's own database, owned by the writer
            assert dagster_db.execute("SELECT current_database(), pg_get_userbyid(datdba) FROM pg_database "
                                      "WHERE datname = current_database()").fetchone() == ("dagster", "cloudmart_writer")
        shown = dict(re.findall(r"^  (host|port|database|user|password) +(\S+)", init.stdout, re.M))
        assert {k: v for k, v in shown.items() if k != "password"} == {
            "host": "127.0.0.1", "port": str(port), "database": "cloudmart", "user": "cloudmart_reader"}
        reader_dsn = f"host=127.0.0.1 port={port} dbname=cloudmart user=cloudmart_reader password={shown['password']}"

        again = cloudmart(env, "pg", "init", "--port", str(port))
        assert again.returncode == 2 and len(again.stderr.strip().splitlines()) == 1
        assert "already exists" in again.stderr and shown["password"] not in again.stdout + again.stderr

        refreshed = cloudmart(env | {"CLOUDMART_PG_DSN": writer_dsn}, "refresh")
        assert refreshed.returncode == 0, refreshed.stdout + refreshed.stderr
        assert f"Published to PostgreSQL at postgresql://cloudmart_writer:***@127.0.0.1:{port}/cloudmart" \
            in refreshed.stdout
        assert urlsplit(writer_dsn).password not in refreshed.stdout + refreshed.stderr

        with psycopg.connect(writer_dsn) as con:
            assert con.execute("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user"
                               ).fetchone() == (False, False)
        with psycopg.connect(reader_dsn, autocommit=True) as con:
            assert con.execute("SELECT count(*) FROM marts.figures").fetchone()[0] == 39
            assert con.execute("SELECT count(*) FROM marts.market_share").fetchone()[0] > 0
            for statement in ["INSERT INTO marts.figures (entity_name) VALUES ('x')",
                              "DELETE FROM marts.market_share", "CREATE TABLE marts.mine (x int)"]:
                with pytest.raises(errors.InsufficientPrivilege):
                    con.execute(statement)

        stopped = cloudmart(env, "pg", "stop")
        assert stopped.returncode == 0, stopped.stderr
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(reader_dsn, connect_timeout=5).close()
        started = cloudmart(env, "pg", "start")
        assert started.returncode == 0, started.stderr
        with psycopg.connect(reader_dsn) as con:
            assert con.execute("SELECT count(*) FROM marts.figures").fetchone()[0] == 39
    finally:
        if (home / "data" / "postgres" / "data").exists() and pg_cluster.cluster_running(home / "data" / "postgres"):
            pg_cluster.stop_cluster(home / "data" / "postgres")
        shutil.rmtree(home, ignore_errors=True)


def test_pg_commands_explain_what_is_wrong_on_one_line(settings: Settings) -> None:
    require_postgres()
    env = dict(os.environ, CLOUDMART_DATA_DIR=str(settings.data_dir))
    for action in ("start", "stop"):
        done = cloudmart(env, "pg", action)
        assert (done.returncode, done.stderr.splitlines()) == (2, [
            f"cloudmart: pg {action}: no cluster in {settings.data_dir / 'postgres'}: create one with `cloudmart pg init`"])
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = cloudmart(env, "pg", "init", "--port", str(port))
    assert (done.returncode, len(done.stderr.splitlines())) == (2, 1)
    assert f"cloudmart: pg init: port {port} on 127.0.0.1 is not free" in done.stderr
    assert not (settings.data_dir / "postgres").exists()


def cloudmart_with(settings: Settings, dsn: str, *args: str) -> subprocess.CompletedProcess:
    """`cloudmart ARGS` on `settings`' folders, publishing to PostgreSQL at `dsn`."""
    return cloudmart(dict(os.environ, CLOUDMART_DATA_DIR=str(settings.data_dir),
                          CLOUDMART_SOURCES_DIR=str(settings.sources_dir), CLOUDMART_PG_DSN=dsn), *args)


def served_refresh(dsn: str) -> str | None:
    """The refresh whose data PostgreSQL serves, by its own meta.refresh_log."""
    with psycopg.connect(dsn) as con:
        row = con.execute("SELECT refresh_id FROM meta.refresh_log WHERE outcome = 'published' "
                          "ORDER BY finished_at DESC LIMIT 1").fetchone()
    return row[0] if row else None


def published_refresh(settings: Settings) -> str:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.execute("SELECT max_by(refresh_id, finished_at) FROM meta.refresh_log "
                           "WHERE outcome = 'published'").fetchone()[0]


def logged_refreshes(settings: Settings) -> int:
    with duckdb.connect(str(settings.build_path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM meta.refresh_log").fetchone()[0]


def test_postgres_configured_after_a_refresh_is_caught_up_without_a_rebuild(
        published: Settings, database: Database) -> None:
    """The up-to-date decision covers every target: a database added after the last refresh is
    published to from the published file (no rebuild), and then the refresh is up to date."""
    warehouse, refreshes = file_digest(published.warehouse_path), logged_refreshes(published)
    done = cloudmart_with(published, database.dsn, "refresh")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "up to date" not in done.stdout and "Published to PostgreSQL at" in done.stdout
    assert file_digest(published.warehouse_path) == warehouse and logged_refreshes(published) == refreshes
    assert served_refresh(database.dsn) == published_refresh(published)
    with psycopg.connect(database.dsn) as con:
        assert con.execute("SELECT count(*) FROM marts.figures").fetchone()[0] == 39
    again = cloudmart_with(published, database.dsn, "refresh")
    assert again.returncode == 0 and "up to date" in again.stdout, again.stdout + again.stderr
    assert database.password not in output + again.stdout + again.stderr


def test_a_failed_postgres_publish_is_reported_per_target_and_caught_up_next_time(
        published: Settings, database: Database) -> None:
    """A lock timeout in PostgreSQL: the warehouse file is published and the summary says so, the
    refresh exits 1 naming PostgreSQL and the refresh it still serves, `status` shows it behind, and
    the next refresh publishes to PostgreSQL alone."""
    first = cloudmart_with(published, database.dsn, "refresh")
    assert first.returncode == 0, first.stdout + first.stderr
    old = served_refresh(database.dsn)
    edit_source(published, "alibaba-cloud-global-race.csv", "Model Studio", "Model Studio platform")
    reader = psycopg.connect(database.dsn)
    try:
        reader.execute("SELECT count(*) FROM marts.figures").fetchone()  # its transaction keeps the table locked
        failed = cloudmart_with(published, database.dsn, "refresh")
    finally:
        reader.close()
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    new = published_refresh(published)
    assert new != old and f"Published {published.warehouse_path}" in failed.stdout
    assert "the published warehouse was not changed" not in output and "nothing was published" not in output
    [line] = [line for line in failed.stdout.splitlines() if line.startswith("PostgreSQL at")]
    assert "FAILED" in line and "lock timeout" in line and f"still serves refresh {old}" in line, line
    assert served_refresh(database.dsn) == old

    status = cloudmart_with(published, database.dsn, "status")
    assert status.returncode == 1, status.stdout
    [line] = [line for line in status.stdout.splitlines() if line.strip().startswith("postgres")]
    assert f"refresh {old}" in line and "BEHIND" in line and "lock timeout" in line, line
    with duckdb.connect(str(published.build_path), read_only=True) as con:
        assert con.execute("SELECT outcome, holds FROM meta.publish_log WHERE refresh_id = ? AND target = 'postgres'",
                           [new]).fetchall() == [("failed", old)]

    warehouse, refreshes = file_digest(published.warehouse_path), logged_refreshes(published)
    caught_up = cloudmart_with(published, database.dsn, "refresh")
    assert caught_up.returncode == 0, caught_up.stdout + caught_up.stderr
    assert "Published to PostgreSQL at" in caught_up.stdout and served_refresh(database.dsn) == new
    assert file_digest(published.warehouse_path) == warehouse and logged_refreshes(published) == refreshes
    assert cloudmart_with(published, database.dsn, "status").returncode == 0
    everything = output + status.stdout + status.stderr + caught_up.stdout + caught_up.stderr
    assert database.password not in everything


def test_a_postgres_server_that_is_down_is_a_target_behind_not_a_silent_success(published: Settings) -> None:
    """Nobody listens at the DSN: `cloudmart refresh` (nothing else changed) tries to catch it up,
    fails naming the server and the reason, exits 1 without claiming the warehouse file changed, and
    `status` shows PostgreSQL behind and why; the password is shown nowhere."""
    dsn = f"postgresql://cloudmart_writer:n0t-Shown-pw@127.0.0.1:{free_port()}/cloudmart"
    warehouse = file_digest(published.warehouse_path)
    done = cloudmart_with(published, dsn, "refresh")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "up to date" not in output and "Traceback" not in output
    [line] = [line for line in done.stdout.splitlines() if line.startswith("PostgreSQL at")]
    assert "127.0.0.1" in line and "FAILED" in line and "refused" in line.lower(), line
    assert "Published" not in done.stdout and file_digest(published.warehouse_path) == warehouse
    status = cloudmart_with(published, dsn, "status")
    assert status.returncode == 1, status.stdout
    [line] = [line for line in status.stdout.splitlines() if line.strip().startswith("postgres")]
    assert "BEHIND" in line and "cannot be asked" in line, line
    assert "n0t-Shown-pw" not in output + status.stdout + status.stderr
    with duckdb.connect(str(published.build_path), read_only=True) as con:
        assert "n0t-Shown-pw" not in repr(con.execute("FROM meta.publish_log").fetchall())
