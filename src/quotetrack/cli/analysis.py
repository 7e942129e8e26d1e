"""`quotetrack compare` and `quotetrack report`: positions side by side, and who is quoted where."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from quotetrack.api import CompareError
from quotetrack.cli import app
from quotetrack.cli.common import (
    AllMatchingOption,
    DbOption,
    Format,
    FormatOption,
    check_output_option,
    err_console,
    fail,
    handle_errors,
    open_cli_store,
    open_read_store,
)
from quotetrack.io.outputs import atomic_output, write_text
from quotetrack.render.formats import make_console
from quotetrack.store.queries import parse_day


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    html = "html"


class GroupBy(str, Enum):
    speaker = "speaker"
    outlet = "outlet"
    doc = "doc"


ReportFormatOption = Annotated[ReportFormat, typer.Option("--format", "-f", help="table (terminal), json, or html (a self-contained page).")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")]
SinceOption = Annotated[str | None, typer.Option(help="Only quotes published on or after this date (YYYY-MM-DD).")]
UntilOption = Annotated[str | None, typer.Option(help="Only quotes published on or before this date (YYYY-MM-DD).")]
OutletOption = Annotated[list[str], typer.Option("--outlet", help="Only quotes from this outlet (repeatable).")]


def _emit(text: str, output: Path | None) -> None:
    if output:
        write_text(output, text)
    else:
        sys.stdout.write(text)


def _check_dates(since: str | None, until: str | None) -> None:
    """Bad dates fail before the database is opened, naming the option."""
    parse_day(since, "--since")
    parse_day(until, "--until")


def _console(output: Path | None, stream):
    return make_console(stream) if output else make_console()


class CompareFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


CompareFormatOption = Annotated[
    CompareFormat, typer.Option("--format", "-f", help="table (terminal), json, csv (a row per claim) or html (a self-contained page).")
]


@app.command()
@handle_errors
def compare(
    speakers: Annotated[list[str], typer.Option("--speaker", "-s", help="A speaker's name, alias or id (give two or more).")],
    topic: Annotated[
        str | None, typer.Option(help="Only claims about this topic (words, or a topic name such as security, economy, elections).")
    ] = None,
    outlet: OutletOption = [],  # noqa: B006 - typer reads the default
    since: SinceOption = None,
    until: UntilOption = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Propositions shown in each list (the table: 10 shared).")] = None,
    proposition: Annotated[int | None, typer.Option("--proposition", "-p", help="Only this proposition (P12 in the table: 12).")] = None,
    fmt: CompareFormatOption = CompareFormat.table,
    output: OutputOption = None,
    db: DbOption = None,
    parse: Annotated[bool, typer.Option("--parse", help="With --topic: key terms from the spaCy model (slower).")] = False,
    other: Annotated[int, typer.Option(min=0, help="Propositions each speaker speaks to alone, shown per speaker in the table.")] = 5,
    all_matching: AllMatchingOption = False,
) -> None:
    """Compare speakers proposition by proposition: those they share (ranked, with stances and a
    representative claim each), then what each says alone."""
    from quotetrack.analysis.compare import CSV_COLUMNS, csv_rows
    from quotetrack.render.formats import write_records
    from quotetrack.render.html import comparison_html
    from quotetrack.render.terminal import render_comparison

    if len(speakers) < 2:
        raise fail("--speaker: give at least two speakers to compare", 2)
    _check_dates(since, until)
    check_output_option(output, db=db)
    with open_read_store(db) as store:
        try:
            comparison = store.compare(
                speakers, topic=topic, outlet=outlet, since=since, until=until, parse=parse, all_matching=all_matching,
                limit=limit, proposition=proposition,
            )
        except CompareError as exc:
            raise fail(f"--speaker: {exc}", 2) from None
    if fmt is CompareFormat.json:
        _emit(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2) + "\n", output)
    elif fmt is CompareFormat.html:
        _emit(comparison_html(comparison), output)
    elif fmt is CompareFormat.csv:
        if output:
            with atomic_output(output, newline="") as stream:
                write_records(csv_rows(comparison), "csv", stream, columns=CSV_COLUMNS)
        else:
            write_records(csv_rows(comparison), "csv", sys.stdout, columns=CSV_COLUMNS)
    elif output:
        with atomic_output(output) as stream:
            render_comparison(comparison, make_console(stream), limit=limit, show_other=other)
    else:
        render_comparison(comparison, make_console(), limit=limit, show_other=other)


InputOption = Annotated[
    str | None,
    typer.Option("--input", "-i", help="Group the claims of this JSONL file ({id, speaker, text}; optional context, cue); - for stdin."),
]
PROPOSITION_COLUMNS = ("id", "doc", "speaker", "proposition", "label", "topic", "stance", "evidence", "content")


@app.command()
@handle_errors
def propositions(
    speaker: Annotated[str | None, typer.Option("--speaker", "-s", help="Only this speaker's quotes (name, alias or id).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only quotes from this outlet.")] = None,
    search: Annotated[str | None, typer.Option(help="Only quotes whose content matches this full-text search.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many quotes.")] = None,
    input: InputOption = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Recompute the store's propositions from scratch.")] = False,
    fmt: FormatOption = Format.table,
    output: OutputOption = None,
    db: DbOption = None,
    all_matching: AllMatchingOption = False,
) -> None:
    """Each claim's proposition and stance toward it: {id, proposition, label, stance} per claim.

    Over the store (the quotes `quotes` selects with the same filters; quotes not grouped yet are
    grouped first), or over a JSONL of claims with --input."""
    from quotetrack.render.formats import write_records

    _check_dates(since, until)
    if input is not None:
        if rebuild or speaker or outlet or search or since or until:
            raise fail("--input: the store's filters and --rebuild do not apply to a claims file", 2)
        rows = [g.to_dict() for g in _group_file(input)]
        if limit:
            rows = rows[:limit]
        columns: tuple[str, ...] = ("id", "speaker", "proposition", "label", "topic", "stance", "evidence")
    else:
        with open_cli_store(db) as store:
            if rebuild:
                summary = store.update_propositions(rebuild=True, progress=_progress())
                err_console.print(
                    f"Rebuilt: {summary.propositions} propositions, {summary.waiting} quotes in none yet", markup=False, highlight=False
                )
            rows = store.propositions(
                speaker=speaker, outlet=outlet, search=search, since=since, until=until, limit=limit, all_matching=all_matching
            )
        columns = PROPOSITION_COLUMNS
    stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        shown = ("id", "speaker", "proposition", "label", "stance", "evidence")
        write_records(rows, fmt.value, stream, columns=columns, table_columns=shown)
    finally:
        if output:
            stream.close()


def _progress():
    """Progress of a rebuild on stderr, every 50,000 quotes."""
    shown = [0]

    def report(done: int, total: int) -> None:
        if done - shown[0] >= 50_000 or done == total:
            shown[0] = done
            err_console.print(f"grouped {done} of {total} quotes", markup=False, highlight=False)

    return report


def _group_file(path: str):
    from quotetrack.analysis.propositions import ClaimText, group_claims
    from quotetrack.errors import QuotetrackError

    handle = sys.stdin if path == "-" else open(path, encoding="utf-8")
    claims = []
    try:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                claims.append(
                    ClaimText(
                        str(record["id"]), record.get("speaker"), str(record["text"]), record.get("context"), record.get("cue")
                    )
                )
            except (ValueError, KeyError, TypeError) as exc:
                where = "stdin" if path == "-" else path
                raise QuotetrackError(f"{where}:{number}: not a claim record {{id, speaker, text}} ({type(exc).__name__}: {exc})") from None
    finally:
        if handle is not sys.stdin:
            handle.close()
    return group_claims(claims)


@app.command()
@handle_errors
def report(
    speaker: Annotated[list[str], typer.Option("--speaker", "-s", help="Only this speaker (name, alias or id; repeatable).")] = [],  # noqa: B006
    outlet: OutletOption = [],  # noqa: B006
    doc: Annotated[list[str], typer.Option("--doc", help="Only this document id (repeatable).")] = [],  # noqa: B006
    by: Annotated[GroupBy, typer.Option("--by", help="What the rows are.")] = GroupBy.speaker,
    since: SinceOption = None,
    until: UntilOption = None,
    top: Annotated[int, typer.Option(min=1, help="Rows shown.")] = 20,
    samples: Annotated[int, typer.Option(min=0, help="Latest claims shown per row.")] = 3,
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
    db: DbOption = None,
    all_matching: AllMatchingOption = False,
) -> None:
    """Who is quoted most and by which outlets, direct vs reported speech, stances, and a timeline."""
    from quotetrack.render.html import report_html
    from quotetrack.render.terminal import render_report

    _check_dates(since, until)
    check_output_option(output, db=db)
    with open_read_store(db) as store:
        result = store.report(
            speaker=speaker, outlet=outlet, doc=doc, by=by.value, since=since, until=until, top=top, samples=samples,
            all_matching=all_matching,
        )
    if fmt is ReportFormat.json:
        _emit(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", output)
    elif fmt is ReportFormat.html:
        _emit(report_html(result), output)
    elif output:
        with atomic_output(output) as stream:
            render_report(result, make_console(stream))
    else:
        render_report(result, make_console())
