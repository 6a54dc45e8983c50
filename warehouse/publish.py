"""Publishing the validated warehouse: a new file, renamed over the old one in one step.

Readers holding the old file keep a consistent view of it; new connections see the new one; a crash
at any point leaves either the old or the new file in place, never a mix.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb

from warehouse.connection import quote_literal

# Files DuckDB 1.4 and later can open: the drivers BI tools embed lag behind the newest DuckDB.
STORAGE_VERSION = "v1.4.0"


def publish(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...], target: Path) -> dict[str, int]:
    """Copy every table of `schemas` (with comments) from `con` into a new file replacing `target`.

    Returns the row count of each published table.
    """
    staging = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    counts = {}
    con.execute(f"ATTACH '{staging}' AS snapshot (STORAGE_VERSION '{STORAGE_VERSION}')")
    try:
        for schema in schemas:
            con.execute(f"CREATE SCHEMA snapshot.{schema}")
            for (table, comment) in con.execute(
                    "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database() "
                    "AND schema_name = ? ORDER BY table_name", [schema]).fetchall():
                counts[f"{schema}.{table}"] = _copy_table(con, schema, table, comment)
    except BaseException:
        con.execute("DETACH snapshot")
        staging.unlink(missing_ok=True)
        raise
    con.execute("DETACH snapshot")
    _replace(staging, target)
    return counts


def table_rows(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> dict[str, int]:
    """Row count of every table in `schemas`."""
    tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() "
                         "AND list_contains(?, schema_name) ORDER BY ALL", [list(schemas)]).fetchall()
    return {f"{s}.{t}": con.execute(f"SELECT count(*) FROM {s}.{t}").fetchone()[0] for s, t in tables}


def _copy_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, comment: str | None) -> int:
    name = f"snapshot.{schema}.{table}"
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM {schema}.{table}")
    if comment:
        con.execute(f"COMMENT ON TABLE {name} IS {quote_literal(comment)}")
    for column, text in con.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = ? AND table_name = ? AND comment IS NOT NULL", [schema, table]).fetchall():
        con.execute(f'COMMENT ON COLUMN {name}."{column}" IS {quote_literal(text)}')
    return con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]


def _replace(staging: Path, target: Path) -> None:
    """fsync the new file, drop a stale WAL of the old one, rename, fsync the folder."""
    with staging.open("rb+") as handle:
        os.fsync(handle.fileno())
    Path(f"{target}.wal").unlink(missing_ok=True)
    os.replace(staging, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
