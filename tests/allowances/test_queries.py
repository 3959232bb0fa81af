"""The yearly overview: totals per participant, marks for passed limits, anonymised rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from participatie.allowances.operations import detach_for_deletion, mark_paid, register_allowance
from participatie.allowances.queries import (
    allowances_for,
    allowances_in_year,
    year_overview,
    years_with_allowances,
)
from participatie.db import db
from participatie.participants.models import Participant


def _person(create_participant: Callable[..., int], **kwargs: object) -> Participant:
    participant = db.session.get(Participant, create_participant(**kwargs))
    assert participant is not None
    return participant


def _add(participant: Participant, day: date, minutes: int, cents: int, paid: bool = False):  # type: ignore[no-untyped-def]
    allowance, _ = register_allowance(None, participant, "Panel", day, minutes, cents, paid=paid)  # type: ignore[arg-type]
    return allowance


def test_year_overview_totals_and_limit_marks(ctx: None, create_participant) -> None:
    anna = _person(create_participant, display_name="Anna", age_band="35-49")
    bram = _person(create_participant, display_name="bram", age_band="18-20")
    carla = _person(create_participant, display_name="Carla", age_band="35-49")
    _add(anna, date(2025, 1, 10), 120, 1000, paid=True)
    _add(anna, date(2025, 2, 10), 90, 840)
    _add(anna, date(2024, 12, 31), 60, 99999)  # another year: not in the 2025 overview
    _add(bram, date(2025, 3, 1), 60, 400)  # €4 an hour, under 21: over the hour limit
    for month in range(1, 12):  # €2,200 in 2025: over the year limit, no month over
        _add(carla, date(2025, month, 5), 40 * 60, 20000)
    db.session.commit()

    overview = year_overview(2025)

    assert [row.display_name for row in overview.rows] == ["Anna", "bram", "Carla"]
    a, b, c = overview.rows
    assert (a.participant_id, a.count, a.minutes) == (anna.id, 2, 210)
    assert (a.total_cents, a.paid_cents, a.unpaid_cents) == (1840, 1000, 840)
    assert a.over_limits == set() and not a.over_limit
    assert b.over_limits == {"hour"}
    assert c.over_limits == {"year"} and c.total_cents == 220000
    assert overview.anonymised is None
    assert overview.total_cents == 1840 + 400 + 220000
    assert overview.unpaid_cents == 840 + 400 + 220000


def test_month_over_limit_is_marked(ctx: None, create_participant) -> None:
    dirk = _person(create_participant, age_band="35-49")
    _add(dirk, date(2025, 6, 1), 40 * 60, 20000)
    _add(dirk, date(2025, 6, 30), 120, 1001)
    db.session.commit()
    assert year_overview(2025).rows[0].over_limits == {"month"}


def test_anonymised_allowances_form_one_unmarked_row(ctx: None, create_participant) -> None:
    eva = _person(create_participant, age_band="35-49")
    fien = _person(create_participant, age_band="35-49")
    paid = _add(eva, date(2025, 5, 1), 60, 99999)
    _add(fien, date(2025, 5, 2), 60, 500)
    mark_paid(None, paid, True)  # type: ignore[arg-type]
    detach_for_deletion(eva.id)
    detach_for_deletion(fien.id)
    db.session.commit()

    overview = year_overview(2025)

    assert overview.rows == []
    assert overview.anonymised is not None
    assert (overview.anonymised.count, overview.anonymised.total_cents) == (2, 100499)
    assert (overview.anonymised.paid_cents, overview.anonymised.unpaid_cents) == (99999, 500)
    assert overview.anonymised.over_limits == set()


def test_year_filters_and_years_list(ctx: None, create_participant) -> None:
    gijs = _person(create_participant, age_band="35-49")
    _add(gijs, date(2025, 12, 31), 60, 100)
    _add(gijs, date(2026, 1, 1), 60, 200)
    _add(gijs, date(2023, 7, 1), 60, 300)
    db.session.commit()
    assert [a.amount_cents for a in allowances_for(gijs.id)] == [300, 100, 200]
    assert [a.amount_cents for a in allowances_for(gijs.id, 2026)] == [200]
    assert [a.amount_cents for a in allowances_in_year(2025)] == [100]
    assert years_with_allowances() == [2023, 2025, 2026]
