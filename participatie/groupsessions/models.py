"""Group sessions and panels organised by cliëntambassadeurs, and the sign-ups for them.

A session's `taken` counter is the number of places held (confirmed plus offered). One atomic
UPDATE … WHERE taken < capacity hands out places, and a check constraint makes overbooking
impossible even for code that forgets the rule.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import created_at, db, intpk


class SessionKind(enum.StrEnum):
    GROUP_CONVERSATION = "group_conversation"
    PANEL = "panel"  # panel or sounding board
    TRAINING = "training"
    INFORMATION = "information"
    PEER_CONTACT = "peer_contact"


class Audience(enum.StrEnum):
    PARENTS = "parents"
    YOUNG_PEOPLE = "young_people"
    BOTH = "both"


class SessionStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class RegistrationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    OFFERED = "offered"  # a freed place is held for this person until offer_expires_at
    CANCELLED = "cancelled"  # by the person
    EXPIRED = "expired"  # an offer that was not taken in time
    SESSION_CANCELLED = "session_cancelled"


ACTIVE_STATUSES = (
    RegistrationStatus.CONFIRMED.value,
    RegistrationStatus.WAITING.value,
    RegistrationStatus.OFFERED.value,
)
HOLDS_PLACE = (RegistrationStatus.CONFIRMED.value, RegistrationStatus.OFFERED.value)


def _values(enum_type: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in enum_type)


_ACTIVE_SQL = "status IN ('confirmed', 'waiting', 'offered')"


class GroupSession(db.Model):
    __tablename__ = "group_sessions"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_values(SessionKind)})", name="kind_known"),
        CheckConstraint(f"audience IN ({_values(Audience)})", name="audience_known"),
        CheckConstraint(f"status IN ({_values(SessionStatus)})", name="status_known"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("taken >= 0 AND taken <= capacity", name="no_overbooking"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(
            "allowance_cents IS NULL OR allowance_cents >= 0", name="allowance_not_negative"
        ),
        Index("ix_group_sessions_status_starts_at", "status", "starts_at"),
    )

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(20))
    title_nl: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(20), default=Audience.BOTH.value)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    is_online: Mapped[bool] = mapped_column(Boolean, default=False)
    location_name: Mapped[str] = mapped_column(String(200), default="")
    location_address: Mapped[str] = mapped_column(String(300), default="")
    route_nl: Mapped[str] = mapped_column(Text, default="", comment="how to get there")
    route_en: Mapped[str] = mapped_column(Text, default="")
    meeting_link: Mapped[str] = mapped_column(
        String(500), default="", comment="shown to confirmed participants only"
    )
    capacity: Mapped[int] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(
        Integer, default=0, comment="places held: confirmed plus offered registrations"
    )
    signup_deadline: Mapped[datetime | None]
    allowance_cents: Mapped[int | None] = mapped_column(Integer)
    accessibility_nl: Mapped[str] = mapped_column(Text, default="")
    accessibility_en: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    questions: Mapped[list[str]] = mapped_column(
        JSON,
        default=list,
        comment="which needs to ask at sign-up: support, dietary, childcare, interpreter",
    )
    status: Mapped[str] = mapped_column(String(12), default=SessionStatus.DRAFT.value)
    notes: Mapped[str] = mapped_column(Text, default="", comment="after the meeting, scrubbed")
    note_themes: Mapped[list[str]] = mapped_column(
        JSON, default=list, comment="themes the organiser chose for the notes"
    )
    note_coding: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON,
        default=list,
        comment="per paragraph of the notes, computed when they are saved: themes (slug,"
        " confidence, evidence), sentiment, sentiment_score, language",
    )
    needs_purged_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    registrations: Mapped[list[Registration]] = relationship(
        back_populates="session", order_by="Registration.id", cascade="all, delete-orphan"
    )

    def text(self, field: str, locale: str) -> Any:
        value = getattr(self, f"{field}_{locale}", "") if locale != "nl" else ""
        return value or getattr(self, f"{field}_nl")

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.taken, 0)


class Registration(db.Model):
    """A sign-up: a pool member (participant_id) or a guest (own name and contact)."""

    __tablename__ = "group_session_registrations"
    __table_args__ = (
        CheckConstraint(f"status IN ({_values(RegistrationStatus)})", name="status_known"),
        # One active sign-up per person per session, whatever the concurrency.
        Index(
            "uq_registration_active_participant",
            "session_id",
            "participant_id",
            unique=True,
            sqlite_where=text(f"participant_id IS NOT NULL AND {_ACTIVE_SQL}"),
            postgresql_where=text(f"participant_id IS NOT NULL AND {_ACTIVE_SQL}"),
        ),
        Index(
            "uq_registration_active_guest",
            "session_id",
            "guest_email",
            unique=True,
            sqlite_where=text(f"guest_email IS NOT NULL AND {_ACTIVE_SQL}"),
            postgresql_where=text(f"guest_email IS NOT NULL AND {_ACTIVE_SQL}"),
        ),
        Index("ix_registrations_session_status", "session_id", "status", "id"),
    )

    id: Mapped[intpk]
    session_id: Mapped[int] = mapped_column(ForeignKey("group_sessions.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    guest_name: Mapped[str | None] = mapped_column(String(80))
    guest_email: Mapped[str | None] = mapped_column(String(254))
    guest_phone: Mapped[str | None] = mapped_column(String(20))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    status: Mapped[str] = mapped_column(String(20))
    offer_expires_at: Mapped[datetime | None]
    need_support: Mapped[str] = mapped_column(Text, default="")
    need_dietary: Mapped[str] = mapped_column(Text, default="")
    need_childcare: Mapped[str] = mapped_column(Text, default="")
    need_interpreter: Mapped[str] = mapped_column(Text, default="")
    manage_token_hash: Mapped[str] = mapped_column(
        String(64), unique=True, comment="sha256 of the cancel/confirm link token"
    )
    attended: Mapped[bool | None] = mapped_column(Boolean)
    allowance_id: Mapped[int | None] = mapped_column(
        ForeignKey("allowances.id", ondelete="SET NULL"),
        comment="the allowance created when attendance was recorded",
    )
    reminder_sent_at: Mapped[datetime | None]
    created_at: Mapped[created_at]
    changed_at: Mapped[datetime | None]

    session: Mapped[GroupSession] = relationship(back_populates="registrations")
    participant = relationship("Participant")

    @property
    def display_name(self) -> str:
        if self.participant is not None:
            return self.participant.display_name
        return self.guest_name or "—"

    @property
    def email(self) -> str | None:
        return self.participant.email if self.participant is not None else self.guest_email

    @property
    def has_needs(self) -> bool:
        return any(
            (self.need_support, self.need_dietary, self.need_childcare, self.need_interpreter)
        )
