"""An analyst's corrections to speaker identity: merge, rename, split.

They last through re-ingest because resolution goes through what they change: a merge moves
the aliases (a name is matched by its aliases first), a rename keeps the old name as an alias
and locks the new one, a split by alias moves the aliases, and a split by document pins the
name in that document to the new speaker (speaker_pins).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from quotetrack.errors import QuotetrackError
from quotetrack.store import identity
from quotetrack.store.models import Speaker, SpeakerAlias, SpeakerPin, SpeakerRole, StoredDocument, StoredQuote
from quotetrack.store.speakers import refresh_keys


def merge(session: Session, keep: Speaker, other: Speaker) -> Speaker:
    """Fold `other` into `keep`: its quotes, aliases and roles move, `other` goes."""
    if keep.id == other.id:
        raise QuotetrackError(f"speaker {keep.name!r}: cannot merge a speaker with itself")
    session.execute(update(StoredQuote).where(StoredQuote.speaker_id == other.id).values(speaker_id=keep.id))
    session.execute(update(StoredQuote).where(StoredQuote.reported_by_id == other.id).values(reported_by_id=keep.id))
    session.execute(update(SpeakerPin).where(SpeakerPin.speaker_id == other.id).values(speaker_id=keep.id))
    have = set(session.scalars(select(SpeakerAlias.alias).where(SpeakerAlias.speaker_id == keep.id)))
    for alias in session.scalars(select(SpeakerAlias).where(SpeakerAlias.speaker_id == other.id)).all():
        if alias.alias in have:
            session.delete(alias)
        else:
            alias.speaker_id = keep.id
            have.add(alias.alias)
    roles = {identity.fold(r) for r in session.scalars(select(SpeakerRole.role).where(SpeakerRole.speaker_id == keep.id))}
    for role in session.scalars(select(SpeakerRole).where(SpeakerRole.speaker_id == other.id)).all():
        if identity.fold(role.role) in roles:
            session.delete(role)
        else:
            role.speaker_id = keep.id
            roles.add(identity.fold(role.role))
    session.flush()
    keep.kind = keep.kind or other.kind
    keep.locked = True
    session.delete(other)
    session.flush()
    refresh_keys(session, keep.id, keep.kind)
    return keep


def _name_taken(session: Session, name: str, command: str, by: Speaker) -> None:
    """A second speaker under an existing name would make the name mean two people: say so, and
    offer the merge."""
    other = session.scalar(select(Speaker).where(func.lower(Speaker.name) == name.lower(), Speaker.id != by.id))
    if other is not None:
        count = session.scalar(select(func.count()).select_from(StoredQuote).where(StoredQuote.speaker_id == other.id))
        raise QuotetrackError(
            f"{command}: speaker {other.name!r} exists already (id {other.id}, {count} quotes); "
            f"to make them one: quotetrack speakers merge {other.id} {by.id}"
        )


def rename(session: Session, speaker: Speaker, name: str) -> Speaker:
    name = " ".join(name.split())
    if not name:
        raise QuotetrackError("rename: the new name is empty")
    _name_taken(session, name, "rename", speaker)
    _add_alias(session, speaker, speaker.name)
    _add_alias(session, speaker, name)
    speaker.name = name
    speaker.locked = True
    session.flush()
    return speaker


def split(
    session: Session,
    speaker: Speaker,
    *,
    aliases: Sequence[str] = (),
    documents: Sequence[str] = (),
    name: str | None = None,
) -> Speaker:
    """Move some of a speaker's quotes to a new speaker: those under the given aliases, or those
    in the given documents. Returns the new speaker."""
    if not aliases and not documents:
        raise QuotetrackError("split: name the aliases (--alias) or documents (--doc) to split off")
    moved_aliases = []
    if aliases:
        wanted = {identity.name_parts(a).folded for a in aliases} | set(aliases)
        for alias in session.scalars(select(SpeakerAlias).where(SpeakerAlias.speaker_id == speaker.id)).all():
            if alias.alias in wanted or alias.folded in wanted:
                moved_aliases.append(alias)
        if not moved_aliases:
            known = ", ".join(sorted(session.scalars(select(SpeakerAlias.alias).where(SpeakerAlias.speaker_id == speaker.id))))
            raise QuotetrackError(f"split: {speaker.name!r} has no alias {', '.join(aliases)} (its aliases: {known})")
        if len(moved_aliases) == len(speaker.aliases) and not documents:
            raise QuotetrackError(f"split: that would move every alias of {speaker.name!r}; use rename instead")
    document_ids = {}
    for key in documents:
        found = session.scalar(select(StoredDocument.id).where(StoredDocument.key == key))
        if found is None:
            raise QuotetrackError(f"split: no stored document has the id {key!r}")
        document_ids[key] = found

    new_name = name or (identity.strip_titles(moved_aliases[0].alias)[0] if moved_aliases else speaker.name)
    if new_name.lower() == speaker.name.lower():
        raise QuotetrackError(
            f"split: the new speaker would also be called {speaker.name!r}; give it a name of its own with --name"
        )
    _name_taken(session, new_name, "split", speaker)
    new = Speaker(name=new_name, kind=speaker.kind, locked=True)
    session.add(new)
    session.flush()

    folded_forms = {a.folded for a in moved_aliases}
    for alias in moved_aliases:
        alias.speaker_id = new.id
    quotes = session.scalars(
        select(StoredQuote).where((StoredQuote.speaker_id == speaker.id) | (StoredQuote.reported_by_id == speaker.id))
    ).all()
    pinned: set[tuple[str, str]] = set()
    keys = {i: k for k, i in document_ids.items()}
    for quote in quotes:
        in_document = quote.document_id in keys
        for name_column, id_column in (("speaker_name", "speaker_id"), ("reported_by", "reported_by_id")):
            if getattr(quote, id_column) != speaker.id:
                continue
            written = getattr(quote, name_column) or ""
            folded = identity.name_parts(written).folded
            if in_document or folded in folded_forms:
                setattr(quote, id_column, new.id)
                if in_document and written:
                    pinned.add((keys[quote.document_id], folded))
    for document_key, folded in pinned:
        session.execute(delete(SpeakerPin).where(SpeakerPin.document_key == document_key, SpeakerPin.folded == folded))
        session.execute(insert(SpeakerPin).values(document_key=document_key, folded=folded, speaker_id=new.id))
    if documents:
        # The names written in those documents become the new speaker's aliases too.
        for document_key, _ in pinned:
            written = session.scalar(
                select(StoredQuote.speaker_name)
                .join(StoredDocument)
                .where(StoredDocument.key == document_key, StoredQuote.speaker_id == new.id)
                .limit(1)
            )
            if written:
                _add_alias(session, new, written)
    _add_alias(session, new, new_name)
    speaker.locked = True
    session.flush()
    refresh_keys(session, speaker.id, speaker.kind)
    refresh_keys(session, new.id, new.kind)
    return new


def _add_alias(session: Session, speaker: Speaker, alias: str) -> None:
    exists = session.scalar(
        select(func.count()).select_from(SpeakerAlias).where(SpeakerAlias.speaker_id == speaker.id, SpeakerAlias.alias == alias)
    )
    if not exists:
        parts = identity.name_parts(alias, speaker.kind)
        session.add(SpeakerAlias(speaker_id=speaker.id, alias=alias, folded=parts.folded))
        session.flush()
        refresh_keys(session, speaker.id, speaker.kind)
