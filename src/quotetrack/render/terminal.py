"""Comparisons, reports and provenance in the terminal, with rich.

Article text is data: it only ever goes into `SafeText` objects (rich Text, never parsed as markup,
with terminal and bidi control characters made visible by `formats.printable`), so a quote holding
"[bold]" prints as typed and one holding ESC[2J or U+202E does nothing to the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.columns import Columns
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from quotetrack.analysis.claims import STANCES
from quotetrack.analysis.compare import ClaimView, Comparison, TopicRow
from quotetrack.analysis.provenance import Claim
from quotetrack.analysis.report import TYPES, CorpusReport
from quotetrack.render.common import claim_details, claim_links, filters_text, short
from quotetrack.render.formats import SafeText

STANCE_STYLE = {"asserts": "green", "denies": "red", "doubts": "magenta", "hedges": "yellow"}
LINK_STYLE = {"disputes": "red", "supports": "green", "echoes": "cyan"}
SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[int]) -> str:
    if not values:
        return ""
    peak = max(values)
    if peak == 0:
        return SPARK[0] * len(values)
    return "".join(" " if v == 0 else SPARK[min(len(SPARK) - 1, (v * (len(SPARK) - 1) + peak - 1) // peak)] for v in values)


# --- comparison ----------------------------------------------------------------------------------


def claim_text(claim: ClaimView, comparison: Comparison | None = None, *, topic_id: str | None = None) -> Text:
    text = SafeText()
    text.append(short(claim.id) + " ", style="dim")
    text.append(claim.content)
    text.append("\n")
    text.append(claim.stance, style=STANCE_STYLE.get(claim.stance, ""))
    text.append(" · " + claim_details(claim), style="dim")
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
        body = SafeText()
        body.append(f"{counts.get('claims', 0)} claims", style="bold")
        body.append(f" from {counts.get('quotes', 0)} quotes\n")
        stances = counts.get("stances", {})
        body.append(" ".join(f"{s} {stances.get(s, 0)}" for s in STANCES), style="dim")
        panels.append(Panel(body, title=SafeText(speaker, style="bold"), expand=True))
    return Columns(panels, equal=True, expand=True)


def topic_cell_title(row: TopicRow) -> Text:
    text = SafeText(row.label, style="bold")
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
    title = SafeText("Comparing ", style="bold")
    title.append(" · ".join(comparison.speakers), style="bold")
    if comparison.filters:
        title.append("  (" + filters_text(comparison.filters) + ")", style="dim")
    console.print(title)
    console.print(speaker_panels(comparison))
    shared = comparison.shared_topics
    if shared:
        table = Table(show_lines=True, expand=True, title=SafeText("Shared topics"))
        table.add_column("Topic", ratio=1, overflow="fold")
        for speaker in comparison.speakers:
            table.add_column(SafeText(speaker), ratio=2, overflow="fold")
        for row in shared:
            cells = []
            for speaker in comparison.speakers:
                claims = row.claims.get(speaker, [])
                cells.append(Group(*[claim_text(c, comparison, topic_id=row.id) for c in claims]) if claims else SafeText("—", style="dim"))
            table.add_row(topic_cell_title(row), *cells)
        console.print(table)
    else:
        console.print(SafeText("No topic is shared by two of these speakers.", style="yellow"))
    for speaker, claims in comparison.other.items():
        if not claims or show_other <= 0:
            continue
        table = Table(title=SafeText(f"{speaker}: on no shared topic ({len(claims)})"), expand=True, show_lines=False)
        table.add_column("Claim", overflow="fold", ratio=3)
        table.add_column("Stance")
        table.add_column("Outlet / date", overflow="fold")
        for claim in claims[:show_other]:
            table.add_row(
                SafeText(short(claim.id) + " " + claim.content),
                SafeText(claim.stance, style=STANCE_STYLE.get(claim.stance, "")),
                SafeText(f"{claim.outlet or 'no outlet'} {claim.published or ''}".strip()),
            )
        if len(claims) > show_other:
            table.add_row(SafeText(f"… {len(claims) - show_other} more (use --format json for all)", style="dim"), "", "")
        console.print(table)


# --- report --------------------------------------------------------------------------------------


def render_report(report: CorpusReport, console: Console, *, timeline_rows: int = 5) -> None:
    total = report.total
    head = SafeText(report.title, style="bold")
    if report.filters:
        head.append("  (" + filters_text(report.filters) + ")", style="dim")
    console.print(head)
    summary = SafeText(f"{total.quotes} quotes · {len(total.speakers)} speakers · {len(total.outlets)} outlets")
    if total.first:
        summary.append(f" · {total.first} – {total.last}")
    console.print(summary)
    if not report.groups:
        console.print(SafeText("Nothing matches.", style="yellow"))
        return

    table = Table(title=SafeText(f"Most quoted ({report.by})"), expand=False)
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
            SafeText(group.name),
            str(group.quotes),
            *(str(group.types.get(t, 0)) for t in TYPES),
            *(SafeText(str(group.stances.get(s, 0)), style=STANCE_STYLE[s] if group.stances.get(s) else "dim") for s in STANCES),
            SafeText(", ".join(f"{name} {n}" for name, n in counter.most_common(3))),
            SafeText(sparkline(list(group.timeline.values())), style="cyan"),
        )
    console.print(table)

    mix = SafeText("Speech: ")
    mix.append(" · ".join(f"{t} {total.types.get(t, 0)}" for t in TYPES))
    mix.append("    Stances: ")
    for index, stance in enumerate(STANCES):
        mix.append(("" if index == 0 else " · ") + f"{stance} {total.stances.get(stance, 0)}", style=STANCE_STYLE[stance])
    console.print(mix)

    if report.buckets:
        peak = max([max(g.timeline.values(), default=0) for g in report.groups[:timeline_rows]] + [1])
        timeline = Table(title=SafeText(f"Timeline (quotes per {report.granularity})"), expand=False, show_header=True)
        timeline.add_column(report.granularity.capitalize())
        for group in report.groups[:timeline_rows]:
            timeline.add_column(SafeText(group.name), overflow="fold")
        for bucket in report.buckets:
            values = [g.timeline.get(bucket, 0) for g in report.groups[:timeline_rows]]
            if not any(values):
                continue
            timeline.add_row(bucket, *(SafeText(("█" * max(1, round(v * 20 / peak)) if v else "") + f" {v or ''}", style="cyan") for v in values))
        console.print(timeline)

    for name, rows in report.samples.items():
        if not rows:
            continue
        table = Table(title=SafeText(f"Latest from {name}"), expand=True)
        table.add_column("Date")
        table.add_column("Outlet", overflow="fold")
        table.add_column("Stance")
        table.add_column("Claim", overflow="fold", ratio=3)
        for row in rows:
            table.add_row(
                SafeText(row["published"] or ""),
                SafeText(row["outlet"] or ""),
                SafeText(row["stance"] or "", style=STANCE_STYLE.get(row["stance"] or "", "")),
                SafeText(("" if report.by == "speaker" else f"{row['speaker'] or '?'}: ") + row["content"]),
            )
        console.print(table)


# --- provenance ----------------------------------------------------------------------------------


def drift_text(change: dict[str, str]) -> str:
    if not change["from"]:
        return f"added “{change['to']}”"
    if not change["to"]:
        return f"dropped “{change['from']}”"
    return f"“{change['from']}” → “{change['to']}”"


def render_provenance(claim: Claim, console: Console, *, current: str | None = None) -> None:
    """The appearances of one claim: first, then reuses with their drift; `current` (a quote id) is marked."""
    table = Table(title=SafeText(f"Provenance: {len(claim.appearances)} appearances"), expand=True)
    table.add_column("", no_wrap=True)
    table.add_column("Document", overflow="fold")
    table.add_column("Outlet")
    table.add_column("Date")
    table.add_column("Wording", overflow="fold", ratio=2)
    for index, appearance in enumerate(claim.appearances):
        wording = SafeText("same wording" if not appearance.drift else "")
        for change in appearance.drift[:4]:
            wording.append(drift_text(change) + "  ")
        if len(appearance.drift) > 4:
            wording.append(f"… {len(appearance.drift) - 4} more changes", style="dim")
        label = SafeText("first" if index == 0 else "reuse", style="bold" if index == 0 else "")
        if appearance.quote_id == current:
            label.append(" ◀ this", style="bold cyan")
        table.add_row(
            label,
            SafeText(appearance.doc),
            SafeText(appearance.outlet or ""),
            SafeText(appearance.published or ""),
            wording,
        )
    console.print(table)
