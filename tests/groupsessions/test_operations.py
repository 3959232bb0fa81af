"""Sign-ups under load: no overbooking and no double sign-up, on SQLite and PostgreSQL.

The concurrency tests fire real HTTP requests from many threads at the app served by a
threaded werkzeug server, each request its own transaction, as in production.
"""

from __future__ import annotations

import threading
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from participatie import clock
from participatie.db import db, run_in_transaction
from participatie.groupsessions import operations
from participatie.groupsessions.models import GroupSession, Registration


@pytest.fixture
def app_config() -> dict[str, object]:
    # Hundreds of sign-ups from one address: the public rate limit would refuse them.
    return {"SIGNUP_RATE_LIMIT": "10000 per minute", "WTF_CSRF_ENABLED": False}


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def statuses(app: Flask, session_id: int) -> Counter[str]:
    with app.app_context():
        return Counter(
            db.session.scalars(
                select(Registration.status).where(Registration.session_id == session_id)
            )
        )


def taken(app: Flask, session_id: int) -> int:
    with app.app_context():
        return db.session.get(GroupSession, session_id).taken


def fire(count: int, request: callable) -> list[int]:  # type: ignore[valid-type]
    """Run `request(i)` in `count` threads released at the same moment; return HTTP statuses."""
    barrier = threading.Barrier(count)
    results: list[int] = [0] * count

    def run(index: int) -> None:
        barrier.wait()
        results[index] = request(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def post(url: str, data: dict[str, str]) -> int:
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - our own server
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def guest(index: int) -> dict[str, str]:
    return {
        "name": f"Gast {index}",
        "email": f"gast{index}@example.org",
        "phone": "",
        "consent": "y",
    }


def test_200_simultaneous_signups_for_20_places(
    app: Flask, served: str, create_session, smtp
) -> None:
    session_id = create_session(capacity=20)
    url = f"{served}/bijeenkomsten/{session_id}"
    results = fire(200, lambda i: post(url, guest(i)))
    assert all(status in (200, 303) for status in results), Counter(results)
    assert statuses(app, session_id) == Counter({"confirmed": 20, "waiting": 180})
    assert taken(app, session_id) == 20


def test_the_same_person_signing_up_many_times_at_once_gets_one_registration(
    app: Flask, served: str, create_session
) -> None:
    session_id = create_session(capacity=5)
    url = f"{served}/bijeenkomsten/{session_id}"
    results = fire(30, lambda i: post(url, guest(0)))
    assert all(status < 500 for status in results), Counter(results)
    assert sum(statuses(app, session_id).values()) == 1


def test_simultaneous_cancellations_offer_each_freed_place_to_one_person(
    app: Flask, create_session, smtp
) -> None:
    session_id = create_session(capacity=20)
    tokens = []
    with app.app_context():
        for index in range(60):
            _, token = run_in_transaction(
                lambda i=index: operations.sign_up(
                    session_id,
                    operations.SignupData(guest_name=f"G{i}", guest_email=f"g{i}@example.org"),
                )
            )
            tokens.append(token)
    assert statuses(app, session_id) == Counter({"confirmed": 20, "waiting": 40})

    def cancel(index: int) -> int:
        with app.app_context():
            try:
                return int(
                    run_in_transaction(
                        lambda: operations.cancel_registration(
                            operations.find_by_token(tokens[index])
                        )
                    )
                )
            except Exception:
                return -1

    results = fire(15, cancel)  # 15 of the 20 confirmed people cancel at the same moment
    assert results == [1] * 15
    counts = statuses(app, session_id)
    assert counts == Counter({"confirmed": 5, "offered": 15, "waiting": 25, "cancelled": 15})
    assert taken(app, session_id) == 20
    with app.app_context():
        offered = db.session.scalars(
            select(Registration.guest_email).where(Registration.status == "offered")
        ).all()
    # The first fifteen on the waiting list, each offered once.
    assert sorted(offered) == sorted(f"g{i}@example.org" for i in range(20, 35))


def test_simultaneous_offer_expiry_runs_pass_each_place_on_once(app: Flask, create_session) -> None:
    session_id = create_session(capacity=3, days=10)
    with app.app_context():
        tokens = []
        for index in range(8):
            _, token = run_in_transaction(
                lambda i=index: operations.sign_up(
                    session_id,
                    operations.SignupData(guest_name=f"G{i}", guest_email=f"g{i}@example.org"),
                )
            )
            tokens.append(token)
        for token in tokens[:3]:
            run_in_transaction(
                lambda t=token: operations.cancel_registration(operations.find_by_token(t))
            )
    assert statuses(app, session_id)["offered"] == 3
    with clock.frozen_at(clock.now() + timedelta(hours=49)):

        def expire(_: int) -> int:
            with app.app_context():
                try:
                    return run_in_transaction(operations.expire_offers)
                except Exception:
                    return -1

        results = fire(4, expire)
    assert sum(results) == 3 and -1 not in results
    counts = statuses(app, session_id)
    assert counts["offered"] == 2 and counts["expired"] == 3 and counts["waiting"] == 0
    assert taken(app, session_id) == 2


def test_database_refuses_overbooking_even_without_the_operation(
    app: Flask, create_session
) -> None:
    from sqlalchemy.exc import IntegrityError

    session_id = create_session(capacity=1)
    with app.app_context():
        session = db.session.get(GroupSession, session_id)
        session.taken = 2
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_capacity_cannot_drop_below_places_taken_and_growth_offers_places(
    app: Flask, create_session, create_user
) -> None:
    from participatie.auth.models import User

    staff = create_user("ambassadeur")
    session_id = create_session(capacity=1)
    with app.app_context():
        for index in range(3):
            run_in_transaction(
                lambda i=index: operations.sign_up(
                    session_id,
                    operations.SignupData(guest_name=f"G{i}", guest_email=f"g{i}@example.org"),
                )
            )
        actor = db.session.get(User, staff.id)
        session = db.session.get(GroupSession, session_id)
        with pytest.raises(operations.SessionError):
            operations.update_session(actor, session, capacity=0)
        operations.update_session(actor, session, capacity=3)
        db.session.commit()
    assert statuses(app, session_id) == Counter({"confirmed": 1, "offered": 2})


def test_offer_window_shortens_near_the_start(app: Flask, create_session) -> None:
    far = create_session(days=10)
    near = create_session(days=1)
    soon = create_session(days=0.05)  # 72 minutes
    with app.app_context(), clock.frozen_at(clock.now()):
        now = clock.now()
        window = lambda sid: operations.offer_window(db.session.get(GroupSession, sid), now)  # noqa: E731
        assert window(far) == timedelta(hours=48)
        assert abs(window(near) - timedelta(hours=12)) < timedelta(seconds=5)
        assert timedelta(minutes=59) < window(soon) <= timedelta(minutes=72)


def test_deleting_a_participant_gives_their_place_to_the_waiting_list(
    app: Flask, create_session, create_participant
) -> None:
    from participatie.participants.models import Participant
    from participatie.participants.operations import delete_participant

    session_id = create_session(capacity=1)
    member = create_participant()
    with app.app_context():
        run_in_transaction(
            lambda: operations.sign_up(session_id, operations.SignupData(participant_id=member))
        )
        run_in_transaction(
            lambda: operations.sign_up(
                session_id, operations.SignupData(guest_name="G", guest_email="g@example.org")
            )
        )
        delete_participant(db.session.get(Participant, member))
        db.session.commit()
    assert statuses(app, session_id) == Counter({"offered": 1})
    with app.app_context():
        assert db.session.scalar(select(func.count(Registration.id))) == 1
