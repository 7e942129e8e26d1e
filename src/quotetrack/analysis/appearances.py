"""A stored quote's claim across documents: for `quotes --dedupe` and the provenance in `show`.

`show` must not compare a quote with every stored quote, so candidates come from the full-text
index (FTS5 on SQLite, the tsvector GIN index on PostgreSQL): a few disjoint probes of the
quote's longest informative words, each probe requiring all of its words. A reworded copy close
enough to be the same claim (see `provenance.NEAR_RATIO`) keeps the words of at least one probe
in all but pathological cases. `group_appearances` then decides which candidates are the claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from quotetrack.analysis.provenance import Claim, claims_to_rows, group_appearances, provenance_of
from quotetrack.analysis.terms import keyed_words, tokenize
from quotetrack.records import Quote
from quotetrack.store.models import Outlet, Speaker, StoredDocument, StoredQuote
from quotetrack.store.queries import CHRONOLOGICAL, fts_condition

PROBE_WORDS = 3  # words per probe; a candidate holds all of them
PROBES = 3  # disjoint probes; a candidate matches any one of them
MAX_CANDIDATES = 500  # per probe and in all; the earliest are kept: the first appearance matters most


def probe_words(content: str) -> list[list[str]]:
    """Disjoint groups of the content's longest informative words (longer words are rarer)."""
    words: list[str] = []
    for _, word in keyed_words(tokenize(content)):
        if word not in words:
            words.append(word)
    words.sort(key=len, reverse=True)  # stable: equal lengths keep their order in the text
    return [words[i : i + PROBE_WORDS] for i in range(0, min(len(words), PROBE_WORDS * PROBES), PROBE_WORDS)]


def candidate_appearances(session: Session, quote: Quote) -> list[Quote]:
    """Stored quotes in other documents that hold all words of some probe, oldest first.

    One indexed query per probe (`fts_condition` binds a fixed parameter name, so probes cannot
    share a statement); the union is capped at `MAX_CANDIDATES`, keeping the earliest.
    """
    speaker = aliased(Speaker)
    base = (
        select(
            StoredQuote.key.label("quote"),
            StoredQuote.type,
            StoredQuote.content,
            StoredQuote.content_spans,
            StoredQuote.start,
            StoredDocument.key.label("doc"),
            StoredDocument.published,
            Outlet.name.label("outlet"),
            speaker.name.label("speaker"),
        )
        .join(StoredDocument, StoredQuote.document_id == StoredDocument.id)
        .outerjoin(Outlet, StoredDocument.outlet_id == Outlet.id)
        .outerjoin(speaker, StoredQuote.speaker_id == speaker.id)
        .where(StoredDocument.key != quote.doc)
        .order_by(*CHRONOLOGICAL)
        .limit(MAX_CANDIDATES)
    )
    found: dict = {}
    for words in probe_words(quote.content):
        for row in session.execute(base.where(fts_condition(session, " ".join(words)))):
            found.setdefault((row.doc, row.quote), row)
    rows = sorted(found.values(), key=lambda r: (r.published is None, r.published or date.min, r.doc, r.start))
    return [
        Quote(
            doc=row.doc,
            id=row.quote,
            type=row.type,
            content_spans=[(int(s), int(e)) for s, e in row.content_spans],
            content=row.content,
            speaker=row.speaker,
            outlet=row.outlet,
            published=row.published.isoformat() if row.published else None,
        )
        for row in rows[:MAX_CANDIDATES]
    ]


def claim_of(session: Session, quote: Quote) -> Claim:
    """The claim `quote` belongs to, with its appearances in every stored document (at least itself)."""
    claims = group_appearances([quote, *candidate_appearances(session, quote)])
    claim = provenance_of(quote, claims)
    assert claim is not None  # group_appearances places every quote it is given
    return claim


def dedupe_records(records: Iterable[dict], limit: int | None = None) -> list[Claim]:
    """Quote records (DESIGN.md dicts) grouped into claims, by first appearance; at most `limit` claims."""
    claims = group_appearances(Quote.from_dict(record) for record in records)
    return claims[:limit] if limit else claims


def dedupe_rows(claims: Sequence[Claim], *, detail: bool) -> list[dict]:
    """One row per claim; with `detail`, each row also lists its reuses (outlet, date, similarity, drift)."""
    rows = claims_to_rows(claims)
    if detail:
        for row, claim in zip(rows, claims):
            row["reuses"] = [appearance.to_dict() for appearance in claim.reuses]
    return rows
