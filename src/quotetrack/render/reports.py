"""Drawing comparisons, reports and provenance: rich for the terminal, self-contained HTML for sharing.

Article text is data. In the terminal it only ever goes into `rich.text.Text` objects (never
parsed as markup), so a quote holding "[bold]" prints as typed; in HTML every piece of text goes
through `html.escape`. The HTML page has inline CSS and an inline SVG chart: no external assets.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from rich.columns import Columns
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from quotetrack.analysis.claims import STANCES
from quotetrack.analysis.compare import ClaimView, Comparison, TopicRow
from quotetrack.analysis.provenance import Claim
from quotetrack.analysis.report import TYPES, CorpusReport

STANCE_STYLE = {"asserts": "green", "denies": "red", "doubts": "magenta", "hedges": "yellow"}
LINK_STYLE = {"disputes": "red", "supports": "green", "echoes": "cyan"}
SPARK = "▁▂▃▄▅▆▇█"
SERIES_COLOURS = ("#2f6fb3", "#c2412d", "#2e8b57", "#8e44ad", "#d98c00", "#16a2b8", "#7f6a4f", "#555555")


def short(claim_id: str) -> str:
    return "#" + claim_id[:6]


def sparkline(values: Sequence[int]) -> str:
    if not values:
        return ""
    peak = max(values)
    if peak == 0:
        return SPARK[0] * len(values)
    return "".join(" " if v == 0 else SPARK[min(len(SPARK) - 1, (v * (len(SPARK) - 1) + peak - 1) // peak)] for v in values)


def _meta(claim: ClaimView) -> str:
    parts = [claim.stance, claim.type]
    if claim.cue:
        parts.append(f"cue: {claim.cue}")
    parts.append(claim.outlet or "no outlet")
    parts.append(claim.published or "undated")
    if len(claim.appearances) > 1:
        parts.append(f"{len(claim.appearances)} appearances")
    return " · ".join(parts)


# --- terminal: comparison -----------------------------------------------------------------------


def claim_links(claim: ClaimView, comparison: Comparison, topic_id: str | None = None) -> list:
    """The links from a claim, once each; in a topic row only the explicit ones and that topic's."""
    seen, out = set(), []
    for link in comparison.links:
        if link.source != claim.id or (topic_id and link.basis != "explicit" and link.topic != topic_id):
            continue
        key = (link.target, link.target_speaker, link.kind)
        if key not in seen:
            seen.add(key)
            out.append(link)
    return out


def claim_text(claim: ClaimView, comparison: Comparison | None = None, *, topic_id: str | None = None) -> Text:
    text = Text()
    text.append(short(claim.id) + " ", style="dim")
    text.append(claim.content)
    text.append("\n")
    text.append(claim.stance, style=STANCE_STYLE.get(claim.stance, ""))
    text.append(" · " + _meta(claim).split(" · ", 1)[1], style="dim")
    if comparison is not None:
        for link in claim_links(claim, comparison, topic_id):
            text.append("\n↳ ")
            text.append(link.kind, style=LINK_STYLE.get(link.kind, ""))
            text.append(f" {link.target_speaker}")
            if link.target:
                text.append(f" {short(link.target)}", style="dim")
            if link.basis == "explicit" and link.evidence:
                text.append(f" (“{link.evidence}”)", style="dim")
    return text


def speaker_panels(comparison: Comparison) -> Columns:
    panels = []
    for speaker in comparison.speakers:
        counts = comparison.counts.get(speaker, {})
        body = Text()
        body.append(f"{counts.get('claims', 0)} claims", style="bold")
        body.append(f" from {counts.get('quotes', 0)} quotes\n")
        stances = counts.get("stances", {})
        body.append(" ".join(f"{s} {stances.get(s, 0)}" for s in STANCES), style="dim")
        panels.append(Panel(body, title=Text(speaker, style="bold"), expand=True))
    return Columns(panels, equal=True, expand=True)


def topic_cell_title(row: TopicRow) -> Text:
    text = Text(row.label, style="bold")
    if row.terms:
        text.append("\n" + ", ".join(row.terms[:6]), style="dim")
    if row.disagreement:
        text.append("\n⚡ disagreement", style="bold red")
        for reason in row.reasons[:3]:
            text.append("\n" + reason, style="red")
    else:
        echoes = [f"{a} echoes {b}" for a, others in row.toward.items() for b, kind in others.items() if kind == "echoes"]
        for echo in echoes[:2]:
            text.append("\n" + echo, style="cyan")
    return text


def render_comparison(comparison: Comparison, console: Console, *, show_other: int = 5) -> None:
    title = Text("Comparing ", style="bold")
    title.append(" · ".join(comparison.speakers), style="bold")
    if comparison.filters:
        title.append("  (" + ", ".join(f"{k}={v}" for k, v in comparison.filters.items() if v) + ")", style="dim")
    console.print(title)
    console.print(speaker_panels(comparison))
    shared = comparison.shared_topics
    if shared:
        table = Table(show_lines=True, expand=True, title=Text("Shared topics"))
        table.add_column("Topic", ratio=1, overflow="fold")
        for speaker in comparison.speakers:
            table.add_column(Text(speaker), ratio=2, overflow="fold")
        for row in shared:
            cells = []
            for speaker in comparison.speakers:
                claims = row.claims.get(speaker, [])
                cells.append(Group(*[claim_text(c, comparison, topic_id=row.id) for c in claims]) if claims else Text("—", style="dim"))
            table.add_row(topic_cell_title(row), *cells)
        console.print(table)
    else:
        console.print(Text("No topic is shared by two of these speakers.", style="yellow"))
    for speaker, claims in comparison.other.items():
        if not claims or show_other <= 0:
            continue
        table = Table(title=Text(f"{speaker}: on no shared topic ({len(claims)})"), expand=True, show_lines=False)
        table.add_column("Claim", overflow="fold", ratio=3)
        table.add_column("Stance")
        table.add_column("Outlet / date", overflow="fold")
        for claim in claims[:show_other]:
            table.add_row(
                Text(short(claim.id) + " " + claim.content),
                Text(claim.stance, style=STANCE_STYLE.get(claim.stance, "")),
                Text(f"{claim.outlet or 'no outlet'} {claim.published or ''}".strip()),
            )
        if len(claims) > show_other:
            table.add_row(Text(f"… {len(claims) - show_other} more (use --format json for all)", style="dim"), "", "")
        console.print(table)


# --- terminal: report ---------------------------------------------------------------------------


def render_report(report: CorpusReport, console: Console, *, timeline_rows: int = 5) -> None:
    total = report.total
    head = Text(report.title, style="bold")
    if report.filters:
        head.append("  (" + ", ".join(f"{k}={v}" for k, v in report.filters.items() if v) + ")", style="dim")
    console.print(head)
    summary = Text(f"{total.quotes} quotes · {len(total.speakers)} speakers · {len(total.outlets)} outlets")
    if total.first:
        summary.append(f" · {total.first} – {total.last}")
    console.print(summary)
    if not report.groups:
        console.print(Text("Nothing matches.", style="yellow"))
        return

    table = Table(title=Text(f"Most quoted ({report.by})"), expand=False)
    table.add_column(report.by.capitalize(), overflow="fold")
    table.add_column("Quotes", justify="right")
    for name in TYPES:
        table.add_column(name, justify="right")
    for name in STANCES:
        table.add_column(name, justify="right")
    other_column = "Speakers" if report.by == "outlet" else "Outlets"
    table.add_column(other_column, overflow="fold")
    table.add_column(f"Per {report.granularity}")
    for group in report.groups:
        counter = group.speakers if report.by == "outlet" else group.outlets
        table.add_row(
            Text(group.name),
            str(group.quotes),
            *(str(group.types.get(t, 0)) for t in TYPES),
            *(Text(str(group.stances.get(s, 0)), style=STANCE_STYLE[s] if group.stances.get(s) else "dim") for s in STANCES),
            Text(", ".join(f"{name} {n}" for name, n in counter.most_common(3))),
            Text(sparkline(list(group.timeline.values())), style="cyan"),
        )
    console.print(table)

    mix = Text("Speech: ")
    mix.append(" · ".join(f"{t} {total.types.get(t, 0)}" for t in TYPES))
    mix.append("    Stances: ")
    for index, stance in enumerate(STANCES):
        mix.append(("" if index == 0 else " · ") + f"{stance} {total.stances.get(stance, 0)}", style=STANCE_STYLE[stance])
    console.print(mix)

    if report.buckets:
        peak = max([max(g.timeline.values(), default=0) for g in report.groups[:timeline_rows]] + [1])
        timeline = Table(title=Text(f"Timeline (quotes per {report.granularity})"), expand=False, show_header=True)
        timeline.add_column(report.granularity.capitalize())
        for group in report.groups[:timeline_rows]:
            timeline.add_column(Text(group.name), overflow="fold")
        for bucket in report.buckets:
            values = [g.timeline.get(bucket, 0) for g in report.groups[:timeline_rows]]
            if not any(values):
                continue
            timeline.add_row(bucket, *(Text(("█" * max(1, round(v * 20 / peak)) if v else "") + f" {v or ''}", style="cyan") for v in values))
        console.print(timeline)

    for name, rows in report.samples.items():
        if not rows:
            continue
        table = Table(title=Text(f"Latest from {name}"), expand=True)
        table.add_column("Date")
        table.add_column("Outlet", overflow="fold")
        table.add_column("Stance")
        table.add_column("Claim", overflow="fold", ratio=3)
        for row in rows:
            table.add_row(
                Text(row["published"] or ""),
                Text(row["outlet"] or ""),
                Text(row["stance"] or "", style=STANCE_STYLE.get(row["stance"] or "", "")),
                Text(("" if report.by == "speaker" else f"{row['speaker'] or '?'}: ") + row["content"]),
            )
        console.print(table)


# --- terminal: provenance -----------------------------------------------------------------------


def drift_text(change: dict[str, str]) -> str:
    if not change["from"]:
        return f"added “{change['to']}”"
    if not change["to"]:
        return f"dropped “{change['from']}”"
    return f"“{change['from']}” → “{change['to']}”"


def render_provenance(claim: Claim, console: Console, *, current: str | None = None) -> None:
    """The appearances of one claim: first, then reuses with their drift; `current` (a quote id) is marked."""
    table = Table(title=Text(f"Provenance: {len(claim.appearances)} appearances"), expand=True)
    table.add_column("", no_wrap=True)
    table.add_column("Document", overflow="fold")
    table.add_column("Outlet")
    table.add_column("Date")
    table.add_column("Wording", overflow="fold", ratio=2)
    for index, appearance in enumerate(claim.appearances):
        wording = Text("same wording" if not appearance.drift else "")
        for change in appearance.drift[:4]:
            wording.append(drift_text(change) + "  ")
        if len(appearance.drift) > 4:
            wording.append(f"… {len(appearance.drift) - 4} more changes", style="dim")
        label = Text("first" if index == 0 else "reuse", style="bold" if index == 0 else "")
        if appearance.quote_id == current:
            label.append(" ◀ this", style="bold cyan")
        table.add_row(
            label,
            Text(appearance.doc),
            Text(appearance.outlet or ""),
            Text(appearance.published or ""),
            wording,
        )
    console.print(table)


def claims_to_rows(claims: Sequence[Claim]) -> list[dict]:
    """Flat rows for `quotes --dedupe` (write_records): one per claim."""
    rows = []
    for claim in claims:
        first = claim.first
        rows.append(
            {
                "id": claim.id,
                "speaker": claim.speaker,
                "content": claim.content,
                "appearances": len(claim.appearances),
                "first_doc": first.doc,
                "first_outlet": first.outlet,
                "first_published": first.published,
                "reused_in": [a.doc for a in claim.reuses],
                "drifted": [a.doc for a in claim.reuses if a.drift],
            }
        )
    return rows


# --- HTML ---------------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1200px;color:#222;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.25rem}
.muted{color:#666;font-size:.9rem}
.speakers{display:flex;gap:1rem;flex-wrap:wrap}.speaker{flex:1;min-width:200px;border:1px solid #ccd;border-radius:6px;padding:.75rem;background:#f7f9fc}
.speaker h3{margin:0 0 .3rem 0}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.45rem;vertical-align:top;text-align:left}
th{background:#f0f2f5}td.num{text-align:right}
.claim{margin-bottom:.7rem}q{quotes:none}.meta{color:#666;font-size:.82rem}
.stance{font-weight:600}.asserts{color:#1f7a3a}.denies{color:#b3261e}.doubts{color:#8e2a8e}.hedges{color:#9a6b00}
.link{font-size:.82rem}.disputes{color:#b3261e}.supports{color:#1f7a3a}.echoes{color:#127a8a}
tr.disagree td:first-child{border-left:4px solid #b3261e}.flag{color:#b3261e;font-weight:600}
.id{color:#999;font-family:monospace;font-size:.8rem}
svg text{font-size:11px;fill:#444}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{_e(title)}</title>"
        f"<style>{CSS}</style></head><body>\n{body}\n</body></html>\n"
    )


def _claim_html(claim: ClaimView, comparison: Comparison | None, topic_id: str | None = None) -> str:
    parts = [
        f'<div class="claim" id="c{_e(claim.id)}"><span class="id">{_e(short(claim.id))}</span> <q>{_e(claim.content)}</q>',
        f'<div class="meta"><span class="stance {_e(claim.stance)}">{_e(claim.stance)}</span> · {_e(_meta(claim).split(" · ", 1)[1])}</div>',
    ]
    if comparison is not None:
        for link in claim_links(claim, comparison, topic_id):
            target = f' <a href="#c{_e(link.target)}">{_e(short(link.target))}</a>' if link.target else ""
            evidence = f" — “{_e(link.evidence)}”" if link.basis == "explicit" and link.evidence else ""
            parts.append(f'<div class="link {_e(link.kind)}">↳ {_e(link.kind)} {_e(link.target_speaker)}{target}{evidence}</div>')
    parts.append("</div>")
    return "".join(parts)


def timeline_svg(series: Mapping[str, Mapping[str, int]], buckets: Sequence[str], *, width: int = 900, height: int = 220) -> str:
    """A bar chart, one colour per series, bars side by side per bucket; inline SVG."""
    names = list(series)
    if not buckets or not names:
        return '<p class="muted">No dated quotes.</p>'
    left, bottom, top = 40, 40, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    step = max(1, -(-max([v for s in series.values() for v in s.values()] + [1]) // 4))
    peak = step * 4  # whole-number ticks
    slot = plot_w / len(buckets)
    bar = max(1.0, (slot * 0.8) / len(names))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 20 * ((len(names) + 3) // 4)}" role="img" aria-label="timeline">']
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#999"/>')
    for tick in range(0, 5):
        y = top + plot_h - plot_h * tick / 4
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{step * tick}</text>')
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eee"/>')
    label_every = max(1, -(-len(buckets) * 80 // plot_w))  # about 80 px per date label
    for index, bucket in enumerate(buckets):
        x0 = left + index * slot + slot * 0.1
        for series_index, name in enumerate(names):
            value = series[name].get(bucket, 0)
            if not value:
                continue
            h = plot_h * value / peak
            colour = SERIES_COLOURS[series_index % len(SERIES_COLOURS)]
            out.append(
                f'<rect x="{x0 + series_index * bar:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{_e(name)} {_e(bucket)}: {value}</title></rect>"
            )
        if index % label_every == 0:
            out.append(f'<text x="{left + index * slot + slot / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle">{_e(bucket)}</text>')
    for series_index, name in enumerate(names):
        x = left + (series_index % 4) * (plot_w / 4)
        y = height + 20 * (series_index // 4) - 8
        colour = SERIES_COLOURS[series_index % len(SERIES_COLOURS)]
        out.append(f'<rect x="{x:.1f}" y="{y - 9}" width="10" height="10" fill="{colour}"/><text x="{x + 14:.1f}" y="{y}">{_e(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def comparison_html(comparison: Comparison) -> str:
    from quotetrack.analysis.report import all_buckets, bucket_of, choose_granularity

    names = " · ".join(comparison.speakers)
    body = [f"<h1>Comparing {_e(names)}</h1>"]
    if comparison.filters:
        body.append(f'<p class="muted">{_e(", ".join(f"{k}={v}" for k, v in comparison.filters.items() if v))}</p>')
    body.append('<div class="speakers">')
    for speaker in comparison.speakers:
        counts = comparison.counts.get(speaker, {})
        stances = counts.get("stances", {})
        stance_line = " · ".join(f'<span class="{s}">{s} {stances.get(s, 0)}</span>' for s in STANCES)
        body.append(
            f'<div class="speaker"><h3>{_e(speaker)}</h3><div>{counts.get("claims", 0)} claims from {counts.get("quotes", 0)} quotes</div>'
            f'<div class="meta">{stance_line}</div></div>'
        )
    body.append("</div>")
    body.append("<h2>Shared topics</h2>")
    shared = comparison.shared_topics
    if shared:
        body.append("<table><thead><tr><th>Topic</th>" + "".join(f"<th>{_e(s)}</th>" for s in comparison.speakers) + "</tr></thead><tbody>")
        for row in shared:
            flag = '<div class="flag">⚡ disagreement</div>' + "".join(f'<div class="meta disputes">{_e(r)}</div>' for r in row.reasons) if row.disagreement else ""
            echoes = "".join(
                f'<div class="meta echoes">{_e(a)} echoes {_e(b)}</div>'
                for a, others in row.toward.items() for b, kind in others.items() if kind == "echoes"
            )
            cells = []
            for speaker in comparison.speakers:
                claims = row.claims.get(speaker, [])
                cells.append("<td>" + ("".join(_claim_html(c, comparison, row.id) for c in claims) or '<span class="muted">—</span>') + "</td>")
            body.append(
                f'<tr class="{"disagree" if row.disagreement else ""}"><td><strong>{_e(row.label)}</strong>'
                f'<div class="meta">{_e(", ".join(row.terms[:6]))}</div>{flag}{echoes}</td>{"".join(cells)}</tr>'
            )
        body.append("</tbody></table>")
    else:
        body.append('<p class="muted">No topic is shared by two of these speakers.</p>')
    dated: dict[str, list[str]] = {}
    for speaker in comparison.speakers:
        seen = set()
        for row in comparison.topics:
            for claim in row.claims.get(speaker, []):
                if claim.id not in seen and claim.published:
                    seen.add(claim.id)
                    dated.setdefault(speaker, []).append(claim.published[:10])
        for claim in comparison.other.get(speaker, []):
            if claim.id not in seen and claim.published:
                seen.add(claim.id)
                dated.setdefault(speaker, []).append(claim.published[:10])
    every = [d for dates in dated.values() for d in dates]
    if every:
        granularity = choose_granularity(every)
        buckets = all_buckets(bucket_of(min(every), granularity), bucket_of(max(every), granularity), granularity)
        series = {s: {} for s in comparison.speakers}
        for speaker, dates in dated.items():
            for date in dates:
                key = bucket_of(date, granularity)
                series[speaker][key] = series[speaker].get(key, 0) + 1
        body.append(f"<h2>Claims per {granularity}</h2>" + timeline_svg(series, buckets))
    for speaker, claims in comparison.other.items():
        if claims:
            body.append(f"<h2>{_e(speaker)}: on no shared topic ({len(claims)})</h2>")
            body.append("".join(_claim_html(c, comparison) for c in claims))
    return _page(f"quotetrack: {names}", "\n".join(body))


def report_html(report: CorpusReport, *, timeline_rows: int = 6) -> str:
    total = report.total
    body = [f"<h1>{_e(report.title)}</h1>"]
    summary = f"{total.quotes} quotes · {len(total.speakers)} speakers · {len(total.outlets)} outlets"
    if total.first:
        summary += f" · {total.first} – {total.last}"
    if report.filters:
        summary += " · " + ", ".join(f"{k}={v}" for k, v in report.filters.items() if v)
    body.append(f'<p class="muted">{_e(summary)}</p>')
    other = "Speakers" if report.by == "outlet" else "Outlets"
    body.append(f"<h2>Most quoted ({_e(report.by)})</h2><table><thead><tr><th>{_e(report.by.capitalize())}</th><th>Quotes</th>")
    body.append("".join(f"<th>{t}</th>" for t in TYPES) + "".join(f'<th class="{s}">{s}</th>' for s in STANCES) + f"<th>{other}</th></tr></thead><tbody>")
    for group in report.groups:
        counter = group.speakers if report.by == "outlet" else group.outlets
        body.append(
            f"<tr><td>{_e(group.name)}</td><td class=\"num\">{group.quotes}</td>"
            + "".join(f'<td class="num">{group.types.get(t, 0)}</td>' for t in TYPES)
            + "".join(f'<td class="num">{group.stances.get(s, 0)}</td>' for s in STANCES)
            + f"<td>{_e(', '.join(f'{n} {c}' for n, c in counter.most_common(5)))}</td></tr>"
        )
    body.append("</tbody></table>")
    body.append(
        '<p class="muted">Speech: ' + _e(" · ".join(f"{t} {total.types.get(t, 0)}" for t in TYPES))
        + " — stances: " + _e(" · ".join(f"{s} {total.stances.get(s, 0)}" for s in STANCES)) + "</p>"
    )
    series = {g.name: g.timeline for g in report.groups[:timeline_rows]}
    body.append(f"<h2>Timeline (quotes per {_e(report.granularity)})</h2>" + timeline_svg(series, report.buckets))
    for name, rows in report.samples.items():
        if not rows:
            continue
        body.append(f"<h2>Latest from {_e(name)}</h2><table><thead><tr><th>Date</th><th>Outlet</th><th>Stance</th><th>Claim</th></tr></thead><tbody>")
        for row in rows:
            who = "" if report.by == "speaker" else f"{row['speaker'] or '?'}: "
            body.append(
                f"<tr><td>{_e(row['published'])}</td><td>{_e(row['outlet'])}</td>"
                f'<td class="{_e(row["stance"])}">{_e(row["stance"])}</td><td>{_e(who)}<q>{_e(row["content"])}</q></td></tr>'
            )
        body.append("</tbody></table>")
    return _page(report.title, "\n".join(body))
