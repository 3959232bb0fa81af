"""The respondent's pages: steps, back and forth, conditions, errors, resume codes, links."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from participatie.db import db
from participatie.surveys import operations, sealing
from participatie.surveys.models import PendingSubmission, SurveyDraft, SurveyWave
from tests.conftest import csrf_token_from
from tests.surveys.conftest import Respondent, as_form, small_answers


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html).replace("\xa0", " "))


def _pending(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PendingSubmission)) or 0


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
    assert person.status == 303 and person.location.endswith(f"/enquete/{wave.public_key}/bedankt")
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
    page = other_device.get("/enquete/verder")
    wrong = other_device.post(
        "/enquete/verder", data={"csrf_token": csrf_token_from(page.text), "code": "ABCD-EFGH-JKLM"}
    )
    assert wrong.status_code == 422 and "Deze code kennen we niet" in wrong.text
    assert 'value="ABCD-EFGH-JKLM"' in wrong.text  # what was typed stays
    resumed = other_device.post(
        "/enquete/verder",
        data={"csrf_token": csrf_token_from(page.text), "code": code.lower().replace("-", " ")},
    )
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


def test_the_open_link_is_rate_limited_per_client_without_storing_addresses(
    app: Flask, client: FlaskClient, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    person = Respondent(client, wave).press("start")
    statuses = []
    for _ in range(4):
        person.fields.update(as_form(small_answers()))
        person.press("submit")
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
    page = client.get(f"/enquete/{wave.public_key}")
    response = client.post(
        f"/enquete/{wave.public_key}", data={"csrf_token": csrf_token_from(page.text), **data}
    )
    assert response.status_code in (200, 303, 409, 422)
