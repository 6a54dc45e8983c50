"""One answer per question: marts.reconciled_figures chooses among sources by an explicit rule, and the trend
marts compare the answers over time. Checked through a real refresh of the seed sources plus small source files
of our own (agreeing, disagreeing, tied, approximate against exact, bounds, an unknown publication date)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from cloudmart.refresh import run_refresh
from foundation.settings import Settings
from expectations.suites import all_suites
from expectations.validation import validate_suite
from tests.conftest import fresh_settings
from tests.support import refresh_ok
from warehouse.connection import connect

GLOBAL = "Global cloud infrastructure services"
HEADER = "entity,metric,market,period,value,magnitude,unit,qualifier,citation,note\n"
# The seed file alibaba-cloud-global-race.csv (publication date unknown) states for 2025-Q2: AWS 30, Azure 20,
# Google Cloud 13, Alibaba Cloud 4 (exact), the US Big Three 63 (exact) and market spend of USD 99 billion.
SOURCES = {
    "tracker-a": ("2025-08-01", [
        f"Amazon Web Services,market_share,{GLOBAL},2025-Q2,30,,pct,exact,,",
        f"Amazon Web Services,market_share,{GLOBAL},2025-Q1,29,,pct,exact,,",
        f"Amazon Web Services,market_share,{GLOBAL},2024-Q2,31,,pct,exact,,",
        f"Microsoft Azure,market_share,{GLOBAL},2025-Q2,22,,pct,exact,,",
        f"Microsoft Azure,market_share,{GLOBAL},2025-Q1,21,,pct,exact,,",
        f"Google Cloud,market_share,{GLOBAL},2025-Q2,13,,pct,exact,,",
        f"Alibaba Cloud,market_share,{GLOBAL},2025-Q2,4,,pct,exact,,",
        f",market_spend,{GLOBAL},2025-Q1,94,billion,USD,exact,,",
        f",market_spend,{GLOBAL},2024-Q2,80,billion,USD,exact,,",
    ]),
    "tracker-b": ("2025-08-01", [  # published the same day as tracker-a: ties
        f"Google Cloud,market_share,{GLOBAL},2025-Q2,12,,pct,exact,,",
        f"Alibaba Cloud,market_share,{GLOBAL},2025-Q2,6,,pct,exact,,",
    ]),
    "estimate-c": ("2025-09-01", [  # the newest, but approximate or bounds only
        f"Amazon Web Services,market_share,{GLOBAL},2025-Q2,31,,pct,approx,,",
        f"Microsoft Azure,market_share,{GLOBAL},2025-Q1,22,,pct,approx,,",
        f"US Big Three,market_share,{GLOBAL},2025-Q2,60,,pct,at_least,,",
        f"Google Cloud,market_share,{GLOBAL},2024-Q2,10,,pct,at_least,,",
    ]),
}


def write_source(settings: Settings, source_id: str, published: str, rows: list[str]) -> None:
    (settings.sources_dir / f"{source_id}.csv").write_text(
        f'# title: "Test source {source_id}"\n# published: {published}\n' + HEADER + "\n".join(rows) + "\n",
        encoding="utf-8")


@pytest.fixture(scope="module")
def reconciled(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = fresh_settings(tmp_path_factory.mktemp("reconciled"))
    for source_id, (published, rows) in SOURCES.items():
        write_source(settings, source_id, published, rows)
    refresh_ok(settings)
    return settings


def rows(settings: Settings, sql: str, params=None) -> list[dict]:
    with connect(settings.warehouse_path, read_only=True) as con:
        cursor = con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def answer(settings: Settings, entity: str | None, period: str, metric: str = "market_share") -> dict:
    found = rows(settings, "SELECT * FROM marts.reconciled_figures WHERE entity_name IS NOT DISTINCT FROM ? "
                           "AND metric = ? AND market_name = ? AND period_label = ?", [entity, metric, GLOBAL, period])
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("entity, period, expected", [
    # two exact sources agree; the one with a known date beats the undated seed although its id sorts later
    ("Amazon Web Services", "2025-Q2", dict(value=30.0, qualifier="exact", source_id="tracker-a",
                                             chosen_by="most_recent", n_sources=3, n_agreeing=3, agrees=True,
                                             min_value=30.0, max_value=31.0, tie_disagrees=False,
                                             source_ids=["tracker-a", "alibaba-cloud-global-race", "estimate-c"])),
    # two exact sources disagree (22 against 20): the dated one is chosen, the doubt is shown
    ("Microsoft Azure", "2025-Q2", dict(value=22.0, source_id="tracker-a", chosen_by="most_recent", n_sources=2,
                                         n_agreeing=1, agrees=False, min_value=20.0, max_value=22.0)),
    # exact over a newer approx (about 22 against 21: within the approximate tolerance)
    ("Microsoft Azure", "2025-Q1", dict(value=21.0, qualifier="exact", source_id="tracker-a", chosen_by="qualifier",
                                         n_sources=2, n_agreeing=2, agrees=True)),
    # a tie (same qualifier and date) within one point: agreeing, so not flagged
    ("Google Cloud", "2025-Q2", dict(value=13.0, source_id="tracker-a", chosen_by="tie", n_sources=3,
                                      n_agreeing=3, agrees=True, tie_disagrees=False)),
    # a tie that disagrees (4 against 6): taken by source_id and flagged
    ("Alibaba Cloud", "2025-Q2", dict(value=4.0, source_id="tracker-a", chosen_by="tie", n_sources=3,
                                       n_agreeing=2, agrees=False, tie_disagrees=True,
                                       source_ids=["tracker-a", "tracker-b", "alibaba-cloud-global-race"])),
    # an exact figure over a newer lower bound it satisfies
    ("US Big Three", "2025-Q2", dict(value=63.0, qualifier="exact", source_id="alibaba-cloud-global-race",
                                      chosen_by="qualifier", n_sources=2, n_agreeing=2, agrees=True,
                                      entity_kind="provider_group", is_group=True)),
    # a bound is the answer when nothing else is stated
    ("Google Cloud", "2024-Q2", dict(value=10.0, qualifier="at_least", source_id="estimate-c",
                                      chosen_by="only_source", n_sources=1, n_agreeing=1, agrees=True)),
])
def test_the_choice_rule(reconciled: Settings, entity, period, expected):
    found = answer(reconciled, entity, period)
    assert {key: found[key] for key in expected} == expected


def test_an_unknown_publication_date_is_chosen_only_when_nothing_dated_ties(reconciled: Settings):
    found = answer(reconciled, None, "2025-Q2", metric="market_spend")
    assert (found["value"], found["source_id"], found["source_published_date"], found["chosen_by"],
            found["entity_kind"], found["is_group"]) == (
        99e9, "alibaba-cloud-global-race", None, "only_source", "whole_market", None)


def test_one_row_per_answer_and_unspecified_periods_kept_apart(reconciled: Settings):
    counts = rows(reconciled, """
        SELECT count(*) AS answers, count(DISTINCT (entity_name, metric, unit, market_name, period_label)) AS grains,
               count(*) FILTER (WHERE period_grain = 'unspecified') AS unspecified,
               (SELECT count(DISTINCT (entity_name, metric, unit, market_name, period_label)) FROM marts.figures
                WHERE period_grain <> 'unspecified') AS stated
        FROM marts.reconciled_figures""")[0]
    assert counts["answers"] == counts["grains"] == counts["stated"] and counts["unspecified"] == 0
    assert rows(reconciled, "SELECT count(*) AS n FROM marts.figures WHERE period_label = 'unspecified'")[0]["n"] > 0


def test_share_trends_compare_with_the_previous_quarter_and_a_year_earlier(reconciled: Settings):
    trend = rows(reconciled, """
        SELECT period_label, share_pct, previous_period_label, change_vs_previous_pts, change_vs_previous_qualifier,
               year_ago_period_label, change_vs_year_ago_pts, change_vs_year_ago_qualifier
        FROM marts.share_trends WHERE provider_name = 'Amazon Web Services' AND market_name = ?""", [GLOBAL])
    assert [(r["period_label"], r["share_pct"]) for r in trend] == [("2024-Q2", 31.0), ("2025-Q1", 29.0),
                                                                     ("2025-Q2", 30.0)]  # in period order
    q2 = trend[-1]
    assert (q2["previous_period_label"], q2["change_vs_previous_pts"], q2["change_vs_previous_qualifier"]) == (
        "2025-Q1", 1.0, "exact")
    assert (q2["year_ago_period_label"], q2["change_vs_year_ago_pts"], q2["change_vs_year_ago_qualifier"]) == (
        "2024-Q2", -1.0, "exact")
    assert trend[1]["previous_period_label"] is None  # 2024-Q4 is not stated: no change against 2024-Q2
    google = rows(reconciled, "SELECT change_vs_year_ago_pts, year_ago_share_pct FROM marts.share_trends "
                              "WHERE provider_name = 'Google Cloud' AND period_label = '2025-Q2'")
    assert google == [dict(change_vs_year_ago_pts=None, year_ago_share_pct=10.0)]  # a year ago is only a bound


def test_every_answer_sits_beside_the_answers_it_is_compared_with(reconciled: Settings):
    aws = answer(reconciled, "Amazon Web Services", "2025-Q2")
    assert (aws["previous_period_label"], aws["previous_value"], aws["vs_previous_qualifier"],
            aws["year_ago_period_label"], aws["year_ago_value"], aws["vs_year_ago_qualifier"]) == (
        "2025-Q1", 29.0, "exact", "2024-Q2", 31.0, "exact")
    alibaba = rows(reconciled, "SELECT previous_period_label, year_ago_period_label, year_ago_value FROM "
                               "marts.reconciled_figures WHERE entity_name = 'Alibaba Cloud' AND period_label = '2023-Q4'")
    assert alibaba == [dict(previous_period_label=None, year_ago_period_label="2022-Q4", year_ago_value=5.0)]


def test_market_trends_derive_growth(reconciled: Settings):
    trend = rows(reconciled, """
        SELECT period_label, value, currency, growth_vs_previous_pct, growth_vs_year_ago_pct, growth_vs_year_ago_qualifier,
               derivation
        FROM marts.market_trends WHERE market_name = ? AND metric = 'market_spend'""", [GLOBAL])
    assert [(r["period_label"], r["value"], r["currency"]) for r in trend] == [
        ("2024-Q2", 80e9, "USD"), ("2025-Q1", 94e9, "USD"), ("2025-Q2", 99e9, "USD")]
    assert (trend[2]["growth_vs_previous_pct"], trend[2]["growth_vs_year_ago_pct"],
            trend[2]["growth_vs_year_ago_qualifier"]) == (round((99 / 94 - 1) * 100, 2), 23.75, "exact")
    assert trend[0]["growth_vs_previous_pct"] is None and "÷" in trend[2]["derivation"]


def test_a_tie_that_disagrees_is_a_published_warning(reconciled: Settings):
    found = rows(reconciled, "SELECT success, severity, sample FROM meta.check_results "
                             "WHERE rule = 'reconciled_ties_agree'")
    assert [(r["success"], r["severity"]) for r in found] == [(False, "warning")]
    assert [(row["entity_name"], row["source_ids"]) for row in json.loads(found[0]["sample"])] == [
        ("Alibaba Cloud", ["tracker-a", "tracker-b", "alibaba-cloud-global-race"])]
    passed = rows(reconciled, "SELECT rule FROM meta.check_results WHERE success AND check_name IN "
                              "('reconciled_figures_are_valid', 'share_trends_are_valid', 'market_trends_are_valid')")
    assert len(passed) == 4


def test_reconciled_shares_over_100_are_a_published_warning(settings: Settings):
    # Each source alone adds up to at most 100 %; the answers chosen from both add up to 105 %.
    write_source(settings, "newer", "2025-11-01", [f"Amazon Web Services,market_share,{GLOBAL},2025-Q3,60,,pct,exact,,"])
    write_source(settings, "older", "2025-10-01", [f"Amazon Web Services,market_share,{GLOBAL},2025-Q3,50,,pct,exact,,",
                                                   f"Microsoft Azure,market_share,{GLOBAL},2025-Q3,45,,pct,exact,,"])
    outcome = run_refresh(settings)
    assert outcome.success, outcome.errors
    found = rows(settings, "SELECT success, sample FROM meta.check_results "
                           "WHERE rule = 'reconciled_exact_shares_sum_to_at_most_100'")
    assert not found[0]["success"]
    assert [(r["period_label"], r["total_pct"]) for r in json.loads(found[0]["sample"])] == [("2025-Q3", 105.0)]


def suite_named(name: str):
    return next(s for s in all_suites() if s.name == name)


def test_broken_reconciled_rows_fail_the_critical_rules(tmp_path: Path):
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("""CREATE SCHEMA marts;
            CREATE TABLE marts.reconciled_figures AS SELECT * FROM (VALUES
                ('AWS', 'market_share', 'pct', 'Global', '2025-Q2', 2, 2, ['a', 'b']),
                ('AWS', 'market_share', 'pct', 'Global', '2025-Q2', 1, 1, ['a']),     -- a second row for one grain
                (NULL, 'market_spend', 'USD', 'Global', '2025-Q2', 1, 3, ['a']))      -- 3 agreeing of 1
                AS t(entity_name, metric, unit, market_name, period_label, n_sources, n_agreeing, source_ids)""")
    outcome = validate_suite(path, suite_named("reconciled_figures_are_valid"), tmp_path / "gx", tmp_path / "docs")
    failed = {r.rule: r.sample for r in outcome.failed}
    assert set(failed) == {"one_row_per_grain", "agreeing_sources_within_sources"}
    assert [r["metric"] for r in failed["agreeing_sources_within_sources"]] == ["market_spend"]


@pytest.mark.parametrize("suite, table, columns", [
    ("share_trends_are_valid", "share_trends", "provider_name, market_name, period_label"),
    ("market_trends_are_valid", "market_trends", "market_name, metric, unit, period_label"),
])
def test_a_trend_row_twice_fails_one_row_per_grain(tmp_path: Path, suite, table, columns):
    path = tmp_path / "w.duckdb"
    values = ", ".join(f"'x' AS {c}" for c in columns.split(", "))
    with duckdb.connect(str(path)) as con:
        con.execute(f"CREATE SCHEMA marts; CREATE TABLE marts.{table} AS SELECT {values} FROM range(2)")
    outcome = validate_suite(path, suite_named(suite), tmp_path / "gx", tmp_path / "docs")
    assert [(r.rule, r.unexpected_count) for r in outcome.failed] == [("one_row_per_grain", 1)]


def test_new_marts_and_columns_carry_descriptions(reconciled: Settings):
    missing = rows(reconciled, """
        SELECT table_name, column_name FROM duckdb_columns()
        WHERE schema_name = 'marts' AND table_name IN ('reconciled_figures', 'share_trends', 'market_trends')
          AND (comment IS NULL OR comment = '')""")
    assert missing == []
    assert len(rows(reconciled, "SELECT 1 FROM duckdb_tables() WHERE schema_name = 'marts' AND comment <> '' AND "
                                "table_name IN ('reconciled_figures', 'share_trends', 'market_trends')")) == 3


def test_period_order_sorts_by_start_then_grain(reconciled: Settings):
    periods = rows(reconciled, "SELECT period_label FROM core.dim_period ORDER BY period_order")
    labels = [p["period_label"] for p in periods]
    assert labels.index("2019") < labels.index("2019..2024") < labels.index("2022-Q4")
    assert labels.index("2024-H1") < labels.index("2024")  # same start: the shorter grain first
    assert labels.index("2023-11-11") < labels.index("as of 2023-12-31") < labels.index("2024-H1")
    assert labels[-1] == "unspecified"
    assert rows(reconciled, "SELECT bool_and(period_key = period_order) AS same FROM core.dim_period") == [
        dict(same=True)]


def test_mart_consistency_columns(reconciled: Settings):
    figures = rows(reconciled, """
        SELECT source_id, source_published, source_published_date, source_outlet FROM marts.figures
        WHERE source_id IN ('alibaba-cloud-global-race', 'mobile-cloud-counterattack-2025') GROUP BY ALL ORDER BY 1""")
    assert figures == [
        dict(source_id="alibaba-cloud-global-race", source_published="unknown", source_published_date=None,
             source_outlet=None),
        dict(source_id="mobile-cloud-counterattack-2025", source_published="2025-04-20",
             source_published_date=date(2025, 4, 20), source_outlet=None)]
    assert rows(reconciled, "SELECT DISTINCT is_group, entity_kind FROM marts.figures WHERE entity_name IS NULL") == [
        dict(is_group=None, entity_kind="whole_market")]
    group = rows(reconciled, "SELECT period_start, period_end, source_title, citation FROM marts.group_shares "
                             "WHERE provider_group_name = 'US Big Three' AND period_label = '2025-Q2' "
                             "AND source_id = 'alibaba-cloud-global-race'")
    assert [(g["period_start"], g["period_end"], g["source_title"][:8], g["citation"]) for g in group] == [
        (date(2025, 4, 1), date(2025, 6, 30), "Alibaba'", "[2]")]
    assert rows(reconciled, "SELECT DISTINCT unit FROM marts.market_size") == [dict(unit="USD")]
    assert rows(reconciled, "SELECT DISTINCT source_id FROM marts.derived_figures ORDER BY 1") == [
        dict(source_id="alibaba-cloud-global-race"), dict(source_id="mobile-cloud-counterattack-2025"),
        dict(source_id="tracker-a")]
