"""Trying a new version of a figure sheet against the figure rules before it is accepted: an in-memory
warehouse with the reference files and that one sheet, the staging models the figure audit reads, and
the audit. Used for remote sources, whose last good version must not be replaced by a bad one."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import duckdb

from foundation.errors import SourceError, cut
from ingest.source_files import SourceFile, read_source_file
from transforms.models import Model, audit_sql, load_models, materialize, run_audit, upstream_models
from warehouse.raw import REFERENCE_KINDS, append_versions, check_figure_sheet, create_raw_schema, \
    expected_columns, set_current_files

FIGURE_AUDIT = "figure_rows_are_valid"


def figure_problems(sheet: SourceFile, references: list[SourceFile]) -> list[tuple]:
    """The figure audit's problems (file_name, line_no, field, value, expected) in `sheet`."""
    con = duckdb.connect(":memory:")
    try:
        create_raw_schema(con)
        sources = [*references, sheet]
        append_versions(con, sources, {kind: expected_columns(con, kind) for kind in {s.kind for s in sources}})
        set_current_files(con, sources)
        for model in _audited_models(FIGURE_AUDIT):
            materialize(con, model)
        return [row for row in run_audit(con, FIGURE_AUDIT) if row[0] == sheet.name]
    finally:
        con.close()


def sheet_validator(sources_dir: Path) -> Callable[[Path, str], SourceFile]:
    """A check for a fetched figure sheet: parse checks, then the figure rules against the reference files
    of `sources_dir` (read once, on the first sheet checked). Raises SourceError naming the first problem."""
    references: list[SourceFile] = []

    def validate(path: Path, name: str) -> SourceFile:
        sheet = check_figure_sheet(path, name)
        if not references:  # the reference files alone: hashing every local figure sheet is not needed here
            references.extend(read_source_file(path, f"reference/{path.name}", path.stem)
                              for path in sorted((sources_dir / "reference").glob("*.csv"))
                              if path.stem in REFERENCE_KINDS)
        problems = figure_problems(sheet, references)
        if problems:
            _, line, field, value, expected = problems[0]
            raise SourceError(name, f"{len(problems)} figure rule problem(s), the first: value {cut(value)!r}",
                              line=line, field=field, expected=expected)
        return sheet

    return validate


def _audited_models(audit: str) -> list[Model]:
    """The models an audit reads, with what they read, each after its upstream models."""
    models, order = load_models(), []

    def visit(name: str) -> None:
        if models[name] not in order:
            for upstream in upstream_models(models[name]):
                visit(upstream)
            order.append(models[name])

    for name in models:
        if f".{name}" in audit_sql(audit):
            visit(name)
    return order
