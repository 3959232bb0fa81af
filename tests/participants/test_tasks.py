"""Retention jobs: unconfirmed sign-ups, under-16 without guardian, the 'stay?' question."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from participatie import clock
from participatie.db import db
from participatie.participants import tasks
from participatie.participants.models import Participant
from tests.participants.helpers import follow, mail_to, sign_up


def ids(app: Flask) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(Participant.id)))


def run(app: Flask, job) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        count = job()
        db.session.commit()
        return count


def test_unconfirmed_signups_are_deleted_after_7_days(app: Flask, client, smtp) -> None:  # type: ignore[no-untyped-def]
    start = clock.now()
    with clock.frozen_at(start):
        sign_up(client, email="laat@example.org")
        sign_up(client, email="op.tijd@example.org")
        follow(client, mail_to(smtp, "op.tijd@example.org", 2))
    with clock.frozen_at(start + timedelta(days=6, hours=23)):
        assert run(app, tasks.purge_unconfirmed) == 0
    with clock.frozen_at(start + timedelta(days=7, minutes=1)):
        assert run(app, tasks.purge_unconfirmed) == 1
    with app.app_context():
        assert [p.email for p in db.session.scalars(select(Participant))] == ["op.tijd@example.org"]


def test_under_16_without_guardian_is_deleted_after_14_days(app: Flask, client, smtp) -> None:  # type: ignore[no-untyped-def]
    start = clock.now()
    with clock.frozen_at(start):
        sign_up(
            client,
            role="young_person",
            age_band="12-15",
            email="jong@example.org",
            guardian_email="ouder@example.org",
        )
        follow(client, mail_to(smtp, "jong@example.org", 2))
    with clock.frozen_at(start + timedelta(days=13)):
        assert run(app, tasks.purge_unconfirmed) == 0
    with clock.frozen_at(start + timedelta(days=14, minutes=1)):
        assert run(app, tasks.purge_unconfirmed) == 1
    assert ids(app) == set()


def test_inactive_people_are_asked_to_stay_and_deleted_without_answer(
    app: Flask,
    client,
    create_participant,
    smtp,  # type: ignore[no-untyped-def]
) -> None:
    quiet = create_participant(email="stil@example.org")
    answers = create_participant(email="blijft@example.org")
    busy = create_participant(email="actief@example.org")
    start = clock.now()
    with app.app_context():
        for participant_id in (quiet, answers):
            db.session.get(Participant, participant_id).last_activity_at = start - timedelta(
                days=740
            )
        db.session.get(Participant, busy).last_activity_at = start - timedelta(days=600)
        db.session.commit()
    with clock.frozen_at(start):
        assert run(app, tasks.ask_inactive_to_stay) == 2
        assert run(app, tasks.ask_inactive_to_stay) == 0  # asked once
    mails = smtp.wait_for(2)
    assert sorted(m["X-Envelope-To"] for m in mails) == ["blijft@example.org", "stil@example.org"]
    with clock.frozen_at(start + timedelta(days=3)):
        follow(client, mail_to(smtp, "blijft@example.org", 2))
    with clock.frozen_at(start + timedelta(days=29)):
        assert run(app, tasks.delete_without_stay_answer) == 0
    with clock.frozen_at(start + timedelta(days=31)):
        assert run(app, tasks.delete_without_stay_answer) == 1
    assert ids(app) == {answers, busy}


def test_retention_jobs_are_registered_with_the_scheduler(app: Flask) -> None:
    from participatie.scheduler import registered_jobs

    jobs = {job.id for job in registered_jobs(app)}
    assert {
        "participants.purge_unconfirmed",
        "participants.ask_inactive_to_stay",
        "participants.delete_without_stay_answer",
    } <= jobs
