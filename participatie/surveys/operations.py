"""State changes for surveys: templates and versions, waves, invitations, answering, release.

Operations flush; the request, command or job that called them commits. Nothing here logs or
stores anything that could tie an answer to a person: see docs/anonymity.md.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import (
    Integer,
    LargeBinary,
    String,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError

from .. import clock
from ..audit.operations import record
from ..auth.models import Role, User
from ..db import db
from ..i18n import in_order
from ..mail import external_url, send_template
from ..participants.models import ConsentPurpose, Participant, ParticipantRole
from ..participants.queries import PoolFilter, invitable
from ..security import derived_token
from . import answering, sealing, snapshots
from .models import (
    PendingSubmission,
    QuestionKind,
    SurveyAnswer,
    SurveyAudience,
    SurveyDraft,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveySection,
    SurveyTemplate,
    SurveyVersion,
    SurveyWave,
    WaveStatus,
    random_id,
)
from .results import shown_count

log = logging.getLogger(__name__)
_shuffler = secrets.SystemRandom()
RESUME_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on a phone


class SurveyError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AlreadyUsed(SurveyError):
    """The invitation link or resume code was used already (or is unknown)."""

    def __init__(self) -> None:
        super().__init__("already_used")


class WaveNotOpen(SurveyError):
    def __init__(self) -> None:
        super().__init__("not_open")


class AlreadySent(SurveyError):
    """This form (its send ticket) was sent before: nothing is stored, nothing counted."""

    def __init__(self) -> None:
        super().__init__("already_sent")


class Refused(SurveyError):
    """The open link's rate limit refused the send: nothing is stored."""

    def __init__(self) -> None:
        super().__init__("refused")


def _claim_ticket(wave_id: int, ticket_hash: str) -> bool:
    """Claim a send ticket on its own (SQLite); False when it was claimed already. One
    INSERT … ON CONFLICT DO NOTHING: of two claims at the same moment the second waits for the
    first transaction and then finds the ticket taken."""
    from sqlalchemy.dialects import postgresql, sqlite

    from .tickets import SendTicket

    table = SendTicket.__table__
    build = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    statement = (
        build(table)
        .values(ticket_hash=ticket_hash, wave_id=wave_id)
        .on_conflict_do_nothing(index_elements=["ticket_hash"])
        .returning(table.c.ticket_hash)
    )
    return db.session.execute(statement).first() is not None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def today() -> date:
    """Today in the local time zone: waves open and close on Dutch calendar days."""
    return clock.now().astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


# --- Templates and versions ------------------------------------------------------------------


def _question_from_spec(position: int, spec: Mapping[str, Any]) -> SurveyQuestion:
    condition = spec.get("condition") or {}
    return SurveyQuestion(
        position=position,
        code=spec["code"],
        kind=QuestionKind(spec["kind"]).value,
        is_required=bool(spec.get("required", True)),
        text=dict(spec["text"]),
        help=dict(spec.get("help") or {}),
        options=copy.deepcopy(list(spec.get("options") or [])),
        theme_slug=spec.get("theme"),
        is_background=bool(spec.get("background", False)),
        condition_code=condition.get("code"),
        condition_values=list(condition.get("values") or []),
    )


def create_template(spec: Mapping[str, Any]) -> SurveyTemplate:
    """A template with a first version from a spec (see builtin.py for the format)."""
    template = SurveyTemplate(
        slug=spec["slug"],
        audience=SurveyAudience(spec.get("audience", "parents")).value,
        title=dict(spec["title"]),
        description=dict(spec.get("description") or {}),
        feedback_text=dict(spec.get("feedback_text") or {}),
        estimated_minutes=int(spec.get("estimated_minutes", 10)),
        languages=in_order(spec.get("languages") or ["nl", "en"]),
        answer_labels={
            str(key): dict(texts) for key, texts in (spec.get("answer_labels") or {}).items()
        },
    )
    version = SurveyVersion(number=1)
    for section_position, section_spec in enumerate(spec.get("sections", [])):
        section = SurveySection(
            position=section_position,
            title=dict(section_spec["title"]),
            intro=dict(section_spec.get("intro") or {}),
        )
        section.questions = [
            _question_from_spec(position, question)
            for position, question in enumerate(section_spec.get("questions", []))
        ]
        version.sections.append(section)
    template.versions.append(version)
    db.session.add(template)
    db.session.flush()
    log.info("survey template %s created", template.id)
    return template


def ensure_builtin_templates() -> int:
    """Seed the shipped templates that are missing; idempotent."""
    from .builtin import TEMPLATES

    created = 0
    for spec in TEMPLATES:
        if db.session.scalar(select(SurveyTemplate.id).where(SurveyTemplate.slug == spec["slug"])):
            continue
        create_template(spec)
        created += 1
    return created


def copy_version(version: SurveyVersion) -> SurveyVersion:
    """A new, editable version with the same sections and questions (codes kept, for trends)."""
    template = version.template
    fresh = SurveyVersion(number=template.latest_version.number + 1)
    for section in version.sections:
        new_section = SurveySection(
            position=section.position, title=dict(section.title), intro=dict(section.intro)
        )
        for question in section.questions:
            new_section.questions.append(
                SurveyQuestion(
                    position=question.position,
                    code=question.code,
                    kind=question.kind,
                    is_required=question.is_required,
                    text=dict(question.text),
                    help=dict(question.help),
                    options=copy.deepcopy(question.options),
                    theme_slug=question.theme_slug,
                    is_background=question.is_background,
                    condition_code=question.condition_code,
                    condition_values=list(question.condition_values),
                )
            )
        fresh.sections.append(new_section)
    template.versions.append(fresh)
    db.session.flush()
    return fresh


def editable_version(actor: User | None, template: SurveyTemplate) -> SurveyVersion:
    """The version edits go to: the latest, or a fresh copy of it when a wave froze it."""
    latest = template.latest_version
    if not latest.is_frozen:
        return latest
    fresh = copy_version(latest)
    record(actor, "survey_version.created", "survey_template", template.id, number=fresh.number)
    log.info("survey template %s: version %s started", template.id, fresh.number)
    return fresh


# --- Waves -------------------------------------------------------------------------------------


def versions_with_questions(template: SurveyTemplate) -> list[SurveyVersion]:
    """The versions a wave can run, newest first: those with at least one question."""
    return [version for version in reversed(template.versions) if version.questions]


def _version_for(template: SurveyTemplate, version: SurveyVersion | None) -> SurveyVersion:
    if version is not None:
        if version.template_id != template.id or not version.questions:
            raise SurveyError("version_unknown")
        return version
    usable = versions_with_questions(template)
    if not usable:
        raise SurveyError("no_questions")
    return usable[0]


def create_wave(
    actor: User | None,
    template: SurveyTemplate,
    *,
    opens_on: date,
    closes_on: date,
    invite_pool: bool = True,
    open_link: bool = False,
    languages: list[str] | None = None,
    recurrence_months: int | None = None,
    version: SurveyVersion | None = None,
) -> SurveyWave:
    """Plan a wave of the template. It opens by itself on `opens_on`, and then takes the
    template's latest version with questions — unless `version` pins one.

    Raises SurveyError: `closes_before_opening`, `no_questions` (no version has questions),
    `version_unknown` (the pinned version is not the template's or has no questions), `archived`."""
    if closes_on < opens_on:
        raise SurveyError("closes_before_opening")
    if template.is_archived:
        raise SurveyError("archived")
    chosen = _version_for(template, version)
    number = (
        db.session.scalar(
            select(func.max(SurveyWave.number)).where(SurveyWave.template_id == template.id)
        )
        or 0
    ) + 1
    wave = SurveyWave(
        template=template,
        version=chosen,
        version_pinned=version is not None,
        number=number,
        opens_on=opens_on,
        closes_on=closes_on,
        invite_pool=invite_pool,
        open_link=open_link,
        languages=in_order(template.languages if languages is None else languages),
        recurrence_months=recurrence_months or None,
        status=WaveStatus.DRAFT.value,
    )
    db.session.add(wave)
    db.session.flush()
    record(
        actor,
        "survey_wave.created",
        "survey_wave",
        wave.id,
        template=template.id,
        version=chosen.number if wave.version_pinned else None,
    )
    log.info("survey wave %s planned for template %s", wave.id, template.id)
    return wave


def update_wave(
    actor: User | None,
    wave: SurveyWave,
    *,
    opens_on: date,
    closes_on: date,
    invite_pool: bool,
    open_link: bool,
    languages: list[str],
    recurrence_months: int | None,
    version: SurveyVersion | None = None,
) -> list[str]:
    """Change a planned wave: its days, how people take part, languages, recurrence, and
    whether it keeps a pinned version (`version`) or takes the latest when it opens. Returns the
    names of the fields that changed.

    Raises SurveyError: `not_planned` when the wave opened meanwhile (the change is checked and
    made in one UPDATE, so the scheduler cannot open it halfway), `closes_before_opening`,
    `version_unknown`."""
    if closes_on < opens_on:
        raise SurveyError("closes_before_opening")
    # Unpinned, the wave shows the version it would take today; opening looks again.
    chosen = _version_for(wave.template, version)
    values: dict[str, Any] = {
        "opens_on": opens_on,
        "closes_on": closes_on,
        "invite_pool": invite_pool,
        "open_link": open_link,
        "languages": in_order(languages),
        "recurrence_months": recurrence_months or None,
        "version_pinned": version is not None,
    }
    changed = [name for name, value in values.items() if getattr(wave, name) != value]
    if version is not None and chosen.id != wave.version_id:
        changed.append("version")
    values["version_id"] = chosen.id
    updated = db.session.execute(
        update(SurveyWave)
        .where(SurveyWave.id == wave.id, SurveyWave.status == WaveStatus.DRAFT.value)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not updated:
        raise SurveyError("not_planned")
    db.session.refresh(wave)
    record(actor, "survey_wave.updated", "survey_wave", wave.id, fields=changed)
    log.info("survey wave %s changed: %s", wave.id, ", ".join(changed) or "nothing")
    return changed


def cancel_wave(actor: User | None, wave: SurveyWave) -> None:
    """Delete a planned wave. Nobody was invited yet and nobody can answer it, so nothing else
    goes with it. A wave that planned this one does not plan another: cancelling ends the
    recurrence. Raises SurveyError("not_planned") when the wave opened meanwhile."""
    wave_id, template_id, number = wave.id, wave.template_id, wave.number
    deleted = db.session.execute(
        delete(SurveyWave)
        .where(SurveyWave.id == wave_id, SurveyWave.status == WaveStatus.DRAFT.value)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not deleted:
        raise SurveyError("not_planned")
    db.session.expunge(wave)
    record(
        actor, "survey_wave.cancelled", "survey_wave", wave_id, template=template_id, number=number
    )
    log.info("survey wave %s of template %s cancelled", wave_id, template_id)


def stop_recurrence(actor: User | None, wave: SurveyWave) -> bool:
    """No next wave after this one. Returns False when there was nothing to stop: the wave does
    not recur, or its next wave is planned already (stop or cancel that one instead)."""
    stopped = db.session.execute(
        update(SurveyWave)
        .where(
            SurveyWave.id == wave.id,
            SurveyWave.recurrence_months.is_not(None),
            SurveyWave.next_wave_planned.is_(False),
        )
        .values(recurrence_months=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(wave)
    if not stopped:
        return False
    record(actor, "survey_wave.recurrence_stopped", "survey_wave", wave.id)
    log.info("survey wave %s: recurrence stopped", wave.id)
    return True


def mail_hours_now() -> bool:
    """Whether mail to participants may go out now: only in the daytime, local time."""
    config = current_app.config
    zone = ZoneInfo(config["BABEL_DEFAULT_TIMEZONE"])
    hour = clock.now().astimezone(zone).hour
    return int(config["SURVEY_MAIL_FROM_HOUR"]) <= hour < int(config["SURVEY_MAIL_UNTIL_HOUR"])


def open_wave(actor: User | None, wave: SurveyWave) -> int:
    """Open a planned wave now: take the template's latest version with questions (or the pinned
    one), freeze it, and invite the pool — in the daytime; at night the invitations wait for the
    scheduler's first daytime run (`send_invitations`). Returns how many people were invited now.
    Opening an open or closed wave does nothing."""
    opened = db.session.execute(
        update(SurveyWave)
        .where(SurveyWave.id == wave.id, SurveyWave.status == WaveStatus.DRAFT.value)
        .values(status=WaveStatus.OPEN.value)
    ).rowcount
    if not opened:
        return 0
    db.session.refresh(wave)
    if not wave.version_pinned:
        # The questions as they are today: edits made since the wave was planned reach it.
        latest = versions_with_questions(wave.template)
        if latest:
            wave.version = latest[0]
    wave.version.is_frozen = True
    if wave.opens_on > today():
        wave.opens_on = today()
    db.session.flush()
    invited = send_invitations(wave) if mail_hours_now() else 0
    record(
        actor,
        "survey_wave.opened",
        "survey_wave",
        wave.id,
        version=wave.version.number,
        invited=invited,
        invitations_waiting=wave.invite_pool and not wave.invitations_sent,
    )
    log.info("survey wave %s opened with version %s, %s invited", wave.id, wave.version_id, invited)
    return invited


def send_invitations(wave: SurveyWave) -> int:
    """Invite the pool to an open wave, once (a conditional UPDATE claims the job, so the
    scheduler and an ambassador's button never both send). Returns how many were invited."""
    if not wave.invite_pool or wave.status != WaveStatus.OPEN.value:
        return 0
    claimed = db.session.execute(
        update(SurveyWave)
        .where(
            SurveyWave.id == wave.id,
            SurveyWave.status == WaveStatus.OPEN.value,
            SurveyWave.invitations_sent.is_(False),
        )
        .values(invitations_sent=True)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(wave)
    if not claimed:
        return 0
    return invite_pool(wave)


def _audience_filter(wave: SurveyWave) -> PoolFilter:
    role = (
        ParticipantRole.YOUNG_PERSON.value
        if wave.template.audience == SurveyAudience.YOUNG_PEOPLE.value
        else ""
    )
    return PoolFilter(role=role)


def invitees(wave: SurveyWave) -> list[Participant]:
    """Pool members of the wave's audience who consented to surveys, have an e-mail address and
    were not invited to this wave yet."""
    already = set(
        db.session.scalars(
            select(SurveyInvitation.participant_id).where(SurveyInvitation.wave_id == wave.id)
        )
    )
    people = [
        person
        for person in invitable(_audience_filter(wave), ConsentPurpose.SURVEYS)
        if person.id not in already and person.email
    ]
    if wave.template.audience == SurveyAudience.PARENTS.value:
        people = [person for person in people if person.role != ParticipantRole.YOUNG_PERSON]
    return people


def invite(wave: SurveyWave, person: Participant) -> str:
    """Give one person a personal link to the wave and mail it. Returns the link's secret: only
    its hash is stored; the token is derived from the server secret and the invitation's random
    seed, so a reminder can send the same link (invitation_token)."""
    invitation = SurveyInvitation(wave_id=wave.id, participant_id=person.id, link_seed=random_id())
    token = invitation_token(invitation)
    invitation.token_hash = _hash(token)
    db.session.add(invitation)
    _mail_invitation(wave, person, token, "surveys/invitation")
    return token


def invite_pool(wave: SurveyWave) -> int:
    """Invite everyone in the pool who consented to surveys and was not invited to this wave."""
    people = invitees(wave)
    for person in people:
        invite(wave, person)
    db.session.flush()
    return len(people)


def invitation_token(invitation: SurveyInvitation) -> str:
    """The token in the invitation's link: the same in the invitation and every reminder.

    Derived, never stored: an HMAC (SECRET_KEY) of the invitation's random seed; the database
    keeps only its sha256 (`token_hash`), so a dump holds no working link. A reminder must not
    replace the link: someone halfway through the survey on the first link would lose every
    answer when they send it."""
    return derived_token(f"survey-invitation:{invitation.link_seed}")


def _mail_invitation(wave: SurveyWave, person: Participant, token: str, template: str) -> None:
    locale = person.locale if person.locale in wave.languages else "nl"
    send_template(
        person.email or "",
        template,
        locale,
        name=person.display_name,
        title=wave.template.text("title", locale),
        minutes=wave.template.estimated_minutes,
        closes_on=wave.closes_on,
        link=external_url("surveys.invitation", token=token),
    )


def send_reminders(wave: SurveyWave, actor: User | None = None) -> int:
    """Remind those who have not used their invitation yet, at most twice per wave.

    The count is kept on the wave, not on the invitation, so no invitation shows whether it was
    used before or after a reminder. A reminder carries the same link as the invitation
    (`invitation_token`), so nothing changes for someone who is answering right now."""
    if wave.status != WaveStatus.OPEN.value or wave.reminders_sent >= 2:
        return 0
    sent = db.session.execute(
        update(SurveyWave)
        .where(SurveyWave.id == wave.id, SurveyWave.reminders_sent == wave.reminders_sent)
        .values(reminders_sent=SurveyWave.reminders_sent + 1)
    ).rowcount
    if not sent:
        return 0  # another process sent this reminder
    db.session.refresh(wave)
    invitations = db.session.scalars(
        select(SurveyInvitation)
        .where(SurveyInvitation.wave_id == wave.id, SurveyInvitation.is_used.is_(False))
        .order_by(SurveyInvitation.id)
    ).all()
    reminded = 0
    for invitation in invitations:
        person = db.session.get(Participant, invitation.participant_id)
        if person is None or not person.email:
            continue
        token = invitation_token(invitation)
        if invitation.token_hash != _hash(token):
            # Sent before links were derived (migration 20261204_3c9e4a7d1f26): its first link
            # cannot be sent again, so it gets the derived one now, once.
            invitation.token_hash = _hash(token)
        _mail_invitation(wave, person, token, "surveys/reminder")
        reminded += 1
    record(actor, "survey_wave.reminded", "survey_wave", wave.id, number=wave.reminders_sent)
    log.info("survey wave %s: reminder %s sent to %s", wave.id, wave.reminders_sent, reminded)
    return reminded


def reminder_days(wave: SurveyWave) -> tuple[date, date]:
    """When the two reminders go: a third and two thirds into the wave."""
    length = (wave.closes_on - wave.opens_on).days
    first = wave.opens_on + timedelta(days=max(length // 3, 1))
    second = wave.opens_on + timedelta(days=max(2 * length // 3, 2))
    return first, second


def close_wave(actor: User | None, wave: SurveyWave) -> int:
    """Close an open wave: release everything still held, store the wave's responses again in
    one shuffled order, rewrite the invitations in id order, drop drafts, and tell the
    ambassadors. Returns the number of responses."""
    # FOR UPDATE waits for submissions in progress (they hold KEY SHARE on this row) and makes
    # later ones wait until the wave is closed, when their INSERT finds it closed and stores nothing.
    db.session.execute(select(SurveyWave.id).where(SurveyWave.id == wave.id).with_for_update())
    closed = db.session.execute(
        update(SurveyWave)
        .where(SurveyWave.id == wave.id, SurveyWave.status == WaveStatus.OPEN.value)
        .values(status=WaveStatus.CLOSED.value)
    ).rowcount
    if not closed:
        return 0
    db.session.refresh(wave)
    snapshots.forget_wave(wave.public_key)
    release_pending(wave.id, force=True)
    reshuffle_responses(wave.id)
    rewrite_invitations(wave.id)
    db.session.execute(delete(SurveyDraft).where(SurveyDraft.wave_id == wave.id))
    total = response_count(wave.id)
    _mail_summary(wave)
    # The audit trail and the log get the number as the results page shows it: below k, the
    # size of a wave is a figure about fewer than k people (DESIGN invariant 2).
    shown = shown_count(total, int(current_app.config["K_THRESHOLD"]))
    record(actor, "survey_wave.closed", "survey_wave", wave.id, responses=shown)
    log.info("survey wave %s closed with %s responses", wave.id, _for_log(shown))
    return total


def _for_log(shown: int | None) -> str:
    return "fewer than k" if shown is None else str(shown)


def _mail_summary(wave: SurveyWave) -> None:
    from .queries import closing_summary

    recipients = db.session.scalars(
        select(User).where(User.role == Role.AMBASSADEUR.value, User.is_active.is_(True))
    ).all()
    summary = closing_summary(wave)  # the number of responses in it is protected like the page
    for user in recipients:
        send_template(
            user.email,
            "surveys/wave_closed",
            "nl",
            title=wave.template.text("title", "nl"),
            number=wave.number,
            k=current_app.config["K_THRESHOLD"],
            summary=summary,
            link=external_url("survey_results.wave", wave_id=wave.id),
        )
    wave.summary_sent = True


def plan_next_wave(wave: SurveyWave) -> SurveyWave | None:
    """For a recurring wave: plan the next one, as long as the last, a period later."""
    if not wave.recurrence_months or wave.next_wave_planned:
        return None
    claimed = db.session.execute(
        update(SurveyWave)
        .where(SurveyWave.id == wave.id, SurveyWave.next_wave_planned.is_(False))
        .values(next_wave_planned=True)
    ).rowcount
    if not claimed:
        return None
    if wave.template.is_archived:
        log.info("survey wave %s: no next wave, its template is archived", wave.id)
        return None
    opens_on = add_months(wave.opens_on, wave.recurrence_months)
    # Not pinned, even when this wave was: the next wave takes the latest questions when it opens.
    following = create_wave(
        None,
        wave.template,
        opens_on=opens_on,
        closes_on=opens_on + (wave.closes_on - wave.opens_on),
        invite_pool=wave.invite_pool,
        open_link=wave.open_link,
        languages=list(wave.languages),
        recurrence_months=wave.recurrence_months,
    )
    log.info("survey wave %s planned after wave %s", following.id, wave.id)
    return following


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


def run_waves() -> dict[str, int]:
    """The scheduler's survey job: open due waves, invite and remind (in the daytime only),
    close ended ones, plan the next. Waves open and close on their days whatever the hour."""
    done = {"opened": 0, "invited": 0, "reminded": 0, "closed": 0, "planned": 0}
    now = today()
    daytime = mail_hours_now()
    for wave in db.session.scalars(
        select(SurveyWave).where(
            SurveyWave.status == WaveStatus.DRAFT.value, SurveyWave.opens_on <= now
        )
    ).all():
        done["invited"] += open_wave(None, wave)
        done["opened"] += 1
    for wave in db.session.scalars(
        select(SurveyWave).where(SurveyWave.status == WaveStatus.OPEN.value)
    ).all():
        if wave.closes_on < now:
            close_wave(None, wave)
            done["closed"] += 1
            continue
        if not daytime or not wave.invite_pool:
            continue
        if not wave.invitations_sent:
            # Opened at night: the invitations go now. Reminders wait for a later run.
            done["invited"] += send_invitations(wave)
            continue
        first, second = reminder_days(wave)
        due = 2 if now >= second else 1 if now >= first else 0
        if wave.reminders_sent < due:
            done["reminded"] += send_reminders(wave)
    for wave in db.session.scalars(
        select(SurveyWave).where(
            SurveyWave.status == WaveStatus.CLOSED.value,
            SurveyWave.recurrence_months.is_not(None),
            SurveyWave.next_wave_planned.is_(False),
        )
    ).all():
        if plan_next_wave(wave):
            done["planned"] += 1
    return done


# --- Answering ---------------------------------------------------------------------------------


def find_invitation(token: str) -> SurveyInvitation | None:
    return db.session.scalar(
        select(SurveyInvitation).where(SurveyInvitation.token_hash == _hash(token))
    )


def _claim_invitation(wave_id: int, token: str) -> None:
    """Mark the invitation used — one conditional UPDATE, so a link works exactly once."""
    claimed = db.session.execute(
        update(SurveyInvitation)
        .where(
            SurveyInvitation.token_hash == _hash(token),
            SurveyInvitation.wave_id == wave_id,
            SurveyInvitation.is_used.is_(False),
        )
        .values(is_used=True)
    ).rowcount
    if not claimed:
        raise AlreadyUsed()


def new_resume_code() -> str:
    raw = "".join(_shuffler.choice(RESUME_ALPHABET) for _ in range(12))
    return "-".join(raw[index : index + 4] for index in range(0, 12, 4))


def resume_code_for(ticket: str) -> str:
    """The resume code of a form's first draft, derived from the form's send ticket (tickets.py)
    with a keyed hash: saving the same form twice — a double tap on "Later verder" — gives the
    same code, so the page the person sees always shows the code of their draft. The ticket
    lives only in the respondent's form; without it the code cannot be derived (32 letters in
    the alphabet: each byte picks one without bias)."""
    digest = sealing.keyed_digest("survey resume code", ticket)
    raw = "".join(RESUME_ALPHABET[byte % len(RESUME_ALPHABET)] for byte in digest[:12])
    return "-".join(raw[index : index + 4] for index in range(0, 12, 4))


def normalise_resume_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch in RESUME_ALPHABET)
    return "-".join(cleaned[index : index + 4] for index in range(0, len(cleaned), 4))


@dataclass(frozen=True)
class OpenedDraft:
    """A draft opened with its resume code: what the respondent answered so far."""

    wave_id: int
    language: str
    answers: dict[str, Any]


def _draft_row(code: str) -> SurveyDraft | None:
    draft = db.session.get(SurveyDraft, sealing.draft_lookup(code))
    if draft is None or draft.expires_on < today():
        return None
    return draft


def find_draft(code: str) -> OpenedDraft | None:
    """The draft saved under this resume code (typed in any case, with or without dashes), or
    None when it is unknown, expired, or does not open (the server's sealing key changed)."""
    code = normalise_resume_code(code)
    draft = _draft_row(code)
    if draft is None:
        return None
    try:
        language, answers = sealing.open_draft(code, draft.wave_id, draft.sealed)
    except sealing.Unreadable:
        log.warning("survey wave %s: a draft does not open", draft.wave_id)
        return None
    return OpenedDraft(wave_id=draft.wave_id, language=language, answers=answers)


def save_draft(
    wave_id: int,
    answers: Mapping[str, Any],
    language: str,
    *,
    invitation_token: str | None = None,
    resume_code: str | None = None,
    ticket: str | None = None,
) -> str:
    """Keep the answers so far under a resume code (new, or the one in use) and return the code.

    A new draft of a form with a send ticket gets the code derived from it (resume_code_for);
    saving that form again finds its draft and updates it, so a repeated save never leaves
    answers under a code nobody was shown.

    The answers are sealed with a key derived from the code, which is not stored: only the
    person holding the code can read them (sealing.py). From an invitation, the invitation is
    used up here: from now on only the resume code leads back, and the draft holds no trace of
    who it belongs to. Raises AlreadyUsed when the link or code was used, WaveNotOpen after
    closing."""
    wave = db.session.get(SurveyWave, wave_id)
    if wave is None or wave.status != WaveStatus.OPEN.value:
        raise WaveNotOpen()
    if resume_code:
        code = normalise_resume_code(resume_code)
        draft = _draft_row(code)
        if draft is None or draft.wave_id != wave_id:
            raise AlreadyUsed()
        draft.sealed = sealing.seal_draft(code, wave_id, language, dict(answers))
        db.session.flush()
        return code
    code = resume_code_for(ticket) if ticket else new_resume_code()
    if ticket:
        existing = _draft_row(code)
        if existing is not None:
            if existing.wave_id != wave_id:
                raise AlreadyUsed()
            existing.sealed = sealing.seal_draft(code, wave_id, language, dict(answers))
            db.session.flush()
            return code
    if invitation_token:
        _claim_invitation(wave_id, invitation_token)
    db.session.add(
        SurveyDraft(
            code_hash=sealing.draft_lookup(code),
            wave_id=wave_id,
            sealed=sealing.seal_draft(code, wave_id, language, dict(answers)),
            expires_on=wave.closes_on,
        )
    )
    db.session.flush()
    return code


# The holding-area INSERT, built once: it checks the wave is open in the same statement, and locks
# the wave row FOR KEY SHARE. `close_wave` locks that row FOR UPDATE before it touches invitations
# or drafts, and `submit` takes the row first too, so the two cannot deadlock. Core, not the ORM:
# this is the statement every respondent's send runs.
_pending = PendingSubmission.__table__
_HOLD = (
    insert(_pending)
    .from_select(
        ["id", "wave_id", "sealed"],
        select(
            bindparam("hold_id", type_=String),
            SurveyWave.id,
            bindparam("hold_sealed", type_=LargeBinary),
        )
        .where(
            SurveyWave.id == bindparam("hold_wave", type_=Integer),
            SurveyWave.status == WaveStatus.OPEN.value,
        )
        .with_for_update(read=True, key_share=True),
    )
    .returning(_pending.c.id)  # the rowcount of INSERT … SELECT is not reliable on psycopg
)


# On PostgreSQL a send claims its ticket and holds its answers in one statement (one round trip
# instead of two on the path every respondent's send takes). The claim is an INSERT … ON CONFLICT
# DO NOTHING in a CTE; the holding INSERT runs only when the claim did, and only into an open wave.
_CLAIM_AND_HOLD = text(
    """
    WITH claimed AS (
        INSERT INTO survey_send_tickets (ticket_hash, wave_id)
        VALUES (:ticket_hash, :hold_wave)
        ON CONFLICT (ticket_hash) DO NOTHING
        RETURNING ticket_hash
    ), held AS (
        INSERT INTO survey_pending_submissions (id, wave_id, sealed)
        SELECT :hold_id, survey_waves.id, :hold_sealed
        FROM survey_waves
        WHERE survey_waves.id = :hold_wave
          AND survey_waves.status = 'open'
          AND EXISTS (SELECT 1 FROM claimed)
        FOR KEY SHARE OF survey_waves
        RETURNING id
    )
    SELECT (SELECT count(*) FROM claimed), (SELECT count(*) FROM held)
    """
)


def submit(
    wave_id: int,
    answers: Mapping[str, Any],
    language: str,
    *,
    invitation_token: str | None = None,
    resume_code: str | None = None,
    ticket_hash: str | None = None,
    admit: Callable[[], bool] | None = None,
) -> None:
    """Put a complete response in the holding area; `release_due` releases it with a batch.

    The invitation (or resume code) is used up in the same transaction, so two submissions with
    one link — also at the same moment — give exactly one response; the other raises
    AlreadyUsed. Raises WaveNotOpen when the wave is not open: the status is checked by the
    INSERT itself, under a lock that `close_wave` waits for, so an answer sent while the wave
    closes is either released with it or refused — never left behind. The answers and their
    language are sealed (sealing.py): while they wait, a copy of the database cannot read them,
    so the order of held rows pairs the order of used invitations with nothing readable. Answers
    must be checked already (answering.complete_errors).

    With `ticket_hash` (the form's send ticket, see tickets.py) the ticket is claimed first, in
    the same transaction: raises AlreadySent when it was claimed before. `admit` (the open
    link's rate limit) is asked only for a send that would store something; raises Refused when
    it says no. The caller rolls back on every exception."""
    hold_id = random_id()
    values = {
        "hold_id": hold_id,
        "hold_wave": wave_id,
        "hold_sealed": sealing.seal_held(wave_id, hold_id, language, dict(answers)),
    }
    connection = db.session.connection()
    if ticket_hash is not None and connection.dialect.name == "postgresql":
        claimed, held = connection.execute(
            _CLAIM_AND_HOLD, {**values, "ticket_hash": ticket_hash}
        ).one()
        if not claimed:
            raise AlreadySent()
        if not held:
            raise WaveNotOpen()
    else:
        if ticket_hash is not None and not _claim_ticket(wave_id, ticket_hash):
            raise AlreadySent()
        if connection.execute(_HOLD, values).first() is None:
            raise WaveNotOpen()
    if admit is not None and not admit():
        raise Refused()
    if resume_code:
        removed = db.session.execute(
            delete(SurveyDraft).where(
                SurveyDraft.code_hash == sealing.draft_lookup(normalise_resume_code(resume_code)),
                SurveyDraft.wave_id == wave_id,
            )
        ).rowcount
        if not removed:
            raise AlreadyUsed()
    elif invitation_token:
        _claim_invitation(wave_id, invitation_token)
    # Batches are released by the scheduler (release_due), not here: a submission stays one
    # small INSERT, however many people answer at the same moment.


def release_batch_size() -> int:
    config = current_app.config
    return max(int(config["K_THRESHOLD"]), int(config.get("SURVEY_RELEASE_BATCH", 0)))


def pending_count(wave_id: int) -> int:
    return db.session.scalar(select(func.count()).where(PendingSubmission.wave_id == wave_id)) or 0


def response_count(wave_id: int) -> int:
    return db.session.scalar(select(func.count()).where(SurveyResponse.wave_id == wave_id)) or 0


def release_pending(wave_id: int, *, force: bool = False) -> int:
    """Open held submissions, store them in the answers tables in a shuffled order, and rewrite
    the wave's invitations in id order.

    Only when at least a batch waits (or `force`, at closing). The wave row is locked first, so
    two releases of the same batch run one after the other, and the rows are taken with
    DELETE … RETURNING, so no held row is released twice. This is the only place that opens
    held submissions (sealing.py), in memory. One that does not open (the sealing key was
    changed while it waited) stays held and is logged: nothing is lost, and it is released once
    the old key is back. Returns the number of responses released."""
    # FOR NO KEY UPDATE: it waits for another release, but not for submissions, whose foreign
    # key check holds a KEY SHARE lock on the same wave row (FOR UPDATE would deadlock with them).
    db.session.execute(
        select(SurveyWave.id).where(SurveyWave.id == wave_id).with_for_update(key_share=True)
    )
    if not force and pending_count(wave_id) < release_batch_size():
        return 0
    opened: dict[str, tuple[str, dict[str, Any]]] = {}
    unreadable = 0
    for hold_id, sealed in db.session.execute(
        select(PendingSubmission.id, PendingSubmission.sealed).where(
            PendingSubmission.wave_id == wave_id
        )
    ):
        try:
            opened[hold_id] = sealing.open_held(wave_id, hold_id, sealed)
        except sealing.Unreadable:
            unreadable += 1
    if unreadable:
        log.error(
            "survey wave %s: %s held submissions do not open with the current sealing key; "
            "they stay held (was SURVEY_SEALING_KEY or SECRET_KEY changed?)",
            wave_id,
            unreadable,
        )
    if not opened or (not force and len(opened) < release_batch_size()):
        return 0  # a batch is never smaller than k, also when some did not open
    taken = db.session.scalars(
        delete(PendingSubmission)
        .where(PendingSubmission.wave_id == wave_id, PendingSubmission.id.in_(list(opened)))
        .returning(PendingSubmission.id)
    ).all()
    if not taken:
        return 0
    batch = [opened[hold_id] for hold_id in taken]
    _shuffler.shuffle(batch)
    wave = db.session.get_one(SurveyWave, wave_id)
    questions = {question.code: question for question in wave.version.questions}
    coder = _coder() if any(q.kind in answering.MAX_LENGTH for q in questions.values()) else None
    released_on = today()
    answer_rows: list[dict[str, Any]] = []
    for language, answers in batch:
        # Responses one INSERT at a time, so storage order follows the shuffled order; then all
        # their answers in one multi-row INSERT, in the same order. The language is only the
        # coder's hint: the response does not keep it (see SurveyResponse).
        response_id = random_id()
        db.session.execute(
            insert(SurveyResponse).values(id=response_id, wave_id=wave_id, released_on=released_on)
        )
        answer_rows.extend(
            {"response_id": response_id, **row}
            for row in _answer_values(questions, answers, language, coder)
        )
    if answer_rows:
        db.session.execute(insert(SurveyAnswer), answer_rows)
    # The invitations used since the last release now stand at the end of the table (PostgreSQL
    # writes an updated row anew; SQLite's log keeps the pages in commit order). Written again in
    # id order, storage shows at most who answered since the previous release — never which of
    # the released answers is theirs.
    rewrite_invitations(wave_id)
    # Only the last batch, at closing, can be smaller than k: its size would say how many
    # answered since the previous release.
    shown = shown_count(len(batch), int(current_app.config["K_THRESHOLD"]))
    log.info("survey wave %s: a batch of %s responses released", wave_id, _for_log(shown))
    return len(batch)


def release_due() -> int:
    """The scheduler's release job: every open wave with at least a batch waiting."""
    due = db.session.scalars(
        select(PendingSubmission.wave_id)
        .join(SurveyWave, SurveyWave.id == PendingSubmission.wave_id)
        .where(SurveyWave.status == WaveStatus.OPEN.value)
        .group_by(PendingSubmission.wave_id)
        .having(func.count() >= release_batch_size())
    ).all()
    return sum(release_pending(wave_id) for wave_id in due)


def _coder():  # type: ignore[no-untyped-def]
    """The theme coder (one per process, codebook and learned layer: see current_coder)."""
    from ..themes.queries import current_coder

    return current_coder()


def _answer_values(
    questions: Mapping[str, SurveyQuestion],
    answers: Mapping[str, Any],
    language: str,
    coder: Any,
) -> list[dict[str, Any]]:
    """The answer rows of one response, as column values. Open answers are scrubbed and coded
    here, once: the raw text never reaches the answers table."""
    empty = {
        "choice": None,
        "number": None,
        "text": None,
        "text_language": None,
        "sentiment": None,
        "sentiment_score": None,
        "themes": [],
    }
    rows: list[dict[str, Any]] = []
    for code, value in answers.items():
        question = questions.get(code)
        if question is None:
            continue
        if question.kind == QuestionKind.MULTIPLE:
            rows.extend(
                {**empty, "question_id": question.id, "choice": str(item)} for item in value
            )
        elif question.kind == QuestionKind.GRADE:
            rows.append({**empty, "question_id": question.id, "number": int(value)})
        elif question.kind in answering.MAX_LENGTH:
            coded = coder.code(str(value), language)
            rows.append(
                {
                    "question_id": question.id,
                    "choice": None,
                    "number": None,
                    "text": coded.scrubbed,
                    "text_language": coded.language,
                    "sentiment": coded.sentiment,
                    "sentiment_score": round(coded.sentiment_score, 3),
                    "themes": [
                        {
                            "slug": match.slug,
                            "confidence": round(match.confidence, 3),
                            "evidence": list(match.evidence),
                        }
                        for match in coded.themes
                    ],
                }
            )
        else:
            rows.append({**empty, "question_id": question.id, "choice": str(value)})
    return rows


def reshuffle_responses(wave_id: int) -> int:
    """Store all of a closed wave's responses again in one random order, so the batches they
    were released in leave no trace in storage order."""
    responses = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.wave_id == wave_id)
    ).all()
    copies = [
        (
            response.id,
            response.released_on,
            [
                {
                    column: getattr(answer, column)
                    for column in (
                        "question_id",
                        "choice",
                        "number",
                        "text",
                        "text_language",
                        "sentiment",
                        "sentiment_score",
                        "themes",
                    )
                }
                for answer in response.answers
            ],
        )
        for response in responses
    ]
    if not copies:
        return 0
    ids = [entry[0] for entry in copies]
    db.session.execute(delete(SurveyAnswer).where(SurveyAnswer.response_id.in_(ids)))
    db.session.execute(delete(SurveyResponse).where(SurveyResponse.id.in_(ids)))
    for response in responses:  # their rows are gone; new objects take over the same ids
        for answer in response.answers:
            db.session.expunge(answer)
        db.session.expunge(response)
    _shuffler.shuffle(copies)
    latest = max(entry[1] for entry in copies)
    for response_id, _released_on, answers in copies:
        response = SurveyResponse(id=response_id, wave_id=wave_id, released_on=latest)
        response.answers = [SurveyAnswer(**values) for values in answers]
        db.session.add(response)
        db.session.flush()
    return len(copies)


_invitations = SurveyInvitation.__table__
_REWRITE = (
    update(_invitations)
    .where(_invitations.c.id == bindparam("rewrite_id", type_=Integer))
    .values(is_used=_invitations.c.is_used)
)
# How long a release waits to rewrite the invitations table before it rewrites row by row.
REWRITE_LOCK_TIMEOUT = "5s"


def rewrite_invitations(wave_id: int) -> None:
    """Store the invitations again in id order, at every release and at closing.

    PostgreSQL stores an updated row as a new row version, mostly at the end of the table, so
    the physical order of invitations (and the dead versions left behind) would show the order
    in which links were used. CLUSTER writes the table anew in id order, without dead versions;
    invitations used after this stand apart again, but only until the next release. When the
    table is busy for too long, every row of the wave is updated once more in id order instead
    (which leaves old versions until compact_storage). SQLite updates these rows in place, in
    id order already; its write-ahead log is emptied after each release (tasks.release_due)."""
    if db.session.get_bind().dialect.name != "postgresql" or _cluster_invitations():
        return
    ids = db.session.scalars(
        select(SurveyInvitation.id)
        .where(SurveyInvitation.wave_id == wave_id)
        .order_by(SurveyInvitation.id)
    ).all()
    if ids:
        # One statement per row, in order: one UPDATE of the whole wave would write the rows
        # in their current, revealing order.
        db.session.connection().execute(_REWRITE, [{"rewrite_id": id_} for id_ in ids])


def _cluster_invitations() -> bool:
    """CLUSTER the invitations table on its primary key, inside the caller's transaction.

    CLUSTER locks the table against everything until the release commits, so it gives up after
    REWRITE_LOCK_TIMEOUT rather than make every invitation link wait behind it."""
    try:
        with db.session.begin_nested():
            db.session.execute(text(f"SET LOCAL lock_timeout = '{REWRITE_LOCK_TIMEOUT}'"))
            db.session.execute(text("CLUSTER survey_invitations USING pk_survey_invitations"))
    except DBAPIError:  # busy (lock timeout), or not the table's owner
        log.warning("survey invitations not clustered (busy or not owner): rewritten row by row")
        return False
    db.session.execute(text("SET LOCAL lock_timeout TO DEFAULT"))
    return True


def delete_expired_drafts() -> int:
    return db.session.execute(delete(SurveyDraft).where(SurveyDraft.expires_on < today())).rowcount
