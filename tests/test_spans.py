"""Valid records only: a Quote refuses spans that are empty, reversed, unsorted or overlapping, and
extraction never builds one (checked on all of PolNeAR train and dev in the slow test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotetrack import Document, extract, extract_documents
from quotetrack.records import Quote

POLNEAR = Path(__file__).resolve().parent.parent.parent / "shared" / "polnear"


def quote(**changes):
    fields = dict(doc="d", type="direct", content_spans=[(0, 4)], content="text")
    fields.update(changes)
    return Quote(**fields)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"cue_span": (1780, 1759)}, r"cue_span \[1780, 1759\]: start must be >= 0 and before end"),
        ({"cue_span": (5, 5)}, r"cue_span \[5, 5\]"),
        ({"speaker_span": (9, 3)}, r"speaker_span \[9, 3\]"),
        ({"content_spans": [(4, 4)]}, r"content span \[4, 4\]"),
        ({"content_spans": [(-1, 4)]}, r"content span \[-1, 4\]"),
        ({"content_spans": []}, "at least one content span"),
        ({"content_spans": [(10, 20), (0, 4)]}, r"content spans \[10, 20\] and \[0, 4\]: not sorted, or overlapping"),
        ({"content_spans": [(0, 10), (5, 20)]}, r"content spans \[0, 10\] and \[5, 20\]"),
    ],
)
def test_quote_refuses_invalid_spans(changes, message):
    with pytest.raises(ValueError, match=message):
        quote(**changes)
    with pytest.raises(ValueError, match=message):
        Quote.from_dict(quote().to_dict() | {k: [list(s) for s in v] if k == "content_spans" else v for k, v in changes.items()})


def test_quote_takes_valid_spans():
    ok = quote(content_spans=[(0, 4), (4, 9)], cue_span=(10, 14), speaker_span=(15, 20))
    assert ok.start == 0 and ok.end == 9


def assert_valid(text: str, record: Quote) -> None:
    for start, end in record.content_spans:
        assert 0 <= start < end <= len(text), record
    assert record.content_spans == sorted(record.content_spans)
    assert all(a[1] <= b[0] for a, b in zip(record.content_spans, record.content_spans[1:])), record
    assert record.content == " … ".join(text[s:e] for s, e in record.content_spans), record
    for span, value in ((record.cue_span, record.cue), (record.speaker_span, record.speaker_mention)):
        if span is not None:
            assert 0 <= span[0] < span[1] <= len(text), record
            assert text[span[0] : span[1]] == value and value.strip(), record


def test_a_preposition_before_the_cue_verb_makes_no_reversed_cue(nlp):
    # PolNeAR train, wash-post_2016-03-03: "As part of …" was read as the object of "look at",
    # giving cue_span [55, 2] and an empty cue.
    text = (
        "As part of the inquiry, law enforcement officials will look at the potential damage had the "
        "classified information in the emails been exposed."
    )
    for record in extract(text, nlp=nlp):
        assert_valid(text, record)
        assert record.cue != ""


def test_merged_quote_pieces_do_not_overlap(nlp):
    # PolNeAR train, breitbart_2016-02-08: content_spans [[36, 73], [36, 85]], the content repeated.
    text = (
        "Former Mexico leader Calderon calls Trump’s idea for border wall ‘stupid’, ‘useless.’\n\n"
        "MEXICO CITY, Feb. 8 (UPI) — Count former Mexican President Felipe Calderon among Donald Trump’s detractors.\n"
    )
    [record] = [q for q in extract(text, nlp=nlp) if "border wall" in q.content]
    assert_valid(text, record)
    assert record.content_spans == [(36, 85)]


def polnear_documents() -> list[Document]:
    folders = [POLNEAR / part / "text" for part in ("train", "dev")]
    missing = [str(f) for f in folders if not f.is_dir()]
    if missing:
        pytest.skip(f"PolNeAR texts not found at {', '.join(missing)}")
    return [
        Document(id=f"{folder.parent.name}/{path.stem}", text=path.read_text(encoding="utf-8"))
        for folder in folders
        for path in sorted(folder.glob("*.txt"))
    ]


@pytest.fixture(scope="module")
def polnear_extraction():
    documents = polnear_documents()
    failed: list[str] = []
    extracted = list(extract_documents(documents, n_process=2, on_error=lambda d, e: failed.append(str(e))))
    return documents, extracted, failed


@pytest.mark.slow
def test_every_span_of_every_polnear_record_is_valid(polnear_extraction):
    documents, extracted, _ = polnear_extraction
    checked = 0
    for document, records in extracted:
        for record in records:
            assert_valid(document.text, record)
            checked += 1
    assert checked > 10_000 and len(extracted) >= len(documents) - 5


@pytest.mark.slow
def test_every_polnear_document_is_extracted(polnear_extraction):
    _, _, failed = polnear_extraction
    assert failed == []
