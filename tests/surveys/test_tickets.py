"""Send tickets: a claimed ticket cannot be claimed again, a failed send leaves it free, and the
claims of closed waves are removed. The concurrency through the pages is in test_views.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import func, inspect, select

from participatie.db import db, run_in_transaction
from participatie.surveys import operations, tasks, tickets
from participatie.surveys.models import PendingSubmission, SurveyWave
from participatie.surveys.tickets import SendTicket
from tests.surveys.conftest import small_answers


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_ticket_is_claimed_once(app: Flask, open_wave: Callable[..., SurveyWave]) -> None:
    wave = open_wave()
    ticket, other = tickets.new_ticket(), tickets.new_ticket()
    with app.app_context():
        assert tickets.claim(wave.id, ticket) is True
        db.session.commit()
        assert tickets.claim(wave.id, ticket) is False
        assert tickets.claim(wave.id, other) is True
        db.session.commit()
        stored = db.session.scalars(select(SendTicket.ticket_hash)).all()
        assert len(stored) == 2 and ticket not in stored  # only hashes


def test_a_refused_or_failed_send_leaves_the_ticket_free(
    app: Flask, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    ticket = tickets.new_ticket()
    with app.app_context():
        with pytest.raises(tickets.Refused):
            run_in_transaction(
                lambda: tickets.send(wave.id, ticket, small_answers(), "nl", admit=lambda: False)
            )
        db.session.rollback()
        with pytest.raises(operations.AlreadyUsed):
            run_in_transaction(
                lambda: tickets.send(wave.id, ticket, small_answers(), "nl", resume_code="X")
            )
        db.session.rollback()
        assert _count(SendTicket) == 0 and _count(PendingSubmission) == 0
        run_in_transaction(lambda: tickets.send(wave.id, ticket, small_answers(), "nl"))
        with pytest.raises(tickets.AlreadySent):
            run_in_transaction(lambda: tickets.send(wave.id, ticket, small_answers(), "nl"))
        db.session.rollback()
        assert _count(PendingSubmission) == 1


def test_claims_of_closed_waves_are_removed_by_the_nightly_job(
    app: Flask, open_wave: Callable[..., SurveyWave]
) -> None:
    closing, staying = open_wave(), open_wave()
    with app.app_context():
        for wave in (closing, closing, staying):
            tickets.send(wave.id, tickets.new_ticket(), small_answers(), "nl")
        db.session.commit()
        operations.close_wave(None, db.session.get_one(SurveyWave, closing.id))
        db.session.commit()
        tasks.compact_storage()
        assert db.session.scalars(select(SendTicket.wave_id)).all() == [staying.id]


def test_the_ticket_table_knows_no_time_and_no_response(app: Flask) -> None:
    with app.app_context():
        inspector = inspect(db.engine)
        columns = {
            column["name"]: column for column in inspector.get_columns(SendTicket.__tablename__)
        }
        assert set(columns) == {"ticket_hash", "wave_id"}
        assert all("TIME" not in str(column["type"]).upper() for column in columns.values())
        foreign = {fk["referred_table"] for fk in inspector.get_foreign_keys("survey_send_tickets")}
        assert foreign == {"survey_waves"}
        assert inspector.get_pk_constraint("survey_send_tickets")["constrained_columns"] == [
            "ticket_hash"
        ]
