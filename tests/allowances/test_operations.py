"""Allowance limits at their boundaries (hour rate by age, month, year), configurable per year,
and registering, paying and detaching allowances."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from participatie import clock
from participatie.allowances.models import Allowance
from participatie.allowances.operations import (
    Limits,
    check_limits,
    detach_for_deletion,
    limits_for,
    mark_paid,
    register_allowance,
)
from participatie.audit.models import AuditEvent
from participatie.auth.models import User
from participatie.config import Defaults
from participatie.db import db
from participatie.participants.models import Participant, ParticipantEvent

# 2025 is the shipped default; 2027 is an invented later year with other limits.
LIMITS_2027 = {"hour_21_plus": 6.00, "hour_under_21": 3.50, "month": 250, "year": 2500}


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"ALLOWANCE_LIMITS": {**Defaults.ALLOWANCE_LIMITS, 2027: LIMITS_2027}}


ADULT = "35-49"
UNDER_21 = "18-20"


@pytest.fixture
def person(
    app: Flask, create_participant: Callable[..., int], ctx: None
) -> Callable[..., Participant]:
    def factory(age_band: str = ADULT) -> Participant:
        participant = db.session.get(Participant, create_participant(age_band=age_band))
        assert participant is not None
        return participant

    return factory


@pytest.fixture
def actor(create_user: Callable[..., Any], ctx: None) -> User:
    user = db.session.get(User, create_user("ambassadeur").id)
    assert user is not None
    return user


def register(
    actor: User, participant: Participant, day: date, minutes: int, cents: int, **kw: Any
) -> Allowance:
    allowance, _ = register_allowance(actor, participant, "Panelgesprek", day, minutes, cents, **kw)
    return allowance


def kinds(participant: Participant, day: date, minutes: int, cents: int) -> list[str]:
    under_21 = participant.age_band == UNDER_21
    return [w.kind for w in check_limits(participant.id, day, minutes, cents, under_21)]


def test_shipped_defaults_are_the_2025_tax_rules() -> None:
    assert Defaults.ALLOWANCE_LIMITS[2025] == {
        "hour_21_plus": 5.60,
        "hour_under_21": 3.30,
        "month": 210,
        "year": 2100,
    }


def test_limits_for_2025_in_cents(ctx: None) -> None:
    assert limits_for(2025) == Limits(
        hour_cents_21_plus=560, hour_cents_under_21=330, month_cents=21000, year_cents=210000
    )


# --- hour rate by age --------------------------------------------------------------------------


def test_hour_rate_exactly_at_limit_from_21_is_allowed(person) -> None:
    adult = person(ADULT)
    assert kinds(adult, date(2025, 3, 1), 60, 560) == []
    assert kinds(adult, date(2025, 3, 1), 90, 840) == []  # 1.5 hours × €5.60


def test_hour_rate_one_cent_over_limit_from_21_warns(person) -> None:
    adult = person(ADULT)
    warnings = check_limits(adult.id, date(2025, 3, 1), 60, 561, under_21=False)
    assert [(w.kind, w.limit_cents, w.total_cents) for w in warnings] == [("hour", 560, 561)]


def test_hour_rate_is_compared_exactly_not_after_rounding(person) -> None:
    adult = person(ADULT)
    # €4.67 for 50 minutes is €5.604 an hour: rounded it would look like exactly €5.60.
    warnings = check_limits(adult.id, date(2025, 3, 1), 50, 467, under_21=False)
    assert [(w.kind, w.total_cents) for w in warnings] == [("hour", 561)]
    # €8.41 for 1.5 hours is €5.607 an hour.
    assert kinds(adult, date(2025, 3, 1), 90, 841) == ["hour"]


def test_hour_rate_under_21_exactly_at_limit_is_allowed_and_above_warns(person) -> None:
    young = person(UNDER_21)
    assert kinds(young, date(2025, 3, 1), 60, 330) == []
    assert kinds(young, date(2025, 3, 1), 120, 660) == []
    warnings = check_limits(young.id, date(2025, 3, 1), 60, 331, under_21=True)
    assert [(w.kind, w.limit_cents, w.total_cents) for w in warnings] == [("hour", 330, 331)]


def test_adult_rate_is_too_much_for_someone_under_21(person) -> None:
    young = person(UNDER_21)
    assert kinds(young, date(2025, 3, 1), 60, 560) == ["hour"]


def test_amount_without_time_always_passes_the_hour_limit(person) -> None:
    assert kinds(person(ADULT), date(2025, 3, 1), 0, 100) == ["hour"]


# --- month -------------------------------------------------------------------------------------


def test_month_total_exactly_at_limit_is_allowed(person, actor) -> None:
    adult = person(ADULT)
    register(actor, adult, date(2025, 3, 3), 40 * 60, 20000)
    # €10 more for 2 hours: €210.00 in March.
    assert kinds(adult, date(2025, 3, 31), 120, 1000) == []


def test_month_total_one_cent_over_limit_warns(person, actor) -> None:
    adult = person(ADULT)
    register(actor, adult, date(2025, 3, 3), 40 * 60, 20000)
    warnings = check_limits(adult.id, date(2025, 3, 31), 120, 1001, under_21=False)
    assert [(w.kind, w.limit_cents, w.total_cents) for w in warnings] == [("month", 21000, 21001)]


def test_amounts_in_other_months_do_not_count_for_the_month(person, actor) -> None:
    adult = person(ADULT)
    register(actor, adult, date(2025, 2, 28), 40 * 60, 20000)
    register(actor, adult, date(2025, 4, 1), 40 * 60, 20000)
    assert kinds(adult, date(2025, 3, 15), 40 * 60, 21000) == []


def test_amounts_of_other_people_do_not_count(person, actor) -> None:
    adult, other = person(ADULT), person(ADULT)
    register(actor, other, date(2025, 3, 3), 40 * 60, 20000)
    assert kinds(adult, date(2025, 3, 15), 40 * 60, 21000) == []


# --- year --------------------------------------------------------------------------------------


def test_year_total_exactly_at_limit_is_allowed(person, actor) -> None:
    adult = person(ADULT)
    for month in range(1, 10):
        register(actor, adult, date(2025, month, 10), 40 * 60, 21000)
    # Nine full months (€1,890) and €210 in December make exactly €2,100.
    assert kinds(adult, date(2025, 12, 31), 40 * 60, 21000) == []


def test_year_total_over_limit_warns_even_when_the_month_is_fine(person, actor) -> None:
    adult = person(ADULT)
    for month in range(1, 11):
        register(actor, adult, date(2025, month, 10), 40 * 60, 21000)
    warnings = check_limits(adult.id, date(2025, 11, 5), 60, 1, under_21=False)
    assert [(w.kind, w.limit_cents, w.total_cents) for w in warnings] == [("year", 210000, 210001)]


def test_amounts_in_other_years_do_not_count(person, actor) -> None:
    adult = person(ADULT)
    for month in range(1, 13):
        register(actor, adult, date(2024, month, 28), 40 * 60, 21000)
    register(actor, adult, date(2026, 1, 1), 40 * 60, 21000)
    assert kinds(adult, date(2025, 1, 1), 40 * 60, 21000) == []
    assert kinds(adult, date(2025, 12, 31), 40 * 60, 21000) == []


def test_month_and_year_can_both_be_passed(person, actor) -> None:
    adult = person(ADULT)
    for month in range(1, 11):
        register(actor, adult, date(2025, month, 10), 40 * 60, 21000)
    assert kinds(adult, date(2025, 10, 20), 60 * 60, 5000) == ["month", "year"]


def test_excluding_a_row_leaves_it_out_of_the_totals(person, actor) -> None:
    adult = person(ADULT)
    existing = register(actor, adult, date(2025, 3, 3), 40 * 60, 21000)
    assert kinds(adult, date(2025, 3, 4), 60, 1) == ["month"]
    assert (
        check_limits(adult.id, date(2025, 3, 4), 60, 1, under_21=False, exclude_id=existing.id)
        == []
    )


# --- configurable limits -----------------------------------------------------------------------


def test_configured_year_uses_its_own_limits(person, actor) -> None:
    adult, young = person(ADULT), person(UNDER_21)
    assert limits_for(2027) == Limits(600, 350, 25000, 250000)
    assert kinds(adult, date(2027, 5, 1), 60, 600) == []
    assert kinds(adult, date(2027, 5, 1), 60, 601) == ["hour"]
    assert kinds(young, date(2027, 5, 1), 60, 350) == []
    assert kinds(young, date(2027, 5, 1), 60, 351) == ["hour"]
    register(actor, adult, date(2027, 5, 2), 50 * 60, 24000)
    assert kinds(adult, date(2027, 5, 3), 120, 1000) == []  # €250 in May 2027 is allowed
    assert kinds(adult, date(2027, 5, 3), 120, 1001) == ["month"]


def test_year_not_configured_uses_nearest_earlier_year(ctx: None) -> None:
    assert limits_for(2026) == limits_for(2025)
    assert limits_for(2028) == limits_for(2027)
    assert limits_for(2040) == limits_for(2027)
    # Before the first configured year there is nothing earlier: the first one applies.
    assert limits_for(2020) == limits_for(2025)


def test_unconfigured_year_warns_by_the_earlier_limits(person) -> None:
    adult = person(ADULT)
    assert kinds(adult, date(2026, 6, 1), 60, 560) == []
    assert kinds(adult, date(2026, 6, 1), 60, 561) == ["hour"]
    assert kinds(adult, date(2028, 6, 1), 60, 600) == []


def test_limits_accept_string_years_and_decimal_strings(app: Flask, ctx: None) -> None:
    app.config["ALLOWANCE_LIMITS"] = {
        "2025": {"hour_21_plus": "5.60", "hour_under_21": "3.30", "month": "210", "year": "2100"},
        "2030": {"hour_21_plus": 7.1, "hour_under_21": 4, "month": 300, "year": 3000.5},
    }
    assert limits_for(2029) == Limits(560, 330, 21000, 210000)
    assert limits_for(2031) == Limits(710, 400, 30000, 300050)


# --- registering, paying, deleting -------------------------------------------------------------


def test_register_allowance_stores_age_group_history_and_audit(person, actor) -> None:
    young = person(UNDER_21)
    allowance, warnings = register_allowance(
        actor, young, "  Panel jongeren  ", date(2025, 4, 2), 90, 600
    )
    db.session.commit()
    assert [w.kind for w in warnings] == ["hour"]  # €4.00 an hour, above €3.30
    stored = db.session.get(Allowance, allowance.id)
    assert stored is not None
    assert (stored.activity, stored.minutes, stored.amount_cents) == ("Panel jongeren", 90, 600)
    assert stored.under_21 is True
    assert stored.paid is False and stored.paid_on is None
    assert stored.created_by_id == actor.id
    assert str(stored.amount) == "6" and str(stored.hours) == "1.50"
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "allowance.create", AuditEvent.object_id == str(allowance.id)
        )
    )
    assert event is not None
    assert event.details == {"participant_id": young.id, "over_limit": ["hour"]}
    history = db.session.scalars(
        select(ParticipantEvent.kind).where(ParticipantEvent.participant_id == young.id)
    ).all()
    assert "allowance" in history


def test_register_paid_sets_payment_date(person, actor) -> None:
    with clock.frozen_at(datetime(2025, 5, 6, 10, tzinfo=UTC)):
        allowance = register(actor, person(ADULT), date(2025, 5, 1), 60, 500, paid=True)
    assert allowance.paid is True
    assert allowance.paid_on == date(2025, 5, 6)


def test_register_refuses_negative_amounts(person, actor) -> None:
    with pytest.raises(ValueError):
        register(actor, person(ADULT), date(2025, 5, 1), 60, -1)


def test_mark_paid_and_back_keeps_first_payment_date(person, actor) -> None:
    allowance = register(actor, person(ADULT), date(2025, 5, 1), 60, 500)
    with clock.frozen_at(datetime(2025, 5, 10, 9, tzinfo=UTC)):
        mark_paid(actor, allowance, True)
    with clock.frozen_at(datetime(2025, 5, 20, 9, tzinfo=UTC)):
        mark_paid(actor, allowance, True)  # again: nothing changes
    assert allowance.paid is True and allowance.paid_on == date(2025, 5, 10)
    mark_paid(actor, allowance, False)
    assert allowance.paid is False and allowance.paid_on is None
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_type == "allowance", AuditEvent.object_id == str(allowance.id))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["allowance.create", "allowance.paid", "allowance.unpaid"]


def test_detach_anonymises_by_default(app: Flask, person, actor) -> None:
    adult, other = person(ADULT), person(ADULT)
    mine = register(actor, adult, date(2025, 5, 1), 60, 500).id
    theirs = register(actor, other, date(2025, 5, 1), 60, 500).id
    db.session.commit()
    assert app.config["ALLOWANCE_ON_DELETE"] == "anonymise"
    detach_for_deletion(adult.id)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Allowance, mine)
    assert kept is not None
    assert kept.participant_id is None and kept.activity == "—"
    assert (kept.activity_date, kept.amount_cents) == (date(2025, 5, 1), 500)
    assert db.session.get(Allowance, theirs).participant_id == other.id


def test_detach_deletes_when_configured(app: Flask, person, actor) -> None:
    adult = person(ADULT)
    mine = register(actor, adult, date(2025, 5, 1), 60, 500).id
    db.session.commit()
    app.config["ALLOWANCE_ON_DELETE"] = "delete"
    detach_for_deletion(adult.id)
    db.session.commit()
    assert db.session.get(Allowance, mine) is None


def test_deleting_a_participant_keeps_an_anonymous_allowance(person, actor) -> None:
    from participatie.participants.operations import delete_participant

    adult = person(ADULT)
    allowance_id = register(actor, adult, date(2025, 5, 1), 60, 500).id
    db.session.commit()
    delete_participant(adult, actor=actor)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(Allowance, allowance_id)
    assert kept is not None and kept.participant_id is None
