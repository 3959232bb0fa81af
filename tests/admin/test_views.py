from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from participatie.audit.models import AuditEvent
from participatie.auth.models import User
from participatie.db import db
from participatie.organisations.models import Municipality, Organisation
from tests.conftest import StaffAccount, post_form


def test_admin_creates_user_and_sees_initial_password_once(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    logged_in("beheerder")
    response = post_form(
        client,
        "/beheer/gebruikers/nieuw",
        {
            "name": "Nina Nieuw",
            "email": "nina@example.org",
            "role": "ambassadeur",
            "organisation_id": "0",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    password = re.search(r'<p class="panel secret">([^<]+)</p>', html).group(1).strip()
    assert "Set-Cookie" not in response.headers or password not in response.headers["Set-Cookie"]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "nina@example.org"))
        assert user.must_change_password
        assert db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "user.create", AuditEvent.object_id == str(user.id)
            )
        )
        user_id = user.id
    # The new user can log in with it and is sent to set up two-factor.
    new_client = app.test_client()
    first = post_form(
        new_client, "/medewerkers/inloggen", {"email": "nina@example.org", "password": password}
    )
    assert first.headers["Location"] == "/medewerkers/tweestaps"
    assert password not in client.get(f"/beheer/gebruikers/{user_id}").get_data(as_text=True)


def test_create_user_errors_keep_input(client: FlaskClient, logged_in) -> None:
    logged_in("beheerder")
    response = post_form(
        client,
        "/beheer/gebruikers/nieuw",
        {
            "name": "Karel Keten",
            "email": "geen-adres",
            "role": "ketenpartner",
            "organisation_id": "0",
        },
    )
    html = response.get_data(as_text=True)
    assert 'value="Karel Keten"' in html
    assert 'value="geen-adres"' in html
    assert "geldig e-mailadres" in html
    response = post_form(
        client,
        "/beheer/gebruikers/nieuw",
        {
            "name": "Karel Keten",
            "email": "karel@example.org",
            "role": "ketenpartner",
            "organisation_id": "0",
        },
    )
    assert "Kies de organisatie van deze ketenpartner" in response.get_data(as_text=True)


def test_duplicate_email_is_reported(client: FlaskClient, logged_in, create_user) -> None:
    logged_in("beheerder")
    existing = create_user("ambassadeur")
    response = post_form(
        client,
        "/beheer/gebruikers/nieuw",
        {
            "name": "Dubbel",
            "email": existing.email.upper(),
            "role": "ambassadeur",
            "organisation_id": "0",
        },
    )
    assert "Er is al een account met dit e-mailadres" in response.get_data(as_text=True)


def test_disabling_a_user_signs_them_out_at_once(
    app: Flask, client: FlaskClient, logged_in, create_user
) -> None:
    from tests.conftest import login

    logged_in("beheerder")
    target: StaffAccount = create_user("ambassadeur")
    target_client = app.test_client()
    login(target_client, target)
    assert target_client.get("/medewerkers/").status_code == 200
    post_form(
        client,
        f"/beheer/gebruikers/{target.id}",
        {"active": "0"},
        action=f"/beheer/gebruikers/{target.id}/status",
    )
    assert target_client.get("/medewerkers/").status_code == 302
    with app.app_context():
        assert db.session.get(User, target.id).is_active is False
    post_form(
        client,
        f"/beheer/gebruikers/{target.id}",
        {"active": "1"},
        action=f"/beheer/gebruikers/{target.id}/status",
    )
    with app.app_context():
        assert db.session.get(User, target.id).is_active is True


def test_admin_adds_organisation_and_municipality(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    logged_in("beheerder")
    response = post_form(
        client, "/beheer/organisaties", {"name": "Jeugdhulp Eemland", "description_nl": "Test"}
    )
    assert response.status_code == 302
    duplicate = post_form(client, "/beheer/organisaties", {"name": "Jeugdhulp Eemland"})
    assert "Deze organisatie bestaat al" in duplicate.get_data(as_text=True)
    response = post_form(client, "/beheer/gemeenten", {"name": "Nijkerk", "cbs_code": "GM0267"})
    assert response.status_code == 302
    bad = post_form(client, "/beheer/gemeenten", {"name": "Ergens", "cbs_code": "123"})
    assert "CBS-code" in bad.get_data(as_text=True)
    assert 'value="Ergens"' in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(
            select(Organisation).where(Organisation.name == "Jeugdhulp Eemland")
        )
        assert db.session.scalar(select(Municipality).where(Municipality.cbs_code == "GM0267"))


def test_reference_data_is_seeded(app: Flask) -> None:
    with app.app_context():
        slugs = set(db.session.scalars(select(Organisation.slug)))
        names = set(db.session.scalars(select(Municipality.name)))
    assert {
        "veilig-thuis",
        "save",
        "swa",
        "bsa-jeugdhulp",
        "raad-kinderbescherming",
        "gemeente",
    } <= slugs
    assert {
        "Amersfoort",
        "Baarn",
        "Bunschoten",
        "Eemnes",
        "Leusden",
        "Soest",
        "Woudenberg",
    } <= names


def test_reset_gives_new_password_and_fresh_two_factor(
    app: Flask, client: FlaskClient, logged_in, create_user
) -> None:
    logged_in("beheerder")
    target = create_user("ambassadeur")
    response = post_form(
        client,
        f"/beheer/gebruikers/{target.id}",
        {},
        action=f"/beheer/gebruikers/{target.id}/herstellen",
    )
    password = (
        re.search(r'<p class="panel secret">([^<]+)</p>', response.get_data(as_text=True))
        .group(1)
        .strip()
    )
    other = app.test_client()
    first = post_form(other, "/medewerkers/inloggen", {"email": target.email, "password": password})
    assert first.headers["Location"] == "/medewerkers/tweestaps"


def test_audit_log_lists_actions_without_content(client: FlaskClient, logged_in) -> None:
    logged_in("beheerder")
    html = client.get("/beheer/logboek").get_data(as_text=True)
    assert "user.login" in html
