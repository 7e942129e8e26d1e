"""Reading articles: files, directories, standard input, JSONL and HTML, as `Document`s.

Rules (the CLI's PATH arguments follow them):

- A directory is read recursively in sorted order (by path components), skipping hidden files
  and directories (names starting with "."); it reads only .txt, .text, .md, .html, .htm, .jsonl
  and .ndjson files. A file named explicitly is read whatever its extension: .html/.htm as HTML,
  .jsonl/.ndjson as JSONL, anything else as text (or as HTML when it starts like an HTML
  document). `-` reads standard input the same way. A file named twice is read once.
- Text is decoded from the bytes as stored and not normalised (CRLF stays CRLF), so offsets index
  exactly the text read. A UTF-8 byte-order mark is dropped: offsets index the text after it.
  UTF-16/32 with a byte-order mark, and UTF-16 without one, are decoded too. Other text that is
  not UTF-8 is decoded when its encoding is detected with confidence (e.g. cp1251 Russian,
  latin-1/cp1252; Western European ties are read as cp1252, an HTML page's <meta charset> is
  honoured); otherwise it is an error that suggests an `iconv` command. Empty and whitespace-only
  inputs, binary files (NUL bytes, a known binary signature, or mostly control bytes) and text
  that mixes UTF-8 with another encoding are errors.
- Document ids: the file's stem; when several files of one run share a stem, each of them gets
  the shortest tail of its path that tells them apart, without the extension ("2023/report" and
  "2024/report"), or with it ("report.txt", "report.md") when only the extension differs.
  JSONL lines use their `id` field, else `<stem>:<line number>`; standard input is `stdin`.
  An id used twice in one run is an error for the later record.
- HTML pages are reduced to their article text with trafilatura; that text is the document text
  (offsets index it). The page's site name, date and URL become outlet, published and url.
- Files (and standard input) larger than MAX_BYTES (200 MB) are refused; below that, size is no
  problem here (the pipeline cuts long texts into pieces).
- A JSONL line that is not a JSON object with a non-empty string "text" (or whose optional
  outlet/published/url/title are not strings, or whose published is not an ISO date) is an error
  naming `file:line`; the other lines go on. After MAX_LINE_ERRORS such errors in one file the
  rest are counted in one summary error.
- Problems with one input are yielded as `InputError(where, why)` and reading goes on; only a
  malformed `published` or `outlet` argument raises (it concerns the whole run).
"""

from __future__ import annotations

import errno
import json
import os
import re
import shlex
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from quotetrack.dates import check_published, iso_day
from quotetrack.errors import InputError, QuotetrackError
from quotetrack.records import Document

MAX_BYTES = 200 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
READ_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
STDIN = "<stdin>"
# A JSONL file with many bad lines reports this many one by one, then one summary.
MAX_LINE_ERRORS = 20

SAMPLE_BYTES = 64 * 1024
# C0 control bytes other than tab, LF, VT, FF, CR: text hardly ever holds any.
CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13)) + b"\x7f"
MAX_CONTROL_SHARE = 0.05
# Detected encodings whose decoding is this messy (charset-normalizer's percent_chaos) are refused.
MAX_CHAOS = 10.0
MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive, or a .docx/.odt/.epub document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)
BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


INPUT_FORMATS = ("auto", "text", "jsonl", "html")
# Files skipped inside one directory that are reported one by one; the rest in one summary line.
MAX_SKIPPED_SHOWN = 10


def iter_documents(
    paths: Sequence[str],
    *,
    outlet: str | None = None,
    published: str | None = None,
    stdin: Any = None,
    input_format: str = "auto",
    on_skip: Callable[[InputError], None] | None = None,
) -> Iterator[Document | InputError]:
    """Yield a Document per article found in `paths`, or an InputError per input that failed.

    `outlet` and `published` override what the inputs say. `stdin` (bytes, str, or a binary or
    text stream) stands in for standard input when a path is `-`; by default sys.stdin is read.
    `input_format` ("auto", "text", "jsonl", "html") reads every input, standard input included,
    in that format instead of choosing by suffix and content. Files a directory holds that are
    not read (another suffix, a broken link, a link loop, a link to a directory) are passed to
    `on_skip` as InputError(path, "skipped: <why>").
    Raises QuotetrackError at once when `published` is not an ISO date or `outlet` is blank.
    """
    if input_format not in INPUT_FORMATS:
        raise QuotetrackError(f"input format {input_format!r}: choose one of {', '.join(INPUT_FORMATS)}")
    if published is not None:
        published = check_published(published)
    if outlet is not None:
        outlet = outlet.strip()
        if not outlet:
            raise QuotetrackError("outlet: must not be empty")
    reader = Reader(outlet=outlet, published=published, stdin=stdin, input_format=input_format, on_skip=on_skip)
    return reader.read([os.fspath(p) for p in paths])


@dataclass
class Entry:
    """One input to read: a file (path as shown, and its document id), standard input, or an error."""

    kind: str  # "file", "stdin", "error", or "skipped" (a file in a directory that is not read)
    path: str = ""
    doc_id: str = ""
    error: InputError | None = None


class Reader:
    def __init__(
        self,
        *,
        outlet: str | None,
        published: str | None,
        stdin: Any,
        input_format: str = "auto",
        on_skip: Callable[[InputError], None] | None = None,
    ):
        self.input_format = input_format
        self.on_skip = on_skip
        self.outlet = outlet
        self.published = published
        self.stdin = stdin
        self.seen: dict[str, str] = {}  # document id -> source that used it first
        self.stdin_warnings: tuple[str, ...] = ()

    def read(self, paths: list[str]) -> Iterator[Document | InputError]:
        for entry in self.expand(paths):
            if entry.kind == "skipped":
                if self.on_skip is not None and entry.error is not None:
                    self.on_skip(entry.error)
                continue
            if entry.kind == "error" and entry.error is not None:
                yield entry.error
                continue
            where = STDIN if entry.kind == "stdin" else entry.path
            try:
                yield from self.read_entry(entry)
            except InputError as exc:
                yield exc
            except Exception as exc:  # one odd input must not stop the batch
                yield InputError(shown(where), f"could not be read ({type(exc).__name__}: {one_line(str(exc))})")

    # -- which files -------------------------------------------------------------------------

    def expand(self, paths: list[str]) -> list[Entry]:
        entries: list[Entry] = []
        taken: set[str] = set()  # real paths already listed, so a file named twice is read once
        for arg in paths:
            if arg == "-":
                if "-" not in taken:
                    entries.append(Entry("stdin"))
                    taken.add("-")
                continue
            for entry in self.expand_one(arg):
                if entry.kind == "file":
                    real = os.path.realpath(entry.path)
                    if real in taken:
                        continue
                    taken.add(real)
                entries.append(entry)
        assign_ids([e for e in entries if e.kind == "file"])
        return entries

    def expand_one(self, arg: str) -> list[Entry]:
        path = Path(arg)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            why = "broken symbolic link" if path.is_symlink() else "no such file or directory"
            return [Entry("error", error=InputError(shown(arg), why))]
        except OSError as exc:
            return [Entry("error", error=InputError(shown(arg), f"cannot access it ({reason(exc)})"))]
        if stat.S_ISDIR(mode):
            return walk(arg)
        return [Entry("file", path=arg)]

    # -- reading ------------------------------------------------------------------------------

    def read_entry(self, entry: Entry) -> Iterator[Document | InputError]:
        forced = self.input_format if self.input_format != "auto" else None
        if entry.kind == "stdin":
            data = self.read_stdin()
            if forced == "jsonl":
                yield from self.jsonl_documents(Entry("stdin", path=STDIN, doc_id="stdin"), data)
                return
            text = self.as_text(data, STDIN)
            kind = forced or ("html" if looks_like_html(text) else "text")
            document = self.document(text, kind, STDIN, "stdin")
            yield replace(document, warnings=self.stdin_warnings) if self.stdin_warnings else document
            return
        suffix = Path(entry.path).suffix.lower()
        data = read_file(entry.path)
        if forced == "jsonl" or (forced is None and suffix in JSONL_SUFFIXES):
            yield from self.jsonl_documents(entry, data)
            return
        text = decode(data, shown(entry.path), html=forced == "html" or (forced is None and suffix in HTML_SUFFIXES))
        if forced:
            kind = forced
        elif suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_like_html(text)):
            kind = "html"
        else:
            kind = "text"
        yield self.document(text, kind, encodable(entry.path), entry.doc_id)

    def as_text(self, data: bytes | str, where: str) -> str:
        if isinstance(data, str):
            check_not_empty(data, where)
            text, repaired = without_surrogates(data.removeprefix("\ufeff"))
            self.stdin_warnings = surrogate_warning({"text": repaired})
            return text
        return decode(data, where)

    def document(self, text: str, kind: str, source: str, doc_id: str) -> Document:
        """The Document for one text file or HTML page (kind "text" or "html")."""
        source_key = None if source == STDIN else "file:" + encodable(os.path.realpath(source))
        if kind == "html":
            from quotetrack.io.html_pages import extract_page

            page = extract_page(text)
            if page.text is None:
                raise InputError(shown(source), "no article text found in the HTML page")
            document = Document(
                id=doc_id,
                text=page.text,
                outlet=self.outlet or page.sitename,
                published=self.published or page.date,
                url=page.url,
                title=page.title,
                source=source,
                source_key=source_key,
            )
        else:
            document = Document(
                id=doc_id, text=text, outlet=self.outlet, published=self.published, source=source, source_key=source_key
            )
        return self.unique(document, shown(source))

    def unique(self, document: Document, where: str) -> Document:
        first = self.seen.get(document.id)
        if first is not None:
            raise InputError(where, f"duplicate document id {document.id!r} (already used by {first})")
        self.seen[document.id] = document.source or where
        return document

    def read_stdin(self) -> bytes | str:
        source = self.stdin
        if source is None:
            source = sys.stdin
            if source is None:
                raise InputError(STDIN, "no standard input")
            source = getattr(source, "buffer", source)
        if isinstance(source, (bytes, bytearray, str)):
            data = source
        else:
            try:
                data = source.read(MAX_BYTES + 1)
            except OSError as exc:
                raise InputError(STDIN, f"cannot read it ({reason(exc)})") from None
        if len(data) > MAX_BYTES:
            raise InputError(STDIN, f"input is larger than the {MAX_BYTES // 2**20} MB limit; split it into smaller files")
        return bytes(data) if isinstance(data, bytearray) else data

    def jsonl_documents(self, entry: Entry, data: bytes | str) -> Iterator[Document | InputError]:
        where = shown(entry.path)
        text = self.as_text(data, where) if isinstance(data, str) else decode(data, where)
        bad = 0
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                yield self.jsonl_document(entry, number, line)
            except InputError as exc:
                bad += 1
                if bad <= MAX_LINE_ERRORS:
                    yield exc
        if bad > MAX_LINE_ERRORS:
            yield InputError(where, f"{bad - MAX_LINE_ERRORS} more malformed lines not listed ({bad} in all)")

    def jsonl_document(self, entry: Entry, number: int, line: str) -> Document:
        where = f"{shown(entry.path)}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            at = "" if exc.msg.endswith(" at") else " at"  # "Unterminated string starting at"
            raise InputError(where, f"not valid JSON ({exc.msg}{at} column {exc.colno})") from None
        except RecursionError:
            raise InputError(where, "not valid JSON (nested too deeply)") from None
        if not isinstance(record, dict):
            raise InputError(where, f"not a JSON object but {json_type(record)}")
        if "text" not in record:
            raise InputError(where, 'no "text" field')
        text = record["text"]
        if not isinstance(text, str):
            raise InputError(where, f'"text" is {json_type(text)}, not a string')
        if not text.strip():
            raise InputError(where, '"text" is empty')
        doc_id = record.get("id")
        if doc_id is None or doc_id == "":
            doc_id = f"{entry.doc_id}:{number}"
            # without an id, the line of the file is the record (standard input: its content)
            source_key = None if entry.kind == "stdin" else f"jsonl-line:{encodable(os.path.realpath(entry.path))}:{number}"
        elif isinstance(doc_id, (str, int)) and not isinstance(doc_id, bool):
            doc_id = str(doc_id)
            source_key = "jsonl:"  # + the id, once it can be written
        else:
            raise InputError(where, f'"id" is {json_type(doc_id)}; use a string or a number')
        fields = {}
        for key in ("outlet", "published", "url", "title"):
            value = record.get(key)
            if value is not None and not isinstance(value, str):
                raise InputError(where, f'"{key}" is {json_type(value)}, not a string')
            fields[key] = (value.strip() or None) if isinstance(value, str) else None
        # JSON escapes may spell lone surrogates ("\udfff"): no text can be written with them.
        repaired: dict[str, int] = {}
        text, repaired["text"] = without_surrogates(text)
        doc_id, repaired["id"] = without_surrogates(str(doc_id))
        if source_key == "jsonl:":
            source_key += doc_id
        for key in ("outlet", "published", "url", "title"):
            value = fields[key]
            if value is not None:
                fields[key], repaired[key] = without_surrogates(value)
        published = self.published
        if published is None and fields["published"] is not None:
            published = iso_day(fields["published"])
            if published is None:
                raise InputError(where, f'"published" {fields["published"]!r} is not an ISO date (YYYY-MM-DD)')
        document = Document(
            id=doc_id,
            text=text,
            outlet=self.outlet or fields["outlet"],
            published=published,
            url=fields["url"],
            title=fields["title"],
            source=encodable(f"{entry.path}:{number}"),
            source_key=source_key,
            warnings=surrogate_warning(repaired),
        )
        return self.unique(document, where)


# -- directories and ids -------------------------------------------------------------------------


def walk(top: str) -> list[Entry]:
    """The readable files under `top` (sorted, hidden names skipped), or errors saying why none."""
    errors: list[Entry] = []
    found: list[tuple[tuple[str, ...], str]] = []
    skipped = 0

    def on_error(exc: OSError) -> None:
        place = exc.filename or top
        errors.append(Entry("error", error=InputError(shown(place), f"cannot list the directory ({reason(exc)})")))

    passed: list[tuple[tuple[str, ...], str, str]] = []  # files not read, and why

    for folder, dirs, files in os.walk(top, onerror=on_error):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in sorted(dirs):
            full = os.path.join(folder, name)
            if os.path.islink(full):  # os.walk does not follow links to directories
                passed.append((Path(os.path.relpath(full, top)).parts, full, "symbolic link to a directory, not followed"))
        for name in files:
            if name.startswith("."):
                continue
            full = os.path.join(folder, name)
            why = skip_reason(full, name)
            if why:
                skipped += 1
                passed.append((Path(os.path.relpath(full, top)).parts, full, why))
                continue
            found.append((Path(os.path.relpath(full, top)).parts, full))
    found.sort()
    entries = [Entry("file", path=full) for _, full in found]
    passed.sort()
    notices = [Entry("skipped", path=full, error=InputError(shown(full), f"skipped: {why}")) for _, full, why in passed[:MAX_SKIPPED_SHOWN]]
    if len(passed) > MAX_SKIPPED_SHOWN:
        more = len(passed) - MAX_SKIPPED_SHOWN
        why = f"skipped {more} more file{'s' if more != 1 else ''} not listed ({len(passed)} in all)"
        notices.append(Entry("skipped", path=top, error=InputError(shown(top), why)))
    if not entries and not errors:
        why = "no readable files: the directory holds no " + ", ".join(READ_SUFFIXES) + " files"
        if skipped:
            why += f" ({skipped} other file{'s' if skipped != 1 else ''} skipped)"
        errors.append(Entry("error", error=InputError(shown(top), why)))
    return errors + notices + entries


def skip_reason(full: str, name: str) -> str | None:
    """Why a file found in a directory is not read, or None when it is read."""
    try:
        mode = os.stat(full).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if os.path.islink(full):
            return "broken symbolic link"
        return f"cannot access it ({reason(exc)})"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    if not name.lower().endswith(READ_SUFFIXES):
        suffix = Path(name).suffix.lower()
        kind = f"{suffix} files are" if suffix else "files without a suffix are"
        return f"{kind} not read from a directory (name the file to read it)"
    return None


def assign_ids(entries: list[Entry]) -> None:
    """Set each file's document id: its stem, or a path tail that tells same-stem files apart."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(Path(entry.path).stem, []).append(entry)
    for stem, group in groups.items():
        if len(group) == 1:
            group[0].doc_id = encodable(stem)
            continue
        parts = [Path(os.path.abspath(e.path)).parts for e in group]
        ids = shortest_unique_tails([p[:-1] + (Path(p[-1]).stem,) for p in parts])
        if ids is None:  # same folder, only the extension differs
            ids = shortest_unique_tails(parts)
        for entry, doc_id in zip(group, ids or [os.path.abspath(e.path) for e in group]):
            entry.doc_id = encodable(doc_id)


def shortest_unique_tails(parts: list[tuple[str, ...]]) -> list[str] | None:
    longest = max(len(p) for p in parts)
    for depth in range(1, longest + 1):
        tails = ["/".join(p[-depth:]).lstrip("/") for p in parts]
        if len(set(tails)) == len(tails):
            return tails
    return None


# -- bytes to text -------------------------------------------------------------------------------


def read_file(path: str) -> bytes:
    where = shown(path)
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
                raise InputError(where, too_large(info.st_size))
            data = handle.read(MAX_BYTES + 1)  # pipes and devices have no size to check first
    except PermissionError:
        raise InputError(where, "permission denied: cannot read the file") from None
    except IsADirectoryError:
        raise InputError(where, "is a directory") from None
    except FileNotFoundError:
        raise InputError(where, "no such file or directory") from None
    except OSError as exc:
        raise InputError(where, f"cannot read it ({reason(exc)})") from None
    if len(data) > MAX_BYTES:
        raise InputError(where, too_large(len(data)))
    return data


def too_large(size: int) -> str:
    return (
        f"file too large ({size / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB): "
        "split it into smaller files"
    )


def decode(data: bytes, where: str, *, html: bool = False) -> str:
    """The text the bytes hold, or an InputError saying why they are not text.

    UTF-8 first (a UTF-8 byte-order mark is dropped), then an encoding named by a byte-order
    mark, by the page's <meta charset> (HTML), or detected by charset-normalizer.
    """
    check_not_empty(data, where)
    for mark, encoding in BOMS:
        if data.startswith(mark):
            try:
                text = data[len(mark):].decode(encoding)
            except UnicodeDecodeError as exc:
                at = position(data, exc.start + len(mark))
                raise InputError(where, f"not valid {encoding.upper()} despite its byte-order mark ({at})") from None
            check_not_empty(text, where)
            return text
    binary = binary_kind(data)
    if binary == "utf-16":
        decoded = utf16_without_bom(data)
        if decoded is not None:
            check_not_empty(decoded, where)
            return decoded
        binary = "it contains NUL bytes"
    if binary:
        raise InputError(where, f"binary file ({binary}), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = decode_other(data, where, exc, html=html)
    check_not_empty(text, where)
    return text


def check_not_empty(data: bytes | str, where: str) -> None:
    if not data:
        raise InputError(where, "empty file" if where != STDIN else "empty input")
    if data.isspace():
        raise InputError(where, ("empty file" if where != STDIN else "empty input") + " (only whitespace)")


def binary_kind(data: bytes) -> str | None:
    """Why the bytes look binary ("utf-16" when they look like UTF-16 text), or None."""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if b"\x00" in data:
        sample = data[:SAMPLE_BYTES]
        even, odd = sample[0::2], sample[1::2]
        if even and odd:
            even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
            if (odd_nul > 0.3 and even_nul < 0.02) or (even_nul > 0.3 and odd_nul < 0.02):
                return "utf-16"
        return "it contains NUL bytes"
    sample = data[:SAMPLE_BYTES]
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    if controls > MAX_CONTROL_SHARE * len(sample):
        return "mostly control bytes"
    return None


def utf16_without_bom(data: bytes) -> str | None:
    sample = data[:SAMPLE_BYTES]
    encoding = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    head = text[:SAMPLE_BYTES]
    if sum(1 for ch in head if ord(ch) < 32 and ch not in "\t\n\x0b\x0c\r") > MAX_CONTROL_SHARE * len(head):
        return None
    return text


def decode_other(data: bytes, where: str, error: UnicodeDecodeError, *, html: bool) -> str:
    """Decode bytes that are not UTF-8 when their encoding is clear; else raise InputError."""
    at = position(data, error.start)
    if mixed_utf8(data):
        raise InputError(
            where,
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at {at}) although most of it is UTF-8: "
            f"it mixes encodings; fix it or drop the bad bytes, e.g. `iconv -f UTF-8 -t UTF-8 -c {command_path(where)}`",
        )
    if html:
        declared = declared_encoding(data)
        if declared:
            try:
                return data.decode(declared)
            except UnicodeDecodeError:
                pass
    encoding, guess = detect_encoding(data)
    if encoding:
        return data.decode(encoding)
    hint = f"it may be {guess}, but not with confidence" if guess else "its encoding could not be detected"
    source = iconv_name(guess) if guess else "ENCODING"
    raise InputError(
        where,
        f"not UTF-8 text (byte 0x{data[error.start]:02x} at {at}) and {hint}; "
        f"convert it to UTF-8, e.g. `iconv -f {source} -t UTF-8 {command_path(where)}`",
    )


def mixed_utf8(data: bytes) -> bool:
    """True when the bytes hold more valid UTF-8 multi-byte characters than invalid sequences."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii - invalid > invalid


def declared_encoding(data: bytes) -> str | None:
    import codecs

    from quotetrack.io.html_pages import declared_charset

    name = declared_charset(data)
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def detect_encoding(data: bytes) -> tuple[str | None, str | None]:
    """(encoding to decode with, or None; best guess for the error message, or None).

    charset-normalizer often finds several 8-bit encodings equally clean (cp1252, cp1250,
    cp775 ... for French); among those, decodings that put symbols inside words ("Z³rich") are
    dropped, and cp1252, the usual legacy encoding of English and Western European text, wins ties.
    """
    import charset_normalizer
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return None, None
    best_chaos = min(m.percent_chaos for m in matches)
    sample = data[:SAMPLE_BYTES]
    ranked = []
    for index, match in enumerate(matches):
        if match.percent_chaos > best_chaos + 1.0 or match.encoding.startswith("utf"):
            continue
        try:
            if ASCII_PROBE.decode(match.encoding) != ASCII_PROBE.decode("ascii"):
                continue  # EBCDIC and other encodings that would garble plain ASCII
            data.decode(match.encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        decoded = sample.decode(match.encoding, errors="ignore")
        ranked.append((odd_symbols(decoded), match.encoding != "cp1252", index, match))
    if not ranked:
        return None, matches[0].encoding
    ranked.sort(key=lambda item: item[:3])
    odd, _, _, match = ranked[0]
    decoded = sample.decode(match.encoding, errors="ignore")
    non_ascii = len(decoded) - len(decoded.encode("ascii", errors="ignore"))
    if match.percent_chaos > MAX_CHAOS or odd > max(1, non_ascii // 200) or not mostly_letters(decoded):
        return None, match.encoding
    return match.encoding, match.encoding


def mostly_letters(text: str) -> bool:
    """True when at least half the visible characters are letters, as in any prose."""
    visible = "".join(text.split())
    letters = sum(1 for ch in visible if ch.isalpha())
    return letters >= len(visible) / 2


ASCII_PROBE = bytes(range(9, 14)) + bytes(range(32, 127))
WORD_INSIDE = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f](?=[^\W\d_])")
ODD_CATEGORIES = ("No", "So", "Sm", "Sc", "Sk", "Po", "Cc", "Co", "Cn")


def odd_symbols(text: str) -> int:
    """How many non-ASCII symbols sit between two letters, as a wrong 8-bit decoding puts them."""
    count = 0
    for match in WORD_INSIDE.finditer(text):
        ch = match.group()
        if unicodedata.category(ch) in ODD_CATEGORIES and ch not in "…·":
            count += 1
    return count


def iconv_name(encoding: str) -> str:
    """Python's codec name as iconv spells it (cp1251 -> WINDOWS-1251)."""
    if re.fullmatch(r"cp125\d", encoding):
        return "WINDOWS-" + encoding[2:]
    return encoding.upper().replace("_", "-")


def looks_like_html(text: str) -> bool:
    from quotetrack.io.html_pages import looks_like_html as starts_like_html

    return starts_like_html(text)


# -- messages ------------------------------------------------------------------------------------


def position(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"line {line}, offset {offset}"


def command_path(where: str) -> str:
    """`FILE > NEW` for an iconv example: the file itself and a name for the converted copy."""
    if where == STDIN:
        return "< FILE > NEW.txt"
    return f"{shlex.quote(where)} > {shlex.quote(Path(where).stem + '.utf8.txt')}"


def reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def shown(path: str) -> str:
    """A path as messages show it: on one line, control characters and undecodable bytes escaped."""
    if any(ord(ch) < 32 or ch == "\x7f" or "\ud800" <= ch <= "\udfff" for ch in path):
        return repr(path)[1:-1]
    return path


def encodable(value: str) -> str:
    """value with any undecodable file-name bytes (lone surrogates) replaced by "?", so it can be written."""
    return value.encode("utf-8", errors="replace").decode("utf-8")


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(value: str) -> tuple[str, int]:
    """value with each lone surrogate (which no encoding can write) replaced by U+FFFD, one code
    point for one, so offsets stay the same; and how many were replaced."""
    return LONE_SURROGATE.subn("\ufffd", value)


def surrogate_warning(repaired: dict[str, int]) -> tuple[str, ...]:
    """The one warning line for a document whose fields had lone surrogates replaced, or ()."""
    fields = [name for name, count in repaired.items() if count]
    if not fields:
        return ()
    total = sum(repaired.values())
    return (
        f"{total} invalid character{'s' if total != 1 else ''} (lone surrogate{'s' if total != 1 else ''}) "
        f"replaced by U+FFFD in {', '.join(fields)}",
    )


def one_line(text: str) -> str:
    return " ".join(text.split())
