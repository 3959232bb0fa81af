"""Staff sign-in end to end: password, TOTP, setup at first login, locks, limits, sign-out."""

from __future__ import annotations

import re

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from participatie.auth.models import User
from participatie.db import db
from tests.conftest import fresh_code, login, post_form


def test_login_with_password_and_totp_reaches_dashboard(client: FlaskClient, create_user) -> None:
    account = create_user("ambassadeur")
    response = login(client, account)
    assert response.headers["Location"] == "/medewerkers/"
    page = client.get("/medewerkers/")
    assert page.status_code == 200
    assert account.name in page.get_data(as_text=True)


def test_password_alone_does_not_sign_in(client: FlaskClient, create_user) -> None:
    account = create_user("beheerder")
    response = post_form(
        client, "/medewerkers/inloggen", {"email": account.email, "password": account.password}
    )
    assert response.headers["Location"] == "/medewerkers/inloggen/code"
    assert client.get("/medewerkers/").status_code == 302
    assert client.get("/beheer/gebruikers").status_code == 302


def test_wrong_code_is_refused_with_translated_error(client: FlaskClient, create_user) -> None:
    account = create_user("ambassadeur")
    post_form(
        client, "/medewerkers/inloggen", {"email": account.email, "password": account.password}
    )
    response = post_form(client, "/medewerkers/inloggen/code", {"code": "000000"})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.get_data(as_text=True)
    assert client.get("/medewerkers/").status_code == 302


def test_a_code_cannot_be_used_twice(app: Flask, client: FlaskClient, create_user) -> None:
    account = create_user("ambassadeur")
    code = fresh_code(account)
    post_form(
        client, "/medewerkers/inloggen", {"email": account.email, "password": account.password}
    )
    assert post_form(client, "/medewerkers/inloggen/code", {"code": code}).status_code == 302
    other = app.test_client()
    post_form(
        other, "/medewerkers/inloggen", {"email": account.email, "password": account.password}
    )
    replay = post_form(other, "/medewerkers/inloggen/code", {"code": code})
    assert replay.status_code == 200
    assert other.get("/medewerkers/").status_code == 302


def test_wrong_password_gives_same_answer_as_unknown_address(
    client: FlaskClient, create_user
) -> None:
    account = create_user("ambassadeur")
    wrong = post_form(client, "/medewerkers/inloggen", {"email": account.email, "password": "fout"})
    unknown = post_form(
        client, "/medewerkers/inloggen", {"email": "niemand@example.org", "password": "fout"}
    )
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
    assert wrong.status_code == unknown.status_code == 200
    assert strip(wrong.get_data(as_text=True)) == strip(unknown.get_data(as_text=True))
    assert "Inloggen lukt niet" in wrong.get_data(as_text=True)


def test_typed_email_is_kept_after_an_error(client: FlaskClient) -> None:
    response = post_form(
        client, "/medewerkers/inloggen", {"email": "iemand@example.org", "password": ""}
    )
    html = response.get_data(as_text=True)
    assert 'value="iemand@example.org"' in html
    assert 'class="error-summary"' in html
    assert 'aria-invalid="true"' in html


def test_account_locks_after_repeated_failures_and_owner_gets_mail(
    app: Flask, client: FlaskClient, create_user, smtp
) -> None:
    account = create_user("ambassadeur")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        post_form(client, "/medewerkers/inloggen", {"email": account.email, "password": "fout"})
    # The right password no longer works while locked.
    response = post_form(
        client, "/medewerkers/inloggen", {"email": account.email, "password": account.password}
    )
    assert response.status_code == 200
    messages = smtp.wait_for(1)
    assert len(messages) == 1
    assert messages[0]["To"] == account.email
    assert "geblokkeerd" in messages[0]["Subject"]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == account.email))
        assert user.locked_until is not None


def test_lock_expires(app: Flask, client: FlaskClient, create_user) -> None:
    from datetime import timedelta

    from participatie import clock

    account = create_user("ambassadeur")
    with clock.frozen_at(clock.now()):
        for _ in range(app.config["LOGIN_MAX_FAILURES"]):
            post_form(client, "/medewerkers/inloggen", {"email": account.email, "password": "fout"})
        clock.advance(timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"] + 1))
        response = post_form(
            client, "/medewerkers/inloggen", {"email": account.email, "password": account.password}
        )
    assert response.status_code == 302


@pytest.fixture
def app_config(request: pytest.FixtureRequest) -> dict[str, object]:
    if "rate_limit" in request.node.name:
        return {"LOGIN_RATE_LIMIT": "3 per minute"}
    return {}


def test_login_is_rate_limited_with_translated_page(client: FlaskClient) -> None:
    statuses = [
        post_form(
            client, "/medewerkers/inloggen", {"email": "a@example.org", "password": "x"}
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    response = post_form(
        client,
        "/medewerkers/inloggen",
        {"email": "a@example.org", "password": "x"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 429
    assert "Please wait" in response.get_data(as_text=True)


def test_first_login_sets_up_totp_with_qr_code_then_requires_new_password(
    app: Flask, client: FlaskClient, create_user
) -> None:
    account = create_user("beheerder", totp=False, must_change_password=True)
    response = post_form(
        client, "/medewerkers/inloggen", {"email": account.email, "password": account.password}
    )
    assert response.headers["Location"] == "/medewerkers/tweestaps"
    page = client.get("/medewerkers/tweestaps").get_data(as_text=True)
    secret = re.search(r'<p class="secret">([A-Z2-7 ]+)</p>', page).group(1).replace(" ", "")
    qr = client.get("/medewerkers/tweestaps/qr.svg")
    assert qr.status_code == 200
    assert qr.mimetype == "image/svg+xml"
    assert b"<svg" in qr.data

    bad = post_form(client, "/medewerkers/tweestaps", {"code": "123456"})
    assert bad.status_code == 200
    response = post_form(client, "/medewerkers/tweestaps", {"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"] == "/medewerkers/wachtwoord"
    # Until the password is changed, every staff page leads to the password form.
    assert client.get("/beheer/gebruikers").headers["Location"] == "/medewerkers/wachtwoord"

    response = post_form(
        client,
        "/medewerkers/wachtwoord",
        {
            "current_password": account.password,
            "new_password": "mijn eigen lange zin",
            "repeat_password": "mijn eigen lange zin",
        },
    )
    assert response.headers["Location"] == "/medewerkers/"
    assert client.get("/beheer/gebruikers").status_code == 200
    with app.app_context():
        user = db.session.get(User, account.id)
        assert user.has_totp
        assert user.password_hash.startswith("$argon2id$")
        assert not user.must_change_password


def test_qr_code_is_not_available_without_password_step(client: FlaskClient) -> None:
    assert client.get("/medewerkers/tweestaps/qr.svg").status_code == 404


def test_password_change_errors_are_shown_and_weak_passwords_refused(
    client: FlaskClient, logged_in
) -> None:
    account = logged_in("ambassadeur")
    wrong = post_form(
        client,
        "/medewerkers/wachtwoord",
        {
            "current_password": "fout",
            "new_password": "een ander lang wachtwoord",
            "repeat_password": "een ander lang wachtwoord",
        },
    )
    assert "Uw huidige wachtwoord klopt niet" in wrong.get_data(as_text=True)
    short = post_form(
        client,
        "/medewerkers/wachtwoord",
        {"current_password": account.password, "new_password": "kort", "repeat_password": "kort"},
    )
    assert "minstens 12 tekens" in short.get_data(as_text=True)
    mismatch = post_form(
        client,
        "/medewerkers/wachtwoord",
        {
            "current_password": account.password,
            "new_password": "een ander lang wachtwoord",
            "repeat_password": "iets heel anders hier",
        },
    )
    assert "niet gelijk" in mismatch.get_data(as_text=True)
    weak = post_form(
        client,
        "/medewerkers/wachtwoord",
        {
            "current_password": account.password,
            "new_password": "wachtwoord123",
            "repeat_password": "wachtwoord123",
        },
    )
    assert "te makkelijk" in weak.get_data(as_text=True)


def test_password_change_signs_out_other_sessions(
    app: Flask, client: FlaskClient, create_user
) -> None:
    account = create_user("ambassadeur")
    login(client, account)
    other = app.test_client()
    login(other, account)
    assert other.get("/medewerkers/").status_code == 200
    post_form(
        client,
        "/medewerkers/wachtwoord",
        {
            "current_password": account.password,
            "new_password": "een nieuw lang wachtwoord",
            "repeat_password": "een nieuw lang wachtwoord",
        },
    )
    assert client.get("/medewerkers/").status_code == 200
    assert other.get("/medewerkers/").status_code == 302


def test_logout_needs_post_and_ends_the_session(client: FlaskClient, logged_in) -> None:
    logged_in("ambassadeur")
    assert client.get("/medewerkers/uitloggen").status_code == 405
    response = post_form(client, "/medewerkers/", {}, action="/medewerkers/uitloggen")
    assert response.headers["Location"] == "/medewerkers/inloggen"
    assert client.get("/medewerkers/").status_code == 302


def test_disabled_account_cannot_log_in(client: FlaskClient, create_user) -> None:
    account = create_user("ambassadeur", active=False)
    response = post_form(
        client, "/medewerkers/inloggen", {"email": account.email, "password": account.password}
    )
    assert response.status_code == 200
    assert "Inloggen lukt niet" in response.get_data(as_text=True)


def test_login_is_audit_logged(app: Flask, client: FlaskClient, create_user) -> None:
    from participatie.audit.models import AuditEvent

    account = create_user("ambassadeur")
    login(client, account)
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.actor_id == account.id)
        ).all()
    assert "user.login" in actions
