"""Retention of pool data, run daily by the scheduler. Each job is idempotent."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, or_, select

from .. import clock
from ..db import db
from ..mail import external_url
from .models import Participant, Status, TokenPurpose
from .operations import delete_participant, issue_token, log_event, send_to_participant

logger = logging.getLogger(__name__)


def purge_unconfirmed() -> int:
    """Delete sign-ups not confirmed in time: own e-mail after UNCONFIRMED_DAYS, a guardian's
    confirmation (under 16) after GUARDIAN_DAYS."""
    now = clock.now()
    config = current_app.config
    own_deadline = now - timedelta(days=config["UNCONFIRMED_DAYS"])
    guardian_deadline = now - timedelta(days=config["GUARDIAN_DAYS"])
    stale = db.session.scalars(
        select(Participant).where(
            Participant.status == Status.NEW.value,
            or_(
                and_(
                    Participant.created_at < own_deadline,
                    Participant.email_confirmed_at.is_(None),
                    Participant.confirmed_by_staff_at.is_(None),
                ),
                and_(
                    Participant.created_at < guardian_deadline,
                    Participant.guardian_email.is_not(None),
                    Participant.guardian_confirmed_at.is_(None),
                ),
            ),
        )
    ).all()
    for participant in stale:
        delete_participant(participant)
    logger.info("unconfirmed sign-ups deleted count=%s", len(stale))
    return len(stale)


def ask_inactive_to_stay() -> int:
    """Mail everyone without activity for INACTIVE_MONTHS: do you want to stay in the pool?"""
    now = clock.now()
    cutoff = now - timedelta(days=round(current_app.config["INACTIVE_MONTHS"] * 30.44))
    quiet = db.session.scalars(
        select(Participant).where(
            Participant.status != Status.NEW.value,
            Participant.last_activity_at < cutoff,
            Participant.stay_asked_at.is_(None),
        )
    ).all()
    for participant in quiet:
        participant.stay_asked_at = now
        if participant.email:
            token = issue_token(participant, TokenPurpose.STAY)
            send_to_participant(
                participant,
                participant.email,
                "participants/stay",
                link=external_url("participants.confirm_stay", token=token),
                days=current_app.config["STAY_ANSWER_DAYS"],
            )
            log_event(participant, "stay_asked")
        else:
            # No e-mail: the ambassadors see this in the history and call.
            log_event(participant, "stay_call_needed")
    db.session.flush()
    logger.info("asked to stay count=%s", len(quiet))
    return len(quiet)


def delete_without_stay_answer() -> int:
    """Delete those who did not answer the 'stay?' question within STAY_ANSWER_DAYS."""
    cutoff = clock.now() - timedelta(days=current_app.config["STAY_ANSWER_DAYS"])
    gone = db.session.scalars(
        select(Participant).where(
            Participant.stay_asked_at.is_not(None), Participant.stay_asked_at < cutoff
        )
    ).all()
    for participant in gone:
        delete_participant(participant)
    logger.info("deleted after no answer count=%s", len(gone))
    return len(gone)
