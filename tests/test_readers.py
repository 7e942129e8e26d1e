"""Reading articles: text files, directories, standard input, JSONL and HTML."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from quotetrack.errors import InputError, QuotetrackError
from quotetrack.io.readers import iter_documents
from quotetrack.records import Document

ARTICLE = (
    "The harbour council postponed its vote on the ferry timetable on Tuesday.\n"
    "\u201cWe need more time to look at the numbers,\u201d council chair Maria Lindqvist said.\n"
)

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour council delays ferry decision | Coastline Courier</title>
<meta property="og:site_name" content="Coastline Courier">
<meta property="og:title" content="Harbour council delays ferry decision">
<meta property="article:published_time" content="2024-03-05T09:30:00Z">
<link rel="canonical" href="https://courier.example.org/news/ferry-decision">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News desk</a></li><li><a href="/sport">Sport pages</a></li></ul></nav>
<article>
<h1>Harbour council delays ferry decision</h1>
<p>The harbour council postponed its vote on the new ferry timetable on Tuesday after a public meeting that ran past midnight.</p>
<p>\u201cWe need more time to look at the numbers,\u201d council chair Maria Lindqvist said, adding that the cost estimates had changed twice in a month.</p>
<p>Local business owners said the delay would hurt the summer season and asked the council to publish the operator's full proposal.</p>
</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Storm closes coastal road for second day</a></li></ul></aside>
<footer>\u00a9 2024 Coastline Courier. All rights reserved.</footer>
</body></html>
"""


def read(paths, **kwargs) -> tuple[list[Document], list[InputError]]:
    docs, errors = [], []
    for item in iter_documents([str(p) for p in paths], **kwargs):
        (errors if isinstance(item, InputError) else docs).append(item)
    return docs, errors


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_text_file_is_read_exactly_as_stored(tmp_path):
    path = write(tmp_path / "ferry-vote.txt", ARTICLE)
    docs, errors = read([path])
    assert errors == []
    [doc] = docs
    assert doc.id == "ferry-vote"
    assert doc.text == ARTICLE
    assert doc.source == str(path)
    assert (doc.outlet, doc.published, doc.url, doc.title) == (None, None, None, None)
    start = doc.text.index("\u201cWe")
    assert doc.text[start : start + 8] == "\u201cWe need"


def test_crlf_is_preserved_and_offsets_index_the_text_as_stored(tmp_path):
    text = 'Line one, the minister said.\r\n"Line two," he added.\r\n'
    path = write(tmp_path / "crlf.txt", text)
    [doc], _ = read([path])
    assert doc.text == text
    assert doc.text.count("\r\n") == 2
    assert doc.text.index('"Line two,"') == len("Line one, the minister said.\r\n")


def test_utf8_bom_is_dropped_and_offsets_index_the_text_after_it(tmp_path):
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + "Zürich, she said.\n".encode())
    [doc], _ = read([path])
    assert doc.text == "Zürich, she said.\n"
    assert doc.text.index("she") == 8


def test_utf16_with_bom_is_decoded(tmp_path):
    text = "The café reopened, the owner said.\r\n"
    path = write(tmp_path / "notepad.txt", text.encode("utf-16"))  # with a byte-order mark
    [doc], _ = read([path])
    assert doc.text == text


def test_directory_is_read_recursively_in_sorted_order_skipping_hidden_and_other_files(tmp_path):
    corpus = tmp_path / "corpus"
    write(corpus / "b.txt", "Bravo text.\n")
    write(corpus / "a.md", "Alpha text.\n")
    write(corpus / "sub" / "c.text", "Charlie text.\n")
    write(corpus / "sub" / "deeper" / "d.TXT", "Delta text.\n")
    write(corpus / "z.txt", "Zulu text.\n")
    write(corpus / "table.csv", "a,b\n1,2\n")
    write(corpus / "notes.log", "log line\n")
    write(corpus / ".draft.txt", "Hidden file.\n")
    write(corpus / ".git" / "e.txt", "Hidden folder.\n")
    docs, errors = read([corpus])
    assert errors == []
    assert [d.id for d in docs] == ["a", "b", "c", "d", "z"]
    assert [d.text for d in docs] == ["Alpha text.\n", "Bravo text.\n", "Charlie text.\n", "Delta text.\n", "Zulu text.\n"]
    assert docs[2].source == str(corpus / "sub" / "c.text")
    assert read([corpus])[0] == docs  # the same order every time


def test_explicitly_named_file_of_another_extension_is_read_as_text(tmp_path):
    path = write(tmp_path / "wire.log", "Wire copy, the agency said.\n")
    docs, errors = read([path])
    assert errors == []
    assert [(d.id, d.text) for d in docs] == [("wire", "Wire copy, the agency said.\n")]


def test_same_stem_in_one_run_gets_path_based_ids(tmp_path):
    write(tmp_path / "2023" / "report.txt", "Report of 2023.\n")
    write(tmp_path / "2024" / "report.txt", "Report of 2024.\n")
    write(tmp_path / "2024" / "summary.md", "Summary text.\n")
    write(tmp_path / "2024" / "summary.txt", "Summary as text.\n")
    write(tmp_path / "single.txt", "Only one.\n")
    docs, errors = read([tmp_path])
    assert errors == []
    ids = {d.source: d.id for d in docs}
    assert ids == {
        str(tmp_path / "2023" / "report.txt"): "2023/report",
        str(tmp_path / "2024" / "report.txt"): "2024/report",
        str(tmp_path / "2024" / "summary.md"): "summary.md",
        str(tmp_path / "2024" / "summary.txt"): "summary.txt",
        str(tmp_path / "single.txt"): "single",
    }


def test_stem_is_plain_when_the_other_file_is_not_in_the_run(tmp_path):
    write(tmp_path / "2023" / "report.txt", "Report of 2023.\n")
    write(tmp_path / "2024" / "report.txt", "Report of 2024.\n")
    [doc], _ = read([tmp_path / "2024" / "report.txt"])
    assert doc.id == "report"


def test_a_file_named_twice_is_read_once(tmp_path):
    path = write(tmp_path / "once.txt", "Only once.\n")
    docs, errors = read([path, tmp_path, path])
    assert errors == []
    assert [d.id for d in docs] == ["once"]


def test_stdin_from_the_parameter(tmp_path):
    text = 'Crowds gathered, "and they stayed," an organiser said.\r\n'
    for given in (text.encode("utf-8"), io.BytesIO(text.encode("utf-8")), text, io.StringIO(text)):
        [doc], errors = read(["-"], stdin=given)
        assert errors == []
        assert (doc.id, doc.source, doc.text) == ("stdin", "<stdin>", text)


def test_stdin_defaults_to_sys_stdin(monkeypatch):
    raw = "Der Bürgermeister sagte, die Brücke sei sicher.\n".encode("cp1252")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    [doc], errors = read(["-"])
    assert errors == []
    assert doc.text == "Der Bürgermeister sagte, die Brücke sei sicher.\n"


def test_stdin_next_to_files(tmp_path):
    path = write(tmp_path / "file.txt", "From a file.\n")
    docs, _ = read([path, "-"], stdin=b"From standard input.\n")
    assert [(d.id, d.text) for d in docs] == [("file", "From a file.\n"), ("stdin", "From standard input.\n")]


def test_jsonl_records_with_optional_fields(tmp_path):
    lines = [
        {"id": "tass-1", "text": "Ryabkov said talks would go on.\r\nMore text.", "outlet": "TASS",
         "published": "2024-02-01", "url": "https://example.org/1", "title": "Talks go on"},
        {"text": "No id here, the spokesman said.", "published": "2024-02-02T08:15:00+03:00"},
        {"id": 7, "text": "Numeric id, she said.", "outlet": None},
    ]
    body = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines[:2]) + "\n\n" + json.dumps(lines[2]) + "\n"
    path = write(tmp_path / "feed.jsonl", body)
    docs, errors = read([path])
    assert errors == []
    assert [d.id for d in docs] == ["tass-1", "feed:2", "7"]
    first, second, third = docs
    assert first.text == "Ryabkov said talks would go on.\r\nMore text."
    assert (first.outlet, first.published, first.url, first.title) == ("TASS", "2024-02-01", "https://example.org/1", "Talks go on")
    assert first.source == f"{path}:1"
    assert second.published == "2024-02-02"
    assert second.outlet is None
    assert third.source == f"{path}:4"


def test_ndjson_in_a_directory_is_read_as_jsonl(tmp_path):
    write(tmp_path / "feed" / "day.ndjson", json.dumps({"id": "n1", "text": "Newline-delimited, he said."}) + "\n")
    [doc], errors = read([tmp_path / "feed"])
    assert errors == []
    assert (doc.id, doc.text) == ("n1", "Newline-delimited, he said.")


def test_outlet_and_published_arguments_override_the_input(tmp_path):
    write(tmp_path / "in" / "a.txt", "Plain text.\n")
    write(tmp_path / "in" / "b.jsonl", json.dumps({"id": "j", "text": "Json text.", "outlet": "TASS", "published": "2020-01-01"}) + "\n")
    write(tmp_path / "in" / "c.html", PAGE)
    docs, errors = read([tmp_path / "in"], outlet="Reuters", published="2024-05-06")
    assert errors == []
    assert [(d.id, d.outlet, d.published) for d in docs] == [
        ("a", "Reuters", "2024-05-06"),
        ("j", "Reuters", "2024-05-06"),
        ("c", "Reuters", "2024-05-06"),
    ]


@pytest.mark.parametrize("bad", ["2024-13-01", "05/03/2024", "2024-3-5", "yesterday", "2024-02-30"])
def test_malformed_published_argument_raises_at_once(bad):
    with pytest.raises(QuotetrackError, match="not a valid ISO date"):
        iter_documents(["does-not-matter.txt"], published=bad)  # before any reading


def test_html_article_text_and_metadata(tmp_path):
    path = write(tmp_path / "ferry.html", PAGE)
    [doc], errors = read([path])
    assert errors == []
    assert doc.id == "ferry"
    assert "The harbour council postponed its vote on the new ferry timetable" in doc.text
    assert "\u201cWe need more time to look at the numbers,\u201d council chair Maria Lindqvist said" in doc.text
    assert "asked the council to publish the operator's full proposal." in doc.text
    for boilerplate in ("News desk", "Most read", "Storm closes", "All rights reserved"):
        assert boilerplate not in doc.text
    assert "<p>" not in doc.text
    assert doc.title == "Harbour council delays ferry decision"
    assert doc.outlet == "Coastline Courier"
    assert doc.published == "2024-03-05"
    assert doc.url == "https://courier.example.org/news/ferry-decision"
    assert doc.source == str(path)


def test_html_date_is_not_guessed_from_a_copyright_line(tmp_path):
    page = (
        "<html><head><title>Bridge reopens</title></head><body><article>"
        "<p>The bridge reopened after two years of repairs, the city said in a statement on Monday evening.</p>"
        "<p>\u201cIt was worth the wait,\u201d mayor Jan Olsen said at the ceremony, which hundreds attended.</p>"
        "</article><footer>\u00a9 2024 City Daily</footer></body></html>"
    )
    [doc], _ = read([write(tmp_path / "bridge.htm", page)])
    assert "mayor Jan Olsen said" in doc.text
    assert doc.published is None


def test_html_in_a_legacy_encoding_declared_by_meta_charset(tmp_path):
    body = "<p>Министр заявил журналистам во вторник, что переговоры продолжатся на следующей неделе в Женеве.</p>"
    page = "<html><head><meta charset='windows-1251'><title>Новости</title></head><body><article>" + body + "</article></body></html>"
    [doc], errors = read([write(tmp_path / "ru.html", page.encode("cp1251"))])
    assert errors == []
    assert "переговоры продолжатся" in doc.text


def test_html_from_stdin_is_recognised(tmp_path):
    [doc], errors = read(["-"], stdin=PAGE.encode("utf-8"))
    assert errors == []
    assert doc.id == "stdin"
    assert doc.outlet == "Coastline Courier"
    assert "council chair Maria Lindqvist said" in doc.text


def test_html_extraction_writes_nothing_to_stderr(tmp_path):
    # In a fresh interpreter, where no logging is configured (pytest's own capture would hide it).
    write(tmp_path / "index.html", "<html><head><title>Index</title></head><body><nav><a href='/a'>Politics</a></nav></body></html>")
    write(tmp_path / "plain.html", "no markup at all")
    write(tmp_path / "ok.html", PAGE)
    script = textwrap.dedent(
        """
        import sys
        from quotetrack.io.readers import iter_documents
        for item in iter_documents(sys.argv[1:]):
            print(type(item).__name__)
        """
    )
    paths = [str(tmp_path / name) for name in ("index.html", "plain.html", "ok.html")]
    done = subprocess.run([sys.executable, "-c", script, *paths], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert done.stdout.split() == ["InputError", "InputError", "Document"]
    assert done.stderr == ""


def test_paths_may_be_path_objects(tmp_path):
    path = write(tmp_path / "as-path.txt", "Given as a Path, she said.\n")
    [doc] = list(iter_documents([path]))
    assert (doc.id, doc.source) == ("as-path", str(path))
