"""A parent joins the pool and manages their data in a real browser, in Dutch and English,
with an axe-core check on every page on the way. E-mail goes to the live app's outbox."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import assert_accessible, demo_account, sign_in

pytestmark = pytest.mark.browser


def latest_link_to(live_app, address: str) -> str:  # type: ignore[no-untyped-def]
    outbox = Path(live_app.config["OUTBOX_PATH"])
    for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            body = message.get_body(preferencelist=("plain",)).get_content()
            return urlsplit(re.findall(r"https?://\S+", body)[0]).path
    raise AssertionError(f"no mail to {address}")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_join_confirm_manage_and_delete(new_context, live_app, language: str) -> None:  # type: ignore[no-untyped-def]
    address = f"browser.ouder.{language}@example.org"
    page = new_context(language).new_page()
    page.goto("/meedoen")
    assert_accessible(page, f"sign-up [{language}]")
    # Submit with mistakes first: errors shown, nothing typed is lost.
    page.fill("#display_name", "Marloes")
    page.fill("#email", "geen-adres")
    page.click("main button[type=submit]")
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.input_value("#display_name") == "Marloes"
    assert_accessible(page, f"sign-up with errors [{language}]")

    page.fill("#email", address)
    page.check("#role-0")
    page.select_option("#age_band", "35-49")
    page.check("#interests-1")
    page.check("#consent_pool")
    page.click("main button[type=submit]")
    page.wait_for_url("**/meedoen/bijna-klaar")
    assert_accessible(page, f"sign-up done [{language}]")

    page.goto(latest_link_to(live_app, address))
    assert_accessible(page, f"confirm e-mail [{language}]")
    page.click("main button[type=submit]")
    assert_accessible(page, f"confirmed [{language}]")

    page.goto("/mijn-gegevens/inloggen")
    page.fill("#email", address)
    page.click("main button[type=submit]")
    assert_accessible(page, f"link sent [{language}]")
    page.goto(latest_link_to(live_app, address))
    assert_accessible(page, f"sign-in link [{language}]")
    page.click("main button[type=submit]")
    page.wait_for_url("**/mijn-gegevens")
    expect(page.locator("body")).to_contain_text("Marloes")
    assert_accessible(page, f"my data [{language}]")
    for path in (
        "/mijn-gegevens/wijzigen",
        "/mijn-gegevens/toestemming",
        "/mijn-gegevens/verwijderen",
    ):
        page.goto(path)
        assert_accessible(page, f"{path} [{language}]")
    page.goto("/mijn-gegevens/verwijderen")
    page.check("#confirm")
    page.click("main button[type=submit]")
    assert_accessible(page, f"deleted [{language}]")
    page.goto("/meedoen/bevestigen/niet-meer-geldig")
    assert_accessible(page, f"invalid link [{language}]")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_guardian_page_and_allowance_warning(new_context, live_app, language: str) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from participatie.db import db
    from participatie.participants.models import Participant

    page = new_context(language).new_page()
    page.goto("/meedoen")
    page.fill("#display_name", "Sem")
    page.fill("#email", f"sem.{language}@example.org")
    page.check("#role-1")
    page.select_option("#age_band", "12-15")
    page.fill("#guardian_email", f"ouder.sem.{language}@example.org")
    page.check("#interests-0")
    page.check("#consent_pool")
    page.click("main button[type=submit]")
    page.goto(latest_link_to(live_app, f"ouder.sem.{language}@example.org"))
    assert_accessible(page, f"guardian consent [{language}]")

    staff = new_context(language).new_page()
    sign_in(staff, demo_account("ambassadeur", live_app))
    with live_app.app_context():
        participant_id = db.session.scalar(
            select(Participant.id).where(Participant.status == "active")
        )
    staff.goto(f"/vergoedingen/nieuw/{participant_id}")
    assert_accessible(staff, f"allowance form [{language}]")
    staff.fill("#activity", "Panel")
    staff.fill("#activity_date", "2026-03-03")
    staff.fill("#hours", "1")
    staff.fill("#amount", "500")
    staff.click("main button[type=submit]")
    expect(staff.locator(".error-summary, .panel").first).to_be_visible()
    assert_accessible(staff, f"allowance warning [{language}]")
