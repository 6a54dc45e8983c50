"""A bad source file fails the refresh with an error naming file, line, field and what was expected,
and the previously published warehouse stays byte-for-byte as it was."""

from __future__ import annotations

import pytest

from cloudmart.refresh import run_refresh
from cloudmart.settings import Settings
from tests.support import edit_source, file_digest

MOBILE = "mobile-cloud-counterattack-2025.csv"
ALIBABA = "alibaba-cloud-global-race.csv"


def failed_refresh_report(settings: Settings) -> str:
    """Refresh (which must fail) and return everything it reported, errors and failed checks alike."""
    before = file_digest(settings.warehouse_path)
    outcome = run_refresh(settings)
    assert not outcome.success
    assert file_digest(settings.warehouse_path) == before
    samples = [c.sample or "" for c in outcome.checks if not c.passed]
    return "\n".join(outcome.errors + samples)


def test_missing_column(published: Settings):
    path = published.sources_dir / ALIBABA
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",qualifier,citation,note\n", ",citation,note\n", 1), encoding="utf-8")
    report = failed_refresh_report(published)
    assert f"{ALIBABA}, line 9, field 'qualifier': missing column 'qualifier' in the header" in report


@pytest.mark.parametrize("name, old, new, expected", [
    (ALIBABA, "ai_platform_regions,,unspecified,17,,count,exact,[1],", "ai_platform_regions,,unspecified,17,,count,exact,[1]",
     f"{ALIBABA}, line 23: row has 9 fields (expected 10 fields, as in the header)"),
    (MOBILE, "provinces_covered,,unspecified,31,", "provinces_covered,,unspecified,3l,",
     f"| {MOBILE} | 21 | value | 3l | a plain number"),
    (MOBILE, "edge_nodes,,unspecified,6,thousand,", 'edge_nodes,,unspecified,"6,000",,',
     f"| {MOBILE} | 30 | value | 6,000 | a plain number such as 100.4 (no thousands separators"),
    (ALIBABA, "Microsoft Azure,revenue_growth_yoy,,2025-Q2,", "Microsoft Azure,revenue_growth_yoy,,Q2 2025,",
     f"| {ALIBABA} | 24 | period | Q2 2025 | a period label: 2025-Q2, 2024-H1"),
], ids=["missing field", "non-numeric value", "thousands separator", "unknown period label"])
def test_bad_values_name_file_line_and_field(published: Settings, name, old, new, expected):
    edit_source(published, name, old, new)
    assert expected in failed_refresh_report(published)


def test_duplicate_figure(published: Settings):
    path = published.sources_dir / MOBILE
    path.write_text(path.read_text(encoding="utf-8") + "Mobile Cloud,provinces_covered,,unspecified,31,,count,exact,,\n",
                    encoding="utf-8")
    report = failed_refresh_report(published)
    for line in (21, 34):
        assert (f"| {MOBILE} | {line} | entity,metric,market,period | Mobile Cloud \\| provinces_covered \\| "
                f"unspecified | one figure per entity, metric, market and period in a source (this one is stated "
                f"2 times) |") in report


@pytest.mark.parametrize("old, new, field, expected", [
    ("Mobile Cloud,edge_nodes,", "Mobile Clod,edge_nodes,", "entity", "a provider or provider group"),
    ("Mobile Cloud,edge_nodes,", "Mobile Cloud,edge_node,", "metric", "a metric listed in reference/metrics.csv"),
    ("6,thousand,count,at_least", "6,thousands,count,at_least", "magnitude", "empty, thousand, million"),
    ("6,thousand,count,at_least", "6,thousand,count,roughly", "qualifier", "exact, approx, at_least or at_most"),
    ("6,thousand,count,at_least", "6,thousand,USD,at_least", "unit", "count for edge_nodes"),
    ("6,thousand,count,at_least,,", "6,thousand,count,at_least,[9],", "citation", "a citation key"),
])
def test_field_errors_name_line_field_and_expectation(published: Settings, old, new, field, expected):
    edit_source(published, MOBILE, old, new)
    report = failed_refresh_report(published)
    assert f"| {MOBILE} | 30 | {field} |" in report and expected in report


def test_unknown_member_in_reference_data(published: Settings):
    path = published.sources_dir / "reference" / "provider_group_members.csv"
    path.write_text(path.read_text(encoding="utf-8") + "US Big Three,Oracle Cloud\n", encoding="utf-8")
    report = failed_refresh_report(published)
    assert "| reference/provider_group_members.csv | 8 | provider | Oracle Cloud | a provider listed in" in report


def test_front_matter_that_is_not_yaml(published: Settings):
    edit_source(published, MOBILE, "# outlet: unknown\n", "# outlet: [unknown\n")
    report = failed_refresh_report(published)
    assert f"{MOBILE}, line 3: front matter is not valid YAML" in report


def test_no_warehouse_is_published_when_the_first_refresh_fails(settings: Settings):
    edit_source(settings, MOBILE, "provinces_covered,,unspecified,31,", "provinces_covered,,unspecified,x,")
    assert not run_refresh(settings).success
    assert not settings.warehouse_path.exists()
