from __future__ import annotations

import threading

import pytest
from flask import Flask

from participatie.db import db
from participatie.participants import operations
from participatie.participants.models import Participant, TokenPurpose


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("06 12345678", "+31612345678"),
        ("06-1234 5678", "+31612345678"),
        ("+31 6 1234 5678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("(06) 12 34 56 78", "+31612345678"),
        ("+32 470 12 34 56", "+32470123456"),
        ("", None),
        (None, None),
    ],
)
def test_phone_numbers_are_normalised(raw: str | None, normalised: str | None) -> None:
    assert operations.normalise_phone(raw) == normalised


@pytest.mark.parametrize("raw", ["12ab", "06", "+0612345678", "0612345678901234567", "bel me"])
def test_bad_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(operations.InvalidPhoneError):
        operations.normalise_phone(raw)


def test_a_token_spent_by_two_requests_at_once_works_once(app: Flask, create_participant) -> None:
    participant_id = create_participant()
    with app.app_context():
        token = operations.issue_token(
            db.session.get(Participant, participant_id), TokenPurpose.MANAGE
        )
        db.session.commit()
    barrier = threading.Barrier(8)
    results: list[bool] = []
    lock = threading.Lock()

    def spend() -> None:
        with app.app_context():
            barrier.wait()
            try:
                participant = operations.use_token(token, TokenPurpose.MANAGE)
                db.session.commit()
            except Exception:  # a database lock error counts as "not spent"
                db.session.rollback()
                participant = None
            with lock:
                results.append(participant is not None)

    threads = [threading.Thread(target=spend) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1


def test_a_token_only_works_for_its_purpose(app: Flask, create_participant) -> None:
    participant_id = create_participant()
    with app.app_context():
        token = operations.issue_token(
            db.session.get(Participant, participant_id), TokenPurpose.MANAGE
        )
        assert operations.use_token(token, TokenPurpose.CONFIRM_EMAIL) is None
        assert operations.use_token("x" * 300, TokenPurpose.MANAGE) is None
        assert operations.use_token(token, TokenPurpose.MANAGE) is not None


def test_tokens_are_stored_hashed(app: Flask, create_participant) -> None:
    from sqlalchemy import select

    from participatie.participants.models import ParticipantToken

    participant_id = create_participant()
    with app.app_context():
        token = operations.issue_token(
            db.session.get(Participant, participant_id), TokenPurpose.MANAGE
        )
        stored = db.session.scalar(select(ParticipantToken.token_hash))
    assert token not in stored and len(stored) == 64


def test_withdrawing_pool_consent_stops_and_giving_it_back_restarts(
    app: Flask, create_participant
) -> None:
    participant_id = create_participant()
    with app.app_context():
        participant = db.session.get(Participant, participant_id)
        operations.set_consent(participant, "pool", False)
        assert participant.status == "stopped"
        operations.set_consent(participant, "pool", True)
        assert participant.status == "active"
        assert [c.purpose for c in participant.consents].count("pool") == 2


def test_pausing_needs_an_active_participant(app: Flask, create_participant) -> None:
    participant_id = create_participant(status="new")
    with app.app_context(), pytest.raises(operations.PoolError):
        operations.set_paused(db.session.get(Participant, participant_id), True)
