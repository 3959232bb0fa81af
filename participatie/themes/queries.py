"""Reading the codebook."""

from __future__ import annotations

from sqlalchemy import select

from ..db import db
from .codebook import DEFAULT_THEMES, ThemeSpec
from .models import Theme


def active_codebook() -> list[ThemeSpec]:
    """The active themes, in the order they were added; the built-in default codebook when the
    table is empty (a fresh database that was never seeded)."""
    themes = list(db.session.scalars(select(Theme).where(Theme.is_active).order_by(Theme.id)))
    if not themes and not db.session.scalar(select(Theme.id).limit(1)):
        return list(DEFAULT_THEMES)
    return [theme.as_spec() for theme in themes]
