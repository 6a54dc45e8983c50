"""The market of a share or market-size figure: named in its clause or sentence (a region before a known
market, or a region on its own, names a market to add), else the one named last before it."""

from __future__ import annotations

import re

from extraction.analysis import Analysis, distance
from extraction.numbers import NumberMention
from extraction.text import Sentence

REGION_BEFORE = re.compile(r"(?<=\s)([A-Z][a-z]+|[A-Z]{2,3})\s+$")  # a capitalised word right before a market
REGION_PHRASE = re.compile(r"\b(?i:across|throughout|in)\s+(?i:the\s+)?([A-Z][a-z]+(?:[\s-][A-Z][a-z]+)*)")


def market_of(analysis: Analysis, number: NumberMention, sentence: Sentence, unknown: dict[str, str]) -> str:
    clause = analysis.clause_at(sentence, number.start)
    in_sentence = [m for m in analysis.markets if sentence.start <= m.start < sentence.end]
    in_clause = [m for m in in_sentence if clause[0] <= m.start < clause[1]]
    region = REGION_PHRASE.search(analysis.body, clause[0], clause[1])
    if region and not in_clause and _unclaimed(analysis, region.start(1), region.end()):
        unknown["market"] = region.group(1)  # "spending across the Gulf Cooperation Council"
        return region.group(1)
    if in_clause or in_sentence:
        nearest = min(in_clause or in_sentence, key=lambda m: distance(m, number))
        if qualified := REGION_BEFORE.search(analysis.body, sentence.start, nearest.start):
            # "the European cloud infrastructure market": a region the known market does not cover
            name = qualified.group(1) + " " + re.sub(r"\s*\bmarkets?$", "", analysis.body[nearest.start:nearest.end],
                                                      flags=re.IGNORECASE)
            unknown["market"] = name
            return name
        return nearest.name
    phrase = re.search(r"\b(?i:of|in)\s+the\s+((?:[A-Za-z][\w'-]*\s+){1,4}?)market\b",
                       analysis.body[sentence.start:sentence.end])
    if phrase and not re.fullmatch(r"(?:(?:global|overall|whole|entire|total|cloud|same|wider|broader)\s+)+",
                                   phrase.group(1), re.IGNORECASE):
        name = phrase.group(1).strip()
        unknown["market"] = name[0].upper() + name[1:]
        return unknown["market"]
    before = [m for m in analysis.markets if m.end <= number.start]
    if before:
        return before[-1].name
    return analysis.main_market[0][0] if analysis.main_market else ""


def _unclaimed(analysis: Analysis, start: int, end: int) -> bool:
    """Whether text[start:end] is no provider, period or citation the document already names."""
    return not any(n.start < end and start < n.end for n in (*analysis.entities, *analysis.periods, *analysis.citations))
