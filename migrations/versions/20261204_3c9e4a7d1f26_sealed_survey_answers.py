"""Survey answers sealed at rest, stable invitation links, no language on responses.

Revision ID: 3c9e4a7d1f26
Revises: 5d2e8b1c7f43
Create Date: 2026-12-04

Reviewed by hand (docs/anonymity.md):

* survey_invitations gets `link_seed`: the link token is an HMAC (SECRET_KEY) of it, so a
  reminder sends the same link. Invitations already sent keep their first link (its hash stays)
  until their next reminder, which moves them to the derived link once.
* survey_pending_submissions keeps its answers and language only encrypted (`sealed`). Rows held
  during the upgrade are sealed here with the application's key, so no answer is lost.
* survey_drafts keeps its answers and language only encrypted with a key derived from the resume
  code. The server never stored the codes, so drafts saved before the upgrade cannot be sealed
  and are deleted (as are drafts on downgrade, which cannot be opened without their codes):
  upgrade when no wave is open, or accept that saved-for-later answers are lost.
* survey_responses loses `language`: with the locales in the pool it narrows down who answered.
  A downgrade fills in "nl".
"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3c9e4a7d1f26"
down_revision = "5d2e8b1c7f43"
branch_labels = None
depends_on = None

LINK_SEED_COMMENT = "random; the link token is an HMAC (SECRET_KEY) of it: one link for every mail"
CODE_HASH_COMMENT = "keyed hash of the resume code (sealing.py)"
HELD_COMMENT = "language and answers, encrypted; only the release opens it"
DRAFT_COMMENT = "language and answers, encrypted with a key from the resume code"

invitations = sa.table("survey_invitations", sa.column("id", sa.Integer), sa.column("link_seed"))
pending = sa.table(
    "survey_pending_submissions",
    sa.column("id", sa.String),
    sa.column("wave_id", sa.Integer),
    sa.column("language", sa.String),
    sa.column("answers", sa.JSON),
    sa.column("sealed", sa.LargeBinary),
)
responses = sa.table("survey_responses", sa.column("language", sa.String))


def upgrade() -> None:
    # The app's own sealing, with the key of the app running the upgrade (flask db upgrade).
    from participatie.surveys import sealing

    bind = op.get_bind()

    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("link_seed", sa.String(length=32), nullable=True, comment=LINK_SEED_COMMENT)
        )
    for (invitation_id,) in bind.execute(sa.select(invitations.c.id)).all():
        bind.execute(
            invitations.update()
            .where(invitations.c.id == invitation_id)
            .values(link_seed=secrets.token_hex(16))
        )
    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.alter_column(
            "link_seed",
            existing_type=sa.String(length=32),
            existing_comment=LINK_SEED_COMMENT,
            nullable=False,
        )

    with op.batch_alter_table("survey_pending_submissions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sealed", sa.LargeBinary(), nullable=True, comment=HELD_COMMENT)
        )
    held = bind.execute(
        sa.select(pending.c.id, pending.c.wave_id, pending.c.language, pending.c.answers)
    ).all()
    for hold_id, wave_id, language, answers in held:
        bind.execute(
            pending.update()
            .where(pending.c.id == hold_id)
            .values(sealed=sealing.seal_held(wave_id, hold_id, language, dict(answers)))
        )
    with op.batch_alter_table("survey_pending_submissions", schema=None) as batch_op:
        batch_op.drop_column("answers")
        batch_op.drop_column("language")
        batch_op.alter_column(
            "sealed", existing_type=sa.LargeBinary(), existing_comment=HELD_COMMENT, nullable=False
        )

    op.execute("DELETE FROM survey_drafts")
    with op.batch_alter_table("survey_drafts", schema=None) as batch_op:
        batch_op.drop_column("answers")
        batch_op.drop_column("language")
        batch_op.add_column(
            sa.Column("sealed", sa.LargeBinary(), nullable=False, comment=DRAFT_COMMENT)
        )
        batch_op.alter_column(
            "code_hash",
            existing_type=sa.String(length=64),
            existing_nullable=False,
            comment=CODE_HASH_COMMENT,
        )

    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_column("language")


def downgrade() -> None:
    from participatie.surveys import sealing

    bind = op.get_bind()

    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=5), nullable=True))
    bind.execute(responses.update().values(language="nl"))
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.alter_column("language", existing_type=sa.String(length=5), nullable=False)

    op.execute("DELETE FROM survey_drafts")
    with op.batch_alter_table("survey_drafts", schema=None) as batch_op:
        batch_op.alter_column(
            "code_hash",
            existing_type=sa.String(length=64),
            existing_nullable=False,
            existing_comment=CODE_HASH_COMMENT,
            comment=None,
        )
        batch_op.drop_column("sealed")
        batch_op.add_column(sa.Column("answers", sa.JSON(), nullable=False))
        batch_op.add_column(sa.Column("language", sa.String(length=5), nullable=False))

    with op.batch_alter_table("survey_pending_submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("answers", sa.JSON(), nullable=True))
    held = bind.execute(sa.select(pending.c.id, pending.c.wave_id, pending.c.sealed)).all()
    for hold_id, wave_id, sealed in held:
        language, answers = sealing.open_held(wave_id, hold_id, sealed)
        bind.execute(
            pending.update()
            .where(pending.c.id == hold_id)
            .values(language=language, answers=answers)
        )
    with op.batch_alter_table("survey_pending_submissions", schema=None) as batch_op:
        batch_op.drop_column("sealed")
        batch_op.alter_column("language", existing_type=sa.String(length=5), nullable=False)
        batch_op.alter_column("answers", existing_type=sa.JSON(), nullable=False)

    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.drop_column("link_seed")
