"""The stored schema (SQLAlchemy 2 typed ORM). Alembic migrations create it; keep the two in step
(tests/test_store_schema.py compares them on every backend)."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
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
    name: Mapped[str] = mapped_column(String(200), unique=True)


class StoredDocument(Base):
    """One article. `key` is the record's document id (file stem, JSONL id); `content_hash` tells
    an unchanged re-run from a changed article."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)
    source: Mapped[str | None] = mapped_column(String(2000))
    url: Mapped[str | None] = mapped_column(String(2000))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"), index=True)
    republished_by_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    published: Mapped[date | None] = mapped_column(Date, index=True)
    dateline_place: Mapped[str | None] = mapped_column(String(200))
    byline: Mapped[str | None] = mapped_column(String(300))
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
    name: Mapped[str] = mapped_column(String(300), index=True)
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
    """A surface form a speaker was seen under; `folded` is its comparison form, `initial` the
    first letter of its surname key (the bucket names are looked up by)."""

    __tablename__ = "speaker_aliases"
    __table_args__ = (UniqueConstraint("speaker_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    folded: Mapped[str] = mapped_column(String(300), index=True)
    initial: Mapped[str] = mapped_column(String(4), index=True)

    speaker: Mapped[Speaker] = relationship(back_populates="aliases")


class SpeakerRole(Base):
    """A title ("Russian Deputy Foreign Minister") or affiliation ("Atlantic Council") seen with a speaker."""

    __tablename__ = "speaker_roles"
    __table_args__ = (UniqueConstraint("speaker_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20), default="title")

    speaker: Mapped[Speaker] = relationship(back_populates="roles")


class SpeakerPin(Base):
    """An analyst's decision that a name in one document is a given speaker (`speakers split --doc`);
    re-ingesting the document honours it before any matching."""

    __tablename__ = "speaker_pins"
    __table_args__ = (UniqueConstraint("document_key", "folded"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_key: Mapped[str] = mapped_column(String(500))
    folded: Mapped[str] = mapped_column(String(300))
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), index=True)


class StoredQuote(Base):
    """The quote record of DESIGN.md. `key` is the record's stable id; `speaker_name` the name the
    extractor resolved within the document, `speaker_id` the speaker across documents."""

    __tablename__ = "quotes"
    __table_args__ = (
        UniqueConstraint("document_id", "key"),
        Index("ix_quotes_speaker_id_document_id", "speaker_id", "document_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(10), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    content_spans: Mapped[list] = mapped_column(JSON)
    cue: Mapped[str | None] = mapped_column(String(300))
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    speaker_name: Mapped[str | None] = mapped_column(String(300))
    speaker_mention: Mapped[str | None] = mapped_column(String(500))
    mention_start: Mapped[int | None] = mapped_column(Integer)
    mention_end: Mapped[int | None] = mapped_column(Integer)
    speaker_kind: Mapped[str | None] = mapped_column(String(10))
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"))
    reported_by: Mapped[str | None] = mapped_column(String(300))
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"), index=True)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)

    document: Mapped[StoredDocument] = relationship(back_populates="quotes")
    speaker: Mapped[Speaker | None] = relationship(foreign_keys=[speaker_id])
