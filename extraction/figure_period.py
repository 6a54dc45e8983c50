"""The period of a figure: its table column's or list lead-in's, its clause's (the one right after it first),
its sentence's (not another number's relative or comparison period), else one the text makes clear (its
paragraph's, the results announced for a period, earlier figures of its market, metric or provider); else
unspecified."""

from __future__ import annotations

import re

from extraction.analysis import Analysis, list_lead, table_head_cell
from extraction.figure import Figure
from extraction.numbers import NumberMention
from extraction.periods import UNSPECIFIED, PeriodMention
from extraction.text import Sentence

NOW = re.compile(r"\b(?:now|currently|today|at\s+present)\b", re.IGNORECASE)
PRESENT = re.compile(r"\b(?:still|holds|is|are|goes|leads|controls|commands|"
                     r"ranks|sits|stands|remains|accounts\s+for|takes)\b", re.IGNORECASE)  # a figure stated as now
ESTIMATE = re.compile(r"\b(?:by\s+(?:most|many|some|all)\s+(?:estimates|accounts|measures)|depend(?:s|ing)?\s+on\s+"
                      r"whose)\b", re.IGNORECASE)  # shares as generally estimated, of no source and period
HEDGED = re.compile(r"\b(?:perhaps|maybe|something\s+like)\s+$", re.IGNORECASE)  # the writer's own guess
RESULTS_FOR = re.compile(r"\b(?:results|earnings)\s+(?:for|of)\s+(?:the\s+|its\s+)?$", re.IGNORECASE)
PLANNED = re.compile(r"\b(?:will|would|plans?|planned|pledged?|intends?|aims?)\b", re.IGNORECASE)  # the future
ROW_SENTENCES = 3  # a provider's result takes the period of its results this many sentences before
BASE_BEFORE = re.compile(r"\b(?:from|than|compared\s+(?:with|to)|versus|vs\.?|on|over)\s+(?:(?:the|a|an|same|"
                         r"corresponding|comparable|period|quarter|half|months?|three|six|of|in)\s+)*\S*\s*$",
                         re.IGNORECASE)  # "up 34% on the same period of 2025": the base, not the period
COMPARED_CLAUSE = re.compile(r"(?:compared\s+(?:with|to)|versus|vs\.?|against|(?:up\s+|down\s+)?from|than)\b",
                             re.IGNORECASE)  # a clause stating the base of a comparison
APPOSITION = re.compile(r"\s*(?:,|\(|[-–—])\s*(?:i\.e\.\s+|or\s+|that\s+is\s+)?")  # "its fiscal Q1, the July-September period"


def period_of(analysis: Analysis, number: NumberMention, sentence: Sentence, clause: tuple[int, int], metric: str,
            market: str, entity: str, earlier: list[Figure]) -> tuple[str, str]:
    head = table_head_cell(analysis, sentence, number.start)
    if head:  # a table cell: its column's period ('| Share, Q2 2025 |'), else the head row's first
        row = analysis.sentence_at(head[0])
        in_head = [p for p in analysis.periods if head[0] <= p.start < head[1]] or [
            p for p in analysis.periods if row.start <= p.start < row.end]
        if in_head:
            return in_head[0].label, in_head[0].note
    if by_column := _list_column(analysis, number, sentence):
        return by_column.label, by_column.note  # "Shares, 2025 (2024 in brackets):\n- AWS: 31% (33%)"
    in_sentence = [p for p in analysis.periods if sentence.start <= p.start < sentence.end
                   and not (p.start >= number.end and BASE_BEFORE.search(analysis.body, number.end, p.start))]
    numbers = [n.start for n in analysis.numbers_in(clause[0], clause[1])
               if not any(p.start <= n.start < p.end for p in in_sentence)]
    in_clause = [p for p in in_sentence if clause[0] <= p.start < clause[1]  # not a period another number stands before
                 and not (p.start >= number.end and any(number.end <= n < p.start for n in numbers))]
    chosen: PeriodMention | None = None
    if in_clause:
        right_after = [p for p in in_clause if p.start >= number.end
                       and not any(number.end <= n < p.start for n in numbers)]
        chosen = right_after[0] if right_after else min(
            in_clause, key=lambda p: abs(p.start - number.end) if p.start >= number.end else number.start - p.end)
    elif before := [p for p in in_sentence if p.end <= number.start and _shared(analysis, sentence, p)
                    and not _dates_another(p, sentence, (entity, metric, market), earlier)]:
        chosen = before[-1]
    elif shared := [p for p in in_sentence if _shared(analysis, sentence, p)
                    and not _dates_another(p, sentence, (entity, metric, market), earlier)]:
        chosen = shared[0]
    if chosen is not None and chosen.label == UNSPECIFIED:  # a fiscal period explained by a calendar one
        chosen = next((p for p in in_sentence if p.start >= chosen.end and p.absolute and p.label != UNSPECIFIED
                       and APPOSITION.fullmatch(analysis.body, chosen.end, p.start)), chosen)
    if chosen is not None:
        return chosen.label, chosen.note
    return _inherited(analysis, number, sentence, clause, metric, market, entity, earlier)


def _inherited(analysis: Analysis, number: NumberMention, sentence: Sentence, clause: tuple[int, int], metric: str,
               market: str, entity: str, earlier: list[Figure]) -> tuple[str, str]:
    """The period of a figure whose sentence states none, where the text makes it clear: its paragraph's, the
    results announced for a period, an earlier figure of its market or metric, its provider's results in the
    sentences before; never for a figure stated as now or planned."""
    if NOW.search(analysis.body, *clause):
        return UNSPECIFIED, ""  # "it now runs 1,900 edge nodes": the time of writing, no period of the text
    relative = {p.label for p in analysis.periods if sentence.start <= p.start < sentence.end and p.relative}
    own_sentence = [f for f in earlier if f.entity == entity and f.metric != metric
                    and f.period not in relative | {UNSPECIFIED} and not f.compared and sentence.start <= f.spans[0][0] < sentence.end]  # not the period of 'a year before'
    if own_sentence:  # "revenue rose 41% in Q4, and operating income reached $4.9 billion": one period
        return own_sentence[-1].period, ""
    in_paragraph = [p for p in analysis.periods if p.end <= sentence.start and p.label != UNSPECIFIED
                    and not p.aside and (not p.relative or p.rule == "same_period")  # not another number's base
                    and (s := analysis.sentence_at(p.start)) is not None and s.paragraph == sentence.paragraph]
    if ESTIMATE.search(analysis.body, in_paragraph[-1].end if in_paragraph else sentence.start, number.start) \
            or HEDGED.search(analysis.body, sentence.start, number.start):
        return UNSPECIFIED, ""  # "how that splits depends on whose numbers you trust", "has perhaps 2%": no source's
    if in_paragraph:
        return in_paragraph[-1].label, ""
    if PRESENT.search(analysis.body, sentence.start, number.end) or PLANNED.search(analysis.body, sentence.start,
                                                                                   sentence.end):
        return UNSPECIFIED, ""  # "AWS still holds a third", "a plan to invest": not the period of an earlier figure
    reported = [p for p in analysis.periods if p.end <= sentence.start and p.label != UNSPECIFIED
                and RESULTS_FOR.search(analysis.body, max(0, p.start - 40), p.start)]
    if reported and number.kind in ("currency", "pct") and metric in ("revenue", "revenue_growth_yoy"):
        return reported[-1].label, ""  # "reported its results for fiscal 2026. Highlights: revenue of €800 million"
    same = [f for f in earlier if f.period != UNSPECIFIED and f.spans[0][0] < sentence.start and not f.compared and (
        f.market == market != "" or (f.metric == metric and f.market == market))]
    if same:  # the lead figure of the last sentence that has one: "$119bn in Q4, taking 2025 past $420bn"
        last_sentence = analysis.sentence_at(same[-1].spans[0][0])
        return next(f.period for f in same if analysis.sentence_at(f.spans[0][0]) == last_sentence), ""
    if number.kind in ("currency", "pct") and market == "":  # results in a row: a provider's in the sentences before
        before = [f for f in earlier if f.period != UNSPECIFIED and not f.compared and f.market == "" and f.entity
                  and (f.entity == entity or analysis.sentence_at(f.spans[0][0]).index == sentence.index - 1)
                  and sentence.index - ROW_SENTENCES <= analysis.sentence_at(f.spans[0][0]).index < sentence.index]
        if before:
            last = analysis.sentence_at(before[-1].spans[0][0])
            return next(f.period for f in before if analysis.sentence_at(f.spans[0][0]) == last), ""
    return UNSPECIFIED, ""


def _list_column(analysis: Analysis, number: NumberMention, sentence: Sentence) -> PeriodMention | None:
    """The period of a list item's n-th figure of a kind: the n-th period of a lead-in that names several, when
    the item names none."""
    lead = list_lead(analysis, sentence)
    if lead is None or any(sentence.start <= p.start < sentence.end for p in analysis.periods):
        return None
    periods = [p for p in analysis.periods if lead.start <= p.start < lead.end and p.label != UNSPECIFIED]
    same_kind = [n.start for n in analysis.numbers_in(sentence.start, sentence.end) if n.kind == number.kind]
    index = same_kind.index(number.start) if number.start in same_kind else 0
    return periods[index] if len(periods) >= 2 and index < len(periods) else None


def _dates_another(period: PeriodMention, sentence: Sentence, identity: tuple[str, str, str],
                   earlier: list[Figure]) -> bool:
    """Whether a period of another clause already dates the provider's figure of this metric in the sentence
    ('capex of $180 billion in 2026, and it would invest €4.2 billion'): a second figure is not of its period."""
    return any((f.entity, f.metric, f.market) == identity and f.period == period.label
               and sentence.start <= f.spans[0][0] < sentence.end for f in earlier)


def _shared(analysis: Analysis, sentence: Sentence, period: PeriodMention) -> bool:
    """Whether a period of another clause applies to the whole sentence: a relative one ('a year before')
    belongs to a number in its own clause, if there is one."""
    clause = analysis.clause_at(sentence, period.start)
    if period.aside or (COMPARED_CLAUSE.match(analysis.body, clause[0]) and period.rule != "span"):
        return False  # ", from 9.6% in the first half of 2024": the period of the comparison ('From 2023 to 2025,' is none)
    # "for the quarter" restates the period in context: it is no comparison's base
    return not period.relative or period.rule == "same_period" or not [  # "twelve" of "trailing twelve months" is its own
        n for n in analysis.numbers_in(*clause) if not period.start <= n.start < period.end]
