"""Recording staff actions in the audit log."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ..db import db
from .models import AuditEvent

if TYPE_CHECKING:
    from ..auth.models import User

logger = logging.getLogger(__name__)


def record(
    actor: User | None,
    action: str,
    object_type: str | None = None,
    object_id: object = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event. `details` must hold identifiers and field names, not personal content."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor_label=actor.email if actor else "system",
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        details=details,
    )
    db.session.add(event)
    db.session.flush()
    logger.info("audit %s object=%s:%s", action, object_type, object_id)
    return event
