"""The market of a share or market-size figure: named in its clause or sentence (a market the reference lacks,
'the Japanese public cloud market', or a region on its own, names a market to add), else the one named last
before it."""

from __future__ import annotations

import re

from extraction.analysis import Analysis, distance
from extraction.figure_entity import NOT_NAMES
from extraction.names import NameMention
from extraction.numbers import NumberMention
from extraction.text import Sentence

REGION_BEFORE = re.compile(r"(?<=\s)([A-Z][a-z]+|[A-Z]{2,3})\s+$")  # a capitalised word right before a market
REGION_PHRASE = re.compile(r"\b(?i:across|throughout|in)\s+(?i:the\s+)?([A-Z][a-z]+(?:[\s-][A-Z][a-z]+)*)")


def market_of(analysis: Analysis, number: NumberMention, sentence: Sentence, unknown: dict[str, str]) -> str:
    clause = analysis.clause_at(sentence, number.start)
    in_sentence = [m for m in analysis.markets if sentence.start <= m.start < sentence.end]
    in_clause = [m for m in in_sentence if clause[0] <= m.start < clause[1]]
    region = REGION_PHRASE.search(analysis.body, clause[0], clause[1]) or (
        None if in_sentence else REGION_PHRASE.search(analysis.body, sentence.start, number.start))
    if region and not in_clause and _unclaimed(analysis, region.start(1), region.end()):
        named = sorted((m for m in analysis.markets if _same_region(m.name, region.group(1))),
                       key=lambda m: (m.end > number.start, abs(m.start - number.start)))
        if named:  # "spent on cloud in India": the Indian market named before (or after)
            return _named(analysis, named[0], analysis.sentence_at(named[0].start).start, unknown)
        unknown["market"] = region.group(1)  # "spending across the Gulf Cooperation Council"
        return region.group(1)
    if in_clause or in_sentence:
        return _named(analysis, min(in_clause or in_sentence, key=lambda m: distance(m, number)), sentence.start,
                      unknown)
    phrase = re.search(r"\b(?i:of|in)\s+the\s+((?:[A-Za-z][\w'-]*\s+){1,4}?)market\b",
                       analysis.body[sentence.start:sentence.end])
    if phrase and not re.fullmatch(r"(?:(?:global|overall|whole|entire|total|cloud|same|wider|broader)\s+)+",
                                   phrase.group(1), re.IGNORECASE):
        name = phrase.group(1).strip()
        unknown["market"] = name[0].upper() + name[1:]
        return unknown["market"]
    before = [m for m in analysis.markets if m.end <= number.start]
    if before:  # "that market": the one named last, as it was named
        return _named(analysis, before[-1], analysis.sentence_at(before[-1].start).start, unknown)
    return analysis.main_market[0][0] if analysis.main_market else ""


def _named(analysis: Analysis, market: NameMention, sentence_start: int, unknown: dict[str, str]) -> str:
    """A known market as mentioned, or, qualified by a region right before it ('the European cloud
    infrastructure market'), a market the known one does not cover (to add)."""
    qualified = REGION_BEFORE.search(analysis.body, sentence_start, market.start)
    if qualified and qualified.group(1).lower() not in NOT_NAMES:  # "In public cloud IaaS": no region
        name = qualified.group(1) + " " + re.sub(r"\s*\bmarkets?$", "", analysis.body[market.start:market.end],
                                                  flags=re.IGNORECASE)
        unknown["market"] = name
        return name
    if market.name not in analysis.reference.markets:
        unknown["market"] = market.name
    return market.name


def _same_region(market: str, region: str) -> bool:
    """Whether a market's name starts with the region ('Indian public cloud' and 'India')."""
    return market[:4].lower() == region[:4].lower()


def _unclaimed(analysis: Analysis, start: int, end: int) -> bool:
    """Whether text[start:end] is no provider, period or citation the document already names."""
    return not any(n.start < end and start < n.end for n in (*analysis.entities, *analysis.periods, *analysis.citations))
