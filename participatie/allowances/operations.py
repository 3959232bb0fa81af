"""Registering allowances and checking them against the Dutch volunteer-allowance limits.

Limits per calendar year (ALLOWANCE_LIMITS) default to the tax rules for 2025: at most €5.60 an
hour from age 21 and €3.30 under 21, €210 a month and €2,100 a year. Amounts of the same year add
up. Passing a limit makes the whole allowance taxable, so the form warns before registering.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import delete, func, select, update

from .. import clock
from ..audit.operations import record
from ..db import db
from .models import Allowance

if TYPE_CHECKING:
    from ..auth.models import User
    from ..participants.models import Participant

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    hour_cents_21_plus: int
    hour_cents_under_21: int
    month_cents: int
    year_cents: int

    def hour_cents(self, under_21: bool) -> int:
        return self.hour_cents_under_21 if under_21 else self.hour_cents_21_plus


def _cents(euros: object) -> int:
    # Through str() and Decimal, so 5.6 from a config file becomes exactly 560 cents.
    return int((Decimal(str(euros)) * 100).to_integral_value())


def limits_for(year: int) -> Limits:
    """The configured limits for `year`, or those of the nearest earlier configured year.

    A year before the first configured one uses that first year. Keys may be ints or strings
    (an instance config file may use either).
    """
    table: dict[Any, dict[str, Any]] = current_app.config["ALLOWANCE_LIMITS"]
    by_year = {int(key): values for key, values in table.items()}
    known = sorted(by_year)
    chosen = max((y for y in known if y <= year), default=known[0])
    values = by_year[chosen]
    return Limits(
        hour_cents_21_plus=_cents(values["hour_21_plus"]),
        hour_cents_under_21=_cents(values["hour_under_21"]),
        month_cents=_cents(values["month"]),
        year_cents=_cents(values["year"]),
    )


@dataclass(frozen=True)
class LimitWarning:
    kind: str  # "hour", "month" or "year"
    limit_cents: int
    total_cents: int  # the hourly rate for "hour", else the total including this payment


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First day of the month and first day of the next one."""
    start = date(year, month, 1)
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return start, end


def _sum(
    participant_id: int, year: int, month: int | None = None, exclude_id: int | None = None
) -> int:
    # Date ranges rather than extract(): the (participant_id, activity_date) index serves them.
    if month is None:
        start, end = date(year, 1, 1), date(year + 1, 1, 1)
    else:
        start, end = month_bounds(year, month)
    query = select(func.coalesce(func.sum(Allowance.amount_cents), 0)).where(
        Allowance.participant_id == participant_id,
        Allowance.activity_date >= start,
        Allowance.activity_date < end,
    )
    if exclude_id is not None:
        query = query.where(Allowance.id != exclude_id)
    return int(db.session.scalar(query) or 0)


def hour_rate_cents(amount_cents: int, minutes: int) -> int:
    """The rate per hour in cents, rounded up so a rate just over a limit never shows as equal."""
    return -(-amount_cents * 60 // minutes)


def check_limits(
    participant_id: int,
    activity_date: date,
    minutes: int,
    amount_cents: int,
    under_21: bool,
    exclude_id: int | None = None,
) -> list[LimitWarning]:
    """Which limits this payment would pass, given what the person already got that year.

    Exactly at a limit is allowed; one cent over is not. The hourly rate is compared exactly
    (amount × 60 against limit × minutes), not after rounding.
    """
    limits = limits_for(activity_date.year)
    warnings = []
    hour_limit = limits.hour_cents(under_21)
    if minutes > 0:
        if amount_cents * 60 > hour_limit * minutes:
            warnings.append(
                LimitWarning("hour", hour_limit, hour_rate_cents(amount_cents, minutes))
            )
    elif amount_cents > 0:
        warnings.append(LimitWarning("hour", hour_limit, amount_cents))
    month_total = (
        _sum(participant_id, activity_date.year, activity_date.month, exclude_id) + amount_cents
    )
    if month_total > limits.month_cents:
        warnings.append(LimitWarning("month", limits.month_cents, month_total))
    year_total = _sum(participant_id, activity_date.year, None, exclude_id) + amount_cents
    if year_total > limits.year_cents:
        warnings.append(LimitWarning("year", limits.year_cents, year_total))
    return warnings


def register_allowance(
    actor: User,
    participant: Participant,
    activity: str,
    activity_date: date,
    minutes: int,
    amount_cents: int,
    paid: bool = False,
) -> tuple[Allowance, list[LimitWarning]]:
    """Register an allowance and return it with the limits it passes (the caller asked first).

    Raises ValueError for negative minutes or amounts or an empty activity; the limits never
    stop a registration, they are the caller's to show.
    """
    from ..participants.models import AgeBand
    from ..participants.operations import log_event, touch

    if minutes < 0 or amount_cents < 0:
        raise ValueError("minutes and amount must not be negative")
    if not activity.strip():
        raise ValueError("activity is required")
    under_21 = AgeBand(participant.age_band).under_21
    warnings = check_limits(participant.id, activity_date, minutes, amount_cents, under_21)
    allowance = Allowance(
        participant_id=participant.id,
        activity=activity.strip()[:200],
        activity_date=activity_date,
        minutes=minutes,
        amount_cents=amount_cents,
        under_21=under_21,
        paid=paid,
        paid_on=clock.today() if paid else None,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(allowance)
    log_event(participant, "allowance", f"{activity_date.isoformat()} {amount_cents / 100:.2f}")
    touch(participant)
    db.session.flush()
    record(
        actor,
        "allowance.create",
        "allowance",
        allowance.id,
        participant_id=participant.id,
        over_limit=[w.kind for w in warnings],
    )
    logger.info("allowance registered id=%s warnings=%s", allowance.id, len(warnings))
    return allowance, warnings


def mark_paid(actor: User, allowance: Allowance, paid: bool = True) -> None:
    """Mark an allowance paid (today) or not paid. Marking it again as it is changes nothing,
    so the first payment date stays."""
    if allowance.paid == paid:
        return
    allowance.paid = paid
    allowance.paid_on = clock.today() if paid else None
    allowance.updated_at = clock.now()
    record(actor, "allowance.paid" if paid else "allowance.unpaid", "allowance", allowance.id)
    db.session.flush()
    logger.info("allowance id=%s paid=%s", allowance.id, paid)


def detach_for_deletion(participant_id: int) -> None:
    """Before a participant is deleted: keep allowances as anonymous financial records or
    delete them, as ALLOWANCE_ON_DELETE ("anonymise" or "delete") says."""
    if current_app.config["ALLOWANCE_ON_DELETE"] == "delete":
        result = db.session.execute(
            delete(Allowance).where(Allowance.participant_id == participant_id)
        )
    else:
        # The activity text may name the person or the family; date and amount stay.
        result = db.session.execute(
            update(Allowance)
            .where(Allowance.participant_id == participant_id)
            .values(participant_id=None, activity="—")
        )
    logger.info(
        "allowances detached for deletion: %s rows, mode=%s",
        getattr(result, "rowcount", None),
        current_app.config["ALLOWANCE_ON_DELETE"],
    )
