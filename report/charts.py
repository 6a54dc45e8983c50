"""The report's charts, drawn with matplotlib: horizontal bars (one number each), stacked bars
(a share beside the rest of the market) and lines over periods (a trend). Each chart renders to inline SVG for the page and to PNG
for Dagster's UI; both are drawn offline, with no JavaScript."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from PIL import Image

from report.formatting import number

# Text stays text in the SVG (searchable, selectable, scaled by the browser); ids are reproducible.
RENDERING = {"svg.fonttype": "none", "svg.hashsalt": "cloudmart", "font.size": 10,
             "font.family": ["DejaVu Sans", "sans-serif"], "axes.spines.top": False, "axes.spines.right": False}
OTHERS_COLOUR = "#c7c7c7"
NEUTRAL_COLOUR = "#4c6a92"
WIDTH_INCHES = 8.0


@dataclass(frozen=True)
class Bar:
    """One bar (or one part of a stacked bar): its label (on the axis, or in the legend), its length,
    colour, the number printed on it and the figure it shows (the footnote its text links to; None
    for a number the report computed)."""

    label: str
    value: float
    colour: str
    text: str
    figure_key: int | None = None
    hatch: str | None = None


@dataclass(frozen=True)
class Point:
    """One point of a line: its period, value, the number printed beside it, the figure it shows, its
    marker (how the figure is stated) and whether it is hollow (the sources stating it disagree)."""

    period: str
    value: float
    text: str
    figure_key: int | None
    marker: str = "o"
    hollow: bool = False


@dataclass(frozen=True)
class Line:
    """A series over periods: its label (in the legend), colour and points."""

    label: str
    colour: str
    points: list[Point]


@dataclass(frozen=True)
class Chart:
    """A titled chart, rendered."""

    title: str
    svg: str
    png: bytes

    @property
    def png_data_uri(self) -> str:
        """The PNG as a data: URI, for markdown."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def palette(entities: list[dict]) -> dict[str, str]:
    """A colour for every provider and group, handed out in reference order, shared by all charts."""
    providers = [e["entity_name"] for e in entities if not e["is_group"]]
    groups = [e["entity_name"] for e in entities if e["is_group"]]
    # 20 distinct provider colours (tab10, then the middle shades of tab20b and tab20c) before any repeats;
    # groups take the darkest shade of each tab20b hue, apart from every provider colour.
    provider_colours = [*matplotlib.colormaps["tab10"].colors, *matplotlib.colormaps["tab20b"].colors[1::4],
                        *matplotlib.colormaps["tab20c"].colors[1::4]]
    group_colours = matplotlib.colormaps["tab20b"].colors[::4]
    colours = {name: provider_colours[i % len(provider_colours)] for i, name in enumerate(providers)}
    colours |= {name: group_colours[i % len(group_colours)] for i, name in enumerate(groups)}
    return {name: matplotlib.colors.to_hex(colour) for name, colour in colours.items()}


def bar_chart(title: str, bars: list[Bar], axis_label: str, tick_format=None, last_tick: float | None = None
              ) -> Chart:
    """Horizontal bars in the order given, each with its number printed at its end; no axis tick past
    `last_tick` (100 for shares, whose axis runs on to make room for the numbers)."""
    with matplotlib.rc_context(RENDERING):
        figure = Figure(figsize=(WIDTH_INCHES, 1.0 + 0.42 * len(bars)), layout="constrained")
        axes = figure.add_subplot()
        positions = range(len(bars))
        drawn = axes.barh(positions, [b.value for b in bars], color=[b.colour for b in bars],
                          hatch=[b.hatch for b in bars], edgecolor="white")
        axes.set_yticks(list(positions), [b.label for b in bars])
        axes.invert_yaxis()
        top = max((b.value for b in bars), default=1.0) or 1.0
        axes.set_xlim(0, top * 1.3)
        for bar, patch in zip(bars, drawn):
            _label(axes, patch.get_width(), patch.get_y() + patch.get_height() / 2, bar.text, bar.figure_key,
                   ha="left", offset=top * 0.01)
        if last_tick is not None:
            axes.set_xticks([tick for tick in axes.get_xticks() if 0 <= tick <= last_tick])
        _finish(axes, title, axis_label, tick_format)
        return _render(figure, title)


def stacked_chart(title: str, rows: list[tuple[str, list[Bar]]], axis_label: str, tick_format=None) -> Chart:
    """Horizontal stacked bars, one per row label, each part's number printed inside it and its label
    in the legend."""
    with matplotlib.rc_context(RENDERING):
        figure = Figure(figsize=(WIDTH_INCHES, 1.2 + 0.55 * len(rows)), layout="constrained")
        axes = figure.add_subplot()
        for position, (_, segments) in enumerate(rows):
            start = 0.0
            for segment in segments:
                axes.barh(position, segment.value, left=start, color=segment.colour, edgecolor="white",
                          hatch=segment.hatch, label=segment.label)
                _label(axes, start + segment.value / 2, position, segment.text, segment.figure_key, ha="center",
                       colour=_readable_on(segment.colour))
                start += segment.value
        axes.set_yticks(list(range(len(rows))), [label for label, _ in rows])
        axes.invert_yaxis()
        axes.set_xlim(0, max((sum(s.value for s in segs) for _, segs in rows), default=100.0))
        handles, labels = axes.get_legend_handles_labels()
        legend = dict(zip(labels, handles))  # one entry per label, not one per bar
        figure.legend(legend.values(), legend.keys(), loc="outside lower center", ncols=len(legend), frameon=False)
        _finish(axes, title, axis_label, tick_format)
        return _render(figure, title)


def line_chart(title: str, periods: list[str], lines: list[Line], axis_label: str, tick_format=None) -> Chart:
    """One line per series across `periods` (in the order given, evenly spaced), each point drawn with its
    marker and its number printed beside it; the series in the legend."""
    with matplotlib.rc_context(RENDERING):
        figure = Figure(figsize=(WIDTH_INCHES, 3.8), layout="constrained")
        axes = figure.add_subplot()
        position = {period: index for index, period in enumerate(periods)}
        for line in lines:
            axes.plot([position[p.period] for p in line.points], [p.value for p in line.points], color=line.colour,
                      linewidth=1.5, label=line.label)
            for point in line.points:
                axes.plot(position[point.period], point.value, marker=point.marker, markersize=7, color=line.colour,
                          markerfacecolor="white" if point.hollow else line.colour, linestyle="none")
                _label(axes, position[point.period], point.value, point.text, point.figure_key, ha="left", offset=0.08)
        axes.set_xticks(range(len(periods)), periods)
        axes.set_xlim(-0.3, len(periods) - 0.4)
        axes.set_ylim(bottom=0)
        axes.set_title(title, loc="left", fontsize=11, fontweight="bold")
        axes.set_ylabel(axis_label)
        if tick_format is not None:
            axes.yaxis.set_major_formatter(FuncFormatter(tick_format))
        figure.legend(loc="outside lower center", ncols=min(len(lines), 4), frameon=False)
        return _render(figure, title)


def percent_ticks(value: float, _position) -> str:
    """Axis ticks of a percentage axis."""
    return f"{number(value)} %"


def _label(axes, x: float, y: float, text: str, figure_key: int | None, ha: str, offset: float = 0.0,
           colour: str = "black") -> None:
    """Print `text` at (x, y); when it shows a stated figure, append its footnote number and link it."""
    shown = f"{text} [{figure_key}]" if figure_key is not None else text
    label = axes.text(x + offset, y, shown, va="center", ha=ha, fontsize=9, color=colour)
    if figure_key is not None:
        label.set_url(f"#figure-{figure_key}")


def _readable_on(background: str) -> str:
    """Black text on light colours, white on dark ones (by relative luminance)."""
    red, green, blue = matplotlib.colors.to_rgb(background)
    return "black" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.45 else "white"


def _finish(axes, title: str, axis_label: str, tick_format) -> None:
    axes.set_title(title, loc="left", fontsize=11, fontweight="bold")
    axes.set_xlabel(axis_label)
    if tick_format is not None:
        axes.xaxis.set_major_formatter(FuncFormatter(tick_format))
    axes.tick_params(axis="y", length=0)


def _render(figure: Figure, title: str) -> Chart:
    svg, png = io.StringIO(), io.BytesIO()
    figure.savefig(svg, format="svg", metadata={"Date": None, "Title": title})
    figure.set_layout_engine("none")  # laid out by the first save: the second keeps that layout
    figure.savefig(png, format="png", dpi=72, metadata={"Software": None})
    text = svg.getvalue()
    return Chart(title=title, svg=text[text.index("<svg"):], png=_few_colours(png.getvalue()))


def _few_colours(png: bytes) -> bytes:
    """The PNG with a 64-colour palette: a third of the size in Dagster's event log, same look."""
    quantized, image = io.BytesIO(), Image.open(io.BytesIO(png))
    image.convert("RGB").quantize(64).save(quantized, format="PNG", optimize=True)
    return quantized.getvalue()
