"""Assembling rows: metric, entity, market, period, qualifier and citation for each stated figure."""

from __future__ import annotations

from extraction.document import parse_front_matter
from extraction.rows import extract_figures
from extraction.text import split_sentences
from tests.test_extraction_names import REFERENCE


def rows(body: str, published: str = "unknown") -> list[tuple]:
    document = parse_front_matter("Title: t\n\n" + body, {"published": published})
    return [(f.entity, f.metric, f.market, f.period, f.value, f.magnitude, f.unit, f.qualifier, f.citation)
            for f in extract_figures(document, REFERENCE).figures]


def test_sentences_paragraphs_and_list_lead_ins():
    body = "One is here, e.g. this. Two at No. 3 is U.S. based.\nA list:\n- a\n- b\nNext line."
    sentences = split_sentences(body)
    assert [body[s.start:s.end] for s in sentences] == [
        "One is here, e.g. this.", "Two at No. 3 is U.S. based.", "A list:", "- a", "- b", "Next line."]
    assert [s.paragraph for s in sentences] == [0, 0, 1, 1, 1, 2]


def test_respectively_pairs_entities_and_numbers_in_order():
    assert rows("In Q1 2026, Huawei and Tencent held 14% and 11% of China's public cloud, respectively.") == [
        ("Huawei Cloud", "market_share", "China public cloud IaaS", "2026-Q1", "14", "", "pct", "exact", ""),
        ("Tencent Cloud", "market_share", "China public cloud IaaS", "2026-Q1", "11", "", "pct", "exact", "")]


def test_a_collective_figure_belongs_to_the_group_of_the_providers_named():
    assert rows("AWS, Azure and Google Cloud lead. Together they hold about 62% of the global market.")[0][:2] == (
        "US Big Three", "market_share")


def test_restated_figures_are_one_row_and_a_second_value_is_a_note():
    document = parse_front_matter("Title: t\n\nTencent's revenue was RMB 30 billion in 2025. Its RMB 30 billion "
                                  "revenue in 2025 was a record. Tencent's revenue in 2025 was RMB 31 billion.", {})
    figures = extract_figures(document, REFERENCE).figures
    assert len(figures) == 1 and len(figures[0].spans) == 3 and "also stated as 31 billion" in figures[0].note


def test_numbers_that_are_not_figures_are_not_drafted():
    body = ("Founded in 2009, Tianyi Cloud crossed the RMB 100 billion mark on March 3, 2025. Three steps follow:\n"
            "1. Buy 5G gear.\n2. Hire 40 engineers.\nIt has 2 offices.")
    assert rows(body) == []


def test_a_ranked_list_gives_ranks_and_its_lead_in_the_metric_and_period():
    body = "Shares in the second quarter of 2026, ranked:\n1. AWS: 30%\n2. Microsoft: 21%"
    assert rows(body) == [
        ("Amazon Web Services", "market_rank", "", "2026-Q2", "1", "", "rank", "exact", ""),
        ("Amazon Web Services", "market_share", "", "2026-Q2", "30", "", "pct", "exact", ""),
        ("Microsoft Azure", "market_rank", "", "2026-Q2", "2", "", "rank", "exact", ""),
        ("Microsoft Azure", "market_share", "", "2026-Q2", "21", "", "pct", "exact", "")]


def test_unknown_entity_market_and_metric_are_kept_with_a_note():
    document = parse_front_matter("Title: t\n\nOracle held 3% of the global market in 2025. IBM's cloud "
                                  "took 2% of the Indian cloud market in 2025.", {})
    figures = extract_figures(document, REFERENCE).figures
    assert [(f.entity, f.market, f.metric, f.unknown) for f in figures] == [
        ("Oracle", "Global cloud infrastructure services", "market_share", {"entity": "Oracle"}),
        ("IBM", "Indian cloud", "market_share", {"entity": "IBM", "market": "Indian cloud"})]
    assert all(f.note and f.needs_review() for f in figures)
    money = extract_figures(parse_front_matter("Title: t\n\nAlibaba made $2 billion in operating profit.", {}),
                            REFERENCE).figures
    assert [(f.metric, f.unknown) for f in money] == [("operating_profit", {"metric": "operating_profit"})]


def test_periods_from_the_sentence_the_paragraph_and_earlier_figures_never_invented():
    body = ("In 2024 Tianyi Cloud's revenue was RMB 114 billion, up 17% year on year. It runs 3,000 edge nodes.\n"
            "Unicom Cloud serves 2 million government and enterprise customers.\n"
            "AWS held 30% of the global market in Q2 2025.\nAzure held 20% of the global market.")
    periods = [(r[0], r[1], r[3]) for r in rows(body)]
    assert periods == [("Tianyi Cloud", "revenue", "2024"), ("Tianyi Cloud", "revenue_growth_yoy", "2024"),
                       ("Tianyi Cloud", "edge_nodes", "2024"),
                       ("Unicom Cloud", "government_enterprise_customers", "unspecified"),
                       ("Amazon Web Services", "market_share", "2025-Q2"),
                       ("Microsoft Azure", "market_share", "2025-Q2")]


def test_citations_attach_to_the_figures_of_their_sentence():
    found = rows("According to Kestrel Research, AWS held 31% of the global market in 2025. Azure held 24% in "
                 "2025[2].")
    assert [(r[0], r[8]) for r in found] == [("Amazon Web Services", "kestrel-research"), ("Microsoft Azure", "[2]")]


def test_a_table_head_names_the_metric_and_period_of_its_rows():
    body = "| Provider | 2024 revenue |\n| Tianyi Cloud | RMB 114.5bn |\n| Unicom Cloud | RMB 68.6bn |"
    assert rows(body) == [("Tianyi Cloud", "revenue", "", "2024", "114.5", "billion", "CNY", "exact", ""),
                          ("Unicom Cloud", "revenue", "", "2024", "68.6", "billion", "CNY", "exact", "")]


def test_a_group_counted_back_over_the_sentences_before():
    body = ("AWS grew 20% in Q3 2025. Azure grew 40% in Q3 2025. Google Cloud grew 34% in Q3 2025.\n"
            "In 2024 the three companies together booked roughly $200 billion of cloud revenue.")
    assert rows(body)[-1] == ("US Big Three", "revenue", "", "2024", "200", "billion", "USD", "approx", "")


def test_a_numbered_list_of_providers_with_shares_ranks_them_and_a_list_of_steps_does_not():
    ranked = rows("Three providers dominate the global market:\n1. AWS, with 30%\n2. Azure, 22%")
    assert [(r[0], r[1], r[4]) for r in ranked] == [
        ("Amazon Web Services", "market_rank", "1"), ("Amazon Web Services", "market_share", "30"),
        ("Microsoft Azure", "market_rank", "2"), ("Microsoft Azure", "market_share", "22")]
    assert rows("Steps buyers take:\n1. Ask AWS for 2 quotes.\n2. Compare them.") == []


def test_a_comparison_keeps_the_metric_and_money_without_a_phrase_is_named_from_its_nouns():
    found = rows("In Q3 2025 Tencent Cloud held about 16% of China's public cloud IaaS market, up from 14% a year "
                 "earlier.\nThe unit ended June with a backlog of $106 billion, and Alphabet lifted its capital "
                 "spending plan to $85 billion.")
    assert [(r[1], r[3], r[4]) for r in found] == [
        ("market_share", "2025-Q3", "16"), ("market_share", "2024-Q3", "14"), ("backlog", "unspecified", "106"),
        ("investment_commitment", "unspecified", "85")]


def test_the_period_of_the_sentence_reaches_a_growth_figure_in_another_clause():
    body = "In Q1 2025 Tencent Cloud's revenue for the quarter was RMB 20 billion. Tianyi Cloud's sales for the quarter hit RMB 30 billion, a rise of 9% on the same period last year."
    assert [(r[0], r[1], r[3]) for r in rows(body)][-1] == ("Tianyi Cloud", "revenue_growth_yoy", "2025-Q1")


def test_money_stated_for_a_market_alone_is_its_size_whatever_the_verb():
    body = "Unicom Cloud served 1 million customers in 2023.\nChina's cloud computing market expanded to RMB 700 billion in 2023."
    assert rows(body)[-1][:4] == ("", "market_spend", "China cloud computing (domestic)", "2023")


def test_trailing_twelve_months_to_no_stated_quarter_leaves_the_period_unspecified():
    body = "Azure's revenue in Q3 2025 was $20 billion.\n\nIn the trailing twelve months, Azure's revenue passed $75 billion."
    assert [r[3] for r in rows(body)] == ["2025-Q3", "unspecified"]


def test_money_of_the_market_named_before_is_its_size():
    body = "China's public cloud grew fast in 2023.\n\nIn the first half of 2023, the market was worth RMB 40 billion."
    assert rows(body)[-1][:4] == ("", "market_spend", "China public cloud IaaS", "2023-H1")
    body = "Mobile Cloud held 8% of China's public cloud in 2023. In the first half of 2024, the market totalled RMB 45 billion."
    assert rows(body)[-1][:4] == ("", "market_spend", "China public cloud IaaS", "2024-H1")


def test_the_three_months_to_a_date_do_not_make_a_figure_collective():
    body = "Alibaba, Huawei and Tencent grew in Q1 2025. Kingsoft Cloud's sales in the three months to June were RMB 9 billion."
    assert rows(body)[-1][:4] == ("Kingsoft Cloud", "revenue", "", "2025-Q2")


def test_a_level_reached_after_a_change_is_the_subjects_metric_not_the_change():
    body = "In Q2 2025, Tencent Cloud's share of the global market climbed two points to 3.1%, and its revenue rose 12%."
    assert [(r[1], r[4]) for r in rows(body)] == [("market_share", "3.1"), ("revenue_growth_yoy", "12")]


def test_a_region_market_at_the_sentence_start_and_growth_stated_as_higher():
    body = "In the Latin-America market, Azure held a 14% share in 2024. AWS sales in 2024 were 15% higher."
    assert [r[:4] for r in rows(body)] == [("Microsoft Azure", "market_share", "Latin-America", "2024"),
                                          ("Amazon Web Services", "revenue_growth_yoy", "", "2024")]


def test_a_share_without_a_period_takes_the_lead_figure_of_the_last_sentence_of_its_market():
    body = ("Global cloud spending was $90 billion in Q1 2025, bringing the total for 2024 and Q1 to $400 billion.\n\n"
            "Azure held 21% of the global market.")
    assert rows(body)[-1][3] == "2025-Q1"


def test_that_market_is_the_one_named_before_as_it_was_named():
    body = "The Nordic cloud infrastructure market was worth $9 billion in 2024.\n\nAWS held 30% of that market in 2024."
    assert [r[2] for r in rows(body)] == ["Nordic cloud infrastructure", "Nordic cloud infrastructure"]
    body = "In China's public cloud the market grew in 2024.\n\nIn public cloud IaaS, Huawei Cloud held 13% in 2024."
    assert rows(body)[-1][2] == "China public cloud IaaS"


def test_results_in_a_row_a_percentage_by_a_rank_and_change_verbs_in_a_money_name():
    body = ("Tencent Cloud's sales were RMB 20 billion in Q3 2025.\n\nAzure's operating profit tripled to $9 billion.\n\n"
            "Huawei Cloud's sales grew 20% in the quarter, from 25% in the previous three months.\n\n"
            "In Q3 2025 Fujitsu ranked sixth in the global market. IBM came seventh with nearly 2%.")
    assert [r[:4] for r in rows(body)] == [
        ("Tencent Cloud", "revenue", "", "2025-Q3"), ("Microsoft Azure", "operating_profit", "", "2025-Q3"),
        ("Huawei Cloud", "revenue_growth_yoy", "", "2025-Q3"), ("Huawei Cloud", "revenue_growth_yoy", "", "2025-Q2"),
        ("Fujitsu", "market_rank", "Global cloud infrastructure services", "2025-Q3"),
        ("IBM", "market_rank", "Global cloud infrastructure services", "2025-Q3"),
        ("IBM", "market_share", "Global cloud infrastructure services", "2025-Q3")]


def test_growth_stated_as_more_than_a_year_earlier():
    body = "Huawei Cloud's sales were RMB 20 billion in Q3 2025, 12% more than a year earlier."
    assert [r[1] for r in rows(body)] == ["revenue", "revenue_growth_yoy"]


def test_a_rounded_share_restated_precisely_right_after_is_one_figure():
    found = rows("In Q2 2026 the three largest Chinese providers, Alibaba, Huawei and Tencent, together held just "
                 "under half of China's public cloud, at 48.7%. Oracle held nearly a third of its home market, or "
                 "32.5%, in Q2 2026.")
    assert [(r[0], r[4], r[7]) for r in found] == [("China Big Three", "48.7", "exact"), ("Oracle", "32.5", "exact")]


def test_a_market_the_reference_lacks_is_the_market_of_the_figures_after_it():
    found = rows("Buyers in Canada spent C$9 billion in the Canadian public cloud market in 2025. AWS led with 35% "
                 "that year. Microsoft was second with 25%, and one in every ten dollars spent on cloud in Canada "
                 "went to Google.")
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in found] == [
        ("", "market_spend", "Canadian public cloud", "2025", "9"),
        ("Amazon Web Services", "market_share", "Canadian public cloud", "2025", "35"),
        ("Microsoft Azure", "market_rank", "Canadian public cloud", "2025", "2"),
        ("Microsoft Azure", "market_share", "Canadian public cloud", "2025", "25"),
        ("Google Cloud", "market_share", "Canadian public cloud", "2025", "10")]


def test_a_table_column_takes_its_metric_and_period_from_its_own_head_cell_and_a_rank_column_ranks():
    body = ("Shares of China's public cloud IaaS market:\n\n"
            "| Position | Provider | Share, H2 2025 | Share, H2 2024 | Change (pp) |\n"
            "| 1 | Alibaba Cloud | 26.0% | 26.4% | -0.4 |\n"
            "| 2 | Tencent Cloud | 9.1% | 8.8% | +0.3 |")
    found = rows(body)
    assert {r[2] for r in found} == {"China public cloud IaaS"}
    assert [(r[0][:7], r[1][7:], r[3], r[4]) for r in found] == [
        ("Alibaba", "rank", "2025-H2", "1"), ("Alibaba", "share", "2025-H2", "26"), ("Alibaba", "share", "2024-H2", "26.4"),
        ("Tencent", "rank", "2025-H2", "2"), ("Tencent", "share", "2025-H2", "9.1"), ("Tencent", "share", "2024-H2", "8.8")]


def test_revenue_that_doubled_is_a_multiple_and_other_money_that_doubled_is_not():
    found = rows("Tencent Cloud's revenue doubled between 2020 and 2025. Its operating income more than doubled.")
    assert found == [("Tencent Cloud", "revenue_multiple", "", "2020..2025", "2", "", "x", "exact", "")]


def test_vocabulary_of_groups_growth_investment_and_bounds():
    found = rows("In Q1 2026 the three US hyperscalers captured 61% of the global market. Tencent Cloud lifted "
                 "revenue 12% to RMB 9 billion in Q1 2026, while Huawei Cloud's sales advanced 9%. Azure invested "
                 "$2 billion in Spain in 2025. Spending on the global market will pass $500 billion in 2026 and "
                 "exceed $1 trillion in 2030, and topping $2 trillion in 2035.")
    assert [(r[0], r[1], r[4], r[7]) for r in found] == [
        ("US Big Three", "market_share", "61", "exact"), ("Tencent Cloud", "revenue_growth_yoy", "12", "exact"),
        ("Tencent Cloud", "revenue", "9", "exact"), ("Huawei Cloud", "revenue_growth_yoy", "9", "exact"),
        ("Microsoft Azure", "investment_commitment", "2", "exact"), ("", "market_spend", "500", "at_least"),
        ("", "market_spend", "1", "at_least"), ("", "market_spend", "2", "at_least")]


def test_survey_answers_share_prices_and_analysts_expectations_are_not_figures():
    body = ("AWS revenue rose 20% to $35 billion in Q1 2026. Analysts polled by a wire service had expected "
            "$34.1 billion. Amazon shares rose 3.1% to $212.40 in after-hours trading.\n"
            "In a survey of 900 buyers, 64% said they use AWS, up from 51% in 2024. Two in five respondents "
            "named Azure.")
    assert [(r[1], r[4]) for r in rows(body)] == [("revenue_growth_yoy", "20"), ("revenue", "35")]


def test_the_base_of_a_comparison_is_not_the_figures_period_however_it_is_worded():
    found = rows("Tencent Cloud's revenue was RMB 9 billion in Q2 2026, a rise of 14% on the same period of 2025.")
    assert [(r[1], r[3]) for r in found] == [("revenue", "2026-Q2"), ("revenue_growth_yoy", "2026-Q2")]


def test_a_figure_in_the_present_tense_does_not_take_an_earlier_figures_period():
    found = rows("The Canadian cloud market was worth C$9 billion last year.\n\nAWS still holds nearly a third of "
                 "that market.", published="2026-03-01")
    assert [(r[1], r[3]) for r in found] == [("market_spend", "2025"), ("market_share", "unspecified")]


def test_a_fiscal_period_explained_by_the_calendar_period_beside_it():
    found = rows("Azure revenue grew 38% in its fiscal first quarter, the July-September period, after 39% in "
                 "the April-June quarter.", published="2026-10-30")
    assert [(r[0], r[1], r[3], r[4]) for r in found] == [
        ("Microsoft Azure", "revenue_growth_yoy", "2026-Q3", "38"), ("Microsoft Azure", "revenue_growth_yoy", "2026-Q2", "39")]


def test_a_difference_is_not_a_figure_and_a_quarter_named_by_months_with_to():
    found = rows("Buyers spent $120 billion on cloud infrastructure services in the April-to-June period of 2026, "
                 "$7 billion more than in the previous quarter.")
    assert [(r[1], r[3], r[4]) for r in found] == [("market_spend", "2026-Q2", "120")]


def test_providers_the_reference_lacks_as_table_cells_and_list_items_after_their_rank():
    body = ("Shares of the global market in Q2 2026:\n\n| Rank | Provider | Share |\n| 1 | AWS | 30% |\n"
            "| 5 | Oracle | 3% |\n\nThe report ranks providers by share in Q2 2026:\n1. AWS - 30%\n2. IBM - 2%")
    assert [(r[0], r[1], r[4]) for r in rows(body)] == [
        ("Amazon Web Services", "market_rank", "1"), ("Amazon Web Services", "market_share", "30"),
        ("Oracle", "market_rank", "5"), ("Oracle", "market_share", "3"), ("IBM", "market_rank", "2"),
        ("IBM", "market_share", "2")]


def test_a_period_after_another_number_is_that_numbers_and_elliptical_money_keeps_the_sentences_metric():
    found = rows("Tencent Cloud's revenue was RMB 9 billion in Q2 2026, up 20% from a year earlier and ahead of the "
                 "15% growth it reported for the previous quarter.\nIn 2025 Huawei Cloud's revenue was RMB 80 "
                 "billion, and over the trailing twelve months it passed RMB 85 billion.")
    assert [(r[1], r[3], r[4], r[7]) for r in found] == [
        ("revenue", "2026-Q2", "9", "exact"), ("revenue_growth_yoy", "2026-Q2", "20", "exact"),
        ("revenue_growth_yoy", "2026-Q1", "15", "exact"), ("revenue", "2025", "80", "exact"),
        ("revenue", "unspecified", "85", "at_least")]


def test_another_providers_figure_of_the_same_metric_lends_no_period():
    found = rows("Huawei Cloud invested $300 million in Chile from 2023 to 2025.\n\nAzure said it would invest "
                 "$2 billion in Brazil over three years.")
    assert [(r[0], r[3]) for r in found] == [("Huawei Cloud", "2023..2025"), ("Microsoft Azure", "unspecified")]


def test_a_providers_result_compared_with_a_dated_one_takes_the_period_of_its_results_before():
    found = rows("Azure's revenue was $30 billion in Q3 2026. Analysts had expected less.\nOperating income at the "
                 "unit came to $12 billion, compared with $10 billion in Q3 2025.")
    assert [(r[1], r[3], r[4]) for r in found] == [
        ("revenue", "2026-Q3", "30"), ("operating_income", "2026-Q3", "12"), ("operating_income", "2025-Q3", "10")]


def test_a_figure_stated_as_now_does_not_take_the_period_of_the_market_figure_before_it():
    body = ("The Canadian public cloud market was worth about C$9bn last year.\n\n## Who leads\n\nHere it is "
            "simple. AWS, which opened its Montreal region in 2016, still holds nearly a third of Canadian "
            "public cloud spending. Microsoft is a distant second: one in five dollars goes to Azure.")
    assert [(r[0], r[1], r[2], r[3]) for r in rows(body, published="2026-03-01")] == [
        ("", "market_spend", "Canadian public cloud", "2025"),
        ("Amazon Web Services", "market_share", "Canadian public cloud", "unspecified"),
        ("Microsoft Azure", "market_rank", "Canadian public cloud", "unspecified"),
        ("Microsoft Azure", "market_share", "Canadian public cloud", "unspecified")]


def test_a_provider_the_reference_lacks_is_named_in_full_and_a_dominant_one_is_the_articles_subject():
    body = ("Regional buyers like Nimbus Grid. In Q2 2026 Nimbus's cloud sales were $2 billion, up 30%.\n\n"
            "Buyers in Peru spent $3 billion on cloud in 2025. AWS led the Peruvian public cloud market.")
    assert [(r[0], r[1], r[2]) for r in rows(body)] == [
        ("Nimbus Grid", "revenue", ""), ("Nimbus Grid", "revenue_growth_yoy", ""),
        ("", "market_spend", "Peruvian public cloud")]
    body = ("Kestrel Cloud (KCL), the Nordic provider, today reported its results for fiscal 2026.\n\n"
            "Highlights\n\n- Revenue of €800 million, up 9% year on year\n- 1,200 government and enterprise "
            "customers\n\nKestrel Cloud says AWS held 30% of the Nordic cloud market in 2025. The Group will "
            "invest €1 billion over the next five years. Kestrel Cloud's revenue doubled over the past five "
            "years.")
    assert [r[0] for r in rows(body)] == ["Kestrel Cloud", "Kestrel Cloud", "Kestrel Cloud",
                                          "Amazon Web Services", "Kestrel Cloud", "Kestrel Cloud"]


def test_results_announced_for_a_period_date_the_revenue_stated_after_them_and_nothing_else():
    body = ("Kestrel Cloud (KCL), the Nordic provider, today reported its results for fiscal 2026.\n\n"
            "Highlights\n\n- Revenue of €800 million, up 9% year on year\n- 1,200 government and enterprise "
            "customers\n- An investment plan of €1 billion")
    assert [(r[1], r[3]) for r in rows(body)] == [
        ("revenue", "2026"), ("revenue_growth_yoy", "2026"), ("government_enterprise_customers", "unspecified"),
        ("investment_commitment", "unspecified")]


def test_a_regional_market_around_a_known_one_and_its_short_name_later():
    body = ("By one count the Nordic public cloud infrastructure market was worth $8 billion in 2025. AWS held "
            "nearly a third of the Nordic market in 2025.")
    assert [(r[0], r[2]) for r in rows(body)] == [("", "Nordic public cloud infrastructure"),
                                                  ("Amazon Web Services", "Nordic public cloud infrastructure")]


def test_a_company_the_reference_lacks_named_with_its_legal_suffix_and_reporting_its_fiscal_year():
    body = ("Revenue growth continues; new region opens.\n\nOSLO, May 5, 2026 -- Fjord Cloud Holdings, Inc. "
            "(NYSE: FJC) today announced financial results for its first quarter ended March 31, 2026.\n\n"
            "- Revenue was $90 million, an increase of 12% year-over-year.\n\nFjord Cloud will host a call. "
            "Fjord Cloud serves 40 countries. Fjord Cloud's results for the fiscal year ending December 2025 "
            "showed revenue of $300 million. It plans to invest $50 million through fiscal 2028.")
    assert [(r[0], r[1], r[3], r[4]) for r in rows(body)] == [
        ("Fjord Cloud", "revenue", "2026-Q1", "90"), ("Fjord Cloud", "revenue_growth_yoy", "2026-Q1", "12"),
        ("Fjord Cloud", "revenue", "2025", "300"), ("Fjord Cloud", "investment_commitment", "unspecified", "50")]


def test_share_prices_market_values_and_pledges_in_a_list():
    body = ("Nimbus's share price fell 6% to ¥4,850 on Tuesday. Its market value passed $4 trillion.\n"
            "The biggest pledges so far:\n- Microsoft: $12bn by 2029\n- Google: $6bn")
    assert [(r[0], r[1], r[4]) for r in rows(body)] == [
        ("Microsoft Azure", "investment_commitment", "12"), ("Google Cloud", "investment_commitment", "6")]


def test_a_list_lead_in_after_another_sentence_of_its_paragraph_and_no_metric_inside_a_hyphenated_word():
    body = "Capacity is the race. The pledges so far, counted by start-ups:\n- Microsoft: $12bn\n- Google: $6bn"
    assert [(r[0], r[1]) for r in rows(body)] == [("Microsoft Azure", "investment_commitment"),
                                                  ("Google Cloud", "investment_commitment")]


def test_a_breakdown_by_region_is_no_providers_and_that_is_up_from_compares_with_the_sentence_before():
    body = ("Buyers spent $110 billion on cloud infrastructure services in Q1 2026. That is up from $100 billion "
            "in Q3 2025.\n\nGrowth by region:\n- North America: up 22% year on year\n- Europe: up 19%")
    assert [(r[0], r[1], r[3], r[4]) for r in rows(body)] == [
        ("", "market_spend", "2026-Q1", "110"), ("", "market_spend", "2025-Q3", "100")]


def test_a_tables_other_columns_do_not_become_the_quarter_in_context():
    body = ("Shares in the global market:\n\n| # | Provider | Q1 2026 | Q1 2025 |\n| 1 | AWS | 29% | 30% |\n\n"
            "AWS, Microsoft and Google together took 63% of the quarter's spending.")
    assert rows(body)[-1][:4] == ("US Big Three", "market_share", "Global cloud infrastructure services", "2026-Q1")


def test_a_comparison_with_the_sentence_before_only_for_a_figure_that_leads_its_sentence():
    body = ("Buyers spent $110 billion on cloud infrastructure services in Q1 2026. That is up from $100 billion "
            "in Q3 2025, and spending over the trailing twelve months reached $400 billion.\n"
            "Tencent Cloud's revenue grew 14% in Q1 2026. Its retention was 99%, compared with 97% in Q1 2025.")
    assert [(r[1], r[3], r[4]) for r in rows(body)] == [
        ("market_spend", "2026-Q1", "110"), ("market_spend", "2025-Q3", "100"),
        ("market_spend", "unspecified", "400"), ("revenue_growth_yoy", "2026-Q1", "14")]


def test_growth_in_a_row_of_results_a_share_of_something_else_and_an_annual_rate():
    body = ("Azure's revenue was $35 billion in the three months ended June 30, 2026.\nRevenue from Azure grew 37% "
            "from a year earlier, quicker than the 35% pace of the prior quarter.\nIts coding tools are used by "
            "90% of the Fortune 100. Analysts expect the market to keep growing at about 20% a year.")
    assert [(r[1], r[3], r[4]) for r in rows(body)] == [
        ("revenue", "2026-Q2", "35"), ("revenue_growth_yoy", "2026-Q2", "37"), ("revenue_growth_yoy", "2026-Q1", "35")]


def test_hq_epithets_and_an_ordinal_before_an_approximate_share():
    body = ("In 2025 AWS held 30% of the global market. Microsoft ranked second with 23%. OVHcloud was sixth with "
            "about 2%. In Q1 2026 the Seattle-based company's share slipped to 29%.")
    assert [(r[0], r[1], r[4]) for r in rows(body)] == [
        ("Amazon Web Services", "market_share", "30"), ("Microsoft Azure", "market_rank", "2"),
        ("Microsoft Azure", "market_share", "23"), ("OVHcloud", "market_rank", "6"),
        ("OVHcloud", "market_share", "2"), ("Amazon Web Services", "market_share", "29")]


def test_they_between_them_is_the_group_named_before_and_providers_spending_is_their_investment():
    body = ("The US big three will put over $400 billion into capital spending in 2026. From 2023 to 2025 they "
            "spent about $780 billion between them.")
    assert [(r[0], r[1], r[3], r[4]) for r in rows(body)] == [
        ("US Big Three", "investment_commitment", "2026", "400"),
        ("US Big Three", "investment_commitment", "2023..2025", "780")]


def test_a_table_column_states_its_unit_in_its_head_cell():
    body = ("Results for the quarter:\n\n| Provider | Revenue, Q3 2026 (US$ bn) | Share (%) |\n"
            "| Tencent Cloud | 9.5 | 14 |")
    assert [(r[1], r[3], r[4], r[5], r[6]) for r in rows(body)] == [
        ("revenue", "2026-Q3", "9.5", "billion", "USD"), ("market_share", "2026-Q3", "14", "", "pct")]


def test_prices_price_cuts_and_a_markets_multiple_are_no_figures_and_it_is_the_market_before():
    body = ("China's public cloud IaaS market was worth RMB 200 billion in 2025. The market has grown five-fold "
            "since 2019. Analysts expect it to pass RMB 400 billion by 2029. Tencent Cloud cut prices on 40 "
            "products by up to 25%; its plan starts at $9.99 a month.")
    assert [(r[0], r[1], r[3], r[4], r[7]) for r in rows(body)] == [
        ("", "market_spend", "2025", "200", "exact"), ("", "market_spend", "unspecified", "400", "at_least")]


def test_more_growth_words_and_fractions():
    body = ("In Q3 2026 Tencent Cloud booked sales of RMB 9 billion, a 27 per cent jump. Huawei Cloud's turnover "
            "was RMB 20 billion in Q3 2026, up by about a fifth. In Q3 2026 Alibaba held roughly a fifth and "
            "Huawei about a sixth of China's public cloud. Unicom Cloud's revenue was expanding 9% in Q3 2026.")
    assert [(r[0], r[1], r[4], r[7]) for r in rows(body)] == [
        ("Tencent Cloud", "revenue", "9", "exact"), ("Tencent Cloud", "revenue_growth_yoy", "27", "exact"),
        ("Huawei Cloud", "revenue", "20", "exact"), ("Huawei Cloud", "revenue_growth_yoy", "20", "approx"),
        ("Alibaba Cloud", "market_share", "20", "approx"), ("Huawei Cloud", "market_share", "16.7", "approx"),
        ("Unicom Cloud", "revenue_growth_yoy", "9", "exact")]


def test_the_growth_rate_of_the_market_is_no_figure():
    assert rows("In Q3 2026 Tencent Cloud held 14% of China's public cloud. Analysts expect the market to keep "
                "growing at about 20% a year.")[1:] == []


def test_a_comparisons_base_period_is_not_the_same_period_and_money_a_provider_grew_to_is_its_revenue():
    body = ("Tianyi Cloud posted revenue of RMB 58 billion in the six months to June 2026, 9 percent more than in "
            "the first half of 2025. Mobile Cloud brought in RMB 56bn over the same period. Unicom Cloud grew at "
            "a slower 6% clip, to RMB 33 billion.")
    assert [(r[0], r[1], r[3], r[4]) for r in rows(body)] == [
        ("Tianyi Cloud", "revenue", "2026-H1", "58"), ("Tianyi Cloud", "revenue_growth_yoy", "2026-H1", "9"),
        ("Mobile Cloud", "revenue", "2026-H1", "56"), ("Unicom Cloud", "revenue_growth_yoy", "2026-H1", "6"),
        ("Unicom Cloud", "revenue", "2026-H1", "33")]


def test_an_ordinal_right_after_a_provider_in_a_ranking_sentence_is_its_rank():
    body = "In 2025 Tianyi Cloud came in third in China's public cloud, Mobile Cloud fourth and Tencent Cloud fifth."
    assert [(r[0], r[4]) for r in rows(body)] == [("Tianyi Cloud", "3"), ("Mobile Cloud", "4"), ("Tencent Cloud", "5")]


def test_a_count_stated_as_now_does_not_take_the_period_of_its_paragraph():
    body = "In 2025 Mobile Cloud's revenue was RMB 100 billion. It now runs 1,900 edge nodes. It runs 30 provinces."
    assert [(r[1], r[3]) for r in rows(body)] == [("revenue", "2025"), ("edge_nodes", "unspecified"),
                                                  ("provinces_covered", "2025")]


def test_a_regions_possessive_market_a_dateline_and_names_with_digits():
    body = ("OSLO — Norway's public cloud market reached NOK 20 billion in 2025, up 20% from 2024. Foreign "
            "providers took just over half of it. In the Norwegian market AWS held 30% in 2025. Nimbus42, the "
            "Bergen group, has signed capacity deals worth NOK 2 billion since January. Fjord Cloud placed "
            "fourth, at 6%. Google has earmarked $1 billion for a new region.")
    assert [(r[0], r[1], r[2], r[4]) for r in rows(body)] == [
        ("", "market_spend", "Norway's public cloud", "20"),
        ("Amazon Web Services", "market_share", "Norway's public cloud", "30"),
        ("Nimbus42", "capacity_deals", "", "2"), ("Fjord Cloud", "market_rank", "Norway's public cloud", "4"),
        ("Fjord Cloud", "market_share", "Norway's public cloud", "6"), ("Google Cloud", "investment_commitment", "", "1")]


def test_money_the_reference_has_no_metric_for_is_named_by_the_words_of_its_own_phrase():
    found = rows("Kestrel Cloud reported adjusted EBITDA of RMB 410 million and a net loss of RMB 120 million for "
                 "Q2 2026. Tencent Cloud made $2 billion in operating profit in Q2 2026.")
    assert [(r[1], r[4]) for r in found] == [("adjusted_ebitda", "410"), ("net_loss", "120"),
                                             ("operating_profit", "2")]


def test_a_list_with_two_figures_per_item_takes_the_lead_ins_periods_in_order():
    body = ("Share of the Nordic public cloud market, 2025 (2024 in brackets):\n\n- AWS: thirty-one per cent (33%)\n"
            "- Microsoft Azure: 27% (25%)")
    assert [(r[0], r[3], r[4]) for r in rows(body)] == [
        ("Amazon Web Services", "2025", "31"), ("Amazon Web Services", "2024", "33"),
        ("Microsoft Azure", "2025", "27"), ("Microsoft Azure", "2024", "25")]


def test_constant_currency_restatements_and_the_growth_of_a_market_sized_in_the_same_sentence_are_not_figures():
    body = ("Nordic firms spent NOK 14 billion on public cloud infrastructure in 2025, a rise of 21 per cent. "
            "Azure revenue grew 35% in Q1 2026, or 36% in constant currency.")
    assert [(r[1], r[4]) for r in rows(body)] == [("market_spend", "14"), ("revenue_growth_yoy", "35")]


def test_a_provider_named_before_an_apposition_and_a_fiscal_quarter_that_ended_in_a_month():
    body = ("Local player Fjordsky, listed in Oslo, reported revenue of NOK 38 million for the six months ended "
            "December 31, up 46%. Microsoft said Intelligent Cloud revenue was $31.6 billion in its fiscal third "
            "quarter, which ended March 31. The company said capital expenditure in the quarter was $21.4 billion, "
            "and it expects to spend more than $90 billion in its next fiscal year.")
    assert [(r[0], r[1], r[3], r[4]) for r in rows(body, published="2026-04-30")] == [
        ("Fjordsky", "revenue", "2025-H2", "38"), ("Fjordsky", "revenue_growth_yoy", "2025-H2", "46"),
        ("Microsoft Azure", "revenue", "2026-Q1", "31.6"),
        ("Microsoft Azure", "investment_commitment", "2026-Q1", "21.4"),
        ("Microsoft Azure", "investment_commitment", "unspecified", "90")]


def test_a_plan_announced_in_a_year_and_a_share_the_providers_hold_of_the_market_sized_before():
    body = ("Nordic buyers spent NOK 14 billion on cloud in 2025. Together the three US hyperscalers hold more "
            "than two-thirds of the Nordic market. Microsoft's earlier NOK 5 billion plan, announced in October "
            "2023, runs over two years.")
    assert [(r[0], r[1], r[3]) for r in rows(body)][1:] == [
        ("US Big Three", "market_share", "2025"), ("Microsoft Azure", "investment_commitment", "unspecified")]


def test_a_providers_own_report_a_rank_behind_two_others_and_a_capitalised_brand():
    body = ("Huawei's annual report shows its cloud business grew 30% to RMB 70 billion in 2025. In the first half "
            "of 2026 Fjordsky took 14.8% of China's AI cloud market, ranking third behind Alibaba Cloud (35.8%) "
            "and Huawei Cloud (15.6%).\n\nSTACKIT, the cloud arm of Schwarz Group, expects revenue of more than "
            "€2 billion in 2026.\n\nOSLO — Kestrel Cloud reported revenue of $9 million in Q2 2026. Its revenue "
            "grew 12% in Q2 2026.")
    assert [(r[0], r[1], r[2], r[4]) for r in rows(body)] == [
        ("Huawei Cloud", "revenue_growth_yoy", "", "30"), ("Huawei Cloud", "revenue", "", "70"),
        ("Fjordsky", "market_share", "China's AI cloud", "14.8"), ("Fjordsky", "market_rank", "China's AI cloud", "3"),
        ("Alibaba Cloud", "market_share", "China's AI cloud", "35.8"),
        ("Huawei Cloud", "market_share", "China's AI cloud", "15.6"), ("STACKIT", "revenue", "", "2"),
        ("Kestrel Cloud", "revenue", "", "9"), ("Kestrel Cloud", "revenue_growth_yoy", "", "12")]


def test_signed_percentages_money_changes_and_posted_revenue():
    body = ("In Q4 2025 Google Cloud posted $15.7bn, up 48%.\nMicrosoft: revenue $35.1bn (+22%) in Q4 2025.\n"
            "Worldwide, enterprises spent $99bn on cloud infrastructure in Q2 2025, up $22bn from a year earlier.")
    assert [(r[0], r[1], r[4]) for r in rows(body)] == [
        ("Google Cloud", "revenue", "15.7"), ("Google Cloud", "revenue_growth_yoy", "48"),
        ("Microsoft Azure", "revenue", "35.1"), ("Microsoft Azure", "revenue_growth_yoy", "22"),
        ("", "market_spend", "99")]


def test_the_company_is_the_one_just_named_and_a_full_year_is_the_year_in_context():
    body = ("Kestrel Cloud said revenue for Q2 2026 was RMB 2 billion. The company also raised its full-year capex "
            "budget to RMB 9 billion.")
    assert [(r[0], r[1], r[3], r[4]) for r in rows(body)] == [
        ("Kestrel Cloud", "revenue", "2026-Q2", "2"), ("Kestrel Cloud", "investment_commitment", "2026", "9")]


def test_its_noun_names_its_money_and_a_verb_after_the_noun_does_not():
    body = "Oracle's cloud revenue jumped 55% to $3.4bn in Q2 2026. Its backlog swelled to $480 billion."
    assert [(r[0], r[1], r[4]) for r in rows(body)][1:] == [("Oracle", "revenue", "3.4"), ("Oracle", "backlog", "480")]


def test_a_share_of_providers_the_reference_has_no_group_for_is_not_drafted_for_another():
    body = "Oracle's revenue jumped 55% in Q2 2026. European providers' share of the European market fell to 15% in 2025."
    assert [(r[0], r[1]) for r in rows(body)] == [("Oracle", "revenue_growth_yoy")]


def test_percentages_of_other_things_than_a_market_are_no_shares():
    body = ("Google Cloud cut its workforce by 10% in 2025. Alibaba Cloud aims to reach 10% of revenue from "
            "overseas by 2027. Tencent Cloud's gross margin improved to 35% in Q2 2026. AWS customers can save up "
            "to 72% with reserved instances. Azure grew up to 40% in Q2 2026, and AWS took a 10% stake in a start-up.")
    assert [(r[0], r[1], r[4], r[7]) for r in rows(body)] == [("Microsoft Azure", "revenue_growth_yoy", "40", "at_most")]


def test_a_count_compared_with_a_year_before_a_point_in_time():
    body = "By the end of June 2026 Huawei Cloud operated 3,000 edge nodes, up from 2,600 a year before. In Q1 2026 AWS had grown 16.9%."
    assert [(r[1], r[3], r[4]) for r in rows(body)] == [
        ("edge_nodes", "as of 2026-06-30", "3"), ("edge_nodes", "as of 2025-06-30", "2.6"),
        ("revenue_growth_yoy", "2026-Q1", "16.9")]


def test_a_figure_as_a_headline_is_read_with_the_sentence_that_explains_it():
    body = ("1. **$107 billion.** That is what companies worldwide spent on cloud infrastructure services in the "
            "first three months of 2026.\n2. **31%.** The share of that spending captured by Amazon Web Services.")
    assert [(r[0], r[1], r[3], r[4]) for r in rows(body)] == [
        ("", "market_spend", "2026-Q1", "107"), ("Amazon Web Services", "market_share", "2026-Q1", "31")]


def test_a_comparisons_base_in_a_list_item_is_not_the_period_of_the_next_item():
    body = ("Second-quarter results season is over:\n- AWS: revenue of $36.4 billion, 18% higher than a year ago.\n"
            "- Google Cloud: revenue up 33% at $17.9 billion.")
    assert [(r[0], r[3]) for r in rows(body, published="2026-08-12")] == [
        ("Amazon Web Services", "2026-Q2"), ("Amazon Web Services", "2026-Q2"), ("Google Cloud", "2026-Q2"),
        ("Google Cloud", "2026-Q2")]


def test_a_figure_ahead_of_another_providers_keeps_the_metric():
    body = "Mobile Cloud's revenue was RMB 56 billion in 2025, ahead of Tianyi Cloud's RMB 53 billion."
    assert [(r[0], r[1], r[4]) for r in rows(body)] == [("Mobile Cloud", "revenue", "56"), ("Tianyi Cloud", "revenue", "53")]


def test_an_ordinal_as_a_list_headline_is_the_rank_the_next_words_explain():
    body = "1. **Fourth.** Where Alibaba Cloud now ranks in the global market, with a 4% share."
    assert [(r[0], r[1], r[4]) for r in rows(body)] == [("Alibaba Cloud", "market_rank", "4"),
                                                         ("Alibaba Cloud", "market_share", "4")]


def test_a_region_named_elsewhere_in_the_sentence_is_the_market_of_its_figures():
    body = "AWS is the biggest provider in Indonesia, with roughly 45% of the market in 2025."
    assert [(r[1], r[2]) for r in rows(body)] == [("market_rank", "Indonesia"), ("market_share", "Indonesia")]


def test_money_right_after_a_market_named_as_a_subject_is_its_size():
    body = "The UK cloud infrastructure market, worth £12bn in 2025, is dominated by AWS (40%) and Microsoft (30%)."
    assert [(r[0], r[1], r[2], r[4]) for r in rows(body)] == [
        ("", "market_spend", "UK cloud infrastructure", "12"),
        ("Amazon Web Services", "market_share", "UK cloud infrastructure", "40"),
        ("Microsoft Azure", "market_share", "UK cloud infrastructure", "30")]


def test_a_metric_word_qualifying_another_noun_names_that_noun():
    body = "In Q2 2026 AWS revenue was $30 billion. Its revenue backlog stood at $195 billion."
    assert [(r[1], r[4]) for r in rows(body)] == [("revenue", "30"), ("revenue_backlog", "195")]


def test_a_threshold_crossed_for_the_first_time_we_in_a_quote_and_a_participle_reaching_money():
    body = ("Tianyi Cloud's revenue crossed RMB 100 billion for the first time in 2024, reaching RMB 114 billion.\n"
            "\"We grew cloud revenue 28% in 2025,\" Alibaba's chief executive said.")
    assert [(r[0], r[1], r[3], r[4]) for r in rows(body)] == [
        ("Tianyi Cloud", "revenue", "2024", "114"), ("Alibaba Cloud", "revenue_growth_yoy", "2025", "28")]


def test_a_research_firms_tally_gives_it_the_subject_before_and_a_unit_named_with_a_letter():
    body = ("ByteDance's cloud arm Volcano Engine has never published accounts. IDC's latest tally gives it 6.4% of "
            "China's public cloud IaaS market in H2 2025, making it the fifth-largest provider behind Alibaba Cloud "
            "and Huawei Cloud. The company has pledged RMB 150 billion for AI.\n\nDeutsche Telekom's T Cloud unit "
            "said its revenue rose 14% to €4.1 billion in 2025.")
    assert [(r[0], r[1], r[4]) for r in rows(body)] == [
        ("Volcano Engine", "market_share", "6.4"), ("Volcano Engine", "market_rank", "5"),
        ("Volcano Engine", "investment_commitment", "150"), ("T Cloud", "revenue_growth_yoy", "14"),
        ("T Cloud", "revenue", "4.1")]


def test_a_tables_head_row_names_columns_not_the_provider_of_its_rows():
    body = ("Huawei Cloud published its operating data for 2025.\n\n| Indicator | Value |\n"
            "| Edge nodes | more than 1,900 |\n| Provinces covered | 28 |")
    assert {r[0] for r in rows(body)} == {"Huawei Cloud"}


def test_a_period_after_a_comparisons_base_number_is_the_bases_alone():
    found = rows("Google Cloud posted results for the fourth quarter of 2025.\nRevenue rose 41% to $18.3 billion, "
                 "accelerating from 36% in Q3 2025, and the unit's operating income reached $4.9 billion.")
    assert [(r[1], r[3], r[4]) for r in found] == [
        ("revenue_growth_yoy", "2025-Q4", "41"), ("revenue", "2025-Q4", "18.3"),
        ("revenue_growth_yoy", "2025-Q3", "36"), ("operating_income", "2025-Q4", "4.9")]


def test_a_list_ranked_by_growth_gives_no_market_ranks():
    body = ("Ranked by year-on-year growth in Q4 2025, the three finished in this order:\n\n1. Google Cloud\n"
            "2. Microsoft Azure\n3. AWS\n\nThe largest providers by share in Q4 2025:\n\n1. AWS\n2. Microsoft Azure")
    assert [(r[0], r[1], r[4]) for r in rows(body)] == [
        ("Amazon Web Services", "market_rank", "1"), ("Microsoft Azure", "market_rank", "2")]


def test_an_interviews_speaker_labels_are_no_providers_and_we_is_the_interviewees_company():
    body = ("Lisbon, 2 May 2026. Ribeira Cloud, a Porto-based provider, has doubled in size. Its founder spoke to us.\n"
            "Tech Weekly: AWS held about 30% of the Portuguese market in 2025. Where does that leave you?\n"
            "Ana Costa: With room to grow. We booked revenue of EUR 80 million in 2025, up 40%.\n"
            "TW: Who are your customers?\n"
            "AC: Mostly banks and ministries, and we will keep it that way.")
    assert [(r[0], r[1], r[4]) for r in rows(body)] == [
        ("Amazon Web Services", "market_share", "30"), ("Ribeira Cloud", "revenue", "80"),
        ("Ribeira Cloud", "revenue_growth_yoy", "40")]


def test_a_plural_acronym_is_a_common_noun_not_a_provider():
    found = rows("In 2025 the global market grew 25%. Hosted model APIs accounted for about 31% of that growth.")
    assert all(r[0] != "APIs" for r in found)


def test_a_span_opening_the_sentence_from_one_year_to_another_is_its_period_not_a_base():
    found = rows("From 2023 to 2025, Microsoft Azure's revenue grew 1.8-fold, helped by AI.")
    assert [(r[1], r[3]) for r in found] == [("revenue_multiple", "2023..2025")]


def test_the_company_is_the_one_whose_spokesman_spoke_last_not_the_most_named():
    body = ("AWS led the market in 2025 with 35%. AWS and Azure grew fast, and AWS opened a region.\n"
            "\"We are not trying to be AWS,\" Kaveri Cloud's chief executive told us. \"We want to be audited.\" The company plans to invest "
            "$2 billion in new data centres.")
    assert [(r[0], r[1]) for r in rows(body)][-1] == ("Kaveri Cloud", "investment_commitment")


def test_a_figure_takes_no_period_from_its_providers_figure_of_a_year_before():
    found = rows("In the first half of 2025, Mobile Cloud held 10.2% of the China public cloud IaaS market.\n"
                 "Mobile Cloud, which held 9.1% a year before, has climbed to fourth place.")
    assert [(r[1], r[3], r[4]) for r in found][-2:] == [
        ("market_share", "2024-H1", "9.1"), ("market_rank", "2025-H1", "4")]


def test_shares_as_generally_estimated_take_no_period_from_a_sources_figure_before():
    found = rows("Canalys counts cloud spending at $99 billion in Q3 2026. How that splits depends on whose numbers "
                 "you trust. By most estimates AWS still has nearly a third of the global market. Together the three "
                 "US hyperscalers hold something like two-thirds.")
    assert [r[3] for r in found] == ["2026-Q3", "unspecified", "unspecified"]


def test_what_a_product_costs_less_than_another_is_no_figure():
    found = rows("In Q4 2025 AWS held 31% of the market. AWS's growth rate is now at its highest, helped by chips "
                 "that the company says cost customers 30% to 40% less than comparable graphics processors.")
    assert [(r[1], r[4]) for r in found] == [("market_share", "31")]


def test_a_second_figure_of_the_metric_in_another_clause_does_not_take_the_first_ones_period():
    found = rows("Alphabet said capital expenditure would be about $180 billion in 2026, and separately announced "
                 "that it would invest €4.2 billion to expand its campus in Belgium.")
    assert [(r[1], r[3], r[4], r[6]) for r in found] == [
        ("investment_commitment", "2026", "180", "USD"), ("investment_commitment", "unspecified", "4.2", "EUR")]


def test_a_count_before_a_phrase_that_counts_what_follows_it_is_not_that_count():
    found = rows("Huawei Cloud will open new data centers in five countries. Kaveri Cloud will invest $1 billion, "
                 "mostly in two new data centres in Kerala and Goa.")
    assert [(r[1], r[4]) for r in found] == [("new_data_center_countries", "5"), ("investment_commitment", "1")]


def test_a_share_the_writer_hedges_takes_no_period_from_another_providers_figure_before():
    found = rows("DigitalOcean's revenue grew nine percent in 2025. IBM Cloud has perhaps 2% of the global market.")
    assert [(r[0], r[3]) for r in found][-1] == ("IBM Cloud", "unspecified")


def test_what_the_research_firm_expects_is_no_providers_figure():
    found = rows("Cloud spending reached $412 billion in 2025, Synergy Research Group said in its annual review. "
                 "The research firm expects growth to stay above 20% this year.", "2026-02-12")
    assert [(r[0], r[1], r[4]) for r in found] == [("", "market_spend", "412")]
