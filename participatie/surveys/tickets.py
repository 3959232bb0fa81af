"""Send tickets: one survey form gives at most one response, however often Send is pressed.

The first survey page puts a random ticket in a hidden field, and every later page of the same
form carries it. Sending claims the ticket — its hash, in `survey_send_tickets` under a primary
key — in the same transaction that stores the answers. A second send of the same form (a double
tap, a reload of the last page, the page sent again from a second tab) finds the ticket claimed
and stores nothing; the database decides which of two sends at the same moment wins.

The table holds the hash and the wave and nothing else: no time, no counter, no key to a
response, a draft or an invitation. A claim says only "a form of this wave was sent"; after
closing it has no use and `delete_closed_claims` removes it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from . import operations
from .models import SurveyWave, WaveStatus

log = logging.getLogger(__name__)

TICKET_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class SendTicket(db.Model):
    """A claimed send ticket: the form with this ticket was sent (see the module docstring)."""

    __tablename__ = "survey_send_tickets"

    ticket_hash: Mapped[str] = mapped_column(
        String(64), primary_key=True, comment="sha256 of the form's ticket; unique, so one send"
    )
    wave_id: Mapped[int] = mapped_column(
        ForeignKey("survey_waves.id", ondelete="CASCADE"),
        index=True,
        comment="only to remove the claims once the wave has closed",
    )


# Raised by `send`; defined with the operation that raises them.
AlreadySent = operations.AlreadySent
Refused = operations.Refused


def new_ticket() -> str:
    return secrets.token_urlsafe(24)


def clean_ticket(value: Any) -> str | None:
    """The ticket from a form, or None when it is missing or not one of ours."""
    if isinstance(value, str) and TICKET_PATTERN.fullmatch(value):
        return value
    return None


def _hash(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


def claim(wave_id: int, ticket: str) -> bool:
    """Claim `ticket` on its own; False when it was claimed already (a send claims its ticket
    inside `operations.submit`)."""
    return operations._claim_ticket(wave_id, _hash(ticket))


def send(
    wave_id: int,
    ticket: str,
    answers: Mapping[str, Any],
    language: str,
    *,
    invitation_token: str | None = None,
    resume_code: str | None = None,
    admit: Callable[[], bool] | None = None,
) -> None:
    """Send a complete response once per ticket: claim the ticket, store the answers in the
    holding area, and ask `admit` (the rate limit of the open link, counted only for a send that
    stores something) — all in the caller's transaction, so a refusal or failure leaves the
    ticket unclaimed (on PostgreSQL the claim and the holding INSERT are one statement).

    Raises AlreadySent when the ticket was claimed before, Refused when `admit` says no, and
    AlreadyUsed or WaveNotOpen from `operations.submit`. The caller rolls back on any of them."""
    operations.submit(
        wave_id,
        answers,
        language,
        invitation_token=invitation_token,
        resume_code=resume_code,
        ticket_hash=_hash(ticket),
        admit=admit,
    )


def delete_closed_claims() -> int:
    """Remove the claims of every wave that is no longer open (a closed wave takes no sends)."""
    removed = db.session.execute(
        delete(SendTicket).where(
            SendTicket.wave_id.in_(
                select(SurveyWave.id).where(SurveyWave.status != WaveStatus.OPEN.value)
            )
        )
    ).rowcount
    if removed:
        log.info("survey send tickets of closed waves removed: %s", removed)
    return removed
