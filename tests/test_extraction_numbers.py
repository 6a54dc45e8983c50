"""Numbers as articles write them, and qualifiers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from extraction.numbers import as_written, find_numbers
from extraction.qualifiers import qualifier


def only(text: str):
    found = find_numbers(text)
    assert len(found) == 1, [text[m.start:m.end] for m in found]
    return found[0]


@pytest.mark.parametrize("text, value, kind, currency", [
    ("revenue of RMB 100.4 billion", Decimal("100.4e9"), "currency", "CNY"),
    ("a $1.2 trillion market", Decimal("1.2e12"), "currency", "USD"),
    ("sales of US$35.6bn", Decimal("35.6e9"), "currency", "USD"),
    ("€10 billion", Decimal("10e9"), "currency", "EUR"),
    ("48 billion yuan", Decimal("48e9"), "currency", "CNY"),
    ("a 20.4% rise", Decimal("20.4"), "pct", None),
    ("25 per cent", Decimal("25"), "pct", None),
    ("up 3 percentage points", Decimal("3"), "pp", None),
    ("800,000 orders per second", Decimal("800000"), "per_second", None),
    ("tens of millions of IOPS", Decimal("10e6"), "per_second", None),
    ("a 52-fold increase", Decimal("52"), "x", None),
    ("reduced to 30 seconds", Decimal("30"), "seconds", None),
    ("ahead by two years", Decimal("2"), "years", None),
    ("forty-five thousand developers", Decimal("45000"), "count", None),
    ("one million customers", Decimal("1e6"), "count", None),
    ("two hundred and twelve sites", Decimal("212"), "count", None),
    ("roughly one-fifth of the market", Decimal("20"), "pct", None),
    ("two-thirds of buyers", Decimal("66.7"), "pct", None),
    ("in 2024", Decimal("2024"), "year", None),
    ("a 1ms delay", Decimal("1"), "other_unit", None),
    ("its 5G network", Decimal("5"), "code", None),
    ("ranking fourth", Decimal("4"), "rank", None),
    ("the third-largest provider", Decimal("3"), "rank", None),
    ("came in 2nd place", Decimal("2"), "rank", None),
    ("second only to AWS", Decimal("2"), "rank", None),
    ("it holds second place", Decimal("2"), "rank", None),
    ("Tencent remained third with a 15% share", Decimal("3"), "rank", None),
    ("it is fourth behind Tencent", Decimal("4"), "rank", None),
    ("Tencent fifth on 8%", Decimal("5"), "rank", None),
    ("half a billion dollars", Decimal("5e8"), "currency", "USD"),
    ("Tencent Cloud is fourth.", Decimal("4"), "rank", None),
    ("Alibaba Cloud - 26.1% (first)", Decimal("26.1"), "pct", None),
    ("revenue grew by a fifth", Decimal("20"), "pct", None),
    ("₹1.1 lakh crore", Decimal("1.1e12"), "currency", "INR"), ("Rs 500 crore", Decimal("5e9"), "currency", "INR"),
    ("R$ 12.3 billion", Decimal("12.3e9"), "currency", "BRL"),
    ("Japan's market: ¥4.3 trillion in yen terms", Decimal("4.3e12"), "currency", "JPY"),
    ("China's market: ¥4.3 trillion", Decimal("4.3e12"), "currency", "CNY"),
    ("its revenue doubled", Decimal("2"), "x", None), ("sales tripled in five years", Decimal("3"), "x", None),
    ("Azure is a fairly distant second: it", Decimal("2"), "rank", None),
    ("Google was a close third, with 12%", Decimal("3"), "rank", None),
])
def test_numbers_in_digits_words_fractions_and_ranks(text, value, kind, currency):
    mention = [m for m in find_numbers(text) if m.kind == kind][0]
    assert (mention.value, mention.kind, mention.currency) == (value, kind, currency)


def test_plus_and_tens_of_are_at_least_fractions_and_folds_are_approx():
    assert only("6,000+ edge nodes").at_least and only("tens of thousands of users").at_least
    assert only("one-fifth of it").approx and only("a 52-fold rise").approx
    assert not only("800 sites").at_least and not only("800 sites").approx


def test_codes_glued_to_letters_are_not_numbers():
    assert [m.kind for m in find_numbers("the 4+N+31+X layout")] == ["code", "code"]
    assert find_numbers("Qwen3 and A100") == []
    assert find_numbers("the Big Three") == []  # a capitalised number word inside a sentence is a name


def test_values_are_written_with_the_stated_or_largest_magnitude():
    assert as_written(Decimal("800000")) == ("800", "thousand")
    assert as_written(Decimal("1500000")) == ("1.5", "million")
    assert as_written(Decimal("1.2e12"), "trillion") == ("1.2", "trillion")
    assert as_written(Decimal("1e9"), "billion") == ("1", "billion")
    assert as_written(Decimal("9.1")) == ("9.1", "")


@pytest.mark.parametrize("text, expected", [
    ("about 66%", "approx"), ("roughly 20%", "approx"), ("nearly 3,000", "approx"), ("some 45", "approx"),
    ("over 80%", "at_least"), ("more than 200", "at_least"), ("a little over $140 billion", "at_least"),
    ("under 5%", "at_most"), ("less than 10", "at_most"), ("up to RMB 380 billion", "at_most"),
    ("exactly 31", "exact"), ("just under 30%", "approx"), ("past $400 billion", "at_least"), ("500 or more", "at_least"),
    ("perhaps 2% of it", "approx"), ("something like 40%", "approx"), ("an estimated 12", "approx"),
])
def test_qualifiers(text, expected):
    mention = only(text)
    assert qualifier(text, mention.start, mention.end, at_least=mention.at_least, approx=mention.approx) == expected


def test_a_fraction_ending_its_clause_is_a_share_and_a_span_of_time_is_not():
    assert [n.value for n in find_numbers("Oracle held a third, Tencent a tenth share.")] == [Decimal("33.3"), Decimal(10)]
    assert find_numbers("It took a year and a half, twice in a quarter.") == []


def test_an_ordinal_after_a_verb_of_standing_is_a_rank_only_before_its_figure():
    assert [n.kind for n in find_numbers("It was first with a 30% share")] == ["rank", "pct"]
    assert [n.kind for n in find_numbers("It was first with growth of 30%")] == ["pct"]


@pytest.mark.parametrize("text, value, kind, currency", [
    ("30pc of the market", Decimal("30"), "pct", None), ("held 20 pc", Decimal("20"), "pct", None),
    ("A$1.5 billion", Decimal("1.5e9"), "currency", "AUD"), ("S$ 900 million", Decimal("900e6"), "currency", "SGD"),
    ("C$2bn", Decimal("2e9"), "currency", "CAD"), ("CN¥50 billion", Decimal("50e9"), "currency", "CNY"),
    ("₹1.2 trillion", Decimal("1.2e12"), "currency", "INR"), ("SGD 1.2bn", Decimal("1.2e9"), "currency", "SGD"),
    ("3 trillion won", Decimal("3e12"), "currency", "KRW"), ("SAR 5.3 billion", Decimal("5.3e9"), "currency", "SAR"),
    ("US$ 3.2 billion", Decimal("3.2e9"), "currency", "USD"), ("¥1 trillion", Decimal("1e12"), "currency", "CNY"),
    ("2.4 billion riyals", Decimal("2.4e9"), "currency", "SAR"), ("AED 1bn", Decimal("1e9"), "currency", "AED"),
    ("RM 2 billion", Decimal("2e9"), "currency", "MYR"), ("NT$30bn", Decimal("30e9"), "currency", "TWD"),
    ("one in five dollars", Decimal("20"), "pct", None), ("two in five buyers", Decimal("40"), "pct", None),
    ("roughly half of the market", Decimal("50"), "pct", None), ("nearly half the spending", Decimal("50"), "pct", None),
    ("revenue grew by two-thirds last year", Decimal("66.7"), "pct", None),
    ("sales rose by three quarters", Decimal("75"), "pct", None),
])
def test_more_currencies_per_cent_abbreviations_and_shares_in_words(text, value, kind, currency):
    mention = only(text)
    assert (mention.value, mention.kind, mention.currency) == (value, kind, currency)


def test_half_as_a_period_or_a_span_of_time_is_no_share():
    assert [m.kind for m in find_numbers("in the first half of 2025")] == ["year"]
    assert find_numbers("it took half a year; prices were cut in half.") == []


def test_an_ordinal_largest_of_something_else_than_a_provider_is_no_rank():
    assert find_numbers("Japan, the world's fourth-largest economy, and India, the third-biggest country") == []
    assert [m.kind for m in find_numbers("AWS is the third-largest cloud provider")] == ["rank"]


def test_the_largest_provider_is_first_and_the_largest_gain_is_no_rank():
    assert [(m.kind, m.value) for m in find_numbers("AWS remained the largest provider of cloud services")] == [
        ("rank", Decimal(1))]
    assert [(m.kind, m.value) for m in find_numbers("Azure is the biggest cloud vendor in Europe")] == [
        ("rank", Decimal(1))]
    assert find_numbers("the biggest gains went to Volcano Engine; the largest product lines; the biggest "
                        "European-owned provider") == []


def test_bln_and_tln_abbreviate_magnitudes():
    assert (only("$18.1 bln").value, only("RMB 1.2 tln").value) == (Decimal("18.1e9"), Decimal("1.2e12"))


@pytest.mark.parametrize("text, value, kind, currency", [
    ("1.2 trillion US dollars", Decimal("1.2e12"), "currency", "USD"),
    ("1.5 billion Singapore dollars", Decimal("1.5e9"), "currency", "SGD"),
    ("3.2 billion Swiss francs", Decimal("3.2e9"), "currency", "CHF"),
    ("90 billion Japanese yen", Decimal("90e9"), "currency", "JPY"),
    ("a tenfold rise", Decimal("10"), "x", None), ("grew sevenfold", Decimal("7"), "x", None),
])
def test_currencies_named_with_their_country_and_folds_in_one_word(text, value, kind, currency):
    mention = only(text)
    assert (mention.value, mention.kind, mention.currency) == (value, kind, currency)


def test_no_n_after_a_verb_of_standing_is_a_rank():
    assert [(m.kind, m.value) for m in find_numbers("Tencent Cloud remains No. 3 in China")] == [("rank", Decimal(3))]
    assert [(m.kind, m.value) for m in find_numbers("Huawei became the No 2 in 2025")][0] == ("rank", Decimal(2))


def test_a_lead_of_n_years_written_as_an_adjective_is_in_years():
    assert only("claiming a three-year lead in compute density").kind == "years"
