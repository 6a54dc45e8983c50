"""Keys of the core tables (`keys.yml`): primary keys, unique natural keys, and the foreign keys that follow
from them (a column named like another core table's one-column primary key references that table).

DuckDB cannot declare a key on a table made by CREATE TABLE AS, nor add a foreign key later, so a keyed
model is built as CREATE TABLE with its columns (the types DuckDB infers for its query) and its keys,
then filled by INSERT: DuckDB checks every key as the rows go in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import yaml

from warehouse.connection import quote_identifier

HERE = Path(__file__).parent
KEYED_LAYER = "core"


@dataclass(frozen=True)
class TableKeys:
    """The declared keys of one core table: its primary key and its unique columns."""

    primary_key: tuple[str, ...]
    unique: tuple[str, ...] = ()


@cache
def declared_keys() -> dict[str, TableKeys]:
    """The declared keys of every keyed core table, by table name."""
    declared = yaml.safe_load((HERE / "keys.yml").read_text(encoding="utf-8"))
    return {table: TableKeys(tuple(spec["primary_key"]), tuple(spec.get("unique", ())))
            for table, spec in declared.items()}


@cache
def key_owners() -> dict[str, str]:
    """Each one-column primary key of one table only (a dimension's), mapped to that table: a column of that
    name elsewhere references it. figure_key, every fact's own key, refers to nothing."""
    single = [(keys.primary_key[0], table) for table, keys in declared_keys().items() if len(keys.primary_key) == 1]
    counts = Counter(column for column, _ in single)
    return {column: table for column, table in single if counts[column] == 1}


def keyed_table_ddl(con: duckdb.DuckDBPyConnection, layer: str, name: str, sql: str) -> str | None:
    """The column and key definitions of the model's table (for CREATE TABLE … (<this>)), or None when
    the model declares no keys."""
    keys = declared_keys().get(name) if layer == KEYED_LAYER else None
    if keys is None:
        return None
    columns = con.execute(f"DESCRIBE {sql}").fetchall()
    parts = [f"{quote_identifier(column)} {kind}" for column, kind, *_ in columns]
    parts.append(f"PRIMARY KEY ({', '.join(map(quote_identifier, keys.primary_key))})")
    parts += [f"UNIQUE ({quote_identifier(column)})" for column in keys.unique]
    parts += [f"FOREIGN KEY ({quote_identifier(column)}) REFERENCES {layer}.{key_owners()[column]} "
              f"({quote_identifier(column)})"
              for column, *_ in columns if key_owners().get(column, name) != name]
    return ", ".join(parts)


def tables_referencing(con: duckdb.DuckDBPyConnection, layer: str, name: str) -> list[str]:
    """The tables of `layer` whose foreign keys reference `layer.name` (they hold its keys)."""
    return [f"{layer}.{table}" for (table,) in con.execute(
        "SELECT DISTINCT table_name FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY' "
        "AND schema_name = ? AND referenced_table = ? AND table_name <> ? ORDER BY 1", [layer, name, name]).fetchall()]

