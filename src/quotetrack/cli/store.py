"""Commands over the quote store: `db upgrade|path`, `quotes`, `speakers` (and merge/rename/split), `show`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.text import Text

from quotetrack.analysis import appearances
from quotetrack.api import Correction, QuoteDetail, Store
from quotetrack.cli import app
from quotetrack.cli.common import (
    AllMatchingOption,
    DbOption,
    Format,
    FormatOption,
    FullOption,
    check_output_option,
    err_console,
    fail,
    handle_errors,
    open_cli_store,
)
from quotetrack.cli.pager import NoPagerOption, paged
from quotetrack.io.outputs import atomic_output
from quotetrack.render.formats import SafeText, make_console, printable, write_records
from quotetrack.render.terminal import STANCE_STYLE, render_provenance
from quotetrack.store import db as store_db
from quotetrack.store import queries

db_app = typer.Typer(help="The database: where it is, and upgrading its schema.", no_args_is_help=True)
speakers_app = typer.Typer(
    help="List speakers (with aliases, roles, quote counts, outlets, dates), or correct their identity.",
    invoke_without_command=True,
)
app.add_typer(db_app, name="db")
app.add_typer(speakers_app, name="speakers")


class QuoteType(str, Enum):
    direct = "direct"
    indirect = "indirect"
    mixed = "mixed"


# --- db ------------------------------------------------------------------------------------------


@db_app.command("upgrade")
@handle_errors
def db_upgrade(db: DbOption = None) -> None:
    """Create the database or bring its schema up to date."""
    url = store_db.resolve_url(db)
    before, after = store_db.upgrade(url)
    if before == after:
        err_console.print(f"{store_db.shown(url)} is up to date (schema {after})", markup=False)
    else:
        err_console.print(f"{store_db.shown(url)} upgraded from {before or 'empty'} to schema {after}", markup=False)


@db_app.command("path")
@handle_errors
def db_path(db: DbOption = None) -> None:
    """Print the database in use: the SQLite file path, or the URL without its password."""
    url = store_db.resolve_url(db)
    path = store_db.sqlite_path(url)
    typer.echo(str(path) if path is not None else store_db.shown(url))


# --- quotes --------------------------------------------------------------------------------------

QUOTE_TABLE = ("id", "speaker", "cue", "stance", "content", "outlet", "published")
CLAIM_COLUMNS = (
    "id", "speaker", "content", "appearances", "first_doc", "first_outlet", "first_published", "reused_in", "drifted",
)
CLAIM_TABLE = ("id", "speaker", "appearances", "content", "first_published", "first_outlet", "first_doc", "reused_in", "drifted")
# The csv columns of a quote: the record's, with its stance and whether its cue is negated after the cue.
QUOTE_CSV = tuple(c for name in queries.QUOTE_COLUMNS for c in ((name, "stance", "negated") if name == "cue" else (name,)))


@app.command()
@handle_errors
def quotes(
    speaker: Annotated[str | None, typer.Option(help="A speaker's name or any alias (\"Tokayev\").")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only quotes published by this outlet.")] = None,
    search: Annotated[str | None, typer.Option(help="Full-text search in the quoted content.")] = None,
    type: Annotated[QuoteType | None, typer.Option("--type", help="direct, indirect or mixed.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before this date (YYYY-MM-DD).")] = None,
    limit: Annotated[
        int | None,
        typer.Option(min=1, help="At most this many quotes (with --dedupe: claims, after grouping every selected quote)."),
    ] = None,
    dedupe: Annotated[
        bool,
        typer.Option(
            "--dedupe",
            help="One row per claim: the same quote in several documents is grouped, with its first "
            "appearance (doc, outlet, date), the documents that reused it and those whose wording drifted.",
        ),
    ] = False,
    unresolved: Annotated[
        bool, typer.Option("--unresolved", help="Only quotes without a resolved speaker (the report's \"(unresolved: …)\" rows).")
    ] = False,
    all_matching: AllMatchingOption = False,
    fmt: FormatOption = Format.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")] = None,
    db: DbOption = None,
    full: FullOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """Stored quotes, oldest first, filtered by speaker, outlet, text, type and date."""
    if unresolved and speaker:
        raise fail("--unresolved: quotes without a resolved speaker have no --speaker; drop one of the two", 2)
    filters: dict[str, Any] = dict(
        speaker=speaker,
        outlet=outlet,
        search=search,
        type=type.value if type else None,
        since=queries.parse_day(since, "--since"),
        until=queries.parse_day(until, "--until"),
    )
    check_output_option(output, db=db)
    with open_cli_store(db) as store:
        if dedupe:  # `limit` counts claims, after grouping every selected quote
            if unresolved:
                raise fail("--unresolved: not with --dedupe", 2)
            claims = store.dedupe(**filters, limit=limit)
        else:
            rows = store.quotes(**filters, limit=limit, all_matching=all_matching, unresolved=unresolved)
    with paged(not no_pager and output is None and fmt is Format.table), output_stream(output) as stream:
        if dedupe:
            claim_rows = appearances.dedupe_rows(claims, detail=fmt in (Format.json, Format.jsonl))
            write_records(claim_rows, fmt.value, stream, columns=CLAIM_COLUMNS, table_columns=CLAIM_TABLE, full=full)
            return
        write_records(rows, fmt.value, stream, columns=QUOTE_CSV, table_columns=QUOTE_TABLE, full=full)


@contextmanager
def output_stream(output: Path | None) -> Iterator[TextIO]:
    """The --output file (replaced atomically when the block completes), or standard output."""
    if output is None:
        yield sys.stdout
        return
    with atomic_output(output) as stream:
        yield stream


# --- speakers ------------------------------------------------------------------------------------

SPEAKER_TABLE = ("id", "name", "kind", "quotes", "aliases", "roles", "outlets", "first", "last")


@speakers_app.callback()
@handle_errors
def speakers(
    ctx: typer.Context,
    search: Annotated[str | None, typer.Option(help="Only speakers whose name or an alias fits this.")] = None,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
    full: FullOption = False,
    no_pager: NoPagerOption = False,
) -> None:
    """List speakers, most quoted first."""
    ctx.obj = db
    if ctx.invoked_subcommand is not None:
        return
    with open_cli_store(db) as store:
        rows = store.speakers(search)
    with paged(not no_pager and fmt is Format.table):
        write_records(rows, fmt.value, columns=queries.SPEAKER_COLUMNS, table_columns=SPEAKER_TABLE, full=full)


def _correct(ctx: typer.Context, db: str | None, correction: Callable[[Store], Correction]) -> Correction:
    group = ctx.parent
    if group is not None and not _given(ctx, "db") and _given(group, "db"):
        db = group.params["db"]  # `speakers --db X merge …`: the group's --db wins over QUOTETRACK_DB
    db = db or ctx.obj
    with open_cli_store(db, writable=True) as store:
        return correction(store)


def _given(ctx: Any, name: str) -> bool:
    """Whether the option was given on the command line (not taken from the environment or default)."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name == "COMMANDLINE"  # typer may bundle its own click


def _say(message: str) -> None:
    err_console.print(printable(message), markup=False, highlight=False)


@speakers_app.command("merge")
@handle_errors
def speakers_merge(
    ctx: typer.Context,
    keep: Annotated[str, typer.Argument(help="The speaker to keep (name, alias or id).")],
    other: Annotated[str, typer.Argument(help="The speaker merged into it (name, alias or id).")],
    db: DbOption = None,
) -> None:
    """Merge speaker OTHER into KEEP: its quotes, aliases and roles move to KEEP."""
    done = _correct(ctx, db, lambda store: store.merge(keep, other))
    _say(f"Merged {done.origin.name} ({done.origin.id}) into {done.speaker.name} ({done.speaker.id})")


@speakers_app.command("rename")
@handle_errors
def speakers_rename(
    ctx: typer.Context,
    speaker: Annotated[str, typer.Argument(help="The speaker (name, alias or id).")],
    name: Annotated[str, typer.Argument(help="Its new canonical name.")],
    db: DbOption = None,
) -> None:
    """Give a speaker a new canonical name (the old one stays an alias)."""
    done = _correct(ctx, db, lambda store: store.rename(speaker, name))
    _say(f"Renamed {done.origin.name} ({done.origin.id}) to {done.speaker.name}")


@speakers_app.command("split")
@handle_errors
def speakers_split(
    ctx: typer.Context,
    speaker: Annotated[str, typer.Argument(help="The speaker to split (name, alias or id).")],
    alias: Annotated[list[str] | None, typer.Option("--alias", help="Move the quotes under this alias (repeatable).")] = None,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Move the speaker's quotes in this document (repeatable).")] = None,
    name: Annotated[str | None, typer.Option("--name", help="The new speaker's name (default: the first alias).")] = None,
    db: DbOption = None,
) -> None:
    """Split some quotes of a speaker off into a new speaker, by alias or by document."""
    done = _correct(ctx, db, lambda store: store.split(speaker, aliases=alias or [], documents=doc or [], name=name))
    _say(f"Split {done.speaker.name} ({done.speaker.id}) off {done.origin.name} ({done.origin.id})")


# --- show ----------------------------------------------------------------------------------------

STYLES = {"content": "bold yellow", "cue": "bold cyan underline", "mention": "bold green"}


@app.command()
@handle_errors
def show(
    quote_id: Annotated[str, typer.Argument(help="The quote's id (or a unique prefix of it).")],
    fmt: FormatOption = Format.table,
    db: DbOption = None,
    no_pager: NoPagerOption = False,
) -> None:
    """One quote in its paragraph: content, cue and speaker mention highlighted, with outlet and date,
    and its provenance when the same claim appears in other stored documents."""
    with open_cli_store(db) as store:
        found = store.show(quote_id)
    if fmt is not Format.table:
        write_records([found.to_flat() if fmt is Format.csv else found.to_dict()], fmt.value)
        return
    with paged(not no_pager):
        show_quote(found)


def show_quote(found: QuoteDetail) -> None:
    record = found.record
    console = make_console()
    head = SafeText()
    head.append(f"{record['speaker'] or 'unknown speaker'}", style="bold")
    head.append(f"  {record['type']} quote {record['id']}")
    console.print(head)
    source = [record["outlet"] or "unknown outlet", record["published"] or "undated", f"document {record['doc']}"]
    if found.republished_by:
        source.insert(1, f"republished by {found.republished_by}")
    if found.dateline_place:
        source.insert(1, found.dateline_place)
    console.print(SafeText(" · ".join(source), style="dim"))
    if found.title:
        console.print(SafeText(found.title, style="italic"))
    if found.url:
        console.print(Text(printable(found.url), style=f"link {found.url}" if "]" not in found.url else ""))
    console.print(stance_line(record))
    console.print(highlighted(found))
    legend = SafeText()
    for label, key in (("content", "content"), ("cue", "cue"), ("speaker mention", "mention")):
        legend.append(f"[{label}] ", style=STYLES[key])
    if record["reported_by"]:
        legend.append(f" reported by {record['reported_by']}")
    console.print(legend)
    if len(found.claim.appearances) > 1:
        render_provenance(found.claim, console, current=record["id"])


def stance_line(record: dict[str, Any]) -> Text:
    """"denies · cue: does not think (negated)"."""
    line = Text(record.get("stance") or "", style=STANCE_STYLE.get(record.get("stance") or "", ""))
    if record["cue"]:
        line.append(f" · cue: {printable(record['cue'])}" + (" (negated)" if record.get("negated") else ""), style="dim")
    return line


def highlighted(found: QuoteDetail) -> Text:
    """The paragraph as rich Text (never parsed as markup, control characters made printable) with
    the quote's spans styled."""
    record = found.record
    paragraph = found.paragraph
    base = found.paragraph_start
    limit = len(paragraph)
    styles: list[tuple[int, int, str]] = []

    def mark(span, style):
        if span:
            start, end = max(0, span[0] - base), min(limit, span[1] - base)
            if start < end:
                styles.append((start, end, style))

    for span in record["content_spans"]:
        mark(span, STYLES["content"])
    mark(record["cue_span"], STYLES["cue"])
    mark(record["speaker_span"], STYLES["mention"])
    # Made printable piece by piece, so the styles land on the same characters however long the
    # escapes (\x1b, \u202e) make the text.
    cuts = sorted({0, limit, *(p for start, end, _ in styles for p in (start, end))})
    text = Text()
    at = {0: 0}
    for start, end in zip(cuts, cuts[1:]):
        text.append(printable(paragraph[start:end]))
        at[end] = len(text)
    for start, end, style in styles:
        text.stylize(style, at[start], at[end])
    return text

