"""Reading the store: quotes by speaker, outlet, text, type and date; speakers with their
aliases, roles and reach; one quote in its paragraph."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session, aliased

from quotetrack.dates import parse_day
from quotetrack.errors import QuotetrackError
from quotetrack.io.meta import normalize_outlet
from quotetrack.store import identity
from quotetrack.store import search as search_language
from quotetrack.store.models import Outlet, Speaker, SpeakerAlias, SpeakerRole, StoredDocument, StoredQuote
from quotetrack.store.speakers import SpeakerIndex

QUOTE_COLUMNS = (
    "id", "doc", "type", "speaker", "speaker_id", "speaker_mention", "cue", "content", "outlet",
    "published", "reported_by", "confidence", "speaker_span", "cue_span", "content_spans",
)
SPEAKER_COLUMNS = ("id", "name", "kind", "quotes", "aliases", "roles", "outlets", "first", "last")


class NotFound(QuotetrackError):
    pass


def speaker_ids(session: Session, name: str) -> list[int]:
    """Every speaker a name on the command line may mean, through aliases: "Tokayev" finds each
    speaker called Tokayev, "Kasımjomart Tokayev" the one whose names match."""
    parts = identity.name_parts(name)
    exact = set(
        session.scalars(
            select(SpeakerAlias.speaker_id).where(SpeakerAlias.folded == parts.folded)
        ).all()
    ) | set(session.scalars(select(Speaker.id).where(func.lower(Speaker.name) == name.strip().lower())).all())
    index = SpeakerIndex(session)
    index.load(identity.query_keys(parts, None))
    fuzzy = {p.speaker_id for p in index.profiles.values() if identity.match_score(parts, None, [], p) > 0}
    return sorted(exact | fuzzy)


def matching_speakers(session: Session, ref: str, *, all_matching: bool = False) -> list[int]:
    """The speakers a reference on the command line means, as `quotes --speaker`, `report` and
    `compare` all read it: an id; else the one speaker whose name is exactly `ref`; else the one
    whose name or alias fits it. Several fitting: an error listing them with ids and quote counts,
    unless `all_matching`. None: an error naming the closest speakers."""
    ref = ref.strip()
    if ref.isdigit():
        if session.get(Speaker, int(ref)) is None:
            raise NotFound(f"speaker {ref}: no speaker has this id")
        return [int(ref)]
    ids = speaker_ids(session, ref)
    if not ids:
        closest = _closest_names(session, ref)
        hint = f"; closest: {', '.join(closest)}" if closest else ""
        raise NotFound(f"speaker {ref!r}: no speaker has this name or alias{hint}")
    if len(ids) == 1 or all_matching:
        return ids
    names = dict(session.execute(select(Speaker.id, Speaker.name).where(Speaker.id.in_(ids))).tuples().all())
    exact = [i for i in ids if names[i].lower() == ref.lower()]
    if len(exact) == 1:
        return exact
    counts = dict(
        session.execute(
            select(StoredQuote.speaker_id, func.count()).where(StoredQuote.speaker_id.in_(ids)).group_by(StoredQuote.speaker_id)
        ).tuples().all()
    )
    ranked = sorted(ids, key=lambda i: -counts.get(i, 0))
    listed = ", ".join(f"{i} {names[i]} ({counts.get(i, 0)} quotes)" for i in ranked[:10])
    more = f" and {len(ids) - 10} more" if len(ids) > 10 else ""
    raise NotFound(
        f"speaker {ref!r}: {len(ids)} speakers match: {listed}{more}; give the id, or --all-matching for all of them"
    )


def _closest_names(session: Session, ref: str, limit: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process

    names = session.scalars(select(Speaker.name)).all()
    found = process.extract(ref, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return [name for name, _, _ in found]


def find_speaker(session: Session, ref: str) -> Speaker:
    """One speaker by id or by name (see `matching_speakers`)."""
    ids = matching_speakers(session, ref)
    speaker = session.get(Speaker, ids[0])
    assert speaker is not None
    return speaker


def fts_condition(session: Session, search: str):
    """A condition on StoredQuote narrowing to quotes that may match `search` through the full-text
    index (FTS5 on SQLite, the english tsvector on PostgreSQL); it matches all the query does and
    maybe more: `search.parse(search).matches(content)` decides (see store/search.py)."""
    found = search_language.condition(session, search)
    return found if found is not None else true()


# Quotes in reading order: dated documents by date, then undated ones, each in text order.
CHRONOLOGICAL = (StoredDocument.published.is_(None), StoredDocument.published, StoredDocument.key, StoredQuote.start)


def in_period(query, since, until):
    """Only quotes of documents published within [since, until] (either bound may be None)."""
    if since:
        query = query.where(StoredDocument.published >= since)
    if until:
        query = query.where(StoredDocument.published <= until)
    return query


def find_quotes(
    session: Session,
    *,
    speaker: str | None = None,
    outlet: str | None = None,
    search: str | None = None,
    type: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
    all_matching: bool = False,
    unresolved: bool = False,
) -> list[dict]:
    """Stored quotes as DESIGN.md records (speaker = the speaker's canonical name), oldest first;
    with `unresolved`, only those without a resolved speaker."""
    reporter = aliased(Speaker)
    query = (
        select(StoredQuote, StoredDocument.key, StoredDocument.published, Outlet.name, Speaker.name, reporter.name)
        .join(StoredDocument, StoredQuote.document_id == StoredDocument.id)
        .outerjoin(Outlet, StoredDocument.outlet_id == Outlet.id)
        .outerjoin(Speaker, StoredQuote.speaker_id == Speaker.id)
        .outerjoin(reporter, StoredQuote.reported_by_id == reporter.id)
    )
    if speaker:
        query = query.where(StoredQuote.speaker_id.in_(matching_speakers(session, speaker, all_matching=all_matching)))
    if unresolved:
        query = query.where(StoredQuote.speaker_id.is_(None))
    if outlet:
        name = normalize_outlet(outlet) or outlet
        query = query.where(func.lower(Outlet.name) == name.lower())
    parsed = search_language.parse(search) if search else None
    if parsed is not None:
        narrowing = search_language.candidates(session, parsed)
        if narrowing is not None:
            query = query.where(narrowing)
    if type:
        query = query.where(StoredQuote.type == type)
    query = in_period(query, since, until).order_by(*CHRONOLOGICAL)
    if limit and parsed is None:
        query = query.limit(limit)
    records = []
    # With --search the index finds candidates; the query language decides on each, the same on
    # every backend, so the limit counts after it.
    for quote, key, published, outlet_name, speaker_name, reporter_name in session.execute(
        query.execution_options(yield_per=1000) if parsed is not None else query
    ):
        if parsed is not None and not parsed.matches(quote.content):
            continue
        records.append(quote_record(quote, key, published, outlet_name, speaker_name, reporter_name))
        if limit and len(records) >= limit:
            break
    return records


def quote_record(quote: StoredQuote, doc: str, published, outlet: str | None, speaker: str | None, reporter: str | None) -> dict:
    return {
        "id": quote.key,
        "doc": doc,
        "type": quote.type,
        "speaker": speaker,
        "speaker_id": quote.speaker_id,
        "speaker_mention": quote.speaker_mention,
        "speaker_span": _span(quote.mention_start, quote.mention_end),
        "cue": quote.cue,
        "cue_span": _span(quote.cue_start, quote.cue_end),
        "content": quote.content,
        "content_spans": [list(s) for s in quote.content_spans],
        "outlet": outlet,
        "published": published.isoformat() if published else None,
        "reported_by": reporter or quote.reported_by,
        "confidence": quote.confidence,
    }


def _span(start: int | None, end: int | None) -> list[int] | None:
    return [start, end] if start is not None and end is not None else None


def list_speakers(session: Session, search: str | None = None) -> list[dict]:
    """Each speaker with aliases, roles, quote count, outlets and first and last date, most quoted first."""
    query = select(Speaker.id, Speaker.name, Speaker.kind)
    if search:
        pattern = f"%{identity.fold(search)}%"
        matching = select(SpeakerAlias.speaker_id).where(SpeakerAlias.folded.like(pattern))
        query = query.where(or_(Speaker.id.in_(matching), Speaker.id.in_(speaker_ids(session, search))))
    speakers = session.execute(query).all()
    if not speakers:
        return []
    ids = [s.id for s in speakers]
    aliases: dict[int, list[str]] = defaultdict(list)
    for row in session.execute(
        select(SpeakerAlias.speaker_id, SpeakerAlias.alias).where(SpeakerAlias.speaker_id.in_(ids)).order_by(SpeakerAlias.id)
    ):
        aliases[row.speaker_id].append(row.alias)
    roles: dict[int, list[str]] = defaultdict(list)
    for row in session.execute(
        select(SpeakerRole.speaker_id, SpeakerRole.role).where(SpeakerRole.speaker_id.in_(ids)).order_by(SpeakerRole.id)
    ):
        roles[row.speaker_id].append(row.role)
    stats = {
        row.speaker_id: row
        for row in session.execute(
            select(
                StoredQuote.speaker_id,
                func.count(StoredQuote.id).label("quotes"),
                func.min(StoredDocument.published).label("first"),
                func.max(StoredDocument.published).label("last"),
            )
            .join(StoredDocument, StoredQuote.document_id == StoredDocument.id)
            .where(StoredQuote.speaker_id.in_(ids))
            .group_by(StoredQuote.speaker_id)
        )
    }
    outlets: dict[int | None, list[str]] = defaultdict(list)
    for outlet_row in session.execute(
        select(StoredQuote.speaker_id, Outlet.name)
        .join(StoredDocument, StoredQuote.document_id == StoredDocument.id)
        .join(Outlet, StoredDocument.outlet_id == Outlet.id)
        .where(StoredQuote.speaker_id.in_(ids))
        .distinct()
        .order_by(Outlet.name)
    ):
        outlets[outlet_row[0]].append(outlet_row[1])
    rows = []
    for speaker in speakers:
        stat = stats.get(speaker.id)
        rows.append(
            {
                "id": speaker.id,
                "name": speaker.name,
                "kind": speaker.kind,
                "quotes": stat.quotes if stat else 0,
                "aliases": aliases[speaker.id],
                "roles": roles[speaker.id],
                "outlets": outlets[speaker.id],
                "first": stat.first.isoformat() if stat and stat.first else None,
                "last": stat.last.isoformat() if stat and stat.last else None,
            }
        )
    rows.sort(key=lambda r: (-r["quotes"], r["name"].lower(), r["id"]))
    return rows


@dataclass
class QuoteInContext:
    record: dict
    paragraph: str
    paragraph_start: int
    title: str | None
    dateline_place: str | None
    republished_by: str | None
    url: str | None


def show_quote(session: Session, quote_id: str) -> QuoteInContext:
    """A quote (by its id, or a unique prefix of it) with the paragraph around it."""
    reporter = aliased(Speaker)
    republisher = aliased(Outlet)
    query = (
        select(StoredQuote, StoredDocument, Outlet.name, Speaker.name, reporter.name, republisher.name)
        .join(StoredDocument, StoredQuote.document_id == StoredDocument.id)
        .outerjoin(Outlet, StoredDocument.outlet_id == Outlet.id)
        .outerjoin(republisher, StoredDocument.republished_by_id == republisher.id)
        .outerjoin(Speaker, StoredQuote.speaker_id == Speaker.id)
        .outerjoin(reporter, StoredQuote.reported_by_id == reporter.id)
    )
    found = session.execute(query.where(StoredQuote.key == quote_id)).all()
    if not found and len(quote_id) >= 4:
        escaped = quote_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        found = session.execute(query.where(StoredQuote.key.like(escaped + "%", escape="\\")).limit(2)).all()
    if not found:
        raise NotFound(f"quote {quote_id}: no stored quote has this id")
    if len({row[0].key for row in found}) > 1:
        raise NotFound(f"quote {quote_id}: the id prefix fits several quotes; give more of it")
    quote, document, outlet, speaker, reporter_name, republished_by = found[0]
    record = quote_record(quote, document.key, document.published, outlet, speaker, reporter_name)
    start, end = paragraph_bounds(document.text, quote.start, quote.end)
    return QuoteInContext(
        record=record,
        paragraph=document.text[start:end],
        paragraph_start=start,
        title=document.title,
        dateline_place=document.dateline_place,
        republished_by=republished_by,
        url=document.url,
    )


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The lines around [start, end): from the line break before it to the one after it."""
    begin = text.rfind("\n", 0, start) + 1
    finish = text.find("\n", end)
    return begin, (finish if finish != -1 else len(text))


__all__ = [
    "QUOTE_COLUMNS",
    "SPEAKER_COLUMNS",
    "NotFound",
    "QuoteInContext",
    "find_quotes",
    "find_speaker",
    "list_speakers",
    "parse_day",
    "show_quote",
    "speaker_ids",
]
