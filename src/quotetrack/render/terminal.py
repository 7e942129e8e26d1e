"""Comparisons, reports and provenance in the terminal, with rich.

Article text is data: it only ever goes into `SafeText` objects (rich Text, never parsed as markup,
with terminal and bidi control characters made visible by `formats.printable`), so a quote holding
"[bold]" prints as typed and one holding ESC[2J or U+202E does nothing to the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from quotetrack.analysis.claims import STANCES
from quotetrack.analysis.compare import ClaimView, Comparison, PropositionRow
from quotetrack.analysis.provenance import Claim
from quotetrack.analysis.report import TYPES, CorpusReport, is_unresolved
from quotetrack.render.common import claim_details, claim_links, claim_source, date_span, filters_text, short, stance_counts
from quotetrack.render.formats import SafeText

STANCE_STYLE = {
    "asserts": "green", "denies": "red", "doubts": "magenta", "hedges": "yellow",  # a claim's own stance (report)
    "supports": "green", "opposes": "red", "neutral": "yellow",  # toward a proposition (compare)
}
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

SCREEN_PROPOSITIONS = 10  # shared propositions on the first screen when no --limit is given


def _line(console: Console, text: Text) -> None:
    """One line, cut to the console's width: the first screen keeps its line count."""
    console.print(text, no_wrap=True, overflow="ellipsis", crop=True)


def claim_text(claim: ClaimView, comparison: Comparison | None = None, *, proposition: int | None = None) -> Text:
    text = SafeText()
    text.append(short(claim.id) + " ", style="dim")
    text.append(claim.content)
    text.append("\n")
    text.append(claim.stance, style=STANCE_STYLE.get(claim.stance, ""))
    if claim.evidence:
        text.append(f" (“{claim.evidence}”)", style=STANCE_STYLE.get(claim.stance, ""))
    text.append(" · " + claim_details(claim) + " · " + claim_source(claim), style="dim")
    if comparison is not None:
        for link in claim_links(claim, comparison, proposition):
            text.append("\n↳ ")
            text.append(link.kind, style=LINK_STYLE.get(link.kind, ""))
            text.append(f" {link.target_speaker} {short(link.target)}")
    return text


def _proposition_head(rank: int | None, row: PropositionRow) -> SafeText:
    head = SafeText()
    if rank is not None:
        head.append(f"{rank:>2}. ", style="bold")
    head.append(f"P{row.id} ", style="dim")
    label = row.label or "(no label)"
    head.append(label if len(label) <= 48 else label[:47] + "…", style="bold")
    details = [counted(row.size, "claim"), counted(len(row.speakers), "speaker")]
    if row.outlets:
        details.append(counted(len(row.outlets), "outlet"))
    if row.first:
        details.append(date_span(row.first, row.last))
    head.append(f"  {'(' + row.topic + ') ' if row.topic else ''}{', '.join(details)}", style="dim")
    if row.disagreement:
        head.append("  ⚡ disputed", style="bold red")
    return head


def _speaker_line(speaker: str, row: PropositionRow, width: int) -> Text:
    line = SafeText("    ")
    line.append(speaker[:width].ljust(width), style="bold")
    counts = row.stances()[speaker]
    line.append(f" {counts['supports']:>3}+ {counts['opposes']:>3}- {counts['neutral']:>2}? ", style="dim")
    claim = row.representative.get(speaker)
    if claim is not None:
        line.append(claim.stance[:3] + " ", style=STANCE_STYLE.get(claim.stance, ""))
        line.append(quoted(claim.content))
    return line


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def quoted(content: str) -> str:
    """The content on one line between quotation marks (its own marks at the ends dropped)."""
    return "“" + " ".join(content.split()).strip("\"“”'‘’ ") + "”"


def render_comparison(comparison: Comparison, console: Console, *, limit: int | None = None, show_other: int = 5) -> None:
    """The first screen: who is compared, then the shared propositions ranked, one line per speaker
    each (stance counts: supports+ opposes- neutral?, and a representative claim); then what each
    speaker says alone, and what waits for a proposition. With one proposition (--proposition),
    every claim of it, with stances, evidence and links."""
    title = SafeText("Comparing ", style="bold")
    title.append(" · ".join(comparison.speakers), style="bold")
    if comparison.filters:
        title.append("  (" + filters_text(comparison.filters) + ")", style="dim")
    _line(console, title)
    for speaker in comparison.speakers:
        counts = comparison.counts.get(speaker, {})
        line = SafeText(f"  {speaker}: ", style="bold")
        line.append(f"{counts.get('claims', 0)} claims, {counts.get('propositions', 0)} propositions · ")
        line.append(stance_counts(counts.get("stances", {})), style="dim")
        _line(console, line)
    if "proposition" in comparison.filters:
        _render_one(comparison, console)
        return
    shown = comparison.shared[: limit or SCREEN_PROPOSITIONS]
    width = min(22, max((len(s) for s in comparison.speakers), default=8))
    if shown:
        head = SafeText(f"Shared propositions ({len(shown)} of {comparison.shared_total}", style="bold")
        head.append("; by claims, speakers, outlets; --proposition ID for all claims)", style="dim")
        _line(console, head)
        for rank, row in enumerate(shown, 1):
            _line(console, _proposition_head(rank, row))
            for speaker in row.speakers:
                _line(console, _speaker_line(speaker, row, width))
        if comparison.shared_total > len(shown):
            _line(console, SafeText(f"  … {comparison.shared_total - len(shown)} more shared (--limit N)", style="dim"))
    else:
        _line(console, SafeText("No proposition is shared by two of these speakers.", style="yellow"))
    if show_other <= 0:
        return
    for speaker, rows in comparison.alone.items():
        total = comparison.alone_total.get(speaker, 0)
        if not rows:
            continue
        console.print()
        _line(console, SafeText(f"{speaker} alone ({min(len(rows), show_other)} of {total} propositions)", style="bold"))
        for row in rows[:show_other]:
            line = _proposition_head(None, row)
            claim = row.representative.get(speaker)
            if claim is not None:
                line.append("  " + quoted(claim.content))
            _line(console, line)
    waiting = {s: len(c) for s, c in comparison.ungrouped.items() if c}
    if waiting:
        listed = ", ".join(f"{s} {n}" for s, n in waiting.items())
        _line(console, SafeText(f"In no proposition yet: {listed} (--format json lists them)", style="dim"))


def _render_one(comparison: Comparison, console: Console) -> None:
    rows = comparison.rows()
    if not rows:
        _line(console, SafeText("These speakers have no claim in that proposition.", style="yellow"))
        return
    row = rows[0]
    _line(console, _proposition_head(None, row))
    table = Table(show_lines=True, expand=True)
    for speaker in comparison.speakers:
        counts = row.stances()[speaker]
        table.add_column(SafeText(f"{speaker} ({stance_counts(counts)})"), ratio=1, overflow="fold")
    cells = []
    for speaker in comparison.speakers:
        claims = row.claims.get(speaker, [])
        cells.append(Group(*[claim_text(c, comparison, proposition=row.id) for c in claims]) if claims else SafeText("—", style="dim"))
    table.add_row(*cells)
    console.print(table)
    if comparison.timeline and any(any(v.values()) for v in comparison.timeline.values()):
        for speaker, buckets in comparison.timeline.items():
            line = SafeText(f"  {speaker[:20]:<20} per {comparison.granularity}: ", style="dim")
            line.append(sparkline(list(buckets.values())), style="cyan")
            _line(console, line)


# --- report --------------------------------------------------------------------------------------


def render_report(report: CorpusReport, console: Console, *, timeline_rows: int = 5) -> None:
    total = report.total
    head = SafeText(report.title, style="bold")
    if report.filters:
        head.append("  (" + filters_text(report.filters) + ")", style="dim")
    console.print(head)
    summary = SafeText(f"{total.quotes} quotes · {report.speaker_count} speakers · {len(total.outlets)} outlets")
    if total.first:
        summary.append(f" · {total.first} – {total.last}")
    console.print(summary)
    if not report.groups:
        console.print(SafeText("Nothing matches.", style="yellow"))
        return

    console.print(report_table(report, console.width))
    note = report.unresolved_note()
    if note:
        console.print(SafeText(note, style="dim"))

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


def report_table(report: CorpusReport, width: int) -> Table:
    """"Most quoted": a row per speaker, outlet or document, in the light box of the record tables
    (render.tables). Where a column per speech type and stance does not fit, the counts go in one
    column each ("3·3·4" under "direct·indirect·mixed"); row names keep their words whole."""
    table = Table(title=Text(f"Most quoted ({report.by})"), expand=False, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                  padding=(0, 1, 0, 0))
    names = [group.name for group in report.groups]
    longest_word = max((len(word) for name in names for word in name.split()), default=8)
    name_width = min(24, max(longest_word, max(map(len, names), default=8)))
    counters = [group.speakers if report.by == "outlet" else group.outlets for group in report.groups]
    others = [", ".join(f"{name} {n}" for name, n in counter.most_common(3)) for counter in counters]
    spark = max((len(group.timeline) for group in report.groups), default=1)
    wide = sum(max(len(h), 3) + 1 for h in ("Quotes", *TYPES, *STANCES)) + name_width + 1 + min(24, max(map(len, others), default=8)) + 1 + spark
    compact = wide > width
    table.add_column(report.by.capitalize(), min_width=name_width)
    table.add_column("Quotes", justify="right", no_wrap=True)
    if compact:
        table.add_column(Text("·\n".join(TYPES)), justify="right", no_wrap=True)
        table.add_column(Text("·\n".join(STANCES)), justify="right", no_wrap=True)
    else:
        for name in (*TYPES, *STANCES):
            table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Speakers" if report.by == "outlet" else "Outlets", min_width=min(12, max(map(len, others), default=8)))
    table.add_column(f"Per {report.granularity}", no_wrap=True)
    for group, other in zip(report.groups, others):
        types = [str(group.types.get(t, 0)) for t in TYPES]
        stances = [Text(str(group.stances.get(s, 0)), style=STANCE_STYLE[s] if group.stances.get(s) else "dim") for s in STANCES]
        if compact:
            counts: list = [Text("·".join(types)), Text("·").join(stances)]
        else:
            counts = [*types, *stances]
        table.add_row(
            Text(group.name, style="dim" if is_unresolved(group.name) else ""),
            str(group.quotes),
            *counts,
            Text(other),
            Text(sparkline(list(group.timeline.values())), style="cyan"),
        )
    return table


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
