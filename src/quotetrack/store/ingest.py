"""Storing documents and their quotes, one transaction per document.

Document identity: each stored document is one *source*, kept in `documents.source` as its source
key: "file:" + the resolved absolute path for a file (HTML pages too), "jsonl:" + the `id` of a
JSONL record (a record without one: "jsonl-line:" + path + line), "stdin:" + the SHA-256 of the
text read from standard input, "id:" + the id of a Document handed to the API without a source
key. `documents.key` is the document id every quote record shows as `doc`: human-readable, unique
in the store, and stable for a source — the id the reader gives (the file stem, or a path tail
where stems collide in one run; the JSONL id; "stdin:" + 12 hex digits of the content), unless
another source holds it already: then the shortest free tail of the path ("b/article"), else the
id with "#" and 8 hex digits of the source key.

- the same source with the same text is left alone (content hash): storing is idempotent;
- the same source with another text is "changed": its quotes are replaced, in the same transaction;
- another source is always a new document, also when its id is taken (it gets another id, and the
  summary says so) or when its text is the same as a stored one (another appearance: another
  outlet or id, so provenance and `report --by outlet` see both);
- every quote's in-document speaker name is resolved to one speaker across documents
  (identity.py), its surface forms kept as aliases and its titles as roles;
- a failure rolls the whole document back.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

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


RENAMES_SHOWN = 3


@dataclass
class IngestStats:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    quotes: int = 0
    # New documents stored under another id than the one read, because another source held it.
    renamed: list[tuple[str, str]] = field(default_factory=list)

    def count(self, outcome: str, quotes: int) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome != UNCHANGED:
            self.quotes += quotes

    def summary(self) -> str:
        line = f"stored {self.added} new, {self.replaced} changed, {self.unchanged} unchanged documents ({self.quotes} quotes)"
        if self.renamed:
            shown = ", ".join(f"{old} → {new}" for old, new in self.renamed[:RENAMES_SHOWN])
            more = f", … {len(self.renamed) - RENAMES_SHOWN} more" if len(self.renamed) > RENAMES_SHOWN else ""
            count = len(self.renamed)
            line += f"; {count} new document{'s' if count != 1 else ''} stored under another id, as another source holds it: {shown}{more}"
        return line


@dataclass
class Ingestor:
    store: Store
    stats: IngestStats = field(default_factory=IngestStats)
    # ids chosen in this run, by source key: two new sources of one run never take the same id
    chosen: dict[str, str] = field(default_factory=dict)
    # the id each source was read under, where it is stored under another
    read_as: dict[str, str] = field(default_factory=dict)

    def prepare(self, document: Document) -> Document:
        """The document under the id it is (or will be) stored under: its stored id when its source
        is stored already, else the id read unless another source holds it. Call it before
        extraction, so the quote records carry the id the store keeps."""
        with self.store.read() as session:
            key = choose_key(session, document, self.taken_by_others(document))
        self.chosen[source_key(document)] = key
        self.read_as.setdefault(source_key(document), read_id(document))
        return document if key == document.id else replace(document, id=key)

    def taken_by_others(self, document: Document) -> set[str]:
        own = source_key(document)
        return {key for source, key in self.chosen.items() if source != own}

    def add(self, document: Document, quotes: list[Quote], meta: DocumentMeta | None = None) -> str:
        """Store one document with its quotes; return "added", "replaced" or "unchanged"."""
        meta = meta or document.meta or document_meta(document)
        taken = self.taken_by_others(document)
        stored_as: list[str] = []

        def work(session: Session) -> str:
            stored_as[:] = []
            return store_document(session, document, quotes, meta, taken=taken, stored_as=stored_as)

        try:
            outcome = self.store.retrying(work)
        except (OperationalError, InterfaceError) as exc:
            # The database itself is unusable (unreachable, read-only, locked for too long).
            reason = " ".join(str(exc.orig).split())[:300]
            raise StoreError(f"database {shown(self.store.url)}: storing {document.id} failed ({reason})") from None
        except SQLAlchemyError as exc:
            reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
            raise StoreFailure(f"{document.id}: not stored ({type(exc).__name__}: {reason})") from None
        self.stats.count(outcome, len(quotes))
        source = source_key(document)
        key = stored_as[0] if stored_as else document.id
        self.chosen[source] = key
        first_read = self.read_as.get(source, read_id(document))
        if outcome == ADDED and key != first_read:  # the id read is another source's
            self.stats.renamed.append((first_read, key))
        return outcome


# --- document identity ---------------------------------------------------------------------------

SOURCE_PREFIXES = ("file:", "jsonl:", "jsonl-line:", "stdin:", "id:", "sha256:")
MAX_SOURCE = 2000  # documents.source
MAX_KEY = 500  # documents.key, speaker_pins.document_key


def source_key(document: Document) -> str:
    """What makes a document the same article in another run (stored in documents.source)."""
    if document.source_key:
        key = document.source_key
    elif document.source is not None and document.source.startswith("<stdin>"):
        key = f"stdin:{document.content_hash}"
    else:
        key = f"id:{document.id}"
    if len(key) > MAX_SOURCE:
        key = "sha256:" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()
    return key


def read_id(document: Document) -> str:
    """The id the reader gave: standard input texts, all read as "stdin", are told apart by content."""
    if document.id == "stdin" and source_key(document).startswith("stdin:"):
        return f"stdin:{document.content_hash[:12]}"
    return document.id


def candidate_keys(document: Document) -> list[str]:
    """The ids a source may be stored under, in order of preference: the id read, then for a file
    the tails of its path (stem, folder/stem, …), then the id with a hash of the source key. A
    source is always stored under one of them, so looking them up finds it again."""
    source = source_key(document)
    first = read_id(document)
    keys = [first]
    if source.startswith("file:"):
        parts = PurePosixPath(source[len("file:") :].replace(os.sep, "/")).parts
        stem = PurePosixPath(parts[-1]).stem if parts else first
        tails = [stem] + ["/".join(parts[-depth:-1] + (stem,)) for depth in range(2, len(parts))]
        tails += ["/".join(parts[-depth:]) for depth in range(1, len(parts))]  # with the extension
        keys += tails
        base = stem
    else:
        base = first
    keys.append(f"{base[:MAX_KEY - 9]}#{hashlib.sha256(source.encode('utf-8', 'replace')).hexdigest()[:8]}")
    unique: list[str] = []
    for key in keys:
        if key and len(key) <= MAX_KEY and key not in unique:
            unique.append(key)
    return unique


def is_legacy(stored_source: str | None) -> bool:
    """A row stored before documents.source held source keys (it held the path as given)."""
    return stored_source is None or not stored_source.startswith(SOURCE_PREFIXES)


def legacy_match(row: StoredDocument, document: Document) -> bool:
    """Whether a row stored before source keys is this document's: its key was the id read, and
    for a file its path resolves to the same file, or its text is the same."""
    if row.key != read_id(document):
        return False
    source = source_key(document)
    if not source.startswith("file:") or row.content_hash == document.content_hash:
        return True
    if not row.source:
        return False
    return os.path.realpath(row.source) == source[len("file:") :]


def find_stored(session: Session, document: Document) -> tuple[StoredDocument | None, list[str]]:
    """The stored row of this document's source (or None), and the candidate keys other sources hold."""
    candidates = candidate_keys(document)
    rows = session.scalars(select(StoredDocument).where(StoredDocument.key.in_(candidates))).all()
    source = source_key(document)
    by_key = {row.key: row for row in rows}
    for key in candidates:
        row = by_key.get(key)
        if row is not None and row.source == source:
            return row, []
    for key in candidates:
        row = by_key.get(key)
        if row is not None and is_legacy(row.source) and legacy_match(row, document):
            return row, []
    return None, [row.key for row in rows]


def choose_key(session: Session, document: Document, taken: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    """The id a document is stored under: its source's stored id, else the first candidate no
    other source holds (in the store, or chosen in this run: `taken`)."""
    stored, held = find_stored(session, document)
    if stored is not None:
        return stored.key
    for key in candidate_keys(document):
        if key not in held and key not in taken:
            return key
    raise StoreFailure(f"{document.id}: no free id for it (all of {', '.join(candidate_keys(document))} are taken)")


def store_document(
    session: Session,
    document: Document,
    quotes: list[Quote],
    meta: DocumentMeta,
    *,
    taken: set[str] = frozenset(),  # type: ignore[assignment]
    stored_as: list[str] | None = None,
) -> str:
    content_hash = document.content_hash
    source = source_key(document)
    stored, held = find_stored(session, document)
    if stored is not None:
        key = stored.key
    else:
        free = next((k for k in candidate_keys(document) if k not in held and k not in taken), None)
        if free is None:
            raise StoreFailure(f"{document.id}: no free id for it")
        key = free
    if stored_as is not None:
        stored_as.append(key)
    if stored is not None and stored.content_hash == content_hash:
        if stored.source != source:
            stored.source = source  # a row stored before source keys: it has one now
        fill_missing(session, stored, document, meta)
        return UNCHANGED
    if key != document.id:  # the quote records name the document by the id it is stored under
        quotes = [replace(q, doc=key, id="") for q in quotes]

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

    stored.source = source
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
        if quote.speaker and identity.proper_name(quote.speaker, quote.speaker_kind):
            note(quote.speaker, quote.speaker_kind, quote.speaker_mention, quote.speaker_span)
        if quote.reported_by and identity.proper_name(quote.reported_by):
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
