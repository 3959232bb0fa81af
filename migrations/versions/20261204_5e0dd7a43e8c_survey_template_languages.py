"""Survey templates: the languages their texts are written in, and fixed answers in them.

Revision ID: 5e0dd7a43e8c
Revises: 2be15f6ea24d
Create Date: 2026-12-04

Reviewed by hand. Questionnaire texts were Dutch and English; now ambassadors can add more
languages (Arabic, Turkish, Polish…) per template. The texts themselves were already stored per
language (JSON), so only the template's list of languages is new, and the fixed answers
(agreement scale, yes/no) typed in languages the app has no translation of. Existing templates
keep Dutch and English.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e0dd7a43e8c"
down_revision = "2be15f6ea24d"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("survey_templates", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "languages",
                sa.JSON(),
                nullable=False,
                server_default=sa.text('\'["nl", "en"]\''),
                comment="the languages its texts are written in: Dutch first and always, "
                "others optional",
            )
        )
        batch_op.add_column(
            sa.Column(
                "answer_labels",
                sa.JSON(),
                nullable=False,
                server_default=sa.text("'{}'"),
                comment="fixed answers (agreement, yes/no) in languages the app has no "
                "translation of: {kind:value: {lang: text}}",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_templates", schema=None) as batch_op:
        batch_op.drop_column("answer_labels")
        batch_op.drop_column("languages")
