"""Per-source rebuilds: the models of `incremental.yml` whose rows each belong to one source document are
rebuilt only for the sources that changed since the table was built; every other source's rows are kept.

A table's build state (`incremental.built_from` in the working warehouse) says
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
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import yaml

from ingest.fingerprint import code_hash
from transforms.models import PUBLISHED_LAYERS, Model, load_models, materialize, upstream_models
from warehouse.connection import quote_literal, run_script
from warehouse.next_version import CATALOG, working_catalog
from warehouse.refresh_log import last_published_key, table_exists

HERE = Path(__file__).parent
SQL = HERE / "incremental_sql"
SCOPE = "incremental_scope"  # temp: (table_name, source_ids) of the tables rebuilt per source in this run


@dataclass(frozen=True)
class Series:
    """A per-series model: the per-source table it reads and the columns naming a series in both."""

    reads: str
    key: tuple[str, ...]


@dataclass(frozen=True)
class PerSource:
    """The per-source models (name → partition column), the per-series ones, the shared inputs and the
    full-rebuild threshold."""

    partitions: dict[str, str]
    series: dict[str, Series]
    shared_inputs: tuple[str, ...]
    full_above_share: float

    def series_reading(self, table: str) -> dict[str, Series]:
        """The per-series models reading the per-source `table`."""
        return {name: series for name, series in self.series.items() if series.reads == table}


@cache
def per_source() -> PerSource:
    """The declarations of incremental.yml."""
    spec = yaml.safe_load((HERE / "incremental.yml").read_text(encoding="utf-8"))
    series = {name: Series(s["reads"], tuple(s["key"])) for name, s in spec["per_series"].items()}
    return PerSource(spec["per_source"], series, tuple(spec["shared_inputs"]), spec["full_above_share"])


@dataclass(frozen=True)
class Plan:
    """How to build one table: whole (`changed` None) or for the `changed` sources only."""

    inputs: str
    sources: dict[str, tuple[object, str]]  # source_id -> (partition value, signature), as now
    changed: list[str] | None


def build_table(con: duckdb.DuckDBPyConnection, model: Model, *, full: bool = False) -> int:
    """Build the model's table, per source where incremental.yml allows it and `full` is not asked for;
    return its row count."""
    partition, series = per_source().partitions.get(model.name), per_source().series.get(model.name)
    if partition is None and series is None:
        return materialize(con, model)
    run_script(con, SQL / "state_schema.sql")
    if series is not None:
        return _build_series(con, model, series, full)
    plan = _plan(con, model, partition, full)
    if plan.changed is None:
        rows = materialize(con, model)
    else:
        rows = _rebuild_sources(con, model, partition, plan)
    _record_state(con, model, plan)
    return rows


def series_scope(con: duckdb.DuckDBPyConnection, table: str) -> str | None:
    """The temp table of the series (key columns) `table` was rebuilt for in this run, or None when it was
    rebuilt whole (or not at all)."""
    name = table.split(".")[1]
    if name not in per_source().series or scope(con, table) is None:
        return None
    return _series_table(name)


def _series_table(name: str) -> str:
    return f"incremental_series_{name}"


def scope(con: duckdb.DuckDBPyConnection, table: str) -> list[str] | None:
    """The sources `table` was rebuilt for in this run, or None when it was rebuilt whole (or not at all)."""
    if not table_exists(con, "main", SCOPE, "temp"):
        return None
    row = con.execute(f"SELECT source_ids FROM {SCOPE} WHERE table_name = ?", [table]).fetchone()
    return row[0] if row else None


def _plan(con: duckdb.DuckDBPyConnection, model: Model, partition: str, full: bool) -> Plan:
    query = "file_sources.sql" if model.layer == "staging" else "keyed_sources.sql"  # staging: before the keys
    sources = {source_id: (source_id if partition == "source_id" else key, signature) for source_id, key, signature
               in con.execute((SQL / query).read_text(encoding="utf-8")).fetchall()}
    inputs = _inputs_fingerprint(con, model)
    if full or not _built_as_now(con, model, inputs):
        return Plan(inputs, sources, None)
    before = json.loads(con.execute("SELECT sources FROM incremental.built_from WHERE table_name = ?",
                                    [model.table]).fetchone()[0])
    changed = sorted(s for s in before.keys() | sources.keys() if before.get(s) != sources.get(s, (None, None))[1])
    if len(changed) > per_source().full_above_share * max(len(before.keys() | sources.keys()), 1):
        return Plan(inputs, sources, None)
    return Plan(inputs, sources, changed)


def _built_as_now(con: duckdb.DuckDBPyConnection, model: Model, inputs: str) -> bool:
    """Whether the table is there, built from the same code and shared inputs, and (a published table) the
    one the published file holds."""
    built = con.execute("SELECT refresh_id, inputs FROM incremental.built_from WHERE table_name = ?",
                        [model.table]).fetchone()
    return built is not None and built[1] == inputs and _table_exists(con, model) \
        and (model.layer not in PUBLISHED_LAYERS or built[0] == _published_refresh(con))


def _build_series(con: duckdb.DuckDBPyConnection, model: Model, series: Series, full: bool) -> int:
    """Build a per-series model: for the series its per-source input lost or gained rows in this run, when
    that input was rebuilt per source and this table is as built before; else whole."""
    inputs = _inputs_fingerprint(con, model)
    per_series = not full and scope(con, series.reads) is not None and _built_as_now(con, model, inputs)
    if per_series:
        rows = _rebuild_series(con, model, series)
    else:
        rows = materialize(con, model)
    _record_state(con, model, Plan(inputs, {}, [] if per_series else None))
    return rows


def _rebuild_series(con: duckdb.DuckDBPyConnection, model: Model, series: Series) -> int:
    """Delete the rows of the changed series and insert what the model computes from their input rows alone."""
    keys = _series_table(model.name)
    same = " AND ".join(f"k.{c} IS NOT DISTINCT FROM t.{c}" for c in series.key)
    subset = f"incremental_input_{model.name}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {subset} AS SELECT t.* FROM {series.reads} AS t SEMI JOIN {keys} AS k ON {same}")
    sql = re.sub(rf"\b{re.escape(series.reads)}\b", subset, model.sql)
    con.execute("BEGIN")
    try:
        con.execute(f"DELETE FROM {model.table} AS t USING {keys} AS k WHERE {same}")
        con.execute(f"INSERT INTO {model.table}\n{sql}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute(f"DROP TABLE {subset}")
    return con.execute(f"SELECT count(*) FROM {model.table}").fetchone()[0]


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
    catalog = CATALOG if model.layer in PUBLISHED_LAYERS else working_catalog(con)
    return table_exists(con, model.layer, model.name, catalog)


def _published_refresh(con: duckdb.DuckDBPyConnection) -> str | None:
    """The refresh the next version holds: the published one it is a copy of (None: it started empty)."""
    held = last_published_key(con, CATALOG)
    return held[1] if held else None


def _rebuild_sources(con: duckdb.DuckDBPyConnection, model: Model, partition: str, plan: Plan) -> int:
    """Delete the rows of every source but the unchanged ones and insert the changed sources' rows."""
    changed = set(plan.changed)
    kept = [value for source_id, (value, _) in plan.sources.items() if source_id not in changed]
    rebuilt = [value for source_id, (value, _) in plan.sources.items() if source_id in changed]
    dropped, added = f"{partition} NOT IN ({_values(kept)})", f"{partition} IN ({_values(rebuilt)})"
    readers = per_source().series_reading(model.table)
    for name, series in readers.items():  # the series whose rows go, for the per-series models reading this table
        con.execute(f"CREATE OR REPLACE TEMP TABLE {_series_table(name)} AS "
                    f"SELECT DISTINCT {', '.join(series.key)} FROM {model.table} WHERE {dropped}")
    con.execute("BEGIN")
    try:
        con.execute(f"DELETE FROM {model.table} WHERE {dropped}")
        if rebuilt:
            con.execute(f"INSERT INTO {model.table} SELECT * FROM (\n{model.sql}\n) WHERE {added}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    for name, series in readers.items():  # and the series whose rows came
        columns = ", ".join(series.key)
        con.execute(f"INSERT INTO {_series_table(name)} SELECT DISTINCT {columns} FROM {model.table} WHERE {added} "
                    f"EXCEPT SELECT {columns} FROM {_series_table(name)}")
    return con.execute(f"SELECT count(*) FROM {model.table}").fetchone()[0]


def _values(values: list) -> str:
    """A SQL list of literals (NULL for none: `x IN (NULL)` holds for no row)."""
    if not values:
        return "NULL"
    return ", ".join(str(int(v)) if isinstance(v, int) else quote_literal(str(v)) for v in values)


def _record_state(con: duckdb.DuckDBPyConnection, model: Model, plan: Plan) -> None:
    """Write what the table was built from (after its build committed: a crash in between leaves the old
    state, which a published table's refresh check, or a working table's own rows, still match)."""
    con.execute("INSERT OR REPLACE INTO incremental.built_from VALUES (?, getvariable('refresh_id'), ?, ?)",
                [model.table, plan.inputs, json.dumps({s: signature for s, (_, signature) in plan.sources.items()})])
    con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {SCOPE} (table_name VARCHAR PRIMARY KEY, source_ids VARCHAR[])")
    con.execute(f"DELETE FROM {SCOPE} WHERE table_name = ?", [model.table])
    if plan.changed is not None:
        con.execute(f"INSERT INTO {SCOPE} VALUES (?, ?)", [model.table, plan.changed])
