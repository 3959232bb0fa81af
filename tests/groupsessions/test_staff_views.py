"""The organisers' pages: create, edit, publish, cancel, invite, attendance, notes."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from participatie import clock
from participatie.allowances.models import Allowance
from participatie.audit.models import AuditEvent
from participatie.db import db
from participatie.groupsessions.models import GroupSession, Registration
from tests.conftest import post_form

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _text(html: str) -> str:
    """Page text with tags removed and (non-breaking) spaces collapsed, for readable asserts."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html).replace("\xa0", " "))


def _session(app: Flask, session_id: int) -> GroupSession:
    with app.app_context():
        session = db.session.get(GroupSession, session_id)
        assert session is not None
        db.session.expunge(session)
        return session


def _registrations(app: Flask, session_id: int) -> dict[int, str]:
    with app.app_context():
        rows = db.session.scalars(select(Registration).where(Registration.session_id == session_id))
        return {row.id: row.status for row in rows}


def _count(app: Flask, model: Any, *where: Any) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


@pytest.fixture
def register(app: Flask) -> Callable[..., int]:
    """Put a registration straight in the database (no mail); returns its id."""

    def factory(
        session_id: int,
        participant_id: int | None = None,
        *,
        status: str = "confirmed",
        guest_name: str | None = None,
        guest_email: str | None = None,
        guest_phone: str | None = None,
        offer_expires_at: datetime | None = None,
        **needs: str,
    ) -> int:
        with app.app_context():
            registration = Registration(
                session_id=session_id,
                participant_id=participant_id,
                guest_name=guest_name,
                guest_email=guest_email,
                guest_phone=guest_phone,
                status=status,
                offer_expires_at=offer_expires_at,
                manage_token_hash=secrets.token_hex(32),
                **{f"need_{key}": value for key, value in needs.items()},
            )
            db.session.add(registration)
            if status in ("confirmed", "offered"):
                db.session.get(GroupSession, session_id).taken += 1  # type: ignore[union-attr]
            db.session.commit()
            return registration.id

    return factory


def _future_day(days: int = 30) -> str:
    return (clock.now().astimezone(AMSTERDAM) + timedelta(days=days)).date().isoformat()


def _valid_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "kind": "group_conversation",
        "title_nl": "Praten over de jeugdbescherming",
        "description_nl": "We praten over wat goed ging en wat beter kan.",
        "audience": "parents",
        "day": _future_day(),
        "start_time": "19:30",
        "end_time": "21:00",
        "where": "place",
        "location_name": "Wijkcentrum De Kei",
        "location_address": "Keistraat 1, Amersfoort",
        "route_nl": "Bus 2, halte Keistraat.",
        "capacity": "12",
        "allowance": "25,50",
        "languages": ["nl", "ar"],
        "questions": ["dietary", "childcare"],
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


# --- creating --------------------------------------------------------------------------------


def test_create_saves_a_draft_in_utc_with_dutch_comma_allowance(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    logged_in("ambassadeur")
    response = post_form(client, "/organiseren/nieuw", _valid_form())
    assert response.status_code == 303, _text(response.get_data(as_text=True))[:2000]
    with app.app_context():
        session = db.session.scalars(select(GroupSession)).one()
        day = datetime.fromisoformat(_valid_form()["day"]).date()
        expected_start = datetime.combine(day, time(19, 30), tzinfo=AMSTERDAM).astimezone(UTC)
        assert session.starts_at == expected_start
        assert session.ends_at - session.starts_at == timedelta(minutes=90)
        assert session.status == "draft"
        assert session.allowance_cents == 2550
        assert session.capacity == 12
        assert session.languages == ["nl", "ar"]
        assert session.questions == ["dietary", "childcare"]
        assert session.is_online is False and session.meeting_link == ""
        assert response.headers["Location"] == f"/organiseren/{session.id}"
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "session.create" in actions
    page = client.get(response.headers["Location"])
    text = _text(page.get_data(as_text=True))
    assert "Praten over de jeugdbescherming" in text
    assert "19:30–21:00" in text
    assert "€ 25,50" in text


def test_create_with_errors_keeps_the_input(app: Flask, client: FlaskClient, logged_in) -> None:
    logged_in("ambassadeur")
    response = post_form(
        client,
        "/organiseren/nieuw",
        _valid_form(
            start_time="20:00",
            end_time="19:00",
            where="online",
            location_name="",
            allowance="12,50",
            title_nl="Mijn titel blijft staan",
        ),
    )
    html = response.get_data(as_text=True)
    text = _text(html)
    assert response.status_code == 400
    assert "Er ging iets mis" in text
    assert "De eindtijd moet na de begintijd liggen." in text
    assert "Vul de link naar de online bijeenkomst in." in text
    assert 'value="12,50"' in html
    assert 'value="Mijn titel blijft staan"' in html
    assert 'value="20:00"' in html
    # The error summary links to the fields.
    assert 'href="#end_time"' in html
    assert 'href="#meeting_link"' in html
    assert _count(app, GroupSession) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"where": "online", "meeting_link": "http://meet.example/x"}, "begint met https://"),
        ({"day": _future_day(-1)}, "moet in de toekomst beginnen"),
        ({"capacity": "501"}, "van 0 tot en met 500"),
        ({"capacity": "-1"}, "van 0 tot en met 500"),
        ({"capacity": "veel"}, "Vul een heel getal in"),
        ({"allowance": "-5"}, "€ 0 tot en met € 10.000"),
        ({"allowance": "twaalf"}, "Vul een bedrag in euro's in"),
        ({"deadline_day": _future_day(31)}, "vóór het begin"),
        ({"title_nl": ""}, "Vul een titel in."),
        ({"location_name": ""}, "Vul de naam van de plek in."),
        ({"day": "31-02-2027"}, "Vul een geldige datum in"),
        ({"start_time": "25:00"}, "Vul een geldige tijd in"),
    ],
)
def test_create_refuses_invalid_values(
    app: Flask, client: FlaskClient, logged_in, changes: dict[str, str], message: str
) -> None:
    logged_in("ambassadeur")
    response = post_form(client, "/organiseren/nieuw", _valid_form(**changes))
    assert response.status_code == 400
    assert message in _text(response.get_data(as_text=True))
    assert _count(app, GroupSession) == 0


def test_create_online_with_https_link_and_zero_allowance(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    logged_in("beheerder")
    response = post_form(
        client,
        "/organiseren/nieuw",
        _valid_form(
            where="online",
            meeting_link="https://meet.example.nl/abc",
            location_name="Wordt genegeerd",
            allowance="",
            deadline_day=_future_day(29),
        ),
    )
    assert response.status_code == 303
    with app.app_context():
        session = db.session.scalars(select(GroupSession)).one()
        assert session.is_online and session.meeting_link == "https://meet.example.nl/abc"
        assert session.location_name == ""
        assert session.allowance_cents is None
        # A deadline date without a time: the end of that day.
        deadline = session.signup_deadline
        assert deadline is not None
        assert deadline.astimezone(AMSTERDAM).time() == time(23, 59)


# --- editing ---------------------------------------------------------------------------------


def test_edit_form_shows_local_times(
    app: Flask, client: FlaskClient, logged_in, create_session
) -> None:
    session_id = create_session(status="draft")
    logged_in("ambassadeur")
    html = client.get(f"/organiseren/{session_id}/bewerken").get_data(as_text=True)
    starts = _session(app, session_id).starts_at.astimezone(AMSTERDAM)
    assert f'value="{starts:%H:%M}"' in html
    assert f'value="{starts:%Y-%m-%d}"' in html
    assert 'value="10,00"' in html or 'value="10.00"' in html


def test_edit_capacity_below_places_taken_is_refused(
    app: Flask, client: FlaskClient, logged_in, create_session, create_participant, register
) -> None:
    session_id = create_session(capacity=5)
    for _ in range(3):
        register(session_id, create_participant())
    logged_in("ambassadeur")
    page = f"/organiseren/{session_id}/bewerken"
    form = _form_for(app, session_id)
    response = post_form(client, page, {**form, "capacity": "2"})
    assert response.status_code == 400
    text = _text(response.get_data(as_text=True))
    assert "Er zijn al 3 plaatsen bezet" in text
    assert 'value="2"' in response.get_data(as_text=True)
    assert _session(app, session_id).capacity == 5

    response = post_form(client, page, {**form, "capacity": "3", "title_nl": "Nieuwe titel"})
    assert response.status_code == 303
    session = _session(app, session_id)
    assert (session.capacity, session.taken, session.title_nl) == (3, 3, "Nieuwe titel")


def test_edit_of_a_started_session_keeps_its_past_start(
    app: Flask, client: FlaskClient, logged_in, create_session
) -> None:
    session_id = create_session(days=-1)
    logged_in("ambassadeur")
    page = f"/organiseren/{session_id}/bewerken"
    response = post_form(client, page, _form_for(app, session_id, title_nl="Verbeterd"))
    assert response.status_code == 303
    assert _session(app, session_id).title_nl == "Verbeterd"


def _form_for(app: Flask, session_id: int, **changes: Any) -> dict[str, Any]:
    """A full edit form for a stored session on its own day, with `changes`."""
    session = _session(app, session_id)
    values: dict[str, Any] = {
        "kind": session.kind,
        "title_nl": session.title_nl,
        "day": session.starts_at.astimezone(AMSTERDAM).date().isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "capacity": str(session.capacity),
    }
    return _valid_form(**{**values, **changes})


# --- publishing and cancelling ------------------------------------------------------------------


def test_publish_and_unpublish(app: Flask, client: FlaskClient, logged_in, create_session) -> None:
    session_id = create_session(status="draft")
    logged_in("ambassadeur")
    page = f"/organiseren/{session_id}"
    response = post_form(client, page, {"published": "1"}, action=f"{page}/publiceren")
    assert response.status_code == 303
    assert _session(app, session_id).status == "published"
    assert "Terug naar concept" in client.get(page).get_data(as_text=True)

    response = post_form(client, page, {"published": "0"}, action=f"{page}/publiceren")
    assert response.status_code == 303
    assert _session(app, session_id).status == "draft"
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["session.publish", "session.unpublish"]


def test_a_cancelled_session_cannot_be_published_or_edited(
    app: Flask, client: FlaskClient, logged_in, create_session
) -> None:
    session_id = create_session(status="cancelled")
    logged_in("ambassadeur")
    page = f"/organiseren/{session_id}"
    response = post_form(client, page, {"published": "1"}, action=f"{page}/publiceren")
    assert response.status_code == 303
    assert _session(app, session_id).status == "cancelled"
    response = client.get(f"{page}/bewerken")
    assert response.status_code == 303


def test_cancel_asks_first_then_tells_everyone_signed_up_or_waiting(
    app: Flask,
    client: FlaskClient,
    smtp,
    logged_in,
    create_session,
    create_participant,
    register,
) -> None:
    session_id = create_session(capacity=1)
    confirmed = register(session_id, create_participant(email="ja@example.org"))
    waiting = register(
        session_id, status="waiting", guest_name="Gast Eén", guest_email="gast@example.org"
    )
    by_phone = register(
        session_id, status="waiting", guest_name="Bel Mij", guest_phone="+31612345678"
    )
    gone = register(session_id, create_participant(email="weg@example.org"), status="cancelled")
    logged_in("ambassadeur")
    page = f"/organiseren/{session_id}/afgelasten"

    confirm = client.get(page)
    text = _text(confirm.get_data(as_text=True))
    assert confirm.status_code == 200
    assert "2 mensen die zich aanmeldden of op de wachtlijst staan" in text
    assert "Bel Mij" in text and "+31612345678" in text
    assert _session(app, session_id).status == "published"
    assert smtp.messages == []

    response = post_form(client, page, {})
    assert response.status_code == 303
    text = _text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "2 personen kregen een e-mail" in text
    assert "Bel zelf nog 1 persoon zonder e-mailadres" in text
    mails = smtp.wait_for(2)
    assert sorted(m["X-Envelope-To"] for m in mails) == ["gast@example.org", "ja@example.org"]
    session = _session(app, session_id)
    assert (session.status, session.taken) == ("cancelled", 0)
    assert _registrations(app, session_id) == {
        confirmed: "session_cancelled",
        waiting: "session_cancelled",
        by_phone: "session_cancelled",
        gone: "cancelled",
    }
    # Cancelling twice tells nobody again.
    assert client.get(page).status_code == 303
    assert len(smtp.wait_for(3, timeout=0.3)) == 2


# --- inviting ----------------------------------------------------------------------------------


def test_invite_lists_only_invitable_people_and_mails_the_selection(
    app: Flask, client: FlaskClient, smtp, logged_in, create_session, create_participant, register
) -> None:
    session_id = create_session()
    chosen = create_participant(display_name="Gekozen", email="gekozen@example.org")
    not_chosen = create_participant(display_name="Nietgekozen", email="niet@example.org")
    paused = create_participant(display_name="Pauzeer", status="paused")
    no_consent = create_participant(display_name="Zondertoestemming", consents=("surveys",))
    phone_only = create_participant(display_name="Telefoon", email=None, phone="+31611111111")
    signed_up = create_participant(display_name="Alaangemeld")
    register(session_id, signed_up)
    logged_in("ambassadeur")
    page = f"/organiseren/{session_id}/uitnodigen"

    html = client.get(page).get_data(as_text=True)
    text = _text(html)
    assert "Gekozen" in text and "Nietgekozen" in text
    for name in ("Pauzeer", "Zondertoestemming", "Telefoon", "Alaangemeld"):
        assert name not in text
    assert "1 persoon uit de poule is al aangemeld" in text
    # Everyone in the selection is ticked by default.
    assert html.count(" checked>") == 2

    # A forged id of someone who may not be invited is refused as a whole.
    response = post_form(client, page, {"participant_ids": [str(chosen), str(paused)]})
    assert response.status_code == 400
    assert smtp.wait_for(1, timeout=0.3) == []

    response = post_form(client, page, {"participant_ids": [str(chosen)]})
    assert response.status_code == 303
    mails = smtp.wait_for(1)
    assert [m["X-Envelope-To"] for m in mails] == ["gekozen@example.org"]
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "session.invite")
        ).one()
        assert event.details == {"invited": 1}
    # Who was invited already is no longer ticked.
    html = client.get(page).get_data(as_text=True)
    assert html.count(" checked>") == 1
    assert {not_chosen, no_consent, phone_only}  # created, but never mailed


def test_invite_filters_like_the_pool(
    app: Flask, client: FlaskClient, logged_in, create_session, create_participant
) -> None:
    session_id = create_session()
    create_participant(display_name="Ouderpersoon", role="parent")
    create_participant(display_name="Jongerepersoon", role="young_person", age_band="16-17")
    create_participant(display_name="Arabischsprekend", languages=("ar",))
    logged_in("ambassadeur")
    text = _text(
        client.get(f"/organiseren/{session_id}/uitnodigen?rol=young_person").get_data(as_text=True)
    )
    assert "Jongerepersoon" in text and "Ouderpersoon" not in text
    text = _text(client.get(f"/organiseren/{session_id}/uitnodigen?taal=ar").get_data(as_text=True))
    assert "Arabischsprekend" in text and "Ouderpersoon" not in text


def test_invite_needs_open_signups(
    app: Flask, client: FlaskClient, smtp, logged_in, create_session, create_participant
) -> None:
    session_id = create_session(status="draft")
    person = create_participant()
    logged_in("ambassadeur")
    page = f"/organiseren/{session_id}/uitnodigen"
    assert "Uitnodigen kan alleen" in _text(client.get(page).get_data(as_text=True))
    response = post_form(client, page, {"participant_ids": [str(person)]})
    assert response.status_code == 303
    assert smtp.wait_for(1, timeout=0.3) == []


# --- the session page ----------------------------------------------------------------------------


def test_detail_groups_registrations_and_shows_needs(
    app: Flask, client: FlaskClient, logged_in, create_session, create_participant, register
) -> None:
    session_id = create_session(capacity=3)
    register(session_id, create_participant(display_name="Sanne"), dietary="geen gluten")
    register(
        session_id,
        guest_name="Gastouder",
        guest_phone="+31622222222",
        interpreter="Arabisch",
    )
    expires = clock.now() + timedelta(hours=20)
    register(
        session_id,
        create_participant(display_name="Aangeboden"),
        status="offered",
        offer_expires_at=expires,
    )
    register(session_id, create_participant(display_name="Eerste"), status="waiting")
    register(session_id, create_participant(display_name="Tweede"), status="waiting")
    register(session_id, create_participant(display_name="Afgemeld"), status="cancelled")
    logged_in("ambassadeur")
    html = client.get(f"/organiseren/{session_id}").get_data(as_text=True)
    text = _text(html)
    assert "Hebben een plaats (2)" in text
    assert "geen gluten" in text
    assert "Tolk: Arabisch" in text
    assert "Gastouder gast" in text
    assert "+31622222222" in text
    assert "Aanbod geldig tot" in text
    assert "Wachtlijst, op volgorde (2)" in text
    assert text.index("Eerste") < text.index("Tweede")
    assert "Afgemeld (1)" in text and "zelf afgemeld" in text
    assert html.count("<h1") == 1


def test_sessions_overview_groups_and_counts(
    app: Flask, client: FlaskClient, logged_in, create_session, create_participant, register
) -> None:
    upcoming = create_session(title_nl="Komend gesprek", capacity=1)
    register(upcoming, create_participant())
    register(upcoming, create_participant(), status="waiting")
    create_session(title_nl="Conceptgesprek", status="draft")
    create_session(title_nl="Oud gesprek", days=-5)
    create_session(title_nl="Afgelast gesprek", status="cancelled")
    logged_in("ambassadeur")
    text = _text(client.get("/organiseren/").get_data(as_text=True))
    order = [
        text.index(label)
        for label in (
            "Gepubliceerd en nog niet geweest",
            "Komend gesprek",
            "Concepten",
            "Conceptgesprek",
            "Geweest",
            "Oud gesprek",
            "Afgelast",
            "Afgelast gesprek",
        )
    ]
    assert order == sorted(order)
    assert "1 van 1" in text


# --- on the day and afterwards ----------------------------------------------------------------


def test_attendance_list_is_a_table_of_confirmed_people(
    app: Flask, client: FlaskClient, logged_in, create_session, create_participant, register
) -> None:
    session_id = create_session()
    register(session_id, create_participant(display_name="Sanne"), childcare="2 kinderen")
    register(session_id, create_participant(display_name="Wachter"), status="waiting")
    logged_in("ambassadeur")
    html = client.get(f"/organiseren/{session_id}/presentielijst").get_data(as_text=True)
    text = _text(html)
    assert "Handtekening" in text
    assert "Sanne" in text and "Kinderopvang: 2 kinderen" in text
    assert "Wachter" not in text


def test_attendance_creates_allowances_once_for_pool_members_present(
    app: Flask, client: FlaskClient, logged_in, create_session, create_participant, register
) -> None:
    session_id = create_session(days=-1, hours=2, allowance_cents=1000)
    came = register(session_id, create_participant(display_name="Kwam"))
    stayed_away = register(session_id, create_participant(display_name="Thuis"))
    guest = register(session_id, guest_name="Gast", guest_email="gast@example.org")
    register(session_id, create_participant(display_name="Wachtte"), status="waiting")
    logged_in("ambassadeur")
    page = f"/organiseren/{session_id}/aanwezigheid"
    assert "Kwam" in _text(client.get(page).get_data(as_text=True))

    response = post_form(client, page, {"present": [str(came), str(guest)]})
    assert response.status_code == 303
    assert "Er is 1 vrijwilligersvergoeding geregistreerd." in _text(
        client.get(page).get_data(as_text=True)
    )
    response = post_form(client, page, {"present": [str(came), str(guest)]})
    assert response.status_code == 303
    with app.app_context():
        allowances = db.session.scalars(select(Allowance)).all()
        assert [(a.amount_cents, a.minutes) for a in allowances] == [(1000, 120)]
        attended = {
            r.id: r.attended
            for r in db.session.scalars(
                select(Registration).where(Registration.session_id == session_id)
            )
        }
    assert attended[came] is True and attended[guest] is True
    assert attended[stayed_away] is False


def test_attendance_without_allowance_creates_none(
    app: Flask, client: FlaskClient, logged_in, create_session, create_participant, register
) -> None:
    session_id = create_session(days=-1, allowance_cents=None)
    came = register(session_id, create_participant())
    logged_in("ambassadeur")
    page = f"/organiseren/{session_id}/aanwezigheid"
    assert post_form(client, page, {"present": [str(came)]}).status_code == 303
    assert _count(app, Allowance) == 0


def test_attendance_waits_for_the_start(
    app: Flask, client: FlaskClient, logged_in, create_session, create_participant, register
) -> None:
    session_id = create_session(days=2)
    came = register(session_id, create_participant())
    logged_in("ambassadeur")
    page = f"/organiseren/{session_id}/aanwezigheid"
    assert "zodra de bijeenkomst begonnen is" in _text(client.get(page).get_data(as_text=True))
    assert post_form(client, page, {"present": [str(came)]}).status_code == 303
    assert _count(app, Allowance) == 0
    with app.app_context():
        assert db.session.get(Registration, came).attended is None  # type: ignore[union-attr]


def test_notes_are_scrubbed_and_themes_saved(
    app: Flask, client: FlaskClient, logged_in, create_session
) -> None:
    session_id = create_session(days=-1)
    logged_in("ambassadeur")
    page = f"/organiseren/{session_id}/verslag"
    form_page = client.get(page)
    assert "automatisch verwijderd" in _text(form_page.get_data(as_text=True))
    response = post_form(
        client,
        page,
        {
            "notes": "Ouders missen uitleg over de maatregel.\r\n\r\nmevrouw Jansen belde 06-12345678 over haar zoon.",
            "themes": ["information", "roles"],
        },
    )
    assert response.status_code == 303
    html = client.get(page).get_data(as_text=True)
    text = _text(html)
    assert "Jansen" not in html and "06-12345678" not in html and "12345678" not in html
    assert "Ouders missen uitleg over de maatregel." in text
    assert "[telefoon]" in text
    session = _session(app, session_id)
    assert "Jansen" not in session.notes and "12345678" not in session.notes
    assert session.note_themes == ["information", "roles"]
    assert "Rollen en verantwoordelijkheden" in text


def _ticked(html: str, value: str) -> bool:
    box = re.search(rf'<input[^>]*value="{value}"[^>]*>', html)
    assert box, value
    return " checked" in box.group(0)


def test_notes_are_coded_per_paragraph_and_the_coders_themes_are_ticked(
    app: Flask, client: FlaskClient, logged_in, create_session
) -> None:
    session_id = create_session(days=-1)
    logged_in("ambassadeur")
    page = f"/organiseren/{session_id}/verslag"
    notes = (
        "Ouders wachten maanden op een plek bij de jeugdhulp, de wachtlijst is lang.\r\n\r\n"
        "Een vader vertelde dat hij zijn dochter maar één keer per maand mag zien."
    )
    assert post_form(client, page, {"notes": notes}).status_code == 303
    session = _session(app, session_id)
    assert session.note_themes == []  # the organiser chose none
    assert len(session.note_coding) == 2
    first, second = session.note_coding
    assert "timely_care" in [theme["slug"] for theme in first["themes"]]
    assert "child_contact" in [theme["slug"] for theme in second["themes"]]
    assert first["sentiment"] == -1 and first["language"] == "nl"
    waiting = next(theme for theme in first["themes"] if theme["slug"] == "timely_care")
    assert 0 < waiting["confidence"] <= 1 and waiting["evidence"]
    html = client.get(page).get_data(as_text=True)
    assert "<mark>" in html  # the words that led to a theme
    # The coder's themes are ticked, so the organiser confirms them by saving once more.
    for slug in ("timely_care", "child_contact"):
        assert _ticked(html, slug), slug
    assert post_form(client, page, {"notes": notes, "themes": ["timely_care"]}).status_code == 303
    assert _session(app, session_id).note_themes == ["timely_care"]
    html = client.get(page).get_data(as_text=True)
    assert not _ticked(html, "child_contact")


def test_notes_refuse_unknown_themes(
    app: Flask, client: FlaskClient, logged_in, create_session
) -> None:
    session_id = create_session(days=-1)
    logged_in("ambassadeur")
    response = post_form(
        client, f"/organiseren/{session_id}/verslag", {"notes": "Goed gesprek.", "themes": ["x"]}
    )
    assert response.status_code == 400
    assert _session(app, session_id).notes == ""


# --- who may use these pages -------------------------------------------------------------------

PAGES = [
    "/organiseren/",
    "/organiseren/nieuw",
    "/organiseren/{id}",
    "/organiseren/{id}/bewerken",
    "/organiseren/{id}/afgelasten",
    "/organiseren/{id}/uitnodigen",
    "/organiseren/{id}/presentielijst",
    "/organiseren/{id}/aanwezigheid",
    "/organiseren/{id}/verslag",
]


def test_ketenpartner_gets_403(client: FlaskClient, logged_in, create_session) -> None:
    session_id = create_session()
    logged_in("ketenpartner")
    for page in PAGES:
        assert client.get(page.format(id=session_id)).status_code == 403, page
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/medewerkers/").get_data(as_text=True)
    )
    assert token
    response = client.post(
        f"/organiseren/{session_id}/publiceren",
        data={"csrf_token": token.group(1), "published": "0"},
    )
    assert response.status_code == 403


def test_anonymous_visitors_go_to_the_login_page(client: FlaskClient, create_session) -> None:
    session_id = create_session()
    for page in PAGES:
        response = client.get(page.format(id=session_id))
        assert response.status_code == 302, page
        assert "/medewerkers/inloggen" in response.headers["Location"]


def test_unknown_session_is_404(client: FlaskClient, logged_in) -> None:
    logged_in("beheerder")
    assert client.get("/organiseren/99999").status_code == 404
    assert client.get("/organiseren/99999999999").status_code == 404
