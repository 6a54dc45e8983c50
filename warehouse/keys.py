"""The foreign-key rule of the star schema, shared by the build (transforms/keys.py) and the PostgreSQL publish:
a column named like another table's one-column primary key references that table, when no other table has a
primary key of that name (figure_key, every fact's own key, refers to nothing)."""

from __future__ import annotations

from collections import Counter


def key_owners(primary_keys: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Each one-column primary key held by one table only, mapped to that table."""
    single = [(columns[0], table) for table, columns in primary_keys.items() if len(columns) == 1]
    counts = Counter(column for column, _ in single)
    return {column: table for column, table in single if counts[column] == 1}


def foreign_keys(table: str, columns: list[str], primary_keys: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """(column, referenced table) for each column of `table` that references another table by the rule."""
    owners = key_owners(primary_keys)
    return [(column, owners[column]) for column in columns if owners.get(column, table) != table]
