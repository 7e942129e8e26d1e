"""`quotetrack extract`: read articles, extract quotes, write them out (and store them)."""

from __future__ import annotations

import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from quotetrack.errors import InputError
from quotetrack.render.formats import printable, write_records
from quotetrack.extraction.pipeline import ExtractionError, extract_documents
from quotetrack.cli.progress import RunCounts, RunProgress
from quotetrack.io.readers import iter_documents
from quotetrack.store.ingest import Ingestor, StoreFailure
from quotetrack.cli import app
from quotetrack.cli.common import DbOption, Format, FormatOption, err_console, handle_errors, warn
from quotetrack.cli.store import open_cli_store

TABLE_COLUMNS = ("doc", "type", "speaker", "speaker_mention", "cue", "content")


@contextmanager
def interrupt_after():
    """Ctrl-C while a document is being stored and counted takes effect once that is done, so the
    closing summary counts exactly what the database holds."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt


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
    model: Annotated[str | None, typer.Option(envvar="QUOTETRACK_MODEL", help="spaCy model name or path.")] = None,
    n_process: Annotated[int, typer.Option(min=1, help="Parser processes.")] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Documents per spaCy batch.")] = 32,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary on stderr.")] = False,
    cluster: Annotated[
        str | None,
        typer.Option(
            envvar="QUOTETRACK_CLUSTER",
            help="Run on a Dask cluster: a scheduler address (tcp://host:8786), or local[:N] for N local worker processes.",
        ),
    ] = None,
) -> None:
    """Extract quotes from articles."""
    if cluster:
        from quotetrack.cli.extract_cluster import extract_on_cluster

        return extract_on_cluster(
            cluster, paths, fmt=fmt.value, table_columns=TABLE_COLUMNS, output=output, db=db, no_store=no_store,
            outlet=outlet, published=published, model=model, batch_size=batch_size, quiet=quiet,
        )
    counts = RunCounts()
    # Open the database first: a bad URL or an out-of-date schema stops the run before any work.
    store = None if no_store else open_cli_store(db, writable=True, quiet=quiet)
    ingestor = Ingestor(store) if store else None
    progress = RunProgress(err_console, counts, enabled=not quiet)

    def failed(where: str, why: str, name: str | None = None) -> None:
        # ids and messages come from the input: no terminal control characters reach stderr
        counts.failed.append(printable(name or where))
        warn(printable(f"{where}: {why}"))
        progress.update()

    def documents():
        for item in iter_documents(paths, outlet=outlet, published=published):
            if isinstance(item, InputError):
                failed(item.where, item.why, Path(item.where).name or item.where)
                continue
            yield item

    def not_extracted(document, error: ExtractionError) -> None:
        failed(document.id, error.why)

    def rows():
        for document, quotes in extract_documents(
            documents(), model=model, batch_size=batch_size, n_process=n_process, on_error=not_extracted
        ):
            with interrupt_after():
                if ingestor:
                    try:
                        ingestor.add(document, quotes)
                    except StoreFailure as exc:  # this document only; it left nothing behind
                        failed(document.id, str(exc).removeprefix(f"{document.id}: "))
                counts.documents += 1
                counts.quotes += len(quotes)
            progress.update()
            for quote in quotes:
                yield quote.to_dict()

    interrupted = False
    records = rows()
    try:
        with progress:
            stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
            try:
                write_records(records, fmt.value, stream, table_columns=TABLE_COLUMNS)
            finally:
                if output:
                    stream.close()
    except KeyboardInterrupt:
        # Every document stored so far was committed whole; the one in flight was rolled back.
        interrupted = True
    finally:
        records.close()  # stops worker processes at once when interrupted
        if store:
            store.close()
    if not quiet or interrupted:
        stored = ingestor.stats.summary() if ingestor else None
        err_console.print(counts.summary(stored, interrupted=interrupted), markup=False, highlight=False)
        if counts.failed:
            err_console.print(counts.failure_line(), markup=False, highlight=False)
    if interrupted:
        raise typer.Exit(130)
    if counts.failed:
        raise typer.Exit(1)
