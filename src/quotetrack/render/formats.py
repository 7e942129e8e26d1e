"""Writing records as json, jsonl, csv or a rich table. Article text is always escaped for rich."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from quotetrack.render.flat import flat_columns, flat_rows
from quotetrack.render.tables import print_records

FORMATS = ("table", "json", "jsonl", "csv")


def make_console(file: TextIO | None = None, stderr: bool = False) -> Console:
    """A console that honours NO_COLOR, never interprets markup inside data, and never lets a
    terminal control or bidi control character through (see `printable`)."""
    console = Console(
        file=file,
        stderr=stderr and file is None,
        no_color=bool(os.environ.get("NO_COLOR")),
        highlight=False,
        soft_wrap=False,
    )
    console.push_render_hook(_PrintableHook())
    return console


# Control characters (ANSI escapes, bells, backspaces, C1 codes) that article text may carry; a
# terminal would act on them, so the table shows them as \xNN instead. Line breaks and tabs stay.
# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) would reorder
# what follows them on the line ("Trojan Source"): they are shown as \uNNNN.
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0, 9), *range(11, 32), *range(127, 160)]}
_CONTROLS.update({c: f"\\u{c:04x}" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def printable(text: str) -> str:
    """text with terminal control characters and bidi controls made visible (\\x1b for ESC,
    \\u202e for RIGHT-TO-LEFT OVERRIDE). Every terminal renderer and CLI message goes through it."""
    return text.translate(_CONTROLS)


class SafeText(Text):
    """rich Text for data (article text, names, file names): never parsed as markup, and every
    string in it made `printable`. The terminal renderers build their output from it."""

    def __init__(self, text: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(printable(text), *args, **kwargs)

    def append(self, text: str | Text, style: str | Style | None = None) -> SafeText:
        if isinstance(text, str):
            text = printable(text)
        super().append(text, style)
        return self


class _Printable:
    """A renderable whose text segments are made `printable` after rendering: the last line of
    defence for anything that reached a console without going through SafeText."""

    def __init__(self, renderable: Any):
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        for segment in console.render(self.renderable, options):
            shown = segment.text if segment.control else printable(segment.text)
            yield segment if shown is segment.text or shown == segment.text else Segment(shown, segment.style)


class _PrintableHook(RenderHook):
    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Printable(r) for r in renderables]


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(…), +cmd|…, @SUM);
# CSV cells holding text that starts so get a leading ' as spreadsheets expect (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A CSV cell: `cell`, with text that a spreadsheet would run as a formula prefixed by '."""
    text = cell(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


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
            writer.writerow({k: csv_cell(v) for k, v in row.items()})
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
