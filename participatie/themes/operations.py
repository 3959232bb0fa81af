"""Changes to the codebook."""

from __future__ import annotations

import logging

from sqlalchemy import select

from ..db import db
from .codebook import DEFAULT_THEMES
from .models import Theme

logger = logging.getLogger(__name__)


def ensure_codebook() -> list[Theme]:
    """Add the default themes that are missing, by slug (idempotent).

    Existing themes are left exactly as they are — staff may have edited, retired or merged
    them — so running this again never undoes their work. Returns the themes it added.
    """
    known = set(db.session.scalars(select(Theme.slug)))
    added = []
    for spec in DEFAULT_THEMES:
        if spec.slug in known:
            continue
        theme = Theme(
            slug=spec.slug,
            label_nl=spec.label_nl,
            label_en=spec.label_en,
            description_nl=spec.description_nl,
            description_en=spec.description_en,
            indicators=spec.indicators,
        )
        db.session.add(theme)
        added.append(theme)
    if added:
        db.session.flush()
        logger.info("codebook themes added count=%s", len(added))
    return added
