"""Long output on a terminal goes through a pager, as git does.

When standard output is a terminal and what a command prints is taller than the screen, it is
piped through $QUOTETRACK_PAGER, else $PAGER, else `less -R -F -X` (colours kept; a screenful or
less is printed and the pager quits; the screen is not cleared). Never when standard output is a
pipe or a file, with --no-pager, with NO_PAGER set, or with QUOTETRACK_PAGER (or PAGER) set to
"never", "cat" or nothing.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, TextIO

import typer

DEFAULT_PAGER = "less -R -F -X"
OFF = {"", "never", "cat", "false", "0", "no", "off"}

NoPagerOption = Annotated[
    bool,
    typer.Option("--no-pager", help="Print everything at once, never through a pager (also: NO_PAGER=1 or QUOTETRACK_PAGER=never)."),
]


def pager_command() -> str | None:
    """The pager to use, or None when paging is switched off by the environment."""
    if os.environ.get("NO_PAGER"):
        return None
    for variable in ("QUOTETRACK_PAGER", "PAGER"):
        value = os.environ.get(variable)
        if value is not None:
            return None if value.strip().lower() in OFF else value
    return DEFAULT_PAGER


class TerminalBuffer(io.StringIO):
    """Collects what would go to the terminal; rich writes to it as to a terminal (colours, width)."""

    def isatty(self) -> bool:
        return True


@contextmanager
def paged(enabled: bool = True) -> Iterator[TextIO]:
    """A stream to print to: standard output itself, or a buffer shown through the pager at the end
    when standard output is a terminal and the text is taller than the screen."""
    command = pager_command() if enabled else None
    stdout = sys.stdout
    if command is None or not _is_terminal(stdout):
        yield stdout
        return
    buffer = TerminalBuffer()
    sys.stdout = buffer  # rich consoles made while paging (make_console()) write here too
    try:
        yield buffer
    finally:
        sys.stdout = stdout
    show(buffer.getvalue(), command, stdout)


def show(text: str, command: str, stdout: TextIO) -> None:
    """Print the text, through the pager when it is taller than the screen."""
    height = shutil.get_terminal_size(fallback=(80, 24)).lines
    if text.count("\n") < height or not _runs(command):
        stdout.write(text)
        stdout.flush()
        return
    stdout.flush()
    environment = dict(os.environ)
    environment.setdefault("LESS", "FRX")  # as git: quit on one screen, keep colours, no clearing
    environment.setdefault("LV", "-c")
    try:
        subprocess.run(command, shell=True, input=text, text=True, encoding="utf-8", env=environment, check=False)
    except (OSError, KeyboardInterrupt):
        pass


def _runs(command: str) -> bool:
    """True when the pager's program is there to run."""
    program = command.split()[0] if command.split() else ""
    return bool(program) and shutil.which(program) is not None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
