"""Propositions: claims grouped into the statements they argue about, with stances, kept between runs.

- `proposition_models`: the fitted TF-IDF vocabulary and idf (JSON), so new quotes are assigned
  to existing propositions without refitting;
- `propositions`: label, topic tag, size and the centroid of each proposition;
- `quote_propositions`: each grouped quote's proposition (NULL while it waits for similar claims),
  similarity, polarity, stance and the words that decided it; removed with the quote.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proposition_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vocabulary", sa.JSON(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_proposition_models"),
    )
    op.create_table(
        "propositions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("centroid", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_propositions"),
    )
    op.create_index("ix_propositions_topic", "propositions", ["topic"])
    op.create_table(
        "quote_propositions",
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("proposition_id", sa.Integer(), nullable=True),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("polarity", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(10), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.CheckConstraint("stance IN ('supports', 'opposes', 'neutral')", name="ck_quote_propositions_stance"),
        sa.CheckConstraint("polarity IN (-1, 0, 1)", name="ck_quote_propositions_polarity"),
        sa.ForeignKeyConstraint(["quote_id"], ["quotes.id"], name="fk_quote_propositions_quote_id_quotes", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["proposition_id"], ["propositions.id"], name="fk_quote_propositions_proposition_id_propositions", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("quote_id", name="pk_quote_propositions"),
    )
    op.create_index("ix_quote_propositions_proposition_id", "quote_propositions", ["proposition_id"])


def downgrade() -> None:
    op.drop_table("quote_propositions")
    op.drop_table("propositions")
    op.drop_table("proposition_models")
