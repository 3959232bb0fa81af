"""Reference data: the chain organisations and the municipalities of the region."""

from __future__ import annotations

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import created_at, db, intpk, str200


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(
        String(40), unique=True, comment="stable key used in code and seeds"
    )
    name: Mapped[str200] = mapped_column(unique=True)
    description_nl: Mapped[str] = mapped_column(String(500), default="")
    description_en: Mapped[str] = mapped_column(String(500), default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[created_at]

    def description(self, locale: str) -> str:
        return (self.description_en if locale == "en" else "") or self.description_nl


class Municipality(db.Model):
    __tablename__ = "municipalities"

    id: Mapped[intpk]
    name: Mapped[str200] = mapped_column(unique=True)
    cbs_code: Mapped[str | None] = mapped_column(
        String(6), unique=True, comment="CBS municipality code, e.g. GM0307"
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[created_at]
