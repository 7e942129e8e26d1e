"""`quotetrack extract`: read articles, extract quotes, write them out (and store them)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from ..meta import apply_meta
from ..output import write_records
from ..pipeline import extract_documents
from ..readers import iter_documents
from ..store.ingest import Ingestor, StoreFailure
from . import app
from .common import DbOption, Format, FormatOption, err_console, handle_errors, warn
from .store import open_cli_store

TABLE_COLUMNS = ("doc", "type", "speaker", "speaker_mention", "cue", "content")


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
) -> None:
    """Extract quotes from articles."""
    failures: list[Exception] = []
    counts = {"documents": 0, "quotes": 0}
    # Open the database first: a bad URL or an out-of-date schema stops the run before any work.
    store = None if no_store else open_cli_store(db, writable=True)
    ingestor = Ingestor(store) if store else None

    def documents():
        for item in iter_documents(paths, outlet=outlet, published=published):
            if isinstance(item, InputError):
                failures.append(item)
                warn(str(item))
                continue
            yield item

    def rows():
        for document, quotes in extract_documents(
            documents(), model=model, batch_size=batch_size, n_process=n_process
        ):
            counts["documents"] += 1
            counts["quotes"] += len(quotes)
            document, meta = apply_meta(document, quotes)
            if ingestor:
                try:
                    ingestor.add(document, quotes, meta)
                except StoreFailure as exc:  # this document only; it left nothing behind
                    failures.append(exc)
                    warn(str(exc))
            for quote in quotes:
                yield quote.to_dict()

    try:
        stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            write_records(rows(), fmt.value, stream, table_columns=TABLE_COLUMNS)
        finally:
            if output:
                stream.close()
    finally:
        if store:
            store.close()
    if not quiet:
        stored = f"; {ingestor.stats.summary()}" if ingestor else ""
        err_console.print(
            f"{counts['documents']} documents, {counts['quotes']} quotes, {len(failures)} failed{stored}",
            markup=False,
            highlight=False,
        )
    if failures:
        raise typer.Exit(1)
