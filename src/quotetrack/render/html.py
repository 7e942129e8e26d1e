"""Comparisons and reports as self-contained HTML pages, rendered from jinja2 templates.

The templates (render/templates) autoescape everything they are given, so article text stays
text. The page has inline CSS and an inline SVG chart: no external assets. The chart's geometry
is computed here; the markup is in the templates.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader

from quotetrack.analysis.claims import STANCES
from quotetrack.analysis.compare import Comparison
from quotetrack.analysis.propositions import STANCES as PROPOSITION_STANCES
from quotetrack.analysis.report import TYPES, CorpusReport
from quotetrack.render.common import claim_details, claim_links, date_span, filters_text, short

SERIES_COLOURS = ("#2f6fb3", "#c2412d", "#2e8b57", "#8e44ad", "#d98c00", "#16a2b8", "#7f6a4f", "#555555")
# autoescape writes quotes as &#34; and &#39;; pages keep html.escape's spelling, which their readers and tests match
_QUOTE_SPELLING = (("&#34;", "&quot;"), ("&#39;", "&#x27;"))


@dataclass(frozen=True)
class Tick:
    y: float
    label_y: float
    value: int


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    name: str
    bucket: str
    value: int


@dataclass(frozen=True)
class Slot:
    """One bucket: its bars side by side, and its date label (None where labels are thinned out)."""

    bars: list[Bar]
    label: str | None
    label_x: float


@dataclass(frozen=True)
class LegendEntry:
    x: float
    y: int
    box_y: int
    text_x: float
    colour: str
    name: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    axis_y: int
    tick_x: int
    label_y: int
    ticks: list[Tick]
    slots: list[Slot]
    legend: list[LegendEntry]


def timeline_chart(series: Mapping[str, Mapping[str, int]], buckets: Sequence[str], *, width: int = 900, height: int = 220) -> Chart | None:
    """A bar chart, one colour per series, bars side by side per bucket; None when there is nothing to draw."""
    names = list(series)
    if not buckets or not names:
        return None
    left, bottom, top = 40, 40, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    step = max(1, -(-max([v for s in series.values() for v in s.values()] + [1]) // 4))
    peak = step * 4  # whole-number ticks
    slot = plot_w / len(buckets)
    bar = max(1.0, (slot * 0.8) / len(names))
    ticks = []
    for tick in range(5):
        y = top + plot_h - plot_h * tick / 4
        ticks.append(Tick(y, y + 4, step * tick))
    label_every = max(1, -(-len(buckets) * 80 // plot_w))  # about 80 px per date label
    slots = []
    for index, bucket in enumerate(buckets):
        x0 = left + index * slot + slot * 0.1
        bars = []
        for series_index, name in enumerate(names):
            value = series[name].get(bucket, 0)
            if value:
                h = plot_h * value / peak
                colour = SERIES_COLOURS[series_index % len(SERIES_COLOURS)]
                bars.append(Bar(x0 + series_index * bar, top + plot_h - h, bar, h, colour, name, bucket, value))
        slots.append(Slot(bars, bucket if index % label_every == 0 else None, left + index * slot + slot / 2))
    legend = []
    for series_index, name in enumerate(names):
        x = left + (series_index % 4) * (plot_w / 4)
        y = height + 20 * (series_index // 4) - 8
        legend.append(LegendEntry(x, y, y - 9, x + 14, SERIES_COLOURS[series_index % len(SERIES_COLOURS)], name))
    return Chart(
        width=width,
        height=height + 20 * ((len(names) + 3) // 4),
        left=left,
        right=left + plot_w,
        axis_y=top + plot_h,
        tick_x=left - 6,
        label_y=top + plot_h + 14,
        ticks=ticks,
        slots=slots,
        legend=legend,
    )


def _none_as_empty(value: Any) -> Any:
    return "" if value is None else value


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("quotetrack", "render/templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_none_as_empty,
    )
    env.filters.update(
        short=short, claim_details=claim_details, filters_text=filters_text, fixed1="{:.1f}".format, web_address=web_address
    )
    env.globals.update(claim_links=claim_links, date_span=date_span, STANCES=STANCES, PROPOSITION_STANCES=PROPOSITION_STANCES, TYPES=TYPES)
    return env


def _render(template: str, **context: Any) -> str:
    page = environment().get_template(template).render(**context)
    for numeric, named in _QUOTE_SPELLING:
        page = page.replace(numeric, named)
    return page


def comparison_html(comparison: Comparison) -> str:
    buckets = next((list(t) for t in comparison.timeline.values() if t), [])
    chart = timeline_chart(comparison.timeline, buckets) if any(any(t.values()) for t in comparison.timeline.values()) else None
    return _render("comparison.html.j2", comparison=comparison, names=" · ".join(comparison.speakers), chart=chart)


def report_html(report: CorpusReport, *, timeline_rows: int = 6) -> str:
    total = report.total
    summary = f"{total.quotes} quotes · {report.speaker_count} speakers · {len(total.outlets)} outlets"
    span = f"{total.first} – {total.last}" if total.first else None
    filters = filters_text(report.filters) if report.filters else None
    series = {g.name: g.timeline for g in report.groups[:timeline_rows]}
    return _render(
        "report.html.j2", report=report, summary=summary, span=span, filters=filters, note=report.unresolved_note(),
        chart=timeline_chart(series, report.buckets),
    )


def web_address(url: str | None) -> str | None:
    """The URL when it is a web address a page may link to (http or https), else None."""
    return url if url and re.match(r"(?i)https?://[^\s\"'<>]+$", url) else None
