"""Audit log of staff actions: who did what, when. Never the content of answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..db import db, intpk


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[intpk]
    occurred_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor_label: Mapped[str] = mapped_column(
        String(254), comment="the actor's e-mail at the time, kept if the account is removed"
    )
    action: Mapped[str] = mapped_column(String(60), index=True, comment="e.g. user.create")
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(40))
    details: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict, comment="ids and field names only: never answer content or contact data"
    )
