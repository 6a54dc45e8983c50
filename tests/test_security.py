"""Security: analysts only read (no write to the warehouse, no file read or written through a query),
values from users reach SQL as parameters or quoted names, and secrets (the webhook URL's token, the
PostgreSQL password) appear nowhere: not in the output, not in any file of the data directory (Dagster's
event log and run storage, the refresh log, Data Docs)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from foundation.settings import Settings
from tests.support import cloudmart, file_digest

CONFINED = "reads the published warehouse only: no file is read or written, no setting changed"
LOCKED = "the configuration has been locked"


def write_attempts(data: Path) -> dict[str, str]:
    """Statements that would write a file, change the warehouse or undo the confinement, each with what
    `cloudmart sql` must say. DuckDB lets a query reach the database's own files (.wal, .wal.checkpoint,
    .wal.recovery) even with external access disabled: they are first."""
    wal = data / "warehouse.duckdb.wal"
    return {
        f"COPY (SELECT 1) TO '{wal}'": CONFINED,
        f"COPY (SELECT * FROM range(100000)) TO '{wal}.checkpoint'": CONFINED,
        f"COPY (SELECT 1) TO '{wal}.recovery'": CONFINED,
        f"COPY (SELECT 1) TO '{data / 'warehouse.duckdb'}'": CONFINED,
        f"COPY (SELECT 1) TO '{data / 'warehouse.duckdb.tmp' / 'spill.csv'}'": CONFINED,
        "COPY marts.figures TO 'here.csv'": CONFINED,
        f"COPY marts.figures TO '{data / 'figures.parquet'}' (FORMAT parquet)": CONFINED,
        f"EXPORT DATABASE '{data / 'dump'}'": CONFINED,
        f"ATTACH '{wal}' AS wal": CONFINED,
        f"ATTACH '{data / 'new.duckdb'}' AS mine": CONFINED,
        f"ATTACH '{data / 'work' / 'build.duckdb'}' AS build": CONFINED,
        "SELECT * FROM read_csv('/etc/passwd')": CONFINED,
        "SELECT * FROM read_text('/etc/hostname')": CONFINED,
        "SELECT * FROM glob('/tmp/*')": CONFINED,
        "INSTALL httpfs": CONFINED,
        "LOAD httpfs": "Loading external extensions is disabled",
        f"SET temp_directory = '{data}'": LOCKED,
        "RESET temp_directory": LOCKED,
        "SET disabled_filesystems = ''": LOCKED,
        "SET enable_external_access = true": LOCKED,
        "SET lock_configuration = false": LOCKED,
        "SET memory_limit = '1TB'": LOCKED,
        f"SET log_query_path = '{data / 'queries.log'}'": LOCKED,
        f"CALL enable_logging(storage = 'file', storage_path = '{data / 'logs'}')": LOCKED,
        f"PRAGMA profiling_output = '{data / 'profile.json'}'": LOCKED,
        "PRAGMA enable_profiling": LOCKED,
        "CREATE TEMP TABLE big AS SELECT * FROM range(100); COPY big TO 'big.csv'": CONFINED,
        "DROP TABLE marts.figures": "read-only mode",
        "DELETE FROM marts.figures": "read-only mode",
        "INSERT INTO marts.figures (figure_key) VALUES (-1)": "read-only mode",
        "UPDATE marts.figures SET value = 0": "read-only mode",
        "CREATE TABLE marts.mine AS SELECT 1": "read-only mode",
        "CREATE SCHEMA mine": "read-only mode",
        "ATTACH ':memory:' AS scratch": "read-only mode",
    }


# Session-local, or nothing to do on a read-only file: allowed, and still no file may change.
HARMLESS = ["CHECKPOINT", "FORCE CHECKPOINT", "VACUUM", "ANALYZE", "SET VARIABLE answer = 42",
            "CREATE TEMP TABLE mine AS SELECT * FROM range(1000000)", "CREATE TEMP VIEW v AS SELECT 1"]


def folder_state(folder: Path) -> dict[str, str]:
    """Every file under `folder` (relative path) with its SHA-256, and every folder."""
    return {str(p.relative_to(folder)): file_digest(p) if p.is_file() else "folder" for p in folder.rglob("*")}


def test_analyst_queries_cannot_write_anything(published: Settings, tmp_path: Path):
    """No statement of `cloudmart sql` writes a file anywhere: not the data folder (the warehouse file,
    its .wal siblings, a spill folder), not the current folder; nor can one undo that."""
    here = tmp_path / "here"
    here.mkdir()
    before = folder_state(published.data_dir)
    for sql, says in write_attempts(published.data_dir).items():
        done = cloudmart(published, "sql", sql, cwd=here)
        assert done.returncode == 1 and says in done.stderr, (sql, done.stderr)
        assert len(done.stderr.splitlines()) == 1, done.stderr
    for sql in HARMLESS:
        done = cloudmart(published, "sql", sql, cwd=here)
        assert done.returncode == 0, (sql, done.stderr)
    spill = cloudmart(published, "sql", "--format", "csv", "SELECT current_setting('temp_directory') AS spill")
    assert spill.stdout == 'spill\n""\n'  # no temp directory: a query too big for memory fails, it never spills
    assert folder_state(published.data_dir) == before
    assert list(here.iterdir()) == []
    assert "39" in cloudmart(published, "sql", "SELECT count(*) FROM marts.figures").stdout


def test_bi_connections_are_read_only(refreshed: Settings):
    """A BI tool connected as docs/bi.md says (duckdb-engine, access_mode=read_only) cannot write."""
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
                     env={"CLOUDMART_PG_DSN": f"postgresql://cloudmart:{password}@127.0.0.1:9/cloudmart",
                          "CLOUDMART_WEBHOOK_URL": f"http://127.0.0.1:9/hook?token={token}"})
    output = done.stdout + done.stderr
    assert done.returncode == 1 and "PostgreSQL at postgresql://cloudmart:***@127.0.0.1:9/cloudmart" in output, output
    assert "failure webhook at 127.0.0.1 did not answer" in output
    files = [p for p in published.data_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".db" for p in files)  # Dagster's run and event storage is among them
    for secret in (password, token):
        assert secret not in output
        leaks = [p for p in files if secret.encode() in p.read_bytes()]
        assert leaks == [], f"{secret} found in {leaks}"
