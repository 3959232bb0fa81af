"""Reading allowances: per participant, and the yearly overview for the finance department."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import extract, select
from sqlalchemy.orm import selectinload

from ..db import db
from .models import Allowance
from .operations import limits_for


def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def allowances_for(participant_id: int, year: int | None = None) -> list[Allowance]:
    query = select(Allowance).where(Allowance.participant_id == participant_id)
    if year is not None:
        start, end = _year_range(year)
        query = query.where(Allowance.activity_date >= start, Allowance.activity_date < end)
    return list(db.session.scalars(query.order_by(Allowance.activity_date, Allowance.id)))


def allowances_in_year(year: int) -> list[Allowance]:
    """Every allowance of `year`, anonymised ones included, by date; with the participant loaded."""
    start, end = _year_range(year)
    query = (
        select(Allowance)
        .where(Allowance.activity_date >= start, Allowance.activity_date < end)
        .options(selectinload(Allowance.participant))
        .order_by(Allowance.activity_date, Allowance.id)
    )
    return list(db.session.scalars(query))


def years_with_allowances() -> list[int]:
    query = select(extract("year", Allowance.activity_date)).distinct()
    return sorted({int(year) for year in db.session.scalars(query) if year is not None})


@dataclass
class YearTotals:
    """One row of the yearly overview: one participant, or all anonymised allowances together."""

    participant_id: int | None
    display_name: str | None
    count: int = 0
    minutes: int = 0
    total_cents: int = 0
    paid_cents: int = 0
    unpaid_cents: int = 0
    over_limits: set[str] = field(default_factory=set)  # "hour", "month", "year"
    _months: dict[int, int] = field(default_factory=lambda: defaultdict(int), repr=False)

    @property
    def total(self) -> Decimal:
        return Decimal(self.total_cents) / 100

    @property
    def paid(self) -> Decimal:
        return Decimal(self.paid_cents) / 100

    @property
    def unpaid(self) -> Decimal:
        return Decimal(self.unpaid_cents) / 100

    @property
    def over_limit(self) -> bool:
        return bool(self.over_limits)


@dataclass
class YearOverview:
    year: int
    rows: list[YearTotals]  # participants by name
    anonymised: YearTotals | None  # allowances of deleted participants, if any

    @property
    def total_cents(self) -> int:
        rows = self.rows + ([self.anonymised] if self.anonymised else [])
        return sum(row.total_cents for row in rows)

    @property
    def unpaid_cents(self) -> int:
        rows = self.rows + ([self.anonymised] if self.anonymised else [])
        return sum(row.unpaid_cents for row in rows)


def _add(row: YearTotals, allowance: Allowance) -> None:
    row.count += 1
    row.minutes += allowance.minutes
    row.total_cents += allowance.amount_cents
    if allowance.paid:
        row.paid_cents += allowance.amount_cents
    else:
        row.unpaid_cents += allowance.amount_cents
    row._months[allowance.activity_date.month] += allowance.amount_cents


def year_overview(year: int, allowances: list[Allowance] | None = None) -> YearOverview:
    """Totals per participant for `year` and which limits each passed.

    Limits are only judged for a known person: the anonymised row mixes several people, so it
    never gets a mark. Pass `allowances` (those of `allowances_in_year(year)`) to save a query.
    """
    limits = limits_for(year)
    per_person: dict[int, YearTotals] = {}
    anonymised: YearTotals | None = None
    if allowances is None:
        allowances = allowances_in_year(year)
    for allowance in allowances:
        if allowance.participant_id is None:
            if anonymised is None:
                anonymised = YearTotals(participant_id=None, display_name=None)
            _add(anonymised, allowance)
            continue
        row = per_person.get(allowance.participant_id)
        if row is None:
            participant = allowance.participant
            row = per_person[allowance.participant_id] = YearTotals(
                participant_id=allowance.participant_id,
                display_name=participant.display_name if participant else None,
            )
        _add(row, allowance)
        if allowance.amount_cents * 60 > limits.hour_cents(allowance.under_21) * allowance.minutes:
            row.over_limits.add("hour")
    for row in per_person.values():
        if any(total > limits.month_cents for total in row._months.values()):
            row.over_limits.add("month")
        if row.total_cents > limits.year_cents:
            row.over_limits.add("year")
    rows = sorted(
        per_person.values(),
        key=lambda row: ((row.display_name or "").casefold(), row.participant_id or 0),
    )
    return YearOverview(year=year, rows=rows, anonymised=anonymised)
