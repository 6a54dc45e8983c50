"""Benchmark: validate a 1,000,000-row market-share fact table with its GX suite, pushed down to DuckDB.

    .venv/bin/python benchmarks/validate_fact_table.py [ROWS]

Prints the build and validation times and the process's peak memory.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from expectations.suites import all_suites  # noqa: E402
from expectations.validation import validate_suite  # noqa: E402

# 1,000 markets × 50 periods × 20 providers whose shares sum to 76 % per market and period.
FACT_SQL = """
CREATE SCHEMA core;
CREATE TABLE core.dim_market AS SELECT range::INTEGER AS market_key, 'M' || range AS market_name
    FROM range(1, {markets} + 1);
CREATE TABLE core.dim_period AS SELECT range::INTEGER AS period_key, 'P' || range AS period_label
    FROM range(1, {periods} + 1);
CREATE TABLE core.dim_provider AS SELECT range::INTEGER AS provider_key FROM range(1, {providers} + 1);
CREATE TABLE core.dim_provider_group AS SELECT 1 AS provider_group_key, 'G' AS provider_group_name, 2 AS member_count;
CREATE TABLE core.bridge_provider_group_member AS SELECT 1 AS provider_group_key, range::INTEGER AS provider_key
    FROM range(1, 3);
CREATE TABLE core.dim_metric AS SELECT 1 AS metric_key, 'market_share' AS metric_name, 'pct' AS unit;
CREATE TABLE core.dim_source AS SELECT 1 AS source_key, 's' AS source_id;
CREATE TABLE core.dim_citation AS SELECT 1 AS citation_key;
CREATE TABLE core.fct_market_share AS
SELECT row_number() OVER ()::BIGINT AS figure_key, p.provider_key, NULL::INTEGER AS provider_group_key,
       m.market_key, pe.period_key, 1 AS metric_key, 1 AS source_key, 1 AS citation_key,
       round(80.0 / {providers} * (0.5 + (p.provider_key % 10) / 10), 1) AS share_pct, NULL::INTEGER AS rank, 'exact' AS qualifier,
       '1' AS value_as_stated, NULL AS note, row_number() OVER ()::BIGINT AS source_line
FROM core.dim_market m, core.dim_period pe, core.dim_provider p;
"""


def main(rows: int = 1_000_000) -> None:
    """Build the table, validate it, print the figures."""
    providers, periods = 20, 50
    markets = max(1, rows // (providers * periods))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.duckdb"
        started = time.perf_counter()
        con = duckdb.connect(str(path))
        con.execute(FACT_SQL.format(markets=markets, periods=periods, providers=providers))
        count = con.execute("SELECT count(*) FROM core.fct_market_share").fetchone()[0]
        con.close()
        built = time.perf_counter() - started
        suite = next(s for s in all_suites() if s.name == "market_shares_are_valid")
        validate_suite(path, suite, Path(folder) / "gx", Path(folder) / "docs")  # warm-up: GX imports, caches
        started = time.perf_counter()
        outcome = validate_suite(path, suite, Path(folder) / "gx", Path(folder) / "docs")
        validated = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows              {count:>12,}")
    print(f"expectations      {len(suite.expectations):>12}")
    print(f"build table       {built:>11.2f}s")
    print(f"validate (GX)     {validated:>11.2f}s   success={outcome.success}")
    print(f"peak RSS          {peak_mb:>10.0f} MB")
    for rule in outcome.failed:
        print(f"  failed {rule.rule}: {rule.unexpected_count} {str(rule.sample)[:300]}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
    sys.stdout.flush()
    import os
    os._exit(0)  # skip DuckDB's noisy nanobind teardown messages
