"""One document analysed: its sentences, known names, periods, citations and numbers, with lookups by place."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import cached_property

from extraction.citations import find_citations
from extraction.document import Document
from extraction.names import ENTITY, MARKET, METRIC, NameMention, Reference, market_phrases
from extraction.numbers import NumberMention, find_numbers
from extraction.periods import find_periods, resolve_periods
from extraction.text import LIST_ITEM, Sentence, clauses, split_sentences

BASE = re.compile(r"\b(?:than|from|compared\s+(?:with|to)|versus|vs\.?)\s+"
                  r"(?:[$€£¥]?\d[\d.,]*\s*(?:%|percent|per\s+cent|[bm]n|billion|million)?\s+)?"  # "from 36% in Q3"
                  r"(?:in\s+|during\s+)?(?:the\s+)?$", re.IGNORECASE)  # words before a comparison's base period
BASE_CHARS = 45  # a base period's words and number stand this close before it
COMPARED = re.compile(r"\b(?i:compared\s+(?:with|to)|versus|vs\.?|against|up\s+from|down\s+from|from|after|ahead\s+of"
                      r"|behind|(?<!more\s)(?<!less\s)(?<!fewer\s)(?<!rather\s)(?<!other\s)than)\b"
                      r"(?:\s+(?i:a|an|the|about|around|roughly|nearly|over|under|just))*"
                      r"(?:\s+[A-Z][\w-]*(?:'s|’s)?){0,3}\s*\S*$")  # "ahead of Tianyi Cloud's RMB 53 billion"


class Analysis:
    """Everything found in one document (sentences, names, periods, citations, numbers), with lookups by
    place: what the assigning modules read."""

    def __init__(self, document: Document, reference: Reference):
        self.body, self.reference = document.body, reference
        self.sentences = split_sentences(self.body)
        self.citations = find_citations(self.body)
        names = [n for n in reference.find(self.body)  # a provider's own report names the provider
                 if n.kind == ENTITY or not self.in_citation(n.start, n.end)]
        self.entities = [n for n in names if n.kind == ENTITY]
        self.markets = [n for n in names if n.kind == MARKET]
        phrases = market_phrases(self.body, self.entities + self.markets)
        self.markets = sorted([m for m in self.markets if not any(p.start < m.end and m.start < p.end for p in phrases)]
                              + phrases, key=lambda n: n.start)
        self.metrics = [n for n in names if n.kind == METRIC]
        self.periods = find_periods(self.body)
        for line in re.finditer(r"^\|.*$", self.body, re.MULTILINE):  # a table row: its first period is its own
            for later in [p for p in self.periods if line.start() <= p.start < line.end()][1:]:
                later.aside = True
        for period in self.periods:  # "9 percent more than in the first half of 2025": the base, not the context
            period.aside = period.aside or bool(BASE.search(self.body, max(0, period.start - BASE_CHARS), period.start))
        resolve_periods(self.periods, document.year, *([int(document.published[5:7])] if document.year else []))
        self.periods = [p for p in self.periods if p.rule != "founding"]
        self.numbers = find_numbers(self.body)
        self.main_entity = Counter(n.name for n in self.entities).most_common(1)
        self.main_market = Counter(n.name for n in self.markets).most_common(1)

    def in_citation(self, start: int, end: int) -> bool:
        return any(c.start <= start and end <= c.end and not c.key.startswith("[") for c in self.citations)

    def numbers_in(self, start: int, end: int) -> list[NumberMention]:
        """The numbers (not years nor parts of names) starting in body[start:end]."""
        return [n for n in self.numbers if start <= n.start < end and n.kind not in ("year", "code")]

    def sentence_at(self, offset: int) -> Sentence | None:
        index = bisect_right(self._sentence_starts, offset) - 1
        return self.sentences[index] if index >= 0 and offset < self.sentences[index].end else None

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def names_overlap(self, start: int, end: int) -> bool:
        """Whether body[start:end] overlaps a known name (entity, market, metric) or a period."""
        starts, spans, longest = self._name_spans
        return any(e > start for _, e in spans[bisect_left(starts, start - longest):bisect_left(starts, end)])

    @cached_property
    def _name_spans(self) -> tuple[list[int], list[tuple[int, int]], int]:
        spans = sorted((n.start, n.end) for n in (*self.markets, *self.metrics, *self.entities, *self.periods))
        return [s for s, _ in spans], spans, max((e - s for s, e in spans), default=0)

    def clause_at(self, sentence: Sentence, offset: int) -> tuple[int, int]:
        return next((c for c in clauses(self.body, sentence) if c[0] <= offset <= c[1]), (sentence.start, sentence.end))


def list_lead(analysis: Analysis, sentence: Sentence) -> Sentence | None:
    """The lead-in line ('...:') or head row of the list or table a sentence is an item of, or None."""
    first = sentence.index
    while first > 0 and analysis.sentences[first - 1].paragraph == sentence.paragraph:
        first -= 1
    before = analysis.sentences[first:sentence.index]
    lead = next((s for s in before if analysis.body[s.start:s.end].lstrip().startswith("|")), None) or next(
        (s for s in reversed(before) if not LIST_ITEM.match(analysis.body[s.start:s.end])), None)
    text = analysis.body[lead.start:lead.end].strip() if lead else ""
    return lead if lead is not None and (text.endswith(":") or text.startswith("|")) else None


def in_table_head(analysis: Analysis, offset: int) -> bool:
    """Whether `offset` lies in a table's head row ('| Indicator | Value |'): column labels, never a name."""
    sentence = analysis.sentence_at(offset)
    body = analysis.body
    if sentence is None or not body[sentence.start:sentence.end].lstrip().startswith("|"):
        return False
    return next(s for s in analysis.sentences if s.paragraph == sentence.paragraph
                and body[s.start:s.end].lstrip().startswith("|")) is sentence


def table_head_cell(analysis: Analysis, sentence: Sentence, offset: int) -> tuple[int, int] | None:
    """The span of the head-row cell above the table cell at `offset` ('| Share, Q2 2025 |'), or None outside
    a table's body rows."""
    body = analysis.body
    if not body[sentence.start:sentence.end].lstrip().startswith("|"):
        return None
    lead = next(s for s in analysis.sentences if s.paragraph == sentence.paragraph
                and body[s.start:s.end].lstrip().startswith("|"))
    if lead is sentence:
        return None
    column = body.count("|", sentence.start, offset)
    bars = [i for i in range(lead.start, lead.end) if body[i] == "|"]
    if not 0 < column <= len(bars):
        return None
    return bars[column - 1] + 1, bars[column] if column < len(bars) else lead.end


def distance(mention: NameMention, number: NumberMention) -> int:
    if mention.end <= number.start:
        return number.start - mention.end
    if mention.start >= number.end:
        return mention.start - number.end
    return 0
