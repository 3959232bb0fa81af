"""The codebook: themes that open answers are coded with.

A theme is never deleted once answers may refer to it: it is retired (`is_active` off) or merged
into another (`merged_into_id`), so old codings keep their meaning and history stays readable.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import created_at, db, intpk, str200
from .codebook import ThemeSpec


class Theme(db.Model):
    __tablename__ = "themes"
    __table_args__ = (
        CheckConstraint(
            "merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"
        ),
        CheckConstraint("merged_into_id IS NULL OR NOT is_active", name="merged_is_inactive"),
    )

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(
        String(40), unique=True, comment="stable key used in code, exports and the CLI"
    )
    label_nl: Mapped[str200]
    label_en: Mapped[str200]
    description_nl: Mapped[str] = mapped_column(String(500), default="")
    description_en: Mapped[str] = mapped_column(String(500), default="")
    indicators: Mapped[dict[str, Any]] = mapped_column(
        JSON,
        default=dict,
        comment='per language: {"lemmas": {pattern: weight}, "phrases": {pattern: weight}}',
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"),
        comment="set when this theme was merged into another; it is then inactive",
    )
    created_at: Mapped[created_at]

    merged_into: Mapped[Theme | None] = relationship(remote_side="Theme.id")

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" and self.label_en else self.label_nl

    def as_spec(self) -> ThemeSpec:
        return ThemeSpec(
            self.slug,
            self.label_nl,
            self.label_en,
            self.description_nl,
            self.description_en,
            self.indicators or {},
        )
