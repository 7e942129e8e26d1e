"""PolNeAR dev ingested twice gives the same row counts as once (on SQLite and PostgreSQL)."""

from __future__ import annotations

import re
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


def test_polnear_dev_stores_no_person_under_two_given_names_and_no_layout_as_speaker(store, polnear_extracted):
    """Issue 8's bar on the stored dev set: no speaker whose aliases give one surname two different
    given names (Ivana and Ivanka Trump were once one speaker), and no dateline, pronoun, caption,
    link line or page furniture as a speaker's name."""
    from sqlalchemy import select

    from quotetrack.given_names import same_given_name
    from quotetrack.store.identity import name_parts, translit_key
    from quotetrack.store.models import Speaker, SpeakerAlias

    ingestor = Ingestor(store)
    for document, quotes, meta in polnear_extracted:
        ingestor.add(document, quotes, meta)
    with store.read() as session:
        speakers = session.execute(select(Speaker.id, Speaker.name, Speaker.kind)).all()
        aliases: dict[int, list[str]] = {}
        for speaker_id, alias in session.execute(select(SpeakerAlias.speaker_id, SpeakerAlias.alias)):
            aliases.setdefault(speaker_id, []).append(alias)
    mixed = []
    for speaker_id, name, kind in speakers:
        if kind == "org":
            continue
        given: dict[str, set[str]] = {}
        for alias in aliases.get(speaker_id, []) + [name]:
            parts = name_parts(alias)
            if parts.given and len(parts.given[0]) > 1:
                given.setdefault(parts.surname_key, set()).add(parts.given[0])
        for names in given.values():
            first, *others = sorted(names)
            if any(not same_given_name(first, other) and translit_key(first) != translit_key(other) for other in others):
                mixed.append((name, sorted(names)))
    assert mixed == []
    # datelines as the texts have them: "WASHINGTON (AP) —", "BRUSSELS -"
    datelines = {found.group(1).strip() for document, _, _ in polnear_extracted
                 for found in DATELINE.finditer(document.text)}
    not_speakers = {"he", "she", "they", "who", "that", "which", "you", "we", "one", "read more", "watch",
                    "related", "the latest", "d mmmm yyyy"}
    names = {name for _, name, _ in speakers}
    assert datelines and not names & datelines
    assert not {name for name in names if name.lower() in not_speakers or name.lower().startswith("this handout photo")}


DATELINE = re.compile(r"(?m)^([A-Z][A-Z. ]{2,}?)(?:,? [A-Z][a-z]+\.?)? (?:\(AP\) )?[—–-] ")
