"""Great Expectations Core 1.x (tested: 1.24.1) on a DuckDB file, through GX's SQL data source.

* ``install()``: the adapter that makes GX's SqlAlchemyExecutionEngine work with duckdb-engine
  (idempotent; its docstring explains the root cause).
* ``duckdb_datasource``: a read-only SQL data source on a DuckDB file, disposed on exit so the
  file can be opened again by ``duckdb.connect(path)`` in the same process.
"""

from __future__ import annotations

import contextlib
import functools
import os
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from great_expectations.datasource.fluent import SQLDatasource
from great_expectations.execution_engine.sqlalchemy_execution_engine import (
    SqlAlchemyExecutionEngine,
)

from warehouse.connection import quote_literal

# GX 1.24.1 has no analytics emitter left (posthog was removed in 1.9); the documented
# switch is kept here anyway so an older/newer GX that reads it stays silent.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

_DUCKDB = "duckdb"
_MARK = "__cloudmart_duckdb_buffered__"


def install() -> None:
    """Make GX's SQL execution engine return *buffered* results for the duckdb dialect.

    Root cause (GX issues #10738 and #11579; duckdb-engine 0.17 / duckdb 2.0 / GX 1.24.1):
    ``SqlAlchemyExecutionEngine.execute_query`` does

        with self.get_connection() as connection:           # `with engine.connect()`
            result = self._execute_query_with_recovery(connection, query)
        return result                                         # rows read *after* the block

    and every caller then does ``.fetchall()`` / ``.fetchone()`` / ``.scalar()`` on it.
    Leaving the block closes the SQLAlchemy Connection, which ROLLBACKs the transaction
    duckdb-engine opened (its ``do_begin`` issues a real BEGIN). A DuckDB connection holds
    exactly one pending result set (duckdb-engine's cursor *is* the connection, its
    ``close()`` is a no-op), and that ROLLBACK discards it, so the late ``fetchall()`` gets
    ``[]`` and ``resolve_metric_bundle`` dies on ``res[0]`` ->
    ``MetricResolutionError: list index out of range`` for every expectation.
    Drivers that buffer rows client-side (psycopg2, ...) are unaffected; sqlite/mssql/
    bigquery/databricks dodge it because GX keeps one persisted connection for them
    (``_PERSISTED_CONNECTION_DIALECTS``).

    Fix: wrap ``_execute_query_with_recovery`` - the single point where both
    ``execute_query`` and ``execute_query_in_transaction`` still hold the open connection -
    and, for the duckdb dialect only, materialise row-returning results there with
    SQLAlchemy's documented ``Result.freeze()`` (``FrozenResult()`` gives back a plain
    ``Result`` with the same fetch API). Scoped to duckdb because other dialects work
    as-is, and buffering changes memory behaviour: GX callers that ``fetchmany(200)`` from
    an unbounded query (e.g. UnexpectedRowsExpectation) now pull every row into memory.

    Idempotent. Raises if GX's internals moved (so an upgrade is noticed, not silently
    unpatched); ``test_duckdb_gx.py::test_bug_still_reproduces_without_adapter`` fails once
    GX fixes the bug itself and this adapter can be deleted.
    """
    original = SqlAlchemyExecutionEngine.__dict__.get("_execute_query_with_recovery")
    if original is None or not isinstance(original, staticmethod):
        raise RuntimeError(
            "GX internals changed: SqlAlchemyExecutionEngine._execute_query_with_recovery "
            "is no longer a staticmethod; re-check whether the duckdb adapter is needed."
        )
    if getattr(original.__func__, _MARK, False):
        return
    inner = original.__func__

    @functools.wraps(inner)
    def _execute_query_with_recovery(connection, query):
        result = inner(connection, query)
        if connection.dialect.name == _DUCKDB and result.returns_rows:
            return result.freeze()()  # fetch everything while the connection is open
        return result

    setattr(_execute_query_with_recovery, _MARK, True)
    setattr(_execute_query_with_recovery, "__wrapped_original__", inner)
    SqlAlchemyExecutionEngine._execute_query_with_recovery = staticmethod(
        _execute_query_with_recovery
    )


def uninstall() -> None:
    """Undo ``install()`` (used by the canary test)."""
    current = SqlAlchemyExecutionEngine.__dict__["_execute_query_with_recovery"].__func__
    if getattr(current, _MARK, False):
        SqlAlchemyExecutionEngine._execute_query_with_recovery = staticmethod(
            current.__wrapped_original__
        )


def connection_string(path: str | os.PathLike, read_only: bool = True) -> str:
    """SQLAlchemy URL of a DuckDB file."""
    url = f"duckdb:///{Path(path).resolve()}"
    return url + "?access_mode=read_only" if read_only else url


def close_datasource(datasource: SQLDatasource) -> None:
    """Dispose both SQLAlchemy engines a GX SQLDatasource creates.

    The data source caches one engine for itself (``get_engine()``: asset checks,
    reflection) and the execution engine builds a second one for metric queries; both pool
    DuckDB connections. Until both are disposed, a plain ``duckdb.connect(same_file)`` in the
    same process fails with "Can't open a connection to same database file with a different
    configuration". Private attributes are read so that nothing new is created here.
    """
    execution_engine = getattr(datasource, "_execution_engine", None)
    if execution_engine is not None:
        execution_engine.close()  # -> engine.dispose() for duckdb
    engine = getattr(datasource, "_engine", None)
    if engine is not None:
        engine.dispose()


def resolve_names_through(datasource: SQLDatasource, search_path: str) -> None:
    """Make every DuckDB connection of the data source resolve table names through `search_path`.

    It is a per-connection setting DuckDB refuses in a connection's config, so it is set as each
    connection opens, on both engines the data source uses (pools emptied first).
    """
    statement = f"SET search_path = {quote_literal(search_path)}"

    def set_search_path(dbapi_connection, _record) -> None:
        dbapi_connection.execute(statement)

    for engine in (datasource.get_engine(), datasource.get_execution_engine().engine):
        engine.dispose()
        sa.event.listen(engine, "connect", set_search_path)


@contextlib.contextmanager
def duckdb_datasource(
    context, path: str | os.PathLike, name: str, *, read_only: bool = True, search_path: str | None = None
) -> Iterator[SQLDatasource]:
    """Add a GX SQL data source on a DuckDB file (read-only by default), resolving names through
    `search_path` if given; clean up on exit."""
    install()
    datasource = context.data_sources.add_or_update_sql(
        name=name, connection_string=connection_string(path, read_only)
    )
    if search_path:
        resolve_names_through(datasource, search_path)
    try:
        yield datasource
    finally:
        close_datasource(datasource)
        with contextlib.suppress(Exception):
            context.data_sources.delete(name)
