"""GX on DuckDB through the adapter in expectations/duckdb_gx.py, on real DuckDB files.

The canary test fails once GX (or duckdb-engine) fixes the bug itself: then delete the adapter.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pytest

from expectations import duckdb_gx
from expectations.suites import all_suites
from expectations.validation import build_data_docs, validate_suite


def make_file(path: Path, sql: str) -> Path:
    con = duckdb.connect(str(path))
    con.execute(sql)
    con.close()
    return path


@pytest.fixture
def shares(tmp_path: Path) -> Path:
    return make_file(tmp_path / "shares.duckdb", "CREATE TABLE shares AS SELECT * FROM (VALUES "
                     "('AWS', 30.0), ('Azure', 20.0), ('Google', NULL)) AS t(provider, share_pct)")


def not_null_result(context, path: Path):
    datasource = context.data_sources.add_sql(name="plain", connection_string=duckdb_gx.connection_string(path))
    try:
        batch = datasource.add_table_asset(name="shares", table_name="shares").add_batch_definition_whole_table(
            "all").get_batch()
        return batch.validate(gxe.ExpectColumnValuesToNotBeNull(column="share_pct"))
    finally:
        duckdb_gx.close_datasource(datasource)


def test_bug_still_reproduces_without_the_adapter(shares: Path):
    duckdb_gx.uninstall()
    try:
        result = not_null_result(gx.get_context(mode="ephemeral"), shares)
    finally:
        duckdb_gx.install()
    messages = [v["exception_message"] for v in result.exception_info.values()]
    assert any("list index out of range" in m for m in messages), (
        "GX now reads DuckDB results by itself: expectations/duckdb_gx.py is no longer needed")


def test_adapter_makes_expectations_evaluate(shares: Path):
    duckdb_gx.install()
    result = not_null_result(gx.get_context(mode="ephemeral"), shares)
    assert not result.success and result.result["unexpected_count"] == 1
    assert not result.exception_info.get("raised_exception")


def test_the_file_opens_normally_after_a_validation(shares: Path, tmp_path: Path):
    suite = next(s for s in all_suites() if s.name == "dim_market_keys_are_unique")
    make_file(shares, "CREATE SCHEMA core; CREATE TABLE core.dim_market AS SELECT 1 AS market_key, 'x' AS market_name")
    assert validate_suite(shares, suite, tmp_path / "gx", tmp_path / "docs").success
    con = duckdb.connect(str(shares))
    con.execute("INSERT INTO shares VALUES ('Alibaba', 4.0)")
    con.close()


def suite_named(name: str):
    return next(s for s in all_suites() if s.name == name)


def test_a_quarter_of_five_months_breaks_the_period_rules(tmp_path: Path):
    # A source cannot state such a quarter (the label grammar fixes its bounds); the rule guards the model.
    path = make_file(tmp_path / "w.duckdb", """
        CREATE SCHEMA core;
        CREATE TABLE core.dim_period AS SELECT * FROM (VALUES
            (1, '2025-Q2', 'quarter', DATE '2025-04-01', DATE '2025-06-30'),
            (2, '2025-Q3', 'quarter', DATE '2025-07-01', DATE '2025-11-30'),  -- five months
            (3, '2024-H1', 'half', DATE '2024-01-01', DATE '2023-06-30'))      -- ends before it starts
            AS t(period_key, period_label, period_grain, start_date, end_date)""")
    outcome = validate_suite(path, suite_named("periods_have_valid_bounds"), tmp_path / "gx", tmp_path / "docs")
    failed = {r.rule: r for r in outcome.failed}
    assert set(failed) == {"period_length_fits_grain", "period_ends_after_it_starts"}
    assert [row["period_label"] for row in failed["period_length_fits_grain"].sample] == ["2025-Q3", "2024-H1"]


def test_an_orphan_key_breaks_the_fact_rules(tmp_path: Path):
    path = make_file(tmp_path / "w.duckdb", """
        CREATE SCHEMA core;
        CREATE TABLE core.dim_market AS SELECT 1 AS market_key;
        CREATE TABLE core.dim_period AS SELECT 1 AS period_key;
        CREATE TABLE core.dim_metric AS SELECT 1 AS metric_key, 'market_spend' AS metric_name, 'currency' AS unit;
        CREATE TABLE core.dim_source AS SELECT 1 AS source_key, 'a' AS source_id;
        CREATE TABLE core.dim_citation AS SELECT 1 AS citation_key;
        CREATE TABLE core.fct_market_size AS SELECT * FROM (VALUES
            (1, 1, 1, 1, 1, NULL, 99e9, 'USD', 'exact', '99', 'billion', NULL, 11),
            (2, 7, 1, 1, 1, NULL, 98e9, 'USD', 'exact', '98', 'billion', NULL, 12))  -- market 7 does not exist
            AS t(figure_key, market_key, period_key, metric_key, source_key, citation_key, value, currency,
                 qualifier, value_as_stated, magnitude, note, source_line)""")
    outcome = validate_suite(path, suite_named("market_sizes_are_valid"), tmp_path / "gx", tmp_path / "docs")
    assert [(r.rule, r.unexpected_count, r.sample[0]["figure_key"]) for r in outcome.failed] == [
        ("fact_keys_resolve", 1, 2)]
    build_data_docs(tmp_path / "gx", tmp_path / "docs")
    pages = list((tmp_path / "docs" / "validations").rglob("*.html"))
    assert (tmp_path / "docs" / "index.html").exists() and len(pages) == 1
