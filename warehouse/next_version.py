"""The next version of the published warehouse: core and marts are built straight into it.

A refresh attaches a new file next to the published one, as the catalog `next`, and points the
connection's search path at it, so `core.x` and `marts.x` in the SQL models name its tables while
`raw`, `staging`, `intermediate` and `meta` stay in the working warehouse. Publishing then only adds
`meta` and renames the file over the published one (warehouse.publish): the tables are written once.

A run starts from a copy of the published file and replaces what it rebuilds (the tables of
transforms/incremental.yml only for the sources that changed); a run that rebuilds every table whole
(`cloudmart refresh --force`) starts from an empty file. A run that does not publish discards its file.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import duckdb

from warehouse.connection import quote_identifier, quote_literal

CATALOG = "next"
# Files DuckDB 1.4 and later can open: the drivers BI tools embed lag behind the newest DuckDB.
STORAGE_VERSION = "v1.4.0"


def open_next_version(con: duckdb.DuckDBPyConnection, target: Path, schemas: tuple[str, ...], *,
                      from_published: bool, only_tables: set[str] | None = None) -> Path:
    """Attach a new file beside `target` as `next`, holding `schemas`, and resolve those schemas there.

    With `from_published` (and a published `target`) the file starts as a copy of it, less the tables of
    `schemas` not in `only_tables` (`schema.table`; None keeps them all). Leftovers of earlier runs that
    died are removed first. Returns the new file's path.
    """
    remove_stale_versions(target)
    path = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        if from_published and target.exists():
            shutil.copyfile(target, path)
            con.execute(f"ATTACH {quote_literal(str(path))} AS {CATALOG}")
        else:
            con.execute(f"ATTACH {quote_literal(str(path))} AS {CATALOG} (STORAGE_VERSION '{STORAGE_VERSION}')")
    except BaseException:  # a copy cut short (a full disk, a file size limit) is no version: leave nothing
        discard_next_version(con, path)
        raise
    if only_tables is not None:
        _drop_tables_but(con, schemas, only_tables)
    working = working_catalog(con)
    for schema in schemas:
        con.execute(f"DROP SCHEMA IF EXISTS {quote_identifier(working)}.{schema} CASCADE")  # built here before
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {CATALOG}.{schema}")
    con.execute("SET search_path = ?", [search_path(working, schemas)])
    return path


def _drop_tables_but(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...], keep: set[str]) -> None:
    """Drop the tables of `schemas` in the next version that are not in `keep` (a model that is gone)."""
    for schema, table in con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? "
                                     "AND list_contains(?, schema_name)", [CATALOG, list(schemas)]).fetchall():
        if f"{schema}.{table}" not in keep:
            con.execute(f"DROP TABLE {CATALOG}.{quote_identifier(schema)}.{quote_identifier(table)}")


def search_path(working: str, schemas: tuple[str, ...]) -> str:
    """The search path resolving `schemas` in the next version and everything else in `working`."""
    # The working warehouse first: DuckDB takes the first entry as the connection's current database.
    return ",".join([f"{quote_identifier(working)}.main", *(f"{CATALOG}.{schema}" for schema in schemas)])


def working_catalog(con: duckdb.DuckDBPyConnection) -> str:
    """The catalog of the working warehouse: the connection's own database."""
    return con.execute("SELECT current_database()").fetchone()[0]


def discard_next_version(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Detach the next version (if still attached) and delete its file: the run did not publish it."""
    try:
        con.execute(f"DETACH DATABASE IF EXISTS {CATALOG}")
    except duckdb.Error:
        pass  # its closing checkpoint failed (a full disk): moot, the file is deleted below
    con.execute("RESET search_path")
    for leftover in (path, Path(f"{path}.wal")):
        leftover.unlink(missing_ok=True)


def remove_stale_versions(target: Path) -> None:
    """Delete what runs that died (killed, power lost) left next to `target`: their next versions and
    those files' WALs. Only the refresh holding the writer lock calls this."""
    for path in list(target.parent.glob(f".{target.name}.*.tmp*")):
        path.unlink(missing_ok=True)


def table_rows(con: duckdb.DuckDBPyConnection, catalog: str = CATALOG, schemas: tuple[str, ...] | None = None
               ) -> dict[str, int]:
    """Row count of every table of `catalog` (the next version by default), or of its `schemas`, as
    `schema.table`."""
    tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? "
                         "AND (? OR list_contains(?, schema_name)) ORDER BY ALL",
                         [catalog, schemas is None, list(schemas or ())]).fetchall()
    return {f"{s}.{t}": con.execute(f"SELECT count(*) FROM {quote_identifier(catalog)}.{s}.{t}").fetchone()[0]
            for s, t in tables}
