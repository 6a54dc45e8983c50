"""Keys of the core tables (`keys.yml`): primary keys, unique natural keys, and the foreign keys that follow
from them (warehouse/keys.py: a column named like another core table's one-column primary key references it).

DuckDB cannot declare a key on a table made by CREATE TABLE AS, nor add a foreign key later, so a keyed
model is built as CREATE TABLE with its columns (the types DuckDB infers for its query) and its keys,
then filled by INSERT: DuckDB checks every key as the rows go in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import yaml

from warehouse.connection import quote_identifier
from warehouse.keys import foreign_keys

HERE = Path(__file__).parent
KEYED_LAYER = "core"


@dataclass(frozen=True)
class TableKeys:
    """The declared keys of one core table: its primary key and its unique columns."""

    primary_key: tuple[str, ...]
    unique: tuple[str, ...] = ()
    foreign_keys_in_duckdb: bool = True


@cache
def declared_keys() -> dict[str, TableKeys]:
    """The declared keys of every keyed core table, by table name."""
    declared = yaml.safe_load((HERE / "keys.yml").read_text(encoding="utf-8"))
    return {table: TableKeys(tuple(spec["primary_key"]), tuple(spec.get("unique", ())),
                             spec.get("foreign_keys_in_duckdb", True))
            for table, spec in declared.items()}


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
    if keys.foreign_keys_in_duckdb:
        primary = {table: declared.primary_key for table, declared in declared_keys().items()}
        parts += [f"FOREIGN KEY ({quote_identifier(column)}) REFERENCES {layer}.{table} ({quote_identifier(column)})"
                  for column, table in foreign_keys(name, [column for column, *_ in columns], primary)]
    return ", ".join(parts)


def tables_referencing(con: duckdb.DuckDBPyConnection, layer: str, name: str) -> list[str]:
    """The tables of `layer` whose foreign keys reference `layer.name` (they hold its keys)."""
    return [f"{layer}.{table}" for (table,) in con.execute(
        "SELECT DISTINCT table_name FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY' "
        "AND schema_name = ? AND referenced_table = ? AND table_name <> ? ORDER BY 1", [layer, name, name]).fetchall()]

