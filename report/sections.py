"""What the report shows, chart by chart, built from the rows of report/sql/."""

from __future__ import annotations

from datetime import datetime
from itertools import groupby

from report.charts import NEUTRAL_COLOUR, OTHERS_COLOUR, Bar, Chart, Line, Point, bar_chart, line_chart, \
    percent_ticks, stacked_chart
from report.formatting import COMPLEMENT_QUALIFIERS, amount, currency_label, money, number, percent

OTHERS = "Others (not attributed)"
EVERYONE_ELSE = "Everyone else"
CHARTED_FINANCIALS = ("revenue", "revenue_growth_yoy")
UNITS_SHOWN_BY_AMOUNT = ("pct", "x", "count")  # amount() writes these (and currencies) itself
# How a point of a trend shows the way its figure is stated: a dot when exact, a diamond when about, a
# triangle pointing up for at least, down for at most.
QUALIFIER_MARKERS = {"exact": "o", "approx": "D", "at_least": "^", "at_most": "v"}
TREND_COLOURS = ("#4c6a92", "#c0504d", "#9bbb59", "#8064a2", "#4bacc6", "#f79646")


def period_name(label: str) -> str:
    """A period as the page names it."""
    return "period not stated" if label == "unspecified" else label


def share_charts(rows: list[dict], colours: dict[str, str]) -> list[Chart]:
    """Per market and period: each provider's share, then the unattributed rest of the market."""
    charts = []
    for (market, period), shares in groupby(rows, key=lambda r: (r["market_name"], r["period_label"])):
        shares = list(shares)
        bars = [Bar(s["provider_name"], s["share_pct"], colours[s["provider_name"]], _share_text(s),
                    s["figure_key"]) for s in shares]
        rest = 100.0 - sum(s["share_pct"] for s in shares)
        if rest > 0:
            bars.append(Bar(OTHERS, rest, OTHERS_COLOUR, percent(rest, _remainder_qualifier(shares)), hatch="//"))
        charts.append(bar_chart(f"{market}, {period_name(period)}", bars, "share of the market",
                                percent_ticks, last_tick=100))
    return charts


def group_charts(rows: list[dict], colours: dict[str, str]) -> list[Chart]:
    """Per provider group and market: the group's share in each period beside everyone else's."""
    charts = []
    for (group, market), shares in groupby(rows, key=lambda r: (r["provider_group_name"], r["market_name"])):
        stacked = []
        for share in shares:
            rest = 100.0 - share["group_pct"]
            stacked.append((period_name(share["period_label"]), [
                Bar(group, share["group_pct"], colours[group], percent(share["group_pct"], share["qualifier"]),
                    share["figure_key"]),
                Bar(EVERYONE_ELSE, rest, OTHERS_COLOUR, percent(rest, COMPLEMENT_QUALIFIERS[share["qualifier"]]),
                    hatch="//")]))
        charts.append(stacked_chart(f"{group} vs. {EVERYONE_ELSE.lower()}: {market}", stacked,
                                    "share of the market", percent_ticks))
    return charts


def financial_charts(rows: list[dict], colours: dict[str, str]) -> list[Chart]:
    """Revenue per provider and period (one chart per currency), then revenue growth."""
    revenue = sorted((r for r in rows if r["metric"] == "revenue"), key=lambda r: r["currency"])
    charts = [bar_chart(f"Revenue in {currency_label(currency)}", _financial_bars(list(figures), colours),
                        f"revenue, {currency_label(currency)} bn", _billions)
              for currency, figures in groupby(revenue, key=lambda r: r["currency"])]
    growth = [r for r in rows if r["metric"] == "revenue_growth_yoy"]
    if growth:
        charts.append(bar_chart("Revenue growth, year on year", _financial_bars(growth, colours),
                                "growth over the same period a year before", percent_ticks))
    return charts


def market_spend_chart(rows: list[dict]) -> list[Chart]:
    """Spending per market and period, one chart per currency."""
    ordered = sorted(rows, key=lambda r: r["currency"])
    return [bar_chart(f"Market spend in {currency_label(currency)}",
                      [Bar(f"{r['market_name']}, {period_name(r['period_label'])}", r["value"], NEUTRAL_COLOUR,
                           money(r["value"], currency, r["qualifier"]), r["figure_key"]) for r in figures],
                      f"spend, {currency_label(currency)} bn", _billions)
            for currency, figures in groupby(ordered, key=lambda r: r["currency"])]


def share_trend_charts(rows: list[dict], colours: dict[str, str]) -> list[Chart]:
    """Per market: each provider's and group's share over the periods, one line each; a hollow point where
    the sources stating the share disagree."""
    charts = []
    for market, shares in groupby(rows, key=lambda r: r["market_name"]):
        shares = list(shares)
        lines = [Line(entity, colours[entity], [
                     Point(s["period_label"], s["share_pct"], percent(s["share_pct"], s["qualifier"]), s["figure_key"],
                           QUALIFIER_MARKERS[s["qualifier"]], s["sources_disagree"]) for s in points])
                 for entity, points in groupby(sorted(shares, key=lambda r: r["entity_name"]),
                                               key=lambda r: r["entity_name"])]
        charts.append(line_chart(f"Shares over time: {market}", _periods_in_order(shares), lines,
                                 "share of the market", percent_ticks))
    return charts


def spend_trend_charts(rows: list[dict]) -> list[Chart]:
    """Per currency: each market's spend over the periods, one line each."""
    charts = []
    for currency, spends in groupby(rows, key=lambda r: r["currency"]):
        spends = list(spends)
        lines = [Line(market, TREND_COLOURS[index % len(TREND_COLOURS)], [
                     Point(s["period_label"], s["value"], money(s["value"], currency, s["qualifier"]), s["figure_key"],
                           QUALIFIER_MARKERS[s["qualifier"]]) for s in points])
                 for index, (market, points) in enumerate(groupby(spends, key=lambda r: r["market_name"]))]
        charts.append(line_chart(f"Market spend over time in {currency_label(currency)}", _periods_in_order(spends),
                                 lines, f"spend, {currency_label(currency)} bn", _billions))
    return charts


def _periods_in_order(rows: list[dict]) -> list[str]:
    """The periods of `rows` by start, then label."""
    return [label for _, label in sorted({(r["period_start"], r["period_label"]) for r in rows})]


def other_financials(rows: list[dict]) -> list[dict]:
    """The financial figures no chart shows (commitments, multiples), formatted for a table."""
    return [{"provider": r["provider_name"], "metric": r["metric"].replace("_", " "),
             "period": period_name(r["period_label"]),
             "value": amount(r["value"], r["unit"], r["currency"], r["qualifier"]), "figure_key": r["figure_key"]}
            for r in rows if r["metric"] not in CHARTED_FINANCIALS]


def data_quality(checks: list[dict], refresh: list[dict], newest_source: list[dict], now: datetime) -> dict:
    """The data-quality panel: checks run, passed, warnings, failures; last refresh and data age."""
    warnings = [c for c in checks if not c["passed"] and c["severity"] == "warning"]
    last = refresh[0]["finished_at"] if refresh else None
    return {"checks_run": len(checks), "checks_passed": sum(c["passed"] for c in checks),
            "warnings": len(warnings), "failed": sum(not c["passed"] for c in checks) - len(warnings),
            "rules_run": sum(c["rules"] for c in checks), "rules_passed": sum(c["rules_passed"] for c in checks),
            "last_refresh": f"{last:%Y-%m-%d %H:%M %Z}" if last else "unknown",
            "refresh_id": refresh[0]["refresh_id"] if refresh else "unknown",
            "data_age": _age(now - last) if last else "unknown",
            "sources": newest_source[0]["sources"],
            "newest_source": str(newest_source[0]["newest_published"] or "unknown"),
            "checks": checks}


def what_changed(counts: list[dict], changes: list[dict]) -> dict:
    """The "What changed" section: how many figures the last publish added, changed and removed against
    the warehouse before it, and its first changes with the values before and after."""
    total = counts[0]
    return {"added": total["added"], "changed": total["changed"], "removed": total["removed"],
            "count": total["added"] + total["changed"] + total["removed"],
            "previous_refresh_id": total["previous_refresh_id"],
            "rows": [{"change": c["change"], "figure": figure_name(c), "source": c["source_id"],
                      "before": stated_value(c["old_value"], c["old_qualifier"], c["old_unit"]),
                      "after": stated_value(c["new_value"], c["new_qualifier"], c["new_unit"])} for c in changes]}


def figure_name(figure: dict) -> str:
    """A figure as people read it: `Alibaba Cloud: market share, Global cloud, 2025-Q2`."""
    market = f", {figure['market_name']}" if figure["market_name"] and figure["entity_name"] else ""
    return (f"{figure['entity_name'] or figure['market_name']}: {figure['metric'].replace('_', ' ')}{market}, "
            f"{period_name(figure['period_label'])}")


def stated_value(value: float | None, qualifier: str | None, unit: str | None) -> str:
    """A value with its qualifier and unit (a currency code as money); empty for none."""
    if value is None:
        return ""
    currency = unit if unit and len(unit) == 3 and unit.isupper() else None
    text = amount(value, unit, currency, qualifier)
    return text if currency or unit in UNITS_SHOWN_BY_AMOUNT else f"{text} {(unit or '').replace('_', ' ')}".strip()


def _share_text(share: dict) -> str:
    rank = f" (no. {share['rank']})" if share["rank"] is not None else ""
    return percent(share["share_pct"], share["qualifier"]) + rank


def _remainder_qualifier(shares: list[dict]) -> str:
    """How exact the rest of the market is: exact only if every share is; bounded the other way when the
    shares are lower bounds (or upper bounds); approximate otherwise."""
    stated = {s["qualifier"] for s in shares} - {"exact"}
    return COMPLEMENT_QUALIFIERS[stated.pop()] if len(stated) == 1 else ("exact" if not stated else "approx")


def _financial_bars(rows: list[dict], colours: dict[str, str]) -> list[Bar]:
    return [Bar(f"{r['provider_name']}, {period_name(r['period_label'])}", r["value"], colours[r["provider_name"]],
                amount(r["value"], r["unit"], r["currency"], r["qualifier"]), r["figure_key"]) for r in rows]


def _billions(value: float, _position) -> str:
    return number(value / 1e9)


def _age(delta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes // (24 * 60)} days"
