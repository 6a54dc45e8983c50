"""Periods as articles state them, resolved to source-file labels (2025-Q3, 2024-H1, 2024, 2019..2024,
2023-11-11, as of 2023-12-31): absolute ("Q3 2025", "the first half of 2024"), completed by the context
("the final quarter of the year"), relative to the period stated before ("eight quarters earlier", "a year
earlier", "trailing twelve months", "in just five years"), or vague ("in recent quarters": unspecified)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from extraction.document import DATE_PATTERNS, MONTHS, parse_date
from extraction.numbers import UNITS

UNSPECIFIED = "unspecified"
MONTH_NAMED = ("month_range", "months_to", "month_quarter")  # quarters named by months: "the June quarter"
RECENT_CHARS = 600  # "in just five years" ends at the latest year stated this close before it
_Q = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4,
      "last": 4}
_H = {"first": 1, "1st": 1, "second": 2, "2nd": 2}
_COUNT = r"(?P<n>\d+|a|an|one|" + "|".join(UNITS) + r")"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_QW = r"(?P<qw>first|second|third|fourth|final|last|1st|2nd|3rd|4th)"
_HW = r"(?P<hw>first|second|1st|2nd)"
_THE_YEAR = r"(?:the|this|that)\s+(?:same\s+)?year"
_REL = r"(?P<rel>last|this|current|previous|prior|preceding)"
_YEAR_OR_REL = r"(?:" + _YEAR + r"|(?:the\s+)?" + _REL + r"\s+year)"  # "of 2025", "of last year"
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")
_FULL_MONTH = r"(?:" + "|".join(_MONTH_NAMES) + r")"
_ANY_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_QUARTER_END = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"  # a fiscal one too
NAMED_DAYS = {"singles' day": (11, 11), "singles day": (11, 11), "double 11": (11, 11), "christmas day": (12, 25),
              "new year's day": (1, 1), "double 12": (12, 12)}
_NAMED = r"(?P<named>" + "|".join(re.escape(n) for n in NAMED_DAYS) + r")"

# (rule, pattern): at each place the first rule listed that matches wins (a longer phrase before its parts)
RULES = [
    ("founding", r"\b(?:founded|launched|established|created|set\s+up|started|began|incorporated|introduced|debuted|built|completed|"
                 r"opened|formed|born|since)\s+(?:[\w']+\s+){0,6}?(?:in\s+)?" + _YEAR + r"\b"),
    ("founding", r"\b(?:announced|unveiled|signed)\s+(?:in\s+)?(?:" + _FULL_MONTH + r"\s+)?" + _YEAR + r"\b"),
    ("vague", r"\b(?:in\s+|over\s+|during\s+)?(?:recent|past\s+few|last\s+few)\s+(?:quarters|years|months)\b"
              r"|\b(?:over|in|within)\s+the\s+(?:next|coming)\s+(?:\w+\s+)?(?:years?|quarters?|months|decade)\b"
              r"|\bin\s+the\s+coming\s+years\b|\bover\s+the\s+previous\s+decade\b"
              r"|\b(?:by|through|until|till)\s+(?:at\s+least\s+)?(?:the\s+end\s+of\s+)?(?:fiscal\s+|FY\s?)?(?:19|20)\d\d\b"  # a deadline
              r"|\b(?:over|across|within)\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+years\b"
              r"|\bsince\s+(?:the\s+start\s+of\s+the\s+year|" + _FULL_MONTH + r"(?!\s+\d))\b"
              r"|\b(?:for\s+|in\s+)?(?:the\s+)?year[\s-]to[\s-]date\b|\bso\s+far\s+this\s+year\b|\bYTD\b"),
    ("ttm", r"(?:\b(?:the\s+)?(?:trailing|last|past)\s+(?:twelve|12)[\s-]months?\b|\bTTM\b|\bLTM\b"
            r"|\b(?:the\s+)?(?:twelve|12)\s+months(?=\s+(?:to|ending|ended|through)\b))"
            r"(?:\s+(?:to|ending|ended|through|until)\s+(?:the\s+(?:end\s+of\s+(?:the\s+)?)?)?(?:(?:" + _QW
            + r"[\s-]quarter\s+(?:of\s+)?|Q(?P<q>[1-4])\s*|(?P<month>March|June|September|December)\s+(?:\d{1,2},?\s+)?)"
            + _YEAR
            + r"|(?P<month_only>" + _FULL_MONTH + r")\b(?!\s+\d)))?"),  # "to December": the last by the publication
    ("span", r"\b(?:between|from)\s+(?P<y1>(?:19|20)\d\d)\s+(?:and|to|through|until)\s+(?P<y2>(?:19|20)\d\d)\b"),
    ("span", r"\b(?P<y1>(?:19|20)\d\d)\s*[-–]\s*(?P<y2>(?:19|20)\d\d)\b"),
    ("years_back", r"\b(?:in|over|within|during)\s+(?:just|only|the\s+past|the\s+last|the\s+previous)\s+"
                   + _COUNT + r"\s+years\b"),
    ("as_of_year", r"\b(?:as\s+of|as\s+at|at|by)\s+(?:the\s+)?(?:end\s+of|end-|year-end|close\s+of)\s*" + _YEAR),
    ("as_of_month", r"\b(?:as\s+of|as\s+at|at|by)\s+(?:the\s+)?(?:end\s+of\s+|end-|close\s+of\s+)(?P<month>"
                    + _FULL_MONTH + r")\s+" + _YEAR),
    ("as_of_year", r"\bas\s+of\s+(?:the\s+end\s+of\s+)?" + _YEAR + r"\b(?!\s*-)"),
    ("as_of_date", r"\bas\s+(?:of|at)\s+(?P<date>[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\s+\d{4}"
                   r"|\d{4}-\d\d-\d\d)"),
    ("months_to", r"\b(?:its\s+|the\s+)?fiscal(?:\s+year)?\s+(?:" + _QW + r"[\s-]quarter|Q[1-4]),?\s+(?:which\s+|that\s+)?"
                  r"(?:ended|ends|ending)\s+(?:on\s+|in\s+)?" + _QUARTER_END + r"(?:\s+\d{1,2}(?!\d))?"
                  r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"),  # "its fiscal third quarter, which ended March 31"
    ("fiscal_quarter", r"\b(?:its\s+|the\s+)?fiscal(?:\s+year)?\s+(?:" + _QW + r"[\s-]quarter|Q(?P<q>[1-4]))"
                       r"(?:\s+(?:of\s+)?(?:fiscal\s+)?(?:year\s+)?(?:'|’)?(?P<fy>(?:19|20)?\d\d)\b)?"),
    ("fiscal_quarter", r"\b(?:the\s+)?(?:" + _QW + r"[\s-]quarter|Q(?P<q>[1-4]))\s+(?:of\s+)?(?:fiscal(?:\s+year)?\s*|FY\s?)"
                       r"(?:'|’)?(?P<fy>(?:19|20)?\d\d)\b"),  # "Q3 of fiscal 2026", "Q3 FY26": the company's quarter
    ("latest_quarter", r"\b(?:the\s+)?(?:latest|most\s+recent|last)\s+quarter\b(?!\s+of\b)"),
    ("fiscal_year", r"\b(?:the\s+)?(?:full\s+)?(?:fiscal|financial)\s+year\s+(?:ending|ended|to|that\s+ended)\s+(?:on\s+)?"
                    r"(?:\d{1,2}\s+)?" + _FULL_MONTH + r"(?:\s+\d{1,2})?,?\s+" + _YEAR),  # named by the year it ends
    ("quarter_ended", r"\b(?:the\s+|its\s+)?(?:(?:first|second|third|fourth|final)\s+)?(?:three\s+months|quarter)\s+"
                      r"(?:ended|ending|to|through)\s+(?:on\s+)?"
                      r"(?P<date>[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\s+\d{4})"),
    ("fiscal_year", r"\b(?:the\s+)?(?:full\s+)?fiscal\s+year\b(?!\s*(?:'|’)?\d)"),
    ("months_to", r"\b(?:the\s+)?(?:(?P<months>three|3|six|6)\s+months|quarter)\s+(?:to|ended|ending|through)\s+(?:in\s+)?"
                  r"(?:the\s+end\s+of\s+)?" + _QUARTER_END + r"(?:\s+\d{1,2}(?!\d))?(?:,?\s+(?P<year>(?:19|20)\d\d))?"),
    ("month_range", r"\b(?:between\s+|from\s+)?(?:the\s+)?(?P<m1>" + _ANY_MONTH + r")(?:\s*[-–]\s*|[\s–-]+(?:to|and|through|until)[\s–-]+)"
                    r"(?P<m2>" + _ANY_MONTH + r")(?:\s+(?:quarter|period|months))?(?:,?\s+(?:of\s+)?" + _YEAR_OR_REL
                    + r")?(?=\W|$)"),  # "between January and June 2025", "the July-September period"
    ("month_quarter", r"\b(?:the\s+)?(?:(?:January|April|July|October)[-–])?(?P<month>March|June|September|December)"
                      r"[\s-]quarter\b(?:\s+(?:of\s+)?" + _YEAR + r"\b)?"),  # "the October-December quarter"
    ("months_of", r"\b(?:the\s+)?first\s+(?:(?P<months>three|3|six|6|nine|9)\s+months|(?P<quarters>two|three|2|3)\s+"
                  r"quarters)\s+of\s+(?:the\s+year\s+)?" + _YEAR + r"?"),
    ("named_day", r"\b(?:(?P<year_before>(?:19|20)\d\d)\s+)?" + _NAMED
                  + r"(?:\s+(?:of\s+)?(?P<year_after>(?:19|20)\d\d))?"),
    ("quarter", r"\b(?:the\s+)?" + _QW + r"(?:[\s-]quarter|\s+three\s+months)(?:\s+of)?(?:\s+(?:fiscal|calendar))?"
                r"(?:\s+year)?\s+" + _YEAR_OR_REL),
    ("quarter", r"\b(?:" + _YEAR + r"|" + _REL + r"\s+year)(?:'|’)s\s+" + _QW + r"[\s-]quarter\b"),
    ("quarter", r"\bQ(?P<q>[1-4])\s*(?:of\s+)?(?:FY\s?|CY\s?)?(?:'|’)?(?P<yy>(?:19|20)?\d\d)\b"),
    ("quarter", r"\b(?P<q>[1-4])Q\s*(?:'|’)?(?P<yy>(?:19|20)?\d\d)\b"),
    ("half", r"\b(?:the\s+)?" + _HW + r"[\s-]half\s+(?:of\s+)?(?:fiscal\s+|calendar\s+)?" + _YEAR_OR_REL),
    ("half", r"\b(?:" + _YEAR + r"|" + _REL + r"\s+year)(?:'|’)s\s+" + _HW + r"[\s-]half\b"),
    ("half", r"\bH(?P<h>[12])\s*(?:'|’)?(?P<yy>(?:19|20)?\d\d)\b"),
    ("half", r"\b(?P<h>[12])H\s*(?:'|’)?(?P<yy>(?:19|20)?\d\d)\b"),
    ("quarter_of_context", r"\b(?:the\s+)?" + _QW + r"[\s-]quarter(?P<of_year>\s+of\s+" + _THE_YEAR + r")?\b"
                           r"(?!\s+of\s+the)"),
    ("quarter_of_context", r"\bQ(?P<q>[1-4])\b"),
    ("half_of_context", r"\b(?:the\s+)?" + _HW + r"\s+half(?P<of_year>\s+of\s+" + _THE_YEAR + r")?\b(?!\s+of\s+the)"),
    ("half_of_context", r"\bH(?P<h>[12])\b"),
    ("quarters_back", r"\b" + _COUNT + r"\s+quarters?\s+(?:earlier|before|ago|prior|previously)\b"),
    ("quarters_back", r"\b(?:the\s+)?(?P<prev_q>previous|prior|preceding|sequential)\s+(?:quarter|three\s+months)\b"),
    ("years_back_same", r"\b" + _COUNT + r"\s+years?\s+(?:earlier|before|ago|prior|previously)\b"),
    ("years_back_same", r"\b(?:the\s+)?same\s+(?:quarter|period|half)\s+(?:of\s+)?(?:the\s+)?(?P<prev_y>previous|"
                        r"prior|preceding|last)\s+year\b"),
    ("years_back_same", r"\b(?:the\s+)?(?P<prev_y>year[\s-]ago|year[\s-]earlier|year[\s-]before|prior[\s-]year)\s+"
                        r"(?:quarter|period|half|three\s+months|six\s+months)\b"),  # "the year-ago quarter"
    ("years_back_same", r"\b(?:the\s+)?(?P<prev_y>previous|prior|preceding)\s+year\b"),
    ("deictic_year", r"\b(?P<which>last|this|next)\s+year\b"),
    ("year_of_context", r"\bfull[\s-]year\b(?!\s*(?:'|’)?\d)"),  # "its full-year budget": the year in context
    ("same_period", r"\b(?:for|in|during|over|across)\s+the\s+(?:same\s+)?(?P<part>quarter|period|half)\b"
                    r"(?!\s+(?:ended|ending|to|through|that|which))"),
    ("same_period", r"\bthe\s+(?P<part>quarter|half)(?:'|’)s\b"),  # "64% of the quarter's spending"
    ("full_year", r"\b(?:full[\s-]year|fiscal(?:\s+year)?|FY|calendar(?:\s+year)?|CY)\s*(?:'|’)?"
                  r"(?P<yy>(?:19|20)?\d\d)\b"),
    *(("day", pattern.pattern) for pattern in DATE_PATTERNS),
    ("year", r"\b" + _YEAR + r"\b(?![-–]\d)"),
]
_RULE_PATTERNS = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in RULES]


@dataclass
class PeriodMention:
    """A period in the text: its span, the rule that found it, and once resolved, its label (UNSPECIFIED for
    a vague one) and a note when it could not be written as a label."""

    start: int
    end: int
    rule: str
    groups: dict
    label: str = UNSPECIFIED
    note: str = ""
    aside: bool = False  # a table column's label after the first, or a comparison's base: never the context

    @property
    def relative(self) -> bool:
        """Stated relative to another period ('a year earlier'): it belongs to the clause it stands in."""
        return self.rule in ("quarters_back", "years_back_same", "same_period", "ttm")

    @property
    def absolute(self) -> bool:
        """Stated with its year: a reference for relative periods after it."""
        return self.rule in ("span", "as_of_year", "as_of_date", "quarter", "half", "full_year", "day", "year",
                             "quarter_of_context", "half_of_context", "months_to", "deictic_year", "month_quarter",
                             "quarter_ended", "as_of_month", "month_range") \
            or (self.rule == "named_day" and bool(self.groups.get("year_before") or self.groups.get("year_after")))


def find_periods(text: str) -> list[PeriodMention]:
    """Every period mention in `text`, leftmost-longest, in order (unresolved: see resolve_periods)."""
    found: list[PeriodMention] = []
    taken = bytearray(len(text))  # 1 where a period already found stands
    for name, pattern in _RULE_PATTERNS:
        for match in pattern.finditer(text):
            if not any(taken[match.start():match.end()]):
                found.append(PeriodMention(match.start(), match.end(), name,
                                           {k: v for k, v in match.groupdict().items() if v}))
                taken[match.start():match.end()] = b"\x01" * (match.end() - match.start())
    return sorted(found, key=lambda m: m.start)


def resolve_periods(mentions: list[PeriodMention], published_year: int | None, published_month: int = 12) -> None:
    """Give each mention its label, in text order: relative ones from the last absolute period before them,
    year-less ones from the last year stated before them (or the publication year: the year before when the
    quarter or half would end after the publication month, "the December quarter" in a February article)."""
    reference: str | None = None
    last_part: dict[str, str] = {}  # the last quarter and half stated: what "in the quarter" restates
    last_year = published_year
    years_seen: list[tuple[int, int]] = []  # (offset, year) of the periods stated so far
    for mention in mentions:
        recent = [year for offset, year in years_seen if offset > mention.start - RECENT_CHARS]
        part = {"quarter": "Q", "half": "H"}.get(mention.groups.get("part", "").lower())
        year = max(recent) if mention.rule == "years_back" and recent else last_year
        by_publication = published_year and (mention.rule in MONTH_NAMED and not (
            mention.groups.get("year") or mention.groups.get("rel")) or "month_only" in mention.groups)
        if by_publication:  # the last such quarter (or month, 'twelve months to December') ended by the publication
            ends = _month(mention.groups.get("m2") or mention.groups.get("month") or mention.groups["month_only"])
            year = published_year - (ends > published_month)
        if mention.rule == "named_day" and published_year and not (
                mention.groups.get("year_before") or mention.groups.get("year_after")):  # the last one by the publication
            year = published_year - (NAMED_DAYS[mention.groups["named"].lower()][0] > published_month)
        if mention.rule == "latest_quarter" and published_year:  # the last quarter ended by the publication
            index = published_year * 4 + (published_month - 1) // 3 - 1
            mention.label = f"{index // 4}-Q{index % 4 + 1}"
            continue
        if mention.rule in ("quarter_of_context", "half_of_context") and not mention.groups.get("of_year") \
                and reference and reference.isdigit() and published_year and int(reference) < published_year:
            this_year = _label(mention, None, published_year, published_year)[0]  # after a whole past year
            if int(this_year[-1]) * (3 if this_year[5] == "Q" else 6) <= published_month:
                year = published_year
        mention.label, mention.note = _label(mention, last_part.get(part, reference), year, published_year)
        if not years_seen and not by_publication and year is not None and (end := re.fullmatch(r"\d{4}-([QH])([1-4])", mention.label)) \
                and int(end.group(2)) * (3 if end.group(1) == "Q" else 6) > published_month:
            mention.label, mention.note = _label(mention, reference, year - 1, published_year)
        if mention.absolute and mention.label != UNSPECIFIED and not mention.aside:
            reference = mention.label
            if found := re.fullmatch(r"\d{4}-([QH])[1-4]", reference):
                last_part[found.group(1)] = reference
        if mention.absolute and (mention.label[:4].isdigit() or mention.label.startswith("as of")):
            last_year = int(mention.label[-4:] if ".." in mention.label else re.search(r"\d{4}", mention.label)[0])
            years_seen.append((mention.start, last_year))


def _year(groups: dict, key: str = "yy") -> int:
    text = groups.get("year") or groups[key]
    return int(text) if len(text) == 4 else 2000 + int(text)


def _stated_year(groups: dict, last_year: int | None, published_year: int | None) -> int | None:
    """The year a period names: written ('of 2025'), counted from the publication ('of last year', 'this
    year's') or from the year in context ('of the previous year'), else the year in context."""
    if rel := groups.get("rel", "").lower():
        if rel in ("previous", "prior", "preceding"):
            return last_year - 1 if last_year is not None else None
        now = published_year if published_year is not None else last_year
        return None if now is None else now - (rel == "last")
    return _year(groups) if groups.get("year") or groups.get("yy") else last_year


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _months_label(first: int, last: int, year: int) -> tuple[str, str]:
    """The label of the months first..last of a year: a quarter, a half or the whole year."""
    if last - first == 2 and last % 3 == 0:
        return f"{year}-Q{last // 3}", ""
    if last - first == 5 and last % 6 == 0:
        return f"{year}-H{last // 6}", ""
    if (first, last) == (1, 12):
        return str(year), ""
    return UNSPECIFIED, f"months {first}-{last} of {year} (no label holds them)"


def _count(groups: dict) -> int:
    word = groups.get("n", "one").lower()
    return int(word) if word.isdigit() else UNITS.get(word, 1)


def _label(mention: PeriodMention, reference: str | None, last_year: int | None,
           published_year: int | None) -> tuple[str, str]:
    rule, groups = mention.rule, mention.groups
    if rule in ("vague", "founding"):
        return UNSPECIFIED, ""
    if rule == "quarter_ended":  # "the quarter ended March 31, 2025": a calendar quarter when it ends one
        day = parse_date(groups["date"]) or ""
        if day[5:] in ("03-31", "06-30", "09-30", "12-31"):
            return f"{day[:4]}-Q{int(day[5:7]) // 3}", ""
        return UNSPECIFIED, f"a quarter ending {day or groups['date']} (a fiscal quarter)"
    if rule == "fiscal_year":
        return (groups["year"], "") if groups.get("year") else (UNSPECIFIED, "a fiscal year without its year")
    if rule == "fiscal_quarter":
        return UNSPECIFIED, "a fiscal quarter: its months depend on the company's fiscal year"
    if rule == "months_to":
        year = int(groups["year"]) if groups.get("year") else last_year
        month = _month(groups["month"])
        if year is None:
            return UNSPECIFIED, "the text does not say which year"
        return _months_label(month - (2 if groups.get("months", "3") in ("three", "3") else 5), month, year)
    if rule == "month_range":
        year = _stated_year(groups, last_year, published_year)
        if year is None:
            return UNSPECIFIED, "the text does not say which year"
        return _months_label(_month(groups["m1"]), _month(groups["m2"]), year)
    if rule == "as_of_month":
        month = _month(groups["month"])
        last_day = (date(int(groups["year"]) + month // 12, month % 12 + 1, 1) - timedelta(days=1)).isoformat()
        return f"as of {last_day}", ""
    if rule == "month_quarter":
        year = int(groups["year"]) if groups.get("year") else last_year
        month = ("march", "june", "september", "december").index(groups["month"].lower()) + 1
        return (f"{year}-Q{month}", "") if year else (UNSPECIFIED, "the text does not say which year")
    if rule == "months_of":  # "the first nine months of 2025": no label holds three quarters
        year = groups.get("year") or last_year
        months = groups.get("months") or {"two": "six", "2": "six", "three": "nine", "3": "nine"}[groups["quarters"].lower()]
        part = {"three": "Q1", "3": "Q1", "six": "H1", "6": "H1"}.get(months.lower())
        return (f"{year}-{part}", "") if part and year else (UNSPECIFIED, f"the first {months} months")
    if rule == "span":
        return f"{groups['y1']}..{groups['y2']}", ""
    if rule == "as_of_year":
        return f"as of {groups['year']}-12-31", ""
    if rule == "as_of_date":
        return f"as of {parse_date(groups['date'])}", ""
    if rule == "day":
        return parse_date(mention_text(mention, groups)) or UNSPECIFIED, ""
    if rule == "named_day":
        year = groups.get("year_before") or groups.get("year_after") or last_year
        month, day = NAMED_DAYS[groups["named"].lower()]
        return (f"{year}-{month:02d}-{day:02d}", "") if year else (UNSPECIFIED, "")
    if rule in ("quarter", "half"):
        year = _stated_year(groups, last_year, published_year)
        if year is None:
            return UNSPECIFIED, "the text does not say which year"
        if rule == "quarter":
            return f"{year}-Q{_Q.get(groups.get('qw', '').lower()) or groups['q']}", ""
        return f"{year}-H{_H.get(groups.get('hw', '').lower()) or groups['h']}", ""
    if rule in ("quarter_of_context", "half_of_context"):
        if last_year is None:
            return UNSPECIFIED, "the text does not say which year"
        part = (_Q if rule.startswith("quarter") else _H).get(groups.get("qw", groups.get("hw", "")).lower()) \
            or groups.get("q") or groups.get("h")
        return f"{last_year}-{'Q' if rule.startswith('quarter') else 'H'}{part}", ""
    if rule in ("full_year", "year"):
        return str(_year(groups)), ""
    if rule == "year_of_context":
        return (str(last_year), "") if last_year else (UNSPECIFIED, "the text does not say which year")
    if rule == "deictic_year":  # "last year": counted from the publication date
        now = published_year if published_year is not None else last_year
        shift = {"last": -1, "this": 0, "next": 1}[groups["which"].lower()]
        return (str(now + shift), "") if now is not None else (UNSPECIFIED, "the text does not say which year")
    if rule == "ttm" and groups.get("month_only") and last_year:  # "to December": the last one by the publication
        month = _month(groups["month_only"])
        reference = f"{last_year}-Q{month // 3}" if month % 3 == 0 else None
    if rule == "ttm" and groups.get("year"):  # "trailing twelve months to the fourth quarter of 2024"
        quarter = _Q.get(groups.get("qw", "").lower()) or groups.get("q") or \
            ("march", "june", "september", "december").index(groups["month"].lower()) + 1
        reference = f"{groups['year']}-Q{quarter}"
    if rule == "years_back":
        return (f"{last_year - _count(groups)}..{last_year}", "") if last_year else (UNSPECIFIED, "")
    if rule == "years_back_same" and reference and reference.startswith("as of "):  # "a year before" a point in time
        years = 1 if groups.get("prev_y") else _count(groups)
        return f"as of {int(reference[6:10]) - years}{reference[10:]}", ""
    if reference is None or not re.match(r"\d{4}", reference) or ".." in reference:
        return UNSPECIFIED, "relative to a period the text does not state"
    if rule == "same_period":
        return reference, ""
    if rule == "quarters_back":
        return _shift_quarters(reference, 1 if groups.get("prev_q") else _count(groups))
    if rule == "years_back_same":
        years = 1 if groups.get("prev_y") else _count(groups)
        return str(int(reference[:4]) - years) + reference[4:], ""
    if rule == "ttm":  # twelve months to a fourth quarter are its year; to a year alone, to an unstated month
        if re.fullmatch(r"\d{4}-Q4", reference):
            return reference[:4], ""
        return UNSPECIFIED, f"twelve months to {reference} (no label holds a span of quarters)"
    return UNSPECIFIED, ""


def _shift_quarters(reference: str, quarters: int) -> tuple[str, str]:
    found = re.fullmatch(r"(\d{4})-Q([1-4])", reference)
    if not found:
        return UNSPECIFIED, f"quarters before {reference}, which is not a quarter"
    index = int(found.group(1)) * 4 + int(found.group(2)) - 1 - quarters
    return f"{index // 4}-Q{index % 4 + 1}", ""


def mention_text(mention: PeriodMention, groups: dict) -> str:
    """The date text of a 'day' mention, rebuilt from its groups."""
    if groups.get("month"):
        return f"{groups['month']} {groups['dd']} {groups['year']}"
    return f"{groups['year']}-{int(groups['mm']):02d}-{int(groups['dd']):02d}"
