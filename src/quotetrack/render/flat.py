"""CSV rows a spreadsheet reads: no JSON in cells.

A record's `[start, end]` spans become two columns (`cue_span` -> `cue_start`, `cue_end`), a list of
spans one cell "s-e; s-e" (`content_spans`), a list of names one cell joined by "; " (aliases).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

LIST_SEPARATOR = "; "


def is_span(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in value)


def span_columns(name: str) -> tuple[str, str] | None:
    """("cue_start", "cue_end") for "cue_span"; None for a column that is no single span."""
    if name.endswith("_span"):
        stem = name[: -len("_span")]
        return f"{stem}_start", f"{stem}_end"
    return None


def flat_value(value: Any) -> Any:
    """A list as one cell: spans as "s-e", anything else by its text, joined by "; "."""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(f"{v[0]}-{v[1]}" if is_span(v) else str(flat_value(v)) for v in value)
    return value


def flat_row(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in row.items():
        columns = span_columns(name)
        if columns and (value is None or is_span(value)):
            out[columns[0]], out[columns[1]] = (value[0], value[1]) if value else (None, None)
        else:
            out[name] = flat_value(value)
    return out


def flat_columns(columns: Sequence[str]) -> list[str]:
    out: list[str] = []
    for name in columns:
        out.extend(span_columns(name) or (name,))
    return out


def flat_rows(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for row in rows:
        yield flat_row(row)
