"""State changes in the pool: sign-up with double opt-in, guardian consent, self-service links,
consents, pausing, export and deletion, and what ambassadors record.

Operations flush; the caller commits. E-mail goes out from here, addressed by the participant's
own language. Nothing here logs names, addresses or tokens.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import delete, func, select, update

from .. import clock
from ..audit.operations import record
from ..db import db
from ..mail import external_url, send_template
from ..organisations.models import Organisation
from .models import (
    AgeBand,
    Consent,
    ConsentPurpose,
    Note,
    Participant,
    ParticipantEvent,
    ParticipantRole,
    ParticipantTag,
    ParticipantToken,
    Status,
    TagKind,
    TokenPurpose,
)

if TYPE_CHECKING:
    from ..auth.models import User

logger = logging.getLogger(__name__)

TOKEN_LIFETIME = {
    TokenPurpose.CONFIRM_EMAIL: timedelta(days=7),
    TokenPurpose.GUARDIAN: timedelta(days=14),
    TokenPurpose.MANAGE: timedelta(minutes=30),
    TokenPurpose.STAY: timedelta(days=30),
}


class PoolError(ValueError):
    """A rule of the pool was broken; `field` names the form field to show it on."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidPhoneError(PoolError):
    pass


class EmailTakenError(PoolError):
    pass


_PHONE_CHARS = re.compile(r"[\s\-().]")


def normalise_phone(raw: str | None) -> str | None:
    """Dutch and international numbers to +<country><number>. Raises InvalidPhoneError."""
    if raw is None or not raw.strip():
        return None
    digits = _PHONE_CHARS.sub("", raw.strip())
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("0") and len(digits) == 10 and digits.isdigit():
        digits = "+31" + digits[1:]
    if not re.fullmatch(r"\+[1-9]\d{7,14}", digits):
        raise InvalidPhoneError("invalid phone number", "phone")
    return digits


def normalise_email(raw: str | None) -> str | None:
    return raw.strip().lower() if raw and raw.strip() else None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class ProfileData:
    display_name: str
    role: str
    age_band: str
    email: str | None = None
    phone: str | None = None
    municipality_id: int | None = None
    organisation_ids: list[int] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)
    support_needs: str = ""
    guardian_email: str | None = None
    locale: str = "nl"


def log_event(participant: Participant, kind: str, detail: str = "") -> None:
    participant.events.append(ParticipantEvent(kind=kind, detail=detail[:200]))


def touch(participant: Participant) -> None:
    """Any activity keeps the person in the pool and cancels a pending 'stay?' question."""
    participant.last_activity_at = clock.now()
    participant.stay_asked_at = None


def _apply_profile(participant: Participant, data: ProfileData) -> None:
    participant.display_name = data.display_name.strip()[:80]
    participant.phone = normalise_phone(data.phone)
    participant.role = ParticipantRole(data.role).value
    participant.age_band = AgeBand(data.age_band).value
    participant.municipality_id = data.municipality_id or None
    participant.locale = data.locale if data.locale in current_app.config["LANGUAGES"] else "nl"
    participant.support_needs = (data.support_needs or "").strip()
    participant.guardian_email = (
        normalise_email(data.guardian_email) if AgeBand(data.age_band).needs_guardian else None
    )
    if AgeBand(data.age_band).needs_guardian and not participant.guardian_email:
        raise PoolError("guardian e-mail needed under 16", "guardian_email")
    if participant.email is None and participant.phone is None:
        raise PoolError("e-mail or phone needed", "email")
    wanted = (
        {(TagKind.INTEREST.value, value) for value in data.interests}
        | {(TagKind.LANGUAGE.value, value) for value in data.languages}
        | {(TagKind.AVAILABILITY.value, value) for value in data.availability}
    )
    current = {(tag.kind, tag.value): tag for tag in participant.tags}
    for key, tag in current.items():
        if key not in wanted:
            participant.tags.remove(tag)
    for kind, value in sorted(wanted - set(current)):
        participant.tags.append(ParticipantTag(kind=kind, value=value))
    organisations = (
        db.session.scalars(select(Organisation).where(Organisation.id.in_(data.organisation_ids)))
        if data.organisation_ids
        else []
    )
    participant.organisations = list(organisations)


def find_by_email(email: str | None) -> Participant | None:
    email = normalise_email(email)
    if not email:
        return None
    return db.session.scalar(select(Participant).where(Participant.email == email))


def issue_token(participant: Participant, purpose: TokenPurpose) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(
        ParticipantToken(
            participant_id=participant.id,
            purpose=purpose.value,
            token_hash=_hash(token),
            expires_at=clock.now() + TOKEN_LIFETIME[purpose],
        )
    )
    db.session.flush()
    return token


def use_token(token: str, purpose: TokenPurpose) -> Participant | None:
    """Spend a single-use token. None when unknown, expired, used or of another purpose.

    One conditional UPDATE (… WHERE used_at IS NULL) spends it, so it is single-use even when
    two requests race; it comes first so the database lock is taken before anything is read.
    """
    if not token or len(token) > 200:
        return None
    now = clock.now()
    token_hash = _hash(token)
    spent = db.session.execute(
        update(ParticipantToken)
        .where(
            ParticipantToken.token_hash == token_hash,
            ParticipantToken.purpose == purpose.value,
            ParticipantToken.used_at.is_(None),
            ParticipantToken.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        return None
    participant_id = db.session.scalar(
        select(ParticipantToken.participant_id).where(ParticipantToken.token_hash == token_hash)
    )
    return db.session.get(Participant, participant_id)


def token_is_valid(token: str, purpose: TokenPurpose) -> bool:
    """Check without spending (for the page that shows the confirm button)."""
    if not token or len(token) > 200:
        return False
    return (
        db.session.scalar(
            select(func.count(ParticipantToken.id)).where(
                ParticipantToken.token_hash == _hash(token),
                ParticipantToken.purpose == purpose.value,
                ParticipantToken.used_at.is_(None),
                ParticipantToken.expires_at > clock.now(),
            )
        )
        == 1
    )


def send_to_participant(participant: Participant, to: str, template: str, **context: Any) -> None:
    send_template(to, template, locale=participant.locale, name=participant.display_name, **context)


def send_manage_link(participant: Participant, template: str = "participants/manage_link") -> None:
    if not participant.email:
        return
    token = issue_token(participant, TokenPurpose.MANAGE)
    send_to_participant(
        participant,
        participant.email,
        template,
        link=external_url("participants.manage_signin", token=token),
        minutes=int(TOKEN_LIFETIME[TokenPurpose.MANAGE].total_seconds() // 60),
    )


@dataclass
class SignupOutcome:
    participant: Participant | None
    already_known: bool = False


def sign_up(data: ProfileData, consents: set[str]) -> SignupOutcome:
    """Add someone to the pool, inactive until they (and a guardian, under 16) confirm.

    When the e-mail address is already in the pool nothing is created: the address gets a
    "manage your data" link instead, and the caller shows the same page as for a new sign-up,
    so the form does not reveal who is in the pool. Raises PoolError for invalid data
    (missing pool consent, no way to reach the person, bad phone number).
    """
    if ConsentPurpose.POOL.value not in consents:
        raise PoolError("pool consent needed", "consent_pool")
    if data.support_needs.strip() and ConsentPurpose.SUPPORT_NEEDS.value not in consents:
        raise PoolError("support needs without consent", "consent_support_needs")
    email = normalise_email(data.email)
    existing = find_by_email(email)
    if existing is not None:
        send_manage_link(existing, template="participants/already_known")
        logger.info("sign-up for known address, manage link sent id=%s", existing.id)
        return SignupOutcome(None, already_known=True)

    participant = Participant(email=email, status=Status.NEW.value)
    _apply_profile(participant, data)
    for purpose in sorted(consents):
        participant.consents.append(Consent(purpose=ConsentPurpose(purpose).value))
    log_event(participant, "signed_up")
    db.session.add(participant)
    db.session.flush()

    if participant.email:
        token = issue_token(participant, TokenPurpose.CONFIRM_EMAIL)
        send_to_participant(
            participant,
            participant.email,
            "participants/confirm_email",
            link=external_url("participants.confirm_email", token=token),
            needs_guardian=participant.needs_guardian,
        )
    if participant.needs_guardian and participant.guardian_email:
        token = issue_token(participant, TokenPurpose.GUARDIAN)
        send_to_participant(
            participant,
            participant.guardian_email,
            "participants/guardian_confirm",
            link=external_url("participants.confirm_guardian", token=token),
        )
    logger.info(
        "participant signed up id=%s guardian=%s", participant.id, participant.needs_guardian
    )
    return SignupOutcome(participant)


def _activate_if_ready(participant: Participant) -> None:
    if participant.status == Status.NEW.value and participant.is_confirmed:
        participant.status = Status.ACTIVE.value
        log_event(participant, "activated")
        logger.info("participant active id=%s", participant.id)


def confirm_email(token: str) -> Participant | None:
    """The person clicked the link in their confirmation mail. None for a bad or used link."""
    participant = use_token(token, TokenPurpose.CONFIRM_EMAIL)
    if participant is None:
        return None
    participant.email_confirmed_at = participant.email_confirmed_at or clock.now()
    log_event(participant, "email_confirmed")
    touch(participant)
    _activate_if_ready(participant)
    db.session.flush()
    return participant


def confirm_guardian(token: str) -> Participant | None:
    """A parent or guardian agreed that the young person's details may be kept."""
    participant = use_token(token, TokenPurpose.GUARDIAN)
    if participant is None:
        return None
    participant.guardian_confirmed_at = clock.now()
    for consent in participant.consents:
        if consent.withdrawn_at is None:
            consent.granted_by_guardian = True
    log_event(participant, "guardian_confirmed")
    touch(participant)
    _activate_if_ready(participant)
    db.session.flush()
    return participant


def confirm_by_staff(actor: User, participant: Participant) -> None:
    """For someone who signed up with a phone number only: confirmed in a phone call."""
    participant.confirmed_by_staff_at = clock.now()
    log_event(participant, "confirmed_by_phone")
    touch(participant)
    _activate_if_ready(participant)
    record(actor, "participant.confirm_by_phone", "participant", participant.id)
    db.session.flush()


def request_manage_link(email: str) -> None:
    """Send a sign-in link for 'Mijn gegevens' if the address is in the pool; silent otherwise."""
    participant = find_by_email(email)
    if participant is None:
        return
    send_manage_link(participant)
    logger.info("manage link sent id=%s", participant.id)


def sign_in_with_link(token: str) -> Participant | None:
    participant = use_token(token, TokenPurpose.MANAGE)
    if participant is None:
        return None
    # Clicking a link sent to the address also proves the address.
    participant.email_confirmed_at = participant.email_confirmed_at or clock.now()
    touch(participant)
    _activate_if_ready(participant)
    log_event(participant, "signed_in")
    db.session.flush()
    return participant


def update_profile(participant: Participant, data: ProfileData) -> bool:
    """Change one's own details. A new e-mail address must be confirmed again; returns True
    when a confirmation mail went to a new address. Raises EmailTakenError or PoolError."""
    if data.support_needs.strip() and not participant.has_consent(ConsentPurpose.SUPPORT_NEEDS):
        raise PoolError("support needs without consent", "support_needs")
    new_email = normalise_email(data.email)
    email_changed = new_email != participant.email
    if email_changed and new_email and find_by_email(new_email) is not None:
        raise EmailTakenError("address in use", "email")
    participant.email = new_email
    _apply_profile(participant, data)
    touch(participant)
    log_event(participant, "details_changed")
    db.session.flush()
    if email_changed and new_email:
        participant.email_confirmed_at = None
        token = issue_token(participant, TokenPurpose.CONFIRM_EMAIL)
        send_to_participant(
            participant,
            new_email,
            "participants/confirm_email",
            link=external_url("participants.confirm_email", token=token),
            needs_guardian=False,
        )
        return True
    return False


def set_consent(participant: Participant, purpose: str, granted: bool) -> None:
    """Give or withdraw one consent. Withdrawing `pool` stops all contact; withdrawing
    `support_needs` erases the support needs at once."""
    purpose = ConsentPurpose(purpose).value
    now = clock.now()
    if granted and not participant.has_consent(purpose):
        participant.consents.append(Consent(purpose=purpose, granted_at=now))
        log_event(participant, "consent_given", purpose)
    elif not granted and participant.has_consent(purpose):
        for consent in participant.consents:
            if consent.purpose == purpose and consent.withdrawn_at is None:
                consent.withdrawn_at = now
        log_event(participant, "consent_withdrawn", purpose)
        if purpose == ConsentPurpose.SUPPORT_NEEDS.value:
            participant.support_needs = ""
        if purpose == ConsentPurpose.POOL.value:
            participant.status = Status.STOPPED.value
    if (
        granted
        and purpose == ConsentPurpose.POOL.value
        and participant.status == Status.STOPPED.value
    ):
        participant.status = Status.ACTIVE.value if participant.is_confirmed else Status.NEW.value
    touch(participant)
    db.session.flush()


def set_paused(participant: Participant, paused: bool) -> None:
    """Pause (no invitations for now) or resume. Only active or paused people can do this."""
    if participant.status not in (Status.ACTIVE.value, Status.PAUSED.value):
        raise PoolError("only active or paused participants can pause")
    participant.status = Status.PAUSED.value if paused else Status.ACTIVE.value
    log_event(participant, "paused" if paused else "resumed")
    touch(participant)
    db.session.flush()


def set_status(actor: User, participant: Participant, status: str) -> None:
    """An ambassador changes the status (e.g. stopped after a phone call)."""
    status = Status(status).value
    if status == Status.ACTIVE.value and not participant.is_confirmed:
        raise PoolError("not confirmed yet", "status")
    participant.status = status
    log_event(participant, "status_changed", status)
    record(actor, "participant.status", "participant", participant.id, status=status)
    db.session.flush()


def add_note(actor: User, participant: Participant, text: str) -> Note:
    note = Note(participant=participant, author_id=actor.id, text=text.strip())
    db.session.add(note)
    record(actor, "participant.note_add", "participant", participant.id)
    db.session.flush()
    return note


def record_view(actor: User, participant: Participant) -> None:
    record(actor, "participant.view", "participant", participant.id)


def confirm_stay(token: str) -> Participant | None:
    """The person answered 'yes, keep me in the pool' to the retention mail."""
    participant = use_token(token, TokenPurpose.STAY)
    if participant is None:
        return None
    touch(participant)
    log_event(participant, "stay_confirmed")
    db.session.flush()
    return participant


def delete_participant(participant: Participant, actor: User | None = None) -> None:
    """Remove a person and every piece of personal data about them (AVG art. 17).

    Tags, consents, tokens, notes and history go with the row (ON DELETE CASCADE); allowances
    become anonymous financial rows or are deleted, as ALLOWANCE_ON_DELETE says. Survey answers
    are untouched: they never had a link to the person.
    """
    from ..allowances.operations import detach_for_deletion
    from ..groupsessions.operations import cancel_all_for_participant

    participant_id = participant.id
    cancel_all_for_participant(participant_id)  # their places go to the waiting lists
    detach_for_deletion(participant_id)
    db.session.execute(
        delete(ParticipantToken).where(ParticipantToken.participant_id == participant_id)
    )
    db.session.delete(participant)
    db.session.flush()
    record(
        actor,
        "participant.delete",
        "participant",
        participant_id,
        by="staff" if actor else "self_or_retention",
    )
    logger.info("participant deleted id=%s", participant_id)


def export_data(participant: Participant) -> dict[str, Any]:
    """Everything we hold about the person, machine-readable (AVG art. 15 and 20)."""
    from ..allowances.queries import allowances_for

    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "format": "participatie-export/1",
        "exported_at": clock.now().isoformat(),
        "profile": {
            "display_name": participant.display_name,
            "email": participant.email,
            "phone": participant.phone,
            "role": participant.role,
            "age_band": participant.age_band,
            "municipality": participant.municipality.name if participant.municipality else None,
            "organisations_experience": sorted(o.name for o in participant.organisations),
            "interests": participant.interests,
            "languages": participant.languages,
            "availability": participant.availability,
            "support_needs": participant.support_needs,
            "guardian_email": participant.guardian_email,
            "language_for_email": participant.locale,
            "status": participant.status,
            "signed_up_at": iso(participant.created_at),
            "email_confirmed_at": iso(participant.email_confirmed_at),
            "guardian_confirmed_at": iso(participant.guardian_confirmed_at),
            "last_activity_at": iso(participant.last_activity_at),
        },
        "consents": [
            {
                "purpose": consent.purpose,
                "granted_at": iso(consent.granted_at),
                "withdrawn_at": iso(consent.withdrawn_at),
                "confirmed_by_guardian": consent.granted_by_guardian,
            }
            for consent in participant.consents
        ],
        "history": [
            {"at": iso(event.occurred_at), "what": event.kind, "detail": event.detail}
            for event in participant.events
        ],
        "notes_by_staff": [
            {"at": iso(note.created_at), "text": note.text} for note in participant.notes
        ],
        "allowances": [
            {
                "activity": allowance.activity,
                "date": allowance.activity_date.isoformat(),
                "minutes": allowance.minutes,
                "amount_eur": f"{allowance.amount_cents / 100:.2f}",
                "paid": allowance.paid,
            }
            for allowance in allowances_for(participant.id)
        ],
        "survey_answers": "Survey answers are anonymous and cannot be linked to you, so they are not part of this export.",
    }
