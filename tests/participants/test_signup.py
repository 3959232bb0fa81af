"""Joining the pool end to end: real SMTP, links followed, double opt-in, under 16, errors."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from participatie.db import db
from participatie.participants.models import Participant
from tests.conftest import post_form
from tests.participants.helpers import follow, link_path, mail_to, sign_up, signup_data


def participant_by_email(app: Flask, email: str) -> Participant | None:
    with app.app_context():
        participant = db.session.scalar(select(Participant).where(Participant.email == email))
        if participant is not None:
            db.session.expunge(participant)
        return participant


def test_signup_page_explains_pool_and_consent_boxes_start_unchecked(client: FlaskClient) -> None:
    html = client.get("/meedoen").get_data(as_text=True)
    assert "Wat is de poule?" in html
    assert "vrijwilligersvergoeding" in html
    assert "jonger dan 16" in html
    for purpose in ("pool", "surveys", "updates", "support_needs"):
        tag = html.split(f'id="consent_{purpose}"')[0].rsplit("<input", 1)[1]
        assert "checked" not in tag


def test_signup_needs_email_confirmation_before_becoming_active(
    app: Flask, client: FlaskClient, smtp
) -> None:
    response = sign_up(client)
    assert response.status_code == 303
    assert "Bijna klaar" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert participant_by_email(app, "marloes@example.org").status == "new"

    message = mail_to(smtp, "marloes@example.org")
    assert "Bevestig je aanmelding" in message["Subject"]
    confirmed = follow(client, message)
    assert confirmed.status_code == 200
    assert "Je zit nu in de poule" in confirmed.get_data(as_text=True)
    participant = participant_by_email(app, "marloes@example.org")
    assert participant.status == "active"
    # The link works once.
    assert client.get(link_path(message)).status_code == 410


def test_confirmation_link_page_does_not_confirm_on_get(
    app: Flask, client: FlaskClient, smtp
) -> None:
    sign_up(client)
    client.get(link_path(mail_to(smtp, "marloes@example.org")))  # a mail scanner opening it
    assert participant_by_email(app, "marloes@example.org").status == "new"


def test_signup_in_english_sends_english_mail(app: Flask, client: FlaskClient, smtp) -> None:
    client.get("/taal/en?next=/meedoen")
    sign_up(client, email="ann@example.org", languages=["en"])
    message = mail_to(smtp, "ann@example.org")
    assert "Confirm" in message["Subject"]


def test_invalid_input_keeps_everything_typed_and_explains(client: FlaskClient) -> None:
    response = sign_up(
        client,
        display_name="Rick",
        email="geen-adres",
        phone="06 1234 5678",
        support_needs="Ik heb oppas nodig",
        consent_pool=None,
        interests=["panels"],
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'value="Rick"' in html
    assert 'value="geen-adres"' in html
    assert 'value="06 1234 5678"' in html
    assert "Ik heb oppas nodig" in html
    assert (
        'value="panels" checked' in html
        or 'checked id="interests-2"' in html
        or "checked" in html.split('value="panels"')[1][:40]
    )
    assert "geldig e-mailadres" in html
    assert "Zonder deze toestemming" in html
    assert "Geef toestemming om dat te bewaren" in html


def test_invalid_input_errors_are_translated(client: FlaskClient) -> None:
    response = post_form(
        client,
        "/meedoen",
        signup_data(email="", phone="", consent_pool=None),
        headers={"Accept-Language": "en"},
    )
    html = response.get_data(as_text=True)
    assert (
        "Fill in an email address or a mobile number" in html
        or "email address or a mobile number" in html
    )


def test_email_or_phone_is_required_and_phone_is_checked(client: FlaskClient) -> None:
    none = sign_up(client, email="", phone="")
    assert "Vul een e-mailadres of een mobiel nummer in" in none.get_data(as_text=True)
    bad_phone = sign_up(client, email="", phone="12ab")
    assert "Dit mobiele nummer klopt niet" in bad_phone.get_data(as_text=True)


def test_phone_only_signup_waits_for_ambassador_call(app: Flask, client: FlaskClient, smtp) -> None:
    response = sign_up(client, email="", phone="06-12345678")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "belt je" in page
    with app.app_context():
        participant = db.session.scalar(
            select(Participant).where(Participant.phone == "+31612345678")
        )
        assert participant.status == "new"
    assert smtp.messages == []


def test_signing_up_twice_reveals_nothing_and_sends_manage_link(
    app: Flask, client: FlaskClient, create_participant, smtp
) -> None:
    create_participant(email="bekend@example.org", display_name="Bekend")
    known = sign_up(client, email="bekend@example.org")
    new = sign_up(client, email="nieuw@example.org")
    assert known.status_code == new.status_code == 303
    assert known.headers["Location"] == new.headers["Location"]
    messages = smtp.wait_for(2)
    known_mail = next(m for m in messages if m["X-Envelope-To"] == "bekend@example.org")
    assert "al aangemeld" in known_mail["Subject"]
    assert "/mijn-gegevens/link/" in link_path(known_mail)
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(Participant.id)).where(Participant.email == "bekend@example.org")
            )
            == 1
        )


def test_under_16_needs_guardian_confirmation(app: Flask, client: FlaskClient, smtp) -> None:
    missing = sign_up(client, role="young_person", age_band="12-15", email="jong@example.org")
    assert "e-mailadres van je ouder of voogd" in missing.get_data(as_text=True)

    sign_up(
        client,
        role="young_person",
        age_band="12-15",
        email="jong@example.org",
        guardian_email="ouder@example.org",
    )
    own = mail_to(smtp, "jong@example.org", 2)
    guardian = mail_to(smtp, "ouder@example.org", 2)
    assert "toestemming" in guardian["Subject"]
    follow(client, own)
    assert participant_by_email(app, "jong@example.org").status == "new"
    page = client.get(link_path(guardian)).get_data(as_text=True)
    assert "jonger is dan 16" in page
    follow(client, guardian)
    participant = participant_by_email(app, "jong@example.org")
    assert participant.guardian_confirmed_at is not None
    assert participant.status == "active"


def test_guardian_address_must_differ_from_own(client: FlaskClient) -> None:
    response = sign_up(
        client,
        role="young_person",
        age_band="12-15",
        email="jong@example.org",
        guardian_email="jong@example.org",
    )
    assert "niet je eigen adres" in response.get_data(as_text=True)


def test_honeypot_stores_nothing(app: Flask, client: FlaskClient, smtp) -> None:
    response = sign_up(client, website="http://spam.example")
    assert response.status_code in (200, 303)
    with app.app_context():
        assert db.session.scalar(select(func.count(Participant.id))) == 0
    assert smtp.messages == []


@pytest.fixture
def app_config(request: pytest.FixtureRequest) -> dict[str, object]:
    if "rate_limit" in request.node.name:
        return {"SIGNUP_RATE_LIMIT": "2 per hour"}
    return {}


def test_signup_is_rate_limited(client: FlaskClient) -> None:
    statuses = [sign_up(client, email=f"n{i}@example.org").status_code for i in range(3)]
    assert statuses == [303, 303, 429]


def test_unconfirmed_choices_are_stored_with_consents(app: Flask, client: FlaskClient) -> None:
    sign_up(
        client,
        support_needs="Rolstoelplek",
        consent_support_needs="y",
        availability=["evening", "online"],
    )
    with app.app_context():
        participant = db.session.scalar(select(Participant))
        assert participant.active_consents == ["pool", "support_needs", "surveys"]
        assert participant.availability == ["evening", "online"]
        assert participant.support_needs == "Rolstoelplek"
        assert [e.kind for e in participant.events] == ["signed_up"]
