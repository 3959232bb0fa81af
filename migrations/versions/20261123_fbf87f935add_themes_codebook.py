"""Themes codebook: the themes open answers are coded with.

Revision ID: fbf87f935add
Revises: baa4dcfd27e6
Create Date: 2026-11-23

Reviewed by hand: themes are retired or merged, never deleted, so `merged_into_id` refers to
another theme (never itself) and a merged theme is inactive. The default themes are seeded by
`flask seed-reference` / `flask seed-demo` (`ensure_codebook()`), not here, so staff edits are
never overwritten by a migration.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "fbf87f935add"
down_revision = "baa4dcfd27e6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "slug",
            sa.String(length=40),
            nullable=False,
            comment="stable key used in code, exports and the CLI",
        ),
        sa.Column("label_nl", sa.String(length=200), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("description_nl", sa.String(length=500), nullable=False),
        sa.Column("description_en", sa.String(length=500), nullable=False),
        sa.Column(
            "indicators",
            sa.JSON(),
            nullable=False,
            comment='per language: {"lemmas": {pattern: weight}, "phrases": {pattern: weight}}',
        ),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column(
            "merged_into_id",
            sa.Integer(),
            nullable=True,
            comment="set when this theme was merged into another; it is then inactive",
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "merged_into_id IS NULL OR NOT is_active", name=op.f("ck_themes_merged_is_inactive")
        ),
        sa.CheckConstraint(
            "merged_into_id IS NULL OR merged_into_id <> id",
            name=op.f("ck_themes_not_merged_into_self"),
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["themes.id"],
            name=op.f("fk_themes_merged_into_id_themes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_themes")),
        sa.UniqueConstraint("slug", name=op.f("uq_themes_slug")),
    )


def downgrade() -> None:
    op.drop_table("themes")
