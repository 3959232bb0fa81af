"""A parent answers the demo survey on a phone-sized screen, in Dutch and English and without
JavaScript: errors, back and forward, save and resume, send — with axe-core on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
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
        page.wait_for_load_state()
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
    expect(page.locator("body")).to_contain_text(re.compile(r"(Stap|Step) 1 (van|of) \d+"))
    assert_accessible(page, f"survey step 1 [{language}]")

    page.click("button[name=go][value=next]")  # nothing answered: errors
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, f"survey step 1 with errors [{language}]")

    next_page(page)
    expect(page.locator("body")).to_contain_text(re.compile(r"(Stap|Step) 2 (van|of)"))
    page.click("button[name=go][value=back]")
    expect(page.locator("body")).to_contain_text(re.compile(r"(Stap|Step) 1 (van|of)"))
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
    expect(other.locator("body")).to_contain_text(re.compile(r"Bedankt|Thank you"))
    assert_accessible(other, f"survey thanks [{language}]")
    expect(other.locator("body")).to_contain_text("0800-2000")


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
    expect(page.locator("body")).to_contain_text(re.compile(r"Stap 2 van \d+"))
    # Half of step 2 answered, then English.
    page.locator("main form fieldset.question").first.locator("input").nth(1).check()
    chosen = page.locator("main form input:checked").first.get_attribute("id")
    page.click("main form button[name=go][value='language:en']")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("body")).to_contain_text(re.compile(r"Step 2 of \d+"))
    assert not page.locator(".error-summary").count()  # choosing a language is not answering
    assert page.locator(f"#{chosen}").is_checked()
    assert "/taal/" not in page.content()
    check_with_axe(page, "survey step 2 after switching to English")

    page.click("button[name=go][value=back]")
    expect(page.locator("body")).to_contain_text(re.compile(r"Step 1 of \d+"))
    assert page.locator("main form fieldset.question input:checked").count() >= 4  # kept
    check_with_axe(page, "survey step 1 in English")
    for _ in range(10):
        if page.locator("button[name=go][value=submit]").count():
            break
        next_page(page)
    answer_page(page)
    page.click("button[name=go][value=submit]")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("body")).to_contain_text("Thank you")
    check_with_axe(page, "survey thanks after switching to English")


def arabic_wave_key(live_app) -> str:  # type: ignore[no-untyped-def]
    """An open wave of a questionnaire with Arabic (in part) and Polish beside the Dutch."""
    import copy
    import secrets
    from datetime import timedelta

    from participatie.db import db
    from participatie.surveys import operations
    from tests.surveys.conftest import MULTILINGUAL_SPEC

    with live_app.app_context():
        spec = copy.deepcopy(MULTILINGUAL_SPEC)
        spec["slug"] += "-" + secrets.token_hex(4)
        template = operations.create_template(spec)
        today = operations.today()
        wave = operations.create_wave(
            None,
            template,
            opens_on=today,
            closes_on=today + timedelta(days=14),
            open_link=True,
            invite_pool=False,
            languages=["nl", "ar", "pl"],
        )
        operations.open_wave(None, wave)
        db.session.commit()
        return wave.public_key


def test_a_parent_answers_a_survey_in_arabic_from_right_to_left(
    new_context, live_app, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """An Arabic page: right to left, Arabic questions with the Dutch fallbacks and the English
    interface marked, laid out as an Arabic reader expects (radio buttons and the first button
    on the right) — and axe-core finds nothing. The screenshots stay in tmp_path to look at."""
    context = new_context("ar")  # the language cookie, as after choosing Arabic
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.set_viewport_size(PHONE)
    page.goto(f"/enquete/{arabic_wave_key(live_app)}")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert page.locator("h1").inner_text() == "تجربتك"
    check_with_axe(page, "Arabic survey intro")
    page.screenshot(path=str(tmp_path / "arabic-intro.png"), full_page=True)

    page.click("main form button[name=go][value=start]")
    assert page.locator("h1").inner_text() == "عنك"
    check_with_axe(page, "Arabic survey step 1")
    page.screenshot(path=str(tmp_path / "arabic-step-1.png"), full_page=True)
    # Right to left: the radio button right of its label, the heading against the right edge,
    # the first button (Next) right of the others; the Dutch fallback runs left to right.
    radio = page.locator("#q-role-0").bounding_box()
    label = page.locator("label[for=q-role-0]").bounding_box()
    assert radio and label and radio["x"] > label["x"] + label["width"] - 1
    heading = page.locator("h1").bounding_box()
    main = page.locator("main .narrow").bounding_box()
    assert (
        heading
        and main
        and abs((heading["x"] + heading["width"]) - (main["x"] + main["width"])) < 2
    )
    next_button = page.locator("button[name=go][value=next]").bounding_box()
    later = page.locator("button[name=go][value=save]").bounding_box()
    assert next_button and later and next_button["x"] > later["x"]
    fallback = page.locator("label[for=q-role-1]")
    assert (fallback.get_attribute("lang"), fallback.get_attribute("dir")) == ("nl", "ltr")
    assert fallback.inner_text() == "Iemand anders"

    page.click("button[name=go][value=next]")  # nothing answered: errors
    expect(page.locator(".error-summary")).to_be_visible()
    check_with_axe(page, "Arabic survey step 1 with errors")
    page.screenshot(path=str(tmp_path / "arabic-errors.png"), full_page=True)

    answer_page(page)
    page.click("button[name=go][value=next]")
    assert page.locator("h1").inner_text() == "أخيرا"
    answer_page(page)
    check_with_axe(page, "Arabic survey last step")
    page.screenshot(path=str(tmp_path / "arabic-step-2.png"), full_page=True)
    page.click("button[name=go][value=submit]")
    expect(page.locator("body")).to_contain_text("Thank you")
    check_with_axe(page, "Arabic survey thanks")
