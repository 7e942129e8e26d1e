"""Bad input: each case gives a one-line error naming the input and the cause; good inputs go on."""

from __future__ import annotations

import json
import os
import pwd
import random
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotetrack.cli import app
from quotetrack.errors import InputError
from quotetrack.io import readers
from quotetrack.io.readers import iter_documents
from quotetrack.records import Document

GOOD = "The minister said the talks would resume on Monday.\n"
RUSSIAN = (
    "Заместитель министра иностранных дел России Сергей Рябков заявил, что Москва готова к переговорам. "
    "\u00abМы открыты для диалога\u00bb, \u2014 сказал он журналистам во вторник.\n"
)
FRENCH = 'The café owner in Zürich said the naïve plan would fail. "Ça ne marchera pas," she told the reporter.\n'
SENTENCES = [
    "The port authority said on Friday that the new terminal would open in the spring.",
    "\u201cWe are ready for the extra traffic,\u201d its director told reporters at the quay.",
    "Unions said the staffing plan was not enough, and a spokeswoman called it \u201ca gamble.\u201d",
    "According to the ministry, freight volumes rose by four percent in the last quarter.",
]


def read(paths, **kwargs) -> tuple[list[Document], list[InputError]]:
    docs, errors = [], []
    for item in iter_documents([str(p) for p in paths], **kwargs):
        (errors if isinstance(item, InputError) else docs).append(item)
    return docs, errors


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def with_good_file(tmp_path: Path, bad: Path) -> tuple[list[Document], InputError]:
    """Read a good file and the bad one in one batch; return the documents and the one error."""
    good = write(tmp_path / "good.txt", GOOD)
    docs, errors = read([good, bad])
    assert [d.id for d in docs] == ["good"] and docs[0].text == GOOD
    assert len(errors) == 1, errors
    error = errors[0]
    message = str(error)
    assert "\n" not in message and "\r" not in message
    assert error.where == str(bad) and message.startswith(f"{bad}: ")
    return docs, error


def test_empty_file(tmp_path):
    _, error = with_good_file(tmp_path, write(tmp_path / "empty.txt", b""))
    assert error.why == "empty file"


def test_whitespace_only_file(tmp_path):
    _, error = with_good_file(tmp_path, write(tmp_path / "blank.txt", " \r\n\t\n  \n"))
    assert error.why == "empty file (only whitespace)"


def test_bom_only_file_is_empty(tmp_path):
    _, error = with_good_file(tmp_path, write(tmp_path / "bom.txt", b"\xef\xbb\xbf"))
    assert error.why == "empty file"


def test_binary_file_with_nul_bytes(tmp_path):
    noise = bytes(random.Random(7).randrange(256) for _ in range(4096)) + b"\x00\x00"
    _, error = with_good_file(tmp_path, write(tmp_path / "image.txt", noise))
    assert error.why == "binary file (it contains NUL bytes), not text"


def test_binary_file_recognised_by_its_signature(tmp_path):
    _, error = with_good_file(tmp_path, write(tmp_path / "report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"))
    assert error.why == "binary file (a PDF document), not text"


def test_mostly_control_bytes_is_binary(tmp_path):
    noise = bytes(random.Random(3).randrange(1, 128) for _ in range(4096))
    _, error = with_good_file(tmp_path, write(tmp_path / "noise.txt", noise))
    assert error.why == "binary file (mostly control bytes), not text"


def test_cp1251_russian_is_decoded(tmp_path):
    path = write(tmp_path / "ryabkov.txt", RUSSIAN.encode("cp1251"))
    docs, errors = read([path])
    assert errors == []
    assert docs[0].text == RUSSIAN


def test_latin1_is_decoded(tmp_path):
    path = write(tmp_path / "zurich.txt", FRENCH.encode("latin-1"))
    docs, errors = read([path])
    assert errors == []
    assert docs[0].text == FRENCH


def test_cp1252_punctuation_is_decoded(tmp_path):
    text = "He said \u201cno\u201d to the caf\u00e9 deal \u2014 twice, and left\u2026\n"
    docs, errors = read([write(tmp_path / "curly.txt", text.encode("cp1252"))])
    assert errors == []
    assert docs[0].text == text


def test_utf16_without_byte_order_mark_is_decoded(tmp_path):
    docs, errors = read([write(tmp_path / "wide.txt", FRENCH.encode("utf-16-le"))])
    assert errors == []
    assert docs[0].text == FRENCH


def test_undecodable_text_gives_advice(tmp_path):
    noise = bytes(random.Random(1).randrange(128, 256) for _ in range(2000))
    path = write(tmp_path / "legacy.txt", noise)
    _, error = with_good_file(tmp_path, path)
    assert error.why.startswith("not UTF-8 text (byte 0x")
    assert "could not be detected" in error.why or "but not with confidence" in error.why
    assert "convert it to UTF-8, e.g. `iconv -f " in error.why and f" -t UTF-8 {path} > legacy.utf8.txt`" in error.why


def test_mixed_encodings_give_advice(tmp_path):
    # A UTF-8 article with one latin-1 sentence pasted in: decoding it all as one legacy encoding would garble it.
    data = ("Zürich’s mayor said “yes”. " * 20).encode("utf-8") + "Le café a fermé.\n".encode("latin-1")
    path = write(tmp_path / "pasted.txt", data)
    _, error = with_good_file(tmp_path, path)
    assert "not valid UTF-8 (byte 0xe9 at line 1, offset" in error.why
    assert "mixes encodings" in error.why
    assert f"iconv -f UTF-8 -t UTF-8 -c {path}" in error.why


def test_fifty_megabyte_article_is_read(tmp_path):
    paragraph = " ".join(SENTENCES) + "\n\n"
    count = 50 * 2**20 // len(paragraph.encode("utf-8")) + 1
    path = write(tmp_path / "huge.txt", paragraph * count)
    assert path.stat().st_size >= 50 * 2**20
    started = time.perf_counter()
    docs, errors = read([path, write(tmp_path / "small.txt", GOOD)])
    elapsed = time.perf_counter() - started
    assert errors == []
    assert [d.id for d in docs] == ["huge", "small"]
    assert len(docs[0].text) == len(paragraph) * count
    assert docs[0].text.endswith(paragraph)
    assert elapsed < 20, f"reading 50 MB took {elapsed:.1f} s"


def test_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "dump.txt"
    with open(path, "wb") as handle:  # sparse: no disk space, nothing is read
        handle.truncate(readers.MAX_BYTES + 5 * 2**20 + 1)
    _, error = with_good_file(tmp_path, path)
    assert error.why == "file too large (205.0 MB; the limit is 200 MB): split it into smaller files"


def test_html_page_with_no_article(tmp_path):
    page = (
        "<html><head><title>Index</title></head><body><nav><ul>"
        "<li><a href='/politics'>Politics</a></li><li><a href='/sport'>Sport</a></li></ul></nav>"
        "<footer>\u00a9 2024 Example News</footer></body></html>"
    )
    _, error = with_good_file(tmp_path, write(tmp_path / "index.html", page))
    assert error.why == "no article text found in the HTML page"


def test_broken_html_does_not_crash(tmp_path):
    page = (
        "<html><body><div><p>The mayor said the bridge would reopen in May, after repairs that took longer "
        "than planned.<div><p>Unclosed <b>bold <i>and italic</p></span></table><<>>"
    )
    docs, errors = read([write(tmp_path / "broken.html", page)])
    assert errors == []
    assert "The mayor said the bridge would reopen in May" in docs[0].text


def test_malformed_jsonl_lines_name_file_and_line(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "First article, she said."}),
        '{"id": "b", "text": "unterminated',
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": 42}),
        json.dumps({"id": "e", "text": "   "}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "f", "text": "Last article, he said.", "published": "last week"}),
        json.dumps({"id": "g", "text": "Really the last one."}),
        json.dumps({"id": "a", "text": "Same id again."}),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    docs, errors = read([path])
    assert [d.id for d in docs] == ["a", "g"]
    assert [str(e) for e in errors] == [
        f"{path}:2: not valid JSON (Unterminated string starting at column 21)",
        f'{path}:3: no "text" field',
        f'{path}:4: "text" is a number, not a string',
        f'{path}:5: "text" is empty',
        f"{path}:6: not a JSON object but an array",
        f"{path}:7: \"published\" 'last week' is not an ISO date (YYYY-MM-DD)",
        f"{path}:9: duplicate document id 'a' (already used by {path}:1)",
    ]


def test_many_malformed_jsonl_lines_are_summarised(tmp_path):
    path = write(tmp_path / "table.jsonl", "".join(f"row {n},x,y\n" for n in range(50)) + json.dumps({"text": "Fine."}) + "\n")
    docs, errors = read([path])
    assert [d.id for d in docs] == ["table:51"]
    assert len(errors) == readers.MAX_LINE_ERRORS + 1
    assert str(errors[0]) == f"{path}:1: not valid JSON (Expecting value at column 1)"
    assert str(errors[-1]) == f"{path}: 30 more malformed lines not listed (50 in all)"


def test_missing_path(tmp_path):
    _, error = with_good_file(tmp_path, tmp_path / "nowhere.txt")
    assert error.why == "no such file or directory"


def test_broken_symbolic_link(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "deleted.txt")
    _, error = with_good_file(tmp_path, link)
    assert error.why == "broken symbolic link"


def test_unreadable_file(tmp_path):
    # Root reads a chmod 000 file anyway, so as root the read runs with the effective uid of
    # `nobody`; the folder must then live where `nobody` can reach it (pytest's tmp_path cannot).
    nobody = None
    if os.geteuid() == 0:
        try:
            nobody = pwd.getpwnam("nobody").pw_uid
        except KeyError:
            pytest.skip("running as root and there is no 'nobody' user to drop to")
    folder = Path(tempfile.mkdtemp(prefix="quotetrack-perm-"))
    try:
        folder.chmod(0o755)
        good = write(folder / "good.txt", GOOD)
        good.chmod(0o644)
        secret = write(folder / "secret.txt", "Not for you.\n")
        secret.chmod(0o000)
        if nobody is not None:
            os.seteuid(nobody)
        try:
            docs, errors = read([folder])
        finally:
            if nobody is not None:
                os.seteuid(0)
    finally:
        shutil.rmtree(folder)
    assert [d.id for d in docs] == ["good"]
    assert [str(e) for e in errors] == [f"{folder / 'secret.txt'}: permission denied: cannot read the file"]


def test_directory_with_no_readable_files(tmp_path):
    folder = tmp_path / "exports"
    write(folder / "table.csv", "a,b\n")
    write(folder / "photo.jpg", b"\xff\xd8\xff\xe0")
    write(folder / ".hidden.txt", "hidden\n")
    _, error = with_good_file(tmp_path, folder)
    assert error.why == (
        "no readable files: the directory holds no .txt, .text, .md, .html, .htm, .jsonl, .ndjson files (2 other files skipped)"
    )


def test_special_file_in_a_directory_is_skipped_not_read(tmp_path):
    folder = tmp_path / "inbox"
    write(folder / "article.txt", GOOD)
    os.mkfifo(folder / "pipe.txt")  # reading it would block forever
    result: list = []
    reader = threading.Thread(target=lambda: result.append(read([folder])), daemon=True)
    reader.start()
    reader.join(timeout=30)
    assert result, "reading the directory hung on a FIFO"
    docs, errors = result[0]
    assert [d.id for d in docs] == ["article"] and errors == []


def test_unbalanced_quotation_marks_read_fine(tmp_path):
    text = (
        '"We will not give up, the councillor said at the meeting.\n'
        "\u201cThe budget is fine,\u201d she added. \u201cBut the timing\u2026\n"
        "He replied: \u2018no comment.\n"
    )
    docs, errors = read([write(tmp_path / "quotes.txt", text)])
    assert errors == []
    assert docs[0].text == text


# -- the command line ----------------------------------------------------------------------------


@pytest.fixture
def batch(tmp_path) -> tuple[Path, dict[str, str]]:
    """A folder with one good article and several bad files; returns it and each bad file's cause."""
    folder = tmp_path / "batch"
    write(folder / "good.txt", GOOD + '"And the quote never closes, an aide said.\n')
    write(folder / "empty.txt", b"")
    write(folder / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(folder / "legacy.txt", bytes(random.Random(1).randrange(128, 256) for _ in range(500)))
    write(folder / "index.html", "<html><body><nav><a href='/a'>Politics</a><a href='/b'>Sport</a></nav></body></html>")
    write(folder / "feed.jsonl", "{not json}\n")
    causes = {
        "empty.txt": "empty file",
        "image.txt": "binary file (a PNG image), not text",
        "legacy.txt": "not UTF-8 text",
        "index.html": "no article text found",
        "feed.jsonl:1": "not valid JSON",
    }
    return folder, causes


def test_cli_reports_each_bad_file_on_one_line_and_processes_the_good_one(batch):
    folder, causes = batch
    result = CliRunner().invoke(app, ["extract", "--no-store", "--format", "jsonl", str(folder)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    for name, cause in causes.items():
        named = [line for line in lines if str(folder / name) in line]
        assert len(named) == 1, f"{name}: {lines}"
        assert cause in named[0]
        assert named[0].startswith(("Warning:", "Error:"))
    assert "1 documents" in result.stderr and f"{len(causes)} failed" in result.stderr
    for line in result.stdout.splitlines():  # whatever quotes the good article gave
        assert json.loads(line)["doc"] == "good"


def test_cli_missing_path_only(tmp_path):
    missing = tmp_path / "absent.txt"
    result = CliRunner().invoke(app, ["extract", "--no-store", "--format", "jsonl", str(missing)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{missing}: no such file or directory" in result.stderr
    assert result.stdout == ""


def test_cli_malformed_published_is_one_error_line(tmp_path):
    path = write(tmp_path / "good.txt", GOOD)
    result = CliRunner().invoke(app, ["extract", "--no-store", "--published", "2024-13-45", str(path)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith("Error:") and "'2024-13-45': not a valid ISO date" in line


def test_cli_reads_standard_input(tmp_path):
    result = CliRunner().invoke(
        app, ["extract", "--no-store", "--format", "jsonl", "-"], input=GOOD.encode("cp1252")
    )
    assert result.exit_code == 0, result.output
    assert "1 documents" in result.stderr and "0 failed" in result.stderr
    for line in result.stdout.splitlines():
        assert json.loads(line)["doc"] == "stdin"
