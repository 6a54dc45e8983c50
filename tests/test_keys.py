"""The star schema declares its keys (transforms/keys.yml): DuckDB enforces primary and unique keys and the
dimensions' foreign keys on the published file; the PostgreSQL publish declares those and the facts' foreign keys
to every dimension, so BI tools draw the joins themselves."""

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


def test_every_core_table_has_a_primary_key_and_dimensions_reference_theirs(refreshed: Settings):
    keys = duckdb_keys(refreshed.warehouse_path)
    core = {m.name for m in load_models().values() if m.layer == "core"}
    assert {table for table, kind, _, _ in keys if kind == "PRIMARY KEY"} == core
    assert {(dim, "PRIMARY KEY", (key,), None) for dim, key in DIMENSION_KEYS.items()} <= keys
    assert {(fact, "PRIMARY KEY", ("figure_key",), None) for fact in FACTS} <= keys
    assert {(t, r) for t, kind, _, r in keys if kind == "FOREIGN KEY"} == {  # facts: in PostgreSQL only (cost)
        ("dim_citation", "dim_source"), ("bridge_provider_group_member", "dim_provider"),
        ("bridge_provider_group_member", "dim_provider_group")}
    assert ("bridge_provider_group_member", "PRIMARY KEY", ("provider_group_key", "provider_key"), None) in keys
    assert ("dim_source", "UNIQUE", ("source_id",), None) in keys


def test_duckdb_refuses_a_row_whose_referenced_row_does_not_exist(refreshed: Settings, tmp_path: Path):
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(refreshed.warehouse_path, copy)
    with duckdb.connect(str(copy)) as con:
        with pytest.raises(duckdb.ConstraintException, match="foreign key"):
            con.execute("INSERT INTO core.dim_citation SELECT * REPLACE (citation_key + 1000 AS citation_key, "
                        "9999 AS source_key) FROM core.dim_citation LIMIT 1")
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
        in_duckdb = duckdb_keys(refreshed.warehouse_path)
        assert {(t, k, tuple(c), r) for t, k, c, r in declared if k != "FOREIGN KEY"} == {
            key for key in in_duckdb if key[1] != "FOREIGN KEY"}
        facts_reference = {(fact, "FOREIGN KEY", (key,), dim) for fact in FACTS for dim, key in DIMENSION_KEYS.items()
                           if (fact, key) not in {("fct_market_size", "provider_key"),
                                                  ("fct_market_size", "provider_group_key")}}
        assert {(t, k, tuple(c), r) for t, k, c, r in declared if k == "FOREIGN KEY"} == facts_reference | {
            key for key in in_duckdb if key[1] == "FOREIGN KEY"}
        indexes = pg.execute("SELECT count(*), count(DISTINCT (indrelid, indkey)) FROM pg_index "
                             "WHERE indrelid::regclass::text LIKE 'core.%'").fetchone()
        assert indexes[0] == indexes[1]  # no column indexed twice (a key's own index and a `_key` index)
        assert pg.execute("SELECT obj_description('marts.reconciled_figures'::regclass)").fetchone()[0]
