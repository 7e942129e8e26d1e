"""`quotetrack extract`: read articles, extract quotes, write them out (and store them)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from quotetrack.api import Failure, Ingestion, IngestResult, quote_record
from quotetrack.cli import app
from quotetrack.cli.common import (
    DbOption,
    Format,
    FormatOption,
    FullOption,
    capped_processes,
    check_output_option,
    err_console,
    fail,
    handle_errors,
    open_cli_store,
    warn,
)
from quotetrack.cli.pager import NoPagerOption, paged
from quotetrack.cli.progress import RunCounts, RunProgress
from quotetrack.errors import QuotetrackError
from quotetrack.io.outputs import atomic_output
from quotetrack.io.usermeta import MetaTable, NamePattern
from quotetrack.render.formats import printable, write_records

TABLE_COLUMNS = ("id", "speaker", "cue", "stance", "content", "outlet", "published")


class InputFormat(str, Enum):
    auto = "auto"
    text = "text"
    jsonl = "jsonl"
    html = "html"


@app.command()
@handle_errors
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (recursively) or - for standard input.")],
    fmt: FormatOption = Format.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the quotes to this file.")] = None,
    db: DbOption = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not store the quotes in the database.")] = False,
    outlet: Annotated[str | None, typer.Option(help="Outlet of every input (overrides detection).")] = None,
    published: Annotated[str | None, typer.Option(help="ISO date of every input (overrides detection).")] = None,
    name_pattern: Annotated[
        str | None,
        typer.Option(
            "--name-pattern",
            help='Read outlet, date or id from file names, e.g. "{outlet}_{published}_{slug}": {outlet}, '
            "{published} (YYYY-MM-DD or YYYYMMDD), {slug}, {id}, {*} to skip.",
        ),
    ] = None,
    meta: Annotated[
        Path | None,
        typer.Option("--meta", help="CSV or JSONL with a row per document: id or path, and outlet, published, url, title."),
    ] = None,
    model: Annotated[str | None, typer.Option(envvar="QUOTETRACK_MODEL", help="spaCy model name or path.")] = None,
    n_process: Annotated[int, typer.Option(min=1, help="Parser processes.")] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per spaCy batch.")] = 32,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary on stderr.")] = False,
    full: FullOption = False,
    no_pager: NoPagerOption = False,
    cluster: Annotated[
        str | None,
        typer.Option(
            envvar="QUOTETRACK_CLUSTER",
            help="Run on a Dask cluster: a scheduler address (tcp://host:8786), or local[:N] for N local worker processes.",
        ),
    ] = None,
    input_format: Annotated[
        InputFormat,
        typer.Option(
            "--input-format",
            help="Read every input (standard input too) as text, jsonl or html; auto chooses by suffix and content.",
        ),
    ] = InputFormat.auto,
) -> None:
    """Extract quotes from articles."""
    if cluster and (name_pattern or meta):
        raise fail("--name-pattern, --meta: not available with --cluster", 2)
    try:  # a bad pattern or metadata file stops the run before the database is opened
        pattern = NamePattern.parse(name_pattern) if name_pattern else None
        table = MetaTable.load(meta) if meta else None
    except QuotetrackError as exc:
        raise fail(str(exc), 2) from None
    if cluster:
        from quotetrack.cli.extract_cluster import extract_on_cluster

        return extract_on_cluster(
            cluster, paths, fmt=fmt.value, table_columns=TABLE_COLUMNS, output=output, db=db, no_store=no_store,
            outlet=outlet, published=published, model=model, batch_size=batch_size, quiet=quiet,
        )
    counts = RunCounts()
    # An output that is an input or the database is refused before anything is read or written.
    check_output_option(output, db=db, inputs=paths, uses_db=not no_store)
    n_process = capped_processes(n_process)
    # Open the database first: a bad URL or an out-of-date schema stops the run before any work.
    store = None if no_store else open_cli_store(db, writable=True, quiet=quiet, create=True)
    progress = RunProgress(err_console, counts, enabled=not quiet)

    def failed(failure: Failure) -> None:
        # ids and messages come from the input: no terminal control characters reach stderr
        counts.failed.append(printable(failure.name))
        warn(printable(f"{failure.where}: {failure.why}"))

    def repaired(warning: Failure) -> None:
        warn(printable(f"{warning.where}: {warning.why}"))

    def done(result: IngestResult) -> None:
        counts.documents, counts.quotes = result.documents, result.quotes
        progress.update()

    run = Ingestion(
        paths, store=store, outlet=outlet, published=published, model=model, n_process=n_process,
        batch_size=batch_size, on_error=failed, progress=done, on_warning=repaired, input_format=input_format.value,
        name_pattern=pattern, meta=table,
    )
    # a very long article's quotes as its pieces are done, each with its stance and negation
    records = (quote_record(quote) for quote in run.quotes())
    interrupted = False
    try:
        with paged(not no_pager and not output and fmt is Format.table) as screen, progress:
            if output:
                # written to a temporary file, renamed over the output when the run completes
                with atomic_output(output) as stream:
                    write_records(records, fmt.value, stream, table_columns=TABLE_COLUMNS, full=full, show_hint=store is not None)
            else:
                write_records(records, fmt.value, screen, table_columns=TABLE_COLUMNS, full=full, show_hint=store is not None)
    except KeyboardInterrupt:
        # Every document stored so far was committed whole; the one in flight was rolled back.
        interrupted = True
    finally:
        records.close()
        run.close()  # stops worker processes at once when interrupted
        if store:
            store.close()
    counts.documents, counts.quotes = run.result.documents, run.result.quotes  # as stored, also when interrupted
    warn_unmatched(pattern, table)
    if not quiet or interrupted:
        stored = run.result.stored.summary() if run.result.stored else None
        err_console.print(counts.summary(stored, interrupted=interrupted), markup=False, highlight=False)
        if counts.failed:
            err_console.print(counts.failure_line(), markup=False, highlight=False)
    if interrupted:
        raise typer.Exit(130)
    if counts.failed:
        raise typer.Exit(1)


def warn_unmatched(pattern: NamePattern | None, table: MetaTable | None) -> None:
    """Once each: the file names that did not fit --name-pattern, the --meta rows no document matched."""
    if pattern is not None and pattern.misses:
        names = ", ".join(printable(name) for name in pattern.misses[:3]) + (", …" if len(pattern.misses) > 3 else "")
        count = len(pattern.misses)
        warn(
            f"--name-pattern {pattern.pattern}: {count} file name{'s' if count != 1 else ''} "
            f"{'do' if count != 1 else 'does'} not fit ({names}); outlet and date come from the text"
        )
    if table is not None:
        unused = table.unused()
        if unused:
            rows = ", ".join(f"line {row.line}: {printable(row.key)}" for row in unused[:3]) + (", …" if len(unused) > 3 else "")
            warn(f"--meta {table.path}: {len(unused)} row{'s' if len(unused) != 1 else ''} matched no document ({rows})")
