"""Writing records as json, jsonl, csv or a rich table. Article text is always escaped for rich."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

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
) -> int:
    """Write rows in the chosen format; return how many were written.

    `columns` fixes the csv header (all keys of the first row by default); `table_columns`
    picks the columns a table shows.
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
        table = Table(title=escape(title) if title else None, show_lines=False, expand=False)
        for name in shown:
            table.add_column(escape(name), overflow="fold")
        for row in rows:
            table.add_row(*(escape(printable(cell(row.get(name)))) for name in shown))
        console = make_console(stream) if stream is not sys.stdout else make_console()
        console.print(table)
        return len(rows)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
