"""Reading the published warehouse: the file analysts, the report and BI tools read, opened read-only."""

from __future__ import annotations

from pathlib import Path

import duckdb

from foundation.settings import Settings
from warehouse.connection import connect


class NoWarehouse(Exception):
    """There is no published warehouse yet."""


def published_path(settings: Settings) -> Path:
    """The published warehouse's file; NoWarehouse when there is none yet."""
    if not settings.warehouse_path.exists():
        raise NoWarehouse(f"no published warehouse at {settings.warehouse_path}; run `cloudmart refresh` first")
    return settings.warehouse_path


def open_published(settings: Settings):
    """A read-only connection to the published warehouse, closed on leaving the `with` block."""
    return connect(published_path(settings), read_only=True)


def published_tables(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> list[str]:
    """Qualified names of the tables in `schemas`."""
    return [f"{s}.{t}" for s, t in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE list_contains(?, schema_name) ORDER BY ALL",
        [list(schemas)]).fetchall()]
