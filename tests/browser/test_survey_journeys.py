"""A parent answers the demo survey on a phone-sized screen, in Dutch and English and without
JavaScript: errors, back and forward, save and resume, send — with axe-core on every page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.browser.test_accessibility import assert_accessible as check_with_axe

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


def next_page(page) -> None:  # type: ignore[no-untyped-def]
    """Answer and go on; an answer can bring up a follow-up question (a condition), which the
    page then asks for with an error."""
    for _ in range(3):
        answer_page(page)
        page.click("button[name=go][value=next]")
        if not page.locator(".error-summary").count():
            return
    raise AssertionError(page.locator(".error-summary").inner_text())


@pytest.mark.parametrize(("language", "javascript"), [("nl", True), ("en", True), ("nl", False)])
def test_a_parent_answers_the_survey_on_a_phone(
    new_context, live_app, language: str, javascript: bool
) -> None:  # type: ignore[no-untyped-def]
    """With JavaScript off the pages must work the same; axe-core itself needs JavaScript, so it
    checks the pages in the runs with JavaScript on (the pages have no scripts of their own)."""

    def assert_accessible(page, label: str) -> None:  # type: ignore[no-untyped-def]
        if javascript:
            check_with_axe(page, label)

    context = new_context(language, javascript=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.set_viewport_size(PHONE)
    page.goto(f"/enquete/{open_wave_key(live_app)}")
    assert_accessible(page, f"survey intro [{language}]")
    page.click("main form button[type=submit]")
    assert re.search(r"(Stap|Step) 1 (van|of) \d+", page.content())
    assert_accessible(page, f"survey step 1 [{language}]")

    page.click("button[name=go][value=next]")  # nothing answered: errors
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, f"survey step 1 with errors [{language}]")

    next_page(page)
    assert re.search(r"(Stap|Step) 2 (van|of)", page.content())
    page.click("button[name=go][value=back]")
    assert re.search(r"(Stap|Step) 1 (van|of)", page.content())
    assert page.locator("main form fieldset.question input:checked").count() >= 4  # kept

    page.click("button[name=go][value=save]")
    code = page.locator("#resume-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert_accessible(page, f"survey saved [{language}]")

    other = new_context(language, javascript=javascript).new_page()
    other.set_default_timeout(15_000)
    other.set_viewport_size(PHONE)
    other.goto("/enquete/verder")
    assert_accessible(other, f"resume form [{language}]")
    other.fill("#code", code.lower())
    other.click("main form button[type=submit]")
    for _ in range(10):
        answer_page(other)
        if other.locator("button[name=go][value=submit]").count():
            break
        next_page(other)
    assert_accessible(other, f"survey last step [{language}]")
    other.click("button[name=go][value=submit]")
    assert re.search(r"Bedankt|Thank you", other.content())
    assert_accessible(other, f"survey thanks [{language}]")
    assert "0800-2000" in other.content()


def test_a_parent_switches_language_in_the_middle_and_keeps_every_answer(
    new_context, live_app
) -> None:  # type: ignore[no-untyped-def]
    """The language buttons belong to the survey form: the same step comes back in English with
    everything answered so far, nothing is checked on the way, and the send is in English."""
    context = new_context("nl")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.set_viewport_size(PHONE)
    page.goto(f"/enquete/{open_wave_key(live_app)}")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.click("main form button[name=go][value=start]")
    next_page(page)
    assert re.search(r"Stap 2 van \d+", page.content())
    # Half of step 2 answered, then English.
    page.locator("main form fieldset.question").first.locator("input").nth(1).check()
    chosen = page.locator("main form input:checked").first.get_attribute("id")
    page.click("main form button[name=go][value='language:en']")
    assert page.locator("html").get_attribute("lang") == "en"
    assert re.search(r"Step 2 of \d+", page.content())
    assert not page.locator(".error-summary").count()  # choosing a language is not answering
    assert page.locator(f"#{chosen}").is_checked()
    assert "/taal/" not in page.content()
    check_with_axe(page, "survey step 2 after switching to English")

    page.click("button[name=go][value=back]")
    assert re.search(r"Step 1 of \d+", page.content())
    assert page.locator("main form fieldset.question input:checked").count() >= 4  # kept
    check_with_axe(page, "survey step 1 in English")
    for _ in range(10):
        if page.locator("button[name=go][value=submit]").count():
            break
        next_page(page)
    answer_page(page)
    page.click("button[name=go][value=submit]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Thank you" in page.content()
    check_with_axe(page, "survey thanks after switching to English")
