"""What every command shares: error reporting, the --format and --db options, stderr console,
opening the store."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from enum import Enum
from typing import Annotated, Callable, TypeVar

import typer
from rich.markup import escape

from quotetrack.api import Store
from quotetrack.errors import QuotetrackError
from quotetrack.render.formats import make_console
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


def fail(message: str, code: int = 1) -> "typer.Exit":
    """Print `Error: <message>` on stderr and return the Exit to raise."""
    err_console.print(f"[red]Error:[/red] {escape(message)}")
    return typer.Exit(code)


def warn(message: str) -> None:
    err_console.print(f"[yellow]Warning:[/yellow] {escape(message)}")


def handle_errors(func: F) -> F:
    """Turn library errors (and anything unexpected) into one line on stderr and exit 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            raise fail("interrupted", 130)
        except QuotetrackError as exc:
            if os.environ.get("QUOTETRACK_DEBUG"):
                traceback.print_exc()
            raise fail(str(exc))
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(1)
        except Exception as exc:  # never a traceback unless asked for
            if os.environ.get("QUOTETRACK_DEBUG"):
                traceback.print_exc()
            raise fail(f"{type(exc).__name__}: {exc} (set QUOTETRACK_DEBUG=1 for the traceback)")

    return wrapper  # type: ignore[return-value]


def open_cli_store(db: str | None, *, writable: bool = False, quiet: bool = False) -> Store:
    """Open the store for a command; say so on stderr when a new database was created (unless quiet)."""
    store = Store.open(db, create=True, writable=writable)
    if store.created and not quiet:
        err_console.print(
            f"Created a new database at {store_db.shown(store.url)} (schema {store_db.head_revision()})",
            markup=False,
            highlight=False,
        )
    return store
