"""Storing documents and their quotes, one transaction per document.

- the same document id with the same text is left alone (content hash); the same text under
  another id is a duplicate and is left alone too;
- a document whose text changed gets its quotes replaced, in the same transaction;
- every quote's in-document speaker name is resolved to one speaker across documents
  (identity.py), its surface forms kept as aliases and its titles as roles;
- a failure rolls the whole document back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from quotetrack.dates import day_of
from quotetrack.errors import QuotetrackError
from quotetrack.io.meta import DocumentMeta, document_meta
from quotetrack.records import Document, Quote
from quotetrack.store import identity
from quotetrack.store.db import Store, StoreError, shown
from quotetrack.store.models import Outlet, Speaker, SpeakerAlias, SpeakerRole, StoredDocument, StoredQuote
from quotetrack.store.speakers import Seen, SpeakerIndex

ADDED, REPLACED, UNCHANGED = "added", "replaced", "unchanged"


class StoreFailure(QuotetrackError):
    """One document could not be stored; its transaction was rolled back and others may go on."""


@dataclass
class IngestStats:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    quotes: int = 0

    def count(self, outcome: str, quotes: int) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome != UNCHANGED:
            self.quotes += quotes

    def summary(self) -> str:
        return f"stored {self.added} new, {self.replaced} changed, {self.unchanged} unchanged documents ({self.quotes} quotes)"


@dataclass
class Ingestor:
    store: Store
    stats: IngestStats = field(default_factory=IngestStats)

    def add(self, document: Document, quotes: list[Quote], meta: DocumentMeta | None = None) -> str:
        """Store one document with its quotes; return "added", "replaced" or "unchanged"."""
        meta = meta or document.meta or document_meta(document)
        try:
            outcome = self.store.retrying(lambda session: store_document(session, document, quotes, meta))
        except (OperationalError, InterfaceError) as exc:
            # The database itself is unusable (unreachable, read-only, locked for too long).
            reason = " ".join(str(exc.orig).split())[:300]
            raise StoreError(f"database {shown(self.store.url)}: storing {document.id} failed ({reason})") from None
        except SQLAlchemyError as exc:
            reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
            raise StoreFailure(f"{document.id}: not stored ({type(exc).__name__}: {reason})") from None
        self.stats.count(outcome, len(quotes))
        return outcome


def document_key(document: Document) -> str:
    """The stored document's key: its id, except that texts from standard input (all called
    "stdin") are told apart by their content."""
    if document.id == "stdin" and document.source in (None, "<stdin>", "-"):
        return f"stdin:{document.content_hash[:12]}"
    return document.id


def store_document(session: Session, document: Document, quotes: list[Quote], meta: DocumentMeta) -> str:
    content_hash = document.content_hash
    key = document_key(document)
    stored = session.scalars(select(StoredDocument).where(StoredDocument.key == key)).one_or_none()
    if stored is not None and stored.content_hash == content_hash:
        fill_missing(session, stored, document, meta)
        return UNCHANGED
    if stored is None and session.scalar(
        select(StoredDocument.id).where(StoredDocument.content_hash == content_hash).limit(1)
    ):
        return UNCHANGED  # the same text already stored under another id

    quotes = _unique(quotes)
    previous_speakers: set[int] = set()
    outcome = ADDED
    if stored is None:
        stored = StoredDocument(key=key)
        session.add(stored)
    else:
        outcome = REPLACED
        rows = session.execute(
            select(StoredQuote.speaker_id, StoredQuote.reported_by_id).where(StoredQuote.document_id == stored.id)
        ).all()
        previous_speakers = {i for row in rows for i in row if i is not None}
        session.execute(delete(StoredQuote).where(StoredQuote.document_id == stored.id))

    stored.source = document.source
    stored.url = document.url
    stored.title = document.title
    stored.text = document.text
    stored.content_hash = content_hash
    stored.published = day_of(meta.published)
    stored.dateline_place = meta.dateline_place
    stored.byline = meta.byline
    stored.outlet_id = outlet_id(session, meta.outlet)
    stored.republished_by_id = outlet_id(session, meta.republished_by)
    stored.quote_count = len(quotes)
    session.flush()

    speakers = resolve_speakers(session, document.text, quotes, document_key=key, outlet=meta.outlet)
    if quotes:
        session.execute(insert(StoredQuote), [quote_row(stored.id, q, speakers) for q in quotes])
    prune_speakers(session, previous_speakers - set(speakers.values()))
    return outcome


def fill_missing(session: Session, stored: StoredDocument, document: Document, meta: DocumentMeta) -> None:
    """An unchanged document takes the outlet, date, URL and title it lacked (a later run with
    --meta or --name-pattern); what it has is kept."""
    if stored.url is None and document.url:
        stored.url = document.url
    if stored.title is None and document.title:
        stored.title = document.title
    if stored.published is None and meta.published:
        stored.published = day_of(meta.published)
    if stored.outlet_id is None and meta.outlet:
        stored.outlet_id = outlet_id(session, meta.outlet)


def outlet_id(session: Session, name: str | None) -> int | None:
    if not name:
        return None
    found = session.scalar(select(Outlet.id).where(Outlet.name == name))
    if found is None:
        found = session.scalar(insert(Outlet).values(name=name).returning(Outlet.id))
    return found


def _unique(quotes: list[Quote]) -> list[Quote]:
    seen: set[str] = set()
    kept = []
    for quote in quotes:
        if quote.id not in seen:
            seen.add(quote.id)
            kept.append(quote)
    return kept


def quote_row(document_id: int, quote: Quote, speakers: dict[str, int]) -> dict:
    """The `quotes` row of a quote, with speaker ids looked up by in-document name."""
    return {
        "key": quote.id,
        "document_id": document_id,
        "type": quote.type,
        "start": quote.start,
        "end": quote.end,
        "content": quote.content,
        "content_spans": [list(span) for span in quote.content_spans],
        "cue": quote.cue,
        "cue_start": quote.cue_span[0] if quote.cue_span else None,
        "cue_end": quote.cue_span[1] if quote.cue_span else None,
        "speaker_name": quote.speaker,
        "speaker_mention": quote.speaker_mention,
        "mention_start": quote.speaker_span[0] if quote.speaker_span else None,
        "mention_end": quote.speaker_span[1] if quote.speaker_span else None,
        "speaker_kind": quote.speaker_kind,
        "speaker_id": speakers.get(quote.speaker) if quote.speaker else None,
        "reported_by": quote.reported_by,
        "reported_by_id": speakers.get(quote.reported_by) if quote.reported_by else None,
        "confidence": quote.confidence,
    }


# --- speakers ------------------------------------------------------------------------------------


def names_in_document(text: str, quotes: list[Quote]) -> list[Seen]:
    """The speaker names of a document's quotes with their name-like mentions and roles, full names first."""
    kinds: dict[str, Counter] = {}
    surface: dict[str, set[str]] = {}
    roles: dict[str, list[identity.Role]] = {}

    def note(name: str, kind: str | None, mention: str | None, span) -> None:
        kinds.setdefault(name, Counter())[kind] += 1
        forms = surface.setdefault(name, {name})
        found = roles.setdefault(name, [])
        if mention and mention != name:
            if identity.looks_like_name(mention, name) and identity.clean_name(mention, kind) \
                    and identity.same_person_names(mention, name):
                forms.add(mention)
            title = identity.title_of_mention(mention, name)
            if title:
                found.append(identity.Role(title))
            if span and identity.looks_like_name(mention, name):
                found.extend(identity.roles_around(text, span[0], span[1]))

    for quote in quotes:
        if identity.proper_name(quote.speaker, quote.speaker_kind):
            note(quote.speaker, quote.speaker_kind, quote.speaker_mention, quote.speaker_span)
        if identity.proper_name(quote.reported_by):
            note(quote.reported_by, None, None, None)

    seen = []
    for name, forms in surface.items():
        found = roles[name]
        kind = max((k for k in kinds[name] if k), key=lambda k: kinds[name][k], default=None)
        _, title = identity.strip_titles(name, kind)
        if title and identity.ROLE_NOUNS & set(identity.fold(title).split()):
            found.insert(0, identity.Role(title))
        for start, end in identity.name_occurrences(text, name):
            found.extend(identity.roles_around(text, start, end))
        seen.append(Seen(name=name, kind=kind, surface=forms, roles=_dedupe_roles(found)))
    seen.sort(key=lambda s: (not identity.clean_name(s.name, s.kind), -len(identity.name_parts(s.name, s.kind).given), s.name))
    return seen


def _dedupe_roles(roles: list[identity.Role]) -> list[identity.Role]:
    kept: dict[str, identity.Role] = {}
    for role in roles:
        kept.setdefault(identity.fold(role.text), role)
    return list(kept.values())


def resolve_speakers(
    session: Session, text: str, quotes: list[Quote], document_key: str | None = None, outlet: str | None = None
) -> dict[str, int]:
    """Map each in-document speaker name to a stored speaker id, creating speakers as needed.
    An organisation named by a short form of the document's own outlet ("the Post" in a Washington
    Post article) is that outlet."""
    index = SpeakerIndex(session, document_key)
    names = names_in_document(text, quotes)
    index.prefetch(names)
    ids = {}
    for seen in names:
        name = seen.name
        if outlet and seen.kind != "person" and identity.short_form_of(name, outlet):
            seen = replace(seen, name=outlet, kind="org", surface=seen.surface | {outlet})
        ids[name] = index.resolve(seen)
    return ids


def prune_speakers(session: Session, candidates: set[int]) -> None:
    """Drop speakers a replaced document left without quotes, unless an analyst touched them."""
    if not candidates:
        return
    used = select(StoredQuote.id).where(
        (StoredQuote.speaker_id == Speaker.id) | (StoredQuote.reported_by_id == Speaker.id)
    )
    session.execute(
        delete(Speaker)
        .where(Speaker.id.in_(candidates), Speaker.locked.is_(False), ~used.exists())
        .execution_options(synchronize_session=False)
    )


def counts(session: Session) -> dict[str, int]:
    """Row counts per table (for checks and `quotetrack db` reporting)."""
    result = {}
    for name, model in (
        ("documents", StoredDocument),
        ("quotes", StoredQuote),
        ("speakers", Speaker),
        ("aliases", SpeakerAlias),
        ("roles", SpeakerRole),
        ("outlets", Outlet),
    ):
        result[name] = session.scalar(select(func.count()).select_from(model)) or 0
    return result
