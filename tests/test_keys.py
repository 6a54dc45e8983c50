"""The star schema declares its keys (transforms/keys.yml): DuckDB enforces them on the published file and the
PostgreSQL publish declares the same, so BI tools draw the joins themselves."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import psycopg
import pytest

from foundation.settings import Settings
from tests.pg_fixture import Database
from transforms.models import load_models
from warehouse.postgres import publish_to_postgres

DIMENSION_KEYS = {"dim_provider": "provider_key", "dim_provider_group": "provider_group_key",
                  "dim_market": "market_key", "dim_period": "period_key", "dim_metric": "metric_key",
                  "dim_source": "source_key", "dim_citation": "citation_key"}
FACTS = ("fct_market_share", "fct_market_size", "fct_operating_metrics", "fct_provider_financials")


def duckdb_keys(path: Path) -> set[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {(table, kind, tuple(columns), referenced) for table, kind, columns, referenced in con.execute(
            "SELECT table_name, constraint_type, constraint_column_names, referenced_table FROM duckdb_constraints() "
            "WHERE schema_name = 'core' AND constraint_type <> 'NOT NULL'").fetchall()}


def test_every_core_table_has_a_primary_key_and_facts_reference_their_dimensions(refreshed: Settings):
    keys = duckdb_keys(refreshed.warehouse_path)
    core = {m.name for m in load_models().values() if m.layer == "core"}
    assert {table for table, kind, _, _ in keys if kind == "PRIMARY KEY"} == core
    assert {(dim, "PRIMARY KEY", (key,), None) for dim, key in DIMENSION_KEYS.items()} <= keys
    assert {(fact, "PRIMARY KEY", ("figure_key",), None) for fact in FACTS} <= keys
    with duckdb.connect(str(refreshed.warehouse_path), read_only=True) as con:
        for fact in FACTS:
            columns = {c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE schema_name = 'core' "
                                                 "AND table_name = ?", [fact]).fetchall()}
            expected = {(fact, "FOREIGN KEY", (key,), dim) for dim, key in DIMENSION_KEYS.items() if key in columns}
            assert len(expected) >= 5 and expected <= keys, fact
    assert ("bridge_provider_group_member", "PRIMARY KEY", ("provider_group_key", "provider_key"), None) in keys
    assert ("dim_source", "UNIQUE", ("source_id",), None) in keys


def test_duckdb_refuses_a_fact_row_whose_dimension_row_does_not_exist(refreshed: Settings, tmp_path: Path):
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(refreshed.warehouse_path, copy)
    with duckdb.connect(str(copy)) as con:
        with pytest.raises(duckdb.ConstraintException, match="foreign key"):
            con.execute("INSERT INTO core.fct_market_size SELECT * REPLACE (figure_key + 1000 AS figure_key, "
                        "9999 AS market_key) FROM core.fct_market_size LIMIT 1")
        with pytest.raises(duckdb.ConstraintException, match="primary key|PRIMARY KEY|duplicate key"):
            con.execute("INSERT INTO core.dim_market SELECT * FROM core.dim_market LIMIT 1")


def test_postgresql_declares_the_same_keys(refreshed: Settings, database: Database):
    publish_to_postgres(refreshed.warehouse_path, database.dsn)
    with psycopg.connect(database.dsn) as pg:
        declared = pg.execute("""
            SELECT tc.table_name, tc.constraint_type,
                   (SELECT array_agg(k.column_name::text ORDER BY k.ordinal_position)
                    FROM information_schema.key_column_usage AS k
                    WHERE k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name),
                   (SELECT min(u.table_name::text) FROM information_schema.constraint_column_usage AS u
                    WHERE u.constraint_schema = tc.constraint_schema AND u.constraint_name = tc.constraint_name
                      AND tc.constraint_type = 'FOREIGN KEY')
            FROM information_schema.table_constraints AS tc
            WHERE tc.table_schema = 'core' AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')""").fetchall()
        assert {(t, k, tuple(c), r) for t, k, c, r in declared} == duckdb_keys(refreshed.warehouse_path)
        indexes = pg.execute("SELECT count(*), count(DISTINCT (indrelid, indkey)) FROM pg_index "
                             "WHERE indrelid::regclass::text LIKE 'core.%'").fetchone()
        assert indexes[0] == indexes[1]  # no column indexed twice (a key's own index and a `_key` index)
        assert pg.execute("SELECT obj_description('marts.reconciled_figures'::regclass)").fetchone()[0]
