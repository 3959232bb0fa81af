"""Session notes are coded like open answers: themes with evidence, sentiment, language.

Revision ID: 5d2e8b1c7f43
Revises: a6aad5dcb36f
Create Date: 2026-12-04

Reviewed by hand. `group_sessions.note_coding` holds, per paragraph of the (scrubbed) notes, what
the theme coder made of it when the notes were saved, so pages show it without coding again. The
organiser's own choice stays in `note_themes`. Notes saved before this revision have no coding
until they are saved again; the column defaults to an empty list.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5d2e8b1c7f43"
down_revision = "a6aad5dcb36f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("group_sessions") as batch:
        batch.add_column(
            sa.Column(
                "note_coding",
                sa.JSON(),
                nullable=False,
                server_default="[]",
                comment="per paragraph of the notes, computed when they are saved: themes (slug,"
                " confidence, evidence), sentiment, sentiment_score, language",
            )
        )
        batch.alter_column(
            "note_themes",
            existing_type=sa.JSON(),
            existing_nullable=False,
            comment="themes the organiser chose for the notes",
        )


def downgrade() -> None:
    with op.batch_alter_table("group_sessions") as batch:
        batch.alter_column(
            "note_themes", existing_type=sa.JSON(), existing_nullable=False, comment=None
        )
        batch.drop_column("note_coding")
