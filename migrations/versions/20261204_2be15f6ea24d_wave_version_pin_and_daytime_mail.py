"""Survey waves: a pinned version, and whether the pool invitations went out.

Revision ID: 2be15f6ea24d
Revises: 3c9e4a7d1f26
Create Date: 2026-12-04

Reviewed by hand. A planned wave used to keep the version that was latest when it was planned;
now it takes the template's latest version with questions when it opens, unless the ambassador
pinned one (`version_pinned`). Existing waves are not pinned, so planned ones pick up edits.

Invitations and reminders go out only in daytime, so a wave that the scheduler opens at night
invites the pool later: `invitations_sent` says whether that happened. Waves that are already
open or closed were invited when they opened.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "2be15f6ea24d"
down_revision = "3c9e4a7d1f26"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("survey_waves", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "version_pinned",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
                comment="the ambassador chose version_id; otherwise opening takes the latest version",
            )
        )
        batch_op.add_column(
            sa.Column(
                "invitations_sent",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
                comment="the pool was invited; mail waits for daytime",
            )
        )
    waves = sa.table(
        "survey_waves",
        sa.column("status", sa.String),
        sa.column("invitations_sent", sa.Boolean),
    )
    op.execute(waves.update().where(waves.c.status != "draft").values(invitations_sent=True))


def downgrade() -> None:
    with op.batch_alter_table("survey_waves", schema=None) as batch_op:
        batch_op.drop_column("invitations_sent")
        batch_op.drop_column("version_pinned")
