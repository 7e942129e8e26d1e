"""Reading what the analysis needs from the store: quotes of chosen speakers, outlets or documents,
with a window of document text around each cue (not whole articles), and speakers' aliases.

Queries go by indexed columns (quotes.speaker_id, documents.published, outlets.name) so a
comparison of two speakers reads only their quotes, however large the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from quotetrack.records import Quote
from quotetrack.store.models import Outlet, Proposition, QuoteProposition, Speaker, SpeakerAlias, StoredDocument, StoredQuote
from quotetrack.store.queries import CHRONOLOGICAL, in_period, matching_speakers

# Characters of document text kept on each side of a cue: enough for the cue's sentence.
WINDOW = 700


@dataclass
class Grouping:
    """A stored quote's proposition (None while it waits for similar claims) and stance toward it."""

    proposition: int | None
    label: str | None
    topic: str | None
    stance: str
    evidence: str | None


@dataclass
class Loaded:
    quotes: list[Quote]
    windows: dict[str, tuple[int, str]]  # quote id -> (offset of the window in its document, text)
    groupings: dict[str, Grouping] = field(default_factory=dict)  # quote id -> its proposition, when grouped
    urls: dict[str, str] = field(default_factory=dict)  # document id -> its URL, when known


def find_speakers(session: Session, names: Sequence[str], *, all_matching: bool = False) -> list[Speaker]:
    """The stored speakers the names mean (id, name or alias), as `matching_speakers` reads them:
    one per name, or every matching one with `all_matching`; unknown or ambiguous names raise NotFound."""
    speakers: list[Speaker] = []
    for name in names:
        for speaker_id in matching_speakers(session, name, all_matching=all_matching):
            if all(s.id != speaker_id for s in speakers):
                speaker = session.get(Speaker, speaker_id)
                assert speaker is not None
                speakers.append(speaker)
    return speakers


def speaker_aliases(session: Session, ids: Sequence[int]) -> dict[str, list[str]]:
    """Canonical name -> the other names each speaker was seen under."""
    names: dict[int, str] = dict(session.execute(select(Speaker.id, Speaker.name).where(Speaker.id.in_(list(ids)))).tuples().all())
    aliases: dict[str, list[str]] = defaultdict(list)
    for speaker_id, alias in session.execute(
        select(SpeakerAlias.speaker_id, SpeakerAlias.alias).where(SpeakerAlias.speaker_id.in_(list(ids))).order_by(SpeakerAlias.id)
    ):
        if alias != names[speaker_id] and alias not in aliases[names[speaker_id]]:
            aliases[names[speaker_id]].append(alias)
    return {names[i]: aliases.get(names[i], []) for i in ids if i in names}


def load_quotes(
    session: Session,
    *,
    speaker_ids: Sequence[int] = (),
    outlets: Sequence[str] = (),
    docs: Sequence[str] = (),
    since: date | None = None,
    until: date | None = None,
    context: bool = True,
    limit: int | None = None,
    propositions: bool = False,
    proposition: int | None = None,
) -> Loaded:
    """Stored quotes as `Quote` records (speaker = canonical name, reported_by the reporting
    speaker's), oldest first, with cue windows; with `propositions`, each grouped quote's
    proposition and stance, and documents' URLs; `proposition` keeps only that one's quotes."""
    # The two-argument maximum: max() on SQLite, greatest() on PostgreSQL.
    larger = func.greatest if session.get_bind().dialect.name == "postgresql" else func.max
    window_start = larger(StoredQuote.cue_start - WINDOW, 0)
    reporter = aliased(Speaker)
    # Plain columns, not StoredQuote entities: building ORM objects doubled the time of 10,000 rows.
    quote_columns = [
        StoredQuote.key, StoredQuote.type, StoredQuote.content_spans, StoredQuote.content, StoredQuote.speaker_name,
        StoredQuote.speaker_mention, StoredQuote.mention_start, StoredQuote.mention_end, StoredQuote.cue, StoredQuote.cue_start,
        StoredQuote.cue_end, StoredQuote.reported_by, StoredQuote.speaker_kind, StoredQuote.confidence,
    ]
    columns: list = [
        *quote_columns, StoredDocument.key, StoredDocument.published, Outlet.name, Speaker.name, reporter.name, StoredDocument.url
    ]
    if propositions or proposition is not None:
        columns += [
            QuoteProposition.proposition_id, Proposition.label, Proposition.topic, QuoteProposition.stance, QuoteProposition.evidence
        ]
    if context:
        # substr is 1-based and counts characters on both SQLite and PostgreSQL, like Python indices.
        columns += [window_start, func.substr(StoredDocument.text, window_start + 1, 2 * WINDOW + 200)]
    query = (
        select(*columns)
        .join(StoredDocument, StoredQuote.document_id == StoredDocument.id)
        .outerjoin(Outlet, StoredDocument.outlet_id == Outlet.id)
        .outerjoin(Speaker, StoredQuote.speaker_id == Speaker.id)
        .outerjoin(reporter, StoredQuote.reported_by_id == reporter.id)
    )
    if propositions or proposition is not None:
        query = query.outerjoin(QuoteProposition, QuoteProposition.quote_id == StoredQuote.id).outerjoin(
            Proposition, QuoteProposition.proposition_id == Proposition.id
        )
    if proposition is not None:
        query = query.where(QuoteProposition.proposition_id == proposition)
    if speaker_ids:
        query = query.where(StoredQuote.speaker_id.in_(list(speaker_ids)))
    if outlets:
        query = query.where(func.lower(Outlet.name).in_([o.lower() for o in outlets]))
    if docs:
        query = query.where(StoredDocument.key.in_(list(docs)))
    query = in_period(query, since, until).order_by(*CHRONOLOGICAL)
    if limit:
        query = query.limit(limit)
    loaded = Loaded([], {})
    grouped = propositions or proposition is not None
    for row in session.execute(query):
        (quote_key, type_, spans, content, speaker_name, mention, mention_start, mention_end, cue, cue_start, cue_end,
         reported_by, speaker_kind, confidence) = row[:14]
        key, published, outlet, speaker, reporter_name, url = row[14:20]
        quote = Quote(
            doc=key,
            id=quote_key,
            type=type_,
            content_spans=[(int(s), int(e)) for s, e in spans],
            content=content,
            speaker=speaker or speaker_name,
            speaker_mention=mention,
            speaker_span=(mention_start, mention_end) if mention_start is not None else None,
            cue=cue,
            cue_span=(cue_start, cue_end) if cue_start is not None else None,
            outlet=outlet,
            published=published.isoformat() if published else None,
            reported_by=reporter_name or reported_by,
            speaker_kind=speaker_kind,
            confidence=confidence,
        )
        loaded.quotes.append(quote)
        rest = row[20:]
        if grouped:
            proposition_id, label, topic, stance, evidence = rest[:5]
            rest = rest[5:]
            if stance is not None:
                loaded.groupings[quote.id] = Grouping(proposition_id, label, topic, stance, evidence)
        if url:
            loaded.urls[key] = url
        if context and cue_start is not None and rest[1] is not None:
            loaded.windows[quote.id] = (int(rest[0]), rest[1])
    return loaded


# Characters before a cue that its stance reads ("do not" + "accept"), as `claims.cue_words_with_context` does.
CUE_CONTEXT = 40
IN_CHUNK = 500  # keys per IN (...) list


def cue_windows(session: Session, quotes: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
    """(document id, quote id) -> (offset, the document text from CUE_CONTEXT characters before the
    cue to its end), for the stored quotes given that have a cue; read in chunks, never whole texts."""
    larger = func.greatest if session.get_bind().dialect.name == "postgresql" else func.max
    start = larger(StoredQuote.cue_start - CUE_CONTEXT, 0)
    found: dict[tuple[str, str], tuple[int, str]] = {}
    keys = sorted({key for _, key in quotes})
    wanted = set(quotes)
    for index in range(0, len(keys), IN_CHUNK):
        chunk = keys[index : index + IN_CHUNK]
        query = (
            select(StoredDocument.key, StoredQuote.key, start, func.substr(StoredDocument.text, start + 1, StoredQuote.cue_end - start))
            .join(StoredDocument, StoredQuote.document_id == StoredDocument.id)
            .where(StoredQuote.key.in_(chunk), StoredQuote.cue_start.is_not(None))
        )
        for doc, key, offset, window in session.execute(query):
            if (doc, key) in wanted and window is not None:
                found[(doc, key)] = (int(offset), window)
    return found
