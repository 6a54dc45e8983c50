"""Assembling one source-file row per stated figure: every number that is a figure (not a year, date, code,
threshold or list number) gets its metric, entity, market, period, qualifier and citation. Restatements of a
figure become one row; names the reference data lacks are kept, with a note. Not figures: survey answers,
share prices, analysts' earlier expectations, prices, differences and changes of money, restatements in
constant currency."""

from __future__ import annotations

import re
from decimal import Decimal

from extraction.analysis import COMPARED, Analysis, list_lead, table_head_cell
from extraction.document import Document
from extraction.figure import Extraction, Figure
from extraction.figure_entity import entity_of
from extraction.figure_market import market_of
from extraction.figure_metric import metric_of
from extraction.figure_period import period_of
from extraction.names import Reference
from extraction.periods import UNSPECIFIED
from extraction.numbers import CURRENCY_SIGNS, MAGNITUDES, ORDINALS, SHORT_MAGNITUDES, NumberMention, as_written
from extraction.qualifiers import qualifier
from extraction.text import Sentence

THRESHOLD = re.compile(r"^[\s\w-]{0,24}?\b(?:mark|threshold|milestone|barrier|hurdle)\b", re.IGNORECASE)
RESTATED_AS = re.compile(r"(?:\s+of\s+[^,;.]{0,50})?,?\s+(?:at|or)\s+(?:about\s+|roughly\s+|some\s+)?",
                         re.IGNORECASE)  # "under half of the market, at 49.1%": the precise figure restates it
NOT_FIGURES = re.compile(  # sentences whose numbers are no figures of a provider or market
    r"\b(?:survey(?:ed)?|poll(?:ed)?|respondents|questionnaire"  # answers of people asked
    r"|(?:shares|stock)\s+(?:\w+\s+){0,3}?(?:rose|fell|gained|dropped|jumped|slipped|climbed|closed|traded)"
    r"|(?:after-hours|pre-market|premarket|afternoon|morning|early|extended)\s+trading"  # share prices
    r"|(?:share|stock)\s+price|market\s+(?:value|valuation|capitali[sz]ation)"
    r"|(?:cut|cuts|cutting|slashed|lowered|reduced)\s+(?:\w+\s+){0,2}?prices?|price\s+(?:cuts?|reductions?)"
    r"|\bsav(?:e|es|ing)\s+(?:up\s+to\s+)?(?:about\s+)?\d|savings\s+of"
    r"|had\s+(?:\w+\s+){0,3}?(?:expected|forecast|predicted|anticipated)|consensus)\b",  # analysts' guesses
    re.IGNORECASE)
RESTATED_ADJUSTED = re.compile(r"\s+(?:in|at)\s+constant\s+currenc(?:y|ies)\b|\s+excluding\s+(?:currency|foreign"
                               r"\s+exchange)\b", re.IGNORECASE)  # "or 36% in constant currency"
MONEY_CHANGE = re.compile(r"\b(?:up|down|rose|fell|grew|increased|decreased|jumped|climbed)\s+(?:by\s+)?$",
                          re.IGNORECASE)  # "up $22bn from a year earlier": a change, not a level
CROSSED = re.compile(r"\b(?:crossed|passed|surpassed|topped|broke|exceeded|hit)\s+(?:the\s+)?$", re.IGNORECASE)
FIRST_TIME = re.compile(r"[^.;,]{0,30}\bfor\s+the\s+first\s+time\b", re.IGNORECASE)
DIFFERENCE = re.compile(r"\s+(?:more|less|fewer|higher|lower)\s+than\b", re.IGNORECASE)  # "$6.5 billion more than"
PRICE_DIFFERENCE = re.compile(r"(?:\s+to\s+\d[\d.]*\s*%)?\s+(?:less|more|cheaper|lower|higher)\b", re.IGNORECASE)
PRICED = re.compile(r"\b(?:costs?|priced|charges?|pay|pays)\b(?:\s+[\w%.-]+){0,4}\s*$", re.IGNORECASE)  # "cost customers 30% less"
BREAKDOWN = re.compile(r"\bby\s+(?:region|country|countries|geography|segment|industry|sector|vertical)\b",
                       re.IGNORECASE)  # a list lead-in of a breakdown whose items are no providers
LIST_NUMBER = re.compile(r"^\s*\d{1,2}[.)]\s", re.MULTILINE)
RANK_COLUMN = re.compile(r"\b(?:rank|ranking|position|place|no\.?)\b|#", re.IGNORECASE)
COLUMN_MONEY = re.compile(r"(US\$|HK\$|\$|€|£|¥|\b(?:USD|RMB|CNY|EUR|GBP|JPY|yuan)\b)\s*"
                          r"(bn|billion|mn|m|million|tn|trillion|k|thousand)?\b", re.IGNORECASE)
COLUMN_PCT = re.compile(r"%|\bper\s?cent\b|\bpercent\b", re.IGNORECASE)
PRICE_PER = re.compile(r"\s*(?:a|an|per|/)\s*(?:month|mo|hour|hr|day|GB|TB|user|seat|instance)\b", re.IGNORECASE)
ELLIPTICAL_RANK = re.compile(r"\s+(" + "|".join(ORDINALS) + r")\b(?=\s*[.,;]|\s+and\b|\s*$)", re.IGNORECASE)
RANKED_LIST = re.compile(r"\b(?:rank|ranks|ranking|ranked|largest|biggest|top|league|leaders|leading|order)\b",
                         re.IGNORECASE)
RANKED_BY_GROWTH = re.compile(r"\b(?:rank(?:ed|s|ing)?|order(?:ed)?|sorted)\s+(?:by|on|according\s+to)\s+(?:[\w-]+\s+){0,3}?"
                              r"(?:growth|pace|speed)\b|\bfastest[\s-]growing\b", re.IGNORECASE)  # no market position
_ITEM = r"(?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*"
ENUMERATION = re.compile(r"\s*(?P<items>" + _ITEM + r"(?:,\s+" + _ITEM + r")+,?\s+and\s+" + _ITEM + r")")


def extract_figures(document: Document, reference: Reference) -> Extraction:
    """The figures of `document`, checked against `reference`."""
    analysis = Analysis(document, reference)
    figures: list[Figure] = []
    for number in _candidate_numbers(analysis):
        figure = _figure(analysis, number, figures)
        if figure is not None:
            figures.append(figure)
    figures = _merge_restatements(figures)
    used = {f.citation for f in figures if f.citation}
    citations = {c.key: c.description for c in analysis.citations if c.key in used}
    return Extraction(figures, citations)


def _candidate_numbers(analysis: Analysis) -> list[NumberMention]:
    """Numbers that may be figures: not part of a period, a date, a citation or a name; list numbering only
    as ranks of a ranked list."""
    body, found = analysis.body, []
    list_marks = {m.start() + len(m.group()) - len(m.group().lstrip()): m for m in LIST_NUMBER.finditer(body)}
    noise = [s for s in analysis.sentences if NOT_FIGURES.search(body, s.start, s.end)
             or ((lead := list_lead(analysis, s)) and BREAKDOWN.search(body, lead.start, lead.end))]
    for number in sorted(analysis.numbers + _enumerations(analysis) + _elliptical_ranks(analysis),
                         key=lambda n: n.start):
        if number.kind in ("year", "code", "other_unit", "pp") or any(s.start <= number.start < s.end for s in noise):
            continue
        if any(p.start <= number.start < p.end for p in analysis.periods) and number.kind != "rank":
            continue
        if any(c.start <= number.start < c.end for c in analysis.citations):
            continue
        if number.start in list_marks:
            if _in_ranked_list(analysis, number.start):
                found.append(NumberMention(number.start, number.end, number.value, "rank"))
            continue
        if number.kind == "currency" and MONEY_CHANGE.search(body, max(0, number.start - 20), number.start):
            continue
        if CROSSED.search(body, max(0, number.start - 30), number.start) and FIRST_TIME.match(body, number.end):
            continue  # "crossed RMB 100 billion for the first time": a threshold, the figure follows
        if THRESHOLD.match(body[number.end:number.end + 30]) or RESTATED_ADJUSTED.match(body, number.end) \
                or (number.kind != "pct" and DIFFERENCE.match(body, number.end)) \
                or (PRICE_DIFFERENCE.match(body, number.end) and PRICED.search(body, max(0, number.start - 40), number.start)) \
                or _restated_precisely(analysis, number):
            continue
        if not PRICE_PER.match(body, number.end):
            found.append(_as_its_column_says(analysis, number))
    return found


def _as_its_column_says(analysis: Analysis, number: NumberMention) -> NumberMention:
    """A bare number in a table column whose head cell states its unit: a rank under 'Rank' (or 'Position',
    '#'), money under 'Revenue (US$ bn)', a percentage under 'Share (%)'."""
    sentence = analysis.sentence_at(number.start)
    head = table_head_cell(analysis, sentence, number.start) if sentence is not None else None
    if number.kind != "count" or not head:
        return number
    if RANK_COLUMN.search(analysis.body, *head) and number.value == int(number.value):
        return NumberMention(number.start, number.end, number.value, "rank")
    if money := COLUMN_MONEY.search(analysis.body, *head):
        magnitude = SHORT_MAGNITUDES.get((money.group(2) or "").lower(), (money.group(2) or "").lower()) or None
        value = number.value * Decimal(10) ** MAGNITUDES.get(magnitude or "", 0)
        return NumberMention(number.start, number.end, value, "currency", CURRENCY_SIGNS[money.group(1).lower()],
                             magnitude)
    if COLUMN_PCT.search(analysis.body, *head):
        return NumberMention(number.start, number.end, number.value, "pct")
    return number


def _restated_precisely(analysis: Analysis, number: NumberMention) -> bool:
    """Whether a rounded number ('nearly a third') is followed by the same figure stated precisely (', or 32.5%')."""
    after = next((n for n in analysis.numbers if n.start >= number.end), None)
    return number.approx and after is not None and after.kind == number.kind and bool(
        RESTATED_AS.fullmatch(analysis.body, number.end, after.start))


def _enumerations(analysis: Analysis) -> list[NumberMention]:
    """Counts stated by naming the things counted: a count metric's phrase followed by a list of three or
    more names ('new data centers in A, B, C and D' is 4)."""
    counts = {m for m, (unit, _) in analysis.reference.metrics.items() if unit == "count"}
    found = []
    for phrase in analysis.metrics:
        if phrase.name in counts and (match := ENUMERATION.match(analysis.body, phrase.end)):
            items = re.split(r",\s+(?:and\s+)?|\s+and\s+", match.group("items"))
            if len(items) >= 3:
                found.append(NumberMention(match.start("items"), match.end("items"), Decimal(len(items)), "count"))
    return found


def _elliptical_ranks(analysis: Analysis) -> list[NumberMention]:
    """Ordinals right after a provider in a sentence that ranks another ('Tianyi Cloud came in third, Mobile
    Cloud fourth'): the ranks of a ranking stated once."""
    found = []
    ranked = {analysis.sentence_at(n.start) for n in analysis.numbers if n.kind == "rank"}
    for entity in analysis.entities:
        if analysis.sentence_at(entity.start) in ranked and (match := ELLIPTICAL_RANK.match(analysis.body, entity.end)):
            found.append(NumberMention(match.start(1), match.end(1), Decimal(ORDINALS[match.group(1).lower()]), "rank"))
    return found


def _in_ranked_list(analysis: Analysis, offset: int) -> bool:
    """Whether the list number at `offset` is a rank: its list's lead-in speaks of ranking, or its item names
    a provider with a percentage (a numbered league table)."""
    sentence = analysis.sentence_at(offset)
    lead = list_lead(analysis, sentence) if sentence is not None else None
    if lead is None:
        return False
    if RANKED_BY_GROWTH.search(analysis.body, lead.start, lead.end):
        return False
    if RANKED_LIST.search(analysis.body, lead.start, lead.end):
        return True
    return any(sentence.start <= e.start < sentence.end for e in analysis.entities) and any(
        n.kind == "pct" for n in analysis.numbers_in(sentence.start, sentence.end))


def _figure(analysis: Analysis, number: NumberMention, earlier: list[Figure]) -> Figure | None:
    sentence = analysis.sentence_at(number.start)
    if sentence is None:
        return None
    clause = analysis.clause_at(sentence, number.start)
    metric, unknown = metric_of(analysis, number, sentence, clause, earlier)
    if metric is None:
        return None
    unit_kind, fact_table = analysis.reference.metrics.get(metric, ("currency", "provider_financials"))
    entity = "" if fact_table == "market_size" else entity_of(analysis, number, sentence, clause, unknown)
    if not entity and fact_table != "market_size":
        return None  # a provider's figure with no provider in sight: nothing to review it against
    market = market_of(analysis, number, sentence, unknown) if fact_table in ("market_share", "market_size") else ""
    period, period_note = period_of(analysis, number, sentence, clause, metric, market, entity, earlier)
    value, magnitude = as_written(number.value, number.magnitude)
    unit = number.currency if unit_kind == "currency" else unit_kind
    kind = "exact" if number.kind == "rank" else qualifier(analysis.body, number.start, number.end,
                                                           at_least=number.at_least, approx=number.approx)
    notes = [f"{k} '{v}' is not in the reference data" for k, v in unknown.items()] + ([period_note] if period_note else [])
    compared = bool(COMPARED.search(analysis.body, clause[0], number.start))
    return Figure(entity, metric, market, period, value, magnitude, unit or "", kind,
                  _citation(analysis, number, sentence), "; ".join(notes), [(number.start, number.end)], unknown,
                  compared)


def _citation(analysis: Analysis, number: NumberMention, sentence: Sentence) -> str:
    in_sentence = [c for c in analysis.citations if sentence.start <= c.start < sentence.end]
    marks = [c for c in in_sentence if c.key.startswith("[") and c.start >= number.end]
    if marks:
        return marks[0].key
    named = [c for c in in_sentence if not c.key.startswith("[")]
    if named:
        return named[0].key
    lead = list_lead(analysis, sentence)
    return next((c.key for c in analysis.citations if lead.start <= c.start < lead.end), "") if lead else ""


def _merge_restatements(figures: list[Figure]) -> list[Figure]:
    """One row per figure: a figure stated again (the same identity, or the same value without a period where
    a dated one has it, from the same or no citation) adds its place to the first row; a second value for one
    entity, metric, market and period becomes a note on the first."""
    kept: list[Figure] = []
    identities = {id(f): _identity(f) for f in figures}
    for figure in figures:
        mine = identities[id(figure)]
        same = next((k for k in kept if identities[id(k)] == mine), None)
        if same is None and figure.period == UNSPECIFIED:
            same = next((k for k in kept if identities[id(k)][:3] + identities[id(k)][4:] == mine[:3] + mine[4:]
                         and figure.citation in ("", k.citation)), None)
        if same is None:
            same = next((k for k in kept if (k.entity, k.metric, k.market, k.period) ==
                         (figure.entity, figure.metric, figure.market, figure.period)), None)
            if same is not None:
                extra = f"also stated as {figure.value} {figure.magnitude}".rstrip() + f" ({figure.qualifier})"
                same.note = "; ".join(filter(None, [same.note, extra]))
        if same is None:
            kept.append(figure)
        else:
            same.spans.extend(figure.spans)
    return kept


def _identity(figure: Figure) -> tuple:
    return figure.entity, figure.metric, figure.market, figure.period, figure.units_value, figure.unit
