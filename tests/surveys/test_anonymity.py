"""The attacker's view (DESIGN invariant 1): with a full copy of the database and the logs, can
anyone tell which participant gave which answers?

Thirty invited pool members answer one by one, in an order the attacker does not know, each with
answers the test can recognise. Then the test looks at everything an administrator with a dump
has: every table and column, the order rows are stored in (SQLite rowid, PostgreSQL ctid), the
database files themselves (SQLite's file and write-ahead log; PostgreSQL's data files and WAL
segments), and every log line — and tries to pair responses with people. Once after the wave
closed, and once in the middle of a wave: after one batch was released, while answers are held
and saved for later.
"""

from __future__ import annotations

import hashlib
import logging
import random
import re
import string
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
from participatie.surveys.models import SurveyAnswer, SurveyResponse, SurveyWave
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
SURVEY_TABLES = (*ANSWER_SIDE, "survey_invitations")


@pytest.fixture
def answered(
    app: Flask,
    open_wave: Callable[..., SurveyWave],
    create_participant: Callable[..., int],
    smtp: SMTPServer,
    caplog: pytest.LogCaptureFixture,
) -> dict[str, Any]:
    """Thirty people answer in a secret order over several days, released in batches as the
    scheduler does; the wave then closes and storage is compacted."""
    caplog.set_level(logging.DEBUG)
    people = [create_participant(display_name=f"Persoon{n:02d}") for n in range(PEOPLE)]
    start = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    with clock.frozen_at(start):
        wave = open_wave(invite_pool=True, open_link=False, days=30)
        links = _invitation_links(smtp, PEOPLE)
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
            _respond(app, wave, links[emails[person_id]], turn, marker)
            with app.app_context():  # the release job, which runs every minute
                tasks.release_due()
                db.session.commit()
        with app.app_context():
            assert operations.response_count(wave.id) >= 2 * app.config["K_THRESHOLD"]
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


def _respond(
    app: Flask, wave: SurveyWave, link: str, turn: int, marker: str, *, save: bool = False
) -> Respondent:
    """One person clicks through the survey from their invitation and sends it (or saves it
    for later), with an open answer that holds their marker and a phone number."""
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    person = Respondent(app.test_client(), wave, start_url=path).press("start")
    person.press("next", role="parent", organisations=["swa"])
    person.press("next", knows_responsible=str(turn % 5 + 1), overall_grade=str(turn % 10 + 1))
    text = f"Meer {marker} en bel mij op 06-1234{turn:04d}"
    if save:
        person.press("save", should_change=text)
        assert person.status == 200 and 'id="resume-code"' in person.html, person.html
    else:
        person.press("submit", should_change=text)
        assert person.status == 303, person.html
    return person


def _invitation_links(smtp: SMTPServer, count: int) -> dict[str, str]:
    messages = smtp.wait_for(count)
    assert len(messages) == count
    return {
        message["To"]: next(link for link in smtp.links_in(message) if "/uitnodiging/" in link)
        for message in messages
    }


def _rows_in_storage_order(table: str) -> list[dict[str, Any]]:
    position = "rowid" if db.engine.dialect.name == "sqlite" else "ctid"
    rows = db.session.execute(text(f"SELECT * FROM {table} ORDER BY {position}"))
    return [dict(row._mapping) for row in rows]


def _files_on_disk() -> bytes:
    """What a copy of the database's files holds, as an attacker with file-system access sees it.

    SQLite: the database file and its write-ahead log. PostgreSQL: after a checkpoint, the data
    files of every table, TOAST table and index of the test database, dead row versions
    included."""
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        database = Path(make_url(str(db.engine.url)).database or "")
        paths = [database, Path(f"{database}-wal")]
        return b"".join(path.read_bytes() for path in paths if path.exists())
    return _read_server_files(
        "SELECT pg_relation_filepath(c.oid) FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 't', 'i')"
        " AND pg_relation_filepath(c.oid) IS NOT NULL",
        {},
    )


def _postgres_wal_since(since: datetime) -> bytes:
    """PostgreSQL's WAL segments written since `since`. The whole server shares them, so they
    hold other tests' data too: search them only for words no other test uses."""
    return _read_server_files(
        "SELECT 'pg_wal/' || name FROM pg_ls_waldir() WHERE modification >= :since",
        {"since": since},
    )


def _read_server_files(list_query: str, params: dict[str, Any]) -> bytes:
    read = "pg_read_binary_file(:path, 0, (pg_stat_file(:path, true)).size, true)"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("CHECKPOINT"))
        paths = connection.scalars(text(list_query), params).all()
        chunks = [connection.scalar(text(f"SELECT {read}"), {"path": path}) for path in paths]
    return b"".join(bytes(chunk) for chunk in chunks if chunk)


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
        # What waits while a wave is open is sealed: no readable answers, not even a language.
        columns = {
            table: {c["name"] for c in inspector.get_columns(table)}
            for table in (*ANSWER_SIDE, "survey_invitations")
        }
        assert columns["survey_pending_submissions"] == {"id", "wave_id", "sealed"}
        assert columns["survey_drafts"] == {"code_hash", "wave_id", "sealed", "expires_on"}
        # The answer language with the invitees' locales in the pool would narrow down who
        # answered: released responses keep none.
        assert columns["survey_responses"] == {"id", "wave_id", "released_on"}
        assert columns["survey_invitations"] == {
            "id",
            "wave_id",
            "participant_id",
            "token_hash",
            "link_seed",
            "is_used",
        }


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

        # The files on disk: the raw phone numbers lived only (sealed) in the holding area, and
        # of the answers only the current rows are left — no earlier row versions in the order
        # the batches were released, which the closing reshuffle removed (compact_storage).
        content = _files_on_disk()
        assert b"06-1234" not in content
        live = repr([row["text"] for row in answer_rows])
        for marker in marker_of.values():
            needle = f"Meer {marker} en "
            assert live.count(needle) == 1, marker
            assert content.count(needle.encode()) == 1, marker
        if db.engine.dialect.name == "sqlite":
            database = Path(make_url(str(db.engine.url)).database or "")
            wal = Path(f"{database}-wal")
            assert not wal.exists() or wal.stat().st_size == 0  # emptied by the checkpoint

    logs = answered["logs"]
    for secret in [*answered["emails"].values(), *answered["tokens"], *marker_of.values()]:
        assert str(secret) not in logs
    assert "Persoon" not in logs and "06-1234" not in logs and "127.0.0.1" not in logs


# --- In the middle of a wave -------------------------------------------------------------------

RELEASED = 20  # answer before the first release
HELD = 6  # then answer and wait in the holding area
SAVED = 4  # then save for later from their invitation


def _made_up_words(count: int) -> list[str]:
    """Words that exist nowhere else, not even in earlier tests' leftovers or the shared WAL."""
    rng = random.Random()
    return ["zq" + "".join(rng.choices(string.ascii_lowercase, k=10)) for _ in range(count)]


@pytest.fixture
def mid_wave(
    app: Flask,
    open_wave: Callable[..., SurveyWave],
    create_participant: Callable[..., int],
    smtp: SMTPServer,
) -> dict[str, Any]:
    """Twenty people answer and are released in one batch; then six answer and wait, and four
    save for later from their invitation. The test stops there, before the next release."""
    total = RELEASED + HELD + SAVED
    people = [create_participant(display_name=f"Midden{n:02d}") for n in range(total)]
    with app.app_context():
        wal_since = (
            db.session.scalar(text("SELECT clock_timestamp()"))
            if db.engine.dialect.name == "postgresql"
            else None
        )
        emails = {person: db.session.get_one(Participant, person).email for person in people}
    start = datetime(2027, 5, 3, 8, 0, tzinfo=UTC)
    order = people[:]
    random.Random(20270503).shuffle(order)
    markers = _made_up_words(total)
    codes: dict[int, str] = {}
    with clock.frozen_at(start):
        wave = open_wave(invite_pool=True, open_link=False, days=30)
        links = _invitation_links(smtp, total)
        for turn, person_id in enumerate(order):
            clock.advance(timedelta(hours=2))
            if turn == RELEASED:
                with app.app_context():  # the release job
                    assert tasks.release_due() == RELEASED
                    db.session.commit()
            saving = turn >= RELEASED + HELD
            person = _respond(app, wave, links[emails[person_id]], turn, markers[turn], save=saving)
            if saving:
                code = re.search(r'id="resume-code">([A-Z0-9-]+)<', person.html)
                assert code is not None
                codes[person_id] = code.group(1)
    return {
        "wave": wave,
        "order": order,
        "marker_of": dict(zip(order, markers, strict=True)),
        "codes": codes,
        "links": links,
        "emails": emails,
        "wal_since": wal_since,
        "start": start,
    }


def test_a_copy_of_the_database_in_the_middle_of_a_wave_reads_no_held_or_saved_answers(
    app: Flask, mid_wave: dict[str, Any]
) -> None:
    order: list[int] = mid_wave["order"]
    marker_of: dict[int, str] = mid_wave["marker_of"]
    released, waiting = order[:RELEASED], order[RELEASED:]
    with app.app_context():
        assert db.session.scalar(text("SELECT count(*) FROM survey_responses")) == RELEASED
        held = _rows_in_storage_order("survey_pending_submissions")
        drafts = _rows_in_storage_order("survey_drafts")
        assert len(held) == HELD and len(drafts) == SAVED

        # Nothing of what waits can be read: not from any table (a dump) …
        dump = repr(
            {table.name: _rows_in_storage_order(table.name) for table in db.metadata.sorted_tables}
        )
        for person in waiting:
            assert marker_of[person] not in dump
        for person in released:  # … while the released answers are there, scrubbed
            assert f"Meer {marker_of[person]} en bel mij op [telefoon]" in dump
        # … nor from the files, dead row versions and write-ahead log included.
        content = _files_on_disk()
        assert b"06-1234" not in content  # raw text never reached the database unsealed
        if mid_wave["wal_since"] is not None:
            content += _postgres_wal_since(mid_wave["wal_since"])
        for person in waiting:
            assert marker_of[person].encode() not in content, person
        # Sealed values are padded: their lengths all look the same, whatever was answered.
        assert len({len(bytes(row["sealed"])) for row in [*held, *drafts]}) == 1
        # A draft is stored under a keyed hash, not the plain sha256 of its code.
        plain_hashes = {
            hashlib.sha256(code.encode()).hexdigest() for code in mid_wave["codes"].values()
        }
        assert not plain_hashes & {row["code_hash"] for row in drafts}

        # Storage order of invitations: everyone the release covered is back in id order; only
        # those used since the release stand apart (PostgreSQL) — and their answers are sealed.
        invitations = _rows_in_storage_order("survey_invitations")
        position = {row["participant_id"]: n for n, row in enumerate(invitations)}
        covered = [row["id"] for row in invitations if row["participant_id"] in released]
        assert covered == sorted(covered)
        if db.engine.dialect.name == "postgresql":
            tail = [row["participant_id"] for row in invitations[-len(waiting) :]]
            assert sorted(tail) == sorted(waiting)
        assert sum(1 for row in invitations if row["is_used"]) == len(order)

        # The released batch was stored in shuffled order: pairing the n-th stored response
        # with the n-th released answerer, or with the n-th stored invitation, is chance.
        responses = _rows_in_storage_order("survey_responses")
        released_markers = {person: marker_of[person] for person in released}
        givers = [_who_gave(row["id"], released_markers) for row in responses]
        turn_of = {person: turn for turn, person in enumerate(order)}
        stored_turns = [turn_of[person] for person in givers]
        assert abs(_rank_correlation(stored_turns, list(range(RELEASED)))) < 0.85
        assert sum(1 for turn, stored in enumerate(stored_turns) if turn == stored) <= 6
        by_invitation = sorted(released, key=position.__getitem__)
        assert sum(1 for a, b in zip(by_invitation, givers, strict=True) if a == b) <= 6


def test_held_and_saved_answers_are_released_whole_when_the_wave_closes(
    app: Flask, mid_wave: dict[str, Any]
) -> None:
    """Sealing loses nothing: held answers, and saved ones sent later with the resume code,
    are released at closing; drafts nobody came back to are dropped with the wave."""
    order: list[int] = mid_wave["order"]
    marker_of: dict[int, str] = mid_wave["marker_of"]
    codes: dict[int, str] = mid_wave["codes"]
    came_back = list(codes)[:2]
    wave = mid_wave["wave"]
    with clock.frozen_at(mid_wave["start"] + timedelta(days=5)):
        for person_id in came_back:
            person = Respondent(
                app.test_client(), wave, start_url=f"/enquete/verder/{codes[person_id]}"
            )
            assert marker_of[person_id] in person.html  # the saved answers are back
            person.press("submit")
            assert person.status == 303, person.html
        with app.app_context():
            operations.close_wave(None, db.session.get_one(SurveyWave, wave.id))
            db.session.commit()
            tasks.compact_storage()
            texts = " ".join(
                answer or "" for answer in db.session.scalars(select(SurveyAnswer.text))
            )
            for person in order:
                expected = person not in codes or person in came_back
                assert (f"Meer {marker_of[person]} en" in texts) is expected, person
            assert db.session.scalar(text("SELECT count(*) FROM survey_pending_submissions")) == 0
            assert db.session.scalar(text("SELECT count(*) FROM survey_drafts")) == 0
            invitations = _rows_in_storage_order("survey_invitations")
            assert [row["id"] for row in invitations] == sorted(row["id"] for row in invitations)
