"""The quote store: documents, outlets, speakers with aliases and roles, quotes, full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outlets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outlets"),
        sa.UniqueConstraint("name", name="uq_outlets_name"),
    )
    op.create_table(
        "speakers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(10), nullable=True),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_speakers"),
    )
    op.create_index("ix_speakers_name", "speakers", ["name"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(500), nullable=False),
        sa.Column("source", sa.String(2000), nullable=True),
        sa.Column("url", sa.String(2000), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("outlet_id", sa.Integer(), nullable=True),
        sa.Column("republished_by_id", sa.Integer(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("dateline_place", sa.String(200), nullable=True),
        sa.Column("byline", sa.String(300), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("quote_count", sa.Integer(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["outlet_id"], ["outlets.id"], name="fk_documents_outlet_id_outlets"),
        sa.ForeignKeyConstraint(
            ["republished_by_id"], ["outlets.id"], name="fk_documents_republished_by_id_outlets"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("key", name="uq_documents_key"),
    )
    op.create_index("ix_documents_content_hash", "documents", ["content_hash"])
    op.create_index("ix_documents_outlet_id", "documents", ["outlet_id"])
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_table(
        "speaker_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(300), nullable=False),
        sa.Column("folded", sa.String(300), nullable=False),
        sa.Column("initial", sa.String(4), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speakers.id"], name="fk_speaker_aliases_speaker_id_speakers", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_speaker_aliases"),
        sa.UniqueConstraint("speaker_id", "alias", name="uq_speaker_aliases_speaker_id_alias"),
    )
    op.create_index("ix_speaker_aliases_speaker_id", "speaker_aliases", ["speaker_id"])
    op.create_index("ix_speaker_aliases_folded", "speaker_aliases", ["folded"])
    op.create_index("ix_speaker_aliases_initial", "speaker_aliases", ["initial"])
    op.create_table(
        "speaker_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speakers.id"], name="fk_speaker_roles_speaker_id_speakers", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_speaker_roles"),
        sa.UniqueConstraint("speaker_id", "role", name="uq_speaker_roles_speaker_id_role"),
    )
    op.create_index("ix_speaker_roles_speaker_id", "speaker_roles", ["speaker_id"])
    op.create_table(
        "speaker_pins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_key", sa.String(500), nullable=False),
        sa.Column("folded", sa.String(300), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speakers.id"], name="fk_speaker_pins_speaker_id_speakers", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_speaker_pins"),
        sa.UniqueConstraint("document_key", "folded", name="uq_speaker_pins_document_key_folded"),
    )
    op.create_index("ix_speaker_pins_speaker_id", "speaker_pins", ["speaker_id"])
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(10), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_spans", sa.JSON(), nullable=False),
        sa.Column("cue", sa.String(300), nullable=True),
        sa.Column("cue_start", sa.Integer(), nullable=True),
        sa.Column("cue_end", sa.Integer(), nullable=True),
        sa.Column("speaker_name", sa.String(300), nullable=True),
        sa.Column("speaker_mention", sa.String(500), nullable=True),
        sa.Column("mention_start", sa.Integer(), nullable=True),
        sa.Column("mention_end", sa.Integer(), nullable=True),
        sa.Column("speaker_kind", sa.String(10), nullable=True),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("reported_by", sa.String(300), nullable=True),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_quotes_document_id_documents", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speakers.id"], name="fk_quotes_speaker_id_speakers", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"], ["speakers.id"], name="fk_quotes_reported_by_id_speakers", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_quotes"),
        sa.UniqueConstraint("document_id", "key", name="uq_quotes_document_id_key"),
    )
    op.create_index("ix_quotes_key", "quotes", ["key"])
    op.create_index("ix_quotes_document_id", "quotes", ["document_id"])
    op.create_index("ix_quotes_type", "quotes", ["type"])
    op.create_index("ix_quotes_reported_by_id", "quotes", ["reported_by_id"])
    op.create_index("ix_quotes_speaker_id_document_id", "quotes", ["speaker_id", "document_id"])

    # Full-text search over quote content: an FTS5 index kept in step by triggers on SQLite,
    # a GIN expression index on PostgreSQL.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE quotes_fts USING fts5("
            "content, content='quotes', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN "
            "INSERT INTO quotes_fts(rowid, content) VALUES (new.id, new.content); END"
        )
        op.execute(
            "CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN "
            "INSERT INTO quotes_fts(quotes_fts, rowid, content) VALUES ('delete', old.id, old.content); END"
        )
        op.execute(
            "CREATE TRIGGER quotes_fts_update AFTER UPDATE OF content ON quotes BEGIN "
            "INSERT INTO quotes_fts(quotes_fts, rowid, content) VALUES ('delete', old.id, old.content); "
            "INSERT INTO quotes_fts(rowid, content) VALUES (new.id, new.content); END"
        )
    elif op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_quotes_content_fts ON quotes USING gin (to_tsvector('english', content))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("quotes_fts_insert", "quotes_fts_delete", "quotes_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS quotes_fts")
    for table in ("quotes", "speaker_pins", "speaker_roles", "speaker_aliases", "documents", "speakers", "outlets"):
        op.drop_table(table)
