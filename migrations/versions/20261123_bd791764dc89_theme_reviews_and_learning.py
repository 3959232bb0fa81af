"""Theme reviews and learning: staff decisions on theme codes, and the coder's quality per run.

Revision ID: bd791764dc89
Revises: 915e0d6e330b
Create Date: 2026-11-23

Reviewed by hand. `theme_reviews` keeps one decision (confirmed, rejected, added) per open answer
and theme — a later decision replaces the earlier one, hence the unique constraint — so the coder
can learn from them. It refers to the answer (deleted with it) and to the staff member (kept as
NULL when the account goes), never to whoever wrote the answer. `coder_evaluations` stores each
learning run's micro-F1 before and after, so the quality figure on the themes page has a history.
Learned indicator weights need no column: they live in `themes.indicators[lang]["learned"]`.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "bd791764dc89"
down_revision = "915e0d6e330b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coder_evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ran_at", sa.DateTime(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False, comment="reviewed answers measured on"),
        sa.Column("f1_before", sa.Float(), nullable=False),
        sa.Column("f1_after", sa.Float(), nullable=False),
        sa.Column("kept", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(length=1000), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coder_evaluations")),
    )
    op.create_index(
        op.f("ix_coder_evaluations_ran_at"), "coder_evaluations", ["ran_at"], unique=False
    )
    op.create_table(
        "theme_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column(
            "theme_slug",
            sa.String(length=40),
            nullable=False,
            comment="the slug as coded; merged themes are mapped when read",
        ),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "decision IN ('confirmed', 'rejected', 'added')",
            name=op.f("ck_theme_reviews_decision_known"),
        ),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["survey_answers.id"],
            name=op.f("fk_theme_reviews_answer_id_survey_answers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["users.id"],
            name=op.f("fk_theme_reviews_reviewer_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_reviews")),
        sa.UniqueConstraint(
            "answer_id", "theme_slug", name=op.f("uq_theme_reviews_answer_id_theme_slug")
        ),
    )
    op.create_index(
        op.f("ix_theme_reviews_answer_id"), "theme_reviews", ["answer_id"], unique=False
    )
    op.create_index(
        op.f("ix_theme_reviews_reviewer_id"), "theme_reviews", ["reviewer_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_theme_reviews_reviewer_id"), table_name="theme_reviews")
    op.drop_index(op.f("ix_theme_reviews_answer_id"), table_name="theme_reviews")
    op.drop_table("theme_reviews")
    op.drop_index(op.f("ix_coder_evaluations_ran_at"), table_name="coder_evaluations")
    op.drop_table("coder_evaluations")
