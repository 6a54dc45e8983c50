"""Assembling one source-file row per stated figure: each number that is a figure gets its metric (by unit and
the nearest metric phrase), entity, market, period, qualifier and citation from its sentence and context.
Restatements of a figure become one row; names the reference data lacks are kept, with a note."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from extraction.citations import Citation, find_citations
from extraction.document import Document
from extraction.names import ENTITY, MARKET, METRIC, NameMention, Reference
from extraction.numbers import UNITS, NumberMention, as_written, find_numbers
from extraction.periods import UNSPECIFIED, PeriodMention, find_periods, resolve_periods
from extraction.qualifiers import qualifier
from extraction.text import Sentence, clauses, split_sentences

UNIT_OF_KIND = {"pct": "pct", "currency": "currency", "x": "x", "seconds": "seconds", "years": "years",
                "per_second": "per_second", "count": "count", "rank": "rank"}
NEAR_ONLY = {"count", "seconds", "years", "per_second"}  # their metric phrase must stand right by the number
NEAR_CHARS = 45
THRESHOLD = re.compile(r"^[\s\w-]{0,24}?\b(?:mark|threshold|milestone|barrier|hurdle)\b", re.IGNORECASE)
LIST_NUMBER = re.compile(r"^\s*\d{1,2}[.)]\s", re.MULTILINE)
RANKED_LIST = re.compile(r"\b(?:rank|ranking|ranked|largest|biggest|top|league|leaders|leading|order)\b",
                         re.IGNORECASE)
COLLECTIVE = re.compile(r"\b(?:collectively|combined|together|the\s+trio|these\s+three|those\s+three|the\s+three|"
                        r"all\s+three|jointly|between\s+them)\b", re.IGNORECASE)
_ITEM = r"(?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*"
ENUMERATION = re.compile(r"\s*(?P<items>" + _ITEM + r"(?:,\s+" + _ITEM + r")+,?\s+and\s+" + _ITEM + r")")
REGION_BEFORE = re.compile(r"(?<=\s)([A-Z][a-z]+|[A-Z]{2,3})\s+$")  # a capitalised word right before a market
COMPARED = re.compile(r"\b(?:compared\s+(?:with|to)|versus|vs\.?|against|up\s+from|down\s+from|from)\b"
                      r"(?:\s+(?:a|an|the|about|around|roughly|nearly|over|under|just))*\s*\S*$", re.IGNORECASE)
MONEY_FILLERS = {"in", "of", "the", "a", "an", "for", "on", "its", "their", "to", "and", "at", "was", "were", "is",
                 "are", "be", "been", "had", "has", "have", "hit", "reached", "came", "stood", "totalled", "totaled",
                 "unit", "company", "group", "business", "about", "roughly", "some", "nearly", "over", "under", "just",
                 "with", "by", "from", "it", "this", "that", "which", "while", "more", "than", "less", "almost"}
BASE_BEFORE = re.compile(r"\b(?:from|than|compared\s+(?:with|to)|versus|vs\.?|on|over)\s+(?:the\s+|a\s+)?\S*\s*$",
                         re.IGNORECASE)  # "up 34% from the same quarter last year": the base, not the period
REGION_PHRASE = re.compile(r"\b(?:across|throughout|in)\s+(?:the\s+)?([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)")
RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
SUBJECT_AFTER = re.compile(r"'s\b|’s\b|\s*[:–—]|\s+-\s|,\s+(?:a|an|the|which|who|that)\s|\s+(?:held|holds|had|has|took|takes|captured|commands|"
                           r"commanded|controls|controlled|claimed|accounted|reported|posted|booked|generated|grew|"
                           r"rose|ranked|ranks|came|comes|was|is|with|at)\b")
PROPER_NOUN = re.compile(r"\b[A-Z][A-Za-z&]+(?:\s+[A-Z][A-Za-z&]+)*")
NOT_NAMES = {"in", "the", "a", "an", "according", "despite", "however", "meanwhile", "its", "their", "this", "that",
             "these", "those", "while", "with", "for", "by", "as", "at", "on", "after", "before", "during", "since",
             "and", "but", "data", "figures", "overall", "together", "collectively", "combined", "globally",
             "worldwide", "by", "it", "they", "its", "of", "over", "under", "about", "around", "nearly", "some",
             "also", "still", "yet", "now", "today", "then", "there", "here", "both", "each", "all", "most",
             "more", "less", "between", "from", "to", "among", "across", "within", "customers", "spending",
             "revenue", "investors", "analysts", "researchers", "total", "combined", "notably", "meanwhile",
             "similarly", "likewise", "separately", "finally", "firstly", "secondly", "thirdly", "first", "second",
             "third", "last", "next", "new", "year", "quarter", "half", "q1", "q2", "q3", "q4", "h1", "h2"}


@dataclass
class Figure:
    """One row of the draft, and the places in the text it was read from."""

    entity: str
    metric: str
    market: str
    period: str
    value: str
    magnitude: str
    unit: str
    qualifier: str
    citation: str
    note: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)
    unknown: dict[str, str] = field(default_factory=dict)  # kind -> name not in the reference data
    compared: bool = False  # stated as the base of a comparison ('from 9.6% in H1 2024'): not a context

    @property
    def units_value(self) -> Decimal:
        """The value with its magnitude applied."""
        powers = {"": 0, "thousand": 3, "million": 6, "billion": 9, "trillion": 12}
        return Decimal(self.value) * Decimal(10) ** powers[self.magnitude]

    def needs_review(self) -> bool:
        """Whether a person must look at this row before it is loaded: a name the reference data lacks, no
        period, or a note."""
        return bool(self.unknown) or self.period == UNSPECIFIED or bool(self.note)


@dataclass
class Extraction:
    """What a document gave: its figures, in text order, and the citations they use (key -> description)."""

    figures: list[Figure]
    citations: dict[str, str]


class _Context:
    """Everything found in a document, with lookups by place."""

    def __init__(self, document: Document, reference: Reference):
        self.body, self.reference = document.body, reference
        self.sentences = split_sentences(self.body)
        self.citations = find_citations(self.body)
        names = [n for n in reference.find(self.body) if not self._in_citation(n.start, n.end)]
        self.entities = [n for n in names if n.kind == ENTITY]
        self.markets = [n for n in names if n.kind == MARKET]
        self.metrics = [n for n in names if n.kind == METRIC]
        self.periods = find_periods(self.body)
        resolve_periods(self.periods, document.year)
        self.periods = [p for p in self.periods if p.rule != "founding"]
        self.numbers = find_numbers(self.body)
        self.main_entity = Counter(n.name for n in self.entities).most_common(1)
        self.main_market = Counter(n.name for n in self.markets).most_common(1)

    def _in_citation(self, start: int, end: int) -> bool:
        return any(c.start <= start and end <= c.end and not c.key.startswith("[") for c in self.citations)

    def numbers_in(self, start: int, end: int) -> list[NumberMention]:
        """The numbers (not years nor parts of names) starting in body[start:end]."""
        return [n for n in self.numbers if start <= n.start < end and n.kind not in ("year", "code")]

    def sentence_at(self, offset: int) -> Sentence | None:
        return next((s for s in self.sentences if s.start <= offset < s.end), None)

    def clause_at(self, sentence: Sentence, offset: int) -> tuple[int, int]:
        return next((c for c in clauses(self.body, sentence) if c[0] <= offset <= c[1]), (sentence.start, sentence.end))


def extract_figures(document: Document, reference: Reference) -> Extraction:
    """The figures of `document`, checked against `reference`."""
    context = _Context(document, reference)
    figures: list[Figure] = []
    for number in _candidate_numbers(context):
        figure = _figure(context, number, figures)
        if figure is not None:
            figures.append(figure)
    figures = _merge_restatements(figures)
    used = {f.citation for f in figures if f.citation}
    citations = {c.key: c.description for c in context.citations if c.key in used}
    return Extraction(figures, citations)


def _candidate_numbers(context: _Context) -> list[NumberMention]:
    """Numbers that may be figures: not part of a period, a date, a citation or a name; list numbering only
    as ranks of a ranked list."""
    body, found = context.body, []
    list_marks = {m.start() + len(m.group()) - len(m.group().lstrip()): m for m in LIST_NUMBER.finditer(body)}
    for number in sorted(context.numbers + _enumerations(context), key=lambda n: n.start):
        if number.kind in ("year", "code", "other_unit", "pp"):
            continue
        if any(p.start <= number.start < p.end for p in context.periods) and number.kind != "rank":
            continue
        if any(c.start <= number.start < c.end for c in context.citations):
            continue
        if number.start in list_marks:
            if _in_ranked_list(context, number.start):
                found.append(NumberMention(number.start, number.end, number.value, "rank"))
            continue
        if THRESHOLD.match(body[number.end:number.end + 30]):
            continue
        found.append(number)
    return found


def _enumerations(context: _Context) -> list[NumberMention]:
    """Counts stated by naming the things counted: a count metric's phrase followed by a list of three or
    more names ('new data centers in A, B, C and D' is 4)."""
    counts = {m for m, (unit, _) in context.reference.metrics.items() if unit == "count"}
    found = []
    for phrase in context.metrics:
        if phrase.name in counts and (match := ENUMERATION.match(context.body, phrase.end)):
            items = re.split(r",\s+(?:and\s+)?|\s+and\s+", match.group("items"))
            if len(items) >= 3:
                found.append(NumberMention(match.start("items"), match.end("items"), Decimal(len(items)), "count"))
    return found


def _list_lead(context: _Context, sentence: Sentence) -> Sentence | None:
    """The lead-in line ('...:') of the list a sentence is an item of, or None."""
    lead = next((s for s in context.sentences if s.paragraph == sentence.paragraph), sentence)
    return lead if lead is not sentence and context.body[lead.start:lead.end].rstrip().endswith(":") else None


def _in_ranked_list(context: _Context, offset: int) -> bool:
    sentence = context.sentence_at(offset)
    lead = _list_lead(context, sentence) if sentence is not None else None
    return lead is not None and bool(RANKED_LIST.search(context.body, lead.start, lead.end))


def _figure(context: _Context, number: NumberMention, earlier: list[Figure]) -> Figure | None:
    sentence = context.sentence_at(number.start)
    if sentence is None:
        return None
    clause = context.clause_at(sentence, number.start)
    metric, unknown = _metric(context, number, sentence, clause, earlier)
    if metric is None:
        return None
    unit_kind, fact_table = context.reference.metrics.get(metric, ("currency", "provider_financials"))
    entity = "" if fact_table == "market_size" else _entity(context, number, sentence, clause, unknown)
    market = _market(context, number, sentence, unknown) if fact_table in ("market_share", "market_size") else ""
    period, period_note = _period(context, number, sentence, clause, metric, market, earlier)
    value, magnitude = as_written(number.value, number.magnitude)
    unit = number.currency if unit_kind == "currency" else unit_kind
    kind = "exact" if number.kind == "rank" else qualifier(context.body, number.start, number.end,
                                                           at_least=number.at_least, approx=number.approx)
    notes = [f"{k} '{v}' is not in the reference data" for k, v in unknown.items()] + ([period_note] if period_note else [])
    compared = bool(COMPARED.search(context.body, clause[0], number.start))
    return Figure(entity, metric, market, period, value, magnitude, unit or "", kind,
                  _citation(context, number, sentence), "; ".join(notes), [(number.start, number.end)], unknown,
                  compared)


def _distance(mention: NameMention, number: NumberMention) -> int:
    if mention.end <= number.start:
        return number.start - mention.end
    if mention.start >= number.end:
        return mention.start - number.end
    return 0


def _metric(context: _Context, number: NumberMention, sentence: Sentence, clause: tuple[int, int],
            earlier: list[Figure]) -> tuple[str | None, dict[str, str]]:
    unit = UNIT_OF_KIND.get(number.kind)
    compatible = {m for m, (u, _) in context.reference.metrics.items() if u == unit}
    if number.kind in ("rank", "x") and len(compatible) == 1:
        return next(iter(compatible)), {}
    near = [m for m in context.metrics if m.name in compatible and sentence.start <= m.start < sentence.end]
    lead = _list_lead(context, sentence)
    if not near and lead is not None:  # a list item: its lead-in line names the metric ("shares in Q3 2025:")
        near = [m for m in context.metrics if m.name in compatible and lead.start <= m.start < lead.end]
        clause = (lead.start, clause[1])
    if number.kind in NEAR_ONLY:
        near = [m for m in near if _owner(context, m, sentence) in (None, number.start) and clause[0] <= m.start
                and m.end <= clause[1] and _distance(m, number) <= NEAR_CHARS]
        after = [m for m in near if m.start >= number.end]
        near = after or near
    else:
        in_clause = [m for m in near if clause[0] <= m.start and m.end <= clause[1]]
        compared = [f for f in earlier if f.spans[-1][0] >= sentence.start and f.metric in compatible]
        if not in_clause and compared and COMPARED.search(context.body, clause[0], number.start):
            return compared[-1].metric, {}  # "39% in Q4, compared with 31% a year earlier": the same metric
        near = in_clause or ([] if number.kind == "pct" else near)
    if near:
        metric = min(near, key=lambda m: (_distance(m, number), m.start < number.start, m.start - m.end)).name
        metric = _whole_market(context, sentence, metric)
        return metric, {}
    if number.kind == "pct" and "market_share" in compatible and any(
            e.start < sentence.end and sentence.start <= e.start for e in context.entities):
        return "market_share", {}  # "Huawei Cloud ranked second with 19.2%": a provider's bare percentage
    if number.kind == "currency":
        guess = _money_metric_name(context, clause, number)
        return guess, {"metric": guess}
    return None, {}


def _whole_market(context: _Context, sentence: Sentence, metric: str) -> str:
    """Money stated for a market with no provider named ('cloud infrastructure services revenue hit $119bn')
    is the market's size, whatever word the text uses for it."""
    unit, fact_table = context.reference.metrics[metric]
    if unit != "currency" or fact_table == "market_size":
        return metric if unit != "pct" or fact_table == "market_share" or not _about_a_market(context, sentence) \
            else None  # "the market grew 16%": no metric for a market's growth
    named = [n for n in (*context.entities, *context.markets) if sentence.start <= n.start < sentence.end]
    market_size = [m for m, (u, table) in context.reference.metrics.items() if u == "currency" and table == "market_size"]
    if named and all(n.kind == MARKET for n in named) and len(market_size) == 1:
        return market_size[0]
    return metric


def _about_a_market(context: _Context, sentence: Sentence) -> bool:
    """Whether a sentence names markets and no provider: its percentages are the market's, not a provider's."""
    named = [n for n in (*context.entities, *context.markets) if sentence.start <= n.start < sentence.end]
    return bool(named) and all(n.kind == MARKET for n in named)


def _owner(context: _Context, phrase: NameMention, sentence: Sentence) -> int | None:
    """The number a metric phrase is the first phrase after ("200 large language models"), in its clause and
    with no other number between: the phrase describes that number and no later one."""
    clause = context.clause_at(sentence, phrase.start)
    before = context.numbers_in(clause[0], phrase.start)
    if before and phrase.start - before[-1].end <= NEAR_CHARS and not any(
            before[-1].end <= m.start and m.end <= phrase.start for m in context.metrics):  # only its first phrase
        return before[-1].start
    return None


def _money_metric_name(context: _Context, clause: tuple[int, int], number: NumberMention) -> str:
    """A metric name for money the reference data has no phrase for: the nouns just after it ('$2 billion in
    operating profit'), else those opening its clause ('Operating income at the unit was $11.4 billion')."""
    names = [(n.start, n.end) for n in context.entities]
    for start, end in ((number.end, min(number.end + 40, clause[1])), (clause[0], number.start)):
        text = "".join(c if not any(s <= i < e for s, e in names) else " " for i, c in
                       enumerate(context.body[start:end], start))
        words = [w.lower() for w in re.findall(r"[A-Za-z][a-z-]+", text)]
        words = [w for w in words if w not in MONEY_FILLERS]
        if words:
            return "_".join(w.replace("-", "_") for w in words[:2])
    return "unnamed_money_figure"


def _entity(context: _Context, number: NumberMention, sentence: Sentence, clause: tuple[int, int],
            unknown: dict[str, str]) -> str:
    in_sentence = [e for e in context.entities if sentence.start <= e.start < sentence.end]
    if by_order := _respectively(context, number, sentence, in_sentence):
        return by_order
    if COLLECTIVE.search(context.body, sentence.start, sentence.end):
        if group := _collective_group(context, sentence, in_sentence):
            return group
    before_in_clause = [e for e in in_sentence if clause[0] <= e.start and e.end <= number.start]
    if before_in_clause:
        return before_in_clause[-1].name
    if name := _unknown_name(context, clause[0], number.start):
        unknown["entity"] = name
        return name
    before = [e for e in in_sentence if e.end <= number.start]
    if before:
        return before[-1].name
    if name := _unknown_name(context, sentence.start, number.start):
        unknown["entity"] = name
        return name
    after_in_clause = [e for e in in_sentence if number.end <= e.start and e.end <= clause[1]]
    if after_in_clause:
        return after_in_clause[0].name
    for previous in reversed(context.sentences[max(0, sentence.index - 6):sentence.index]):
        mentioned = [e for e in context.entities if previous.start <= e.start < previous.end]
        if mentioned:
            return mentioned[0].name
    return context.main_entity[0][0] if context.main_entity else ""


def _respectively(context: _Context, number: NumberMention, sentence: Sentence,
                  in_sentence: list[NameMention]) -> str | None:
    """'A and B hold 20% and 13%, respectively': the entities and numbers of that clause, paired in order."""
    word = RESPECTIVELY.search(context.body, sentence.start, sentence.end)
    if not word or number.start > word.start():
        return None
    cut = max((m.end() for m in re.finditer(r"\bwhile\b|\bwhereas\b|;|, and\b|, but\b",
                                            context.body[sentence.start:word.start()])), default=0)
    start = sentence.start + cut
    if number.start < start:
        return None
    numbers = context.numbers_in(start, word.start())
    names = [e for e in in_sentence if start <= e.start < word.start()]
    unique = list(dict.fromkeys(e.name for e in names if e.end <= numbers[0].start)) if numbers else []
    if len(unique) >= 2 and len(unique) == len(numbers):
        index = next((i for i, n in enumerate(numbers) if n.start == number.start), None)
        return unique[index] if index is not None else None
    return None


def _collective_group(context: _Context, sentence: Sentence, in_sentence: list[NameMention]) -> str | None:
    """The group of the providers a collective figure is about: those named in its sentence, or in the
    sentences before it (as many as the text counts: 'the three companies together')."""
    providers = {e.name for e in in_sentence if e.name in context.reference.providers}
    counted = re.search(r"\b(two|three|four|five)\b", context.body[sentence.start:sentence.end], re.IGNORECASE)
    wanted = UNITS[counted.group(1).lower()] if counted else 2
    for previous in reversed(context.sentences[max(0, sentence.index - 8):sentence.index]):
        if len(providers) >= wanted:
            break
        providers |= {e.name for e in context.entities if previous.start <= e.start < previous.end
                      and e.name in context.reference.providers}
    return context.reference.group_of(providers) if len(providers) >= 2 else None


def _unknown_name(context: _Context, start: int, end: int) -> str | None:
    """The proper name the reference data does not know (a provider to add) that a figure is stated for in
    text[start:end]: a possessive ('Oracle's'), a list item's label ('Oracle: 3%') or a subject right before
    a verb of holding or reporting ('Oracle held 3%')."""
    for match in reversed(list(PROPER_NOUN.finditer(context.body, start, end))):
        words = match.group().split()
        while words and words[0].lower() in NOT_NAMES:
            words.pop(0)
        if not words or not SUBJECT_AFTER.match(context.body, match.end()):
            continue
        known = [n for n in (*context.markets, *context.metrics, *context.entities)
                 if n.start < match.end() and match.start() < n.end]
        in_period = any(p.start < match.end() and match.start() < p.end for p in context.periods)
        if not known and not in_period and not context._in_citation(match.start(), match.end()):
            return " ".join(words)
    return None


def _market(context: _Context, number: NumberMention, sentence: Sentence, unknown: dict[str, str]) -> str:
    clause = context.clause_at(sentence, number.start)
    in_sentence = [m for m in context.markets if sentence.start <= m.start < sentence.end]
    in_clause = [m for m in in_sentence if clause[0] <= m.start < clause[1]]
    region = REGION_PHRASE.search(context.body, clause[0], clause[1])
    if region and not in_clause and _unclaimed(context, region.start(1), region.end()):
        unknown["market"] = region.group(1)  # "spending across the Gulf Cooperation Council"
        return region.group(1)
    if in_clause or in_sentence:
        nearest = min(in_clause or in_sentence, key=lambda m: _distance(m, number))
        if qualified := REGION_BEFORE.search(context.body, sentence.start, nearest.start):
            # "the European cloud infrastructure market": a region the known market does not cover
            name = qualified.group(1) + " " + re.sub(r"\s*\bmarkets?$", "", context.body[nearest.start:nearest.end],
                                                      flags=re.IGNORECASE)
            unknown["market"] = name
            return name
        return nearest.name
    phrase = re.search(r"\b(?:of|in)\s+the\s+((?:[A-Za-z][\w'-]*\s+){1,4}?)market\b",
                       context.body[sentence.start:sentence.end])
    if phrase and not re.fullmatch(r"(?:(?:global|overall|whole|entire|total|cloud|same|wider|broader)\s+)+",
                                   phrase.group(1), re.IGNORECASE):
        name = phrase.group(1).strip()
        unknown["market"] = name[0].upper() + name[1:]
        return unknown["market"]
    before = [m for m in context.markets if m.end <= number.start]
    if before:
        return before[-1].name
    return context.main_market[0][0] if context.main_market else ""


def _unclaimed(context: _Context, start: int, end: int) -> bool:
    """Whether text[start:end] is no provider, period or citation the document already names."""
    return not any(n.start < end and start < n.end for n in (*context.entities, *context.periods, *context.citations))


def _period(context: _Context, number: NumberMention, sentence: Sentence, clause: tuple[int, int], metric: str,
            market: str, earlier: list[Figure]) -> tuple[str, str]:
    in_sentence = [p for p in context.periods if sentence.start <= p.start < sentence.end
                   and not (p.start >= number.end and BASE_BEFORE.search(context.body, number.end, p.start))]
    in_clause = [p for p in in_sentence if clause[0] <= p.start < clause[1]]
    chosen: PeriodMention | None = None
    if in_clause:
        numbers = [n.start for n in context.numbers_in(clause[0], clause[1])
                   if not any(p.start <= n.start < p.end for p in in_clause)]
        right_after = [p for p in in_clause if p.start >= number.end
                       and not any(number.end <= n < p.start for n in numbers)]
        chosen = right_after[0] if right_after else min(
            in_clause, key=lambda p: abs(p.start - number.end) if p.start >= number.end else number.start - p.end)
    elif before := [p for p in in_sentence if p.end <= number.start and _shared(context, sentence, p)]:
        chosen = before[-1]
    elif shared := [p for p in in_sentence if _shared(context, sentence, p)]:
        chosen = shared[0]
    if chosen is not None:
        return chosen.label, chosen.note
    in_paragraph = [p for p in context.periods if p.end <= sentence.start and p.label != UNSPECIFIED
                    and (s := context.sentence_at(p.start)) is not None and s.paragraph == sentence.paragraph]
    if in_paragraph:
        return in_paragraph[-1].label, ""
    same = [f for f in earlier if f.period != UNSPECIFIED and f.spans[0][0] < sentence.start and not f.compared and (
        f.market == market != "" or (f.metric == metric and f.market == market))]
    if same:
        return same[-1].period, ""
    return UNSPECIFIED, ""


def _shared(context: _Context, sentence: Sentence, period: PeriodMention) -> bool:
    """Whether a period of another clause applies to the whole sentence: a relative one ('a year before')
    belongs to a number in its own clause, if there is one."""
    clause = context.clause_at(sentence, period.start)
    if COMPARED.match(context.body, clause[0]) or re.match(r"(?:up\s+|down\s+)?from\b", context.body[clause[0]:clause[1]]):
        return False  # ", from 9.6% in the first half of 2024": the period of the comparison
    return not period.relative or not context.numbers_in(*clause)


def _citation(context: _Context, number: NumberMention, sentence: Sentence) -> str:
    in_sentence = [c for c in context.citations if sentence.start <= c.start < sentence.end]
    marks = [c for c in in_sentence if c.key.startswith("[") and c.start >= number.end]
    if marks:
        return marks[0].key
    named = [c for c in in_sentence if not c.key.startswith("[")]
    if named:
        return named[0].key
    lead = _list_lead(context, sentence)
    return next((c.key for c in context.citations if lead.start <= c.start < lead.end), "") if lead else ""


def _merge_restatements(figures: list[Figure]) -> list[Figure]:
    """One row per figure: a figure stated again (the same identity, or the same value without a period where
    a dated one has it, from the same or no citation) adds its place to the first row; a second value for one
    entity, metric, market and period becomes a note on the first."""
    kept: list[Figure] = []
    for figure in figures:
        same = next((k for k in kept if _identity(k) == _identity(figure)), None)
        if same is None and figure.period == UNSPECIFIED:
            same = next((k for k in kept if _identity(k)[:3] + _identity(k)[4:] == _identity(figure)[:3] +
                         _identity(figure)[4:] and figure.citation in ("", k.citation)), None)
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
