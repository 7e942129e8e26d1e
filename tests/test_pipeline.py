"""The extraction pipeline: order, exact offsets across pieces, worker processes, bounded
batches, per-document failures; and the progress display of `quotetrack extract`."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from quotetrack.cli import app
from quotetrack.cli.progress import RunCounts, RunProgress
from quotetrack.extraction import extractor, pipeline
from quotetrack.extraction.pipeline import BATCH_CHARS, MAX_PIECE, ExtractionError, extract_documents, split_text
from quotetrack.records import Document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
runner = CliRunner()

MADE_UP = [
    '"The bridge will open in May," Mayor Anna Berg said on Tuesday.',
    "Finance Minister Tomas Lind said that the budget would be balanced by 2027.",
    "",  # no text at all: no quotes, but it still comes back in its place
    '“We will not raise taxes,” the governor told reporters. “Not this year.”',
]


def fixture_documents() -> list[Document]:
    docs = [Document(id=p.stem[:3], text=p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.txt"))]
    return docs + [Document(id=f"made-{i}", text=t) for i, t in enumerate(MADE_UP)]


def records(pairs) -> list[tuple[str, list[dict]]]:
    return [(doc.id, [q.to_dict() for q in quotes]) for doc, quotes in pairs]


def assert_exact(text: str, quote: dict) -> None:
    assert quote["content"] == " … ".join(text[s:e] for s, e in quote["content_spans"])
    if quote["speaker_span"]:
        s, e = quote["speaker_span"]
        assert text[s:e] == quote["speaker_mention"]
    if quote["cue_span"]:
        s, e = quote["cue_span"]
        assert text[s:e] == quote["cue"]


@pytest.fixture(scope="module")
def serial(nlp):
    return records(extract_documents(fixture_documents(), nlp=nlp))


def test_documents_come_back_in_input_order_with_exact_offsets(serial):
    docs = fixture_documents()
    assert [doc_id for doc_id, _ in serial] == [d.id for d in docs]
    texts = {d.id: d.text for d in docs}
    assert sum(len(q) for _, q in serial) > 10  # the seed articles are full of quotes
    for doc_id, quotes in serial:
        for quote in quotes:
            assert quote["doc"] == doc_id
            assert_exact(texts[doc_id], quote)


def test_two_worker_processes_give_the_same_records_in_the_same_order(nlp, serial):
    parallel = records(extract_documents(fixture_documents(), nlp=nlp, n_process=2, batch_size=2))
    assert parallel == serial


def test_batch_size_does_not_change_the_records(nlp, serial):
    assert records(extract_documents(fixture_documents(), nlp=nlp, batch_size=1)) == serial


def test_long_article_is_parsed_in_pieces_with_offsets_into_the_whole_text(nlp):
    paragraph = "The committee met again on Monday to discuss the harbour plan and its costs.\n"
    filler = paragraph * (MAX_PIECE // len(paragraph) + 50)
    closing = '"We will rebuild the harbour before winter," Mayor Anna Berg said.\n'
    text = closing + filler + closing
    assert len(split_text(text)) >= 2 and len(text) > MAX_PIECE
    (quotes,) = [q for _, q in extract_documents([Document(id="long", text=text)], nlp=nlp)]
    starts = sorted(q.start for q in quotes if "rebuild the harbour" in q.content)
    # the same sentence at the start and after the cut is found at both places
    assert len(starts) == 2 and starts[0] < MAX_PIECE < starts[1]
    for quote in quotes:
        assert_exact(text, quote.to_dict())


def test_split_text_cuts_at_line_breaks_and_covers_everything():
    text = ("x" * 70 + "\n") * 5000
    spans = split_text(text, limit=1000)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert all(0 < e - s <= 1000 for s, e in spans)
    assert all(text[e - 1] == "\n" for s, e in spans[:-1])
    assert split_text("  \n ") == []


def test_spacy_batches_are_bounded_by_characters_and_count():
    pieces = [("a" * n, (i, 0)) for i, n in enumerate([30_000, 5_000, 5_000, 1_000, 60_000, 10, 10, 10])]
    batches = list(pipeline._batches(pieces, batch_size=2))
    assert [len(b) for b in batches] == [2, 2, 1, 2, 1]
    for batch in batches:
        assert len(batch) == 1 or sum(len(t) for t, _ in batch) <= BATCH_CHARS


@pytest.mark.parametrize("n_process", [1, 2])
def test_input_is_consumed_lazily(nlp, n_process):
    """An endless stream of documents yields results: nothing reads all input first."""
    endless = (Document(id=str(i), text=f'"Item {i} is ready," Anna Berg said.') for i in itertools.count())
    stream = extract_documents(endless, nlp=nlp, n_process=n_process, batch_size=4)
    first = list(itertools.islice(stream, 10))
    stream.close()
    assert [d.id for d, _ in first] == [str(i) for i in range(10)]


def broken_on_marker(original):
    def extract_from_pieces(document, pieces):
        if "EXPLODE" in document.text:
            raise RuntimeError("the extractor tripped\non two lines")
        return original(document, pieces)

    return extract_from_pieces


@pytest.mark.parametrize("n_process", [1, 2])
def test_a_failing_document_is_reported_and_the_others_go_on(nlp, monkeypatch, n_process):
    monkeypatch.setattr(extractor, "extract_from_pieces", broken_on_marker(extractor.extract_from_pieces))
    docs = [Document(id=f"d{i}", text=f'"Plan {i} works," Anna Berg said.') for i in range(6)]
    docs[2] = Document(id="bad", text='EXPLODE "This one fails," Anna Berg said.')
    failures = []
    got = list(extract_documents(docs, nlp=nlp, n_process=n_process, batch_size=2,
                                 on_error=lambda d, e: failures.append((d.id, e))))
    assert [d.id for d, _ in got] == ["d0", "d1", "d3", "d4", "d5"]
    assert all(quotes for _, quotes in got)
    ((doc_id, error),) = failures
    assert doc_id == "bad" and isinstance(error, ExtractionError)
    assert "RuntimeError: the extractor tripped on two lines" in str(error) and "\n" not in str(error)


def test_without_a_handler_the_failure_is_raised(nlp, monkeypatch):
    monkeypatch.setattr(extractor, "extract_from_pieces", broken_on_marker(extractor.extract_from_pieces))
    with pytest.raises(ExtractionError, match=r"^bad: extraction failed \(RuntimeError: the extractor"):
        list(extract_documents([Document(id="bad", text="EXPLODE now.")], nlp=nlp))


def test_a_document_that_breaks_the_parser_fails_alone(nlp, monkeypatch):
    real_pipe = nlp.pipe

    def pipe(items, **kwargs):
        items = list(items)  # spaCy calls pipe again with Docs for as_tuples: look at the texts only
        if any(isinstance(item, tuple) and "PARSER-BOMB" in item[0] for item in items):
            raise ValueError("parser exploded")
        return real_pipe(items, **kwargs)

    monkeypatch.setattr(nlp, "pipe", pipe)
    docs = [Document(id="a", text='"Fine," Anna Berg said.'), Document(id="b", text="PARSER-BOMB"),
            Document(id="c", text='"Also fine," Tomas Lind said.')]
    failures = []
    got = list(extract_documents(docs, nlp=nlp, on_error=lambda d, e: failures.append(str(e))))
    assert [d.id for d, _ in got] == ["a", "c"]
    assert failures == ["b: parsing failed (ValueError: parser exploded)"]


# --- the command line -------------------------------------------------------------------------


def test_cli_two_processes_write_the_same_quotes(nlp, tmp_path):
    one = runner.invoke(app, ["extract", str(FIXTURES), "--no-store", "-f", "jsonl", "-q"])
    two = runner.invoke(app, ["extract", str(FIXTURES), "--no-store", "-f", "jsonl", "-q", "--n-process", "2"])
    assert one.exit_code == 0 and two.exit_code == 0, two.output
    assert one.stdout == two.stdout and one.stdout.count("\n") > 10


def test_cli_failed_document_sets_the_exit_code_and_is_named_in_the_summary(nlp, monkeypatch, tmp_path):
    monkeypatch.setattr(extractor, "extract_from_pieces", broken_on_marker(extractor.extract_from_pieces))
    feed = tmp_path / "feed.jsonl"
    lines = [{"id": "ok-1", "text": '"Roads first," Mayor Anna Berg said.'},
             {"id": "doomed", "text": 'EXPLODE "Never," Tomas Lind said.'},
             {"id": "ok-2", "text": '"Schools next," Mayor Anna Berg said.'}]
    feed.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    db = tmp_path / "q.db"
    result = runner.invoke(app, ["extract", str(feed), "--db", str(db), "-f", "jsonl"])
    assert result.exit_code == 1
    assert {json.loads(x)["doc"] for x in result.stdout.splitlines()} == {"ok-1", "ok-2"}
    stderr = result.stderr.splitlines()
    assert any(x.startswith("Warning: doomed: extraction failed (RuntimeError: the extractor tripped on two lines)") for x in stderr)
    assert any(x.startswith("2 documents, ") and "1 failed" in x and "stored 2 new" in x for x in stderr), stderr
    assert "Failed: doomed" in stderr
    assert "Traceback" not in result.output


def test_cli_quiet_prints_nothing_on_stderr(nlp):
    result = runner.invoke(app, ["extract", str(FIXTURES), "--no-store", "-f", "jsonl", "--quiet"])
    assert result.exit_code == 0 and result.stderr == ""


def test_cli_summary_without_a_terminal_is_one_line_and_no_progress_bar(nlp):
    result = runner.invoke(app, ["extract", str(FIXTURES), "--no-store", "-f", "jsonl"])
    assert result.exit_code == 0
    (line,) = result.stderr.splitlines()
    assert line.startswith("5 documents, ") and " 0 failed in " in line and "documents/s" in line


def test_progress_is_drawn_on_a_terminal_only():
    counts = RunCounts()
    plain = Console(file=io.StringIO(), force_terminal=False)
    assert not RunProgress(plain, counts).active
    terminal = Console(file=io.StringIO(), force_terminal=True, width=100)
    assert not RunProgress(terminal, counts, enabled=False).active
    progress = RunProgress(terminal, counts)
    assert progress.active
    with progress:
        counts.documents, counts.quotes = 7, 12
        counts.failed.append("x.txt")
        progress.update()
        progress._progress.refresh()
    drawn = terminal.file.getvalue()
    assert "7 documents, 12 quotes" in drawn and "1 failed" in drawn and "documents/s" in drawn


def test_summary_names_failures_on_one_line():
    counts = RunCounts(documents=3, quotes=5, failed=[f"f{i}.txt" for i in range(25)])
    line = counts.failure_line()
    assert "\n" not in line and line.startswith("Failed: f0.txt, f1.txt") and line.endswith("and 5 more")
    assert counts.summary("stored 3 new", interrupted=True).startswith("Interrupted after 3 documents, 5 quotes, 25 failed")
