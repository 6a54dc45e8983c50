"""The entity of a figure: the provider or group named nearest before it in its clause, paired in order
('respectively'), the group of the providers named ('together'), a name the reference data lacks (named in
full, without its legal suffix), 'the company' the article is about, or the one named in the sentences
before."""

from __future__ import annotations

import re
from collections import Counter
from weakref import WeakKeyDictionary

from extraction.analysis import Analysis, in_table_head
from extraction.names import NameMention
from extraction.numbers import UNITS, NumberMention
from extraction.text import Sentence

COLLECTIVE = re.compile(r"\b(?:collectively|combined|together|the\s+trio|these\s+three|those\s+three|the\s+three|"
                        r"all\s+three|jointly|between\s+them)\b(?!\s+(?:months|quarters|years|weeks|days)\b)",
                        re.IGNORECASE)  # "the three months to June" is a period, not the three providers
RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
SUBJECT_AFTER = re.compile(r"(?:\s*\([^)]{1,40}\))?"  # "Kestrel Cloud (KCL) ..."
                           r"(?:'s\b|’s\b|[ \t]*[:–—|]|[ \t]+-\s|,\s+(?:a|an|the|which|who|that)\s"
                           r"|(?:\s+(?:unit|arm|division|business|subsidiary))?\s+(?:held|holds|had|has|took|takes|captured|commands|commanded|controls|controlled|claimed|accounted|reported|posted|booked|generated|grew|"
                           r"rose|ranked|ranks|came|comes|was|is|with|at|said|says|announced|will|plans|expects|"
                           r"employs|serves|runs|operates|reports|placed|finished|sat|stood|trailed)\b"
                           r"|,[^,.]{1,50},\s+(?:today\s+)?(?:reported|said|posted|booked|announced|had|has|held|holds|"
                           r"took|grew|rose)\b)")  # "Kestrel Cloud (KCL), the Nordic provider, today reported"
DATELINE = re.compile(r"\s*(?:[—–]|--|-\s|\n|$)|,\s+(?:[A-Z][a-z]+\.?,?\s+)?[A-Z][a-z]{2,}\.?\s+\d")  # "SEOUL —"
LEGAL_SUFFIXES = {"holdings", "inc", "corp", "corporation", "ltd", "limited", "group", "plc", "co", "sa", "se", "ag",
                  "nv", "llc"}  # 'Fjord Cloud Holdings, Inc.' is the provider 'Fjord Cloud'
OTHER_BETWEEN = re.compile(r"\b(?:behind|ahead\s+of|than|versus|vs\.?|over|trailing|after|from|compared\s+"
                           r"(?:with|to)|followed\s+by)\s", re.IGNORECASE)  # "third behind Alibaba and Huawei"
OTHER_PROVIDERS = re.compile(r"\b(?:providers|players|vendors|operators|companies|firms|rivals)(?:'|’)?(?=\s)")
RESEARCHER = re.compile(r"\b[Tt]he\s+(?:research|analyst|analytics|consulting|market[\s-]research)\s+(?:firm|house|"
                        r"company|group)\b")  # "the research firm expects growth": the market's, no provider's
SELF_REFERENCE = re.compile(r"\b(?:[Tt]he\s+(?:Group|group|[Cc]ompany|firm)|[Ww]e|[Oo]ur)\b")  # the article's subject
TURN = re.compile(r"^(?P<label>[A-Z][\w.'-]*(?:[ \t]+[A-Z][\w.'-]*){0,3}):[ \t]+(?P<turn>.+)$", re.MULTILINE)
TURN_WORDS, TURNS_MIN = 4, 3  # an interview: this many labelled turns of at least this many words
INTRODUCED = re.compile(r",\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}(?:provider|company|cloud|operator|firm|start-?up)\b")
PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")  # 'APIs', 'GPUs'
COMPANY = re.compile(r"\b[Tt]he\s+(?:[Cc]ompany|firm)\b")  # the company named just before
SPOKESPERSON = re.compile(r"(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?:chief\s+executive|CEO|founder|"
                          r"spokes(?:person|man|woman)|"
                          r"chair(?:man|woman)?|president|executive|officer)\b")
SPOKEN_SENTENCES = 2  # "the company" is the one whose executive spoke this many sentences before, quotes included
NAME_CHARS = 40  # a company's name stands within this many characters before its "'s"
DOMINANT_MENTIONS = 3  # a known provider named this often, twice as often as any other, is 'the company'
SUBJECT_MENTIONS = 3  # a provider the reference lacks named this often, and first, is what the article is about
PROPER_NOUN = re.compile(r"\b[A-Z](?:[A-Za-z0-9&]+\b|\b(?=[ \t]+[A-Z]))(?:[ \t]+[A-Z][A-Za-z0-9&]*)*")  # 'T Cloud' too
NOT_NAMES = {"in", "the", "a", "an", "according", "despite", "however", "meanwhile", "its", "their", "this",
             "that", "these", "those", "while", "with", "for", "by", "as", "at", "on", "after", "before", "during",
             "since", "and", "but", "data", "figures", "overall", "together", "collectively", "combined",
             "globally", "worldwide", "it", "they", "of", "over", "under", "about", "around", "nearly", "some",
             "also", "still", "yet", "now", "today", "then", "there", "here", "both", "each", "all", "most",
             "more", "less", "between", "from", "to", "among", "across", "within", "customers", "spending",
             "revenue", "investors", "analysts", "researchers", "total", "notably", "similarly", "likewise",
             "separately", "finally", "firstly", "secondly", "thirdly", "first", "second", "third", "last", "next",
             "new", "year", "quarter", "half", "q1", "q2", "q3", "q4", "h1", "h2", "january", "february", "march",
             "april", "may", "june", "july", "august", "september", "october", "november", "december", "group",
             "company", "firm", "unit", "business", "division", "segment", "we", "our", "i"}


def entity_of(analysis: Analysis, number: NumberMention, sentence: Sentence, clause: tuple[int, int],
            unknown: dict[str, str]) -> str:
    in_sentence = [e for e in analysis.entities if sentence.start <= e.start < sentence.end]
    if by_order := _respectively(analysis, number, sentence, in_sentence):
        return by_order
    if COLLECTIVE.search(analysis.body, sentence.start, sentence.end):
        if group := _collective_group(analysis, sentence, in_sentence):
            return group
    before_in_clause = [e for e in in_sentence if clause[0] <= e.start and e.end <= number.start]
    if before_in_clause:
        return before_in_clause[-1].name
    if name := unknown_name(analysis, clause[0], number.start):
        unknown["entity"] = name
        return name
    after_in_clause = [e for e in in_sentence if number.end <= e.start and e.end <= clause[1]
                       and not OTHER_BETWEEN.search(analysis.body, number.end, e.start)]
    if after_in_clause:  # "..., and one in five dollars went to Google": its own clause's, not another's
        return after_in_clause[0].name
    before = [e for e in in_sentence if e.end <= number.start]
    if before:
        return before[-1].name
    for start, end in ((sentence.start, number.start), (number.end, clause[1])):  # "5. Oracle - 3%": after its rank
        if name := unknown_name(analysis, start, end):
            unknown["entity"] = name
            return name
    if SELF_REFERENCE.search(analysis.body, sentence.start, number.start) and in_sentence:
        return in_sentence[0].name  # '"We grew 28%," Alibaba's chief executive said': the speaker's company
    if OTHER_PROVIDERS.search(analysis.body, sentence.start, number.start) or RESEARCHER.search(
            analysis.body, sentence.start, number.start):
        return ""  # "European providers' share": providers no group of the reference holds
    subject = article_subject(analysis)
    if subject and SELF_REFERENCE.search(analysis.body, sentence.start, number.start):
        unknown["entity"] = subject  # "The Group will invest", "Our revenue"
        return subject
    if COMPANY.search(analysis.body, sentence.start, number.start) and (spoke := next(filter(None, (
            _spoken_for(analysis, previous, unknown) for previous in
            reversed(analysis.sentences[max(0, sentence.index - SPOKEN_SENTENCES):sentence.index]))), None)):
        return spoke  # "Kaveri Cloud's chief executive told us. The company plans ...": the company that spoke
    if SELF_REFERENCE.search(analysis.body, sentence.start, number.start) and (dominant := _dominant(analysis)):
        return dominant  # "The company said": the provider the article is about
    for previous in reversed(analysis.sentences[max(0, sentence.index - 6):sentence.index]):
        mentioned = [e for e in analysis.entities if previous.start <= e.start < previous.end
                     and not OTHER_BETWEEN.search(analysis.body, previous.start, e.start)]  # not "behind Alibaba"
        if mentioned:
            return mentioned[0].name
        if subject and subject in analysis.body[previous.start:previous.end]:
            unknown["entity"] = subject
            return subject
        if name := unknown_name(analysis, previous.start, previous.end):  # "Kestrel Cloud reported ... Its"
            unknown["entity"] = name
            return name
    if subject:
        unknown["entity"] = subject
        return subject
    return analysis.main_entity[0][0] if analysis.main_entity else ""


def _speaker_labels(analysis: Analysis) -> set[str]:
    """The labels of an interview's turns ('Ana Costa: ...', 'TW: Who ...?'): a text with TURNS_MIN turns of
    prose, one a question. Speakers and the outlet, never a provider a figure is stated for."""
    if analysis not in _SPEAKERS:
        turns = [t for t in TURN.finditer(analysis.body) if len(t.group("turn").split()) >= TURN_WORDS]
        asks = any(t.group("turn").rstrip().endswith("?") for t in turns)
        _SPEAKERS[analysis] = {t.group("label") for t in turns} if len(turns) >= TURNS_MIN and asks else set()
    return _SPEAKERS[analysis]


def _spoken_for(analysis: Analysis, sentence: Sentence, unknown: dict[str, str]) -> str | None:
    """The provider whose representative speaks in a sentence ('Kaveri Cloud's chief executive told us'),
    known or not."""
    for match in SPOKESPERSON.finditer(analysis.body, sentence.start, sentence.end):
        known = [e for e in analysis.entities if e.end == match.start()]
        if known:
            return known[-1].name
        if name := unknown_name(analysis, match.start() - NAME_CHARS, match.start() + 2):
            unknown["entity"] = name
            return name
    return None


def _dominant(analysis: Analysis) -> str | None:
    """The known provider named at least twice as often as any other, if one is."""
    counts = Counter(n.name for n in analysis.entities).most_common(2)
    return counts[0][0] if counts and counts[0][1] >= DOMINANT_MENTIONS and (
        len(counts) == 1 or counts[0][1] >= 2 * counts[1][1]) else None


_SUBJECTS: WeakKeyDictionary = WeakKeyDictionary()
_SPEAKERS: WeakKeyDictionary = WeakKeyDictionary()


def article_subject(analysis: Analysis) -> str | None:
    """The provider the reference data lacks that an article is about: a name in its first sentences, named more
    often than any known provider and at least SUBJECT_MENTIONS times ('Kestrel Cloud ... today announced')."""
    if analysis not in _SUBJECTS:
        _SUBJECTS[analysis] = _subject(analysis)
    return _SUBJECTS[analysis]


def _subject(analysis: Analysis) -> str | None:
    names, subjects = Counter(), set()
    for match in PROPER_NOUN.finditer(analysis.body):
        if name := _name_in(analysis, match):
            names[name] += 1
            if SUBJECT_AFTER.match(analysis.body, match.end()):  # "Kestrel Cloud's", "Kestrel Cloud reported"
                subjects.add(name)
    for short in list(names):  # "Sakura" counts for "Sakura Internet"
        if longer := [n for n in names if n.startswith(short + " ")]:
            full = max(longer, key=lambda n: names[n])
            names[full] += names.pop(short)
            subjects |= {full} if short in subjects else set()
    opening = analysis.body[:analysis.sentences[SUBJECT_MENTIONS - 1].end] if len(analysis.sentences) >= \
        SUBJECT_MENTIONS else analysis.body
    known = analysis.main_entity[0][1] if analysis.main_entity else 0
    for name, count in names.most_common(3):
        if count >= SUBJECT_MENTIONS and count > known and name in opening and name in subjects:
            return name
    if speakers := _speaker_labels(analysis):  # an interview: the company introduced before the first turn
        first_turn = min(t.start() for t in TURN.finditer(analysis.body) if t.group("label") in speakers)
        introduction = analysis.body[:first_turn]
        return next((name for name in names if re.search(re.escape(name) + INTRODUCED.pattern, introduction)), None)
    return None


def _name_in(analysis: Analysis, match: re.Match) -> str | None:
    """The proper name a capitalised run of words is, if the reference data does not know it."""
    words = match.group().split()
    while words and words[0].lower() in NOT_NAMES:
        words.pop(0)
    overlaps = analysis.names_overlap(match.start(), match.end())
    sentence = analysis.sentence_at(match.start())
    if len(words) == 1 and words[0].endswith("ed") and sentence and not analysis.body[
            sentence.start:match.start()].strip(" -*•"):
        return None  # "- Announced plans to invest": a verb starting a list item
    while len(words) > 1 and words[-1].lower().rstrip(".") in LEGAL_SUFFIXES:
        words.pop()
    if any(len(w) >= 5 and w.isupper() for w in words) and DATELINE.match(analysis.body, match.end()):
        return None  # "SEOUL —", "PRESS RELEASE": a dateline or heading in capitals
    if len(words) == 1 and PLURAL_ACRONYM.fullmatch(words[0]):
        return None  # "hosted model APIs accounted for": a common noun
    if match.group() in _speaker_labels(analysis) and analysis.body.startswith(":", match.end()):
        return None  # "Ana Costa: We booked ...": who speaks in an interview
    if in_table_head(analysis, match.start()):
        return None  # "| Indicator | Value |": the labels of a table's columns
    return " ".join(words) if words and not overlaps and not analysis.in_citation(match.start(), match.end()) else None


def _respectively(analysis: Analysis, number: NumberMention, sentence: Sentence,
                  in_sentence: list[NameMention]) -> str | None:
    """'A and B hold 20% and 13%, respectively': the entities and numbers of that clause, paired in order."""
    word = RESPECTIVELY.search(analysis.body, sentence.start, sentence.end)
    if not word or number.start > word.start():
        return None
    cut = max((m.end() for m in re.finditer(r"\bwhile\b|\bwhereas\b|;|, and\b|, but\b",
                                            analysis.body[sentence.start:word.start()])), default=0)
    start = sentence.start + cut
    if number.start < start:
        return None
    numbers = analysis.numbers_in(start, word.start())
    names = [e for e in in_sentence if start <= e.start < word.start()]
    unique = list(dict.fromkeys(e.name for e in names if e.end <= numbers[0].start)) if numbers else []
    if len(unique) >= 2 and len(unique) == len(numbers):
        index = next((i for i, n in enumerate(numbers) if n.start == number.start), None)
        return unique[index] if index is not None else None
    return None


def _collective_group(analysis: Analysis, sentence: Sentence, in_sentence: list[NameMention]) -> str | None:
    """The group of the providers a collective figure is about: those named in its sentence, or in the
    sentences before it (as many as the text counts: 'the three companies together')."""
    providers = {e.name for e in in_sentence if e.name in analysis.reference.providers}
    counted = re.search(r"\b(two|three|four|five)\b", analysis.body[sentence.start:sentence.end], re.IGNORECASE)
    wanted = UNITS[counted.group(1).lower()] if counted else 2
    for previous in reversed(analysis.sentences[max(0, sentence.index - 8):sentence.index]):
        if len(providers) >= wanted:
            break
        named = [e.name for e in analysis.entities if previous.start <= e.start < previous.end]
        if not providers and (groups := [n for n in named if n in analysis.reference.groups]):
            return groups[-1]  # "The US big three will ... they spent $780 billion between them"
        providers |= {n for n in named if n in analysis.reference.providers}
    return analysis.reference.group_of(providers) if len(providers) >= 2 else None


def unknown_name(analysis: Analysis, start: int, end: int) -> str | None:
    """The proper name the reference data does not know (a provider to add) that a figure is stated for in
    text[start:end]: a possessive ('Oracle's'), a list item's label ('Oracle: 3%') or a subject right before
    a verb of holding or reporting ('Oracle held 3%')."""
    for match in reversed(list(PROPER_NOUN.finditer(analysis.body, start, end))):
        if analysis.body[match.start() - 1:match.start()] == "(":
            continue  # "(NYSE: DOCN)": a stock exchange and ticker
        if SUBJECT_AFTER.match(analysis.body, match.end()) and (name := _name_in(analysis, match)):
            return _full_name(analysis, name)
    return None


def _full_name(analysis: Analysis, name: str) -> str:
    """A short name as the text names it in full elsewhere ('Sakura's' for 'Sakura Internet')."""
    longer = re.findall(r"\b" + re.escape(name) + r"(?:[ \t]+[A-Z][\w&-]*)+", analysis.body)
    longer = [n for n in longer if n.split()[-1].lower() not in NOT_NAMES | LEGAL_SUFFIXES]
    return Counter(longer).most_common(1)[0][0] if longer else name
