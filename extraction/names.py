"""Names in the text that the reference data knows: providers and groups (by name, parent company or
alias), markets and metrics (by name or alias). Aliases live in `sources/reference/aliases.csv`."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

ENTITY, MARKET, METRIC = "entity", "market", "metric"
MARKET_PHRASE = re.compile(r"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir)\s+(?P<name>[A-Z][\w'-]*(?:\s+[A-Za-z][\w'-]*){0,4}?)\s+markets?\b"
                           r"|\b(?P<owner>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?:'s|’s)(?:\s+[A-Za-z][\w-]*){1,4}?)\s+markets?\b")
# "the Japanese public cloud market", "Norway's public cloud market"


@dataclass(frozen=True)
class NameMention:
    """A known name in the text: its span, what kind of name it is, and the reference name it stands for."""

    start: int
    end: int
    kind: str
    name: str


@dataclass
class Reference:
    """The reference data a draft is checked against, and the aliases its names are found by."""

    providers: dict[str, str] = field(default_factory=dict)             # provider -> parent company
    groups: dict[str, frozenset[str]] = field(default_factory=dict)     # group -> member providers
    markets: dict[str, str] = field(default_factory=dict)               # market -> region
    metrics: dict[str, tuple[str, str]] = field(default_factory=dict)   # metric -> (unit, fact table)
    aliases: list[tuple[str, str, str]] = field(default_factory=list)   # (kind, name, alias)

    def spellings(self) -> dict[str, dict[str, str]]:
        """{kind: {spelling: reference name}}: names, parent companies (of one provider only) and aliases;
        market and metric spellings in lower case (they are matched without case)."""
        spellings: dict[str, dict[str, str]] = {ENTITY: {}, MARKET: {}, METRIC: {}}
        for name in [*self.providers, *self.groups]:
            spellings[ENTITY][name] = name
        parents = [parent for parent in self.providers.values() if parent]
        for provider, parent in self.providers.items():
            if parent and parents.count(parent) == 1:
                spellings[ENTITY].setdefault(parent, provider)
        for name in self.markets:
            spellings[MARKET][name.lower()] = name
        for name in self.metrics:
            spellings[METRIC][name.replace("_", " ")] = name
        for kind, name, alias in self.aliases:
            if kind in spellings:
                spellings[kind][alias if kind == ENTITY else alias.lower()] = name
        return spellings

    def find(self, text: str) -> list[NameMention]:
        """Every known entity, market and metric name in `text`, in order: for entities and markets the
        longest spelling where spellings overlap; metric phrases may overlap ('cloud market', 'market')."""
        found: list[NameMention] = []
        lowered = text.lower()
        for kind, names in self.spellings().items():
            matches = [m for spelling, name in names.items()
                       for m in _occurrences(text if kind == ENTITY else lowered, spelling, kind, name)]
            if kind != METRIC:
                kept: list[NameMention] = []
                for match in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
                    if not any(k.start < match.end and match.start < k.end for k in kept):
                        kept.append(match)
                matches = kept
            found += matches
        return sorted(found, key=lambda m: (m.start, m.kind))

    def group_of(self, providers: set[str]) -> str | None:
        """The group whose members are exactly `providers`."""
        return next((g for g, members in self.groups.items() if members == providers), None)


def market_phrases(text: str, known: list[NameMention]) -> list[NameMention]:
    """Markets the reference data lacks, named as 'the <Region ...> market' ('the Japanese public cloud services
    market', also around a known one: 'the Nordic cloud infrastructure market'): mentions of a market to add,
    named by the words before 'market'; 'the Nordic market' after them is the one named in full before."""
    found: list[NameMention] = []
    for match in MARKET_PHRASE.finditer(text):
        group = "name" if match.group("name") else "owner"
        start, name = match.start(group), match.group(group)
        if any(k.start <= start < k.end for k in known) or (group == "owner" and any(
                k.start < match.end() and start < k.end for k in known)):  # a known name: "the IaaS market"
            continue
        if " " not in name:
            name = next((f.name for f in reversed(found) if f.name[:4].lower() == name[:4].lower()), name)
        found.append(NameMention(start, match.end(), MARKET, name))
    return found


def _occurrences(text: str, spelling: str, kind: str, name: str) -> list[NameMention]:
    """Where `spelling` stands in `text` as a whole word or phrase ('AWS' not inside 'AWSome'), a plural
    ending allowed; an entity also where a ticker is glued to it ('AlibabaBABA')."""
    found, at = [], text.find(spelling)
    while at >= 0:
        end = at + len(spelling)
        if end < len(text) and text[end] == "s" or text[end:end + 2] == "es":
            end += 1 if text[end] == "s" else 2
        before = text[at - 1] if at else " "
        if kind == METRIC and before == "-":  # "start-ups" holds no "up"
            before = "x"
        after = text[end] if end < len(text) else " "
        starts_word = not (spelling[0].isalnum() and before.isalnum())
        ends_word = not spelling[-1].isalnum() or not (after.isdigit() or after.islower()
                                                        or (kind != ENTITY and after.isalpha()))
        if starts_word and ends_word and not (kind == METRIC and re.match(r"up\s+to\b", text[at:at + 8])):
            found.append(NameMention(at, end, kind, name))  # "up to 72%" bounds a number, it is no growth
        at = text.find(spelling, at + 1)
    return found


def load_reference(folder: Path) -> Reference:
    """The reference tables of a sources folder's `reference/` (aliases.csv optional)."""
    reference = Reference()
    for row in _rows(folder / "providers.csv"):
        reference.providers[row["provider"].strip()] = (row.get("parent_company") or "").strip()
    members: dict[str, set[str]] = {}
    for row in _rows(folder / "provider_group_members.csv"):
        members.setdefault(row["provider_group"].strip(), set()).add(row["provider"].strip())
    for row in _rows(folder / "provider_groups.csv"):
        name = row["provider_group"].strip()
        reference.groups[name] = frozenset(members.get(name, ()))
    for row in _rows(folder / "markets.csv"):
        reference.markets[row["market"].strip()] = (row.get("region") or "").strip()
    for row in _rows(folder / "metrics.csv"):
        reference.metrics[row["metric"].strip()] = (row["unit"].strip(), row["fact_table"].strip())
    if (folder / "aliases.csv").exists():
        reference.aliases = [(row["kind"].strip(), row["name"].strip(), row["alias"].strip())
                             for row in _rows(folder / "aliases.csv") if (row.get("alias") or "").strip()]
    return reference


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return [row for row in csv.DictReader(stream) if any((v or "").strip() for v in row.values())]
