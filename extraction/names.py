"""Names in the text that the reference data knows: providers and groups (by name, parent company or
alias), markets and metrics (by name or alias). Aliases live in `sources/reference/aliases.csv`."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

ENTITY, MARKET, METRIC = "entity", "market", "metric"


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

    def patterns(self) -> dict[str, re.Pattern]:
        """One regular expression per kind of name, longest alias first; entity names are matched with their
        case, market and metric phrases without."""
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
        self._names = spellings
        patterns = {kind: "|".join(_alias_pattern(a) for a in sorted(names, key=len, reverse=True))
                    for kind, names in spellings.items() if names}
        patterns[METRIC] = f"(?=({patterns[METRIC]}))"  # metric phrases may overlap: 'cloud market', 'market'
        return {kind: re.compile(pattern, 0 if kind == ENTITY else re.IGNORECASE) for kind, pattern in patterns.items()}

    def find(self, text: str) -> list[NameMention]:
        """Every known entity, market and metric name in `text`, in order (for each kind, the longest alias)."""
        found = []
        for kind, pattern in self.patterns().items():
            names = self._names[kind]
            for match in pattern.finditer(text):
                phrase = match.group(1) if kind == METRIC else match.group()
                key = phrase if kind == ENTITY else phrase.lower()
                name = names.get(key) or names.get(key[:-1]) or names.get(key[:-2])  # plural endings
                if name:
                    found.append(NameMention(match.start(), match.start() + len(phrase), kind, name))
        return sorted(found, key=lambda m: m.start)

    def group_of(self, providers: set[str]) -> str | None:
        """The group whose members are exactly `providers`."""
        return next((g for g, members in self.groups.items() if members == providers), None)


def _alias_pattern(alias: str) -> str:
    """An alias as a whole word or phrase ('AWS' not inside 'AWSome'; 'Alibaba' also in 'AlibabaBABA', where a
    ticker is glued to a name), with a plural ending allowed."""
    start = r"(?<!\w)" if alias[0].isalnum() else ""
    end = r"(?:es|s)?(?![a-z0-9])" if alias[-1].isalnum() else ""
    return start + re.escape(alias) + end


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
