"""Periods: absolute, completed by context, relative to the period stated before, vague."""

from __future__ import annotations

import pytest

from extraction.periods import UNSPECIFIED, find_periods, resolve_periods


def labels(text: str, published_year: int | None = None) -> list[tuple[str, str]]:
    mentions = find_periods(text)
    resolve_periods(mentions, published_year)
    return [(text[m.start:m.end], m.label) for m in mentions if m.rule != "founding"]


@pytest.mark.parametrize("text, label", [
    ("in Q3 2025", "2025-Q3"), ("the third quarter of 2025", "2025-Q3"), ("3Q24", "2024-Q3"),
    ("the first half of 2024", "2024-H1"), ("H2 2023", "2023-H2"), ("full year 2025", "2025"),
    ("FY2024", "2024"), ("in 2021", "2021"), ("between 2019 and 2024", "2019..2024"),
    ("as of the end of 2023", "as of 2023-12-31"), ("as of June 30, 2024", "as of 2024-06-30"),
    ("on April 20, 2025", "2025-04-20"), ("the 2023 Singles' Day festival", "2023-11-11"),
    ("the quarter ended March 31, 2025", "2025-Q1"), ("the three months to September", UNSPECIFIED),
    ("its fiscal first quarter", UNSPECIFIED), ("over the full fiscal year", UNSPECIFIED),
    ("in recent quarters", UNSPECIFIED), ("over the next three years", UNSPECIFIED), ("by 2027", UNSPECIFIED),
])
def test_a_period_stated_on_its_own(text, label):
    assert labels(text)[-1][1] == label


def test_the_year_comes_from_the_context_or_the_publication_date():
    assert labels("Sales in 2024 were up. In the final quarter of the year they fell.")[-1] == (
        "the final quarter of the year", "2024-Q4")
    assert labels("In the second half of the year demand grew.", published_year=2025)[-1][1] == "2025-H2"
    assert labels("In the final quarter of the year demand grew.")[-1][1] == UNSPECIFIED


def test_relative_periods_count_back_from_the_period_stated_before():
    assert labels("In Q3 2025 it held 29%. Eight quarters earlier it held 32%.")[-1][1] == "2023-Q3"
    assert labels("Revenue in 2024 rose. A year earlier it was lower.")[-1][1] == "2023"
    assert labels("In Q2 2025 it grew. In the previous quarter it fell.")[-1][1] == "2025-Q1"
    assert labels("AWS earned $30bn in Q2 2025 and $90bn for the quarter before... for the same period")[-1][1] \
        == "2025-Q2"
    assert labels("It grew from 2019 to 2024; revenue rose 52-fold in just five years.")[-1][1] == "2019..2024"


def test_trailing_twelve_months_is_a_year_only_when_it_ends_with_one():
    assert labels("trailing twelve months to the fourth quarter of 2024")[-1][1] == "2024"
    mentions = find_periods("In Q2 2025, trailing twelve months revenue was high")
    resolve_periods(mentions, None)
    assert mentions[-1].label == UNSPECIFIED and "twelve months to 2025-Q2" in mentions[-1].note


def test_founding_years_are_no_period():
    assert labels("Amazon, which launched its cloud unit in 2006, leads.") == []


def test_last_year_counts_from_the_publication_date_and_months_to_from_the_context():
    assert labels("In 2026 it opened. Spending reached $3 billion last year.", published_year=2025)[-1][1] == "2024"
    assert labels("Revenue rose in the three months to September.", published_year=2025)[-1][1] == "2025-Q3"


def test_the_quarter_restates_the_last_quarter_stated_not_a_later_year():
    found = labels("Sales in the second quarter of 2025 rose. Over fiscal 2025 they doubled. Margins held in the quarter.")
    assert found[-1] == ("in the quarter", "2025-Q2")


def test_a_half_without_its_year_and_twelve_months_to_a_month_take_the_context():
    assert labels("Profit rose in 2026. Sales doubled in the second half, then slowed.")[-1] == ("the second half", "2026-H2")
    assert labels("in the last twelve months to December 2024")[-1][1] == "2024"
    assert labels("in 2026, and over the last twelve months to June 2025")[-1][1] == UNSPECIFIED


def test_quarters_named_by_months_spans_of_months_and_the_publication_date():
    assert labels("in the July-September quarter of 2024")[-1][1] == "2024-Q3"
    assert labels("Sales in 2023 were flat; in the June quarter they rose.")[-1][1] == "2023-Q2"
    assert labels("for the first nine months of 2025")[-1][1] == UNSPECIFIED
    assert labels("for the first six months of 2025")[-1][1] == "2025-H1"
    for text, label in (("in the fourth quarter", "2025-Q4"), ("in the March quarter", "2026-Q1")):
        mentions = find_periods(text)
        resolve_periods(mentions, 2026, published_month=5)
        assert mentions[-1].label == label


def test_twelve_months_to_a_month_is_trailing_twelve_months():
    assert labels("in Q2 2024; over the twelve months to June, sales rose")[-1] == ("the twelve months to June", UNSPECIFIED)
    assert labels("the 12 months ended December 2023")[-1][1] == "2023"


@pytest.mark.parametrize("text, label", [
    ("in first-half 2025", "2025-H1"), ("second-half 2024 results", "2024-H2"),
    ("between January and June 2025", "2025-H1"), ("from July to September 2024", "2024-Q3"),
    ("in the July-September period of 2025", "2025-Q3"), ("January–March 2026", "2026-Q1"),
    ("from January to December 2024", "2024"), ("in the October to December quarter of 2025", "2025-Q4"),
    ("the quarter ending September 2025", "2025-Q3"), ("the quarter to June 2024", "2024-Q2"),
    ("the three months ended in March 2026", "2026-Q1"),
    ("at the end of June 2025", "as of 2025-06-30"), ("by end-September 2024", "as of 2024-09-30"),
    ("as of end-2024", "as of 2024-12-31"), ("at the close of 2023", "as of 2023-12-31"),
])
def test_more_ways_to_write_a_period_with_its_year(text, label):
    assert labels(text)[-1][1] == label


@pytest.mark.parametrize("text, label", [
    ("in the fourth quarter of last year", "2025-Q4"), ("in the first half of this year", "2026-H1"),
    ("in the second quarter of the previous year", "2025-Q2"), ("in last year's third quarter", "2025-Q3"),
    ("in this year's first half", "2026-H1"), ("in the final three months of last year", "2025-Q4"),
])
def test_a_quarter_or_half_of_last_or_this_year_counts_from_the_publication(text, label):
    assert labels(text, published_year=2026)[-1][1] == label


def test_a_quarter_named_by_its_months_without_a_year_is_the_last_one_ended_by_publication():
    def at(text: str, year: int, month: int) -> str:
        mentions = find_periods(text)
        resolve_periods(mentions, year, month)
        return mentions[-1].label
    assert at("In fiscal 2024 sales rose. In the April-June quarter they rose again.", 2026, 9) == "2026-Q2"
    assert at("Revenue for the three months ended June 30 grew.", 2026, 11) == "2026-Q2"
    assert at("Revenue for the June quarter grew.", 2026, 2) == "2025-Q2"
    assert at("In 2024 it grew. In the three months to September it grew.", None, 12) == "2024-Q3"


@pytest.mark.parametrize("text", ["for the year to date", "year-to-date sales", "so far this year"])
def test_the_year_to_date_is_no_period_label(text):
    assert labels("In Q3 2025 it grew. " + text, published_year=2025)[-1][1] == UNSPECIFIED


def test_the_quarters_spending_restates_the_quarter_in_context():
    assert labels("In Q2 2026 it rose. In H1 2026 it rose. They took 64% of the quarter's spending.")[-1] == (
        "the quarter's", "2026-Q2")


def test_a_founding_date_a_few_words_after_its_verb():
    assert labels("Microsoft, which opened its first Brazilian data centre in 2014, said") == []


def test_a_quarter_ending_in_a_month_that_ends_no_calendar_quarter_is_a_fiscal_one():
    mentions = find_periods("Revenue rose in the quarter ended in May.")
    resolve_periods(mentions, 2025, 7)
    assert (mentions[-1].label, mentions[-1].note) == (UNSPECIFIED, "months 3-5 of 2025 (no label holds them)")


def test_a_bare_half_after_a_whole_past_year_is_the_publication_years_when_it_has_ended():
    def at(text: str) -> str:
        mentions = find_periods(text)
        resolve_periods(mentions, 2026, 10)
        return mentions[-1].label
    assert at("AWS held a third in 2025. In the first half, its share slipped.") == "2026-H1"
    assert at("AWS held a third in 2025. In the first half of the year, its share slipped.") == "2025-H1"
    assert at("AWS held a third in Q3 2025. In the first half, its share slipped.") == "2025-H1"
    assert at("AWS held a third in 2025. In the fourth quarter, its share slipped.") == "2025-Q4"


@pytest.mark.parametrize("text", ["deals signed since January", "since the start of the year"])
def test_since_a_month_or_the_start_of_the_year_is_no_period_label(text):
    assert labels("In 2025 it grew. " + text, published_year=2026)[-1][1] == UNSPECIFIED


@pytest.mark.parametrize("text", ["in the year-ago quarter", "the year-earlier period", "the prior-year quarter",
                                  "the year-before quarter"])
def test_the_year_ago_quarter_is_the_same_quarter_a_year_before(text):
    assert labels("In Q2 2026 revenue rose, against less " + text + ".")[-1][1] == "2025-Q2"


@pytest.mark.parametrize("text, label", [
    ("for the 12 months ended June 30, 2026", UNSPECIFIED), ("in Q3 of fiscal 2026", UNSPECIFIED),
    ("in fiscal Q3 2026", UNSPECIFIED), ("in Q3 FY26", UNSPECIFIED), ("the fourth quarter of fiscal year 2025", UNSPECIFIED),
    ("in the first three quarters of 2025", UNSPECIFIED), ("in the first two quarters of 2025", "2025-H1"),
    ("last quarter", "2026-Q2"), ("in the latest quarter", "2026-Q2"), ("the most recent quarter", "2026-Q2"),
    ("the last quarter of 2025", "2025-Q4"),
])
def test_fiscal_quarters_with_their_year_trailing_months_to_a_day_and_the_latest_quarter(text, label):
    mentions = find_periods(text)
    resolve_periods(mentions, 2026, 9)
    assert [m.label for m in mentions if m.rule != "founding"] == [label]


def test_a_forecast_horizon_is_no_context_and_a_calendar_half_is_read_whole():
    found = labels("Spending reached $6bn in the first half of 2026. It should grow 20% a year until at least 2029. "
                   "Azure led in the first half. Sales rose in the first half of calendar 2026.", published_year=2026)
    assert [label for _, label in found] == ["2026-H1", UNSPECIFIED, "2026-H1", "2026-H1"]


def test_a_named_day_without_its_year_is_the_last_one_by_the_publication():
    mentions = find_periods("Sales fell last year. On Singles' Day it handled 600,000 orders a second.")
    resolve_periods(mentions, 2026, 11)
    assert mentions[-1].label == "2026-11-11"
    resolve_periods(mentions, 2026, 3)
    assert mentions[-1].label == "2025-11-11"


def test_over_the_next_year_is_a_horizon_not_next_year():
    assert labels("It will open data centers in five countries over the next year.", published_year=2026)[-1][1] \
        == UNSPECIFIED


def test_trailing_twelve_months_to_a_month_without_its_year_end_by_the_publication():
    mentions = find_periods("Over the trailing twelve months to December, revenue reached $128.7 billion.")
    resolve_periods(mentions, 2026, 2)
    assert mentions[0].label == "2025"
    mentions = find_periods("Over the trailing twelve months to September, revenue reached $120 billion.")
    resolve_periods(mentions, 2026, 2)
    assert mentions[0].label == UNSPECIFIED


def test_the_year_a_thing_was_built_or_completed_is_no_period():
    assert labels("Its model runs on clusters built in 2025 in Hohhot, and a campus completed in 2024.") == []
