"""The warehouse's `meta` schema: check results of every refresh."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.connection import run_script

META_SCHEMA_SQL = Path(__file__).parent / "sql" / "meta_schema.sql"


@dataclass(frozen=True)
class RuleResult:
    """One rule's result as stored in meta.check_results."""

    rule: str
    severity: str
    success: bool
    unexpected_count: int
    sample: list


def create_meta_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the meta tables if they are not there yet."""
    run_script(con, META_SCHEMA_SQL)


def record_check(con: duckdb.DuckDBPyConnection, refresh_id: str, asset: str, check_name: str,
                 results: list[RuleResult]) -> None:
    """Append one check's rule results to meta.check_results."""
    con.executemany(
        "INSERT INTO meta.check_results VALUES (?, now(), ?, ?, ?, ?, ?, ?, ?)",
        [[refresh_id, asset, check_name, r.rule, r.severity, r.success, r.unexpected_count,
          json.dumps(r.sample, default=str)] for r in results])
