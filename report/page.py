"""Assembling the report page: charts and tables poured into an HTML template that escapes every text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from report.charts import Chart
from report.formatting import QUALIFIER_SIGNS

TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                               autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                               lstrip_blocks=True)


@dataclass(frozen=True)
class Section:
    """A heading, a sentence on how to read it, and its charts."""

    anchor: str
    heading: str
    note: str
    charts: list[Chart] = field(default_factory=list)


def render_page(*, built_at: str, limits: dict, quality: dict, changes: dict, sections: list[Section],
                other_financials: list[dict], figures: list[dict]) -> str:
    """The whole report as one HTML document (charts inline: nothing is fetched when it is viewed)."""
    stated = [{**f, "stated": _as_stated(f)} for f in figures]
    return TEMPLATES.get_template("report.html.j2").render(
        built_at=built_at, limits=limits, quality=quality, changes=changes, sections=sections,
        other_financials=other_financials, figures=stated)


def _as_stated(figure: dict) -> str:
    """The figure as its source states it: qualifier, number, magnitude, unit."""
    parts = [figure["value_as_stated"], figure["magnitude"], "%" if figure["unit"] == "pct" else figure["currency"]]
    return QUALIFIER_SIGNS.get(figure["qualifier"], "") + " ".join(p for p in parts if p)
