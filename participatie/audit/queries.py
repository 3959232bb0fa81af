from __future__ import annotations

from sqlalchemy import func, select

from ..db import db
from .models import AuditEvent


def recent_events(page: int = 1, per_page: int = 50) -> tuple[list[AuditEvent], int]:
    total = db.session.scalar(select(func.count(AuditEvent.id))) or 0
    events = db.session.scalars(
        select(AuditEvent)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(events), total
