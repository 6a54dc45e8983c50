"""Publishing the validated warehouse: the next version (warehouse.next_version), completed with the
refresh's `meta` tables, renamed over the published file in one step.

Readers holding the old file keep a consistent view of it; new connections see the new one; a crash
at any point leaves either the old or the new file in place, never a mix.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from warehouse.connection import quote_identifier, quote_literal
from warehouse.next_version import CATALOG, working_catalog


def publish(con: duckdb.DuckDBPyConnection, next_path: Path, target: Path, schemas: tuple[str, ...],
            appended: tuple[str, ...] = ()) -> None:
    """Copy every table of the working warehouse's `schemas` (with comments) into the next version at
    `next_path`, detach it and rename it over `target`. A table named in `appended` (history: rows only
    ever added, each with its refresh_id) that the next version already holds, as a copy of the published
    file, gets only the rows of refreshes it lacks: a cost of the change, not of the history.

    On failure the next version is left to the caller to discard; `target` is as it was.
    """
    working = working_catalog(con)
    con.execute("BEGIN")
    try:
        for schema in schemas:
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {CATALOG}.{schema}")
            for (table, comment) in con.execute(
                    "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
                    "ORDER BY table_name", [working, schema]).fetchall():
                if table not in appended or not _append_new_rows(con, working, schema, table):
                    _copy_table(con, working, schema, table, comment)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute(f"DETACH {CATALOG}")
    con.execute("RESET search_path")
    _replace(next_path, target)
    _sync_folder(target.parent)


class PublishError(Exception):
    """The new warehouse file could not be written; the published one was left as it was."""


@contextmanager
def writing_next_version(target: Path) -> Iterator[None]:
    """Report a write of the next version that failed (a full disk, a folder made read-only) as a
    PublishError saying that nothing was published."""
    try:
        yield
    except (duckdb.IOException, OSError) as error:
        raise PublishError(f"could not write the new warehouse file in {target.parent}: {error} "
                           f"-- nothing was published; {target.name} is as it was") from None


def _copy_table(con: duckdb.DuckDBPyConnection, working: str, schema: str, table: str, comment: str | None) -> None:
    name = f"{CATALOG}.{schema}.{table}"
    con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {quote_identifier(working)}.{schema}.{table}")
    if comment:
        con.execute(f"COMMENT ON TABLE {name} IS {quote_literal(comment)}")
    for column, text in con.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = ? "
            "AND schema_name = ? AND table_name = ? AND comment IS NOT NULL", [working, schema, table]).fetchall():
        con.execute(f'COMMENT ON COLUMN {name}."{column}" IS {quote_literal(text)}')


def _append_new_rows(con: duckdb.DuckDBPyConnection, working: str, schema: str, table: str) -> bool:
    """Append to the next version's `schema.table` the working warehouse's rows of the refreshes it does not
    hold; True when it then holds the same rows as the working table (same count: rows are only added),
    False (nothing appended) when it has no such table or the two differ otherwise."""
    name, source = f"{CATALOG}.{schema}.{table}", f"{quote_identifier(working)}.{schema}.{table}"
    columns = [con.execute("SELECT list(column_name || ' ' || data_type ORDER BY column_index) FROM duckdb_columns() "
                           "WHERE database_name = ? AND schema_name = ? AND table_name = ?", [catalog, schema, table]
                           ).fetchone()[0] for catalog in (CATALOG, working)]
    if columns[0] != columns[1]:
        return False
    new = f"FROM {source} WHERE refresh_id NOT IN (SELECT DISTINCT refresh_id FROM {name})"
    held, total, adding = con.execute(f"SELECT (SELECT count(*) FROM {name}), (SELECT count(*) FROM {source}), "
                                      f"(SELECT count(*) {new})").fetchone()
    if held + adding != total:
        return False
    con.execute(f"INSERT INTO {name} {new}")
    return True


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
