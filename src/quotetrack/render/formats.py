"""Writing records as json, jsonl, csv or a rich table. Article text is always escaped for rich."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from rich.console import Console

from quotetrack.render.flat import flat_columns, flat_rows
from quotetrack.render.tables import print_records

FORMATS = ("table", "json", "jsonl", "csv")


def make_console(file: TextIO | None = None, stderr: bool = False) -> Console:
    """A console that honours NO_COLOR and never interprets markup inside data."""
    return Console(
        file=file,
        stderr=stderr and file is None,
        no_color=bool(os.environ.get("NO_COLOR")),
        highlight=False,
        soft_wrap=False,
    )


# Control characters (ANSI escapes, bells, backspaces, C1 codes) that article text may carry; a
# terminal would act on them, so the table shows them as \xNN instead. Line breaks and tabs stay.
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0, 9), *range(11, 32), *range(127, 160)]}


def printable(text: str) -> str:
    """text with terminal control characters made visible (\\x1b for ESC)."""
    return text.translate(_CONTROLS)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_records(
    rows: Iterable[dict[str, Any]],
    fmt: str,
    stream: TextIO | None = None,
    *,
    columns: Sequence[str] | None = None,
    table_columns: Sequence[str] | None = None,
    title: str | None = None,
    full: bool = False,
    show_hint: bool = True,
) -> int:
    """Write rows in the chosen format; return how many were written.

    `columns` fixes the csv header (all keys of the first row by default); `table_columns`
    picks the columns a table shows (render.tables: content cut after a few lines unless `full`,
    with a hint line that names `quotetrack show ID` when `show_hint`).
    """
    stream = stream or sys.stdout
    count = 0
    if fmt == "jsonl":
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        return count
    if fmt == "json":
        rows = list(rows)
        stream.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return len(rows)
    if fmt == "csv":
        rows, columns = flat_rows(rows), (flat_columns(columns) if columns else columns)  # no JSON in cells
        writer = None
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(stream, fieldnames=list(columns or row.keys()), extrasaction="ignore")
                writer.writeheader()
            writer.writerow({k: cell(v) for k, v in row.items()})
            count += 1
        if writer is None and columns:
            csv.DictWriter(stream, fieldnames=list(columns)).writeheader()
        return count
    if fmt == "table":
        rows = list(rows)
        shown = list(table_columns or columns or (rows[0].keys() if rows else []))
        console = make_console(stream) if stream is not sys.stdout else make_console()
        print_records(rows, shown, console, full=full, title=title, show_hint=show_hint, clean=printable)
        return len(rows)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
