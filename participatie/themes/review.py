"""Human review of the theme codes of open answers: confirm, reject or add.

A decision is kept in `theme_reviews` (one per answer and theme; a later one replaces the earlier)
and applied at once to the answer's stored codes, so every results page counts the reviewed
codes without knowing about reviews: a confirmed or added code is in `SurveyAnswer.themes`, a
rejected one is not. Codes that staff put there carry `"source": "review"`; the coder's own codes
have no source key or `"source": "coder"`.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from .. import clock
from ..auth.models import User
from ..db import db
from ..surveys.models import SurveyAnswer
from .models import ReviewDecision, Theme, ThemeReview
from .queries import slugs_of

logger = logging.getLogger(__name__)


class ReviewError(Exception):
    """`reason`: "unknown_theme" (no such theme, or not active when adding) or "not_coded"
    (confirming or rejecting a code the answer never had)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decide(actor: User | None, answer: SurveyAnswer, slug: str, decision: str) -> ThemeReview:
    """Record `decision` ("confirmed", "rejected" or "added") on `answer` for theme `slug`, and
    update the answer's codes to match. The caller checks the answer's wave may be reviewed.

    Raises ReviewError when the theme is unknown, when adding a theme that is not active, or when
    confirming or rejecting a code the answer neither has nor had. Raises ValueError for an
    unknown decision."""
    decision = ReviewDecision(decision).value
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    current = slugs_of(answer.themes)
    previous = db.session.scalar(
        select(ThemeReview).where(
            ThemeReview.answer_id == answer.id, ThemeReview.theme_slug == slug
        )
    )
    if decision == ReviewDecision.ADDED:
        if theme is None or not theme.is_active:
            raise ReviewError("unknown_theme")
    elif slug not in current and previous is None:
        raise ReviewError("not_coded")
    if previous is None:
        previous = ThemeReview(answer_id=answer.id, theme_slug=slug)
        db.session.add(previous)
    previous.decision = decision
    previous.reviewer_id = actor.id if actor else None
    previous.decided_at = clock.now()
    answer.themes = _apply(answer, slug, decision, theme)
    db.session.flush()
    logger.info("theme review answer=%s theme=%s decision=%s", answer.id, slug, decision)
    return previous


def _apply(
    answer: SurveyAnswer, slug: str, decision: str, theme: Theme | None
) -> list[dict[str, Any]]:
    entries = [dict(entry) for entry in answer.themes or [] if isinstance(entry, dict)]
    if decision == ReviewDecision.REJECTED:
        return [entry for entry in entries if entry.get("slug") != slug]
    if any(entry.get("slug") == slug for entry in entries):
        return entries
    entries.append(
        {
            "slug": slug,
            "confidence": 1.0,
            "evidence": _evidence(answer, theme),
            "source": "review",
        }
    )
    return entries


def _evidence(answer: SurveyAnswer, theme: Theme | None) -> list[str]:
    """The words of the answer that the theme's indicators match, to highlight (may be none)."""
    if theme is None or not answer.text:
        return []
    from .coder import indicator_entries
    from .text.analysis import analyse
    from .text.matching import PatternIndex

    analysis = analyse(answer.text, hint=answer.text_language)
    index = PatternIndex(
        (
            (pattern, weight)
            for pattern, weight in indicator_entries(theme.as_spec().indicators, analysis.language)
        ),
        language=analysis.language,
    )
    words: list[str] = []
    for hit in index.find(analysis):
        found = hit.evidence(analysis)
        if found not in words:
            words.append(found)
    return words
