"""The coder's learned layer, trained with the reviews, kept with the learning run.

Revision ID: 3c1f7a9e2b50
Revises: bd791764dc89
Create Date: 2026-12-04

Reviewed by hand. A run now reports the rules (indicator adjustment) and the learned layer
separately: `rules_f1_before/after` and `rules_kept` for the rules, the existing `f1_before/after`
and `kept` for the whole coder (shipped against learned). Existing rows get rules_kept false.
A learning run that keeps a newly trained layer stores it (gzipped JSON of its
weights, a few hundred KiB) in `coder_evaluations.model`; only the newest kept run holds one,
older ones are set to NULL. No personal data: weights of words, not answers.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3c1f7a9e2b50"
down_revision = "bd791764dc89"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("coder_evaluations") as batch:
        batch.add_column(
            sa.Column(
                "rules_f1_before",
                sa.Float(),
                nullable=True,
                comment="micro-F1 of the rules alone before the indicator adjustment",
            )
        )
        batch.add_column(sa.Column("rules_f1_after", sa.Float(), nullable=True))
        batch.add_column(
            sa.Column(
                "rules_kept",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
                comment="whether the indicator adjustment was kept",
            )
        )
        batch.add_column(
            sa.Column(
                "model",
                sa.LargeBinary(),
                nullable=True,
                comment="the learned layer trained with the reviews (gzipped JSON), on the newest"
                " kept run only; the coder uses it instead of the shipped one",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("coder_evaluations") as batch:
        batch.drop_column("model")
        batch.drop_column("rules_kept")
        batch.drop_column("rules_f1_after")
        batch.drop_column("rules_f1_before")
