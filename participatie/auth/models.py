"""Staff accounts: beheerders, cliëntambassadeurs and chain-partner representatives."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import created_at, db, email_str, intpk, str200
from ..organisations.models import Organisation


class Role(enum.StrEnum):
    BEHEERDER = "beheerder"
    AMBASSADEUR = "ambassadeur"
    KETENPARTNER = "ketenpartner"


def new_session_nonce() -> str:
    return secrets.token_hex(16)


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('beheerder', 'ambassadeur', 'ketenpartner')", name="role_known"),
        CheckConstraint(
            "role <> 'ketenpartner' OR organisation_id IS NOT NULL",
            name="ketenpartner_has_organisation",
        ),
        CheckConstraint("failed_logins >= 0", name="failed_logins_not_negative"),
    )

    id: Mapped[intpk]
    email: Mapped[email_str] = mapped_column(unique=True, comment="stored lower-case")
    name: Mapped[str200]
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    password_hash: Mapped[str] = mapped_column(String(200), comment="Argon2id")
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(
        Integer, comment="last accepted TOTP time step, so a code cannot be replayed"
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    session_nonce: Mapped[str] = mapped_column(
        String(32),
        default=new_session_nonce,
        comment="part of the login cookie; changing it signs the user out everywhere",
    )
    created_at: Mapped[created_at]

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def has_totp(self) -> bool:
        return self.totp_confirmed_at is not None

    def has_role(self, *roles: str) -> bool:
        return self.role in roles
