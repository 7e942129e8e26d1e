"""What every command shares: error reporting, the --format and --db options, stderr console,
opening the store."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from enum import Enum
from typing import Annotated, TypeVar

import typer
from rich.markup import escape

from quotetrack.api import Store
from quotetrack.errors import QuotetrackError
from quotetrack.render.formats import make_console, printable
from quotetrack.store import db as store_db

F = TypeVar("F", bound=Callable)


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
FullOption = Annotated[bool, typer.Option("--full", help="Tables show every quote's whole content (else cut after a few lines).")]
AllMatchingOption = Annotated[
    bool,
    typer.Option("--all-matching", help="A --speaker name that fits several speakers means all of them (else it is an error listing them)."),
]
DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="QUOTETRACK_DB", help="Database URL or SQLite path (default: see `quotetrack db path`)."),
]

err_console = make_console(stderr=True)
err_console.soft_wrap = True  # one message, one line, whatever the terminal width


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print `Error: <message>` on stderr and return the Exit to raise."""
    err_console.print(f"[red]Error:[/red] {escape(printable(message))}")
    return typer.Exit(code)


def warn(message: str) -> None:
    err_console.print(f"[yellow]Warning:[/yellow] {escape(printable(message))}")


def handle_errors(func: F) -> F:
    """Turn library errors (and anything unexpected) into one line on stderr and exit 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None
        except QuotetrackError as exc:
            if os.environ.get("QUOTETRACK_DEBUG"):
                traceback.print_exc()
            raise fail(str(exc)) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(1) from None
        except Exception as exc:  # never a traceback unless asked for
            if os.environ.get("QUOTETRACK_DEBUG"):
                traceback.print_exc()
            raise fail(f"{type(exc).__name__}: {exc} (set QUOTETRACK_DEBUG=1 for the traceback)") from None

    return wrapper  # type: ignore[return-value]


def cpu_count() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def capped_processes(n_process: int) -> int:
    """--n-process, at most the number of CPUs (more processes only compete for them and take
    memory); a warning line says so when it is capped."""
    cpus = cpu_count()
    if n_process > cpus:
        warn(f"--n-process {n_process}: capped at {cpus}, the number of CPUs available")
        return cpus
    return n_process


def check_output_option(
    output: os.PathLike | str | None,
    *,
    db: str | None = None,
    inputs: list[str] | tuple[str, ...] = (),
    uses_db: bool = True,
    option: str = "--output",
) -> None:
    """Refuse, before any work, an output file that is an input, the database in use, or an
    existing file that is no text output (see quotetrack.io.outputs)."""
    if output is None:
        return
    from quotetrack.io.outputs import check_output

    database = store_db.sqlite_path(store_db.resolve_url(db)) if uses_db else None
    check_output(output, inputs=inputs, database=database, option=option)


def open_cli_store(db: str | None, *, writable: bool = False, quiet: bool = False, create: bool = False) -> Store:
    """Open the store for a command; say so on stderr when a new database was created (unless quiet).
    Only `extract` (and `db upgrade`) create a database: for the other commands a SQLite path where
    there is none is an error, so a typo in --db never leaves an empty database behind."""
    if not create:
        path = store_db.sqlite_path(store_db.resolve_url(db))
        if path is not None and not store_db.has_database(path):
            raise QuotetrackError(f"--db {path}: no such database (extract creates one)")
    store = Store.open(db, create=create, writable=writable)
    if store.created and not quiet:
        err_console.print(
            f"Created a new database at {store_db.shown(store.url)} (schema {store_db.head_revision()})",
            markup=False,
            highlight=False,
        )
    return store


def open_read_store(db: str | None) -> Store:
    """Open the store for a command that only reads it (an error where there is none)."""
    return open_cli_store(db)
