"""Building the report from the published warehouse and writing it in one atomic step."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from cloudmart.settings import Settings
from report.charts import Chart, palette
from report.page import Section, render_page
from report.queries import LIMITS, read_report_data
from report.sections import data_quality, financial_charts, group_charts, market_spend_chart, other_financials, \
    share_charts

@dataclass(frozen=True)
class BuiltReport:
    """Where the report was written, its charts and its data-quality summary."""

    path: Path
    charts: list[Chart]
    quality: dict


def build_report(settings: Settings, now: datetime | None = None) -> BuiltReport:
    """Read the published warehouse, draw every chart and replace `settings.report_path` with the new page.

    Raises cloudmart.analyst.NoWarehouse when nothing has been published yet.
    """
    now = now or datetime.now(timezone.utc)
    data = read_report_data(settings)
    colours = palette(data["palette_order"])
    sections = [
        Section("market-shares", "Market shares",
                "Each provider's share of a market in a period as its source states it (≈ about, ≥ at least), "
                "then the rest of the market no source attributes.",
                share_charts(data["provider_shares"], colours)),
        Section("big-three", "The Big Three vs. everyone else",
                "A provider group's stated share in each period beside the rest of the market.",
                group_charts(data["group_shares"], colours)),
        Section("financials", "Revenue and growth per provider",
                "Revenue in the currency the source states it in, and year-on-year growth.",
                financial_charts(data["provider_financials"], colours)),
        Section("market-spend", "Market spend", "Total spending in a market in a period.",
                market_spend_chart(data["market_size"])),
    ]
    quality = data_quality(data["check_summary"], data["last_refresh"], data["newest_source"], now)
    html = render_page(built_at=f"{now:%Y-%m-%d %H:%M %Z}", limits=LIMITS, quality=quality, sections=sections,
                       other_financials=other_financials(data["provider_financials"]),
                       figures=data["cited_figures"])
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
