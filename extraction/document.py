"""Reading an article (.txt, .md, .html or stdin) into its body text and the front matter it gives:
title, outlet, author, published date and URL; `unknown` for what it does not give."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from extraction.markup import html_to_text, markdown_to_text

UNKNOWN = "unknown"
MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE_PATTERNS = (
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mm>\d\d)-(?P<dd>\d\d)(?!\d)"),
    re.compile(_MONTH + r"\s+(?P<dd>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(r"\b(?P<dd>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(r"\b(?P<mm>\d{1,2})/(?P<dd>\d{1,2})[/ ](?P<year>(?:19|20)\d\d)\b"),
)
FIELD_LINE = re.compile(r"^(?P<key>title|headline|author|by|byline|writer|published|date|outlet|publisher|"
                        r"source|publication|url|link)\s*:\s*(?P<value>.+)$", re.IGNORECASE)
FIELD_NAMES = {"headline": "title", "by": "author", "byline": "author", "writer": "author", "date": "published",
               "publisher": "outlet", "source": "outlet", "publication": "outlet", "link": "url"}
BY_LINE = re.compile(r"^[Bb]y\s+(?P<author>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})(?:\s*[,|·-]\s*(?P<rest>.*))?$")
DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,\s+(?P<date>.{6,30}?)\s+[—–-]")  # "LONDON, May 6, 2025 — ..."
DATELINE_CHARS = 100
ROLE_LINE_CHARS = 80  # a by-line naming the writer's role is short and no sentence
HEAD_LINES = 6  # front matter lines are looked for among the first lines only


@dataclass(frozen=True)
class Document:
    """An article: its body text (what figures are read from) and its front matter."""

    body: str
    title: str = UNKNOWN
    outlet: str = UNKNOWN
    author: str = UNKNOWN
    published: str = UNKNOWN   # YYYY-MM-DD or unknown
    url: str = UNKNOWN

    @property
    def year(self) -> int | None:
        """Year of publication, when known."""
        return int(self.published[:4]) if self.published != UNKNOWN else None


def read_document(path: Path | None, text: str | None = None) -> Document:
    """The document at `path` (.html/.htm, .md/.markdown, anything else as plain text), or `text` (stdin:
    HTML when it starts like HTML)."""
    raw = path.read_text(encoding="utf-8-sig", errors="replace") if text is None else text
    suffix = path.suffix.lower() if path is not None else ""
    if suffix in (".html", ".htm") or (not suffix and raw.lstrip()[:15].lower().startswith(("<!doctype", "<html"))):
        body, meta = html_to_text(raw)
    elif suffix in (".md", ".markdown"):
        body, meta = markdown_to_text(raw)
    else:
        body, meta = raw.replace("\r\n", "\n").strip(), {}
    return parse_front_matter(body, meta)


def parse_front_matter(body: str, meta: dict[str, str]) -> Document:
    """Take `Title:`/`By`/`Published:`... lines and a dateline off the top of `body`; the markup's `meta` first.
    Without a title line, a first line short enough to be a headline is the title."""
    found = dict(meta)
    lines = body.split("\n")
    kept_from = 0
    for index, line in enumerate(lines[:HEAD_LINES]):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped == found.get("title"):  # the headline again, above the body
            kept_from = index + 1
            continue
        key, value = _head_field(stripped, "title" in found)
        if key is None:
            break
        if key == "author" and (date := parse_date(stripped)):  # "By Ann Lee · October 31, 2025"
            found.setdefault("published", date)
        if key != "skip":
            found.setdefault(key, value)
        kept_from = index + 1
    rest = "\n".join(lines[kept_from:]).strip()
    if "published" not in found and (dateline := DATELINE.match(rest)) and parse_date(dateline.group("date")):
        found["published"] = dateline.group("date")
    published = parse_date(found.get("published", "")) or UNKNOWN
    return Document(body=rest, title=found.get("title", UNKNOWN), outlet=found.get("outlet", UNKNOWN),
                    author=found.get("author", UNKNOWN), published=published, url=found.get("url", UNKNOWN))


def _head_field(line: str, title_known: bool) -> tuple[str | None, str]:
    """(front matter field, value) a line at the top of the text gives; ('skip', '') for a dateline already
    known; (None, '') for body text."""
    if field := FIELD_LINE.match(line):
        key = field.group("key").lower()
        return FIELD_NAMES.get(key, key), field.group("value").strip()
    if by := BY_LINE.match(line):
        rest = by.group("rest") or ""
        role = len(line) <= ROLE_LINE_CHARS and not line.endswith((".", "!", "?"))  # "By Ann Lee, Oslo correspondent"
        return ("author", by.group("author")) if not rest or parse_date(rest) or role else (None, "")
    if parse_date(line) and len(line) <= DATELINE_CHARS and not line.endswith("."):  # a dateline
        return "published", line
    if not title_known and len(line) <= 200 and not line.endswith((".", ":", ";", ",")):
        return "title", line
    return None, ""


def parse_date(text: str) -> str | None:
    """The first calendar date in `text` as YYYY-MM-DD, or None."""
    for pattern in DATE_PATTERNS:
        if match := pattern.search(text):
            parts = match.groupdict()
            month = int(parts["mm"]) if parts.get("mm") else MONTHS[parts["month"].lower()]
            try:
                return date(int(parts["year"]), month, int(parts["dd"])).isoformat()
            except ValueError:
                continue
    return None
