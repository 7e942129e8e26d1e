"""The stored schema (SQLAlchemy 2 typed ORM). Alembic migrations create it; keep the two in step
(tests/test_store_schema.py compares them on every backend)."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Outlet(Base):
    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)


class StoredDocument(Base):
    """One article. `key` is the record's document id (file stem, JSONL id); `content_hash` tells
    an unchanged re-run from a changed article."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)
    source: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"), index=True)
    republished_by_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    published: Mapped[date | None] = mapped_column(Date, index=True)
    dateline_place: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    # How many quotes the extraction gave; a consistent database holds exactly that many.
    quote_count: Mapped[int] = mapped_column(Integer, default=0)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    outlet: Mapped[Outlet | None] = relationship(foreign_keys=[outlet_id])
    republished_by: Mapped[Outlet | None] = relationship(foreign_keys=[republished_by_id])
    quotes: Mapped[list[StoredQuote]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class Speaker(Base):
    """One person or organisation across documents. `locked` marks an analyst's correction:
    its name is kept and it is never pruned."""

    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, index=True)
    kind: Mapped[str | None] = mapped_column(String(10))
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    aliases: Mapped[list[SpeakerAlias]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", passive_deletes=True
    )
    roles: Mapped[list[SpeakerRole]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", passive_deletes=True
    )


class SpeakerAlias(Base):
    """A surface form a speaker was seen under; `folded` is its comparison form."""

    __tablename__ = "speaker_aliases"
    __table_args__ = (UniqueConstraint("speaker_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(Text, index=True)

    speaker: Mapped[Speaker] = relationship(back_populates="aliases")


class SpeakerKey(Base):
    """A precise key a speaker is found by (store/identity.py `stored_keys`, `query_keys`): a person's
    transliteration-proof surname, with and without its first initial; an organisation's last word
    and acronym. Looking a name up reads the speakers that share one of its keys, however large the store."""

    __tablename__ = "speaker_keys"
    __table_args__ = (UniqueConstraint("speaker_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(Text, index=True)


class SpeakerRole(Base):
    """A title ("Russian Deputy Foreign Minister") or affiliation ("Atlantic Council") seen with a speaker."""

    __tablename__ = "speaker_roles"
    __table_args__ = (UniqueConstraint("speaker_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="title")

    speaker: Mapped[Speaker] = relationship(back_populates="roles")


class SpeakerPin(Base):
    """An analyst's decision that a name in one document is a given speaker (`speakers split --doc`);
    re-ingesting the document honours it before any matching."""

    __tablename__ = "speaker_pins"
    __table_args__ = (UniqueConstraint("document_key", "folded"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_key: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(Text)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)


# What makes a stored quote valid, whatever wrote it (the same as the Quote record's checks).
QUOTE_CHECKS = {
    "span": '"start" >= 0 AND "start" < "end"',
    "cue_span": "(cue_start IS NULL AND cue_end IS NULL) OR (cue_start >= 0 AND cue_start < cue_end)",
    "mention_span": "(mention_start IS NULL AND mention_end IS NULL) OR (mention_start >= 0 AND mention_start < mention_end)",
    "type": "type IN ('direct', 'indirect', 'mixed')",
    "confidence": "confidence >= 0 AND confidence <= 1",
}


class StoredQuote(Base):
    """The quote record of DESIGN.md. `key` is the record's stable id; `speaker_name` the name the
    extractor resolved within the document, `speaker_id` the speaker across documents."""

    __tablename__ = "quotes"
    __table_args__ = (
        UniqueConstraint("document_id", "key"),
        Index("ix_quotes_speaker_id_document_id", "speaker_id", "document_id"),
        *(CheckConstraint(condition, name=name) for name, condition in QUOTE_CHECKS.items()),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(10), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    content_spans: Mapped[list] = mapped_column(JSON)
    cue: Mapped[str | None] = mapped_column(Text)
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    speaker_name: Mapped[str | None] = mapped_column(Text)
    speaker_mention: Mapped[str | None] = mapped_column(Text)
    mention_start: Mapped[int | None] = mapped_column(Integer)
    mention_end: Mapped[int | None] = mapped_column(Integer)
    speaker_kind: Mapped[str | None] = mapped_column(String(10))
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"))
    reported_by: Mapped[str | None] = mapped_column(Text)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"), index=True)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)

    document: Mapped[StoredDocument] = relationship(back_populates="quotes")
    speaker: Mapped[Speaker | None] = relationship(foreign_keys=[speaker_id])


class PropositionModel(Base):
    """The TF-IDF vocabulary and idf claims are vectorised with (analysis/propositions.py), fitted
    by the last rebuild and kept so new quotes are assigned without refitting."""

    __tablename__ = "proposition_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary: Mapped[dict] = mapped_column(JSON)  # {"terms": [...], "idf": [...]}
    params: Mapped[dict] = mapped_column(JSON)  # threshold, context weight, … it was built with
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Proposition(Base):
    """A specific statement claims argue about; `centroid` is the sum of its claims' vectors
    (truncated to the heaviest terms: {"terms": [column, …], "weights": [...]}) and `size` their number."""

    __tablename__ = "propositions"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(Text, index=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    centroid: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class QuoteProposition(Base):
    """A stored quote's proposition (None: it waits for similar claims) and its stance toward it.
    A quote without a row has not been grouped yet."""

    __tablename__ = "quote_propositions"
    __table_args__ = (
        CheckConstraint("stance IN ('supports', 'opposes', 'neutral')", name="stance"),
        CheckConstraint("polarity IN (-1, 0, 1)", name="polarity"),
    )

    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"), primary_key=True)
    proposition_id: Mapped[int | None] = mapped_column(ForeignKey("propositions.id", ondelete="CASCADE"), index=True)
    similarity: Mapped[float] = mapped_column(Float, default=0.0)
    polarity: Mapped[int] = mapped_column(Integer)  # the claim's own direction: 1 asserts, -1 denies or doubts, 0 asks
    stance: Mapped[str] = mapped_column(String(10))
    evidence: Mapped[str | None] = mapped_column(Text)  # the words that decided the stance
