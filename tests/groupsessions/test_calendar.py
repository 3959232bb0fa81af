"""Calendar files (RFC 5545): in the confirmation and cancellation mails, and the agenda feed.

Every file is read back with the `icalendar` library, as a calendar app would.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from participatie.auth.models import User
from participatie.db import db
from participatie.groupsessions import operations
from participatie.groupsessions.models import GroupSession
from tests.conftest import post_form
from tests.groupsessions.test_public_views import link_path, mails_to, sign_up_guest


def calendar_in(message: EmailMessage) -> Calendar:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, [p.get_content_type() for p in message.iter_attachments()]
    assert parts[0].get_filename() == "bijeenkomst.ics"
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Calendar.from_ical(payload)


def events_of(calendar: Calendar) -> list[Any]:
    return list(calendar.walk("VEVENT"))


def stored(app: Flask, session_id: int) -> GroupSession:
    with app.app_context():
        session = db.session.get(GroupSession, session_id)
        db.session.expunge(session)
        return session


def assert_valid_calendar(calendar: Calendar) -> None:
    """The properties RFC 5545 requires of a calendar and of each event."""
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    for event in events_of(calendar):
        for required in ("UID", "DTSTAMP", "DTSTART"):
            assert required in event, required
        assert event.decoded("DTSTAMP").tzinfo is not None


def test_confirmation_mail_has_a_calendar_file(
    app: Flask, client: FlaskClient, create_session, smtp
) -> None:
    session_id = create_session(title_nl="Praten over hulp", hours=2.5)
    sign_up_guest(client, session_id)
    message = mails_to(smtp, "samira@example.org")[0]
    assert message["Subject"] == "Je bent aangemeld: Praten over hulp"
    calendar = calendar_in(message)
    assert_valid_calendar(calendar)
    assert calendar["METHOD"] == "PUBLISH"
    [event] = events_of(calendar)
    session = stored(app, session_id)
    start = event.decoded("DTSTART")
    assert start == session.starts_at and start.utcoffset().total_seconds() == 0
    assert event.decoded("DTEND") == session.ends_at
    assert event.to_ical().decode().count("DTSTART:") == 1  # UTC form, no TZID needed
    assert "Z" in event["DTSTART"].to_ical().decode()
    assert str(event["SUMMARY"]) == "Praten over hulp"
    assert str(event["UID"]).startswith(f"group-session-{session_id}@")
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Wijkcentrum De Kei" in str(event["LOCATION"])
    assert str(event["URL"]).endswith(f"/bijeenkomsten/{session_id}")


def test_calendar_file_follows_the_persons_language(
    client: FlaskClient, create_session, smtp
) -> None:
    session_id = create_session(title_nl="Praten", title_en="Talking")
    client.set_cookie("taal", "en")
    sign_up_guest(client, session_id)
    [event] = events_of(calendar_in(mails_to(smtp, "samira@example.org")[0]))
    assert str(event["SUMMARY"]) == "Talking"


def test_no_calendar_file_for_the_waiting_list(client: FlaskClient, create_session, smtp) -> None:
    session_id = create_session(capacity=0)
    sign_up_guest(client, session_id)
    message = mails_to(smtp, "samira@example.org")[0]
    assert "wachtlijst" in message["Subject"]
    assert list(message.iter_attachments()) == []


def test_feed_has_all_published_upcoming_sessions_only(client: FlaskClient, create_session) -> None:
    wanted = {
        create_session(title_nl="Eerste", days=3),
        create_session(title_nl="Tweede", days=20, is_online=True),
    }
    create_session(title_nl="Concept", status="draft")
    create_session(title_nl="Afgelast", status="cancelled")
    create_session(title_nl="Voorbij", days=-2)
    response = client.get("/bijeenkomsten/agenda.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Type"].endswith("method=PUBLISH")
    calendar = Calendar.from_ical(response.get_data())
    assert_valid_calendar(calendar)
    events = events_of(calendar)
    assert sorted(str(e["SUMMARY"]) for e in events) == ["Eerste", "Tweede"]
    assert {str(e["UID"]).split("@")[0] for e in events} == {f"group-session-{i}" for i in wanted}
    online = next(e for e in events if str(e["SUMMARY"]) == "Tweede")
    assert str(online["LOCATION"]) == "Online"
    assert "meet.example" not in response.get_data(as_text=True)


def test_feed_follows_the_agenda_filters(client: FlaskClient, create_session) -> None:
    create_session(title_nl="Ouders", audience="parents")
    create_session(title_nl="Jongeren", audience="young_people")
    calendar = Calendar.from_ical(client.get("/bijeenkomsten/agenda.ics?voor=parents").get_data())
    assert [str(e["SUMMARY"]) for e in events_of(calendar)] == ["Ouders"]


def test_empty_feed_is_still_a_valid_calendar(client: FlaskClient) -> None:
    calendar = Calendar.from_ical(client.get("/bijeenkomsten/agenda.ics").get_data())
    assert_valid_calendar(calendar)
    assert events_of(calendar) == []


def test_one_session_as_a_download(app: Flask, client: FlaskClient, create_session) -> None:
    session_id = create_session(title_nl="Los")
    response = client.get(f"/bijeenkomsten/{session_id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    [event] = events_of(Calendar.from_ical(response.get_data()))
    assert str(event["SUMMARY"]) == "Los"
    assert event.decoded("DTSTART") == stored(app, session_id).starts_at


def test_cancelled_session_download_is_a_cancellation(client: FlaskClient, create_session) -> None:
    session_id = create_session(status="cancelled")
    response = client.get(f"/bijeenkomsten/{session_id}.ics")
    calendar = Calendar.from_ical(response.get_data())
    assert calendar["METHOD"] == "CANCEL"
    assert response.headers["Content-Type"].endswith("method=CANCEL")
    [event] = events_of(calendar)
    assert str(event["STATUS"]) == "CANCELLED"


def test_session_cancelled_mail_cancels_the_calendar_event(
    app: Flask, client: FlaskClient, create_session, create_user, smtp
) -> None:
    session_id = create_session(title_nl="Gaat niet door")
    sign_up_guest(client, session_id)
    confirmed = calendar_in(mails_to(smtp, "samira@example.org")[0])
    staff = create_user("ambassadeur")
    with app.app_context():
        operations.cancel_session(
            db.session.get(User, staff.id), db.session.get(GroupSession, session_id)
        )
        db.session.commit()
    message = mails_to(smtp, "samira@example.org", 2)[-1]
    assert message["Subject"] == "Afgelast: Gaat niet door"
    calendar = calendar_in(message)
    assert_valid_calendar(calendar)
    assert calendar["METHOD"] == "CANCEL"
    [event] = events_of(calendar)
    [original] = events_of(confirmed)
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(original["UID"])  # the same event, so calendars remove it
    assert int(event["SEQUENCE"]) > int(original["SEQUENCE"])


def test_own_cancellation_mail_takes_the_event_out_of_the_calendar(
    client: FlaskClient, create_session, smtp
) -> None:
    session_id = create_session()
    sign_up_guest(client, session_id)
    path = link_path(mails_to(smtp, "samira@example.org")[0])
    post_form(client, path, {"action": "cancel"})
    message = mails_to(smtp, "samira@example.org", 2)[-1]
    assert message["Subject"].startswith("Je bent afgemeld")
    calendar = calendar_in(message)
    assert calendar["METHOD"] == "CANCEL"
    assert str(events_of(calendar)[0]["STATUS"]) == "CANCELLED"


def test_times_are_utc_whatever_the_local_summer_time(
    app: Flask, client: FlaskClient, create_session
) -> None:
    # 14:00 in Amsterdam in summer is 12:00 UTC; the page shows local time.
    start = datetime(2030, 7, 1, 12, 0, tzinfo=UTC)
    session_id = create_session()
    with app.app_context():
        session = db.session.get(GroupSession, session_id)
        session.starts_at = start
        session.ends_at = start.replace(hour=14)
        db.session.commit()
    [event] = events_of(Calendar.from_ical(client.get(f"/bijeenkomsten/{session_id}.ics").data))
    assert event["DTSTART"].to_ical() == b"20300701T120000Z"
    assert "14:00" in client.get(f"/bijeenkomsten/{session_id}").get_data(as_text=True)
