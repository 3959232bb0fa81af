"""The public agenda, a session's page and signing up for it (guest or pool member).

The helpers at the top are shared with test_calendar.py and test_mail_flows.py.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from participatie import clock
from participatie.db import db
from participatie.groupsessions.models import Registration
from tests.conftest import csrf_token_from, post_form
from tests.participants.helpers import follow
from tests.participants.helpers import mail_to as pool_mail_to
from tests.support.smtp import SMTPServer

# --- shared helpers -------------------------------------------------------------------------


def guest_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Samira",
        "email": "samira@example.org",
        "phone": "",
        "consent": "y",
        "need_support": "",
        "need_dietary": "",
        "need_childcare": "",
        "need_interpreter": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def sign_up_guest(client: FlaskClient, session_id: int, **overrides: Any) -> Any:
    return post_form(client, f"/bijeenkomsten/{session_id}", guest_data(**overrides))


def mails_to(smtp: SMTPServer, address: str, count: int = 1, timeout: float = 5.0) -> list[Any]:
    """The mails sent to `address`, once there are at least `count` of them."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in smtp.messages if m["X-Envelope-To"] == address]
        if len(found) >= count or time.monotonic() > deadline:
            assert len(found) >= count, [(m["X-Envelope-To"], m["Subject"]) for m in smtp.messages]
            return found
        time.sleep(0.02)


def link_path(message: EmailMessage) -> str:
    links = SMTPServer.links_in(message)
    assert links, SMTPServer.text_of(message)
    return urlsplit(links[0]).path


def registrations(app: Flask, session_id: int) -> list[Registration]:
    with app.app_context():
        rows = db.session.scalars(
            select(Registration)
            .where(Registration.session_id == session_id)
            .order_by(Registration.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def text_of(response: Any) -> str:
    return response.get_data(as_text=True)


def titles_in(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/bijeenkomsten/\d+">([^<]+)</a></h3>', html)


# --- the agenda ---------------------------------------------------------------------------------


def test_agenda_lists_published_upcoming_sessions_soonest_first(
    client: FlaskClient, create_session
) -> None:
    create_session(title_nl="Later", days=9)
    create_session(title_nl="Eerst", days=2)
    create_session(title_nl="Concept", status="draft")
    create_session(title_nl="Afgelast", status="cancelled")
    create_session(title_nl="Voorbij", days=-1)
    page = client.get("/bijeenkomsten/")
    assert page.status_code == 200
    html = text_of(page)
    assert titles_in(html) == ["Eerst", "Later"]
    assert html.count("<h1>") == 1
    assert 'href="/bijeenkomsten/agenda.ics"' in html


def test_agenda_shows_free_places_or_waiting_list(client: FlaskClient, create_session) -> None:
    create_session(title_nl="Ruim", capacity=5)
    full = create_session(title_nl="Vol", capacity=1)
    sign_up_guest(client, full)
    html = text_of(client.get("/bijeenkomsten/"))
    assert "Nog 5 plekken vrij" in html
    assert "wachtlijst" in html


def test_agenda_filters_by_audience_kind_and_form(client: FlaskClient, create_session) -> None:
    create_session(title_nl="Ouders", audience="parents")
    create_session(title_nl="Jongeren", audience="young_people", kind="panel")
    create_session(title_nl="Samen online", audience="both", is_online=True)

    def shown(query: str) -> list[str]:
        return sorted(titles_in(text_of(client.get(f"/bijeenkomsten/?{query}"))))

    assert shown("") == ["Jongeren", "Ouders", "Samen online"]
    assert shown("voor=parents") == ["Ouders", "Samen online"]
    assert shown("voor=young_people") == ["Jongeren", "Samen online"]
    assert shown("voor=both") == ["Samen online"]
    assert shown("soort=panel") == ["Jongeren"]
    assert shown("vorm=online") == ["Samen online"]
    assert shown("vorm=ter-plekke") == ["Jongeren", "Ouders"]
    assert shown("voor=parents&vorm=ter-plekke") == ["Ouders"]
    # Unknown values filter nothing, and never cause an error.
    assert shown("voor=aliens&soort=%27;drop&vorm=") == ["Jongeren", "Ouders", "Samen online"]
    assert "passen bij je keuze" in text_of(client.get("/bijeenkomsten/?soort=training"))


def test_agenda_filter_form_keeps_the_choice(client: FlaskClient, create_session) -> None:
    html = text_of(client.get("/bijeenkomsten/?voor=parents&vorm=online"))
    assert re.search(r'<option selected value="parents">|<option value="parents" selected>', html)
    assert 'href="/bijeenkomsten/agenda.ics?voor=parents&amp;vorm=online"' in html


# --- a session's page ------------------------------------------------------------------------------


def test_drafts_and_unknown_sessions_are_not_found(client: FlaskClient, create_session) -> None:
    draft = create_session(status="draft")
    assert client.get(f"/bijeenkomsten/{draft}").status_code == 404
    assert client.get(f"/bijeenkomsten/{draft}.ics").status_code == 404
    assert client.get("/bijeenkomsten/999999").status_code == 404
    assert client.get("/bijeenkomsten/99999999999").status_code == 404


def test_draft_cannot_be_signed_up_for(app: Flask, client: FlaskClient, create_session) -> None:
    open_session = create_session()
    draft = create_session(status="draft")
    response = post_form(
        client, f"/bijeenkomsten/{open_session}", guest_data(), action=f"/bijeenkomsten/{draft}"
    )
    assert response.status_code == 404
    assert registrations(app, draft) == []


def test_detail_shows_the_session_but_never_the_meeting_link(
    client: FlaskClient, create_session
) -> None:
    session_id = create_session(
        title_nl="Online praten",
        is_online=True,
        meeting_link="https://meet.example/geheim-123",
        accessibility_nl="Ondertiteling staat aan.",
        languages=["nl", "ar"],
        allowance_cents=2500,
    )
    page = client.get(f"/bijeenkomsten/{session_id}")
    html = text_of(page)
    assert page.status_code == 200
    assert html.count("<h1>") == 1 and "Online praten" in html
    assert "geheim-123" not in html and "meet.example" not in html
    assert "Ondertiteling staat aan." in html
    assert "Arabisch" in html
    assert "25,00" in html
    assert 'name="name"' in html and 'name="consent"' in html
    assert "/mijn-gegevens/inloggen" in html
    assert "geheim-123" not in text_of(client.get("/bijeenkomsten/"))


def test_detail_in_person_shows_place_and_route(client: FlaskClient, create_session) -> None:
    session_id = create_session(route_nl="Bus 3, halte Keistraat.")
    html = text_of(client.get(f"/bijeenkomsten/{session_id}"))
    assert "Wijkcentrum De Kei" in html and "Keistraat 1, Amersfoort" in html
    assert "Bus 3, halte Keistraat." in html


def test_detail_in_english(client: FlaskClient, create_session) -> None:
    session_id = create_session(title_nl="Praten", title_en="Talking")
    client.set_cookie("taal", "en")
    html = text_of(client.get(f"/bijeenkomsten/{session_id}"))
    assert "<h1>Talking</h1>" in html


def test_cancelled_session_says_so_and_takes_no_sign_ups(
    app: Flask, client: FlaskClient, create_session
) -> None:
    session_id = create_session(status="cancelled")
    page = client.get(f"/bijeenkomsten/{session_id}")
    html = text_of(page)
    assert page.status_code == 200
    assert "Afgelast" in html and 'name="consent"' not in html
    agenda = create_session()
    response = post_form(
        client, f"/bijeenkomsten/{agenda}", guest_data(), action=f"/bijeenkomsten/{session_id}"
    )
    assert response.status_code == 200
    assert "kan niet meer" in text_of(response)
    assert registrations(app, session_id) == []


# --- signing up as a guest -------------------------------------------------------------------------


def test_guest_signup_stores_details_and_redirects_without_token(
    app: Flask, client: FlaskClient, create_session, smtp
) -> None:
    session_id = create_session()
    response = sign_up_guest(client, session_id, phone="06 12345678", need_dietary="Geen vlees")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location == f"/bijeenkomsten/{session_id}?aangemeld=1"
    done = client.get(location)
    html = text_of(done)
    assert "Je bent aangemeld!" in html and html.count("<h1>") == 1
    assert "Kijk in je e-mail" in html
    [registration] = registrations(app, session_id)
    assert registration.status == "confirmed"
    assert registration.participant_id is None
    assert registration.guest_name == "Samira"
    assert registration.guest_email == "samira@example.org"
    assert registration.guest_phone == "+31612345678"
    assert registration.need_dietary == "Geen vlees"
    # The token is in the mail only, never in a URL of the site.
    token = link_path(mails_to(smtp, "samira@example.org")[0]).rsplit("/", 1)[-1]
    assert token not in location and token not in html
    # The "you're signed up" page is shown once; after that the normal page.
    assert "Je bent aangemeld!" not in text_of(client.get(location))


def test_guest_signup_by_phone_only(app: Flask, client: FlaskClient, create_session, smtp) -> None:
    session_id = create_session()
    response = sign_up_guest(client, session_id, email="", phone="0612345678")
    html = text_of(client.get(response.headers["Location"]))
    assert "geen e-mailadres" in html
    assert registrations(app, session_id)[0].guest_phone == "+31612345678"
    assert smtp.messages == []


def test_guest_signup_with_bad_input_keeps_everything_typed(
    app: Flask, client: FlaskClient, create_session
) -> None:
    session_id = create_session()
    response = sign_up_guest(
        client,
        session_id,
        name="Samira",
        email="",
        phone="",
        consent=None,
        need_childcare="Twee kinderen, 3 en 5",
    )
    html = text_of(response)
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#email"' in html and 'href="#consent"' in html
    assert "Vul een e-mailadres of een mobiel nummer in" in html
    assert "Vink het vakje aan" in html
    assert 'value="Samira"' in html
    assert "Twee kinderen, 3 en 5" in html
    assert 'aria-invalid="true"' in html
    assert registrations(app, session_id) == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Vul in hoe we je mogen noemen."),
        ({"email": "geen-adres"}, "Vul een geldig e-mailadres in"),
        ({"phone": "12ab"}, "Dit mobiele nummer klopt niet"),
        ({"need_support": "x" * 1001}, "Dit is te lang"),
    ],
)
def test_guest_signup_validation(
    app: Flask, client: FlaskClient, create_session, overrides: dict[str, str], message: str
) -> None:
    session_id = create_session()
    response = sign_up_guest(client, session_id, **overrides)
    assert response.status_code == 200
    assert message in text_of(response)
    assert registrations(app, session_id) == []


def test_consent_hint_says_how_long_details_are_kept(client: FlaskClient, create_session) -> None:
    html = text_of(client.get(f"/bijeenkomsten/{create_session()}"))
    assert "alleen voor deze bijeenkomst" in html
    assert "30 dagen na de bijeenkomst" in html


def test_already_signed_up_says_to_look_in_the_mail(
    app: Flask, client: FlaskClient, create_session
) -> None:
    session_id = create_session()
    assert sign_up_guest(client, session_id).status_code == 303
    again = sign_up_guest(client, session_id, email="Samira@Example.org", name="Sam")
    html = text_of(again)
    assert again.status_code == 200
    assert "Je bent al aangemeld voor deze bijeenkomst" in html
    assert 'value="Sam"' in html
    assert len(registrations(app, session_id)) == 1


def test_full_session_puts_the_guest_on_the_waiting_list(
    app: Flask, client: FlaskClient, create_session
) -> None:
    session_id = create_session(capacity=1)
    sign_up_guest(client, session_id, email="een@example.org")
    page = text_of(client.get(f"/bijeenkomsten/{session_id}"))
    assert "Aanmelden voor de wachtlijst" in page
    response = sign_up_guest(client, session_id, email="twee@example.org")
    html = text_of(client.get(response.headers["Location"]))
    assert "Je staat op de wachtlijst" in html
    assert [r.status for r in registrations(app, session_id)] == ["confirmed", "waiting"]


def test_honeypot_stores_nothing_but_looks_like_success(
    app: Flask, client: FlaskClient, create_session, smtp
) -> None:
    session_id = create_session()
    response = sign_up_guest(client, session_id, website="http://spam.example")
    assert response.status_code == 303
    assert "Bedankt voor je aanmelding" in text_of(client.get(response.headers["Location"]))
    assert registrations(app, session_id) == []
    assert smtp.messages == []


def test_signup_closes_at_the_deadline(app: Flask, client: FlaskClient, create_session) -> None:
    with clock.frozen_at(clock.now().replace(microsecond=0)):
        session_id = create_session(days=5, signup_deadline=clock.now() + timedelta(days=2))
        page = post_form(client, f"/bijeenkomsten/{session_id}", {})  # takes a CSRF token
        assert 'name="consent"' in text_of(page)
        clock.advance(timedelta(days=2, seconds=1))
        html = text_of(client.get(f"/bijeenkomsten/{session_id}"))
        assert "Aanmelden voor deze bijeenkomst kan niet meer." in html
        assert 'name="consent"' not in html
        token = csrf_token_from(text_of(page))
        response = client.post(
            f"/bijeenkomsten/{session_id}", data={**guest_data(), "csrf_token": token}
        )
        assert response.status_code == 200
        assert "Aanmelden voor deze bijeenkomst kan niet meer." in text_of(response)
        assert 'class="error-summary"' in text_of(response)
    assert registrations(app, session_id) == []


def test_signup_closes_when_the_session_starts(client: FlaskClient, create_session) -> None:
    with clock.frozen_at(clock.now().replace(microsecond=0)):
        session_id = create_session(days=1)
        clock.advance(timedelta(days=1))
        assert "kan niet meer" in text_of(client.get(f"/bijeenkomsten/{session_id}"))


def test_only_the_needs_the_organiser_asks_about(
    app: Flask, client: FlaskClient, create_session
) -> None:
    session_id = create_session(questions=("dietary",))
    html = text_of(client.get(f"/bijeenkomsten/{session_id}"))
    assert 'name="need_dietary"' in html
    for other in ("need_support", "need_childcare", "need_interpreter"):
        assert f'name="{other}"' not in html
    assert "Alleen de organisator" in html and "7 dagen na de bijeenkomst" in html
    sign_up_guest(client, session_id, need_dietary="Halal", need_childcare="Stiekem ingevuld")
    [registration] = registrations(app, session_id)
    assert registration.need_dietary == "Halal"
    assert registration.need_childcare == ""


def test_no_needs_asked_no_needs_questions(client: FlaskClient, create_session) -> None:
    html = text_of(client.get(f"/bijeenkomsten/{create_session(questions=())}"))
    assert "need_" not in html and "Wat heb je nodig?" not in html


# --- signing up as a pool member ---------------------------------------------------------------


def sign_in_to_my_details(client: FlaskClient, smtp: SMTPServer, email: str) -> None:
    post_form(client, "/mijn-gegevens/inloggen", {"email": email})
    response = follow(client, pool_mail_to(smtp, email))
    assert response.headers["Location"] == "/mijn-gegevens"
    smtp.clear()


def test_pool_member_is_filled_in_after_signing_in(
    app: Flask, client: FlaskClient, create_participant, create_session, smtp
) -> None:
    participant_id = create_participant(display_name="Petra", email="petra@example.org")
    session_id = create_session()
    before = text_of(client.get(f"/bijeenkomsten/{session_id}"))
    assert "Petra" not in before and 'name="name"' in before

    sign_in_to_my_details(client, smtp, "petra@example.org")
    html = text_of(client.get(f"/bijeenkomsten/{session_id}"))
    assert "Je meldt je aan als <strong>Petra</strong>" in html
    assert "petra@example.org" in html
    assert 'name="name"' not in html and 'name="email"' not in html
    assert 'name="consent"' not in html

    response = post_form(client, f"/bijeenkomsten/{session_id}", {"need_interpreter": "Arabisch"})
    assert response.status_code == 303
    [registration] = registrations(app, session_id)
    assert registration.participant_id == participant_id
    assert registration.guest_name is None and registration.guest_email is None
    assert registration.need_interpreter == "Arabisch"
    assert registration.status == "confirmed"
    assert mails_to(smtp, "petra@example.org")[0]["Subject"].startswith("Je bent aangemeld")

    again = post_form(client, f"/bijeenkomsten/{session_id}", {})
    assert "Je bent al aangemeld voor deze bijeenkomst" in text_of(again)
    assert len(registrations(app, session_id)) == 1


def test_pool_members_support_needs_are_suggested(
    client: FlaskClient, create_participant, create_session, smtp
) -> None:
    participant_id = create_participant(email="p@example.org")
    with client.application.app_context():
        from participatie.participants.models import Participant

        db.session.get(Participant, participant_id).support_needs = "Rolstoelplek"
        db.session.commit()
    sign_in_to_my_details(client, smtp, "p@example.org")
    assert "Rolstoelplek" in text_of(client.get(f"/bijeenkomsten/{create_session()}"))


def test_stopped_pool_member_gets_the_guest_form(
    client: FlaskClient, create_participant, create_session, smtp
) -> None:
    participant_id = create_participant(email="weg@example.org", display_name="Wim")
    sign_in_to_my_details(client, smtp, "weg@example.org")
    with client.application.app_context():
        from participatie.participants.models import Participant

        db.session.get(Participant, participant_id).status = "stopped"
        db.session.commit()
    html = text_of(client.get(f"/bijeenkomsten/{create_session()}"))
    assert 'name="name"' in html and "Je meldt je aan als" not in html


# --- the registration page ----------------------------------------------------------------------


def test_unknown_link_is_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/bijeenkomsten/aanmelding/onbekend")
    assert response.status_code == 404
    html = text_of(response)
    assert "Deze link kennen we niet" in html and html.count("<h1>") == 1
    assert client.get("/bijeenkomsten/aanmelding/" + "x" * 300).status_code == 404


def test_opening_the_link_changes_nothing(
    app: Flask, client: FlaskClient, create_session, smtp
) -> None:
    session_id = create_session()
    sign_up_guest(client, session_id)
    path = link_path(mails_to(smtp, "samira@example.org")[0])
    for _ in range(3):
        assert client.get(path).status_code == 200
    assert [r.status for r in registrations(app, session_id)] == ["confirmed"]


def test_unknown_action_is_refused(app: Flask, client: FlaskClient, create_session, smtp) -> None:
    session_id = create_session()
    sign_up_guest(client, session_id)
    path = link_path(mails_to(smtp, "samira@example.org")[0])
    assert post_form(client, path, {"action": "delete-everything"}).status_code == 400
    assert client.post(path, data={"action": "cancel"}).status_code == 400  # no CSRF token
    assert [r.status for r in registrations(app, session_id)] == ["confirmed"]


def test_cannot_cancel_after_the_start(
    app: Flask, client: FlaskClient, create_session, smtp
) -> None:
    with clock.frozen_at(clock.now().replace(microsecond=0)):
        session_id = create_session(days=1)
        sign_up_guest(client, session_id)
        path = link_path(mails_to(smtp, "samira@example.org")[0])
        assert "Ik meld me af" in text_of(client.get(path))
        page = client.get(path)
        clock.advance(timedelta(days=1, minutes=5))
        assert "Ik meld me af" not in text_of(client.get(path))
        token = csrf_token_from(text_of(page))
        response = client.post(path, data={"action": "cancel", "csrf_token": token})
        assert response.status_code == 303
        assert "al begonnen" in text_of(client.get(path))
    assert [r.status for r in registrations(app, session_id)] == ["confirmed"]


def test_waiting_list_position_is_shown(
    app: Flask, client: FlaskClient, create_session, smtp
) -> None:
    session_id = create_session(capacity=1)
    for name in ("a", "b", "c"):
        sign_up_guest(client, session_id, email=f"{name}@example.org")
    assert "nummer 2 op de wachtlijst" in text_of(
        client.get(link_path(mails_to(smtp, "c@example.org")[0]))
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(Registration.id))) == 3
