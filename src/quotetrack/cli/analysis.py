"""`quotetrack compare` and `quotetrack report`: positions side by side, and who is quoted where."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from quotetrack.api import CompareError
from quotetrack.render.formats import make_console
from quotetrack.store.queries import parse_day
from quotetrack.cli import app
from quotetrack.cli.common import DbOption, check_output_option, fail, handle_errors, open_read_store
from quotetrack.io.outputs import atomic_output, write_text


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


@app.command()
@handle_errors
def compare(
    speakers: Annotated[list[str], typer.Option("--speaker", "-s", help="A speaker's name, alias or id (give two or more).")],
    topic: Annotated[str | None, typer.Option(help="Only claims about this topic (words, or a topic name such as security, economy, elections).")] = None,
    outlet: OutletOption = [],  # noqa: B006 - typer reads the default
    since: SinceOption = None,
    until: UntilOption = None,
    fmt: ReportFormatOption = ReportFormat.table,
    output: OutputOption = None,
    db: DbOption = None,
    parse: Annotated[bool, typer.Option("--parse", help="Key terms and entities from the spaCy model (slower).")] = False,
    other: Annotated[int, typer.Option(min=0, help="Claims on no shared topic shown per speaker in the table.")] = 5,
) -> None:
    """Compare speakers' claims side by side: shared topics, stances, disputes and echoes."""
    from quotetrack.render.html import comparison_html
    from quotetrack.render.terminal import render_comparison

    if len(speakers) < 2:
        raise fail("--speaker: give at least two speakers to compare", 2)
    _check_dates(since, until)
    check_output_option(output, db=db)
    with open_read_store(db) as store:
        try:
            comparison = store.compare(speakers, topic=topic, outlet=outlet, since=since, until=until, parse=parse)
        except CompareError as exc:
            raise fail(f"--speaker: {exc}", 2)
    if fmt is ReportFormat.json:
        _emit(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2) + "\n", output)
    elif fmt is ReportFormat.html:
        _emit(comparison_html(comparison), output)
    elif output:
        with atomic_output(output) as stream:
            render_comparison(comparison, make_console(stream), show_other=other)
    else:
        render_comparison(comparison, make_console(), show_other=other)


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
) -> None:
    """Who is quoted most and by which outlets, direct vs reported speech, stances, and a timeline."""
    from quotetrack.render.html import report_html
    from quotetrack.render.terminal import render_report

    _check_dates(since, until)
    check_output_option(output, db=db)
    with open_read_store(db) as store:
        result = store.report(
            speaker=speaker, outlet=outlet, doc=doc, by=by.value, since=since, until=until, top=top, samples=samples
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
