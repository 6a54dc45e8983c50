"""Citations: the named reports and research firms a text attributes figures to ("according to Synergy
Research Group", "IDC data show", "China Mobile's latest financial report revealed") and numbered references
("[1]"), each with a key for the rows and a description for the front matter."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = r"[A-Z][\w&-]*(?:\s+(?:&\s+|of\s+|and\s+)?[A-Z][\w&-]*)*"
_TITLE = r"(?:'s)?\s*[\"“](?P<title>[^\"”]{3,120})[\"”]"
PATTERNS = [
    re.compile(r"\b[Aa]ccording\s+to\s+(?:the\s+)?(?:(?:latest|recent|new)\s+)?(?:figures|data|estimates|research)?"
               r"(?:\s+from\s+)?(?P<org>" + _NAME + r")(?:" + _TITLE + r")?"),
    re.compile(r"\b(?:[Dd]ata|[Ff]igures|[Ee]stimates|[Rr]esearch|[Nn]umbers)\s+(?:from|by|compiled\s+by)\s+(?P<org>" + _NAME + r")"
               r"(?:" + _TITLE + r")?"),
    re.compile(r"(?P<org>" + _NAME + r")(?:'s)?\s+(?:data|figures|estimates|research|numbers|analysts|tracker|survey)"
               r"\s+(?:show|shows|showed|indicate|indicates|indicated|suggest|suggests|put|puts|found|find)\b"),
    re.compile(r"(?P<org>" + _NAME + r")'s\s+(?:(?:latest|most\s+recent|recent|annual|quarterly|new)\s+)?"
               r"(?P<report>(?:financial\s+|earnings\s+|annual\s+|market\s+)?(?:report|results|filing|tracker|survey|"
               r"tally|ranking|estimates?|data|figures))"
               r"\s+(?:revealed|reveals|showed|shows|said|says|stated|states|found|puts|put|gives|gave)\b"),
]
REFERENCE_MARK = re.compile(r"\[(\d{1,3})\]")
NOT_SOURCES = {"The", "This", "That", "These", "Data", "Figures", "It", "Its", "In", "On", "A", "An"}


@dataclass(frozen=True)
class Citation:
    """A citation in the text: its span, its key and what it refers to."""

    start: int
    end: int
    key: str
    description: str


def find_citations(text: str) -> list[Citation]:
    """Every citation in `text`, in order."""
    found = [Citation(m.start(), m.end(), m.group(0), f"Reference {m.group(0)} of the article (its reference "
                                                    "list is not part of the text)")
             for m in REFERENCE_MARK.finditer(text)]
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            org = match.group("org").strip()
            if org in NOT_SOURCES or any(c.start < match.end() and match.start() < c.end for c in found):
                continue
            groups = match.groupdict()
            title = groups.get("title")
            report = groups.get("report")
            description = f"{org}, {title}" if title else f"{org} {report}" if report else org
            key = _slug(org) + (f"-{_slug(report)}" if report else "") + (f"-{_slug(title)[:30]}" if title else "")
            found.append(Citation(match.start(), match.end(), key.strip("-"), description))
    return sorted(found, key=lambda c: c.start)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
