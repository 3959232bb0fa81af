"""The codebook: themes that open answers are coded with.

A theme is never deleted once answers may refer to it: it is retired (`is_active` off) or merged
into another (`merged_into_id`), so old codings keep their meaning and history stays readable.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..db import UTCDateTime, created_at, db, intpk, str200
from .codebook import ThemeSpec

# Learned weights sit beside the seeded groups of a language, under this key: they are kept apart
# so editing a theme never loses what was learned, and learning never rewrites what staff typed.
LEARNED = "learned"
INDICATOR_GROUPS = ("lemmas", "phrases")


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
            effective_indicators(self.indicators or {}),
        )


def effective_indicators(indicators: dict[str, Any]) -> dict[str, Any]:
    """The indicators the coder uses: per language the seeded "lemmas" and "phrases", with the
    learned weights applied on top — a learned weight replaces the seeded one of the same
    pattern, a learned pattern that is not seeded is added, and a weight of 0 switches a pattern
    off. Only the two groups the coder reads come out."""
    result: dict[str, Any] = {}
    for language, groups in indicators.items():
        if not isinstance(groups, dict):
            continue
        learned = groups.get(LEARNED) or {}
        merged: dict[str, dict[str, float]] = {}
        for group in INDICATOR_GROUPS:
            merged[group] = {
                pattern: float(learned.get(pattern, weight))
                for pattern, weight in (groups.get(group) or {}).items()
            }
        for pattern, weight in learned.items():
            if not any(pattern in merged[group] for group in INDICATOR_GROUPS):
                merged["phrases" if " " in pattern.strip() else "lemmas"][pattern] = float(weight)
        result[language] = {
            group: {pattern: weight for pattern, weight in entries.items() if weight > 0}
            for group, entries in merged.items()
        }
    return result


class ReviewDecision(enum.StrEnum):
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    ADDED = "added"


class ThemeReview(db.Model):
    """A staff decision on one theme code of one open answer.

    Refers to the answer and the staff member only: nothing here leads to whoever wrote the
    answer. A later decision on the same answer and theme replaces the earlier one.
    """

    __tablename__ = "theme_reviews"
    __table_args__ = (
        UniqueConstraint("answer_id", "theme_slug"),
        CheckConstraint("decision IN ('confirmed', 'rejected', 'added')", name="decision_known"),
    )

    id: Mapped[intpk]
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("survey_answers.id", ondelete="CASCADE"), index=True
    )
    theme_slug: Mapped[str] = mapped_column(
        String(40), comment="the slug as coded; merged themes are mapped when read"
    )
    decision: Mapped[str] = mapped_column(String(10))
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class CoderEvaluation(db.Model):
    """One run of learning from the reviews: micro-F1 on the reviewed answers of the shipped
    coder (before) and of the coder trained with the reviews (after, each answer measured by a
    coder that did not learn from it), and whether the learned coder was kept."""

    __tablename__ = "coder_evaluations"

    id: Mapped[intpk]
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, index=True)
    answers: Mapped[int] = mapped_column(Integer, comment="reviewed answers measured on")
    f1_before: Mapped[float] = mapped_column(Float)
    f1_after: Mapped[float] = mapped_column(Float)
    kept: Mapped[bool] = mapped_column(Boolean, default=False)
    rules_f1_before: Mapped[float | None] = mapped_column(
        Float, comment="micro-F1 of the rules alone before the indicator adjustment"
    )
    rules_f1_after: Mapped[float | None] = mapped_column(Float)
    rules_kept: Mapped[bool] = mapped_column(
        Boolean, default=False, comment="whether the indicator adjustment was kept"
    )
    notes: Mapped[str] = mapped_column(String(1000), default="")
    model: Mapped[bytes | None] = mapped_column(
        LargeBinary,
        deferred=True,
        comment="the learned layer trained with the reviews (gzipped JSON), on the newest kept"
        " run only; the coder uses it instead of the shipped one",
    )
