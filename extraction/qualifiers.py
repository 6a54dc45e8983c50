"""How exactly a figure is stated: exact, approx ('about', 'roughly', 'nearly'), at_least ('over', 'more
than', 'a little over', '6,000+') or at_most ('under', 'less than', 'up to')."""

from __future__ import annotations

import re

EXACT, APPROX, AT_LEAST, AT_MOST = "exact", "approx", "at_least", "at_most"
_BEFORE = [
    (AT_LEAST, r"a\s+little\s+(?:over|more\s+than|above)|more\s+than|over|above|past|at\s+least|exceeding|exceeded|"
               r"upwards\s+of|north\s+of|in\s+excess\s+of|topped|tops|top|topping|beyond|surpassing|surpassed|surpass|"
               r"pass|passes|passed|passing|exceed|exceeds|crossed|crossing|cross"),
    (AT_MOST, r"under|less\s+than|fewer\s+than|up\s+to|at\s+most|below|no\s+more\s+than|just\s+shy\s+of|not\s+quite"),
    (APPROX, r"about|around|roughly|nearly|almost|approximately|approx\.|some|close\s+to|an\s+estimated|"
             r"estimated|circa|~|an?\s+approximate|just\s+under|just\s+over|more\s+or\s+less|perhaps|maybe|"
             r"something\s+like|probably"),
]
_WORDS_BETWEEN = r"(?:\s+(?:a|an|the|just|only|of|some))*\s*$"
BEFORE = [(q, re.compile(r"(?<!\w)(?:" + words + r")" + _WORDS_BETWEEN, re.IGNORECASE)) for q, words in _BEFORE]
AFTER_AT_LEAST = re.compile(r"^\s*(?:\+|or\s+more\b|and\s+(?:counting|up|above)\b|plus\b)", re.IGNORECASE)


def qualifier(text: str, start: int, end: int, *, at_least: bool = False, approx: bool = False) -> str:
    """The qualifier of the number at text[start:end], from the words just before and after it and what its
    form says (`at_least` for '6,000+' or 'tens of millions', `approx` for fractions and N-fold)."""
    before = text[max(0, start - 40):start]
    if re.search(r"(?<!\w)(?:just\s+under|just\s+over)\s*$", before, re.IGNORECASE):
        return APPROX
    for kind, pattern in BEFORE:
        if pattern.search(before):
            return kind
    if at_least or AFTER_AT_LEAST.match(text[end:end + 20]):
        return AT_LEAST
    return APPROX if approx else EXACT
