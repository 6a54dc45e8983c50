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
    remove_stale_staging(target)
    staging = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    counts = {}
    try:
        con.execute(f"ATTACH {quote_literal(str(staging))} AS snapshot (STORAGE_VERSION '{STORAGE_VERSION}')")
        for schema in schemas:
            con.execute(f"CREATE SCHEMA snapshot.{schema}")
            for (table, comment) in con.execute(
                    "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database() "
                    "AND schema_name = ? ORDER BY table_name", [schema]).fetchall():
                counts[f"{schema}.{table}"] = _copy_table(con, schema, table, comment)
        con.execute("DETACH snapshot")
        _replace(staging, target)
    except BaseException as error:
        con.execute("DETACH DATABASE IF EXISTS snapshot")
        for path in (staging, Path(f"{staging}.wal")):
            path.unlink(missing_ok=True)
        if isinstance(error, (duckdb.IOException, OSError)):  # a full disk, a folder made read-only
            raise PublishError(f"could not write the new warehouse file in {target.parent}: {error} "
                               f"-- nothing was published; {target.name} is as it was") from None
        raise
    _sync_folder(target.parent)
    return counts


class PublishError(Exception):
    """The new warehouse file could not be written; the published one was left as it was."""


def remove_stale_staging(target: Path) -> list[Path]:
    """Delete what publishes that died half-way (killed, power lost) left next to `target`: their
    unfinished new files and those files' WALs. Only the refresh holding the writer lock calls this."""
    stale = sorted(target.parent.glob(f".{target.name}.*.tmp*"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


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
    """fsync the new file, drop a stale WAL of the old one, rename."""
    with staging.open("rb+") as handle:
        os.fsync(handle.fileno())
    Path(f"{target}.wal").unlink(missing_ok=True)
    os.replace(staging, target)


def _sync_folder(folder: Path) -> None:
    """fsync a folder, making a rename in it durable."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
