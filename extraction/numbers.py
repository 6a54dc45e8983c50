"""Numbers as articles write them: digits with separators, words ("forty thousand"), fractions ("one-fifth"),
magnitudes ("$1.2 trillion", "99bn"), currencies ("RMB 100.4 billion"), per cent, percentage points, N-fold,
seconds, years, per-second rates, and ranks by ordinal ("the fourth-largest", "ranking fourth")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
MAGNITUDES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
INDIAN_SCALES = {"lakh": 5, "crore": 7, "lakh crore": 12}  # written out in the largest magnitude that fits
TIMES_VERBS = {"doubled": 2, "tripled": 3, "trebled": 3, "quadrupled": 4}
RANKED_NOUNS = {"provider", "player", "vendor", "company", "firm", "supplier", "operator", "hyperscaler", "cloud",
                "rival", "competitor", "seller", "platform", "public", "infrastructure", "iaas", "in", "of", "by",
                "with", "on", "at", "among", "behind", "after", "worldwide", "globally", "overall"}
YEN_AS_JPY = re.compile(r"\b(?:Japan|Japanese|yen|Tokyo|JPY)\b")
YEN_AS_CNY = re.compile(r"\b(?:China|Chinese|yuan|renminbi|RMB|CNY|Beijing)\b")
SHORT_MAGNITUDES = {"k": "thousand", "m": "million", "mn": "million", "mln": "million", "b": "billion",
                    "bn": "billion", "bln": "billion", "tn": "trillion", "trn": "trillion", "tln": "trillion"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10}
FRACTIONS = {"half": Decimal(50), "third": Decimal("33.3"), "thirds": Decimal("66.7"), "quarter": Decimal(25),
             "quarters": Decimal(75), "fifth": Decimal(20), "fifths": Decimal(20), "sixth": Decimal("16.7"),
             "tenth": Decimal(10), "tenths": Decimal(10)}
CURRENCY_SIGNS = {"us$": "USD", "$": "USD", "usd": "USD", "rmb": "CNY", "cny": "CNY", "¥": "CNY", "yuan": "CNY",
                  "renminbi": "CNY", "€": "EUR", "eur": "EUR", "euros": "EUR", "euro": "EUR", "£": "GBP",
                  "gbp": "GBP", "pounds": "GBP", "hk$": "HKD", "hkd": "HKD", "dollars": "USD", "jpy": "JPY",
                  "yen": "JPY", "inr": "INR", "rupees": "INR", "a$": "AUD", "aud": "AUD", "s$": "SGD", "sgd": "SGD",
                  "c$": "CAD", "cad": "CAD", "nt$": "TWD", "twd": "TWD", "cn¥": "CNY", "rmb¥": "CNY", "jp¥": "JPY",
                  "₹": "INR", "rs": "INR", "rs.": "INR", "₩": "KRW", "krw": "KRW", "won": "KRW", "sar": "SAR",
                  "riyal": "SAR", "riyals": "SAR", "aed": "AED", "dirham": "AED", "dirhams": "AED", "rm": "MYR",
                  "myr": "MYR", "ringgit": "MYR", "idr": "IDR", "rupiah": "IDR", "chf": "CHF", "francs": "CHF", "r$": "BRL",
                  "brl": "BRL", "reais": "BRL", "nok": "NOK", "sek": "SEK", "dkk": "DKK", "pln": "PLN", "zar": "ZAR",
                  "nzd": "NZD", "mxn": "MXN", "thb": "THB"}

NAMED_CURRENCIES = {"us": "USD", "u.s.": "USD", "american": "USD", "singapore": "SGD", "hong kong": "HKD",
                    "australian": "AUD", "canadian": "CAD", "new taiwan": "TWD", "swiss": "CHF", "saudi": "SAR",
                    "indian": "INR", "brazilian": "BRL", "south korean": "KRW", "korean": "KRW", "japanese": "JPY",
                    "chinese": "CNY", "mexican": "MXN", "new zealand": "NZD", "emirati": "AED"}  # "1.5 billion Singapore dollars"
_WORD = "|".join(sorted([*UNITS, *TENS, "hundred", *MAGNITUDES], key=len, reverse=True))
_WORD_NUMBER = rf"(?:{_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD}))*"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ORD = r"(?:" + "|".join(ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th))"
_ABOUT = r"(?:(?:a|an|about|around|roughly|nearly|almost|some|just(?:\s+(?:over|under))?)\s+)*"  # "sixth with about 2%"
_PREFIX = (r"(?P<prefix>(?:(?:US|HK|A|S|C|NT|R)?\$|(?:CN|JP|RMB)?¥|€|£|₹|₩)\s?"
           r"|(?:USD|RMB|CNY|EUR|GBP|HKD|JPY|INR|SGD|AUD|CAD|KRW|SAR|AED|MYR|TWD|IDR|CHF|BRL|NOK|SEK|DKK|PLN|ZAR|NZD|MXN|THB"
           r"|Rs\.?|RM)\s?)?")
NUMBER = re.compile(
    rf"(?<![\w.,$€£¥]){_PREFIX}(?:"
    rf"(?P<tens>(?:tens|hundreds)\s+of\s+(?P<tens_of>thousands|millions|billions|trillions))"
    rf"|(?<!\band\s)(?<!\bin\s)(?<!\bper\s)(?<!\bevery\s)(?P<fraction>(?:one|a|two|three|four)[\s-]"
    rf"(?:half|thirds?|quarters?|fifths?|sixth|tenths?))(?=\s+of\b|\s*[.,;)]|\s+(?:share|stake|and|while)\b)"
    rf"|(?<=\bby\s)(?P<fraction_by>(?:(?:about|around|roughly|nearly|almost|some)\s+)?(?:one|a|two|three|four)[\s-]"
    rf"(?:half|thirds?|quarters?|fifths?|tenths?))\b"
    rf"|(?P<one_in>(?:one|two|three|four|\d)\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<of_every>{_WORD}|\d{{1,2}}))\b"
    rf"|(?<![\w-])(?<!first\s)(?<!second\s)(?<!first-)(?<!second-)(?P<half_of>half)(?=\s+(?:of|the|its|their|all)\b)"
    rf"|(?P<a_scale>(?P<half>half\s+)?an?\s+(?P<a_word>dozen|hundred|thousand|million|billion|trillion))\b"
    rf"|(?P<times>\b(?:doubled|tripled|trebled|quadrupled)\b)"
    rf"|(?P<glued>\b(?:{_WORD})fold)\b"
    rf"|(?P<digits>{_DIGITS})"
    rf"|(?P<words>\b{_WORD_NUMBER}\b))"
    rf"(?P<scale>\s*(?:thousand|million|billion|trillion|lakh\s+crore|lakh|crore)\b|(?:bn|bln|mn|mln|tn|trn|tln|k|m|b)\b|\s(?:bn|bln|mn|mln|tn|tln)\b)?"
    rf"(?P<suffix>\s(?P<country>{'|'.join(re.escape(c) for c in sorted(NAMED_CURRENCIES, key=len, reverse=True))})\s+"
    rf"(?:dollars|francs|riyals|rupees|reais|won|yen|yuan|pesos|dirhams)\b"
    rf"|\s?(?:yuan|renminbi|dollars|euros|pounds|yen|rupees|won|riyals?|dirhams?|ringgit|rupiah|francs|reais)\b"
    rf"|\s(?:USD|RMB|CNY|EUR)\b)?"
    rf"(?P<unit>%|\s?per\s?cent\b|\s?percent\b|\s?pct\b|(?-i:\s?pc)\b|\s?percentage[\s-]points?\b|\s?pp\b|\s?points\b"
    rf"|[\s-]?fold\b|x\b|\s?(?:seconds?|secs?)\b|s\b|\s?(?:ms|milliseconds?)\b|\s?years?\b|-year(?=\s+(?:lead|head\s+start|advantage|gap)\b))?"
    rf"(?P<plus>\+)?",
    re.IGNORECASE)
RANK = re.compile(
    rf"\b(?:rank(?:s|ed|ing)?|placed|placing|finished|came|comes|sits?|sat|stood|stands)\s+(?:in\s+|at\s+)?"
    rf"(?:the\s+)?(?:No\.\s*(?P<no>\d+)|(?P<ord1>{_ORD})\b)"
    rf"|\b(?:the\s+)?(?P<ord2>{_ORD})\s+(?:place|spot|position)\b"
    rf"|\b(?:is|was|remains|remained|stays|stayed|came|comes|finished|is\s+now|was\s+now)\s+(?:(?:a|the|fairly|distant|"
    rf"close|clear|comfortable|strong|solid|narrow|very|still)\s+){{0,3}}(?P<ord5>{_ORD})"
    rf"(?=\s*[.,;:)]|\s+(?:with|at|on)\s+{_ABOUT}\d|$)"
    rf"|\b(?P<ord3>{_ORD})[\s-](?:largest|biggest|ranked|placed)\b"
    rf"|\bNo\.\s?(?P<no2>\d{{1,2}})\b(?=\s+(?:provider|player|vendor|spot|position|cloud))"
    rf"|\b(?P<second_only>second)\s+only\s+to\b"
    rf"|\b(?:remains?|remained|is|was|became|becomes|stays?|stayed)\s+(?:the\s+)?No\.?\s?(?P<no3>\d{{1,2}})\b"
    rf"|\b(?P<ord6>{_ORD})(?=\s+behind\b|\s+(?:with|on|at)\s+{_ABOUT}\d)"
    rf"|\((?P<ord4>{_ORD})\)"
    rf"|(?m:^)(?:\d{{1,2}}[.)]\s+)?[*_]*(?P<ord7>{_ORD})[*_]*\.(?=[*_]*\s)"  # "1. **Fourth.** Where it ranks"
    rf"|\bthe\s+(?P<largest>largest|biggest)(?=\s+(?:(?:public\s+)?cloud\s+)?(?:provider|player|vendor|supplier|"
    rf"company|hyperscaler|operator)s?\b)", re.IGNORECASE)
PER_SECOND = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:per\s+second|a\s+second|/s\b|IOPS|TPS|QPS)", re.IGNORECASE)


@dataclass(frozen=True)
class NumberMention:
    """A number in the text: its span, value in units (magnitude applied) and what kind of figure it is:
    pct, pp (percentage points), currency, x, seconds, years, per_second, count, rank, year (a calendar
    year), code (part of a name such as 5G), or other_unit."""

    start: int
    end: int
    value: Decimal
    kind: str
    currency: str | None = None
    magnitude: str | None = None   # as written: "billion" for "$1.2 trillion"'s... the stated magnitude
    at_least: bool = False         # "6,000+", "tens of millions"
    approx: bool = False           # fractions and N-fold multiples are rounded figures


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[NumberMention]:
    """Every number and rank in text[start:end], in order."""
    end = len(text) if end is None else end
    yen = "JPY" if len(YEN_AS_JPY.findall(text)) > len(YEN_AS_CNY.findall(text)) else "CNY"
    found = [_mention(text, m, yen) for m in NUMBER.finditer(text, start, end)]
    found = [m for m in found if m is not None]
    for match in RANK.finditer(text, start, end):
        if _ranks_a_provider(text, match):
            found.append(_rank(match))
    found = _drop_overlapping(found)
    return sorted(found, key=lambda m: m.start)


def _drop_overlapping(found: list[NumberMention]) -> list[NumberMention]:
    kept: list[NumberMention] = []
    taken = bytearray(max((m.end for m in found), default=0))
    for mention in sorted(found, key=lambda m: (m.kind != "rank", m.start)):
        if not any(taken[mention.start:mention.end]):
            kept.append(mention)
            taken[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)
    return kept


def _ranks_a_provider(text: str, match: re.Match) -> bool:
    """Whether an ordinal 'Nth-largest' ranks a provider: not when a noun of another kind follows ('the world's
    fourth-largest economy')."""
    if not match.group("ord3"):
        return True
    following = re.match(r"\s+([a-z][\w-]*)", text[match.end():match.end() + 30])
    return following is None or following.group(1).rstrip("s") in RANKED_NOUNS or following.group(1) in RANKED_NOUNS


def _rank(match: re.Match) -> NumberMention:
    word = next(g for g in (match.group("no"), match.group("ord1"), match.group("ord2"), match.group("ord3"),
                            match.group("no2"), match.group("second_only"), match.group("ord4"),
                            match.group("ord5"), match.group("ord6"), match.group("largest"),
                            match.group("ord7"), match.group("no3")) if g)
    value = 1 if match.group("largest") else ORDINALS.get(word.lower()) or int(re.sub(r"\D", "", word))
    start = match.start("ord7") if match.group("ord7") else match.start()  # a headline rank: not its list mark
    return NumberMention(start, match.end(), Decimal(value), "rank")


def _mention(text: str, match: re.Match, yen: str = "CNY") -> NumberMention | None:
    groups = match.groupdict()
    if not any(groups[g] for g in ("tens", "fraction", "fraction_by", "one_in", "half_of", "a_scale", "times",
                                   "glued", "digits", "words")):
        return None
    currency = _currency(groups["prefix"]) or (NAMED_CURRENCIES[groups["country"].lower()] if groups["country"]
                                               else _currency(groups["suffix"]))
    if currency == "CNY" and "¥" in (groups["prefix"] or "") and not re.match(r"(?:CN|RMB)", groups["prefix"]):
        currency = yen  # '¥' is the yen in an article about Japan
    unit = (groups["unit"] or "").strip().lower().lstrip("-")
    scale = (groups["scale"] or "").strip().lower()
    magnitude = SHORT_MAGNITUDES.get(scale, scale) or None
    indian = INDIAN_SCALES.get(re.sub(r"\s+", " ", scale), 0)
    if indian:
        magnitude = None
    if magnitude and len(scale) == 1 and not currency:  # "5m" is money or metres: only money is a figure here
        return None
    at_least, approx = bool(groups["plus"]), False
    if groups["tens"]:
        value, magnitude = Decimal(10 if groups["tens"].lower().startswith("tens") else 100), \
            groups["tens_of"].lower().rstrip("s")
        at_least = True
    elif groups["fraction"] or groups["fraction_by"]:  # "one-fifth of the market", "grew by a fifth"
        value, approx, unit = _fraction(groups["fraction"] or groups["fraction_by"]), True, "%"
    elif groups["one_in"] or groups["half_of"]:  # "one in five dollars", "half of the market": a share
        value, approx, unit, currency, magnitude = _ratio(groups["one_in"] or "one in two"), True, "%", None, None
    elif groups["a_scale"]:
        word = groups["a_word"].lower()
        value = Decimal(12) if word == "dozen" else Decimal(1)
        magnitude = magnitude or (word if word in MAGNITUDES else None)
        if word == "hundred":
            value = Decimal(100)
        if groups["half"]:  # "half a trillion dollars"
            value /= 2
    elif groups["glued"]:  # "a tenfold rise"
        value, unit = _words_value(groups["glued"][:-4])[0], "fold"
    elif groups["times"]:  # "revenue doubled"
        value, unit = Decimal(TIMES_VERBS[groups["times"].lower()]), "fold"
    elif groups["digits"]:
        value = Decimal(groups["digits"].replace(",", ""))
    else:
        value, word_magnitude = _words_value(groups["words"])
        if value is None:
            return None
        if word_magnitude and not magnitude:
            magnitude = word_magnitude
    if groups["words"] and groups["words"][0].isupper() and not _sentence_start(text, match.start()):
        return None  # "the Big Three": a name, not a number
    number_end = match.end("plus") if groups["plus"] else match.end()
    after = text[number_end:number_end + 1]
    kind = _kind(unit, currency, magnitude)
    if groups["digits"] and _is_code(text, match, after):
        kind = "code"
    elif kind == "count" and groups["digits"] and not magnitude and re.fullmatch(r"(?:19|20)\d\d", groups["digits"]):
        kind = "year"
    elif kind == "count" and PER_SECOND.match(text[number_end:number_end + 60]):
        kind = "per_second"
    if (unit in ("fold", "x") or unit.endswith("fold")) and not groups["times"]:
        approx = True
    value *= Decimal(10) ** indian
    return NumberMention(match.start(), number_end, value * (Decimal(10) ** MAGNITUDES.get(magnitude or "", 0)),
                         kind, currency, magnitude, at_least, approx)


def _sentence_start(text: str, offset: int) -> bool:
    return not text[:offset].strip() or text[:offset].rstrip()[-1] in ".!?:\n-•*\"“"


def _kind(unit: str, currency: str | None, magnitude: str | None) -> str:
    if currency:
        return "currency"
    if unit in ("%", "per cent", "percent", "pct", "pc") or unit.replace(" ", "") == "percent":
        return "pct"
    if unit.startswith(("percentage", "pp", "points")):
        return "pp"
    if unit.endswith("fold") or unit == "x":
        return "x"
    if unit.startswith(("sec", "s")) and unit != "s" or unit == "s":
        return "seconds"
    if unit.startswith(("ms", "milli")):
        return "other_unit"
    if unit.startswith("year"):
        return "years"
    return "count"


def _is_code(text: str, match: re.Match, after: str) -> bool:
    """Digits that are part of a name or code: '5G', 'A100', '4+N+31+X', 'Qwen3'."""
    before = text[match.start() - 1:match.start()] if match.start() else ""
    if after.isalpha() or (before.isalpha() and not match.group("prefix")):
        return True
    around = text[max(match.start() - 2, 0):match.start()] + "|" + text[match.end():match.end() + 2]
    return bool(re.search(r"[A-Za-z]\+\||\|\+[A-Za-z]", around))


def _currency(sign: str | None) -> str | None:
    return CURRENCY_SIGNS.get(sign.strip().lower()) if sign else None


def _fraction(text: str) -> Decimal:
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w not in ("about", "around", "roughly", "nearly",
                                                                     "almost", "some")]
    count, part = words[0], words[-1]
    share = FRACTIONS[part]
    if part.endswith("s"):  # "two-thirds", "three-quarters", "two-fifths"
        times = UNITS.get(count, 1)
        share = {"thirds": Decimal("33.3"), "quarters": Decimal(25), "fifths": Decimal(20),
                 "tenths": Decimal(10)}[part] * times
        share = Decimal("66.7") if part == "thirds" and times == 2 else share
    return share


def _ratio(text: str) -> Decimal:
    """'one in five' -> 20 (per cent)."""
    part, whole = re.split(r"\s+(?:in|out\s+of)\s+(?:every\s+)?", text.lower())
    part_value, whole_value = (Decimal(w) if w.isdigit() else _words_value(w)[0] for w in (part, whole))
    return (100 * part_value / whole_value).quantize(Decimal("0.1")).normalize()


def _words_value(text: str) -> tuple[Decimal | None, str | None]:
    """'forty-two' -> 42; 'one million' -> (1, million) kept as value 1 and magnitude million; 'two hundred
    thousand' -> (200, thousand)."""
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w != "and"]
    total, current, magnitude = 0, 0, None
    for word in words:
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in MAGNITUDES:
            if magnitude is None and word == words[-1]:
                magnitude = word
            else:
                total += (current or 1) * 10 ** MAGNITUDES[word]
                current = 0
    if not current and not total and "zero" not in words:
        return None, None
    return Decimal(total + current), magnitude


def as_written(value: Decimal, magnitude: str | None = None) -> tuple[str, str]:
    """(value, magnitude) for a source file row: the stated magnitude where there was one, else the largest
    that keeps the value at 1 or more (800,000 -> 800 thousand)."""
    if magnitude is None:
        magnitude = next((name for name, power in sorted(MAGNITUDES.items(), key=lambda i: -i[1])
                          if value >= Decimal(10) ** power), None)
    scaled = value / (Decimal(10) ** MAGNITUDES[magnitude]) if magnitude else value
    text = format(scaled.normalize(), "f")
    return (text.rstrip("0").rstrip(".") if "." in text else text), magnitude or ""
