"""Speakers found by precise keys; free-text columns without length limits; valid quotes checked.

- `speaker_keys`: each speaker's lookup keys (a person's transliteration-proof surname, an
  organisation's last word and acronym), filled from the stored aliases; it replaces the one-letter
  `speaker_aliases.initial` bucket, which grew with the store.
- Names, mentions, cues, roles, paths and URLs become TEXT: PostgreSQL refused a 763-character
  mention (VARCHAR(500)) that SQLite stored.
- CHECK constraints on quotes: spans with start < end, a known type, confidence in [0, 1]. Rows that
  break them (a reversed cue span written by an earlier version) lose the broken span first.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TEXT_COLUMNS = {
    "outlets": ["name"],
    "documents": ["key", "source", "url", "dateline_place", "byline"],
    "speakers": ["name"],
    "speaker_aliases": ["alias", "folded"],
    "speaker_roles": ["role"],
    "speaker_pins": ["document_key", "folded"],
    "quotes": ["cue", "speaker_name", "speaker_mention", "reported_by"],
}
QUOTE_CHECKS = {
    "span": '"start" >= 0 AND "start" < "end"',
    "cue_span": "(cue_start IS NULL AND cue_end IS NULL) OR (cue_start >= 0 AND cue_start < cue_end)",
    "mention_span": "(mention_start IS NULL AND mention_end IS NULL) OR (mention_start >= 0 AND mention_start < mention_end)",
    "type": "type IN ('direct', 'indirect', 'mixed')",
    "confidence": "confidence >= 0 AND confidence <= 1",
}
FTS_TRIGGERS = {
    "quotes_fts_insert": "CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN "
    "INSERT INTO quotes_fts(rowid, content) VALUES (new.id, new.content); END",
    "quotes_fts_delete": "CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN "
    "INSERT INTO quotes_fts(quotes_fts, rowid, content) VALUES ('delete', old.id, old.content); END",
    "quotes_fts_update": "CREATE TRIGGER quotes_fts_update AFTER UPDATE OF content ON quotes BEGIN "
    "INSERT INTO quotes_fts(quotes_fts, rowid, content) VALUES ('delete', old.id, old.content); "
    "INSERT INTO quotes_fts(rowid, content) VALUES (new.id, new.content); END",
}


def upgrade() -> None:
    from quotetrack.store.identity import name_parts, stored_keys

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"

    op.create_table(
        "speaker_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["speaker_id"], ["speakers.id"], name="fk_speaker_keys_speaker_id_speakers", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_speaker_keys"),
        sa.UniqueConstraint("speaker_id", "key", name="uq_speaker_keys_speaker_id_key"),
    )
    op.create_index("ix_speaker_keys_speaker_id", "speaker_keys", ["speaker_id"])
    op.create_index("ix_speaker_keys_key", "speaker_keys", ["key"])
    rows = bind.execute(
        sa.text("SELECT a.speaker_id, a.alias, s.kind FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id")
    )
    keys = {(speaker_id, key) for speaker_id, alias, kind in rows for key in stored_keys(name_parts(alias, kind), kind)}
    if keys:
        op.bulk_insert(
            sa.table("speaker_keys", sa.column("speaker_id", sa.Integer()), sa.column("key", sa.Text())),
            [{"speaker_id": speaker_id, "key": key} for speaker_id, key in sorted(keys)],
        )

    op.drop_index("ix_speaker_aliases_initial", table_name="speaker_aliases")
    with op.batch_alter_table("speaker_aliases") as batch:
        batch.drop_column("initial")

    # Spans an earlier version wrote reversed or empty cannot be trusted: drop them, keep the quote.
    op.execute("UPDATE quotes SET cue = NULL, cue_start = NULL, cue_end = NULL "
               "WHERE cue_start IS NULL OR cue_end IS NULL OR cue_start >= cue_end OR cue_start < 0")
    op.execute("UPDATE quotes SET speaker_mention = NULL, mention_start = NULL, mention_end = NULL "
               "WHERE mention_start IS NULL OR mention_end IS NULL OR mention_start >= mention_end OR mention_start < 0")

    if sqlite:
        # SQLite keeps no length on VARCHAR; adding CHECKs rebuilds the table, which drops its triggers.
        with op.batch_alter_table("quotes", recreate="always") as batch:
            for name, condition in QUOTE_CHECKS.items():
                batch.create_check_constraint(name, condition)
        for sql in FTS_TRIGGERS.values():
            op.execute(sql)
        return
    for table, columns in TEXT_COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.Text(), existing_nullable=True)
    for name, condition in QUOTE_CHECKS.items():
        op.create_check_constraint(name, "quotes", condition)


def downgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        with op.batch_alter_table("quotes", recreate="always") as batch:
            for name in QUOTE_CHECKS:
                batch.drop_constraint(f"ck_quotes_{name}", type_="check")
        for sql in FTS_TRIGGERS.values():
            op.execute(sql)
    else:
        for name in QUOTE_CHECKS:
            op.drop_constraint(f"ck_quotes_{name}", "quotes", type_="check")
    with op.batch_alter_table("speaker_aliases") as batch:
        batch.add_column(sa.Column("initial", sa.String(4), nullable=False, server_default=""))
    op.create_index("ix_speaker_aliases_initial", "speaker_aliases", ["initial"])
    op.drop_table("speaker_keys")
