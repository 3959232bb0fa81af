"""A guest signs up for a session, opens the link from the mail and cancels, in a real browser,
in Dutch and English, with axe-core on every page on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.test_accessibility import assert_accessible, demo_account, sign_in
from tests.browser.test_pool_journeys import latest_link_to

pytestmark = pytest.mark.browser


def open_session_id(live_app) -> int:  # type: ignore[no-untyped-def]
    from participatie.db import db
    from participatie.groupsessions.models import GroupSession

    with live_app.app_context():
        return db.session.scalar(
            select(GroupSession.id)
            .where(GroupSession.status == "published", GroupSession.kind == "training")
            .limit(1)
        )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_guest_signs_up_opens_link_and_cancels(new_context, live_app, language: str) -> None:  # type: ignore[no-untyped-def]
    address = f"browser.gast.{language}@example.org"
    page = new_context(language).new_page()
    page.goto("/bijeenkomsten/")
    assert_accessible(page, f"agenda [{language}]")
    page.goto(f"/bijeenkomsten/{open_session_id(live_app)}")
    assert_accessible(page, f"session page [{language}]")
    page.click("main form button[type=submit]")
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, f"session sign-up errors [{language}]")
    page.fill("#name", "Gast")
    page.fill("#email", address)
    page.check("#consent")
    page.click("main form button[type=submit]")
    assert_accessible(page, f"signed up [{language}]")

    page.goto(latest_link_to(live_app, address))
    assert_accessible(page, f"registration [{language}]")
    page.click("button[name=action][value=cancel]")
    assert_accessible(page, f"registration cancelled [{language}]")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_organiser_forms_with_errors_pass_axe(new_context, live_app, language: str) -> None:  # type: ignore[no-untyped-def]
    page = new_context(language).new_page()
    sign_in(page, demo_account("ambassadeur", live_app))
    page.goto("/organiseren/nieuw")
    page.click("main form button[type=submit]")
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, f"new session with errors [{language}]")
