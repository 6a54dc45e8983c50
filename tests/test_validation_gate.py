"""Write-audit-publish: a source breaking a rule fails the refresh at the right check, naming the rows,
and the published warehouse stays byte-for-byte as it was. Warnings are published, not blocking."""

from __future__ import annotations

import json

import pytest

from cloudmart.refresh import RefreshOutcome, run_refresh
from foundation.settings import Settings
from tests.support import edit_source, file_digest, refresh_ok
from warehouse.connection import connect

MOBILE = "mobile-cloud-counterattack-2025.csv"
ALIBABA = "alibaba-cloud-global-race.csv"
AUDIT = "figure_rows_are_valid"
Q2_AWS = "Amazon Web Services,market_share,Global cloud infrastructure services,2025-Q2,30,"


def failed_check(settings: Settings, check: str, rule: str) -> str:
    """Refresh (which must fail on `check` / `rule`) and return that check's sample of failing rows."""
    before = file_digest(settings.warehouse_path)
    outcome = run_refresh(settings)
    assert not outcome.success
    assert file_digest(settings.warehouse_path) == before
    failed = {c.name: c for c in outcome.checks if not c.passed}
    assert check in failed and failed[check].blocking, sorted(failed)
    assert rule in failed[check].failed_rules
    return failed[check].sample


def test_seed_sources_pass_every_check(refreshed: Settings):
    with connect(refreshed.warehouse_path, read_only=True) as con:
        rows = con.execute("SELECT count(DISTINCT check_name), bool_and(success), count(DISTINCT refresh_id) "
                           "FROM meta.check_results").fetchone()
    assert rows == (18, True, 1)
    assert (refreshed.data_docs_dir / "index.html").exists()


SHARE = "market_share,Global cloud infrastructure services,2025-Q2"


@pytest.mark.parametrize("name, old, new, check, rule, shown", [
    (MOBILE, "revenue_growth_yoy,,2024,20.4,", "revenue_growth_yoy,,2024,2040,", "provider_financials_are_valid",
     "values_in_plausible_range", ['"value": 2040.0']),
    (MOBILE, "revenue_multiple,,2019..2024,52,", "revenue_multiple,,2019..2024,30,", "financials_are_consistent",
     "revenue_multiple_matches_revenues", ['"stated_multiple": 30.0', '"implied_multiple": 52.84']),
    (ALIBABA, f"US Big Three,{SHARE},63,", f"US Big Three,{SHARE},50,", "group_shares_agree_with_members",
     "group_shares_agree_with_members", ['"group_pct": 50.0', '"members_pct": 63.0']),
    # the row rules on staging catch these first, naming the file and lines (the GX rules on core stay as guards)
    (ALIBABA, f"Microsoft Azure,{SHARE},20,", f"Microsoft Azure,{SHARE},58,", AUDIT, AUDIT,
     [f"| {ALIBABA} | 14 | value | 58 | exact shares of one market and period adding up to at most 100 "
      "(+1.0 for rounding); 4 add up to 105.0 on lines 10, 13, 14, 15 |"]),
    (MOBILE, "2024-H1,4,,rank,", "2024-H1,0,,rank,", AUDIT, AUDIT,
     [f"| {MOBILE} | 26 | value | 0 | a whole number from 1 to 2147483647 (a rank; market_rank) |"]),
    (MOBILE, "Mobile Cloud,revenue,,2019,1.9,", "Mobile Cloud,revenue,,2019,-1.9,", AUDIT, AUDIT,
     [f"| {MOBILE} | 12 | value | -1.9 billion | a number, 0 or more (revenue) |"]),
], ids=["growth outside the band", "multiple the revenues do not give", "group below its members",
        "exact shares sum to 105", "rank 0", "negative revenue"])
def test_a_violating_source_fails_the_right_check(published: Settings, name, old, new, check, rule, shown):
    edit_source(published, name, old, new)
    sample = failed_check(published, check, rule)
    assert all(fragment in sample for fragment in shown), sample


def test_growth_that_the_prior_revenue_does_not_give(published: Settings):
    path = published.sources_dir / MOBILE
    path.write_text(path.read_text(encoding="utf-8") + "Mobile Cloud,revenue,,2023,70,billion,CNY,exact,,\n",
                    encoding="utf-8")
    sample = failed_check(published, "financials_are_consistent", "growth_matches_prior_revenue")
    assert '"stated_prior_revenue": 70000000000.0' in sample and '"implied_prior_revenue": 83388704318.94' in sample


def test_two_sources_disagreeing_is_a_published_warning(published: Settings):
    (published.sources_dir / "second-opinion.csv").write_text(
        '# title: "A second opinion"\n# published: 2025-08-01\n'
        "entity,metric,market,period,value,magnitude,unit,qualifier,citation,note\n"
        f"{Q2_AWS.replace(',30,', ',31,')},pct,exact,,\n", encoding="utf-8")
    outcome: RefreshOutcome = refresh_ok(published)
    warning = next(c for c in outcome.checks if c.name == "sources_agree_with_each_other")
    assert not warning.passed and not warning.blocking and warning.problems == 1
    with connect(published.warehouse_path, read_only=True) as con:
        stored = con.execute("SELECT sample FROM meta.check_results WHERE rule = 'sources_agree_with_each_other' "
                             "AND refresh_id = ?", [outcome.run_id]).fetchone()[0]
        assert con.execute("SELECT count(*) FROM marts.figures").fetchone()[0] == 40
    pair = json.loads(stored)[0]
    assert (pair["source_a"], pair["value_a"], pair["source_b"], pair["value_b"]) == (
        "alibaba-cloud-global-race", 30.0, "second-opinion", 31.0)


@pytest.mark.parametrize("check", ["market_shares_are_valid", "every_figure_is_traceable"])
def test_check_results_of_every_refresh_are_kept(published: Settings, check: str):
    outcome = refresh_ok(published)
    with connect(published.warehouse_path, read_only=True) as con:
        refreshes = con.execute("SELECT list(DISTINCT refresh_id) FROM meta.check_results WHERE check_name = ?",
                                [check]).fetchone()[0]
    assert len(refreshes) == 2 and outcome.run_id in refreshes


def test_data_docs_keep_every_refresh_and_render_only_the_new_results(published: Settings):
    docs = published.data_docs_dir
    first = sorted((docs / "validations").rglob("*.html"))
    rendered = {page: page.stat().st_mtime_ns for page in first}
    refresh_ok(published)
    pages = sorted((docs / "validations").rglob("*.html"))
    assert len(first) == 15 and len(pages) == 30  # 15 suites, each validated once per refresh
    assert {page: page.stat().st_mtime_ns for page in first} == rendered  # earlier pages left as they were
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert all(page.relative_to(docs).as_posix() in index for page in pages)
    assert len(list((docs / "expectations").glob("*.html"))) == 15
