"""Scheduled jobs of the audit module."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete

from .. import clock
from ..db import db
from .models import AuditEvent

logger = logging.getLogger(__name__)


def purge_expired_events() -> int:
    """Delete audit events older than AUDIT_RETENTION_DAYS. Idempotent."""
    cutoff = clock.now() - timedelta(days=current_app.config["AUDIT_RETENTION_DAYS"])
    result = db.session.execute(delete(AuditEvent).where(AuditEvent.occurred_at < cutoff))
    logger.info("audit purge removed=%s", result.rowcount)
    return result.rowcount
