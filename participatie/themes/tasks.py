"""Scheduled jobs of themes. Each is idempotent; the scheduler's lease runs each once."""

from __future__ import annotations

import logging

from ..db import db
from .learning import learn

log = logging.getLogger(__name__)

__all__ = ["learn_from_reviews"]


def learn_from_reviews() -> None:
    """Let the coder learn from the staff reviews made since the last run (nothing new: no run).
    The adjustment is kept only when micro-F1 on the reviewed answers does not go down."""
    try:
        evaluation = learn()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if evaluation is None:
        log.info("coder learning: no new reviews")
