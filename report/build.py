"""Building the report from the published warehouse and writing it in one atomic step."""

from __future__ import annotations

import os
import uuid
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from foundation.settings import Settings
from report.charts import Chart, palette
from report.page import Section, render_page
from report.queries import LIMITS, read_report_data
from report.sections import data_quality, financial_charts, group_charts, market_spend_chart, other_financials, \
    share_charts
from warehouse.published import NoWarehouse

@dataclass(frozen=True)
class BuiltReport:
    """Where the report was written, its charts, its data-quality summary and the refresh it shows."""

    path: Path
    charts: list[Chart]
    quality: dict

    @property
    def refresh_id(self) -> str:
        """The refresh whose published data the report shows."""
        return self.quality["refresh_id"]


class ReportError(Exception):
    """The report could not be drawn or written (what, and why); the page on disk is as it was."""


@contextmanager
def _step(what: str) -> Iterator[None]:
    """Turn any failure of a step of drawing the report into one ReportError saying which step and why:
    a report that cannot be drawn fails the report, never the refresh that published its data."""
    try:
        yield
    except NoWarehouse:
        raise
    except Exception as error:  # matplotlib, Jinja, the file system: the report's own boundary
        reason = (str(error).strip().splitlines() or [""])[0]
        raise ReportError(f"{what}: {type(error).__name__}: {reason}") from error


def build_report(settings: Settings, now: datetime | None = None) -> BuiltReport:
    """Read the published warehouse, draw every chart and replace `settings.report_path` with the new page.

    Raises warehouse.published.NoWarehouse when nothing has been published yet, and ReportError when
    the report could not be drawn or written (the old page is then left as it was).
    """
    now = now or datetime.now(timezone.utc)
    with _step(f"could not read the published warehouse {settings.warehouse_path}"):
        data = read_report_data(settings)
        colours = palette(data["palette_order"])
    drawings = [
        ("market-shares", "Market shares",
         "Each provider's share of a market in a period as its source states it (≈ about, ≥ at least), "
         "then the rest of the market no source attributes.",
         lambda: share_charts(data["provider_shares"], colours)),
        ("big-three", "The Big Three vs. everyone else",
         "A provider group's stated share in each period beside the rest of the market.",
         lambda: group_charts(data["group_shares"], colours)),
        ("financials", "Revenue and growth per provider",
         "Revenue in the currency the source states it in, and year-on-year growth.",
         lambda: financial_charts(data["provider_financials"], colours)),
        ("market-spend", "Market spend", "Total spending in a market in a period.",
         lambda: market_spend_chart(data["market_size"])),
    ]
    sections = []
    for anchor, heading, note, draw in drawings:
        with _step(f"could not draw the section '{heading}'"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # numpy's on a NaN or Inf: the error after says it
            sections.append(Section(anchor, heading, note, draw()))
    with _step("could not lay out the page"):
        quality = data_quality(data["check_summary"], data["last_refresh"], data["newest_source"], now)
        html = render_page(built_at=f"{now:%Y-%m-%d %H:%M %Z}", limits=LIMITS, quality=quality, sections=sections,
                           other_financials=other_financials(data["provider_financials"]),
                           figures=data["cited_figures"])
    with _step(f"could not write {settings.report_path}"):
        write_atomically(settings.report_path, html)
    return BuiltReport(settings.report_path, [c for s in sections for c in s.charts], quality)


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to a new file beside `path`, then rename it over `path`: readers never see half a page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with staging.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)
