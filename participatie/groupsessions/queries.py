"""Reading sessions for the organisers: the overview, sign-ups per session, who may be invited."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import clock
from ..db import db
from .models import ACTIVE_STATUSES, GroupSession, Registration, RegistrationStatus, SessionStatus


@dataclass
class SessionOverview:
    upcoming: list[GroupSession] = field(default_factory=list)
    drafts: list[GroupSession] = field(default_factory=list)
    past: list[GroupSession] = field(default_factory=list)
    cancelled: list[GroupSession] = field(default_factory=list)

    def all(self) -> list[GroupSession]:
        return self.upcoming + self.drafts + self.past + self.cancelled


def sessions_overview(now: datetime | None = None) -> SessionOverview:
    """Published sessions still to come (soonest first), drafts, past and cancelled sessions
    (most recent first)."""
    now = now or clock.now()
    overview = SessionOverview()
    for session in db.session.scalars(select(GroupSession).order_by(GroupSession.starts_at)):
        if session.status == SessionStatus.CANCELLED.value:
            overview.cancelled.append(session)
        elif session.status == SessionStatus.DRAFT.value:
            overview.drafts.append(session)
        elif session.starts_at > now:
            overview.upcoming.append(session)
        else:
            overview.past.append(session)
    overview.past.reverse()
    overview.cancelled.reverse()
    return overview


def registration_counts(session_ids: list[int]) -> dict[int, dict[str, int]]:
    """{session id: {registration status: how many}} in one query."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if not session_ids:
        return counts
    rows = db.session.execute(
        select(Registration.session_id, Registration.status, func.count(Registration.id))
        .where(Registration.session_id.in_(session_ids))
        .group_by(Registration.session_id, Registration.status)
    )
    for session_id, status, number in rows:
        counts[session_id][status] = number
    return counts


@dataclass
class RegistrationGroups:
    confirmed: list[Registration] = field(default_factory=list)
    offered: list[Registration] = field(default_factory=list)
    waiting: list[Registration] = field(default_factory=list)  # in order of sign-up
    cancelled: list[Registration] = field(default_factory=list)  # by the person, expired, …


def registrations_grouped(session: GroupSession) -> RegistrationGroups:
    groups = RegistrationGroups()
    registrations = db.session.scalars(
        select(Registration)
        .where(Registration.session_id == session.id)
        .options(selectinload(Registration.participant))
        .order_by(Registration.id)
    )
    for registration in registrations:
        if registration.status == RegistrationStatus.CONFIRMED.value:
            groups.confirmed.append(registration)
        elif registration.status == RegistrationStatus.OFFERED.value:
            groups.offered.append(registration)
        elif registration.status == RegistrationStatus.WAITING.value:
            groups.waiting.append(registration)
        else:
            groups.cancelled.append(registration)
    groups.confirmed.sort(key=lambda r: r.display_name.casefold())
    return groups


def confirmed_registrations(session: GroupSession) -> list[Registration]:
    return registrations_grouped(session).confirmed


def signed_up_participant_ids(session: GroupSession) -> set[int]:
    """Pool members with an active sign-up (confirmed, offered or waiting)."""
    return set(
        db.session.scalars(
            select(Registration.participant_id).where(
                Registration.session_id == session.id,
                Registration.participant_id.is_not(None),
                Registration.status.in_(ACTIVE_STATUSES),
            )
        )
    )


def invited_at(session: GroupSession) -> dict[int, datetime]:
    """When each pool member was last invited to this session (from their history)."""
    from ..participants.models import ParticipantEvent

    rows = db.session.execute(
        select(ParticipantEvent.participant_id, func.max(ParticipantEvent.occurred_at))
        .where(ParticipantEvent.kind == "invited", ParticipantEvent.detail == str(session.id))
        .group_by(ParticipantEvent.participant_id)
    )
    return {participant_id: moment for participant_id, moment in rows}


def theme_choices() -> list[tuple[str, str]]:
    """(slug, label) of the themes a session note can be marked with: the codebook's active
    themes, or the ten default themes while the codebook table is still empty."""
    from ..i18n import current_locale
    from ..themes.queries import active_codebook

    english = current_locale() == "en"
    return [
        (spec.slug, spec.label_en if english and spec.label_en else spec.label_nl)
        for spec in active_codebook()
    ]


@dataclass(frozen=True)
class CodedParagraph:
    text: Markup  # the paragraph, escaped, with the evidence words marked
    themes: list[tuple[str, int]]  # (slug, confidence in %)
    sentiment: int | None


def coded_notes(session: GroupSession) -> list[CodedParagraph]:
    """The stored notes per paragraph with what the coder found when they were saved (notes
    saved before notes were coded show without themes)."""
    from ..themes.queries import highlight
    from .operations import note_paragraphs

    coding = session.note_coding or []
    result = []
    for number, paragraph in enumerate(note_paragraphs(session.notes or "")):
        part = coding[number] if number < len(coding) and isinstance(coding[number], dict) else {}
        themes = [entry for entry in part.get("themes", []) if isinstance(entry, dict)]
        evidence = [words for entry in themes for words in entry.get("evidence", [])]
        result.append(
            CodedParagraph(
                highlight(paragraph, evidence),
                [
                    (str(entry.get("slug")), round(100 * float(entry.get("confidence", 0))))
                    for entry in themes
                ],
                part.get("sentiment"),
            )
        )
    return result


def suggested_note_themes(session: GroupSession) -> list[str]:
    """Every theme the coder found in any paragraph of the notes."""
    return sorted(
        {
            str(entry.get("slug"))
            for part in session.note_coding or []
            if isinstance(part, dict)
            for entry in part.get("themes", [])
            if isinstance(entry, dict)
        }
    )


def upcoming_registrations_of(participant_id: int) -> list[tuple[Registration, str]]:
    """A pool member's active sign-ups for sessions still to come, soonest first, each with the
    token of its manage link (for 'Mijn gegevens')."""
    from .operations import registration_token

    rows = db.session.scalars(
        select(Registration)
        .join(GroupSession)
        .where(
            Registration.participant_id == participant_id,
            Registration.status.in_(ACTIVE_STATUSES),
            GroupSession.status != SessionStatus.CANCELLED.value,
            GroupSession.starts_at > clock.now(),
        )
        .options(selectinload(Registration.session))
        .order_by(GroupSession.starts_at, Registration.id)
    )
    return [(registration, registration_token(registration)) for registration in rows]
