"""Group sessions and panels, and their registrations (sign-ups, waiting list, offers).

Revision ID: baa4dcfd27e6
Revises: 145383896f5e
Create Date: 2026-11-23

Reviewed by hand: `taken <= capacity` is a check constraint (no overbooking); one active
sign-up per person per session is a partial unique index on SQLite and PostgreSQL alike.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "baa4dcfd27e6"
down_revision = "145383896f5e"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "group_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title_nl", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("description_nl", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("is_online", sa.Boolean(), nullable=False),
        sa.Column("location_name", sa.String(length=200), nullable=False),
        sa.Column("location_address", sa.String(length=300), nullable=False),
        sa.Column("route_nl", sa.Text(), nullable=False, comment="how to get there"),
        sa.Column("route_en", sa.Text(), nullable=False),
        sa.Column(
            "meeting_link",
            sa.String(length=500),
            nullable=False,
            comment="shown to confirmed participants only",
        ),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column(
            "taken",
            sa.Integer(),
            nullable=False,
            comment="places held: confirmed plus offered registrations",
        ),
        sa.Column("signup_deadline", sa.DateTime(), nullable=True),
        sa.Column("allowance_cents", sa.Integer(), nullable=True),
        sa.Column("accessibility_nl", sa.Text(), nullable=False),
        sa.Column("accessibility_en", sa.Text(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column(
            "questions",
            sa.JSON(),
            nullable=False,
            comment="which needs to ask at sign-up: support, dietary, childcare, interpreter",
        ),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False, comment="after the meeting, scrubbed"),
        sa.Column("note_themes", sa.JSON(), nullable=False),
        sa.Column("needs_purged_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "audience IN ('parents', 'young_people', 'both')",
            name=op.f("ck_group_sessions_audience_known"),
        ),
        sa.CheckConstraint(
            "kind IN ('group_conversation', 'panel', 'training', 'information', 'peer_contact')",
            name=op.f("ck_group_sessions_kind_known"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'cancelled')",
            name=op.f("ck_group_sessions_status_known"),
        ),
        sa.CheckConstraint(
            "allowance_cents IS NULL OR allowance_cents >= 0",
            name=op.f("ck_group_sessions_allowance_not_negative"),
        ),
        sa.CheckConstraint("capacity >= 0", name=op.f("ck_group_sessions_capacity_not_negative")),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_group_sessions_ends_after_start")),
        sa.CheckConstraint(
            "taken >= 0 AND taken <= capacity", name=op.f("ck_group_sessions_no_overbooking")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_group_sessions_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_sessions")),
    )
    with op.batch_alter_table("group_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_group_sessions_status_starts_at", ["status", "starts_at"], unique=False
        )

    op.create_table(
        "group_session_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("guest_name", sa.String(length=80), nullable=True),
        sa.Column("guest_email", sa.String(length=254), nullable=True),
        sa.Column("guest_phone", sa.String(length=20), nullable=True),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("offer_expires_at", sa.DateTime(), nullable=True),
        sa.Column("need_support", sa.Text(), nullable=False),
        sa.Column("need_dietary", sa.Text(), nullable=False),
        sa.Column("need_childcare", sa.Text(), nullable=False),
        sa.Column("need_interpreter", sa.Text(), nullable=False),
        sa.Column(
            "manage_token_hash",
            sa.String(length=64),
            nullable=False,
            comment="sha256 of the cancel/confirm link token",
        ),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column(
            "allowance_id",
            sa.Integer(),
            nullable=True,
            comment="the allowance created when attendance was recorded",
        ),
        sa.Column("reminder_sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('confirmed', 'waiting', 'offered', 'cancelled', 'expired', 'session_cancelled')",
            name=op.f("ck_group_session_registrations_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["allowance_id"],
            ["allowances.id"],
            name=op.f("fk_group_session_registrations_allowance_id_allowances"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_group_session_registrations_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["group_sessions.id"],
            name=op.f("fk_group_session_registrations_session_id_group_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_session_registrations")),
        sa.UniqueConstraint(
            "manage_token_hash", name=op.f("uq_group_session_registrations_manage_token_hash")
        ),
    )
    with op.batch_alter_table("group_session_registrations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_session_registrations_participant_id"),
            ["participant_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_registrations_session_status", ["session_id", "status", "id"], unique=False
        )
        batch_op.create_index(
            "uq_registration_active_guest",
            ["session_id", "guest_email"],
            unique=True,
            sqlite_where=sa.text(
                "guest_email IS NOT NULL AND status IN ('confirmed', 'waiting', 'offered')"
            ),
            postgresql_where=sa.text(
                "guest_email IS NOT NULL AND status IN ('confirmed', 'waiting', 'offered')"
            ),
        )
        batch_op.create_index(
            "uq_registration_active_participant",
            ["session_id", "participant_id"],
            unique=True,
            sqlite_where=sa.text(
                "participant_id IS NOT NULL AND status IN ('confirmed', 'waiting', 'offered')"
            ),
            postgresql_where=sa.text(
                "participant_id IS NOT NULL AND status IN ('confirmed', 'waiting', 'offered')"
            ),
        )


def downgrade() -> None:
    with op.batch_alter_table("group_session_registrations", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_registration_active_participant",
            sqlite_where=sa.text(
                "participant_id IS NOT NULL AND status IN ('confirmed', 'waiting', 'offered')"
            ),
            postgresql_where=sa.text(
                "participant_id IS NOT NULL AND status IN ('confirmed', 'waiting', 'offered')"
            ),
        )
        batch_op.drop_index(
            "uq_registration_active_guest",
            sqlite_where=sa.text(
                "guest_email IS NOT NULL AND status IN ('confirmed', 'waiting', 'offered')"
            ),
            postgresql_where=sa.text(
                "guest_email IS NOT NULL AND status IN ('confirmed', 'waiting', 'offered')"
            ),
        )
        batch_op.drop_index("ix_registrations_session_status")
        batch_op.drop_index(batch_op.f("ix_group_session_registrations_participant_id"))

    op.drop_table("group_session_registrations")
    with op.batch_alter_table("group_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_group_sessions_status_starts_at")

    op.drop_table("group_sessions")
