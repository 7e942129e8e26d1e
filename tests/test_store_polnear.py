"""PolNeAR dev ingested twice gives the same row counts as once (on SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quotetrack.extraction.pipeline import extract_documents
from quotetrack.records import Document
from quotetrack.store import Ingestor
from quotetrack.store.ingest import counts
from store_support import db_url, store  # noqa: F401

pytestmark = pytest.mark.slow

POLNEAR_DEV = Path("/work/shared/polnear/dev/text")


@pytest.fixture(scope="module")
def polnear_extracted(nlp):
    if not POLNEAR_DEV.is_dir():
        pytest.skip(f"PolNeAR dev texts not found at {POLNEAR_DEV}")
    documents = [
        Document(id=path.stem, text=path.read_text(encoding="utf-8"), source=str(path))
        for path in sorted(POLNEAR_DEV.glob("*.txt"))
    ]
    extracted = []
    for document, quotes in extract_documents(documents, nlp=nlp):
        extracted.append((document, quotes, document.meta))
    return extracted


def test_polnear_dev_twice_equals_once(store, polnear_extracted):
    first = Ingestor(store)
    for document, quotes, meta in polnear_extracted:
        first.add(document, quotes, meta)
    with store.read() as session:
        once = counts(session)
    assert once["documents"] == len(polnear_extracted)
    assert once["quotes"] == sum(len({q.id for q in quotes}) for _, quotes, _ in polnear_extracted)

    second = Ingestor(store)
    for document, quotes, meta in polnear_extracted:
        second.add(document, quotes, meta)
    with store.read() as session:
        assert counts(session) == once
    assert second.stats.unchanged == len(polnear_extracted) and second.stats.added == 0
