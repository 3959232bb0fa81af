"""'Mijn gegevens' without a password: links by e-mail, changes, consents, export, deletion."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select, text

from participatie import clock
from participatie.db import db
from participatie.participants.models import Participant
from tests.conftest import post_form
from tests.participants.helpers import follow, link_path, mail_to


def request_link(client: FlaskClient, email: str) -> object:
    return post_form(client, "/mijn-gegevens/inloggen", {"email": email})


def sign_in(client: FlaskClient, smtp, email: str) -> None:
    request_link(client, email)
    response = follow(client, mail_to(smtp, email))
    assert response.headers["Location"] == "/mijn-gegevens"


def test_same_answer_whether_or_not_address_is_known(
    client: FlaskClient, create_participant, smtp
) -> None:
    create_participant(email="bekend@example.org")
    known = request_link(client, "bekend@example.org").get_data(as_text=True)
    unknown = request_link(client, "onbekend@example.org").get_data(as_text=True)
    strip = lambda html: html.split('name="csrf_token"')[0]  # noqa: E731
    assert strip(known) == strip(unknown)
    assert [m["X-Envelope-To"] for m in smtp.wait_for(1)] == ["bekend@example.org"]


def test_link_signs_in_once_and_shows_details(
    client: FlaskClient, create_participant, smtp
) -> None:
    create_participant(email="p@example.org", display_name="Petra")
    request_link(client, "p@example.org")
    message = mail_to(smtp, "p@example.org")
    follow(client, message)
    page = client.get("/mijn-gegevens").get_data(as_text=True)
    assert "Petra" in page and "p@example.org" in page
    assert client.get(link_path(message)).status_code == 410


def test_link_expires_after_30_minutes(client: FlaskClient, create_participant, smtp) -> None:
    create_participant(email="p@example.org")
    with clock.frozen_at(clock.now()):
        request_link(client, "p@example.org")
        message = mail_to(smtp, "p@example.org")
        clock.advance(timedelta(minutes=29))
        assert client.get(link_path(message)).status_code == 200
        clock.advance(timedelta(minutes=2))
        assert client.get(link_path(message)).status_code == 410
        assert (
            post_form(client, "/mijn-gegevens/inloggen", {}, action=link_path(message)).status_code
            == 410
        )


def test_pages_need_a_sign_in(client: FlaskClient) -> None:
    for path in (
        "/mijn-gegevens",
        "/mijn-gegevens/wijzigen",
        "/mijn-gegevens/download.json",
        "/mijn-gegevens/verwijderen",
        "/mijn-gegevens/toestemming",
    ):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"] == "/mijn-gegevens/inloggen"


@pytest.fixture
def app_config(request: pytest.FixtureRequest) -> dict[str, object]:
    if "rate_limit" in request.node.name:
        return {
            "MANAGE_LINK_PER_ADDRESS_LIMIT": "2 per 15 minutes",
            "MANAGE_LINK_RATE_LIMIT": "4 per hour",
        }
    return {}


def test_link_requests_are_rate_limited_per_address_and_per_client(client: FlaskClient) -> None:
    same = [request_link(client, "x@example.org").status_code for _ in range(3)]
    assert same == [200, 200, 429]
    # Four per hour from one client in total (the refused request did not count).
    other = [request_link(client, f"y{i}@example.org").status_code for i in range(3)]
    assert other == [200, 200, 429]


def test_change_details_keeps_input_on_error_and_saves(
    app: Flask, client: FlaskClient, create_participant, smtp
) -> None:
    participant_id = create_participant(email="p@example.org", display_name="Petra")
    sign_in(client, smtp, "p@example.org")
    form = client.get("/mijn-gegevens/wijzigen").get_data(as_text=True)
    assert 'value="Petra"' in form
    data = {
        "display_name": "Petra B",
        "email": "p@example.org",
        "phone": "06 9999",
        "role": "parent",
        "age_band": "35-49",
        "municipality_id": "0",
        "interests": ["panels"],
        "languages": ["nl", "tr"],
    }
    bad = post_form(client, "/mijn-gegevens/wijzigen", data)
    assert 'value="Petra B"' in bad.get_data(as_text=True)
    assert "Dit mobiele nummer klopt niet" in bad.get_data(as_text=True)
    data["phone"] = "+31 6 1111 2222"
    assert post_form(client, "/mijn-gegevens/wijzigen", data).status_code == 303
    with app.app_context():
        participant = db.session.get(Participant, participant_id)
        assert participant.display_name == "Petra B"
        assert participant.phone == "+31611112222"
        assert participant.languages == ["nl", "tr"]
        assert participant.interests == ["panels"]


def test_changing_email_sends_confirmation_to_new_address(
    client: FlaskClient, create_participant, smtp
) -> None:
    create_participant(email="oud@example.org")
    create_participant(email="bezet@example.org")
    sign_in(client, smtp, "oud@example.org")
    base = {
        "display_name": "X",
        "role": "parent",
        "age_band": "35-49",
        "municipality_id": "0",
        "interests": ["panels"],
        "languages": ["nl"],
    }
    taken = post_form(client, "/mijn-gegevens/wijzigen", {**base, "email": "bezet@example.org"})
    assert "al gebruikt" in taken.get_data(as_text=True)
    smtp.clear()
    post_form(client, "/mijn-gegevens/wijzigen", {**base, "email": "nieuw@example.org"})
    assert mail_to(smtp, "nieuw@example.org")


def test_withdraw_consents_per_purpose(
    app: Flask, client: FlaskClient, create_participant, smtp
) -> None:
    participant_id = create_participant(
        email="p@example.org", consents=("pool", "surveys", "support_needs")
    )
    with app.app_context():
        db.session.get(Participant, participant_id).support_needs = "Tolk Arabisch"
        db.session.commit()
    sign_in(client, smtp, "p@example.org")
    post_form(client, "/mijn-gegevens/toestemming", {"consent_pool": "y"})
    with app.app_context():
        participant = db.session.get(Participant, participant_id)
        assert participant.active_consents == ["pool"]
        assert participant.support_needs == ""
        assert participant.status == "active"
        withdrawn = [c for c in participant.consents if c.withdrawn_at is not None]
        assert {c.purpose for c in withdrawn} == {"surveys", "support_needs"}
    post_form(client, "/mijn-gegevens/toestemming", {})
    with app.app_context():
        assert db.session.get(Participant, participant_id).status == "stopped"


def test_pause_and_resume(app: Flask, client: FlaskClient, create_participant, smtp) -> None:
    participant_id = create_participant(email="p@example.org")
    sign_in(client, smtp, "p@example.org")
    post_form(client, "/mijn-gegevens", {"paused": "1"}, action="/mijn-gegevens/pauze")
    with app.app_context():
        assert db.session.get(Participant, participant_id).status == "paused"
    post_form(client, "/mijn-gegevens", {"paused": "0"}, action="/mijn-gegevens/pauze")
    with app.app_context():
        assert db.session.get(Participant, participant_id).status == "active"


def test_download_holds_all_personal_data_including_notes(
    app: Flask, client: FlaskClient, create_participant, create_user, smtp
) -> None:
    from participatie.auth.models import User
    from participatie.participants.operations import add_note

    participant_id = create_participant(
        email="p@example.org", display_name="Petra", phone="+31612345678"
    )
    staff = create_user("ambassadeur")
    with app.app_context():
        add_note(
            db.session.get(User, staff.id),
            db.session.get(Participant, participant_id),
            "Belde op dinsdag",
        )
        db.session.commit()
    sign_in(client, smtp, "p@example.org")
    response = client.get("/mijn-gegevens/download.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["profile"]["display_name"] == "Petra"
    assert data["profile"]["phone"] == "+31612345678"
    assert data["notes_by_staff"][0]["text"] == "Belde op dinsdag"
    assert {c["purpose"] for c in data["consents"]} == {"pool", "surveys"}


def all_text_in_database(app: Flask) -> str:
    """Every value of every column of every table, as one string."""
    with app.app_context():
        parts = []
        for table in inspect(db.engine).get_table_names():
            for row in db.session.execute(text(f'SELECT * FROM "{table}"')):
                parts.extend(
                    value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    for value in row
                )
        return "\n".join(parts).lower()


def test_self_deletion_leaves_no_trace_of_the_person(
    app: Flask, client: FlaskClient, create_participant, create_user, smtp
) -> None:
    from datetime import date

    from participatie.allowances.operations import register_allowance
    from participatie.auth.models import User
    from participatie.participants.operations import add_note, set_consent

    participant_id = create_participant(
        email="verwijder.mij@example.org", display_name="Gertrude", phone="+31687654321"
    )
    staff = create_user("ambassadeur")
    with app.app_context():
        participant = db.session.get(Participant, participant_id)
        actor = db.session.get(User, staff.id)
        add_note(actor, participant, "Gertrude wil graag in een panel")
        register_allowance(actor, participant, "Panel met Gertrude", date(2026, 3, 1), 120, 1000)
        set_consent(participant, "updates", True)
        db.session.commit()
    sign_in(client, smtp, "verwijder.mij@example.org")
    assert "gertrude" in all_text_in_database(app)

    page = post_form(client, "/mijn-gegevens/verwijderen", {})
    assert "Vink het vakje aan" in page.get_data(as_text=True)
    done = post_form(client, "/mijn-gegevens/verwijderen", {"confirm": "y"})
    assert "Je gegevens zijn verwijderd" in done.get_data(as_text=True)

    everything = all_text_in_database(app)
    for trace in ("gertrude", "verwijder.mij@example.org", "+31687654321", "687654321"):
        assert trace not in everything, trace
    with app.app_context():
        from participatie.allowances.models import Allowance

        remaining = db.session.scalars(select(Allowance)).all()
        assert [(a.participant_id, a.amount_cents) for a in remaining] == [(None, 1000)]
    assert client.get("/mijn-gegevens").status_code == 302
