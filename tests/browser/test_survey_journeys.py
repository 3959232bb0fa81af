"""A parent answers the demo survey on a phone-sized screen, without JavaScript, in Dutch and
English: errors, back and forward, save and resume, send — with axe-core on every page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.browser.test_accessibility import assert_accessible

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def open_wave_key(live_app) -> str:  # type: ignore[no-untyped-def]
    from participatie.db import db
    from participatie.surveys.models import SurveyWave

    with live_app.app_context():
        return db.session.scalar(
            select(SurveyWave.public_key)
            .where(SurveyWave.status == "open", SurveyWave.open_link.is_(True))
            .limit(1)
        )


def answer_page(page) -> None:  # type: ignore[no-untyped-def]
    """Answer every unanswered question on the page: the first option of each choice question,
    and a short sentence in text fields."""
    for fieldset in page.locator("main form fieldset.question").all():
        options = fieldset.locator("input")
        if not fieldset.locator("input:checked").count():
            options.first.check()
    for field in page.locator("main form textarea").all():
        if not field.input_value():
            field.fill("Vaker terugbellen, en bel mij op 06-12345678.")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_parent_answers_the_survey_on_a_phone_without_javascript(
    new_context, live_app, language: str
) -> None:  # type: ignore[no-untyped-def]
    context = new_context(language, javascript=False)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(f"/enquete/{open_wave_key(live_app)}")
    assert_accessible(page, f"survey intro [{language}]")
    page.click("main form button[type=submit]")
    assert re.search(r"(Stap|Step) 1 (van|of) \d+", page.content())
    assert_accessible(page, f"survey step 1 [{language}]")

    page.click("button[name=go][value=next]")  # nothing answered: errors
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, f"survey step 1 with errors [{language}]")

    answer_page(page)
    page.click("button[name=go][value=next]")
    assert re.search(r"(Stap|Step) 2 (van|of)", page.content())
    page.click("button[name=go][value=back]")
    assert re.search(r"(Stap|Step) 1 (van|of)", page.content())
    assert page.locator("main form fieldset.question input:checked").count() >= 4  # kept

    page.click("button[name=go][value=save]")
    code = page.locator("#resume-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert_accessible(page, f"survey saved [{language}]")

    other = new_context(language, javascript=False).new_page()
    other.set_viewport_size(PHONE)
    other.goto("/enquete/verder")
    assert_accessible(other, f"resume form [{language}]")
    other.fill("#code", code.lower())
    other.click("main form button[type=submit]")
    for _ in range(10):
        answer_page(other)
        if other.locator("button[name=go][value=submit]").count():
            break
        other.click("button[name=go][value=next]")
        assert not other.locator(".error-summary").count()
    assert_accessible(other, f"survey last step [{language}]")
    other.click("button[name=go][value=submit]")
    assert re.search(r"Bedankt|Thank you", other.content())
    assert_accessible(other, f"survey thanks [{language}]")
    assert "0800-2000" in other.content()
