"""Volunteer allowances (vrijwilligersvergoeding) paid to pool members for taking part."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import created_at, db, intpk


class Allowance(db.Model):
    """One allowance for one activity.

    When the participant is deleted, the row either goes too or stays as an anonymous financial
    record (participant_id NULL), as ALLOWANCE_ON_DELETE says.
    """

    __tablename__ = "allowances"
    __table_args__ = (
        CheckConstraint("minutes >= 0", name="minutes_not_negative"),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
        Index("ix_allowances_participant_date", "participant_id", "activity_date"),
    )

    id: Mapped[intpk]
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    activity: Mapped[str] = mapped_column(String(200), comment="e.g. 'Panel jeugdbescherming'")
    activity_date: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer, comment="time spent, for the hourly limit")
    amount_cents: Mapped[int] = mapped_column(Integer)
    under_21: Mapped[bool] = mapped_column(
        Boolean, comment="age at the activity decides the hourly limit"
    )
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    paid_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime | None]

    participant = relationship("Participant")

    @property
    def amount(self) -> Decimal:
        """The amount in euros; a Decimal, so sums and formatting never show float noise."""
        return Decimal(self.amount_cents) / 100

    @property
    def hours(self) -> Decimal:
        """The time spent in hours, to two decimals (90 minutes is 1.50)."""
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"))
