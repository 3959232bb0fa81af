"""A cliëntambassadeur sets up a quarterly survey from the parents' template in a real browser:
plans a wave for the pool, opens it and sees the invitations go out — with axe-core on every
staff page on the way, in Dutch and English. E-mail goes to the live app's outbox."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.test_accessibility import assert_accessible, demo_account, sign_in

pytestmark = pytest.mark.browser


def invitations_in_outbox(live_app, skip: set[str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Survey invitations in the outbox that are not in `skip`: file name -> recipient."""
    found = {}
    for path in Path(live_app.config["OUTBOX_PATH"]).glob("*.eml"):
        if path.name in skip:
            continue
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",)).get_content()
        if "/enquete/uitnodiging/" in body:
            found[path.name] = str(message["To"])
    return found


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_ambassador_sets_up_a_quarterly_survey_for_the_pool(
    new_context, live_app, language: str
) -> None:  # type: ignore[no-untyped-def]
    from participatie.db import db
    from participatie.surveys import operations
    from participatie.surveys.models import SurveyInvitation, SurveyTemplate, SurveyWave

    with live_app.app_context():
        today = operations.today()
        parents = db.session.scalar(
            select(SurveyTemplate).where(SurveyTemplate.slug == "ervaringen-ouders")
        )
        template_id = parents.id
        db.session.rollback()
    outbox = Path(live_app.config["OUTBOX_PATH"])
    before = {path.name for path in outbox.glob("*.eml")}

    page = new_context(language).new_page()
    page.set_default_timeout(15_000)
    sign_in(page, demo_account("ambassadeur", live_app))
    page.goto("/enquetes/")
    assert_accessible(page, f"survey overview [{language}]")
    page.click(f"main a[href='/enquetes/sjablonen/{template_id}']")
    assert_accessible(page, f"parents' template [{language}]")
    page.click(f"main a[href='/enquetes/sjablonen/{template_id}/ronde']")
    page.wait_for_url(f"**/enquetes/sjablonen/{template_id}/ronde")
    assert_accessible(page, f"plan a wave [{language}]")

    # A mistake first: the last day before the first. The error is shown, nothing is lost.
    opens, closes = today, today + timedelta(days=28)
    page.fill("#opens_on", opens.isoformat())
    page.fill("#closes_on", (today - timedelta(days=1)).isoformat())
    page.check("#recurrence-2")  # every quarter
    page.click("main form button[type=submit]")
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.input_value("#opens_on") == opens.isoformat()
    assert page.is_checked("#recurrence-2")
    assert_accessible(page, f"plan a wave with errors [{language}]")

    page.fill("#closes_on", closes.isoformat())
    assert page.is_checked("#invite_pool")  # the pool: members who consented to surveys
    assert page.is_checked("#version-0")  # the latest questions when it opens
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/enquetes/rondes/\d+$"))
    wave_url = page.url
    wave_id = int(wave_url.rsplit("/", 1)[-1])
    with live_app.app_context():
        wave = db.session.get_one(SurveyWave, wave_id)
        assert (wave.status, wave.recurrence_months, wave.invite_pool) == ("draft", 3, True)
        assert (wave.opens_on, wave.closes_on) == (opens, closes)
        assert not wave.version_pinned and not wave.open_link
        db.session.rollback()
    assert_accessible(page, f"planned wave [{language}]")

    # The pages to change the plan are there, and pass axe too; nothing is changed here.
    for action in ("wijzigen", "herhaling-stoppen", "annuleren"):
        page.goto(f"{wave_url}/{action}")
        assert page.locator("h1").count() == 1
        assert_accessible(page, f"planned wave: {action} [{language}]")
    page.goto(wave_url)

    page.click("main form[action$='/openen'] button[type=submit]")
    page.wait_for_url(wave_url)
    with live_app.app_context():
        wave = db.session.get_one(SurveyWave, wave_id)
        assert wave.status == "open" and wave.invitations_sent and wave.version.is_frozen
        expected = db.session.scalar(
            select(func.count()).where(SurveyInvitation.wave_id == wave_id)
        )
        db.session.rollback()
    assert expected > 0
    flash = page.locator(".flash-success").inner_text()
    assert re.search(rf"\b{expected}\b", flash), flash
    assert_accessible(page, f"opened wave [{language}]")
    invitations = invitations_in_outbox(live_app, before)
    assert len(invitations) == expected
    assert all(address.endswith("@demo.participatie.nl") for address in invitations.values())
