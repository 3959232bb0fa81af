"""Survey send tickets: a claimed ticket per sent survey form, so a form is sent once.

Revision ID: a6aad5dcb36f
Revises: 3c1f7a9e2b50
Create Date: 2026-12-04

Reviewed by hand. `survey_send_tickets` holds the sha256 of a random ticket that a survey form
carried (primary key, so a second claim of the same ticket fails) and the wave, only so that the
claims can be removed once the wave has closed. No time, no counter, no key to a response, a draft
or an invitation: a row says only "a form of this wave was sent".
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a6aad5dcb36f"
down_revision = "3c1f7a9e2b50"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_send_tickets",
        sa.Column(
            "ticket_hash",
            sa.String(length=64),
            nullable=False,
            comment="sha256 of the form's ticket; unique, so one send",
        ),
        sa.Column(
            "wave_id",
            sa.Integer(),
            nullable=False,
            comment="only to remove the claims once the wave has closed",
        ),
        sa.ForeignKeyConstraint(
            ["wave_id"],
            ["survey_waves.id"],
            name=op.f("fk_survey_send_tickets_wave_id_survey_waves"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ticket_hash", name=op.f("pk_survey_send_tickets")),
    )
    with op.batch_alter_table("survey_send_tickets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_send_tickets_wave_id"), ["wave_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_send_tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_send_tickets_wave_id"))
    op.drop_table("survey_send_tickets")
