"""Reading the pool: the ambassadors' overview with filters, sorting and pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, exists, func, or_, select

from .. import clock
from ..db import db
from .models import (
    Consent,
    ConsentPurpose,
    Participant,
    ParticipantTag,
    Status,
    TagKind,
    participant_organisations,
)

SORTS = {
    "name": Participant.display_name,
    "created": Participant.created_at,
    "activity": Participant.last_activity_at,
    "status": Participant.status,
}
PER_PAGE = 25
LAST_ACTIVITY_WINDOWS = {"3m": 91, "12m": 365, "older": None}


@dataclass
class PoolFilter:
    search: str = ""
    role: str = ""
    age_band: str = ""
    municipality_id: int | None = None
    organisation_id: int | None = None
    interest: str = ""
    language: str = ""
    availability: str = ""
    status: str = ""
    last_activity: str = ""  # "3m", "12m" or "older" (than 12 months)
    consent: str = ""  # only people with this active consent
    sort: str = "name"
    descending: bool = False
    page: int = 1
    extra: dict[str, str] = field(default_factory=dict)


def _has_tag(kind: TagKind, value: str):  # type: ignore[no-untyped-def]
    return exists().where(
        ParticipantTag.participant_id == Participant.id,
        ParticipantTag.kind == kind.value,
        ParticipantTag.value == value,
    )


def has_active_consent(purpose: str):  # type: ignore[no-untyped-def]
    return exists().where(
        Consent.participant_id == Participant.id,
        Consent.purpose == purpose,
        Consent.withdrawn_at.is_(None),
    )


def filtered(criteria: PoolFilter, now: datetime | None = None) -> Select[tuple[Participant]]:
    now = now or clock.now()
    query = select(Participant)
    if criteria.search:
        pattern = f"%{criteria.search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Participant.display_name).like(pattern),
                func.lower(func.coalesce(Participant.email, "")).like(pattern),
                func.coalesce(Participant.phone, "").like(pattern.replace(" ", "")),
            )
        )
    if criteria.role:
        query = query.where(Participant.role == criteria.role)
    if criteria.age_band:
        query = query.where(Participant.age_band == criteria.age_band)
    if criteria.municipality_id:
        query = query.where(Participant.municipality_id == criteria.municipality_id)
    if criteria.organisation_id:
        query = query.where(
            exists().where(
                participant_organisations.c.participant_id == Participant.id,
                participant_organisations.c.organisation_id == criteria.organisation_id,
            )
        )
    if criteria.interest:
        query = query.where(_has_tag(TagKind.INTEREST, criteria.interest))
    if criteria.language:
        query = query.where(_has_tag(TagKind.LANGUAGE, criteria.language))
    if criteria.availability:
        query = query.where(_has_tag(TagKind.AVAILABILITY, criteria.availability))
    if criteria.status:
        query = query.where(Participant.status == criteria.status)
    if criteria.consent:
        query = query.where(has_active_consent(criteria.consent))
    if criteria.last_activity in ("3m", "12m"):
        days = LAST_ACTIVITY_WINDOWS[criteria.last_activity] or 0
        query = query.where(Participant.last_activity_at >= now - timedelta(days=days))
    elif criteria.last_activity == "older":
        query = query.where(Participant.last_activity_at < now - timedelta(days=365))
    return query


def count(criteria: PoolFilter) -> int:
    return db.session.scalar(select(func.count()).select_from(filtered(criteria).subquery())) or 0


def search(criteria: PoolFilter) -> tuple[list[Participant], int]:
    query = filtered(criteria)
    total = count(criteria)
    column = SORTS.get(criteria.sort, Participant.display_name)
    order = column.desc() if criteria.descending else column.asc()
    page = max(criteria.page, 1)
    rows = db.session.scalars(
        query.order_by(order, Participant.id).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    )
    return list(rows), total


def invitable(criteria: PoolFilter, purpose: ConsentPurpose) -> list[Participant]:
    """Who may be invited to an activity: active, reachable, with the consent it needs.

    Survey waves ask for `surveys`; group sessions and panels for `pool`.
    """
    query = filtered(criteria).where(
        and_(Participant.status == Status.ACTIVE.value, has_active_consent(purpose.value))
    )
    return list(db.session.scalars(query.order_by(Participant.id)))


def counts_by_status() -> dict[str, int]:
    rows = db.session.execute(
        select(Participant.status, func.count(Participant.id)).group_by(Participant.status)
    )
    return {status: count for status, count in rows}
