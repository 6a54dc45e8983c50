"""What analysts run against the published warehouse: queries (`cloudmart sql`) and exports."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import duckdb

from cloudmart.settings import Settings
from warehouse.connection import connect, quote_identifier, quote_literal

EXPORT_FORMATS = {"parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER true)"}


class NoWarehouse(Exception):
    """There is no published warehouse yet."""


def open_published(settings: Settings):
    """A read-only connection to the published warehouse."""
    if not settings.warehouse_path.exists():
        raise NoWarehouse(f"no published warehouse at {settings.warehouse_path}; run `cloudmart refresh` first")
    return connect(settings.warehouse_path, read_only=True)


def run_query(settings: Settings, sql: str, params: list[str], output: str, max_rows: int) -> None:
    """Run `sql` (with `params` bound to its ? or $n placeholders) and print it as a table, CSV or JSON."""
    with open_published(settings) as con:
        confine(con)
        try:
            if output == "table":
                relation = con.sql(sql, params=params or None)
                if relation is not None:
                    relation.show(max_rows=max_rows, max_width=100_000)
                return
            result = con.execute(sql, params)
        except duckdb.CatalogException as error:
            raise duckdb.CatalogException(f"{error}\n\nTables analysts query:\n  " + "\n  ".join(
                published_tables(con, ("marts",)))) from None
        if result.description is None:
            return
        columns = [d[0] for d in result.description]
        if output == "csv":
            writer = csv.writer(sys.stdout)
            writer.writerow(columns)
            writer.writerows(result.fetchall())
        else:
            rows = [dict(zip(columns, row)) for row in result.fetchall()]
            print(json.dumps(rows, default=str, indent=1))


def confine(con: duckdb.DuckDBPyConnection) -> None:
    """Let a query read the published warehouse and nothing else: no files read or written (COPY,
    ATTACH, read_csv), no extensions, and no setting changed back."""
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def published_tables(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> list[str]:
    """Qualified names of the tables in `schemas`."""
    return [f"{s}.{t}" for s, t in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE list_contains(?, schema_name) ORDER BY ALL",
        [list(schemas)]).fetchall()]


def export(settings: Settings, output_format: str, folder: Path, star_schema: bool) -> list[Path]:
    """Write the marts (and the star schema when asked) as one Parquet or CSV file per table."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with open_published(settings) as con:
        for table in published_tables(con, ("marts", "core") if star_schema else ("marts",)):
            path = folder / f"{table}.{output_format}"
            schema, name = table.split(".")
            con.execute(f"COPY {quote_identifier(schema)}.{quote_identifier(name)} TO {quote_literal(str(path))} "
                        f"{EXPORT_FORMATS[output_format]}")
            written.append(path)
    return written
