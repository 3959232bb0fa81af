"""Helpers for pool tests: a filled-in sign-up form and following links from real e-mail."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask.testing import FlaskClient

from tests.conftest import post_form
from tests.support.smtp import SMTPServer


def signup_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "display_name": "Marloes",
        "email": "marloes@example.org",
        "phone": "",
        "role": "parent",
        "age_band": "35-49",
        "municipality_id": "0",
        "interests": ["group_conversations", "surveys"],
        "languages": ["nl"],
        "availability": ["evening"],
        "support_needs": "",
        "guardian_email": "",
        "consent_pool": "y",
        "consent_surveys": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def sign_up(client: FlaskClient, **overrides: Any) -> Any:
    return post_form(client, "/meedoen", signup_data(**overrides))


def link_path(message: Any) -> str:
    links = SMTPServer.links_in(message)
    assert links, SMTPServer.text_of(message)
    return urlsplit(links[0]).path


def follow(client: FlaskClient, message: Any) -> Any:
    """Open the link in an e-mail and press the button on that page, like a person would."""
    path = link_path(message)
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    return post_form(client, path, {})


def mail_to(smtp: SMTPServer, address: str, count: int = 1) -> Any:
    messages = smtp.wait_for(count)
    matching = [m for m in messages if m["X-Envelope-To"] == address]
    assert matching, [m["X-Envelope-To"] for m in messages]
    return matching[-1]
