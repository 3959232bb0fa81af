from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from participatie.mail import build_message, send


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"MAIL_BACKEND": "file"}


def test_file_backend_writes_eml_and_outbox_page_shows_it(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    with app.app_context():
        send(build_message("ouder@example.org", "Welkom in de pool", "Tekst van de mail"))
    files = sorted(Path(app.config["OUTBOX_PATH"]).glob("*.eml"))
    assert files
    parsed = email.message_from_bytes(files[-1].read_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == "Welkom in de pool"
    logged_in("ambassadeur")
    listing = client.get("/medewerkers/outbox/").get_data(as_text=True)
    assert "Welkom in de pool" in listing
    detail = client.get(f"/medewerkers/outbox/{files[-1].name}").get_data(as_text=True)
    assert "Tekst van de mail" in detail
    assert client.get("/medewerkers/outbox/..%2Finstance.eml").status_code == 404


def test_outbox_is_gone_when_mail_goes_over_smtp(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    app.config["MAIL_BACKEND"] = "smtp"
    logged_in("ambassadeur")
    assert client.get("/medewerkers/outbox/").status_code == 404
