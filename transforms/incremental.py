"""Per-source rebuilds: the models of `incremental.yml` whose rows each belong to one source document are
rebuilt only for the sources that changed since the table was built; every other source's rows are kept.

A table's build state (`incremental.built_from`, `incremental.built_sources` in the working warehouse) says
what it was built from: the refresh, a fingerprint of the code and of the shared inputs it reads (the
dimensions every source's rows join), and each source's signature (its file version, and its source_key once
there is one). A rebuild is per source only when the code and the shared inputs are unchanged, the table is
there and, for a published table (built into the next version, which starts as a copy of the published
file), the published file holds the refresh that built it; otherwise, or when most sources changed, the
table is rebuilt whole. Either way the result equals a full build: the keys a row holds are built from its
own source (see dim_citation.sql and int_figures.sql), and a source whose key moved counts as changed.

The sources each table was rebuilt for in this run are kept in the temp table `incremental_scope`, so that
what the publish compares (warehouse.figure_changes) is only what was rebuilt.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import yaml

from ingest.fingerprint import code_hash
from transforms.models import PUBLISHED_LAYERS, Model, load_models, materialize, upstream_models
from warehouse.connection import quote_literal, run_script
from warehouse.next_version import CATALOG

HERE = Path(__file__).parent
SQL = HERE / "incremental_sql"
SCOPE = "incremental_scope"  # temp: (table_name, source_ids) of the tables rebuilt per source in this run


@dataclass(frozen=True)
class PerSource:
    """The per-source models (name → partition column), the shared inputs and the full-rebuild threshold."""

    partitions: dict[str, str]
    shared_inputs: tuple[str, ...]
    full_above_share: float


@cache
def per_source() -> PerSource:
    """The declarations of incremental.yml."""
    spec = yaml.safe_load((HERE / "incremental.yml").read_text(encoding="utf-8"))
    return PerSource(spec["per_source"], tuple(spec["shared_inputs"]), spec["full_above_share"])


@dataclass(frozen=True)
class Plan:
    """How to build one table: whole (`changed` None) or for the `changed` sources only."""

    inputs: str
    sources: dict[str, tuple[object, str]]  # source_id -> (partition value, signature), as now
    changed: list[str] | None


def build_table(con: duckdb.DuckDBPyConnection, model: Model, *, full: bool = False) -> int:
    """Build the model's table, per source where incremental.yml allows it and `full` is not asked for;
    return its row count."""
    partition = per_source().partitions.get(model.name)
    if partition is None:
        return materialize(con, model)
    run_script(con, SQL / "state_schema.sql")
    plan = _plan(con, model, partition, full)
    if plan.changed is None:
        rows = materialize(con, model)
    else:
        rows = _rebuild_sources(con, model, partition, plan)
    _record_state(con, model, plan)
    return rows


def scope(con: duckdb.DuckDBPyConnection, table: str) -> list[str] | None:
    """The sources `table` was rebuilt for in this run, or None when it was rebuilt whole (or not at all)."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [SCOPE]).fetchone()[0]:
        return None
    row = con.execute(f"SELECT source_ids FROM {SCOPE} WHERE table_name = ?", [table]).fetchone()
    return row[0] if row else None


def _plan(con: duckdb.DuckDBPyConnection, model: Model, partition: str, full: bool) -> Plan:
    query = "file_sources.sql" if model.layer == "staging" else "keyed_sources.sql"  # staging: before the keys
    sources = {source_id: (source_id if partition == "source_id" else key, signature) for source_id, key, signature
               in con.execute((SQL / query).read_text(encoding="utf-8")).fetchall()}
    inputs = _inputs_fingerprint(con, model)
    built = con.execute("SELECT refresh_id, inputs FROM incremental.built_from WHERE table_name = ?",
                        [model.table]).fetchone()
    if full or built is None or built[1] != inputs or not _table_exists(con, model) \
            or (model.layer in PUBLISHED_LAYERS and built[0] != _published_refresh(con)):
        return Plan(inputs, sources, None)
    before = dict(con.execute("SELECT source_id, signature FROM incremental.built_sources WHERE table_name = ?",
                              [model.table]).fetchall())
    changed = sorted(s for s in before.keys() | sources.keys() if before.get(s) != sources.get(s, (None, None))[1])
    if len(changed) > per_source().full_above_share * max(len(sources), 1):
        return Plan(inputs, sources, None)
    return Plan(inputs, sources, changed)


def _inputs_fingerprint(con: duckdb.DuckDBPyConnection, model: Model) -> str:
    """A hash of the code and of every shared input the model reads, directly or through other models."""
    digest = hashlib.sha256(_code().encode())
    for table in per_source().shared_inputs:
        if table in _reads(model.name):
            digest.update(table.encode() + b"\0")
            digest.update(str(con.execute(f"SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM {table} AS t")
                              .fetchone()[0]).encode())
    return digest.hexdigest()


@cache
def _code() -> str:
    """The hash of the code this process runs (read once: it is the code loaded)."""
    return code_hash()


@cache
def _reads(name: str) -> frozenset[str]:
    """Every table the model reads, directly or through the models it reads."""
    model = load_models()[name]
    tables = {f"{layer}.{table}" for layer, table in model.reads}
    for upstream in upstream_models(model):
        tables |= _reads(upstream)
    return frozenset(tables)


def _table_exists(con: duckdb.DuckDBPyConnection, model: Model) -> bool:
    catalog = CATALOG if model.layer in PUBLISHED_LAYERS else con.execute("SELECT current_database()").fetchone()[0]
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
                       "AND table_name = ?", [catalog, model.layer, model.name]).fetchone()[0] > 0


def _published_refresh(con: duckdb.DuckDBPyConnection) -> str | None:
    """The refresh the next version holds: the published one it is a copy of (None: it started empty)."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'meta' "
                       "AND table_name = 'refresh_log'", [CATALOG]).fetchone()[0]:
        return None
    held = con.execute(f"SELECT refresh_id FROM {CATALOG}.meta.refresh_log WHERE outcome = 'published' "
                       "ORDER BY finished_at DESC LIMIT 1").fetchone()
    return held[0] if held else None


def _rebuild_sources(con: duckdb.DuckDBPyConnection, model: Model, partition: str, plan: Plan) -> int:
    """Delete the rows of every source but the unchanged ones and insert the changed sources' rows."""
    changed = set(plan.changed)
    kept = [value for source_id, (value, _) in plan.sources.items() if source_id not in changed]
    rebuilt = [value for source_id, (value, _) in plan.sources.items() if source_id in changed]
    con.execute("BEGIN")
    try:
        con.execute(f"DELETE FROM {model.table} WHERE {partition} NOT IN ({_values(kept)})")
        if rebuilt:
            con.execute(f"INSERT INTO {model.table} SELECT * FROM (\n{model.sql}\n) WHERE {partition} IN ({_values(rebuilt)})")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return con.execute(f"SELECT count(*) FROM {model.table}").fetchone()[0]


def _values(values: list) -> str:
    """A SQL list of literals (NULL for none: `x IN (NULL)` holds for no row)."""
    if not values:
        return "NULL"
    return ", ".join(str(int(v)) if isinstance(v, int) else quote_literal(str(v)) for v in values)


def _record_state(con: duckdb.DuckDBPyConnection, model: Model, plan: Plan) -> None:
    """Write what the table was built from (after its build committed: a crash in between leaves the old
    state, which a published table's refresh check, or a working table's own rows, still match)."""
    con.execute("BEGIN")
    try:
        con.execute("INSERT OR REPLACE INTO incremental.built_from VALUES (?, getvariable('refresh_id'), ?)",
                    [model.table, plan.inputs])
        con.execute("DELETE FROM incremental.built_sources WHERE table_name = ?", [model.table])
        con.execute("INSERT INTO incremental.built_sources SELECT ?, unnest(?), unnest(?)",
                    [model.table, list(plan.sources), [signature for _, signature in plan.sources.values()]])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {SCOPE} (table_name VARCHAR PRIMARY KEY, source_ids VARCHAR[])")
    con.execute(f"DELETE FROM {SCOPE} WHERE table_name = ?", [model.table])
    if plan.changed is not None:
        con.execute(f"INSERT INTO {SCOPE} VALUES (?, ?)", [model.table, plan.changed])
