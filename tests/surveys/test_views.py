"""The respondent's pages: steps, back and forth, conditions, errors, resume codes, links."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from participatie.db import db
from participatie.surveys import operations, sealing
from participatie.surveys.models import PendingSubmission, SurveyDraft, SurveyWave
from tests.conftest import StaffAccount
from tests.support.smtp import SMTPServer
from tests.surveys.conftest import Respondent, as_form, small_answers


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html).replace("\xa0", " "))


def _pending(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PendingSubmission)) or 0


def _drafts(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SurveyDraft)) or 0


def _close_elsewhere(app: Flask, wave: SurveyWave) -> None:
    """Close the wave as the scheduler in another process would: only the row changes."""
    with app.app_context():
        db.session.execute(
            update(SurveyWave).where(SurveyWave.id == wave.id).values(status="closed")
        )
        db.session.commit()


def _invitation_paths(smtp: SMTPServer, count: int) -> list[str]:
    messages = smtp.wait_for(count)
    links = [link for m in messages for link in smtp.links_in(m) if "/uitnodiging/" in link]
    return ["/" + link.split("://", 1)[1].split("/", 1)[1] for link in links]


def _resume_code(html: str) -> str:
    match = re.search(r'id="resume-code">([A-Z0-9-]+)<', html)
    assert match, "no resume code on the page"
    return match.group(1)


def test_a_respondent_answers_step_by_step_and_can_go_back_without_losing_answers(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave)
    assert "Je blijft anoniem" in person.html
    assert "ongeveer 3 minuten" in person.html
    person.press("start")
    assert person.heading == "Over u" and "Stap 1 van 3" in person.html
    person.press("next", role="foster", organisations=["swa"])
    assert person.heading == "Uw ervaring" and "Stap 2 van 3" in person.html
    assert "Legde Veilig Thuis" not in person.html  # conditional: not in touch with Veilig Thuis
    person.press("back", knows_responsible="5")
    assert person.heading == "Over u"
    assert re.search(r'value="foster" checked', person.html)
    person.press("next", organisations=["swa", "veilig-thuis"])
    assert "Legde Veilig Thuis" in person.html
    assert re.search(r'value="5" checked', person.html)  # kept while going back and forth
    person.press("next", veilig_thuis_clear="yes", overall_grade="8")
    assert person.heading == "Tot slot" and "Versturen" in person.html
    person.press("submit", should_change="Sneller terugbellen.")
    assert person.status == 303
    assert person.location.startswith(f"/enquete/{wave.public_key}/bedankt")
    thanks = client.get(person.location)
    assert "Bedankt" in thanks.text and "Dit deden we met eerdere antwoorden." in thanks.text
    assert "0800-2000" in thanks.text  # where to get help, on the thank-you page too
    with app.app_context():
        held = db.session.scalars(select(PendingSubmission)).one()
        assert sealing.open_held(held.wave_id, held.id, held.sealed)[1] == {
            "role": "foster",
            "organisations": ["swa", "veilig-thuis"],
            "knows_responsible": "5",
            "veilig_thuis_clear": "yes",
            "overall_grade": "8",
            "should_change": "Sneller terugbellen.",
        }


def test_a_missing_answer_gives_a_clear_error_and_keeps_what_was_typed(
    client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave).press("start")
    person.press("next", organisations=["swa"])
    assert person.status == 422
    assert person.heading == "Over u"
    assert "Kies een antwoord." in _text(person.html)
    assert (
        'href="#q-role-0"' in person.html and "aria-invalid" not in person.html.split("q-role")[0]
    )
    assert re.search(r'value="swa" checked', person.html)


def test_answers_to_questions_that_became_hidden_are_not_stored(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave).press("start")
    person.press("next", role="parent", organisations=["veilig-thuis"])
    person.press("back", veilig_thuis_clear="no", knows_responsible="3", overall_grade="6")
    person.press("next", organisations=["swa"])
    person.press("next").press("submit")
    assert person.status == 303
    with app.app_context():
        held = db.session.scalars(select(PendingSubmission)).one()
        assert "veilig_thuis_clear" not in sealing.open_held(held.wave_id, held.id, held.sealed)[1]


def test_a_send_with_gaps_returns_to_the_first_page_with_an_error(
    client: FlaskClient, open_wave: Callable[..., SurveyWave], app: Flask
) -> None:
    wave = open_wave()
    person = Respondent(client, wave).press("start")
    # Posting the last step directly, without the required answers of step 2.
    sections = re.search(r'name="section" value="(\d+)"', person.html)
    assert sections
    person.fields["section"] = str(int(sections.group(1)) + 2)
    person.press("submit", role="parent", organisations=["swa"])
    assert person.status == 422 and person.heading == "Uw ervaring"
    assert _pending(app) == 0


def test_the_survey_is_shown_in_english_with_dutch_as_fallback(
    client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    client.get("/taal/en?next=/")
    person = Respondent(client, wave).press("start")
    assert person.heading == "About you"
    person.press("next", role="parent", organisations=["veilig-thuis"])
    assert "I know who is responsible." in person.html
    assert "Legde Veilig Thuis" in person.html  # no English text: falls back to Dutch


def test_save_and_resume_with_a_code(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave).press("start")
    person.press("save", role="other", organisations=["swa"])
    assert person.status == 200
    code = re.search(r'id="resume-code">([A-Z0-9-]+)<', person.html).group(1)  # type: ignore[union-attr]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyDraft)) == 1
    other_device = app.test_client()
    assert other_device.get("/enquete/verder").status_code == 200
    wrong = other_device.post("/enquete/verder", data={"code": "ABCD-EFGH-JKLM"})
    assert wrong.status_code == 422 and "Deze code kennen we niet" in wrong.text
    assert 'value="ABCD-EFGH-JKLM"' in wrong.text  # what was typed stays
    resumed = other_device.post("/enquete/verder", data={"code": code.lower().replace("-", " ")})
    assert resumed.status_code == 200
    assert re.search(r'<input type="hidden" name="a-role" value="other">', resumed.text)
    assert "Uw ervaring" in resumed.text  # continues at the first page with open questions
    later = Respondent(other_device, wave, start_url=f"/enquete/verder/{code}")
    later.press("next", knows_responsible="2", overall_grade="4")
    later.press("submit")
    assert later.status == 303
    assert _pending(app) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyDraft)) == 0
    gone = client.get(f"/enquete/verder/{code}")
    assert gone.status_code == 410


def test_an_invitation_link_works_once_and_then_explains(
    app: Flask,
    client: FlaskClient,
    open_wave: Callable[..., SurveyWave],
    create_participant: Callable[..., int],
    smtp: Any,
) -> None:
    create_participant()
    wave = open_wave(invite_pool=True, open_link=False)
    link = next(link for link in smtp.links_in(smtp.wait_for(1)[0]) if "/enquete/" in link)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/enquete/{wave.public_key}").status_code == 403  # invitation only
    person = Respondent(client, wave, start_url=f"/{path}")
    person.press("start").press("next", role="parent", organisations=["swa"])
    person.press("next", knows_responsible="4", overall_grade="7").press("submit")
    assert person.status == 303
    again = client.get(f"/{path}")
    assert again.status_code == 410 and "Deze link is al gebruikt" in again.text
    assert client.get("/enquete/uitnodiging/onbekend").status_code == 404


def test_the_honeypot_stores_nothing_but_looks_like_success(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave).press("start")
    person.fields["website"] = "http://spam.example"
    person.fields.update(as_form(small_answers()))
    person.press("submit")
    assert person.status == 303
    assert _pending(app) == 0


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"SURVEY_OPEN_LINK_RATE_LIMIT": "3 per hour"}


def _send_new_form(client: FlaskClient, wave: SurveyWave, **changes: Any) -> Respondent:
    """One more person at the same computer: a new form (its own send ticket), sent at once."""
    person = Respondent(client, wave).press("start")
    person.fields.update(as_form(small_answers(**changes)))
    return person.press("submit")


def test_the_open_link_is_rate_limited_per_client_without_storing_addresses(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    statuses = [_send_new_form(client, wave).status for _ in range(3)]
    person = _send_new_form(client, wave)
    statuses.append(person.status)
    assert statuses == [303, 303, 303, 429]
    # The refused send shows the page again, with a plain explanation and every answer kept.
    assert person.heading == "Over u"  # the page these sends came from
    assert "Even wachten, je antwoorden zijn nog niet verstuurd" in person.html
    assert "Vaker terugbellen." in person.html
    assert re.search(r'name="a-role" value="parent"', person.html)
    assert _pending(app) == 3
    # Stepping through pages is never limited, only sending.
    assert person.press("start").status == 200


def test_a_wave_closed_by_another_process_takes_no_more_answers(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    """The web process keeps an open wave in memory; the scheduler closes it in another process.
    The send itself checks the status, so nothing slips into the holding area after closing."""
    wave = open_wave()
    person = Respondent(client, wave).press("start")  # this process now knows the wave is open
    with app.app_context():  # as the scheduler would: only the row changes
        db.session.execute(
            update(SurveyWave).where(SurveyWave.id == wave.id).values(status="closed")
        )
        db.session.commit()
    person.fields.update(as_form(small_answers()))
    person.press("submit")
    assert person.status == 410 and "gesloten" in person.html
    assert _pending(app) == 0
    # Other steps show the same page, and the next visit finds the wave closed at once.
    assert person.press("start").status == 410
    assert client.get(f"/enquete/{wave.public_key}").status_code == 410


def test_closed_and_unknown_surveys_answer_kindly(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave).press("start")
    with app.app_context():
        operations.close_wave(None, db.session.get_one(SurveyWave, wave.id))
        db.session.commit()
    closed = client.get(f"/enquete/{wave.public_key}")
    assert closed.status_code == 410 and "gesloten" in closed.text
    person.press("next", role="parent", organisations=["swa"])
    assert person.status == 410
    assert client.get("/enquete/bestaatniet").status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"go": "next", "section": "999999999999999999999"},
        {"go": "next", "section": "abc", "a-role": "x" * 5000},
        {"go": "submit", "section": "-1", "a-organisations": ["", "\x00"]},
        {"go": "weird", "ballot": "x" * 500, "resume": "??"},
        {"go": "save", "resume": "NOPE-NOPE-NOPE"},
    ],
)
def test_odd_posts_never_fail(
    client: FlaskClient, open_wave: Callable[..., SurveyWave], data: dict[str, Any]
) -> None:
    wave = open_wave()
    assert client.get(f"/enquete/{wave.public_key}").status_code == 200
    response = client.post(f"/enquete/{wave.public_key}", data=data)
    assert response.status_code in (200, 303, 409, 422)


# --- The open link's limit: saves count, a resume code's send does not count twice -------------


def test_an_open_link_save_counts_against_the_limit_and_keeps_the_answers(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    for _ in range(3):
        saved = Respondent(client, wave).press("start").press("save", role="parent")
        assert saved.status == 200 and 'id="resume-code"' in saved.html
    person = Respondent(client, wave).press("start")
    person.press("save", role="foster", organisations=["swa"])
    assert person.status == 429
    assert "Even wachten, je antwoorden zijn nog niet bewaard" in person.html
    assert re.search(r'value="foster" checked', person.html)
    assert re.search(r'value="swa" checked', person.html)
    assert _drafts(app) == 3
    # Saves and sends share one budget: a send is refused now as well.
    assert _send_new_form(client, wave).status == 429
    assert _pending(app) == 0


def test_save_then_send_with_the_code_does_not_get_past_the_limit(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    """The audit's bypass: once the limit refused sends, "save, then send with the code" let
    more responses through (a send with a resume code was not limited, a save not at all)."""
    wave = open_wave()
    assert [_send_new_form(client, wave).status for _ in range(4)] == [303, 303, 303, 429]
    person = Respondent(client, wave).press("start")
    person.fields.update(as_form(small_answers(should_change="Nog een keer.")))
    person.press("save")
    assert person.status == 429 and 'id="resume-code"' not in person.html
    assert "Nog een keer." in person.html  # the answers stay on the page
    # A made-up resume code does not help either: it stores nothing and says why.
    person.fields["resume"] = "ABCD-EFGH-JKLM"
    person.press("submit")
    assert person.status == 409 and "Nog een keer." in person.html
    person.press("save")
    assert person.status == 409
    assert _pending(app) == 3
    assert _drafts(app) == 0


def test_a_send_with_a_resume_code_is_not_counted_again(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave).press("start")
    person.fields.update(as_form(small_answers()))
    person.press("save")  # counted: one of three
    code = _resume_code(person.html)
    later = Respondent(client, wave, start_url=f"/enquete/verder/{code}").press("submit")
    assert later.status == 303  # not counted: its draft was
    assert [_send_new_form(client, wave).status for _ in range(3)] == [303, 303, 429]
    assert _pending(app) == 3


def test_the_honeypot_on_save_stores_nothing_and_counts_nothing(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    bot = Respondent(client, wave).press("start")
    bot.fields["website"] = "http://spam.example"
    bot.press("save", role="parent")
    assert bot.status == 200 and 'id="resume-code"' in bot.html  # looks like success
    assert _drafts(app) == 0
    assert [_send_new_form(client, wave).status for _ in range(3)] == [303, 303, 303]


def test_invitations_are_not_held_back_by_the_open_link_limit(
    app: Flask,
    client: FlaskClient,
    open_wave: Callable[..., SurveyWave],
    create_participant: Callable[..., int],
    smtp: SMTPServer,
) -> None:
    create_participant()
    create_participant()
    wave = open_wave(invite_pool=True, open_link=True)
    first, second = _invitation_paths(smtp, 2)
    assert [_send_new_form(client, wave).status for _ in range(4)] == [303, 303, 303, 429]
    invited = Respondent(client, wave, start_url=first).press("start")
    invited.fields.update(as_form(small_answers()))
    assert invited.press("submit").status == 303
    saving = Respondent(client, wave, start_url=second).press("start").press("save", role="parent")
    assert saving.status == 200 and 'id="resume-code"' in saving.html
    assert _pending(app) == 4 and _drafts(app) == 1


# --- One form, one response: the send ticket -----------------------------------------------------


def test_a_form_carries_one_send_ticket_from_the_first_page_on(
    client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave)
    assert "ticket" not in person.fields  # each press on Begin starts a new form
    person.press("start")
    ticket = person.fields["ticket"]
    assert len(ticket) >= 20
    person.press("next", role="parent", organisations=["swa"])
    assert person.fields["ticket"] == ticket
    person.press("back")
    assert person.fields["ticket"] == ticket
    person.press("language:en")
    assert person.fields["ticket"] == ticket
    person.press("save")
    assert person.fields["ticket"] == ticket  # the saved page's form too
    assert Respondent(client, wave).press("start").fields["ticket"] != ticket


def test_sending_the_same_form_twice_stores_one_response(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave).press("start")
    person.fields.update(as_form(small_answers()))
    form = dict(person.fields)
    assert person.press("submit").status == 303
    person.fields = dict(form)  # the same page sent again: a double tap, a reload, a second tab
    person.press("submit")
    assert person.status == 303 and "/bedankt" in person.location
    assert _pending(app) == 1
    # The second send was not counted either: two more people can send (limit 3), then no more.
    assert [_send_new_form(client, wave).status for _ in range(3)] == [303, 303, 429]


def test_simultaneous_sends_of_one_form_give_one_response(
    app: Flask, open_wave: Callable[..., SurveyWave]
) -> None:
    """Many taps on Send at the same moment, each its own connection: one response; every tap
    gets the thank-you page."""
    wave = open_wave()
    person = Respondent(app.test_client(), wave).press("start")
    person.fields.update(as_form(small_answers()))
    form = {**person.fields, "go": "submit"}
    attempts = 8
    barrier = threading.Barrier(attempts)
    outcomes: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def tap() -> None:
        try:
            client = app.test_client()
            barrier.wait()
            response = client.post(person.url, data=form)
            outcomes.append((response.status_code, response.headers.get("Location", "")))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=tap) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(outcomes) == attempts
    assert all(status == 303 and "/bedankt" in location for status, location in outcomes)
    assert _pending(app) == 1


def _resume_code(html: str) -> str:
    match = re.search(r'id="resume-code"[^>]*>\s*([A-Z0-9-]{14})', html)
    assert match, "no resume code on the page"
    return match.group(1)


@pytest.mark.parametrize("invited", [True, False], ids=["invitation", "open link"])
def test_saving_the_same_form_twice_shows_the_code_of_its_one_draft(
    app: Flask,
    client: FlaskClient,
    open_wave: Callable[..., SurveyWave],
    create_participant: Callable[..., int],
    smtp: SMTPServer,
    invited: bool,
) -> None:
    """A double tap on "Later verder": the page the person ends up on shows the code of the
    draft that holds their answers, not "link already used" and not a second draft."""
    create_participant()
    wave = open_wave(invite_pool=invited, open_link=not invited)
    start = _invitation_paths(smtp, 1)[0] if invited else None
    person = Respondent(client, wave, start_url=start).press("start")
    form = {**person.fields, "a-role": "parent"}
    person.fields = dict(form)
    first = _resume_code(person.press("save").html)
    person.fields = {**form, "a-role": "foster"}  # the same page, saved again
    again = person.press("save")
    assert again.status == 200
    assert _resume_code(again.html) == first
    assert _drafts(app) == 1
    resumed = client.get(f"/enquete/verder/{first}")
    assert resumed.status_code == 200 and 'value="foster" checked' in resumed.text


def test_simultaneous_saves_of_one_invitation_form_give_one_draft_and_its_code(
    app: Flask,
    open_wave: Callable[..., SurveyWave],
    create_participant: Callable[..., int],
    smtp: SMTPServer,
) -> None:
    create_participant()
    wave = open_wave(invite_pool=True, open_link=False)
    (path,) = _invitation_paths(smtp, 1)
    person = Respondent(app.test_client(), wave, start_url=path).press("start")
    form = {**person.fields, "a-role": "parent", "go": "save"}
    attempts = 6
    barrier = threading.Barrier(attempts)
    pages: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def tap() -> None:
        try:
            client = app.test_client()
            barrier.wait()
            response = client.post(person.url, data=form)
            pages.append((response.status_code, response.get_data(as_text=True)))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=tap) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(pages) == attempts
    assert all(status == 200 for status, _ in pages)
    assert len({_resume_code(html) for _, html in pages}) == 1
    assert _drafts(app) == 1


def test_the_same_invitation_form_sent_twice_says_thank_you(
    app: Flask,
    client: FlaskClient,
    open_wave: Callable[..., SurveyWave],
    create_participant: Callable[..., int],
    smtp: SMTPServer,
) -> None:
    create_participant()
    wave = open_wave(invite_pool=True, open_link=False)
    (path,) = _invitation_paths(smtp, 1)
    person = Respondent(client, wave, start_url=path).press("start")
    person.fields.update(as_form(small_answers()))
    form = dict(person.fields)
    assert person.press("submit").status == 303
    person.fields = form
    person.press("submit")
    assert person.status == 303 and "/bedankt" in person.location  # not "link already used"
    assert _pending(app) == 1


# --- Another language in the middle of the survey ------------------------------------------------


def test_switching_language_mid_survey_keeps_every_answer(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave).press("start")
    person.press("next", role="foster", organisations=["swa", "veilig-thuis"])
    assert "/taal/" not in person.html  # no link that would leave the form behind
    # Half of this page answered; choosing a language is not checked like "next".
    person.press("language:en", knows_responsible="5")
    assert person.status == 200
    assert '<html lang="en">' in person.html
    assert person.heading == "Your experience" and "Step 2 of 3" in person.html
    assert "error-summary" not in person.html
    assert re.search(r'value="5" checked', person.html)
    assert person.fields["a-role"] == "foster"
    assert person.fields["a-organisations"] == ["swa", "veilig-thuis"]
    assert person.fields["taal"] == "en"
    person.press("next", veilig_thuis_clear="yes", overall_grade="8")
    assert person.heading == "Finally"
    person.press("language:nl", should_change="Sneller terugbellen.")
    assert person.heading == "Tot slot" and "Sneller terugbellen." in person.html
    person.press("back")
    assert person.heading == "Uw ervaring" and re.search(r'value="8" checked', person.html)
    person.press("language:en").press("next").press("submit")
    assert person.status == 303 and "taal=en" in person.location
    thanks = client.get(person.location)
    assert '<html lang="en">' in thanks.text and "Thank you" in thanks.text
    with app.app_context():
        held = db.session.scalars(select(PendingSubmission)).one()
        language, answers = sealing.open_held(held.wave_id, held.id, held.sealed)
        assert language == "en"
        assert answers == {
            "role": "foster",
            "organisations": ["swa", "veilig-thuis"],
            "knows_responsible": "5",
            "veilig_thuis_clear": "yes",
            "overall_grade": "8",
            "should_change": "Sneller terugbellen.",
        }


def test_an_invitation_changes_language_without_its_token_in_a_url(
    app: Flask,
    client: FlaskClient,
    open_wave: Callable[..., SurveyWave],
    create_participant: Callable[..., int],
    smtp: SMTPServer,
) -> None:
    create_participant()
    wave = open_wave(invite_pool=True, open_link=False)
    (path,) = _invitation_paths(smtp, 1)
    token = path.rsplit("/", 1)[1]
    person = Respondent(client, wave, start_url=path)
    assert "/taal/" not in person.html
    assert person.html.count(token) == 1  # only in the form's hidden field
    assert re.search(r'form="survey-form"[^>]*name="go" value="language:en"', person.html)
    person.press("language:en")
    assert person.status == 200  # not "only with an invitation"
    assert '<html lang="en">' in person.html and "Start the questionnaire" in person.html
    assert person.fields["ballot"] == token and person.html.count(token) == 1
    person.press("start")
    assert person.heading == "About you" and person.fields["ballot"] == token


def test_the_saved_page_changes_language_with_the_same_code(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave).press("start").press("save", role="parent")
    code = _resume_code(person.html)
    person.press("language:en")
    assert person.status == 200 and '<html lang="en">' in person.html
    assert _resume_code(person.html) == code
    assert _drafts(app) == 1  # shown again, not saved again
    person.press("stay")
    assert person.heading == "About you" and re.search(r'value="parent" checked', person.html)


def test_pages_without_a_form_change_language_by_link_to_themselves(
    client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    thanks = client.get(f"/enquete/{wave.public_key}/bedankt")
    assert f'href="/enquete/{wave.public_key}/bedankt?taal=en"' in thanks.text
    assert "/taal/" not in thanks.text
    english = client.get(f"/enquete/{wave.public_key}/bedankt?taal=en")
    assert '<html lang="en">' in english.text and "Thank you" in english.text
    gone = client.get("/enquete/verder/ABCD-EFGH-JKLM")
    assert gone.status_code == 410 and "/taal/" not in gone.text


def test_only_the_wave_languages_are_offered_and_used(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    """A wave without English, opened by an English browser: a Dutch page, not Dutch
    questions in an English page."""
    wave = open_wave()
    with app.app_context():
        db.session.execute(
            update(SurveyWave).where(SurveyWave.id == wave.id).values(languages=["nl"])
        )
        db.session.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    person = Respondent(client, wave)
    assert '<html lang="nl">' in person.html and "Je blijft anoniem" in person.html
    assert "language:" not in person.html and "/taal/" not in person.html
    person.press("start")
    assert '<html lang="nl">' in person.html
    assert person.heading == "Over u" and "Volgende" in person.html
    assert "language:" not in person.html
    person.press("language:en")  # not one of the wave's languages: stays Dutch
    assert '<html lang="nl">' in person.html and person.heading == "Over u"
    thanks = client.get(f"/enquete/{wave.public_key}/bedankt?taal=en")
    assert '<html lang="nl">' in thanks.text and "?taal=" not in thanks.text


def test_dutch_text_in_an_english_page_is_marked_as_dutch(
    client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    person = Respondent(client, wave).press("start")
    assert '<html lang="en">' in person.html
    assert '<label for="q-organisations-0" lang="nl">Veilig Thuis</label>' in person.html
    assert '<label for="q-organisations-1">Neighbourhood team</label>' in person.html
    assert "<legend>Who are you?" in person.html
    person.press("next", role="parent", organisations=["veilig-thuis"])
    assert (
        '<legend><span lang="nl">Legde Veilig Thuis goed uit wat er ging gebeuren?</span>'
        in person.html
    )


# --- No cookie, no CSRF token, nothing lost to an old page ------------------------------------


def test_a_survey_works_without_any_cookie_and_sets_none(
    app: Flask, open_wave: Callable[..., SurveyWave]
) -> None:
    """Tokens travel in the form, never in a cookie, so there is nothing for CSRF to protect:
    an old page or a browser that drops cookies loses no answers."""
    wave = open_wave()
    client = app.test_client(use_cookies=False)
    direct = client.post(f"/enquete/{wave.public_key}", data={"go": "start"})
    assert direct.status_code == 200 and "Stap 1 van 3" in direct.text
    person = Respondent(client, wave)
    seen = list(person.cookies_set)
    person.press("start")
    seen += person.cookies_set
    person.press("next", role="parent", organisations=["swa"])
    seen += person.cookies_set
    person.press("save")
    seen += person.cookies_set
    code = _resume_code(person.html)
    resumed = client.post("/enquete/verder", data={"code": code})
    assert resumed.status_code == 200 and "Uw ervaring" in resumed.text
    seen += resumed.headers.getlist("Set-Cookie")
    later = Respondent(client, wave, start_url=f"/enquete/verder/{code}")
    later.press("next", knows_responsible="4", overall_grade="7").press("submit")
    seen += later.cookies_set
    assert later.status == 303
    assert seen == []
    assert _pending(app) == 1


def test_staff_and_pool_forms_still_need_their_csrf_token(
    client: FlaskClient,
    open_wave: Callable[..., SurveyWave],
    logged_in: Callable[..., StaffAccount],
) -> None:
    wave = open_wave()
    signup = client.post("/meedoen", data={"display_name": "Anna", "email": "anna@example.org"})
    assert signup.status_code == 400 and "Het formulier is verlopen" in signup.text
    login = client.post("/medewerkers/inloggen", data={"email": "a@b.nl", "password": "x"})
    assert login.status_code == 400
    logged_in("ambassadeur")
    remind = client.post(f"/enquetes/rondes/{wave.id}/herinneren")
    assert remind.status_code == 400 and "Het formulier is verlopen" in remind.text


# --- Long answers ------------------------------------------------------------------------------


def test_a_too_long_answer_comes_back_whole_with_the_error(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave).press("start")
    person.press("next", role="parent", organisations=["swa"])
    person.press("next", knows_responsible="4", overall_grade="7")
    typed = "".join(f"zin{n:04d}." for n in range(625))  # 5000 characters
    assert len(typed) == 5000
    person.press("submit", should_change=typed)
    assert person.status == 422
    assert "Gebruik hier niet meer dan 4000 tekens." in person.html
    assert person.fields["a-should_change"] == typed  # all 5000 shown, the last 999 too
    assert 'maxlength="4000"' in person.html and "Maximaal 4000 tekens." in person.html
    assert re.search(r'<textarea[^>]*aria-describedby="[^"]*q-should_change-limit', person.html)
    assert _pending(app) == 0
    person.press("submit", should_change=typed[:4000])
    assert person.status == 303


def test_what_is_kept_of_a_very_long_answer_is_still_bounded(
    client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave).press("start")
    person.press("next", role="parent", organisations=["swa"])
    person.press("next", knows_responsible="4", overall_grade="7")
    person.press("submit", should_change="x" * 30_000)
    assert person.status == 422
    assert len(person.fields["a-should_change"]) == 20_000


# --- Every error path keeps the answers -----------------------------------------------------------


def test_a_used_invitation_keeps_the_answers_on_the_page(
    app: Flask,
    open_wave: Callable[..., SurveyWave],
    create_participant: Callable[..., int],
    smtp: SMTPServer,
) -> None:
    """The same invitation opened on two devices: the second cannot send or save, and still sees
    what was typed (to copy it), with a plain explanation."""
    create_participant()
    wave = open_wave(invite_pool=True, open_link=False)
    (path,) = _invitation_paths(smtp, 1)
    phone = Respondent(app.test_client(), wave, start_url=path).press("start")
    laptop = Respondent(app.test_client(), wave, start_url=path).press("start")
    phone.fields.update(as_form(small_answers()))
    assert phone.press("submit").status == 303
    laptop.fields.update(as_form(small_answers(should_change="Mijn eigen verhaal.")))
    laptop.press("submit")
    assert laptop.status == 409
    assert "Deze antwoorden konden we niet opslaan" in laptop.html
    assert "Mijn eigen verhaal." in laptop.html and laptop.heading == "Over u"
    laptop.press("save")
    assert laptop.status == 409 and "Mijn eigen verhaal." in laptop.html
    assert _pending(app) == 1 and _drafts(app) == 0


def test_saving_after_the_wave_closed_says_so_plainly(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave).press("start")
    _close_elsewhere(app, wave)
    person.press("save", role="parent")
    assert person.status == 410 and "Deze vragenlijst is gesloten" in person.html
    assert _drafts(app) == 0


# --- Survey languages beyond the interface's: Arabic and Polish ---------------------------------


def _held_submission(app: Flask) -> tuple[str, dict[str, Any]]:
    with app.app_context():
        held = db.session.scalars(select(PendingSubmission)).one()
        return sealing.open_held(held.wave_id, held.id, held.sealed)


def test_an_arabic_page_is_right_to_left_with_every_dutch_fallback_marked(
    client: FlaskClient, multilingual_wave: Callable[..., SurveyWave]
) -> None:
    wave = multilingual_wave()
    person = Respondent(client, wave, start_url=f"/enquete/{wave.public_key}?taal=ar")
    assert '<html lang="ar" dir="rtl">' in person.html
    assert "<h1>تجربتك</h1>" in person.html
    # No Arabic interface: its texts are English, and say so (with their direction).
    assert '<div class="panel" lang="en" dir="ltr">' in person.html
    assert 'value="start" lang="en" dir="ltr">Start the questionnaire</button>' in person.html
    person.press("start")
    assert '<html lang="ar" dir="rtl">' in person.html and person.heading == "عنك"
    assert "<legend>من أنت؟</legend>" in person.html
    # Fallbacks to Dutch, text by text: the intro, the help, one option.
    assert '<p class="lead"><span lang="nl" dir="ltr">Eerst een paar vragen over u.</span>' in (
        person.html
    )
    assert '<span lang="nl" dir="ltr">Kies wat het best past.</span>' in person.html
    assert '<label for="q-role-0">والد</label>' in person.html
    assert '<label for="q-role-1" lang="nl" dir="ltr">Iemand anders</label>' in person.html
    # Yes and no as the template gives them in Arabic.
    assert '<label for="q-helped-0">نعم</label>' in person.html
    assert 'value="next" lang="en" dir="ltr">Next</button>' in person.html
    assert 'class="step-indicator" lang="en" dir="ltr">Step 1 of 2' in person.html
    assert '<footer class="site-footer" lang="en" dir="ltr">' in person.html
    person.press("next")  # nothing answered: errors in English, marked
    assert person.status == 422
    assert 'id="q-role-error" lang="en" dir="ltr"' in person.html
    person.press("next", role="parent", helped="no")
    # The agreement scale has no Arabic in the template: the interface's English, marked.
    assert '<label for="q-clear-0" lang="en" dir="ltr">Strongly disagree</label>' in person.html
    assert '<label for="q-change"><span lang="nl" dir="ltr">Wat moet er beter?</span>' in (
        person.html
    )
    assert 'id="q-change" name="a-change" rows="5" maxlength="4000" dir="auto"' in person.html


def test_a_polish_page_falls_back_to_dutch_per_text(
    client: FlaskClient, multilingual_wave: Callable[..., SurveyWave]
) -> None:
    wave = multilingual_wave()
    person = Respondent(client, wave, start_url=f"/enquete/{wave.public_key}?taal=pl")
    assert '<html lang="pl">' in person.html and "<h1>Twoje doświadczenie</h1>" in person.html
    assert '<p class="lead"><span lang="nl">Over de hulp die u kreeg.</span></p>' in person.html
    person.press("start")
    assert person.heading == "O tobie" and "<legend>Kim jesteś?</legend>" in person.html
    assert '<legend><span lang="nl">Kreeg u hulp?</span></legend>' in person.html
    assert '<label for="q-helped-0" lang="en">Yes</label>' in person.html  # no dir: both LTR
    assert 'value="next" lang="en">Next</button>' in person.html


def test_the_language_switch_offers_the_wave_languages_by_their_own_names(
    client: FlaskClient, multilingual_wave: Callable[..., SurveyWave]
) -> None:
    wave = multilingual_wave(languages=("nl", "ar", "pl"))
    person = Respondent(client, wave)
    assert '<html lang="nl">' in person.html  # no cookie, no browser language: Dutch
    assert 'value="language:ar" lang="ar" dir="rtl">العربية</button>' in person.html
    assert 'value="language:pl" lang="pl">Polski</button>' in person.html
    assert "language:en" not in person.html  # the template has English, this wave does not
    person.press("language:ar")
    assert '<html lang="ar" dir="rtl">' in person.html
    assert 'value="language:nl" lang="nl" dir="ltr">Nederlands</button>' in person.html
    assert "language:ar" not in person.html
    person.press("language:en")  # not offered: the page stays as it was
    assert '<html lang="ar" dir="rtl">' in person.html


def test_switching_to_arabic_and_polish_mid_survey_keeps_every_answer(
    app: Flask, client: FlaskClient, multilingual_wave: Callable[..., SurveyWave]
) -> None:
    wave = multilingual_wave()
    person = Respondent(client, wave).press("start")
    person.press("next", role="other", helped="yes")
    assert person.heading == "Tot slot"
    # Half of this page answered, then Arabic: nothing is checked, nothing lost.
    person.press("language:ar", clear="2", change="Sneller terugbellen.")
    assert person.status == 200 and '<html lang="ar" dir="rtl">' in person.html
    assert person.heading == "أخيرا" and "error-summary" not in person.html
    assert re.search(r'value="2" checked', person.html)
    assert "Sneller terugbellen." in person.html
    assert person.fields["a-role"] == "other" and person.fields["a-helped"] == "yes"
    assert person.fields["taal"] == "ar"
    person.press("back")
    assert person.heading == "عنك" and re.search(r'value="other" checked', person.html)
    person.press("language:pl")
    assert person.heading == "O tobie" and re.search(r'value="yes" checked', person.html)
    person.press("next").press("submit")
    assert person.status == 303 and "taal=pl" in person.location
    # Stored as the options' values: the language changes nothing in the answers.
    language, answers = _held_submission(app)
    assert language == "pl"
    assert answers == {
        "role": "other",
        "helped": "yes",
        "clear": "2",
        "change": "Sneller terugbellen.",
    }
    thanks = client.get(person.location)
    # The thank-you page is interface text (English) with the Polish feedback marked.
    assert '<html lang="en">' in thanks.text
    assert '<p lang="pl">Częściej oddzwanialiśmy.</p>' in thanks.text


def test_a_chosen_survey_language_is_remembered_and_the_site_falls_back_to_english(
    client: FlaskClient, multilingual_wave: Callable[..., SurveyWave]
) -> None:
    wave = multilingual_wave()
    person = Respondent(client, wave).press("language:ar")
    assert any(cookie.startswith("taal=ar;") for cookie in person.cookies_set)
    again = Respondent(client, wave)
    assert '<html lang="ar" dir="rtl">' in again.html
    # The rest of the site has no Arabic: English, as on the survey's buttons.
    assert '<html lang="en">' in client.get("/").text


def test_an_arabic_browser_gets_the_arabic_survey_when_the_wave_offers_it(
    client: FlaskClient, multilingual_wave: Callable[..., SurveyWave]
) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ar-MA,ar;q=0.9,fr;q=0.5"
    with_arabic = multilingual_wave()
    assert '<html lang="ar" dir="rtl">' in Respondent(client, with_arabic).html
    without = multilingual_wave(languages=("nl", "pl"))
    assert '<html lang="nl">' in Respondent(client, without).html


def test_a_resume_code_carries_the_survey_language(
    client: FlaskClient, multilingual_wave: Callable[..., SurveyWave]
) -> None:
    wave = multilingual_wave()
    person = Respondent(client, wave, start_url=f"/enquete/{wave.public_key}?taal=ar")
    person.press("start").press("save", role="parent")
    assert '<html lang="en">' in person.html  # the saved page is interface text only
    code = _resume_code(person.html)
    resumed = client.post("/enquete/verder", data={"code": code, "taal": "ar"})
    assert resumed.status_code == 200 and '<html lang="ar" dir="rtl">' in resumed.text
    # The link from another browser (no cookie): the language the draft was saved in.
    later = client.application.test_client().get(f"/enquete/verder/{code}")
    assert '<html lang="ar" dir="rtl">' in later.text


@pytest.mark.parametrize(
    "query", ["?taal=xx", "?taal=tr", "?taal=", "?taal=ar&taal=pl", "?taal=%00", "?taal=a%22b"]
)
def test_unknown_or_odd_languages_in_the_address_give_a_page_not_an_error(
    client: FlaskClient, multilingual_wave: Callable[..., SurveyWave], query: str
) -> None:
    wave = multilingual_wave(languages=("nl", "ar"))
    for path in (f"/enquete/{wave.public_key}", f"/enquete/{wave.public_key}/bedankt"):
        response = client.get(path + query)
        assert response.status_code == 200
        assert re.search(r'<html lang="(nl|ar|en)"', response.text)
    assert client.get(f"/enquete/verder{query}").status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"go": "language:xx"},
        {"go": "language:"},
        {"go": "language:tr", "taal": "tr"},
        {"go": "language:ar", "taal": "\x00"},
        {"go": "start", "taal": ["ar", "pl"]},
        {"go": "next", "section": "1", "taal": "<b>ar</b>"},
        {"go": "language:" + "a" * 500},
    ],
)
def test_odd_language_choices_in_a_form_never_fail(
    client: FlaskClient, multilingual_wave: Callable[..., SurveyWave], data: dict[str, Any]
) -> None:
    wave = multilingual_wave(languages=("nl", "ar"))
    response = client.post(f"/enquete/{wave.public_key}", data=data)
    assert response.status_code in (200, 422)
    assert re.search(r'<html lang="(nl|ar|en)"', response.text)
    assert "<b>ar</b>" not in response.text
