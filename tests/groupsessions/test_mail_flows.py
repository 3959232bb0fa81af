"""End to end through real SMTP: sign up, the link in the mail, cancelling, the waiting list,
offers that are taken or expire, a session cancelled by its organiser, and reminders."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from participatie import clock
from participatie.auth.models import User
from participatie.db import db
from participatie.groupsessions import operations
from participatie.groupsessions.models import GroupSession
from tests.conftest import post_form
from tests.groupsessions.test_calendar import calendar_in, events_of
from tests.groupsessions.test_public_views import (
    link_path,
    mails_to,
    registrations,
    sign_up_guest,
)
from tests.support.smtp import SMTPServer


@pytest.fixture
def frozen() -> Iterator[None]:
    with clock.frozen_at(clock.now().replace(microsecond=0)):
        yield


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def press(client: FlaskClient, path: str, action: str) -> str:
    """Press a button on the registration page; it comes back to the same page.

    The CSRF token comes from a page that always has a form: the button may not be shown."""
    response = post_form(client, "/mijn-gegevens/inloggen", {"action": action}, action=path)
    assert response.status_code == 303
    assert response.headers["Location"] == path
    return page(client, path)


def run_job(app: Flask, job: str) -> int:
    with app.app_context():
        count = getattr(operations, job)()
        db.session.commit()
        return count


def subjects(smtp: SMTPServer, address: str) -> list[str]:
    return [m["Subject"] for m in smtp.messages if m["X-Envelope-To"] == address]


def test_sign_up_cancel_and_the_waiting_list_moves_up(
    app: Flask, client: FlaskClient, create_session, smtp
) -> None:
    session_id = create_session(
        capacity=1, is_online=True, meeting_link="https://meet.example/kamer-7"
    )
    sign_up_guest(client, session_id, name="Anna", email="anna@example.org")
    confirmation = mails_to(smtp, "anna@example.org")[0]
    assert confirmation["Subject"].startswith("Je bent aangemeld")
    assert events_of(calendar_in(confirmation))
    body = SMTPServer.text_of(confirmation)
    assert "Hallo Anna," in body and "meet.example" not in body
    anna = link_path(confirmation)
    html = page(client, anna)
    assert "Je bent aangemeld" in html
    assert 'href="https://meet.example/kamer-7"' in html  # confirmed and online: the link

    sign_up_guest(client, session_id, name="Bram", email="bram@example.org")
    waiting = mails_to(smtp, "bram@example.org")[0]
    assert waiting["Subject"].startswith("Je staat op de wachtlijst")
    bram = link_path(waiting)
    html = page(client, bram)
    assert "nummer 1 op de wachtlijst" in html
    assert "meet.example" not in html  # not confirmed: no link
    assert "Ja, ik neem de plek" not in html

    html = press(client, anna, "cancel")
    assert "Je bent afgemeld" in html and "meet.example" not in html
    assert "Ik meld me af" not in html
    assert subjects(smtp, "anna@example.org")[-1].startswith("Je bent afgemeld")

    offer = mails_to(smtp, "bram@example.org", 2)[-1]
    assert offer["Subject"].startswith("Er is een plek vrij voor je")
    assert link_path(offer) == bram  # every mail carries the same link
    html = page(client, bram)
    assert "Er is een plek vrij voor je!" in html
    html = press(client, bram, "accept")
    assert "Gelukt! De plek is van jou." in html
    assert 'href="https://meet.example/kamer-7"' in html
    confirmed = mails_to(smtp, "bram@example.org", 3)[-1]
    assert confirmed["Subject"].startswith("Je bent aangemeld")
    assert events_of(calendar_in(confirmed))
    assert [(r.guest_name, r.status) for r in registrations(app, session_id)] == [
        ("Anna", "cancelled"),
        ("Bram", "confirmed"),
    ]
    # Pressing again changes nothing and says so.
    assert "Dit lukte niet" in press(client, bram, "accept")
    assert "Je was al afgemeld" in press(client, anna, "cancel")


def test_offer_not_taken_in_time_passes_to_the_next(
    app: Flask, client: FlaskClient, create_session, smtp, frozen
) -> None:
    session_id = create_session(capacity=1, days=10)
    for name in ("anna", "bram", "cees"):
        sign_up_guest(client, session_id, name=name.title(), email=f"{name}@example.org")
    press(client, link_path(mails_to(smtp, "anna@example.org")[0]), "cancel")

    offer = mails_to(smtp, "bram@example.org", 2)[-1]
    deadline = clock.now() + timedelta(hours=48)
    assert registrations(app, session_id)[1].offer_expires_at == deadline
    assert "Doe dit vóór" in SMTPServer.text_of(offer)
    assert subjects(smtp, "cees@example.org") == ["Je staat op de wachtlijst: Groepsgesprek 1"]

    clock.advance(timedelta(hours=47))
    assert run_job(app, "expire_offers") == 0
    clock.advance(timedelta(hours=1))
    bram = link_path(offer)
    html = page(client, bram)
    assert "De plek is naar iemand anders gegaan" in html  # shown before the job has run
    assert "Dit lukte niet" in press(client, bram, "accept")

    assert run_job(app, "expire_offers") == 1
    assert run_job(app, "expire_offers") == 0  # idempotent
    assert subjects(smtp, "bram@example.org")[-1].startswith("De plek is naar iemand anders")
    cees_offer = mails_to(smtp, "cees@example.org", 2)[-1]
    assert cees_offer["Subject"].startswith("Er is een plek vrij voor je")
    assert "Er is een plek vrij voor je!" in page(client, link_path(cees_offer))
    assert [r.status for r in registrations(app, session_id)] == [
        "cancelled",
        "expired",
        "offered",
    ]
    with app.app_context():
        assert db.session.get(GroupSession, session_id).taken == 1  # the place is held for Cees


@pytest.mark.parametrize(
    ("starts_in", "window"),
    [
        (timedelta(days=10), timedelta(hours=48)),
        (timedelta(hours=12), timedelta(hours=6)),  # half the time that is left
        (timedelta(minutes=90), timedelta(minutes=60)),  # never under the minimum …
        (timedelta(minutes=40), timedelta(minutes=40)),  # … nor beyond the start
    ],
)
def test_offers_near_the_start_are_shorter(
    app: Flask,
    client: FlaskClient,
    create_session,
    smtp,
    frozen,
    starts_in: timedelta,
    window: timedelta,
) -> None:
    session_id = create_session(capacity=1, days=starts_in / timedelta(days=1))
    sign_up_guest(client, session_id, email="anna@example.org")
    sign_up_guest(client, session_id, email="bram@example.org")
    press(client, link_path(mails_to(smtp, "anna@example.org")[0]), "cancel")
    mails_to(smtp, "bram@example.org", 2)
    assert registrations(app, session_id)[1].offer_expires_at == clock.now() + window


def test_organiser_cancels_the_session_and_everyone_is_told(
    app: Flask, client: FlaskClient, create_session, create_user, smtp
) -> None:
    session_id = create_session(capacity=1, title_nl="Panel")
    for name in ("anna", "bram", "cees"):
        sign_up_guest(client, session_id, email=f"{name}@example.org")
    press(client, link_path(mails_to(smtp, "cees@example.org")[0]), "cancel")
    smtp.clear()
    staff = create_user("ambassadeur")
    with app.app_context():
        told = operations.cancel_session(
            db.session.get(User, staff.id), db.session.get(GroupSession, session_id)
        )
        db.session.commit()
    assert told == 2
    smtp.wait_for(2)
    assert sorted(m["X-Envelope-To"] for m in smtp.messages) == [
        "anna@example.org",
        "bram@example.org",
    ]
    assert {m["Subject"] for m in smtp.messages} == {"Afgelast: Panel"}
    html = page(client, link_path(smtp.messages[0]))
    assert "Deze bijeenkomst gaat niet door" in html and "Ik meld me af" not in html
    assert "Afgelast" in page(client, f"/bijeenkomsten/{session_id}")
    assert [r.status for r in registrations(app, session_id)] == [
        "session_cancelled",
        "session_cancelled",
        "cancelled",
    ]


def test_reminder_goes_out_once_two_days_before(
    app: Flask, client: FlaskClient, create_session, smtp, frozen
) -> None:
    session_id = create_session(capacity=1, days=5, title_nl="Klankbord")
    sign_up_guest(client, session_id, email="anna@example.org")
    sign_up_guest(client, session_id, email="bram@example.org")  # waiting: no reminder
    link = link_path(mails_to(smtp, "anna@example.org")[0])
    smtp.clear()

    clock.advance(timedelta(days=2, hours=23))
    assert run_job(app, "send_reminders") == 0
    clock.advance(timedelta(hours=1))
    assert run_job(app, "send_reminders") == 1
    assert run_job(app, "send_reminders") == 0
    [reminder] = smtp.wait_for(1)
    assert reminder["X-Envelope-To"] == "anna@example.org"
    assert reminder["Subject"].startswith("Herinnering: Klankbord op ")
    assert link_path(reminder) == link  # the link from the first mail still works
    assert "Je bent aangemeld" in page(client, link)
