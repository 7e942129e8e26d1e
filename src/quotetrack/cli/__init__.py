"""The `quotetrack` command: a thin layer over the library. Each command group lives in its own module."""

from __future__ import annotations

from typing import Annotated

import typer

from quotetrack.cli.usage import ReadableGroup

app = typer.Typer(
    name="quotetrack",
    help="Extract who said what from news articles, store the claims, compare positions.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=ReadableGroup,
)


def _version(value: bool) -> None:
    if value:
        import quotetrack

        typer.echo(f"quotetrack {quotetrack.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Extract who said what from news articles, store the claims, compare positions."""


# Each module adds its commands to `app` when imported.
from quotetrack.cli import analysis as _analysis  # noqa: E402, F401
from quotetrack.cli import evaluate as _evaluate  # noqa: E402, F401
from quotetrack.cli import extract as _extract  # noqa: E402, F401
from quotetrack.cli import store as _store  # noqa: E402, F401


def main() -> None:
    app()
