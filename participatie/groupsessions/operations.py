"""Organising sessions and handling sign-ups, the waiting list, offers and attendance.

No overbooking, whatever the concurrency: a place is taken with one conditional UPDATE of the
session's `taken` counter (`… WHERE taken < capacity`), which PostgreSQL serialises per row and
SQLite per transaction (BEGIN IMMEDIATE), and a check constraint backs it up. A waiting person
is claimed for an offer the same way (`… WHERE status = 'waiting'`), so two freed places never
go to one person. One active sign-up per person is a partial unique index.

Operations flush; the caller commits. E-mails go out from here in the recipient's language.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..audit.operations import record
from ..db import db
from ..mail import Attachment, external_url, send_template
from ..security import derived_token
from .models import (
    ACTIVE_STATUSES,
    HOLDS_PLACE,
    GroupSession,
    Registration,
    RegistrationStatus,
    SessionStatus,
)

if TYPE_CHECKING:
    from ..auth.models import User

logger = logging.getLogger(__name__)

NEED_FIELDS = ("support", "dietary", "childcare", "interpreter")


class SignupError(ValueError):
    """Why a sign-up could not be taken: closed, already, unreachable."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SessionError(ValueError):
    """An organiser's change that breaks a rule (e.g. capacity below the places taken)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def registration_token(registration: Registration) -> str:
    """The token in the link of every mail about this registration: the same link every time.

    Derived, never stored: an HMAC (SECRET_KEY) of the registration's id and creation time.
    The database keeps only its sha256 (`manage_token_hash`), so a dump holds no working link.
    Because every mail (confirmation, waiting list, offer, reminder …) carries the same link,
    an older mail keeps working and the page can send the person back to itself after a
    change. The creation time makes a reused id (SQLite may reuse the highest id after a
    delete) a different token. A new SECRET_KEY changes every link; old mails stop working.
    """
    created = registration.created_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")
    return derived_token(f"group-registration:{registration.id}:{created}")


def find_by_token(token: str) -> Registration | None:
    if not token or len(token) > 200:
        return None
    return db.session.scalar(
        select(Registration).where(Registration.manage_token_hash == _hash(token))
    )


def signups_open(session: GroupSession, now: datetime | None = None) -> bool:
    now = now or clock.now()
    return (
        session.status == SessionStatus.PUBLISHED.value
        and session.starts_at > now
        and (session.signup_deadline is None or session.signup_deadline > now)
    )


# --- places: the two atomic steps everything else is built from ---------------------------


def _take_place(session_id: int) -> bool:
    result = db.session.execute(
        update(GroupSession)
        .where(GroupSession.id == session_id, GroupSession.taken < GroupSession.capacity)
        .values(taken=GroupSession.taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _release_place(session_id: int) -> None:
    db.session.execute(
        update(GroupSession)
        .where(GroupSession.id == session_id, GroupSession.taken > 0)
        .values(taken=GroupSession.taken - 1)
        .execution_options(synchronize_session=False)
    )


def _set_status(registration_id: int, new: str, expected: tuple[str, ...], **values: Any) -> bool:
    """Move a registration from one of `expected` to `new`; False if someone else moved it."""
    result = db.session.execute(
        update(Registration)
        .where(Registration.id == registration_id, Registration.status.in_(expected))
        .values(status=new, changed_at=clock.now(), **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


# --- sign-up -------------------------------------------------------------------------------


@dataclass
class SignupData:
    participant_id: int | None = None
    guest_name: str | None = None
    guest_email: str | None = None
    guest_phone: str | None = None
    locale: str = "nl"
    needs: dict[str, str] = field(default_factory=dict)


def _take_open_place(session_id: int, now: datetime) -> bool:
    """Take a place if sign-up is open and one is free: the first statement of a sign-up, so
    the database lock is taken before anything is read."""
    open_now = (
        (GroupSession.status == SessionStatus.PUBLISHED.value)
        & (GroupSession.starts_at > now)
        & (GroupSession.signup_deadline.is_(None) | (GroupSession.signup_deadline > now))
    )
    result = db.session.execute(
        update(GroupSession)
        .where(GroupSession.id == session_id, GroupSession.taken < GroupSession.capacity, open_now)
        .values(taken=GroupSession.taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def sign_up(session_id: int, data: SignupData) -> tuple[Registration, str]:
    """Sign someone up: a confirmed place while there is one, else the waiting list.

    Returns the registration and the token for its manage link (sent by mail too).
    Raises SignupError("closed") when sign-up is not open, ("already") for a second active
    sign-up of the same person, ("unreachable") for a guest without e-mail or phone.
    Call it through db.run_in_transaction: it must be the start of its transaction.
    """
    if data.participant_id is None and not (data.guest_email or data.guest_phone):
        raise SignupError("unreachable")
    now = clock.now()
    try:
        with db.session.begin_nested():
            got_place = _take_open_place(session_id, now)
            session = db.session.get(GroupSession, session_id)
            if session is None or not signups_open(session, now):
                raise SignupError("closed")
            asked = set(session.questions or [])
            needs = {
                f"need_{name}": (data.needs.get(name) or "").strip()[:1000] if name in asked else ""
                for name in NEED_FIELDS
            }
            registration = Registration(
                session_id=session.id,
                participant_id=data.participant_id,
                guest_name=(data.guest_name or "").strip()[:80] or None,
                guest_email=(data.guest_email or "").strip().lower() or None,
                guest_phone=data.guest_phone or None,
                locale=data.locale,
                status=(
                    RegistrationStatus.CONFIRMED.value
                    if got_place
                    else RegistrationStatus.WAITING.value
                ),
                # A placeholder until the id is known; replaced by the stable token's hash below.
                manage_token_hash=_hash(secrets.token_urlsafe(24)),
                **needs,
            )
            db.session.add(registration)
            db.session.flush()
            token = registration_token(registration)
            registration.manage_token_hash = _hash(token)
            db.session.flush()
    except IntegrityError as error:
        raise SignupError("already") from error
    db.session.refresh(session)
    if data.participant_id is not None:
        _touch_participant(data.participant_id, "session_signup", str(session.id))
    _notify(registration, "confirmed" if got_place else "waiting", token=token)
    logger.info(
        "session sign-up session=%s registration=%s status=%s",
        session.id,
        registration.id,
        registration.status,
    )
    return registration, token


def _touch_participant(participant_id: int, kind: str, detail: str = "") -> None:
    from ..participants.models import Participant
    from ..participants.operations import log_event, touch

    participant = db.session.get(Participant, participant_id)
    if participant is not None:
        touch(participant)
        log_event(participant, kind, detail)


# --- cancelling, offers, the waiting list ---------------------------------------------------


def cancel_registration(registration: Registration) -> bool:
    """The person cancels (from the link in their mail). Frees the place for the waiting list.

    Returns False when the registration was not active any more.
    """
    previous = registration.status
    if not _set_status(registration.id, RegistrationStatus.CANCELLED.value, ACTIVE_STATUSES):
        return False
    if previous in HOLDS_PLACE:
        _release_place(registration.session_id)
        fill_free_places(registration.session_id)
    db.session.refresh(registration)
    _notify(registration, "cancelled")
    logger.info("registration cancelled id=%s", registration.id)
    return True


def offer_window(session: GroupSession, now: datetime) -> timedelta | None:
    """How long a waiting person gets to accept a freed place.

    OFFER_HOURS (48) normally; closer to the start, half the time that is left (at least
    OFFER_MIN_MINUTES), and never beyond the start. None when the session has started.
    """
    left = session.starts_at - now
    if left <= timedelta(0):
        return None
    config = current_app.config
    window = min(timedelta(hours=config["GROUPSESSION_OFFER_HOURS"]), left / 2)
    return min(max(window, timedelta(minutes=config["GROUPSESSION_OFFER_MIN_MINUTES"])), left)


def fill_free_places(session_id: int) -> int:
    """Offer free places to the first people on the waiting list. Returns how many offers."""
    from ..participants.models import Participant

    session = db.session.get(GroupSession, session_id)
    now = clock.now()
    if session is None or session.status != SessionStatus.PUBLISHED.value:
        return 0
    window = offer_window(session, now)
    if window is None:
        return 0
    offers = 0
    while _take_place(session_id):
        offered = None
        # Only people an offer can reach by mail; phone-only guests stay on the list and the
        # organiser calls them (an unseen offer would hold the place for nothing).
        candidates = db.session.scalars(
            select(Registration.id)
            .where(
                Registration.session_id == session_id,
                Registration.status == RegistrationStatus.WAITING.value,
                or_(
                    Registration.guest_email.is_not(None),
                    Registration.participant_id.in_(
                        select(Participant.id).where(Participant.email.is_not(None))
                    ),
                ),
            )
            .order_by(Registration.id)
            .limit(10)
        ).all()
        for candidate in candidates:
            if _set_status(
                candidate,
                RegistrationStatus.OFFERED.value,
                (RegistrationStatus.WAITING.value,),
                offer_expires_at=now + window,
            ):
                offered = candidate
                break
        if offered is None:
            _release_place(session_id)  # nobody (left) to offer it to
            break
        offers += 1
        registration = db.session.get(Registration, offered)
        db.session.refresh(registration)
        _notify(registration, "offer")
        logger.info("place offered session=%s registration=%s", session_id, offered)
    return offers


def accept_offer(registration: Registration) -> bool:
    """Take the offered place. False when the offer has expired or was already used."""
    now = clock.now()
    if registration.offer_expires_at is None or registration.offer_expires_at <= now:
        return False
    if not _set_status(
        registration.id,
        RegistrationStatus.CONFIRMED.value,
        (RegistrationStatus.OFFERED.value,),
        offer_expires_at=None,
    ):
        return False
    db.session.refresh(registration)
    _notify(registration, "confirmed")
    return True


def expire_offers() -> int:
    """Offers past their time go to the next person on the list. Idempotent."""
    now = clock.now()
    expired = db.session.scalars(
        select(Registration).where(
            Registration.status == RegistrationStatus.OFFERED.value,
            Registration.offer_expires_at <= now,
        )
    ).all()
    count = 0
    for registration in expired:
        if _set_status(
            registration.id, RegistrationStatus.EXPIRED.value, (RegistrationStatus.OFFERED.value,)
        ):
            count += 1
            _release_place(registration.session_id)
            db.session.refresh(registration)
            _notify(registration, "offer_expired")
            fill_free_places(registration.session_id)
    logger.info("offers expired count=%s", count)
    return count


def cancel_all_for_participant(participant_id: int) -> None:
    """Before a participant is deleted: give their places back to the waiting lists."""
    active = db.session.scalars(
        select(Registration).where(
            Registration.participant_id == participant_id,
            Registration.status.in_(ACTIVE_STATUSES),
        )
    ).all()
    for registration in active:
        held_place = registration.status in HOLDS_PLACE
        cancelled = _set_status(
            registration.id, RegistrationStatus.CANCELLED.value, ACTIVE_STATUSES
        )
        if cancelled and held_place:
            _release_place(registration.session_id)
            fill_free_places(registration.session_id)


# --- organisers ------------------------------------------------------------------------------


def create_session(actor: User, **fields: Any) -> GroupSession:
    session = GroupSession(created_by_id=actor.id, taken=0, **fields)
    db.session.add(session)
    db.session.flush()
    record(actor, "session.create", "group_session", session.id)
    return session


def update_session(actor: User, session: GroupSession, **fields: Any) -> None:
    """Change a session. Raises SessionError("capacity") when the new capacity is below the
    places already taken. A larger capacity offers the new places to the waiting list.

    The capacity changes with one conditional UPDATE, like a place is taken: a sign-up that
    lands between reading `taken` and writing the capacity can never be squeezed out.
    """
    fields = dict(fields)
    fields.pop("taken", None)  # only the place operations move the counter
    if "capacity" in fields:
        capacity = fields.pop("capacity")
        changed = db.session.execute(
            update(GroupSession)
            .where(GroupSession.id == session.id, GroupSession.taken <= capacity)
            .values(capacity=capacity)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.refresh(session)
        if changed != 1:
            raise SessionError("capacity")
    for name, value in fields.items():
        setattr(session, name, value)
    db.session.flush()
    record(actor, "session.update", "group_session", session.id)
    fill_free_places(session.id)


def set_published(actor: User, session: GroupSession, published: bool) -> None:
    if session.status == SessionStatus.CANCELLED.value:
        raise SessionError("cancelled")
    session.status = SessionStatus.PUBLISHED.value if published else SessionStatus.DRAFT.value
    record(
        actor, "session.publish" if published else "session.unpublish", "group_session", session.id
    )
    db.session.flush()


def cancel_session(actor: User, session: GroupSession) -> int:
    """Cancel the session and mail everyone who signed up or waits. Returns how many were
    mailed; people with only a phone number are listed for the organiser to call."""
    session.status = SessionStatus.CANCELLED.value
    active = [r for r in session.registrations if r.status in ACTIVE_STATUSES]
    for registration in active:
        registration.status = RegistrationStatus.SESSION_CANCELLED.value
        registration.changed_at = clock.now()
    session.taken = 0
    db.session.flush()
    mailed = sum(_notify(registration, "session_cancelled") for registration in active)
    record(actor, "session.cancel", "group_session", session.id, notified=mailed)
    logger.info("session cancelled id=%s mailed=%s", session.id, mailed)
    return mailed


def record_attendance(actor: User, session: GroupSession, present_ids: set[int]) -> int:
    """Mark who came. Pool members who came get the session's allowance in the allowance
    register (once, also when attendance is saved again). Returns allowances created."""
    from ..allowances.operations import register_allowance
    from ..participants.models import Participant

    created = 0
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    for registration in session.registrations:
        if registration.status != RegistrationStatus.CONFIRMED.value:
            continue
        registration.attended = registration.id in present_ids
        if (
            registration.attended
            and registration.participant_id is not None
            and session.allowance_cents
            and registration.allowance_id is None
        ):
            participant = db.session.get(Participant, registration.participant_id)
            allowance, _ = register_allowance(
                actor,
                participant,
                session.title_nl,
                session.starts_at.astimezone(_local_zone()).date(),
                minutes,
                session.allowance_cents,
            )
            registration.allowance_id = allowance.id
            created += 1
    db.session.flush()
    present = sum(
        1
        for registration in session.registrations
        if registration.status == RegistrationStatus.CONFIRMED.value and registration.attended
    )
    record(actor, "session.attendance", "group_session", session.id, present=present)
    return created


def _local_zone():  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def save_notes(actor: User, session: GroupSession, text: str, themes: list[str]) -> None:
    """Notes after the meeting: scrubbed of personal data before they are stored, and coded
    once, per paragraph, like open answers (themes with the words that led to them, sentiment,
    language). `themes` are the organiser's own choice, kept apart from the coder's."""
    from ..themes.queries import current_coder
    from ..themes.text.scrub import scrub

    session.notes = scrub(text).text
    session.note_themes = sorted(set(themes))
    coder = current_coder()
    coding = []
    for paragraph in note_paragraphs(session.notes):
        coded = coder.code(paragraph)
        coding.append(
            {
                "themes": [
                    {
                        "slug": match.slug,
                        "confidence": match.confidence,
                        "evidence": list(match.evidence),
                    }
                    for match in coded.themes
                ],
                "sentiment": coded.sentiment,
                "sentiment_score": coded.sentiment_score,
                "language": coded.language,
            }
        )
    session.note_coding = coding
    record(
        actor,
        "session.notes",
        "group_session",
        session.id,
        coded_themes=sorted({t["slug"] for part in coding for t in part["themes"]}),
    )
    db.session.flush()


def note_paragraphs(notes: str) -> list[str]:
    """The paragraphs of stored notes (separated by an empty line), the unit they are coded in."""
    return [part.strip() for part in notes.split("\n\n") if part.strip()]


# --- e-mail ------------------------------------------------------------------------------------


def calendar_attachment(session: GroupSession, locale: str, cancelled: bool = False) -> Attachment:
    from .calendar import session_calendar

    return Attachment(
        "bijeenkomst.ics",
        session_calendar([session], locale, cancelled=cancelled),
        "text",
        "calendar",
        # RFC 5546: the MIME type names the iTIP method the file carries.
        {"method": "CANCEL" if cancelled else "PUBLISH", "charset": "utf-8"},
    )


def _notify(registration: Registration, kind: str, token: str | None = None) -> bool:
    """Mail the person about their registration. Returns False without an address (phone-only
    guests): the organiser sees those people on the session page and calls them."""
    address = registration.email
    if not address:
        return False
    session = registration.session
    if token is None:
        # The same link as in earlier mails (see registration_token). Rows stored before links
        # were stable get the stable hash now; their older link stops working once.
        token = registration_token(registration)
        if registration.manage_token_hash != _hash(token):
            registration.manage_token_hash = _hash(token)
            db.session.flush()
    attachments: tuple[Attachment, ...] = ()
    if kind == "confirmed":
        attachments = (calendar_attachment(session, registration.locale),)
    elif kind in ("session_cancelled", "cancelled"):
        # METHOD:CANCEL takes the event out of the calendar the confirmation put it in.
        attachments = (calendar_attachment(session, registration.locale, cancelled=True),)
    send_template(
        address,
        f"groupsessions/{kind}",
        locale=registration.locale,
        attachments=attachments,
        name=registration.display_name,
        session=session,
        link=external_url("groupsessions.registration", token=token),
        expires=registration.offer_expires_at,
    )
    return True


def send_reminders() -> int:
    """Remind confirmed people REMINDER_DAYS before their session, once each (idempotent)."""
    now = clock.now()
    horizon = now + timedelta(days=current_app.config["GROUPSESSION_REMINDER_DAYS"])
    due = db.session.scalars(
        select(Registration)
        .join(GroupSession)
        .where(
            GroupSession.status == SessionStatus.PUBLISHED.value,
            GroupSession.starts_at > now,
            GroupSession.starts_at <= horizon,
            Registration.status == RegistrationStatus.CONFIRMED.value,
            Registration.reminder_sent_at.is_(None),
        )
    ).all()
    sent = 0
    for registration in due:
        claimed = db.session.execute(
            update(Registration)
            .where(Registration.id == registration.id, Registration.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed == 1 and _notify(registration, "reminder"):
            sent += 1
    logger.info("session reminders sent count=%s", sent)
    return sent


def purge_needs() -> int:
    """Delete needs (support, dietary, childcare, interpreter) NEEDS_RETENTION_DAYS after a
    session, and guests' contact details GUEST_RETENTION_DAYS after it."""
    now = clock.now()
    config = current_app.config
    ended = db.session.scalars(
        select(GroupSession).where(
            GroupSession.ends_at < now - timedelta(days=config["GROUPSESSION_NEEDS_DAYS"]),
            GroupSession.needs_purged_at.is_(None),
        )
    ).all()
    for session in ended:
        db.session.execute(
            update(Registration)
            .where(Registration.session_id == session.id)
            .values(need_support="", need_dietary="", need_childcare="", need_interpreter="")
            .execution_options(synchronize_session=False)
        )
        session.needs_purged_at = now
    db.session.execute(
        update(Registration)
        .where(
            Registration.participant_id.is_(None),
            Registration.guest_name.is_not(None),
            Registration.session_id.in_(
                select(GroupSession.id).where(
                    GroupSession.ends_at < now - timedelta(days=config["GROUPSESSION_GUEST_DAYS"])
                )
            ),
        )
        .values(guest_name=None, guest_email=None, guest_phone=None)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    logger.info("session needs purged sessions=%s", len(ended))
    return len(ended)


def invite(actor: User, session: GroupSession, participant_ids: list[int]) -> int:
    """Mail an invitation to pool members who are active and agreed to be approached.

    People who are already signed up, or who lack the `pool` consent, are skipped.
    Returns how many were invited. Raises SessionError("closed") when nobody can sign up
    (a draft, a cancelled or past session, or after the deadline): the link would lead nowhere.
    """
    from ..participants.models import ConsentPurpose, Participant, Status

    if not signups_open(session):
        raise SessionError("closed")

    already = set(
        db.session.scalars(
            select(Registration.participant_id).where(
                Registration.session_id == session.id, Registration.status.in_(ACTIVE_STATUSES)
            )
        )
    )
    invited = 0
    for participant in db.session.scalars(
        select(Participant).where(Participant.id.in_(participant_ids))
    ):
        if (
            participant.id in already
            or participant.status != Status.ACTIVE.value
            or not participant.has_consent(ConsentPurpose.POOL)
            or not participant.email
        ):
            continue
        send_template(
            participant.email,
            "groupsessions/invitation",
            locale=participant.locale,
            name=participant.display_name,
            session=session,
            link=external_url("groupsessions.detail", session_id=session.id),
        )
        _touch_participant(participant.id, "invited", str(session.id))
        invited += 1
    record(actor, "session.invite", "group_session", session.id, invited=invited)
    logger.info("session invitations sent session=%s count=%s", session.id, invited)
    return invited
