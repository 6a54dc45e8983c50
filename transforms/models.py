"""The SQL models in this folder: one SELECT per file, materialised as a table named after the file.

Folders are layers and schemas, built in this order: staging → intermediate → core → marts.
A model's description is its leading `--` comment; column descriptions live in `columns.yml`. A model may
use a tolerance of expectations/tolerances.py as `$name`. The keys of core's tables are in `keys.yml`
(transforms/keys.py).
`audits/` holds queries that return the rows breaking a rule (empty = the rule holds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

import duckdb
import yaml

from expectations.tolerances import PLACEHOLDERS
from transforms.keys import keyed_table_ddl, tables_referencing
from warehouse.connection import quote_literal

HERE = Path(__file__).parent
LAYERS = ("staging", "intermediate", "core", "marts")
PUBLISHED_LAYERS = ("core", "marts")
_REFERENCE = re.compile(r"\b(raw|staging|intermediate|core|marts)\.([a-z_][a-z0-9_]*)\b")


@dataclass(frozen=True)
class Model:
    """One SQL model: `layer.name`, built from `sql`, reading the tables in `reads`."""

    name: str
    layer: str
    sql: str
    description: str
    reads: frozenset[tuple[str, str]]

    @property
    def table(self) -> str:
        """The model's qualified table name."""
        return f"{self.layer}.{self.name}"


def _leading_comment(sql: str) -> str:
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines)


@cache
def load_models() -> dict[str, Model]:
    """Every model, by name, in build order of their layers."""
    models = {}
    for layer in LAYERS:
        for path in sorted((HERE / layer).glob("*.sql")):
            sql = Template(path.read_text(encoding="utf-8")).safe_substitute(PLACEHOLDERS)  # tolerances: $name
            reads = frozenset(m.groups() for m in _REFERENCE.finditer(sql))
            models[path.stem] = Model(path.stem, layer, sql, _leading_comment(sql), reads)
    return models


def upstream_models(model: Model) -> list[str]:
    """Names of the models this model reads (raw tables are not models)."""
    models = load_models()
    return sorted(name for layer, name in model.reads if layer != "raw" and name in models and name != model.name)


@cache
def column_descriptions() -> dict[str, str]:
    """Descriptions by column name, or by `table.column` where one table means something else."""
    return yaml.safe_load((HERE / "columns.yml").read_text(encoding="utf-8"))


def materialize(con: duckdb.DuckDBPyConnection, model: Model) -> int:
    """(Re)build the model's table with its comments, in one transaction; return its row count."""
    con.execute("BEGIN")
    try:
        if model.layer not in PUBLISHED_LAYERS:  # those are in the next version (warehouse.next_version)
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {model.layer}")
        _create(con, model)
        con.execute(f"COMMENT ON TABLE {model.table} IS {quote_literal(model.description)}")
        if model.layer in PUBLISHED_LAYERS:
            _comment_columns(con, model)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return con.execute(f"SELECT count(*) FROM {model.table}").fetchone()[0]


def _create(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    """CREATE TABLE AS, or, for a model with keys (transforms/keys.py), CREATE TABLE with them and INSERT.
    Tables holding keys of the old version of this one (by foreign key) are dropped first: their keys
    mean nothing once it is rebuilt, and DuckDB refuses to replace a table others reference."""
    columns = keyed_table_ddl(con, model.layer, model.name, model.sql)
    if columns is None:
        con.execute(f"CREATE OR REPLACE TABLE {model.table} AS\n{model.sql}")
        return
    for dependent in tables_referencing(con, model.layer, model.name):
        con.execute(f"DROP TABLE {dependent}")
    con.execute(f"CREATE OR REPLACE TABLE {model.table} ({columns})")
    con.execute(f"INSERT INTO {model.table}\n{model.sql}")


def _comment_columns(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    docs = column_descriptions()
    columns = con.execute("SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?",
                          [model.layer, model.name]).fetchall()
    for (column,) in columns:
        text = docs.get(f"{model.name}.{column}") or docs.get(column)
        if text:
            con.execute(f'COMMENT ON COLUMN {model.table}."{column}" IS {quote_literal(text)}')


@cache
def audit_sql(name: str) -> str:
    """The query of an audit, tolerances (`$name`, see expectations/tolerances.py) filled in: it returns
    file_name, line_no, field, value, expected for each bad row."""
    return Template((HERE / "audits" / f"{name}.sql").read_text(encoding="utf-8")).substitute(PLACEHOLDERS)


def run_audit(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple]:
    """Rows breaking the audit's rule (file_name, line_no, field, value, expected)."""
    return con.execute(audit_sql(name)).fetchall()
