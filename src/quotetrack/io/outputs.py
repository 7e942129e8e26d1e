"""Output files (`-o/--output`, `evaluate --errors`): checked before any work, written atomically.

- An output that is one of the inputs, lies inside an input directory, is the database in use (or
  its -wal/-shm/-journal file), or is an existing file that is not a text output (a SQLite
  database, a PDF, an archive, anything binary) or a directory, is refused with one line naming
  it, before anything is read or written (`check_output`).
- Outputs are written to a temporary file next to the target and renamed over it only when the
  run completed (`atomic_output`): a run that fails or is interrupted leaves the old file as it
  was. Special files (/dev/null, a pipe) are written in place.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from quotetrack.errors import QuotetrackError

SQLITE_HEADER = b"SQLite format 3\x00"
DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")
HEAD_BYTES = 64 * 1024


class OutputError(QuotetrackError):
    """An output path that would destroy an input, the database, or a file that is not an output."""


def check_output(
    path: str | os.PathLike,
    *,
    inputs: Iterable[str | os.PathLike] = (),
    database: str | os.PathLike | None = None,
    option: str = "--output",
) -> None:
    """Raise OutputError (one line: `<option> <path>: <why>`) unless writing `path` is safe."""
    from quotetrack.io.readers import shown

    name = shown(os.fspath(path))

    def refuse(why: str) -> OutputError:
        return OutputError(f"{option} {name}: {why}; nothing was read or written")

    target = Path(os.path.realpath(path))
    sources = [(os.fspath(given), Path(os.path.realpath(given))) for given in inputs if os.fspath(given) != "-"]
    if any(target == source or _same_file(target, source) for _, source in sources):
        raise refuse("is one of the inputs")
    for given, source in sources:
        if source.is_dir() and source in target.parents:
            raise refuse(f"is inside the input directory {shown(given)}")
    if database is not None:
        db = Path(os.path.realpath(database))
        if any(target == Path(f"{db}{suffix}") for suffix in DATABASE_SUFFIXES) or _same_file(target, db):
            raise refuse("is the database in use")
    if target.is_dir():
        raise refuse("is a directory")
    if target.exists():
        if not target.is_file():
            return  # /dev/null, a pipe, a terminal: written in place
        kind = existing_kind(target)
        if kind:
            raise refuse(f"is {kind}, not a text output")
        return
    parent = target.parent
    if not parent.is_dir():
        raise refuse(f"its directory {shown(str(Path(path).parent))} does not exist")
    if not os.access(parent, os.W_OK):
        raise refuse(f"its directory {shown(str(Path(path).parent))} is not writable")


def existing_kind(path: Path) -> str | None:
    """What an existing file is when it is no text output ("a SQLite database", ...), else None."""
    from quotetrack.io.readers import binary_kind

    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return None  # unreadable: writing it will say why
    if head.startswith(SQLITE_HEADER):
        return "a SQLite database"
    kind = binary_kind(head)
    if kind and kind != "utf-16":
        return f"a binary file ({kind})"
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


@contextmanager
def atomic_output(path: str | os.PathLike, *, newline: str | None = "") -> Iterator[TextIO]:
    """A text stream for `path` (UTF-8) that replaces the file only when the block completes."""
    target = Path(os.path.realpath(path))  # through a symbolic link: the file it names is replaced
    if target.exists() and not target.is_file():
        with open(target, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
        return
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _mode_for(target: Path) -> int:
    """The permissions the output gets: the replaced file's, else the usual ones for a new file."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write a whole text output atomically."""
    with atomic_output(path) as stream:
        stream.write(text)
