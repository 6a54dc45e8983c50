"""A drafted figure: one row of the draft, and the places in the text it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from extraction.periods import UNSPECIFIED


@dataclass
class Figure:
    """One row of the draft, and the places in the text it was read from."""

    entity: str
    metric: str
    market: str
    period: str
    value: str
    magnitude: str
    unit: str
    qualifier: str
    citation: str
    note: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)
    unknown: dict[str, str] = field(default_factory=dict)  # kind -> name not in the reference data
    compared: bool = False  # stated as the base of a comparison ('from 9.6% in H1 2024'): not a analysis

    @property
    def units_value(self) -> Decimal:
        """The value with its magnitude applied."""
        powers = {"": 0, "thousand": 3, "million": 6, "billion": 9, "trillion": 12}
        return Decimal(self.value) * Decimal(10) ** powers[self.magnitude]

    def needs_review(self) -> bool:
        """Whether a person must look at this row before it is loaded: a name the reference data lacks, no
        period, or a note."""
        return bool(self.unknown) or self.period == UNSPECIFIED or bool(self.note)


@dataclass
class Extraction:
    """What a document gave: its figures, in text order, and the citations they use (key -> description)."""

    figures: list[Figure]
    citations: dict[str, str]
