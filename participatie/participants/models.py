"""The experience-expert pool: people who want to take part, their consents and contact data.

Everything here is personal data. None of these tables has a key to survey answers (DESIGN
invariant 4), and deleting a participant deletes every row below that refers to them.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..db import created_at, db, intpk
from ..organisations.models import Municipality


class ParticipantRole(enum.StrEnum):
    PARENT = "parent"  # ouder of verzorger
    YOUNG_PERSON = "young_person"
    FAMILY = "family"  # ander familielid


class AgeBand(enum.StrEnum):
    """Bands split at 16 (guardian consent) and 21 (allowance hour rate)."""

    B12_15 = "12-15"
    B16_17 = "16-17"
    B18_20 = "18-20"
    B21_23 = "21-23"
    B24_34 = "24-34"
    B35_49 = "35-49"
    B50_64 = "50-64"
    B65_PLUS = "65+"

    @property
    def needs_guardian(self) -> bool:
        return self is AgeBand.B12_15

    @property
    def under_21(self) -> bool:
        return self in (AgeBand.B12_15, AgeBand.B16_17, AgeBand.B18_20)


class Status(enum.StrEnum):
    NEW = "new"  # signed up, not yet confirmed
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"


class Interest(enum.StrEnum):
    SURVEYS = "surveys"
    GROUP_CONVERSATIONS = "group_conversations"
    PANELS = "panels"
    TRAINING = "training"  # giving information or training to professionals
    PEER_CONTACT = "peer_contact"


class Availability(enum.StrEnum):
    DAYTIME = "daytime"
    EVENING = "evening"
    WEEKEND = "weekend"
    ONLINE = "online"
    IN_PERSON = "in_person"


class ConsentPurpose(enum.StrEnum):
    POOL = "pool"  # keep my details and approach me for activities (needed to be in the pool)
    SURVEYS = "surveys"  # send me invitations for anonymous surveys
    UPDATES = "updates"  # tell me what was done with what parents and young people said
    SUPPORT_NEEDS = "support_needs"  # keep what I need to be able to take part


class TagKind(enum.StrEnum):
    INTEREST = "interest"
    LANGUAGE = "language"
    AVAILABILITY = "availability"


class TokenPurpose(enum.StrEnum):
    CONFIRM_EMAIL = "confirm_email"
    GUARDIAN = "guardian"
    MANAGE = "manage"  # sign-in link for "Mijn gegevens"
    STAY = "stay"  # "do you want to stay?" after a long quiet period


def _values(enum_type: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in enum_type)


participant_organisations = db.Table(
    "participant_organisations",
    db.Column(
        "participant_id", ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    ),
    db.Column(
        "organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    ),
    comment="which chain organisations a participant has experience with",
)


class Participant(db.Model):
    __tablename__ = "participants"
    __table_args__ = (
        CheckConstraint(f"role IN ({_values(ParticipantRole)})", name="role_known"),
        CheckConstraint(f"age_band IN ({_values(AgeBand)})", name="age_band_known"),
        CheckConstraint(f"status IN ({_values(Status)})", name="status_known"),
        CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="reachable"),
        CheckConstraint(
            "age_band <> '12-15' OR guardian_email IS NOT NULL", name="young_teen_has_guardian"
        ),
        Index("ix_participants_status_last_activity", "status", "last_activity_at"),
    )

    id: Mapped[intpk]
    display_name: Mapped[str] = mapped_column(String(80), comment="first name or nickname")
    email: Mapped[str | None] = mapped_column(String(254), unique=True, comment="lower-case")
    phone: Mapped[str | None] = mapped_column(String(20), comment="normalised, e.g. +31612345678")
    role: Mapped[str] = mapped_column(String(20))
    age_band: Mapped[str] = mapped_column(String(8))
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="SET NULL")
    )
    locale: Mapped[str] = mapped_column(String(5), default="nl", comment="language for e-mails")
    support_needs: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=Status.NEW.value, index=True)
    email_confirmed_at: Mapped[datetime | None]
    confirmed_by_staff_at: Mapped[datetime | None] = mapped_column(
        comment="phone-only sign-ups: an ambassador confirmed by phone"
    )
    guardian_email: Mapped[str | None] = mapped_column(String(254))
    guardian_confirmed_at: Mapped[datetime | None]
    created_at: Mapped[created_at]
    last_activity_at: Mapped[datetime] = mapped_column(default=clock.now)
    stay_asked_at: Mapped[datetime | None] = mapped_column(
        comment="when the 'do you want to stay?' mail went out; cleared by any activity"
    )

    municipality: Mapped[Municipality | None] = relationship(lazy="joined")
    organisations = relationship(
        "Organisation", secondary=participant_organisations, lazy="selectin"
    )
    tags: Mapped[list[ParticipantTag]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", lazy="selectin"
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="participant",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="Consent.id",
    )
    notes: Mapped[list[Note]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", order_by="Note.id.desc()"
    )
    events: Mapped[list[ParticipantEvent]] = relationship(
        back_populates="participant",
        cascade="all, delete-orphan",
        order_by="ParticipantEvent.id.desc()",
    )

    def tag_values(self, kind: TagKind) -> list[str]:
        return sorted(tag.value for tag in self.tags if tag.kind == kind.value)

    @property
    def interests(self) -> list[str]:
        return self.tag_values(TagKind.INTEREST)

    @property
    def languages(self) -> list[str]:
        return self.tag_values(TagKind.LANGUAGE)

    @property
    def availability(self) -> list[str]:
        return self.tag_values(TagKind.AVAILABILITY)

    def has_consent(self, purpose: ConsentPurpose | str) -> bool:
        return any(
            consent.purpose == str(purpose) and consent.withdrawn_at is None
            for consent in self.consents
        )

    @property
    def active_consents(self) -> list[str]:
        return sorted({c.purpose for c in self.consents if c.withdrawn_at is None})

    @property
    def needs_guardian(self) -> bool:
        return AgeBand(self.age_band).needs_guardian

    @property
    def is_confirmed(self) -> bool:
        own = self.email_confirmed_at is not None or self.confirmed_by_staff_at is not None
        guardian = not self.needs_guardian or self.guardian_confirmed_at is not None
        return own and guardian


class ParticipantTag(db.Model):
    """Interests, languages and availability: one row per value, so the pool can be filtered."""

    __tablename__ = "participant_tags"
    __table_args__ = (
        UniqueConstraint("participant_id", "kind", "value"),
        CheckConstraint(f"kind IN ({_values(TagKind)})", name="kind_known"),
        Index("ix_participant_tags_kind_value", "kind", "value"),
    )

    id: Mapped[intpk]
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(40))

    participant: Mapped[Participant] = relationship(back_populates="tags")


class Consent(db.Model):
    """One row per grant; withdrawing sets `withdrawn_at`, so the history stays visible."""

    __tablename__ = "participant_consents"
    __table_args__ = (
        CheckConstraint(f"purpose IN ({_values(ConsentPurpose)})", name="purpose_known"),
        CheckConstraint(
            "withdrawn_at IS NULL OR withdrawn_at >= granted_at", name="withdrawn_after_granted"
        ),
    )

    id: Mapped[intpk]
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(20))
    granted_at: Mapped[datetime] = mapped_column(default=clock.now)
    withdrawn_at: Mapped[datetime | None]
    granted_by_guardian: Mapped[bool] = mapped_column(Boolean, default=False)

    participant: Mapped[Participant] = relationship(back_populates="consents")


class ParticipantToken(db.Model):
    """Single-use links sent by e-mail. Only a hash of the token is stored."""

    __tablename__ = "participant_tokens"
    __table_args__ = (
        CheckConstraint(f"purpose IN ({_values(TokenPurpose)})", name="purpose_known"),
    )

    id: Mapped[intpk]
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, comment="sha256 of the token")
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[created_at]


class Note(db.Model):
    """Internal notes by ambassadors. Personal data: exported to and deleted with the person."""

    __tablename__ = "participant_notes"

    id: Mapped[intpk]
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[created_at]

    participant: Mapped[Participant] = relationship(back_populates="notes")
    author = relationship("User", lazy="joined")


class ParticipantEvent(db.Model):
    """The participant's history: signed up, confirmed, invited, paused, allowance, …"""

    __tablename__ = "participant_events"

    id: Mapped[intpk]
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    occurred_at: Mapped[datetime] = mapped_column(default=clock.now)
    kind: Mapped[str] = mapped_column(String(40), comment="e.g. signed_up, consent_withdrawn")
    detail: Mapped[str] = mapped_column(String(200), default="", comment="no free text by others")

    participant: Mapped[Participant] = relationship(back_populates="events")
