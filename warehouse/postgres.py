"""Publishing the warehouse's schemas from the DuckDB file to PostgreSQL, swapped in atomically.

Each schema is loaded into a staging schema (`marts__new_<random>`): tables with mapped types, rows
by DuckDB CSV export and COPY FREEZE, indexes on core's `_key` columns, comments, ANALYZE, the primary,
unique and foreign keys the DuckDB tables declare, grants to the reader role. One transaction with a lock timeout then renames every live schema away,
renames the staging ones to the live names and drops the old ones: readers see the old schemas or
the new ones, never a mix. A reader holding a table past the lock timeout makes the publish fail
and leaves the live schemas as they were.
"""

from __future__ import annotations

import logging
import re
import secrets
import tempfile
import time
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit, urlunsplit

import duckdb
import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from warehouse.connection import quote_literal
from warehouse.keys import foreign_keys

PUBLISHED_SCHEMAS = ("core", "marts", "meta")
READER_ROLE = "cloudmart_reader"
INDEXED_SCHEMA = "core"  # its columns ending in `_key` get an index
PUBLISH_LOCK = 0x636C6F75646D6172  # advisory lock key: one publish at a time per database
_TYPES = {"VARCHAR": "text", "INTEGER": "integer", "BIGINT": "bigint", "SMALLINT": "smallint",
          "DOUBLE": "double precision", "FLOAT": "real", "DATE": "date", "TIMESTAMP": "timestamp",
          "TIMESTAMP WITH TIME ZONE": "timestamptz", "BOOLEAN": "boolean", "JSON": "jsonb", "UUID": "uuid"}
_DECIMAL = re.compile(r"DECIMAL\((\d+),(\d+)\)")

log = logging.getLogger(__name__)


def publish_to_postgres(duckdb_path: Path, dsn: str, schemas: Iterable[str] = PUBLISHED_SCHEMAS,
                        lock_timeout_ms: int = 5000, reader_role: str | None = READER_ROLE) -> dict[str, int]:
    """Replace `schemas` in the PostgreSQL database at `dsn` with those of the DuckDB file.

    Returns the row count of each published table (`schema.table`). Raises (and leaves the live
    schemas untouched) when loading fails or the swap waits longer than `lock_timeout_ms`.
    """
    schemas = tuple(schemas)
    suffix = secrets.token_hex(4)
    staged = {schema: f"{schema}__new_{suffix}" for schema in schemas}
    started = time.perf_counter()
    log.info("publishing %s to PostgreSQL at %s", duckdb_path, redact_dsn(dsn))
    with duckdb.connect(str(duckdb_path), read_only=True, config={
            "autoinstall_known_extensions": False, "autoload_known_extensions": False}) as source, \
            psycopg.connect(dsn, application_name="cloudmart-publish") as pg, \
            tempfile.TemporaryDirectory(prefix="cloudmart-pg-") as folder:
        _check_schemas(source, schemas)
        if not pg.execute("SELECT pg_try_advisory_lock(%s)", [PUBLISH_LOCK]).fetchone()[0]:
            raise RuntimeError("another publish to this database is running")
        pg.commit()
        counts = {}
        try:
            _drop(pg, [name for (name,) in pg.execute("SELECT nspname FROM pg_namespace")
                       if re.fullmatch(rf"({'|'.join(map(re.escape, schemas))})__(new|old)_[0-9a-f]{{8}}", name)])
            for schema, stage in staged.items():
                counts |= _stage_schema(source, pg, schema, stage, Path(folder) / "table.csv")
            if reader_role:
                grant_reader(pg, list(staged.values()), reader_role)
            _swap(pg, staged, f"__old_{suffix}", lock_timeout_ms)
        except BaseException:
            _drop(pg, list(staged.values()))
            raise
    log.info("published %d tables to PostgreSQL in %.1f s", len(counts), time.perf_counter() - started)
    return counts


def served_refresh(dsn: str, connect_timeout: int = 5) -> str | None:
    """The refresh whose data the database at `dsn` serves, by the `meta.refresh_log` published with
    it (None when it holds no published warehouse). Raises psycopg.Error when it cannot be asked."""
    with psycopg.connect(dsn, connect_timeout=connect_timeout, application_name="cloudmart-status") as pg:
        if pg.execute("SELECT to_regclass('meta.refresh_log')").fetchone()[0] is None:
            return None
        row = pg.execute("SELECT refresh_id FROM meta.refresh_log WHERE outcome = 'published' "
                         "ORDER BY finished_at DESC LIMIT 1").fetchone()
    return row[0] if row else None


def served_refresh_or_none(dsn: str) -> str | None:
    """served_refresh, or None when the database cannot be asked (a DSN that does not parse, a server
    that does not answer): a target that cannot be asked counts as behind."""
    try:
        return served_refresh(dsn)
    except psycopg.Error:
        return None


def failure_reason(error: BaseException, dsn: str) -> str:
    """The first line of `error`'s message, with the DSN's password (should a driver quote it) as ***."""
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    try:
        password = conninfo_to_dict(dsn).get("password")
    except psycopg.ProgrammingError:
        password = None
    return reason.replace(password, "***") if password else reason


def grant_reader(pg: psycopg.Connection, schemas: list[str], role: str) -> None:
    """Grant `role` USAGE on `schemas` and SELECT on their tables, when the role exists; commit."""
    if not schemas:
        return
    if not pg.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
        log.info("role %s does not exist: no read grants", role)
        return
    names = sql.SQL(", ").join(map(sql.Identifier, schemas))
    pg.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(names, sql.Identifier(role)))
    pg.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(names, sql.Identifier(role)))
    pg.commit()


def redact_dsn(dsn: str) -> str:
    """`dsn` (URL or key=value form) with its password replaced by `***`, for logs and messages."""
    if "://" not in dsn:
        return re.sub(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", dsn)
    parts = urlsplit(dsn)
    userinfo, at, hosts = parts.netloc.rpartition("@")
    if ":" in userinfo:
        userinfo = userinfo.split(":", 1)[0] + ":***"
    query = re.sub(r"(^|&)(password=)[^&]*", r"\1\2***", parts.query)
    return urlunsplit(parts._replace(netloc=userinfo + at + hosts, query=query))


def _pg_type(duckdb_type: str) -> str | None:
    """The PostgreSQL type for a DuckDB type, or None when the column is published as text."""
    decimal = _DECIMAL.fullmatch(duckdb_type)
    return f"numeric({decimal[1]},{decimal[2]})" if decimal else _TYPES.get(duckdb_type)


def _check_schemas(source: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> None:
    present = {name for (name,) in source.execute(
        "SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database()").fetchall()}
    missing = [schema for schema in schemas if schema not in present]
    if missing:
        raise ValueError(f"the DuckDB file has no schema {', '.join(missing)}: nothing published")


def _stage_schema(source: duckdb.DuckDBPyConnection, pg: psycopg.Connection, schema: str, stage: str,
                  csv: Path) -> dict[str, int]:
    """Create `stage` holding every table of `schema`, in one transaction (so COPY can FREEZE)."""
    pg.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(stage)))
    keys = _table_keys(source, schema)
    counts = {}
    for table, comment in source.execute(
            "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = ? ORDER BY table_name", [schema]).fetchall():
        columns = source.execute(
            "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = ? AND table_name = ? ORDER BY column_index", [schema, table]).fetchall()
        counts[f"{schema}.{table}"] = _load_table(source, pg, (schema, table), (stage, table), columns, csv)
        _describe(pg, (stage, table), comment, columns, index_keys=schema == INDEXED_SCHEMA,
                  keyed=_keyed_columns(keys, table))
    _declare_keys(pg, stage, keys)
    pg.commit()
    return counts


def _table_keys(source: duckdb.DuckDBPyConnection, schema: str) -> list[tuple]:
    """The keys to declare on `schema`'s tables (table, type, columns, referenced table, referenced columns):
    the primary and unique keys DuckDB holds, and the foreign keys that follow from the primary keys by the
    rule of warehouse/keys.py (DuckDB declares only some of them: see transforms/keys.yml), foreign keys last."""
    declared = source.execute(
        "SELECT table_name, constraint_type, constraint_column_names, NULL, NULL FROM duckdb_constraints() "
        "WHERE database_name = current_database() AND schema_name = ? AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') "
        "ORDER BY table_name, constraint_index", [schema]).fetchall()
    primary = {table: tuple(columns) for table, kind, columns, *_ in declared if kind == "PRIMARY KEY"}
    columns = source.execute(
        "SELECT table_name, list(column_name ORDER BY column_index) FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = ? GROUP BY ALL ORDER BY 1", [schema]).fetchall()
    return declared + [(table, "FOREIGN KEY", [column], referenced, [column])
                       for table, names in columns for column, referenced in foreign_keys(table, names, primary)]


def _keyed_columns(keys: list[tuple], table: str) -> set[str]:
    """Columns the primary or unique keys of `table` lead with: PostgreSQL indexes them already."""
    return {columns[0] for name, kind, columns, *_ in keys if name == table and kind != "FOREIGN KEY"}


def _declare_keys(pg: psycopg.Connection, stage: str, keys: list[tuple]) -> None:
    """Declare on the tables of `stage` the keys their DuckDB tables have, so BI tools see the joins."""
    for table, kind, columns, referenced, referenced_columns in keys:
        listed = sql.SQL(", ").join(map(sql.Identifier, columns))
        if kind == "FOREIGN KEY":
            pg.execute(sql.SQL("ALTER TABLE {} ADD FOREIGN KEY ({}) REFERENCES {} ({})").format(
                sql.Identifier(stage, table), listed, sql.Identifier(stage, referenced),
                sql.SQL(", ").join(map(sql.Identifier, referenced_columns))))
        else:
            pg.execute(sql.SQL("ALTER TABLE {} ADD {} ({})").format(sql.Identifier(stage, table), sql.SQL(kind), listed))


def _load_table(source: duckdb.DuckDBPyConnection, pg: psycopg.Connection, origin: tuple[str, str],
                target: tuple[str, str], columns: list[tuple], csv: Path) -> int:
    """Create `target` and fill it from `origin` through a CSV file DuckDB writes; its row count."""
    pg.execute(sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(*target), sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(_pg_type(kind) or "text"))
        for name, kind, _ in columns)))
    select = ", ".join(_duck_ident(name) if _pg_type(kind) else f"CAST({_duck_ident(name)} AS VARCHAR)"
                       for name, kind, _ in columns)
    source.execute(f"COPY (SELECT {select} FROM {_duck_ident(origin[0])}.{_duck_ident(origin[1])}) "
                   f"TO {quote_literal(str(csv))} (FORMAT csv, HEADER false)")
    with pg.cursor() as cursor:
        with cursor.copy(sql.SQL("COPY {} FROM STDIN (FORMAT csv, FREEZE, ENCODING 'UTF8')").format(
                sql.Identifier(*target))) as copy, csv.open("rb") as rows:
            while chunk := rows.read(1 << 20):
                copy.write(chunk)
        csv.unlink()
        return cursor.rowcount


def _describe(pg: psycopg.Connection, target: tuple[str, str], comment: str | None, columns: list[tuple],
              index_keys: bool, keyed: set[str]) -> None:
    """Indexes on `_key` columns (when `index_keys`) that no key of the table leads with, table and column
    comments, then ANALYZE."""
    table = sql.Identifier(*target)
    for name, _, _ in columns:
        if index_keys and name.endswith("_key") and name not in keyed:
            pg.execute(sql.SQL("CREATE INDEX ON {} ({})").format(table, sql.Identifier(name)))
    if comment:
        pg.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(table, sql.Literal(comment)))
    for name, _, text in columns:
        if text:
            pg.execute(sql.SQL("COMMENT ON COLUMN {} IS {}").format(sql.Identifier(*target, name), sql.Literal(text)))
    pg.execute(sql.SQL("ANALYZE {}").format(table))


def _swap(pg: psycopg.Connection, staged: dict[str, str], old_suffix: str, lock_timeout_ms: int) -> None:
    """In one transaction: live schemas renamed away, staged ones renamed live, old ones dropped."""
    pg.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(lock_timeout_ms)}ms"])
    live = {name for (name,) in pg.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)",
                                           [list(staged)])}
    for schema, stage in staged.items():
        if schema in live:
            pg.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
                sql.Identifier(schema), sql.Identifier(schema + old_suffix)))
        pg.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(stage), sql.Identifier(schema)))
    for schema in [schema for schema in staged if schema in live]:
        pg.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema + old_suffix)))
    pg.commit()


def _drop(pg: psycopg.Connection, schemas: list[str]) -> None:
    """Roll back, then drop `schemas` (staging schemas nobody reads) if they exist; a failure is only logged."""
    try:
        pg.rollback()
        if not schemas:
            return
        pg.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
            sql.SQL(", ").join(map(sql.Identifier, schemas))))
        pg.commit()
    except psycopg.Error as error:
        log.warning("could not drop staging schemas %s: %s", ", ".join(schemas), error)


def _duck_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
