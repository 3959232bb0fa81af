"""The attacker's view (DESIGN invariant 1): with a full copy of the database and the logs, can
anyone tell which participant gave which answers?

Thirty invited pool members answer one by one, in an order the attacker does not know, each with
answers the test can recognise. Then the test looks at everything an administrator with a dump
has: every table and column, the order rows are stored in (SQLite rowid, PostgreSQL ctid), the
SQLite database file and its write-ahead log, and every log line — and tries to pair responses
with people.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import inspect, select, text
from sqlalchemy.engine.url import make_url

from participatie import clock
from participatie.db import db
from participatie.participants.models import Participant
from participatie.surveys import operations, tasks
from participatie.surveys.models import SurveyResponse, SurveyWave
from tests.support.smtp import SMTPServer
from tests.surveys.conftest import Respondent

PEOPLE = 30
# Words the scrubber leaves alone, one per respondent, so the test can recognise each response.
MARKERS = [
    "aardbei",
    "banaan",
    "citroen",
    "dadel",
    "framboos",
    "granaat",
    "kiwi",
    "limoen",
    "mango",
    "nectarine",
    "olijf",
    "papaja",
    "peer",
    "pruim",
    "rabarber",
    "sinaasappel",
    "tomaat",
    "ui",
    "vijg",
    "watermeloen",
    "abrikoos",
    "bosbes",
    "courgette",
    "druif",
    "erwt",
    "komkommer",
    "linze",
    "meloen",
    "noot",
    "paprika",
]
ANSWER_SIDE = ("survey_pending_submissions", "survey_responses", "survey_answers", "survey_drafts")


@pytest.fixture
def answered(
    app: Flask,
    open_wave: Callable[..., SurveyWave],
    create_participant: Callable[..., int],
    smtp: SMTPServer,
    caplog: pytest.LogCaptureFixture,
) -> dict[str, Any]:
    """Thirty people answer in a secret order over several days; the wave then closes."""
    caplog.set_level(logging.DEBUG)
    people = [create_participant(display_name=f"Persoon{n:02d}") for n in range(PEOPLE)]
    start = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    with clock.frozen_at(start):
        wave = open_wave(invite_pool=True, open_link=False, days=30)
        messages = smtp.wait_for(PEOPLE)
        assert len(messages) == PEOPLE
        links = {
            message["To"]: next(link for link in smtp.links_in(message) if "/uitnodiging/" in link)
            for message in messages
        }
        with app.app_context():
            emails = {
                person_id: db.session.get_one(Participant, person_id).email for person_id in people
            }
        order = people[:]
        random.Random(20270301).shuffle(order)  # the order the attacker wants to learn
        marker_of: dict[int, str] = {}
        for turn, person_id in enumerate(order):
            clock.advance(timedelta(hours=5))  # answers spread over several days
            marker = MARKERS[turn]
            marker_of[person_id] = marker
            client = app.test_client()
            path = "/" + links[emails[person_id]].split("://", 1)[1].split("/", 1)[1]
            person = Respondent(client, wave, start_url=path).press("start")
            person.press("next", role="parent", organisations=["swa"])
            person.press(
                "next", knows_responsible=str(turn % 5 + 1), overall_grade=str(turn % 10 + 1)
            )
            person.press("submit", should_change=f"Meer {marker} en bel mij op 06-1234{turn:04d}")
            assert person.status == 303, person.html
        with app.app_context():
            operations.close_wave(None, db.session.get_one(SurveyWave, wave.id))
            db.session.commit()
            tasks.compact_storage()
    return {
        "wave": wave,
        "order": order,
        "marker_of": marker_of,
        "emails": emails,
        "tokens": [link.rsplit("/", 1)[1] for link in links.values()],
        # The application's log lines; the test's own SMTP server (aiosmtpd) logs addresses.
        "logs": "\n".join(
            record.getMessage() for record in caplog.records if not record.name.startswith("mail.")
        ),
    }


def _rows_in_storage_order(table: str) -> list[dict[str, Any]]:
    position = "rowid" if db.engine.dialect.name == "sqlite" else "ctid"
    rows = db.session.execute(text(f"SELECT * FROM {table} ORDER BY {position}"))
    return [dict(row._mapping) for row in rows]


def _who_gave(response_id: str, marker_of: dict[int, str]) -> int:
    texts = db.session.scalars(
        text("SELECT text FROM survey_answers WHERE response_id = :id AND text IS NOT NULL"),
        {"id": response_id},
    ).all()
    joined = " ".join(texts)
    matches = [person for person, marker in marker_of.items() if f" {marker} " in f" {joined} "]
    assert len(matches) == 1, joined
    return matches[0]


def _rank_correlation(first: list[int], second: list[int]) -> float:
    n = len(first)
    squared = sum((a - b) ** 2 for a, b in zip(first, second, strict=True))
    return 1 - 6 * squared / (n * (n * n - 1))


def test_the_answer_side_has_no_column_that_could_point_to_a_person(app: Flask) -> None:
    with app.app_context():
        inspector = inspect(db.engine)
        for table in ANSWER_SIDE:
            columns = {column["name"]: column for column in inspector.get_columns(table)}
            for name, column in columns.items():
                assert not re.search(r"participant|invit|token|user|ip|agent|created|_at$", name), (
                    table,
                    name,
                )
                # Dates, never times: a day is the finest grain stored.
                assert "TIME" not in str(column["type"]).upper(), (table, name)
            foreign = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
            assert foreign <= {"survey_waves", "survey_responses", "survey_questions"}, table
        invitation_columns = {c["name"] for c in inspector.get_columns("survey_invitations")}
        assert invitation_columns == {"id", "wave_id", "participant_id", "token_hash", "is_used"}


def test_an_attacker_with_the_database_and_logs_cannot_link_answers_to_people(
    app: Flask, answered: dict[str, Any]
) -> None:
    order: list[int] = answered["order"]
    marker_of: dict[int, str] = answered["marker_of"]
    with app.app_context():
        # Everything answered arrived, nothing waits, and every invitation says only "used".
        assert db.session.scalar(text("SELECT count(*) FROM survey_pending_submissions")) == 0
        invitations = _rows_in_storage_order("survey_invitations")
        assert len(invitations) == PEOPLE and all(row["is_used"] for row in invitations)

        # No value on the answer side mentions a person, an address, a link or a token hash.
        secrets = [str(email) for email in answered["emails"].values()]
        secrets += [f"Persoon{n:02d}" for n in range(PEOPLE)] + answered["tokens"]
        secrets += [row["token_hash"] for row in invitations]
        for table in ANSWER_SIDE:
            dump = repr(_rows_in_storage_order(table))
            for secret in secrets:
                assert secret not in dump, (table, secret)
        assert "06-1234" not in repr(_rows_in_storage_order("survey_answers"))

        # Time: one day for all responses of the wave, so the day tells nothing either.
        days = set(db.session.scalars(select(SurveyResponse.released_on)))
        assert len(days) == 1 and isinstance(next(iter(days)), date)

        # Storage order of responses and of their answers says nothing about answering order.
        responses = _rows_in_storage_order("survey_responses")
        givers = [_who_gave(row["id"], marker_of) for row in responses]
        assert sorted(givers) == sorted(order)
        turn_of = {person: turn for turn, person in enumerate(order)}
        stored_turns = [turn_of[person] for person in givers]
        assert abs(_rank_correlation(stored_turns, list(range(PEOPLE)))) < 0.7
        by_order_guess = sum(
            1 for stored, turn in zip(stored_turns, range(PEOPLE), strict=False) if stored == turn
        )
        assert by_order_guess <= 6  # pairing the n-th stored with the n-th answer: chance level
        sorted_ids = sorted(row["id"] for row in responses)
        id_turns = [turn_of[_who_gave(rid, marker_of)] for rid in sorted_ids]
        assert abs(_rank_correlation(id_turns, list(range(PEOPLE)))) < 0.7
        answer_rows = _rows_in_storage_order("survey_answers")
        first_seen: list[str] = []
        for row in answer_rows:
            if row["response_id"] not in first_seen:
                first_seen.append(row["response_id"])
        answer_turns = [turn_of[_who_gave(rid, marker_of)] for rid in first_seen]
        assert abs(_rank_correlation(answer_turns, list(range(PEOPLE)))) < 0.7

        # Invitations are stored in the order they were sent, not the order they were used:
        # pairing the n-th stored invitation with the n-th stored response is chance.
        assert [row["id"] for row in invitations] == sorted(row["id"] for row in invitations)
        invited = [row["participant_id"] for row in invitations]
        guesses = sum(1 for person, giver in zip(invited, givers, strict=True) if person == giver)
        assert guesses <= 6

        if db.engine.dialect.name == "sqlite":
            database = Path(make_url(str(db.engine.url)).database or "")
            for path in (database, Path(f"{database}-wal")):
                if path.exists():
                    content = path.read_bytes()
                    # The raw phone numbers lived only in the holding area: wiped, not left over.
                    assert b"06-1234" not in content, path

    logs = answered["logs"]
    for secret in [*answered["emails"].values(), *answered["tokens"], *marker_of.values()]:
        assert str(secret) not in logs
    assert "Persoon" not in logs and "06-1234" not in logs and "127.0.0.1" not in logs
