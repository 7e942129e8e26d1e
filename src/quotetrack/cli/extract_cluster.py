"""`quotetrack extract --cluster ADDRESS`: the same run on a Dask cluster (quotetrack.cluster does
the work; this renders it as the local run does: progress and warnings on stderr, the records in
input order, the summary line, exit 0, 1 when any input failed, 130 on Ctrl-C).

Imported only when --cluster is given, so a local run never imports Dask.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from quotetrack import cluster
from quotetrack.cli.common import err_console, open_cli_store, warn
from quotetrack.cli.progress import RunCounts, RunProgress
from quotetrack.render.formats import printable, write_records


def extract_on_cluster(
    address: str,
    paths: list[str],
    *,
    fmt: str,
    table_columns: tuple[str, ...],
    output: Path | None,
    db: str | None,
    no_store: bool,
    outlet: str | None,
    published: str | None,
    model: str | None,
    batch_size: int,
    quiet: bool,
) -> None:
    """Run `quotetrack extract` on the cluster at `address` (or `local[:N]`)."""
    counts = RunCounts()
    url = None
    if not no_store:
        # Refuse a SQLite file for remote workers, and open the database once here, before any
        # work: a bad URL or an out-of-date schema stops the run with one line.
        url = cluster.database_url(db, local=cluster.local_workers(address) is not None)
        open_cli_store(url, writable=True, quiet=quiet, create=True).close()
    progress = RunProgress(err_console, counts, enabled=not quiet)

    def failed(failure: cluster.Failure) -> None:
        # ids and messages come from the input: no terminal control characters reach stderr
        counts.failed.append(printable(failure.name))
        warn(printable(f"{failure.where}: {failure.why}"))
        progress.update()

    def advanced(result: cluster.ClusterResult) -> None:
        counts.documents = result.documents
        counts.quotes = result.quotes
        progress.update()

    interrupted = False
    with cluster.open_client(address) as client:
        run = cluster.ClusterRun(
            paths, client=client, db=url, store=not no_store, records=True, model=model, batch_size=batch_size,
            outlet=outlet, published=published, on_error=failed, on_progress=advanced,
        )
        try:
            with progress:
                stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
                try:
                    write_records(iter(run), fmt, stream, table_columns=table_columns)
                finally:
                    if output:
                        stream.close()
        except KeyboardInterrupt:
            # Partitions in hand end after the document being stored; what they stored is counted.
            interrupted = True
            if not quiet:
                err_console.print("Stopping: waiting for the workers to finish the documents in hand …", markup=False)
            run.stop()
        finally:
            run.close()
    result = run.result
    if not quiet or interrupted:
        stored = result.stats.summary() if result.stats is not None else None
        err_console.print(counts.summary(stored, interrupted=interrupted), markup=False, highlight=False)
        if counts.failed:
            err_console.print(counts.failure_line(), markup=False, highlight=False)
    if interrupted:
        raise typer.Exit(130)
    if counts.failed:
        raise typer.Exit(1)
