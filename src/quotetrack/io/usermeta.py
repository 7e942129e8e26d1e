"""Metadata from what users have: their file names and a metadata file.

- `NamePattern` reads outlet, date and id from file names: `--name-pattern
  "{outlet}_{published}_{slug}"` gives `tass_2022-01-05_talks.txt` the outlet TASS and the date
  2022-01-05. Placeholders: `{outlet}`, `{published}` (YYYY-MM-DD or YYYYMMDD), `{slug}` (any
  text, not used), `{id}` (the document id), `{*}` (any text, skipped); everything else in the
  pattern is literal. The pattern is matched against the whole file name without its extension;
  a name that does not fit keeps what the text says, and is counted in `misses`.
- `MetaTable` reads a CSV or JSONL file with one row per document: `id` (the document id) or
  `path` (the file, relative to the metadata file or to the working directory), and any of
  `outlet`, `published`, `url`, `title`. Malformed files are refused with one line naming the
  file, the line and the problem.

Both apply to documents read from files (not to JSONL records, which carry their own fields); the
command line's `--outlet` and `--published` still win over them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from quotetrack.dates import iso_day
from quotetrack.errors import InputError, QuotetrackError
from quotetrack.io.meta import OUTLET_NAMES, normalize_outlet
from quotetrack.records import Document

PLACEHOLDERS = {
    "outlet": r"(?P<outlet>.+?)",
    "published": r"(?P<published>\d{4}-\d{2}-\d{2}|\d{8})",
    "slug": r"(?P<slug>.+?)",
    "id": r"(?P<id>.+?)",
    "*": r".*?",
}
META_FIELDS = ("outlet", "published", "url", "title")
META_KEYS = ("id", "path")
JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass
class NamePattern:
    """A file-name pattern (see the module doc); `misses` lists the names that did not fit it."""

    pattern: str
    regex: re.Pattern = field(repr=False)
    misses: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, pattern: str) -> NamePattern:
        parts, seen, position = [], set(), 0
        for match in re.finditer(r"\{([^{}]*)\}", pattern):
            name = match.group(1)
            if name not in PLACEHOLDERS:
                raise QuotetrackError(
                    f"--name-pattern {pattern!r}: unknown placeholder {{{name}}}; use {{outlet}}, {{published}}, {{slug}}, {{id}} or {{*}}"
                )
            if name != "*" and name in seen:
                raise QuotetrackError(f"--name-pattern {pattern!r}: {{{name}}} appears twice")
            seen.add(name)
            parts.append(re.escape(pattern[position : match.start()]) + PLACEHOLDERS[name])
            position = match.end()
        parts.append(re.escape(pattern[position:]))
        if "{" in pattern[position:] or "}" in pattern[position:] or not seen & {"outlet", "published", "id"}:
            raise QuotetrackError(
                f"--name-pattern {pattern!r}: give at least one of {{outlet}}, {{published}} or {{id}}, "
                'e.g. "{outlet}_{published}_{slug}"'
            )
        return cls(pattern, re.compile("".join(parts), re.DOTALL))

    def fields(self, file_name: str) -> dict[str, str] | None:
        """outlet, published (ISO), id from a file name (its extension dropped), or None when it does not fit."""
        stem = Path(file_name).stem if Path(file_name).suffix else file_name
        match = self.regex.fullmatch(stem)
        if not match:
            return None
        found = {k: v for k, v in match.groupdict().items() if v and k != "slug"}
        if "published" in found:
            day = found["published"]
            day = f"{day[:4]}-{day[4:6]}-{day[6:]}" if "-" not in day else day
            if iso_day(day) is None:
                return None  # "20221345" is no date: the name does not fit
            found["published"] = day
        if "outlet" in found:
            found["outlet"] = outlet_name(found["outlet"])
        return found

    def apply(self, document: Document) -> Document:
        """The document with what its file name says (when it fits)."""
        path = file_of(document)
        if path is None:
            return document
        found = self.fields(Path(path).name)
        if found is None:
            self.misses.append(Path(path).name)
            return document
        return replace(
            document,
            id=found.get("id", document.id),
            outlet=found.get("outlet", document.outlet),
            published=found.get("published", document.published),
        )


def outlet_name(written: str) -> str:
    """An outlet as a file name writes it ("voa", "voice-of-america"): its usual name when known."""
    for candidate in (written, written.replace("-", " ").replace("_", " ")):
        if candidate.strip().lower() in OUTLET_NAMES:
            return normalize_outlet(candidate) or written
    return written


def file_of(document: Document) -> str | None:
    """The file a document was read from by itself (a text or HTML file), or None (standard input,
    a JSONL record)."""
    source = document.source
    if not source or source == "<stdin>":
        return None
    head, _, tail = source.rpartition(":")
    if tail.isdigit() and head.lower().endswith(JSONL_SUFFIXES):
        return None
    return source


@dataclass
class MetaRow:
    line: int
    key: str  # "id 'x'" or "path 'a/b.txt'", for messages
    values: dict[str, str]
    used: bool = False


@dataclass
class MetaTable:
    """Rows of a metadata file by document id and by file (see the module doc)."""

    path: str
    by_id: dict[str, MetaRow] = field(default_factory=dict)
    by_path: dict[str, MetaRow] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | os.PathLike) -> MetaTable:
        where = os.fspath(path)
        try:
            text = Path(where).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise QuotetrackError(f"--meta {where}: no such file") from None
        except UnicodeDecodeError:
            raise QuotetrackError(f"--meta {where}: not UTF-8 text") from None
        except OSError as exc:
            raise QuotetrackError(f"--meta {where}: cannot read it ({(exc.strerror or type(exc).__name__).lower()})") from None
        suffix = Path(where).suffix.lower()
        if suffix == ".csv":
            records = _csv_records(text, where)
        elif suffix in JSONL_SUFFIXES:
            records = _jsonl_records(text, where)
        else:
            raise QuotetrackError(f"--meta {where}: use a .csv or .jsonl file (columns id or path, and outlet, published, url, title)")
        table = cls(where)
        base = Path(where).resolve().parent
        for line, record in records:
            table._add(line, record, base)
        if not table.by_id and not table.by_path:
            raise QuotetrackError(f"--meta {where}: no rows")
        return table

    def _add(self, line: int, record: dict[str, Any], base: Path) -> None:
        at = f"--meta {self.path}:{line}"
        unknown = [k for k in record if k not in META_KEYS + META_FIELDS]
        if unknown:
            raise QuotetrackError(f"{at}: unknown field {unknown[0]!r} (use id or path, and outlet, published, url, title)")
        values: dict[str, str] = {}
        for name in META_KEYS + META_FIELDS:
            value = record.get(name)
            if value is None or value == "":
                continue
            if not isinstance(value, str):
                raise QuotetrackError(f"{at}: {name} must be text, not {json.dumps(value)}")
            if value.strip():
                values[name] = value.strip()
        if "id" in values and "path" in values:
            raise QuotetrackError(f"{at}: give id or path, not both")
        if "id" not in values and "path" not in values:
            raise QuotetrackError(f"{at}: no id or path")
        if "published" in values:
            day = iso_day(values["published"])
            if day is None:
                raise QuotetrackError(f"{at}: published {values['published']!r} is not a date (YYYY-MM-DD)")
            values["published"] = day
        if "url" in values and not re.match(r"(?i)https?://\S+$", values["url"]):
            raise QuotetrackError(f"{at}: url {values['url']!r} is not an http:// or https:// address")
        if "outlet" in values:
            values["outlet"] = normalize_outlet(values["outlet"]) or values["outlet"]
        if "id" in values:
            row = MetaRow(line, f"id {values['id']!r}", values)
            self._unique(self.by_id, values["id"], row, at)
        else:
            row = MetaRow(line, f"path {values['path']!r}", values)
            for candidate in _candidates(values["path"], base):
                self._unique(self.by_path, candidate, row, at)

    @staticmethod
    def _unique(table: dict[str, MetaRow], key: str, row: MetaRow, at: str) -> None:
        other = table.get(key)
        if other is not None and other is not row and other.line != row.line:
            raise QuotetrackError(f"{at}: {row.key} is already on line {other.line}")
        table[key] = row

    def is_source_of(self, item: Document | InputError) -> bool:
        """True for a document or read error that comes from the metadata file itself."""
        where = item.source if isinstance(item, Document) else item.where
        if not where:
            return False
        head, _, tail = where.rpartition(":")
        path = head if tail.isdigit() and head else where
        return os.path.realpath(path) == os.path.realpath(self.path)

    def row_for(self, document: Document) -> MetaRow | None:
        row = self.by_id.get(document.id)
        if row is None:
            path = file_of(document)
            if path is not None:
                row = self.by_path.get(os.path.realpath(path))
        return row

    def apply(self, document: Document) -> Document:
        row = self.row_for(document)
        if row is None:
            return document
        row.used = True
        values = row.values
        return replace(
            document,
            outlet=values.get("outlet", document.outlet),
            published=values.get("published", document.published),
            url=values.get("url", document.url),
            title=values.get("title", document.title),
        )

    def unused(self) -> list[MetaRow]:
        rows = {id(r): r for r in [*self.by_id.values(), *self.by_path.values()]}
        return sorted((r for r in rows.values() if not r.used), key=lambda r: r.line)


def _candidates(path: str, base: Path) -> list[str]:
    """The files a path in the metadata file may mean: relative to the metadata file, and to the
    working directory."""
    if os.path.isabs(path):
        return [os.path.realpath(path)]
    return list(dict.fromkeys([os.path.realpath(base / path), os.path.realpath(path)]))


def _csv_records(text: str, where: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise QuotetrackError(f"--meta {where}: empty file")
    header = [name.strip() if name else name for name in reader.fieldnames]
    if not set(header) & set(META_KEYS):
        raise QuotetrackError(f"--meta {where}: the header needs an id or a path column (found: {', '.join(h or '?' for h in header)})")
    records = []
    try:
        for row in reader:
            if None in row:
                raise QuotetrackError(f"--meta {where}:{reader.line_num}: more cells than the header has columns")
            record = {name: value for name, value in zip(header, row.values())}
            if any(v for v in record.values()):
                records.append((reader.line_num, record))
    except csv.Error as exc:
        raise QuotetrackError(f"--meta {where}:{reader.line_num}: not valid CSV ({exc})") from None
    return records


def _jsonl_records(text: str, where: str) -> list[tuple[int, dict[str, Any]]]:
    records = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuotetrackError(f"--meta {where}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise QuotetrackError(f"--meta {where}:{number}: not a JSON object")
        records.append((number, record))
    return records
