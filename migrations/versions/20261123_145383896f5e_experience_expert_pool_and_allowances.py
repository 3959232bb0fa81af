"""Experience-expert pool (participants, consents, tokens, notes, history) and allowances.

Revision ID: 145383896f5e
Revises: cf6d505e139a
Create Date: 2026-11-23

Reviewed by hand: every table that refers to a participant cascades on delete, except
allowances (SET NULL: anonymous financial rows may stay). No table refers to survey data.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "145383896f5e"
down_revision = "cf6d505e139a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "display_name", sa.String(length=80), nullable=False, comment="first name or nickname"
        ),
        sa.Column("email", sa.String(length=254), nullable=True, comment="lower-case"),
        sa.Column(
            "phone", sa.String(length=20), nullable=True, comment="normalised, e.g. +31612345678"
        ),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("age_band", sa.String(length=8), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(length=5), nullable=False, comment="language for e-mails"),
        sa.Column("support_needs", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("email_confirmed_at", sa.DateTime(), nullable=True),
        sa.Column(
            "confirmed_by_staff_at",
            sa.DateTime(),
            nullable=True,
            comment="phone-only sign-ups: an ambassador confirmed by phone",
        ),
        sa.Column("guardian_email", sa.String(length=254), nullable=True),
        sa.Column("guardian_confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(), nullable=False),
        sa.Column(
            "stay_asked_at",
            sa.DateTime(),
            nullable=True,
            comment="when the 'do you want to stay?' mail went out; cleared by any activity",
        ),
        sa.CheckConstraint(
            "age_band <> '12-15' OR guardian_email IS NOT NULL",
            name=op.f("ck_participants_young_teen_has_guardian"),
        ),
        sa.CheckConstraint(
            "age_band IN ('12-15', '16-17', '18-20', '21-23', '24-34', '35-49', '50-64', '65+')",
            name=op.f("ck_participants_age_band_known"),
        ),
        sa.CheckConstraint(
            "role IN ('parent', 'young_person', 'family')", name=op.f("ck_participants_role_known")
        ),
        sa.CheckConstraint(
            "status IN ('new', 'active', 'paused', 'stopped')",
            name=op.f("ck_participants_status_known"),
        ),
        sa.CheckConstraint(
            "email IS NOT NULL OR phone IS NOT NULL", name=op.f("ck_participants_reachable")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_participants_municipality_id_municipalities"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
        sa.UniqueConstraint("email", name=op.f("uq_participants_email")),
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participants_status"), ["status"], unique=False)
        batch_op.create_index(
            "ix_participants_status_last_activity", ["status", "last_activity_at"], unique=False
        )

    op.create_table(
        "allowances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column(
            "activity",
            sa.String(length=200),
            nullable=False,
            comment="e.g. 'Panel jeugdbescherming'",
        ),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column(
            "minutes", sa.Integer(), nullable=False, comment="time spent, for the hourly limit"
        ),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column(
            "under_21",
            sa.Boolean(),
            nullable=False,
            comment="age at the activity decides the hourly limit",
        ),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("amount_cents >= 0", name=op.f("ck_allowances_amount_not_negative")),
        sa.CheckConstraint("minutes >= 0", name=op.f("ck_allowances_minutes_not_negative")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_allowances_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_allowances_participant_id_participants"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allowances")),
    )
    with op.batch_alter_table("allowances", schema=None) as batch_op:
        batch_op.create_index(
            "ix_allowances_participant_date", ["participant_id", "activity_date"], unique=False
        )

    op.create_table(
        "participant_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("granted_by_guardian", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "purpose IN ('pool', 'surveys', 'updates', 'support_needs')",
            name=op.f("ck_participant_consents_purpose_known"),
        ),
        sa.CheckConstraint(
            "withdrawn_at IS NULL OR withdrawn_at >= granted_at",
            name=op.f("ck_participant_consents_withdrawn_after_granted"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_consents_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_consents")),
    )
    with op.batch_alter_table("participant_consents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_consents_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "participant_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column(
            "kind",
            sa.String(length=40),
            nullable=False,
            comment="e.g. signed_up, consent_withdrawn",
        ),
        sa.Column(
            "detail", sa.String(length=200), nullable=False, comment="no free text by others"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_events_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_events")),
    )
    with op.batch_alter_table("participant_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_events_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "participant_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_participant_notes_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_notes_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_notes")),
    )
    with op.batch_alter_table("participant_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_notes_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "participant_organisations",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_participant_organisations_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_organisations_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "participant_id", "organisation_id", name=op.f("pk_participant_organisations")
        ),
        comment="which chain organisations a participant has experience with",
    )
    op.create_table(
        "participant_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "kind IN ('interest', 'language', 'availability')",
            name=op.f("ck_participant_tags_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_tags_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_tags")),
        sa.UniqueConstraint(
            "participant_id",
            "kind",
            "value",
            name=op.f("uq_participant_tags_participant_id_kind_value"),
        ),
    )
    with op.batch_alter_table("participant_tags", schema=None) as batch_op:
        batch_op.create_index("ix_participant_tags_kind_value", ["kind", "value"], unique=False)

    op.create_table(
        "participant_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column(
            "token_hash", sa.String(length=64), nullable=False, comment="sha256 of the token"
        ),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "purpose IN ('confirm_email', 'guardian', 'manage', 'stay')",
            name=op.f("ck_participant_tokens_purpose_known"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_participant_tokens_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_participant_tokens_token_hash")),
    )
    with op.batch_alter_table("participant_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_tokens_participant_id"), ["participant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("participant_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_tokens_participant_id"))

    op.drop_table("participant_tokens")
    with op.batch_alter_table("participant_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_participant_tags_kind_value")

    op.drop_table("participant_tags")
    op.drop_table("participant_organisations")
    with op.batch_alter_table("participant_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_notes_participant_id"))

    op.drop_table("participant_notes")
    with op.batch_alter_table("participant_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_events_participant_id"))

    op.drop_table("participant_events")
    with op.batch_alter_table("participant_consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_consents_participant_id"))

    op.drop_table("participant_consents")
    with op.batch_alter_table("allowances", schema=None) as batch_op:
        batch_op.drop_index("ix_allowances_participant_date")

    op.drop_table("allowances")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index("ix_participants_status_last_activity")
        batch_op.drop_index(batch_op.f("ix_participants_status"))

    op.drop_table("participants")
