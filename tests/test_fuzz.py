"""Adversarial input, generated: quotation marks of every style (unbalanced, nested), very long
sentences, control characters, mixed scripts, markup, SQL fragments. The extractor, the readers,
the store and the command line must neither raise nor print any of it raw."""

from __future__ import annotations

import json
import re
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from quotetrack.cli import app
from quotetrack.errors import InputError, QuotetrackError
from quotetrack.extraction.pipeline import extract
from quotetrack.io.readers import iter_documents
from quotetrack.records import Document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

MARKS = ['"', "'", "“", "”", "‘", "’", "«", "»", "„", "‚", "‹", "›", "「", "」", "『", "』", "``", "''",
         "〝", "〞", "＂", "❝", "❞", "″", "\u201f", "\u201b", "`"]
WORDS = ["said", "says", "told reporters", "according to", "added", "Mayor Anna Berg", "he", "She", "the expert",
         "Tomas Lind", "Ministry of Truth", "that", "we will", "never", "Dr.", "Mr.", "U.S.", "2024", "…"]
PUNCTUATION = [".", ",", ":", ";", "?", "!", " — ", " - ", "(", ")", "[", "]", "\n", "\n\n", " ", "  ", "\t"]
MARKUP = ["[bold red]", "[/bold red]", "[/]", "[link=https://example.org]", "<script>alert(1)</script>", "<b>",
          "</p>", "&amp;", "&#8220;", "**", "__", "{{date}}", "\\", "\x1b[31m", "\x1b[2J", "\x1b]8;;https://x\x07"]
SQL = ["'; DROP TABLE quotes; --", '" OR 1=1 --', "%", "_", "NEAR(a b)", "quotes_fts MATCH 'x'", "\\x00", "*", "-x", "AND OR NOT"]
SCRIPTS = ["Путин заявил, что", "قال الرئيس", "习近平说", "नमस्ते दुनिया", "שלום", "Ελλάδα", "👩‍👩‍👧", "e\u0301", "ﬁ",
           "\u202e", "\u200b", "\u200d", "\u2028", "\u2029", "\ufeff", "\ufffd", "\U0001d400"]
CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\r", "\r\n", "\x7f", "\x85", "\x9b"]

fragment = st.one_of(
    st.sampled_from(MARKS),
    st.sampled_from(WORDS),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(MARKUP),
    st.sampled_from(SQL),
    st.sampled_from(SCRIPTS),
    st.sampled_from(CONTROLS),
    st.text(max_size=12),
)
adversarial = st.lists(fragment, max_size=80).map(" ".join)
quoted = st.builds(
    lambda opening, inside, closing, tail: f"{opening}{inside}{closing} {tail}",
    st.sampled_from(MARKS), adversarial, st.sampled_from(MARKS + [""]), adversarial,
)
text_strategy = st.one_of(adversarial, quoted, st.lists(quoted, min_size=2, max_size=6).map("\n".join))


def long_sentence(words: list[str], marks: list[str]) -> str:
    """One sentence of over a thousand words, quotation marks strewn in it, no full stop until the end."""
    body = " ".join(words[i % len(words)] + (marks[i % len(marks)] if i % 97 == 0 else "") for i in range(1200))
    return f"{body} Anna Berg said."


def check_spans(text: str, quote) -> None:
    assert quote.type in ("direct", "indirect", "mixed")
    assert quote.content_spans
    for start, end in quote.content_spans:
        assert 0 <= start < end <= len(text)
    assert quote.content == " … ".join(text[s:e] for s, e in sorted(quote.content_spans))
    if quote.speaker_span is not None:
        s, e = quote.speaker_span
        assert 0 <= s < e <= len(text) and text[s:e] == quote.speaker_mention
    if quote.cue_span is not None:
        s, e = quote.cue_span
        assert 0 <= s < e <= len(text) and text[s:e] == quote.cue
    json.dumps(quote.to_dict())  # the record is writable as JSON


@settings(max_examples=200, **SETTINGS)
@given(text=text_strategy)
def test_extractor_never_raises_and_every_span_indexes_the_text(nlp, text):
    for quote in extract(text, nlp=nlp):
        check_spans(text, quote)


@settings(max_examples=5, **SETTINGS)
@given(words=st.lists(st.sampled_from(WORDS + SCRIPTS + SQL), min_size=1, max_size=8),
       marks=st.lists(st.sampled_from(MARKS), min_size=1, max_size=5))
@example(words=["said", "\u2028"], marks=["»"])  # once a speaker mention of nothing but a line separator
def test_very_long_sentences_with_stray_marks(nlp, words, marks):
    text = long_sentence(words, marks)
    for quote in extract(text, nlp=nlp):
        check_spans(text, quote)


# --- readers ------------------------------------------------------------------------------------

encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1251", "cp1252", "latin-1"])


@st.composite
def file_bytes(draw) -> bytes:
    kind = draw(st.sampled_from(["text", "binary", "mixed"]))
    if kind == "binary":
        return draw(st.binary(max_size=400))
    text = draw(text_strategy)
    data = text.encode(draw(encodings), errors="replace")
    if kind == "mixed":
        data = data[: len(data) // 2] + draw(st.binary(max_size=40)) + data[len(data) // 2 :]
    return data


@st.composite
def jsonl_bytes(draw) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        shape = draw(st.sampled_from(["good", "odd-fields", "broken", "raw"]))
        if shape == "good":
            record = {"id": draw(st.one_of(st.text(max_size=20), st.integers())), "text": draw(text_strategy)}
        elif shape == "odd-fields":
            record = draw(st.dictionaries(st.sampled_from(["id", "text", "outlet", "published", "url", "title"]),
                                          st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30),
                                                    st.lists(st.integers(), max_size=3)), max_size=6))
        elif shape == "broken":
            lines.append(draw(st.sampled_from(['{"text": "unterminated', "[1, 2", "{'single': 1}", "null", "{}"])))
            continue
        else:
            lines.append(draw(adversarial))
            continue
        lines.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
    return "\n".join(lines).encode("utf-8", errors="surrogatepass")


def read_all(data: bytes, suffix: str) -> list:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        return list(iter_documents([str(path)]))


def check_items(items: list) -> None:
    assert items, "every input yields a document or an error"
    for item in items:
        assert isinstance(item, (Document, InputError)), item
        if isinstance(item, InputError):
            message = str(item)
            assert "\n" not in message and "\r" not in message, message
            assert "\x1b" not in message
        else:
            assert item.text.strip() and isinstance(item.id, str)


@settings(max_examples=150, **SETTINGS)
@given(data=file_bytes(), suffix=st.sampled_from([".txt", ".md", ".html", ".htm", ".text"]))
def test_readers_turn_any_bytes_into_documents_or_one_line_errors(data, suffix):
    check_items(read_all(data, suffix))


@settings(max_examples=100, **SETTINGS)
@given(data=jsonl_bytes())
def test_jsonl_reader_turns_any_lines_into_documents_or_one_line_errors(data):
    check_items(read_all(data, ".jsonl"))


# --- the command line and the store ---------------------------------------------------------------

runner = CliRunner()
# What a terminal acts on: C0 controls other than line break and tab, DEL, C1 controls.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def jsonl_lines(output: str) -> list[str]:
    # not str.splitlines(): it also breaks at U+2028, U+0085 … which JSON strings may hold raw
    return [line for line in output.split("\n") if line]


@pytest.fixture(scope="module")
def database(tmp_path_factory, nlp) -> Path:
    db = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    assert runner.invoke(app, ["extract", str(FIXTURES), "--db", str(db), "-q"]).exit_code == 0
    return db


@settings(max_examples=40, **SETTINGS)
@given(text=text_strategy)
def test_cli_prints_nothing_raw_and_stores_exactly_what_it_extracted(nlp, database, text):
    if not text.strip():
        text = '"Nothing," Anna Berg said.'
    with tempfile.TemporaryDirectory() as folder:
        doc_id = f"fuzz-{uuid.uuid4().hex[:8]}"
        text += f"\n{doc_id}\n"  # a text stored before under another id would be skipped as a duplicate
        (Path(folder) / f"{doc_id}.txt").write_bytes(text.encode("utf-8", errors="replace"))
        path = str(Path(folder) / f"{doc_id}.txt")
        table = runner.invoke(app, ["extract", path, "--no-store"], env={"COLUMNS": "300"})
        stored = runner.invoke(app, ["extract", path, "--db", str(database), "-f", "jsonl"])
    for result in (table, stored):
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1), result.output
        assert not RAW_CONTROL.search(result.stderr), result.stderr
    assert not RAW_CONTROL.search(table.stdout), table.stdout
    if stored.exit_code == 1:  # the reader refused the bytes: one line says why
        assert "Error:" in stored.stderr or "Warning:" in stored.stderr
        return
    extracted = sorted((r["id"], r["content"], r["content_spans"]) for r in map(json.loads, jsonl_lines(stored.stdout)))
    back = runner.invoke(app, ["quotes", "--db", str(database), "-f", "jsonl"])
    mine = sorted((r["id"], r["content"], r["content_spans"]) for r in map(json.loads, jsonl_lines(back.stdout)) if r["doc"] == doc_id)
    assert mine == extracted


def test_markup_in_an_article_is_shown_literally_in_the_table(nlp, tmp_path):
    path = tmp_path / "markup.txt"
    path.write_text('"[bold red]Burn it[/bold red] \x1b[31mnow," Mayor Anna Berg said.\n', encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--no-store"], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    assert "[bold red]Burn it[/bold red] \\x1b[31mnow" in result.stdout
    assert "\x1b" not in result.stdout


@settings(max_examples=150, **SETTINGS)
@given(search=st.one_of(st.sampled_from(SQL + MARKUP + MARKS), adversarial))
def test_any_search_string_gives_quotes_or_a_one_line_error(database, search):
    from quotetrack.store import open_store
    from quotetrack.store.queries import find_quotes

    store = open_store(str(database))
    try:
        with store.read() as session:
            try:
                rows = find_quotes(session, search=search, limit=5)
            except QuotetrackError as exc:
                assert "\n" not in str(exc)
                return
    finally:
        store.close()
    assert isinstance(rows, list) and len(rows) <= 5
