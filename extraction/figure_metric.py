"""The metric of a figure: by its unit and the metric phrase nearest to it (its own clause first), a list's
lead-in or table column, a comparison's first term (in its sentence or the one before); money for a market
alone is the market's size; a provider's percentage of nothing else is its share; money the reference has no
metric for is named by its own words."""

from __future__ import annotations

import re

from extraction.analysis import COMPARED, Analysis, distance, list_lead, table_head_cell
from extraction.figure import Figure
from extraction.figure_entity import COLLECTIVE, SELF_REFERENCE, unknown_name
from extraction.names import MARKET, NameMention
from extraction.numbers import NumberMention
from extraction.text import Sentence

NEAR_ONLY = {"count", "seconds", "years", "per_second"}  # their metric phrase must stand right by the number
NEAR_CHARS = 45
COUNTS_ITS_OBJECT = re.compile(r"\s(?:in|of|across)$", re.IGNORECASE)  # "new data centers in (five countries)"
LEVEL_AFTER_CHANGE = re.compile(r"\b(?:rose|grew|climbed|jumped|fell|dropped|slipped|increased|decreased|edged\s+up|"
                                r"edged\s+down)\b.*(?<!\bup\s)\bto\s+(?:(?:about|around|roughly|nearly|almost|"
                                r"just|over|under|more\s+than|less\s+than)\s+)*$", re.IGNORECASE)
PARTICIPLE = re.compile(r"(?:reaching|hitting|rising\s+to|climbing\s+to|growing\s+to|totalling|totaling)\s",
                        re.IGNORECASE)  # a clause continuing the sentence's figure
PRONOUN = re.compile(r"\bit\b", re.IGNORECASE)  # 'it passed $9bn' (not 'its backlog')
PRONOUN_SENTENCES = 6  # 'it' is the money figure's subject stated this many sentences before at most
OTHER_PERCENTAGE = re.compile(  # a percentage of something else than a market, in a provider's sentence
    r"\b(?:margins?|workforce|staff|headcount|jobs|employees|utili[sz]ation|retention|churn|discounts?|sav(?:e|es|ing|"
    r"ings)|prices?|tax|interest|stake|uptime|availability|efficiency|occupancy|penetration|adoption|cut|cuts)\b",
    re.IGNORECASE)
QUALIFIES_ANOTHER = re.compile(r"\s+(?:backlog|run[\s-]rate|pipeline|obligations)\b",
                               re.IGNORECASE)  # "its revenue backlog": a backlog, not revenue
ANNUAL_RATE = re.compile(r"\s+(?:a|per|each)\s+year\b|\s+annually\b|\s+per\s+annum\b", re.IGNORECASE)
SHARE_OF_OTHER = re.compile(  # "used by 90% of the Fortune 100": a percentage of something else than a market
    r"\s+of\s+(?!(?:[\w'-]+\s+){0,5}?(?:market|markets|spending|spend|segment|total|it|that|this|them)\b)",
    re.IGNORECASE)
MONEY_FILLERS = {"in", "of", "the", "a", "an", "for", "on", "its", "their", "to", "and", "at", "was", "were", "is",
                 "are", "be", "been", "had", "has", "have", "hit", "reached", "came", "stood", "totalled", "totaled",
                 "unit", "company", "group", "business", "about", "roughly", "some", "nearly", "over", "under", "just",
                 "with", "by", "from", "it", "this", "that", "which", "while", "more", "than", "less", "almost",
                 "ended", "ending", "since", "worth", "doubled", "tripled", "rose", "grew", "fell", "climbed", "jumped", "increased",
                 "decreased", "dropped", "january", "february", "march", "april", "may", "june", "july", "august",
                 "september", "october", "november", "december"}


def metric_of(analysis: Analysis, number: NumberMention, sentence: Sentence, clause: tuple[int, int],
            earlier: list[Figure]) -> tuple[str | None, dict[str, str]]:
    unit = number.kind  # a number's kind is named as the unit of the metrics it can be
    if number.kind == "pct" and analysis.body[number.start - 1:number.start] == "+" and any(
            m.name == "revenue" and sentence.start <= m.start < number.start for m in analysis.metrics):
        return "revenue_growth_yoy", {}  # "revenue $35.1bn (+22%)": a signed percentage is the change
    compatible = {m for m, (u, _) in analysis.reference.metrics.items() if u == unit}
    if number.kind == "x" and analysis.body[number.start:number.end].isalpha() and not any(
            m.name == "revenue" and clause[0] <= m.start < clause[1] for m in analysis.metrics):
        return None, {}  # "operating income doubled": a multiple of revenue only where revenue doubled
    if number.kind == "x" and _about_a_market(analysis, sentence, bare_word=True):
        return None, {}  # "the market has grown five-fold": no metric holds a market's multiple
    if number.kind in ("rank", "x") and len(compatible) == 1:
        return next(iter(compatible)), {}
    near = [m for m in analysis.metrics if m.name in compatible and sentence.start <= m.start < sentence.end
            and not QUALIFIES_ANOTHER.match(analysis.body, m.end)]
    lead = list_lead(analysis, sentence)
    if not near and lead is not None:  # a list item: its lead-in line names the metric ("shares in Q3 2025:")
        head = table_head_cell(analysis, sentence, number.start) or (lead.start, lead.end)  # a table: its column's
        near = [m for m in analysis.metrics if m.name in compatible and head[0] <= m.start < head[1]] or [
            m for m in analysis.metrics if m.name in compatible and lead.start <= m.start < lead.end]
        clause = (lead.start, clause[1])
    if number.kind in NEAR_ONLY:
        compared = [f for f in earlier if f.spans[-1][0] >= sentence.start and f.unit == number.kind]
        if compared and COMPARED.search(analysis.body, clause[0], number.start):
            return compared[-1].metric, {}  # "3,000 edge nodes, up from 2,600": the same metric
        near = [m for m in near if _owner(analysis, m, sentence) in (None, number.start) and clause[0] <= m.start
                and m.end <= clause[1] and distance(m, number) <= NEAR_CHARS]
        near = [m for m in near if m.start < number.end
                or not COUNTS_ITS_OBJECT.search(analysis.body, m.start, m.end)]
        after = [m for m in near if m.start >= number.end]  # not "two data centres in Goa": what follows "in" counts
        near = after or near
    else:
        compared = [f for f in earlier if f.spans[-1][0] >= sentence.start and (
            f.metric in compatible or (number.kind == "currency" and f.unit == number.currency))] or [
            f for f in earlier if analysis.sentence_at(f.spans[-1][0]).index == sentence.index - 1
            and f.metric in compatible and not any(clause[0] <= m.start < clause[1] or not any(
                n.kind == number.kind for n in analysis.numbers_in(*analysis.clause_at(sentence, m.start)))
                for m in near)  # no phrase of its own nor one no other number of its kind claims
            and not any(n.kind == number.kind for n in analysis.numbers_in(sentence.start, number.start))]
        # "That is up from $100 billion": the figure of the sentence before
        if compared and COMPARED.search(analysis.body, clause[0], number.start):
            return compared[-1].metric, {}  # "39% in Q4, compared with 31% a year earlier": the same metric
        in_clause = [m for m in near if clause[0] <= m.start and m.end <= clause[1]]
        # else a phrase of another clause, unless that clause has money or a percentage of its own
        near = in_clause or ([] if number.kind == "pct" else [m for m in near if not any(
            n.kind == number.kind for n in analysis.numbers_in(*analysis.clause_at(sentence, m.start)))])
    subject = [m for m in near if clause[0] <= m.start < number.start]
    if subject and LEVEL_AFTER_CHANGE.search(analysis.body[clause[0]:number.start]):
        near = subject[:1]  # "its share rose 1.5 points to 19.4%": the new level of the subject, not the change
    if near:
        metric = min(near, key=lambda m: (distance(m, number), m.start < number.start, m.start - m.end)).name
        metric = _whole_market(analysis, sentence, metric)
        if number.kind == "pct" and metric != "market_share" and not any(
                sentence.start <= e.start < sentence.end for e in analysis.entities) and any(
                f.metric == _market_size(analysis) and f.spans[0][0] >= sentence.start for f in earlier):
            return None, {}  # "firms spent $14 billion on cloud, a rise of 21%": the market's growth
        if number.kind == "currency" and metric == _market_size(analysis) and (spent := _providers_money(
                analysis, sentence, number, earlier)):
            return spent, {}  # "they spent $780 billion between them": the providers' money named before
        if metric == "market_share" and ANNUAL_RATE.match(analysis.body, number.end):
            return None, {}  # "the market growing at about 20% a year": a rate, not a share
        return metric, {}
    if number.kind == "pct" and "market_share" in compatible and not _share_of_other(analysis, number) \
            and not OTHER_PERCENTAGE.search(analysis.body, clause[0], clause[1]) and (any(
            e.start < sentence.end and sentence.start <= e.start for e in analysis.entities) or any(
            n.kind == "rank" for n in analysis.numbers_in(sentence.start, sentence.end))
            or unknown_name(analysis, sentence.start, number.start)):
        return "market_share", {}  # "Huawei Cloud ranked second with 19.2%": a provider's (or a ranked) percentage
    if number.kind == "currency" and (_about_a_market(analysis, sentence, bare_word=True) or _after_a_market(
            analysis, sentence, number)) and (size := _market_size(analysis)):
        return size, {}  # "China's cloud computing market grew to RMB 828.8 billion", "the market totalled"
    if number.kind == "currency":
        if LEVEL_AFTER_CHANGE.search(analysis.body, sentence.start, number.start) and "revenue" in analysis.reference.metrics \
                and any(sentence.start <= e.start < number.start for e in analysis.entities):
            return "revenue", {}  # "Unicom Cloud grew 6%, to RMB 33 billion": the revenue that grew
        if PARTICIPLE.match(analysis.body, clause[0]) and (stated := [
                m for m in analysis.metrics if m.name in compatible and sentence.start <= m.start < clause[0]]):
            return stated[-1].name, {}  # "revenue crossed RMB 100 billion in 2024, reaching RMB 114 billion"
        if PRONOUN.search(analysis.body, clause[0], number.start) and (before := [
                f for f in earlier if f.unit == number.currency
                and sentence.index - PRONOUN_SENTENCES <= analysis.sentence_at(f.spans[0][0]).index <= sentence.index]):
            metric = before[-1].metric  # "revenue was $8bn, and it passed $9bn", "analysts expect it to pass $1tn"
            return metric, {"metric": metric} if "metric" in before[-1].unknown else {}
        guess = _money_metric_name(analysis, clause, number)
        return guess, {"metric": guess}
    return None, {}


def _providers_money(analysis: Analysis, sentence: Sentence, number: NumberMention,
                     earlier: list[Figure]) -> str | None:
    """The metric of providers' money stated in the sentence before, when a sentence naming no market says what
    providers spent ('they spent $780 billion between them')."""
    if any(sentence.start <= m.start < sentence.end for m in analysis.markets) or not (
            COLLECTIVE.search(analysis.body, sentence.start, sentence.end)
            or SELF_REFERENCE.search(analysis.body, sentence.start, number.start)
            or PRONOUN.search(analysis.body, sentence.start, number.start)
            or any(sentence.start <= e.start < number.start for e in analysis.entities)):
        return None
    before = [f for f in earlier if f.entity and f.unit == number.currency and not f.market
              and sentence.index - 1 <= analysis.sentence_at(f.spans[0][0]).index <= sentence.index]
    return before[-1].metric if before else None


def _after_a_market(analysis: Analysis, sentence: Sentence, number: NumberMention) -> bool:
    """Whether the name nearest before money in its sentence is a market ('The UK cloud market, worth £12bn')."""
    named = [n for n in (*analysis.entities, *analysis.markets) if sentence.start <= n.start and n.end <= number.start]
    return bool(named) and max(named, key=lambda n: n.end).kind == MARKET


def _share_of_other(analysis: Analysis, number: NumberMention) -> bool:
    """Whether a percentage is 'of' something other than a market ('used by 90% of the Fortune 100')."""
    of = re.compile(r"\s+of\s+").match(analysis.body, number.end)
    if of is None or any(of.end() <= m.start < of.end() + 50 for m in analysis.markets):
        return False
    return bool(SHARE_OF_OTHER.match(analysis.body, number.end))


def _whole_market(analysis: Analysis, sentence: Sentence, metric: str) -> str:
    """Money stated for a market with no provider named ('cloud infrastructure services revenue hit $119bn')
    is the market's size, whatever word the text uses for it."""
    unit, fact_table = analysis.reference.metrics[metric]
    if unit != "currency" or fact_table == "market_size":
        return metric if unit != "pct" or fact_table == "market_share" or not _about_a_market(
            analysis, sentence, bare_word=True) else None  # "the market grew 16%": no metric for a market's growth
    return (_about_a_market(analysis, sentence) and _market_size(analysis)) or metric


def _market_size(analysis: Analysis) -> str | None:
    """The one metric of money a market is worth, if the reference data has exactly one."""
    found = [m for m, (u, table) in analysis.reference.metrics.items() if u == "currency" and table == "market_size"]
    return found[0] if len(found) == 1 else None


def _about_a_market(analysis: Analysis, sentence: Sentence, bare_word: bool = False) -> bool:
    """Whether a sentence names markets and no provider: its percentages are the market's, not a provider's.
    With `bare_word`, 'the market' alone (the one named before) counts as naming one."""
    named = [n for n in (*analysis.entities, *analysis.markets) if sentence.start <= n.start < sentence.end]
    if bare_word and not named:
        return bool(re.search(r"\bthe\s+market\b", analysis.body[sentence.start:sentence.end], re.IGNORECASE))
    return bool(named) and all(n.kind == MARKET for n in named)


def _owner(analysis: Analysis, phrase: NameMention, sentence: Sentence) -> int | None:
    """The number a metric phrase is the first phrase after ("200 large language models"), in its clause and
    with no other number between: the phrase describes that number and no later one."""
    clause = analysis.clause_at(sentence, phrase.start)
    before = analysis.numbers_in(clause[0], phrase.start)
    if before and phrase.start - before[-1].end <= NEAR_CHARS and not any(
            before[-1].end <= m.start and m.end <= phrase.start for m in analysis.metrics):  # only its first phrase
        return before[-1].start
    return None


def _money_metric_name(analysis: Analysis, clause: tuple[int, int], number: NumberMention) -> str:
    """A metric name for money the reference data has no phrase for: the nouns just after it when they follow
    'in' or 'of' ('$2 billion in operating profit'), else the last ones before it in its clause ('a backlog of
    $106 billion', 'adjusted EBITDA of RMB 410 million')."""
    names = [(n.start, n.end) for n in (*analysis.entities, *analysis.periods)]
    after = [(number.end, min(number.end + 40, clause[1]), False)] if re.match(
        r"\s+(?:in|of)\s", analysis.body[number.end:number.end + 5]) else []
    for start, end, last in (*after, (clause[0], number.start, True)):
        text = "".join(c if not any(s <= i < e for s, e in names) else " " for i, c in
                       enumerate(analysis.body[start:end], start))
        words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]+", text)]
        words = [w for w in words if w not in MONEY_FILLERS]
        while last and len(words) > 1 and words[-1].endswith("ed"):
            words.pop()  # "its backlog swelled to $480 billion": the verb after the noun names nothing
        if words:
            return "_".join(w.replace("-", "_") for w in (words[-2:] if last else words[:2]))
    return "unnamed_money_figure"
