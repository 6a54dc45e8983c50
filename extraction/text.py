"""Splitting a body text into paragraphs, sentences and clauses, each a span of the text (offsets kept, so
every figure can be pointed at where it stands)."""

from __future__ import annotations

import re
from dataclasses import dataclass

LIST_ITEM = re.compile(r"^\s*(?:[-*•–]\s+|\d{1,2}[.)]\s+|\|)")
_SENTENCE_END = re.compile(r"[.!?](?:\[\d+\])*[\"'”’)]*(?:\[\d+\])*\s+(?=[\"'“‘(\[]?[A-Z0-9$€£¥])")
ABBREVIATIONS = {"u.s", "u.k", "no", "inc", "corp", "co", "ltd", "e.g", "i.e", "vs", "approx", "mr", "mrs", "ms",
                 "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                 "est", "fig", "u.s.a", "bn", "mn"}
_CLAUSE_BREAK = re.compile(r";\s+|,\s+|\s+[-–—]\s+|—|\s+while\s+|\s+whereas\s+|\s+but\s+")
HEADLINE_FIGURE = re.compile(r"\W*(?:\d{1,2}[.)]\s+)?[*_]*(?:(?:[$€£¥]|[A-Z]{2,3}\s?)?\d[\d.,]*\s*(?:%|per\s?cent|"
                             r"percent|[a-z]{0,8}illion|bn|tn|m)?|first|second|third|fourth|fifth|sixth|seventh|eighth|"
                             r"ninth|tenth)[*_]*", re.IGNORECASE)  # a figure (or a rank) standing alone
SHORT_LINE = 80  # a line this short without a full stop is a heading or list line, not a wrapped sentence


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a heading, or a list item) of the body: its span and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int
    index: int   # position among all sentences


def split_sentences(body: str) -> list[Sentence]:
    """Every sentence of `body`, in order. A paragraph is a line (or a run of wrapped lines); a line ending in
    ':' (a list's lead-in) or a table's first row shares its paragraph with the items or rows after it."""
    sentences: list[Sentence] = []
    paragraph, in_list = -1, False
    for block in re.finditer(r"[^\n]+(?:\n[^\n]+)*", body):
        for line_start, line_end in _lines(body, block.start(), block.end()):
            item = bool(LIST_ITEM.match(body[line_start:line_end]))
            if not (item and in_list):
                paragraph += 1
            line = body[line_start:line_end].strip()
            in_list = line.endswith(":") or line.startswith("|") or (item and in_list)  # a lead-in or table head
            for start, end in _sentences_in(body, line_start, line_end):
                sentences.append(Sentence(start, end, paragraph, len(sentences)))
    return sentences


def _lines(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """The runs of lines of a block that form sentences: a line continues the one before it (a wrapped
    sentence) unless it is a list item or the line before it is short or ends a sentence."""
    spans: list[list[int]] = []
    offset = start
    for line in body[start:end].split("\n"):
        line_end = offset + len(line)
        previous = body[spans[-1][0]:spans[-1][1]] if spans else ""
        if spans and not LIST_ITEM.match(line) and len(previous) > SHORT_LINE and not previous.rstrip().endswith(
                (".", ":", "!", "?")):
            spans[-1][1] = line_end
        else:
            spans.append([offset, line_end])
        offset = line_end + 1
    return [(s, e) for s, e in spans if body[s:e].strip()]


def _sentences_in(body: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, begin = [], start
    for match in _SENTENCE_END.finditer(body, start, end):
        word = re.search(r"([\w.]+)$", body[begin:match.start()])
        if word and (word.group(1).lower().rstrip(".") in ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        if HEADLINE_FIGURE.fullmatch(body, begin, match.start()):
            continue  # "$107 billion. That is what companies spent...": the figure and what it is, one sentence
        spans.append((begin, match.end()))
        begin = match.end()
    spans.append((begin, end))
    return [(s, _rstrip(body, s, e)) for s, e in spans if body[s:e].strip()]


def _rstrip(body: str, start: int, end: int) -> int:
    while end > start and body[end - 1].isspace():
        end -= 1
    return end


def clauses(body: str, sentence: Sentence) -> list[tuple[int, int]]:
    """The clauses of a sentence: split at semicolons, commas, dashes, 'while', 'whereas' and 'but'."""
    spans, begin = [], sentence.start
    for match in _CLAUSE_BREAK.finditer(body, sentence.start, sentence.end):
        spans.append((begin, match.start()))
        begin = match.end()
    spans.append((begin, sentence.end))
    return [(s, e) for s, e in spans if e > s]
