"""Stored speakers as identity profiles: the index ingest resolves a document's speaker names
against, and that a name on the command line is looked up in (store/queries.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from quotetrack.store import identity
from quotetrack.store.models import Speaker, SpeakerAlias, SpeakerKey, SpeakerPin, SpeakerRole

# Above this many speakers sharing a surname, a surname alone reads only the plausible ones.
FEW_BEARERS = 8


@dataclass
class Seen:
    """One in-document speaker name with what the document says about it."""

    name: str
    kind: str | None
    surface: set[str]
    roles: list[identity.Role]


class SpeakerIndex:
    """Stored speakers loaded by their precise keys (`identity.query_keys`), for the names of one
    document: a lookup reads the few speakers sharing a key, not a share of the whole store."""

    def __init__(self, session: Session, document_key: str | None = None):
        self.session = session
        self.profiles: dict[int, identity.Profile] = {}
        self.keys: set[str] = set()
        self.by_key: dict[str, set[int]] = {}  # key -> speakers stored under it
        self.pins: dict[str, int] = {}
        if document_key is not None:
            rows = session.execute(
                select(SpeakerPin.folded, SpeakerPin.speaker_id).where(SpeakerPin.document_key == document_key)
            )
            self.pins = {row.folded: row.speaker_id for row in rows}

    def load(self, keys: set[str]) -> None:
        """Load every stored speaker under these keys."""
        self.load_ids(self._ids(keys))

    def _ids(self, keys: set[str]) -> set[int]:
        """The speakers stored under these keys (one query for the keys not asked before)."""
        wanted = keys - self.keys
        if wanted:
            self.keys |= wanted
            exact = sorted(k for k in wanted if not k.endswith("*"))
            conditions: list[ColumnElement[bool]] = [SpeakerKey.key.in_(exact)] if exact else []
            for prefix in (k[:-1] for k in wanted if k.endswith("*")):
                # a range, not LIKE: the key index serves it on SQLite and PostgreSQL alike
                conditions.append(and_(SpeakerKey.key >= prefix, SpeakerKey.key < prefix[:-1] + chr(ord(prefix[-1]) + 1)))
            for key, speaker_id in self.session.execute(select(SpeakerKey.key, SpeakerKey.speaker_id).where(or_(*conditions))):
                self.by_key.setdefault(key, set()).add(speaker_id)
        found = set()
        for key in keys:
            if key.endswith("*"):
                found |= {i for k, ids in self.by_key.items() if k.startswith(key[:-1]) for i in ids}
            else:
                found |= self.by_key.get(key, set())
        return found

    def prefetch(self, seen: list[Seen]) -> None:
        """Load the stored speakers a document's full names may be: four queries per document, not
        per name. (A surname alone is looked up on its own: see `_plausible`.)"""
        keys: set[str] = set()
        for one in seen:
            parts = identity.name_parts(one.name, one.kind)
            if parts.has_given or one.kind == "org":
                keys |= identity.query_keys(parts, one.kind)
        self.load(keys)

    def _plausible(self, ids: set[int], parts: identity.NameParts, roles: list[str]) -> set[int]:
        """Of the many bearers of a surname, the ones a surname alone may join (`best_match`): those
        whose roles agree with the mention's, and the speaker called by that surname alone; found
        from names and roles without loading every bearer's aliases."""
        if len(ids) <= FEW_BEARERS or ids <= set(self.profiles):
            return ids
        kept = {
            row.id for row in self.session.execute(select(Speaker.id, Speaker.name).where(Speaker.id.in_(ids)))
            if identity.fold(identity.strip_titles(row.name)[0]) == parts.folded
        }
        if roles:
            by_speaker: dict[int, list[str]] = {}
            for row in self.session.execute(select(SpeakerRole.speaker_id, SpeakerRole.role).where(SpeakerRole.speaker_id.in_(ids))):
                by_speaker.setdefault(row.speaker_id, []).append(row.role)
            kept |= {i for i, theirs in by_speaker.items() if identity.roles_agree(roles, theirs)}
        return kept

    def load_ids(self, ids: set[int]) -> None:
        ids = set(ids) - set(self.profiles)
        if not ids:
            return
        for speaker in self.session.execute(select(Speaker.id, Speaker.name, Speaker.kind).where(Speaker.id.in_(ids))):
            self.profiles[speaker.id] = identity.Profile(speaker.id, speaker.name, speaker.kind)
        for alias in self.session.execute(
            select(SpeakerAlias.speaker_id, SpeakerAlias.alias).where(SpeakerAlias.speaker_id.in_(ids))
        ):
            self._add_alias(self.profiles[alias.speaker_id], alias.alias)
        for role in self.session.execute(
            select(SpeakerRole.speaker_id, SpeakerRole.role).where(SpeakerRole.speaker_id.in_(ids))
        ):
            self.profiles[role.speaker_id].roles.append(role.role)

    def _add_alias(self, profile: identity.Profile, alias: str) -> identity.NameParts:
        parts = identity.name_parts(alias, profile.kind)
        profile.parts.append(parts)
        profile.folded_aliases.add(parts.folded)
        profile.aliases.add(alias)
        return parts

    def resolve(self, seen: Seen) -> int:
        parts = identity.name_parts(seen.name, seen.kind)
        keys = identity.query_keys(parts, seen.kind)
        sharing = self._ids(keys)
        roles = [r.text for r in seen.roles]
        if not parts.has_given and seen.kind != "org":
            sharing = self._plausible(sharing, parts, roles)
        self.load_ids(sharing)
        pinned = self.pins.get(parts.folded)
        if pinned is not None:
            self.load_ids({pinned})
        profile = self.profiles.get(pinned) if pinned is not None else None
        if profile is None:
            profile = identity.best_match(parts, seen.kind, roles, [self.profiles[i] for i in sorted(sharing)])
        if profile is None:
            bare, _ = identity.strip_titles(seen.name, seen.kind)
            speaker_id = self.session.execute(
                insert(Speaker).values(name=bare, kind=seen.kind, locked=False).returning(Speaker.id)
            ).scalar_one()
            profile = identity.Profile(speaker_id, bare, seen.kind)
            self.profiles[speaker_id] = profile
            seen.surface.add(bare)
        else:
            self._update(profile, parts, seen)
        self._remember(profile, seen)
        return profile.speaker_id

    def _update(self, profile: identity.Profile, parts: identity.NameParts, seen: Seen) -> None:
        """A fuller name replaces a surname-only canonical name (unless an analyst set it)."""
        values = {}
        # Persons are the kind spaCy gets wrong most (a person tagged ORG), so PERSON wins.
        if seen.kind and profile.kind != seen.kind and (profile.kind is None or seen.kind == "person"):
            values["kind"] = profile.kind = seen.kind
        current = identity.name_parts(profile.name, profile.kind)
        if _fullness(parts) > _fullness(current):
            values["name"] = profile.name = identity.strip_titles(seen.name, seen.kind)[0]
        if values:
            self.session.execute(
                update(Speaker).where(Speaker.id == profile.speaker_id, Speaker.locked.is_(False)).values(**values)
            )

    def _remember(self, profile: identity.Profile, seen: Seen) -> None:
        # every alias of a profile in this index was loaded with it (or added since)
        new_aliases, new_keys = [], set()
        known_keys = {k for p in profile.parts for k in identity.stored_keys(p, profile.kind)}
        for form in sorted(seen.surface):
            if form not in profile.aliases:
                parts = self._add_alias(profile, form)
                new_aliases.append({"speaker_id": profile.speaker_id, "alias": form, "folded": parts.folded})
                new_keys |= identity.stored_keys(parts, profile.kind) - known_keys
        if new_aliases:
            self.session.execute(insert(SpeakerAlias), new_aliases)
        if new_keys:
            self.session.execute(insert(SpeakerKey), [{"speaker_id": profile.speaker_id, "key": k} for k in sorted(new_keys)])
        for key in new_keys | known_keys:
            self.by_key.setdefault(key, set()).add(profile.speaker_id)
        have = {identity.fold(r) for r in profile.roles}
        new_roles = []
        for role in seen.roles:
            if identity.fold(role.text) not in have:
                have.add(identity.fold(role.text))
                profile.roles.append(role.text)
                new_roles.append({"speaker_id": profile.speaker_id, "role": role.text[:500], "kind": role.kind})
        if new_roles:
            self.session.execute(insert(SpeakerRole), new_roles)


def _fullness(parts: identity.NameParts) -> int:
    """0 for a surname alone, 1 for initials ("V. Putin"), 2 for given names ("Vladimir Putin")."""
    if not parts.has_given:
        return 0
    return 1 if all(len(g) == 1 for g in parts.given) else 2


def refresh_keys(session: Session, speaker_id: int, kind: str | None) -> None:
    """Recompute a speaker's lookup keys from its aliases (after a merge, rename or split)."""
    aliases = session.scalars(select(SpeakerAlias.alias).where(SpeakerAlias.speaker_id == speaker_id)).all()
    keys = {k for alias in aliases for k in identity.stored_keys(identity.name_parts(alias, kind), kind)}
    session.execute(delete(SpeakerKey).where(SpeakerKey.speaker_id == speaker_id))
    if keys:
        session.execute(insert(SpeakerKey), [{"speaker_id": speaker_id, "key": k} for k in sorted(keys)])
