"""Security: analysts only read (no write to the warehouse, no file read or written through a query),
values from users reach SQL as parameters or quoted names, and secrets (the webhook URL's token, the
PostgreSQL password) appear nowhere: not in the output, not in any file of the data directory (Dagster's
event log and run storage, the refresh log, Data Docs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from cloudmart.settings import Settings
from tests.support import file_digest

VENV_BIN = Path(sys.executable).parent


def cloudmart(settings: Settings, *args: str, **extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, CLOUDMART_DATA_DIR=str(settings.data_dir), CLOUDMART_SOURCES_DIR=str(settings.sources_dir),
               **extra)
    return subprocess.run([str(VENV_BIN / "cloudmart"), *args], env=env, capture_output=True, text=True, timeout=600)


def test_analyst_queries_cannot_write_anything(refreshed: Settings, tmp_path: Path):
    before = file_digest(refreshed.warehouse_path)
    target = tmp_path / "written"
    attempts = {
        "DROP TABLE marts.figures": "read-only mode",
        "DELETE FROM marts.figures": "read-only mode",
        "INSERT INTO marts.figures (figure_key) VALUES (-1)": "read-only mode",
        "UPDATE marts.figures SET value = 0": "read-only mode",
        "CREATE TABLE marts.mine AS SELECT 1": "read-only mode",
        "CREATE SCHEMA mine": "read-only mode",
        f"COPY marts.figures TO '{target}.csv'": "file system operations are disabled",
        f"ATTACH '{target}.duckdb' AS mine": "file system operations are disabled",
        f"ATTACH '{refreshed.build_path}' AS build": "file system operations are disabled",
        "SELECT * FROM read_csv('/etc/passwd')": "file system operations are disabled",
        "SET enable_external_access = true": "the configuration has been locked",
        "INSTALL httpfs": "file system operations are disabled",
    }
    for sql, says in attempts.items():
        done = cloudmart(refreshed, "sql", sql)
        assert done.returncode == 1 and says in done.stderr, (sql, done.stderr)
    assert not list(tmp_path.iterdir())
    assert file_digest(refreshed.warehouse_path) == before
    assert "39" in cloudmart(refreshed, "sql", "SELECT count(*) FROM marts.figures").stdout


def test_bi_connections_are_read_only(refreshed: Settings):
    """A BI tool connected as the README says (duckdb-engine, access_mode=read_only) cannot write."""
    import sqlalchemy

    before = file_digest(refreshed.warehouse_path)
    engine = sqlalchemy.create_engine(f"duckdb:///{refreshed.warehouse_path}?access_mode=read_only")
    with engine.connect() as con:
        assert con.execute(sqlalchemy.text("SELECT count(*) FROM marts.figures")).scalar() == 39
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only mode"):
            con.execute(sqlalchemy.text("DELETE FROM marts.figures"))
    engine.dispose()
    assert file_digest(refreshed.warehouse_path) == before


def test_export_takes_any_folder_name(refreshed: Settings, tmp_path: Path):
    """The export folder reaches SQL as a quoted literal: quotes and semicolons are just characters."""
    folder = tmp_path / "it's; DROP TABLE marts.figures; --"
    done = cloudmart(refreshed, "export", str(folder), "--format", "csv")
    assert done.returncode == 0, done.stderr
    with duckdb.connect() as con:
        assert con.execute("SELECT count(*) FROM read_csv(?)", [str(folder / "marts.figures.csv")]).fetchone()[0] == 39


def test_secrets_appear_in_no_output_and_no_file(published: Settings):
    """A refresh publishing to a PostgreSQL server that is not there fails and notifies a webhook that
    is not there either: the password and the token are in no output and no file it left."""
    password, token = "Pw-7f3c1d9e", "Tk-52a8e0b4"
    done = cloudmart(published, "refresh", "--force",
                     CLOUDMART_PG_DSN=f"postgresql://cloudmart:{password}@127.0.0.1:9/cloudmart",
                     CLOUDMART_WEBHOOK_URL=f"http://127.0.0.1:9/hook?token={token}")
    output = done.stdout + done.stderr
    assert done.returncode == 1 and "PostgreSQL at postgresql://cloudmart:***@127.0.0.1:9/cloudmart" in output, output
    assert "failure webhook at 127.0.0.1 did not answer" in output
    files = [p for p in published.data_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".db" for p in files)  # Dagster's run and event storage is among them
    for secret in (password, token):
        assert secret not in output
        leaks = [p for p in files if secret.encode() in p.read_bytes()]
        assert leaks == [], f"{secret} found in {leaks}"
