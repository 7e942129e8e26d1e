"""Record tables that give the content the room, at 80 columns as at 200.

Narrow columns (ids, speakers, cues, outlets, dates) are as wide as what they hold, up to a cap;
the wide column (the quote's content) takes the rest of the terminal. Cells are wrapped at word
boundaries (a word is broken only when it is wider than its column) and cut after a few lines with
"…"; `full` keeps every line. Ids and dates are never wrapped. On a narrow terminal, some columns
go under another one (the cue under the speaker, the date under the outlet) before the content
gets less than its share.

Cells are plain text: values are made printable and never parsed as rich markup.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

GAP = 2  # spaces between columns
CONTENT_LINES = 6  # lines a cell of the wide column gets unless `full`
CELL_LINES = 2  # lines a narrow cell gets unless `full`
MIN_WIDE = 24  # the wide column never gets less than this, or 40% of the width when it can
CUT = "…"


@dataclass(frozen=True)
class Column:
    """How one record key is shown."""

    header: str
    cap: int = 16  # widest a narrow column gets
    floor: int = 8  # narrowest a wrapping column is squeezed to before the content suffers
    no_wrap: bool = False  # ids, dates: one line, full width
    wide: bool = False  # takes the remaining width
    lines: int = CELL_LINES
    share: float = 0.4  # a wide column's share of the width before other columns are stacked or squeezed
    under: str | None = None  # on a narrow terminal, shown under this column's cell
    stack_order: int = 0  # which columns go under another first (lowest first)
    label: str = ""  # prefix when shown under another column
    justify: str = "left"
    style: str = ""


COLUMNS: dict[str, Column] = {
    "id": Column("id", cap=16, no_wrap=True, style="dim"),
    "doc": Column("doc", cap=20, floor=10, style="dim"),
    "speaker": Column("speaker", cap=18, floor=12, style="bold"),
    "name": Column("name", cap=24, floor=12, style="bold"),
    "speaker_mention": Column("mention", cap=18, floor=10),
    "cue": Column("cue", cap=14, floor=8, under="speaker", stack_order=3, style="cyan"),
    "stance": Column("stance", cap=7, under="cue", stack_order=1),
    "type": Column("type", cap=8, under="speaker", stack_order=4, style="dim"),
    "content": Column("content", wide=True, lines=CONTENT_LINES),
    "outlet": Column("outlet", cap=8, floor=6),
    "published": Column("date", cap=10, no_wrap=True, under="outlet", stack_order=2, style="dim"),
    # quotes --dedupe
    "appearances": Column("seen", cap=5, justify="right", under="speaker", stack_order=5, label="seen "),
    "first_published": Column("first", cap=10, no_wrap=True, style="dim"),
    "first_outlet": Column("outlet", cap=8, floor=6, under="first_published", stack_order=2),
    "first_doc": Column("first doc", cap=20, floor=10, under="first_published", stack_order=6, style="dim"),
    "reused_in": Column("reused in", cap=20, floor=10, lines=3, under="first_published", stack_order=7, label="reused in ", style="dim"),
    "drifted": Column("drifted", cap=20, floor=10, lines=2, under="first_published", stack_order=8, label="drifted ", style="dim"),
    # speakers
    "kind": Column("kind", cap=6, under="name", stack_order=2, style="dim"),
    "quotes": Column("quotes", cap=6, justify="right"),
    "aliases": Column("aliases", wide=True, lines=3, share=0.3),
    "roles": Column("roles", cap=24, floor=12, lines=3, under="aliases", stack_order=3, label="roles: "),
    "outlets": Column("outlets", cap=14, floor=8, lines=3),
    "first": Column("first", cap=10, no_wrap=True, style="dim"),
    "last": Column("last", cap=10, no_wrap=True, under="first", stack_order=1, style="dim"),
}
STANCE_STYLE = {"asserts": "green", "denies": "red", "doubts": "magenta", "hedges": "yellow"}


def column_of(name: str) -> Column:
    return COLUMNS.get(name) or Column(name)


@dataclass
class Slot:
    """One column on screen: its own key, and those shown under it."""

    names: list[str]
    width: int = 0
    spec: Column = field(default_factory=lambda: Column(""))


@dataclass
class Rendered:
    table: Table
    cut: list[str]  # the keys of the wide column whose cells were cut


def one_line(value: Any, clean: Callable[[str], str]) -> str:
    """A cell's text on one logical line: lists joined by "; ", whitespace runs as one space."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, (list, tuple)):
        text = "; ".join(one_line(v, clean) for v in value)
    else:
        text = str(value)
    return " ".join(clean(text).split())


def wrap(text: str, width: int, lines: int | None) -> tuple[list[str], bool]:
    """The text wrapped at word boundaries to `width`, at most `lines` lines (None: all); and
    whether it was cut (the last line then ends with "…")."""
    if not text:
        return [""], False
    width = max(1, width)
    wrapped = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
    if lines is None or len(wrapped) <= lines:
        return wrapped, False
    kept = wrapped[:lines]
    last = kept[-1]
    if len(last) >= width:  # room for "…": drop the last word rather than break it
        last = last[: width - 1]
        if " " in last.strip():
            last = last.rsplit(" ", 1)[0]
    kept[-1] = re.sub(r"[\s,;:.…-]+$", "", last) + CUT
    return kept, True


def layout(names: Sequence[str], rows: Sequence[dict[str, str]], width: int) -> list[Slot]:
    """Which keys go in which on-screen column, and how wide each is."""
    specs = {name: column_of(name) for name in names}
    natural = {}
    for name in names:
        spec = specs[name]
        longest = max((len(row[name]) for row in rows), default=0)
        natural[name] = max(longest if spec.no_wrap or spec.wide else min(spec.cap, longest), len(spec.header))
    # a column is squeezed down to its floor, or to its longest word: words are not broken to make room
    floor = {
        name: min(specs[name].cap, max([specs[name].floor] + [len(word) for row in rows for word in row[name].split()]))
        for name in names
    }
    slots = [Slot([name], natural[name], specs[name]) for name in names]
    wide = next((slot for slot in slots if slot.spec.wide), None)
    want = max(MIN_WIDE, int(width * wide.spec.share)) if wide else 0

    def room() -> int:
        narrow = sum(slot.width for slot in slots if slot is not wide)
        return width - narrow - GAP * (len(slots) - 1)

    def host_of(name: str) -> Slot | None:
        target = specs[name].under
        while target is not None:
            for slot in slots:
                if target in slot.names:
                    return slot
            target = specs[target].under if target in specs else None
        return None

    if wide is not None:
        # Put columns under others, lowest stack_order first, while the content lacks room.
        empty = {name for name in names if not any(row[name] for row in rows)}
        for name in sorted((n for n in names if specs[n].under), key=lambda n: (n not in empty, specs[n].stack_order)):
            if room() >= min(want, natural[wide.names[0]]):
                break
            host = host_of(name)
            own = next(slot for slot in slots if slot.names[0] == name)
            if host is None or host is own:
                continue
            host.names.extend(own.names)
            host.width = max(host.width, own.width + (len(specs[name].label) if specs[name].no_wrap else 0))
            slots.remove(own)
        # Then squeeze the wrapping columns, widest first, down to their floor.
        while room() < min(want, natural[wide.names[0]]):
            squeezable = [
                slot for slot in slots
                if slot is not wide and slot.width > max(floor[n] for n in slot.names) and not any(specs[n].no_wrap for n in slot.names)
            ]
            if not squeezable:
                break
            max(squeezable, key=lambda s: s.width - max(floor[n] for n in s.names)).width -= 1
        wide.width = max(MIN_WIDE // 2, min(room(), max(natural[wide.names[0]], len(wide.spec.header))))
    return slots


def records_table(
    rows: Sequence[dict[str, Any]],
    names: Sequence[str],
    *,
    width: int,
    full: bool = False,
    title: str | None = None,
    clean: Callable[[str], str] = lambda text: text,
) -> Rendered:
    """The rows as a rich Table `width` characters wide at most (see the module doc)."""
    texts = [{name: one_line(row.get(name), clean) for name in names} for row in rows]
    if "speaker" in names:
        for text, row in zip(texts, rows):
            if not text["speaker"] and row.get("speaker_mention"):
                # not resolved to a speaker: the words the text uses, in parentheses
                text["speaker"] = "(" + one_line(row["speaker_mention"], clean) + ")"
    slots = layout(names, texts, width)
    table = Table(
        title=Text(title) if title else None,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        expand=False,
        header_style="bold",
    )
    for slot in slots:
        header = Text(slot.spec.header)
        for name in slot.names[1:]:
            header.append("\n" + column_of(name).header, style="dim")
        table.add_column(header, width=slot.width, no_wrap=True, overflow="ellipsis", justify=slot.spec.justify)  # type: ignore[arg-type]
    cut: list[str] = []
    for row in texts:
        cells = []
        for slot in slots:
            cell = Text()
            for index, name in enumerate(slot.names):
                spec = column_of(name)
                value = row[name]
                if index and not value:
                    continue  # nothing to show under the first part
                label = spec.label if index else ""
                if spec.no_wrap:
                    lines, was_cut = [label + value], False
                else:
                    lines, was_cut = wrap(label + value, slot.width, None if full else spec.lines)
                if was_cut and spec.wide:
                    cut.append(name)
                style = STANCE_STYLE.get(value, "") if name == "stance" else spec.style
                if name == "speaker" and value.startswith("("):
                    style = "dim"
                if index:
                    cell.append("\n")
                cell.append("\n".join(lines), style=style)
            cells.append(cell)
        table.add_row(*cells)
    return Rendered(table, cut)


def cut_hint(cut: Sequence[str], *, show: bool = True) -> str | None:
    """The line under a table whose wide cells were cut."""
    if not cut:
        return None
    name = cut[0]
    where = ", or quotetrack show ID" if show and name == "content" else ""
    return f"({name} cut: --full shows all{where})"


def print_records(
    rows: Sequence[dict[str, Any]],
    names: Sequence[str],
    console: Console,
    *,
    full: bool = False,
    title: str | None = None,
    show_hint: bool = True,
    clean: Callable[[str], str] = lambda text: text,
) -> None:
    rendered = records_table(rows, names, width=console.width, full=full, title=title, clean=clean)
    console.print(rendered.table)
    hint = cut_hint(rendered.cut, show=show_hint)
    if hint:
        console.print(Text(hint, style="dim"))


__all__ = ["COLUMNS", "Column", "cut_hint", "print_records", "records_table"]
