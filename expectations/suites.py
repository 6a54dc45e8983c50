"""The expectation suites: which rules each warehouse table must keep, as plain data naming GX Core
expectations (expectations.validation turns them into GX objects when a suite is validated, so that
importing the definitions does not import GX, which takes seconds).

A suite belongs to one table and has one severity: `critical` rules block publishing, `warning`
rules are reported and published alongside the data. Custom SQL rules live in `sql/`, with
`{batch}` standing for the table and `$name` for a tolerance from `tolerances.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

from expectations.tolerances import PLACEHOLDERS

SQL = Path(__file__).parent / "sql"
QUALIFIERS = ["exact", "approx", "at_least", "at_most"]
PERIOD_GRAINS = ["quarter", "half", "year", "span", "day", "point", "unspecified"]
DIMENSIONS = {
    "provider_key": "core.dim_provider", "provider_group_key": "core.dim_provider_group",
    "market_key": "core.dim_market", "period_key": "core.dim_period", "metric_key": "core.dim_metric",
    "source_key": "core.dim_source", "citation_key": "core.dim_citation",
}


UNEXPECTED_ROWS = "UnexpectedRowsExpectation"


@dataclass(frozen=True)
class Rule:
    """One rule: the GX Core expectation class `expectation` (a name in great_expectations.expectations)
    with its keyword arguments, named `name` in results, at `severity`."""

    name: str
    expectation: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    severity: str = "critical"
    description: str | None = None

    @property
    def query(self) -> str:
        """The custom SQL of an UnexpectedRowsExpectation ('' for other rules)."""
        return self.kwargs.get("unexpected_rows_query", "")


@dataclass(frozen=True)
class Suite:
    """Rules for one table at one severity ('critical' blocks publishing, 'warning' does not)."""

    name: str
    table: str
    severity: str
    expectations: tuple[Rule, ...]

    @property
    def blocking(self) -> bool:
        """Whether a failure stops the refresh from publishing."""
        return self.severity == "critical"


def rule_sql(name: str) -> str:
    """A custom SQL rule from `sql/`, tolerances filled in, `{batch}` left for GX."""
    return Template((SQL / f"{name}.sql").read_text(encoding="utf-8")).substitute(PLACEHOLDERS)


def unexpected_rows(name: str, query: str, severity: str, description: str) -> Rule:
    """Expect the SQL `query` (`{batch}` standing for the table) to return no rows."""
    return Rule(name, UNEXPECTED_ROWS, {"unexpected_rows_query": query}, severity, description)


def rows_breaking(name: str, severity: str) -> Rule:
    """Expect the custom SQL rule `name` to return no rows."""
    return unexpected_rows(name, rule_sql(name), severity, _first_comment(name))


def keys_resolve(keys: list[str], severity: str) -> Rule:
    """Expect every non-null key among `keys` to be found in its dimension."""
    orphans = " OR ".join(f"({key} IS NOT NULL AND {key} NOT IN (SELECT {key} FROM {DIMENSIONS[key]}))"
                          for key in keys)
    return unexpected_rows("fact_keys_resolve", f"SELECT figure_key, {', '.join(keys)} FROM {{batch}} WHERE {orphans}",
                           severity, "Every key of the fact row is found in its dimension.")


def no_duplicates(columns: list[str], rule: str, severity: str = "critical") -> Rule:
    """Expect no two rows to share their values of `columns` (a NULL equals a NULL); a single column's
    NULLs are left to its not-null rule. One GROUP BY: GX's own uniqueness expectations scan the table
    twice with a window or a join, four times the cost on the largest fact tables."""
    listed = ", ".join(columns)
    where = f" WHERE {columns[0]} IS NOT NULL" if len(columns) == 1 else ""
    return unexpected_rows(rule, f"SELECT {listed}, count(*) AS row_count FROM {{batch}}{where} "
                                 f"GROUP BY ALL HAVING count(*) > 1", severity, f"No two rows have the same {listed}.")


def _first_comment(name: str) -> str:
    lines = (SQL / f"{name}.sql").read_text(encoding="utf-8").splitlines()
    return " ".join(line[2:].strip() for line in lines if line.startswith("--"))


def _not_null(columns: list[str], identify: list[str]) -> Rule:
    """Expect no empty (NULL) value in `columns`; each failing row shows `identify` and names its empty
    columns. One rule for all of them: GX spends ~25 ms per expectation, far more than these checks
    cost DuckDB, and 41 per-column rules made a quarter of every refresh's validation time."""
    empty = ", ".join(f"CASE WHEN {c} IS NULL THEN '{c}' END" for c in columns)
    return unexpected_rows("required_columns_not_null",
                           f"SELECT {', '.join(identify)}, concat_ws(', ', {empty}) AS empty_columns "
                           f"FROM {{batch}} WHERE " + " OR ".join(f"{c} IS NULL" for c in columns),
                           "critical", f"Never empty: {', '.join(columns)}.")


def _dimension(table: str, key: str, natural_key: str) -> Suite:
    name = table.split(".")[1]
    return Suite(f"{name}_keys_are_unique", table, "critical", (
        _not_null([key, natural_key], [key, natural_key]),
        no_duplicates([key], f"{key}_unique"),
        no_duplicates([natural_key], f"{natural_key}_unique"),
    ))


def _fact(name: str, table: str, keys: list[str], required: list[str], extra: list[Rule],
          has_value: bool = True) -> Suite:
    grain = [k for k in keys if k != "citation_key"]
    plausible = [rows_breaking("values_in_plausible_range", "critical")] if has_value else []
    return Suite(name, table, "critical", (
        _not_null(["figure_key", *required, "qualifier", "source_line"], ["figure_key", "source_line"]),
        no_duplicates(["figure_key"], "figure_key_unique"),
        no_duplicates(grain, "one_row_per_grain"),
        Rule("known_qualifier", "ExpectColumnValuesToBeInSet", {"column": "qualifier", "value_set": QUALIFIERS}),
        keys_resolve(keys, "critical"),
        *plausible,
        *extra,
    ))


ENTITY_KEYS = ["provider_key", "provider_group_key"]
COMMON_KEYS = ["market_key", "period_key", "metric_key", "source_key", "citation_key"]
RECONCILED_GRAIN = ["entity_name", "metric", "unit", "market_name", "period_label"]


@cache
def all_suites() -> tuple[Suite, ...]:
    """Every suite, in the order the tables are built."""
    return (
        _dimension("core.dim_provider", "provider_key", "provider_name"),
        _dimension("core.dim_provider_group", "provider_group_key", "provider_group_name"),
        _dimension("core.dim_market", "market_key", "market_name"),
        _dimension("core.dim_metric", "metric_key", "metric_name"),
        _dimension("core.dim_source", "source_key", "source_id"),
        Suite("periods_have_valid_bounds", "core.dim_period", "critical", (
            _not_null(["period_key", "period_label", "period_grain"], ["period_key", "period_label"]),
            no_duplicates(["period_label"], "period_label_unique"),
            Rule("known_period_grain", "ExpectColumnValuesToBeInSet",
                 {"column": "period_grain", "value_set": PERIOD_GRAINS}),
            Rule("period_ends_after_it_starts", "ExpectColumnPairValuesAToBeGreaterThanB",
                 {"column_A": "end_date", "column_B": "start_date", "or_equal": True,
                  "ignore_row_if": "either_value_is_missing"}),
            rows_breaking("period_length_fits_grain", "critical"),
        )),
        _fact("market_shares_are_valid", "core.fct_market_share", ENTITY_KEYS + COMMON_KEYS,
              ["period_key", "metric_key", "source_key", "market_key"], [
                  Rule("share_within_0_100", "ExpectColumnValuesToBeBetween",
                       {"column": "share_pct", "min_value": 0, "max_value": 100}),
                  Rule("rank_at_least_1", "ExpectColumnValuesToBeBetween", {"column": "rank", "min_value": 1}),
                  rows_breaking("entity_is_one_provider_or_group", "critical"),
                  rows_breaking("exact_shares_sum_to_at_most_100", "critical"),
              ], has_value=False),
        Suite("group_shares_agree_with_members", "marts.group_shares", "critical", (
            rows_breaking("group_shares_agree_with_members", "critical"),
        )),
        Suite("group_shares_match_members", "marts.group_shares", "warning", (
            rows_breaking("group_share_vs_members", "warning"),
        )),
        _fact("provider_financials_are_valid", "core.fct_provider_financials", ENTITY_KEYS + COMMON_KEYS,
              ["period_key", "metric_key", "source_key"], [
                  rows_breaking("entity_is_one_provider_or_group", "critical"),
              ]),
        _fact("market_sizes_are_valid", "core.fct_market_size", COMMON_KEYS,
              ["period_key", "metric_key", "source_key", "market_key"], []),
        _fact("operating_metrics_are_valid", "core.fct_operating_metrics", ENTITY_KEYS + COMMON_KEYS,
              ["period_key", "metric_key", "source_key"], [
                  rows_breaking("entity_is_one_provider_or_group", "critical"),
              ]),
        Suite("financials_are_consistent", "marts.provider_financials", "critical", (
            rows_breaking("revenue_multiple_matches_revenues", "critical"),
            rows_breaking("growth_matches_prior_revenue", "critical"),
        )),
        Suite("every_figure_is_traceable", "marts.figures", "critical", (
            _not_null(["source_id", "source_title", "source_published", "source_file", "source_line",
                       "source_version", "value", "metric", "period_label"], ["figure_key", "source_file", "source_line"]),
            rows_breaking("every_figure_reaches_the_marts", "critical"),
        )),
        Suite("sources_agree_with_each_other", "marts.figures", "warning", (
            rows_breaking("sources_agree_with_each_other", "warning"),
        )),
        Suite("reconciled_figures_are_valid", "marts.reconciled_figures", "critical", (
            no_duplicates(RECONCILED_GRAIN, "one_row_per_grain"),
            rows_breaking("agreeing_sources_within_sources", "critical"),
        )),
        # Warnings: each source may be right on its own terms; the answers are published with the doubt shown.
        Suite("reconciled_figures_are_coherent", "marts.reconciled_figures", "warning", (
            rows_breaking("reconciled_exact_shares_sum_to_at_most_100", "warning"),
            rows_breaking("reconciled_ties_agree", "warning"),
        )),
        Suite("share_trends_are_valid", "marts.share_trends", "critical", (
            no_duplicates(["provider_name", "market_name", "period_label"], "one_row_per_grain"),
        )),
        Suite("market_trends_are_valid", "marts.market_trends", "critical", (
            no_duplicates(["market_name", "metric", "unit", "period_label"], "one_row_per_grain"),
        )),
    )
