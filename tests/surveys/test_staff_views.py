"""The ambassadors' survey pages: templates, the question builder, preview, waves and QR codes."""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from participatie.audit.models import AuditEvent
from participatie.db import db
from participatie.surveys import operations
from participatie.surveys.models import (
    SurveyInvitation,
    SurveyQuestion,
    SurveySection,
    SurveyTemplate,
    SurveyWave,
)
from tests.conftest import post_form
from tests.surveys.test_builder import BUILDER_SPEC

_AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html).replace("\xa0", " "))


@pytest.fixture
def staff_template(app: Flask) -> int:
    """A template with two sections; question `who` shows only after `contact` = yes."""
    with app.app_context():
        template = operations.create_template(copy.deepcopy(BUILDER_SPEC))
        db.session.commit()
        return template.id


def _question_id(app: Flask, template_id: int, code: str) -> int:
    with app.app_context():
        template = db.session.get_one(SurveyTemplate, template_id)
        return next(q.id for q in template.latest_version.questions if q.code == code)


def _section_id(app: Flask, template_id: int, index: int) -> int:
    with app.app_context():
        return db.session.get_one(SurveyTemplate, template_id).latest_version.sections[index].id


def _codes(app: Flask, template_id: int) -> list[list[str]]:
    with app.app_context():
        version = db.session.get_one(SurveyTemplate, template_id).latest_version
        return [[q.code for q in s.questions] for s in version.sections]


def _freeze(app: Flask, template_id: int) -> None:
    with app.app_context():
        db.session.get_one(SurveyTemplate, template_id).latest_version.is_frozen = True
        db.session.commit()


@pytest.fixture
def make_wave(app: Flask, staff_template: int) -> Callable[..., int]:
    def factory(*, status: str = "draft", **fields: Any) -> int:
        with app.app_context():
            template = db.session.get_one(SurveyTemplate, staff_template)
            today = operations.today()
            options: dict[str, Any] = {
                "opens_on": today,
                "closes_on": today + timedelta(days=21),
                "invite_pool": False,
                "open_link": True,
            }
            options.update(fields)
            wave = operations.create_wave(None, template, **options)
            if status == "open":
                operations.open_wave(None, wave)
            db.session.commit()
            return wave.id

    return factory


def _wave(app: Flask, wave_id: int) -> SurveyWave:
    with app.app_context():
        wave = db.session.get_one(SurveyWave, wave_id)
        db.session.expunge(wave)
        return wave


# --- access --------------------------------------------------------------------------------------

PAGES = [
    "/enquetes/",
    "/enquetes/nieuw",
    "/enquetes/sjablonen/{template}",
    "/enquetes/sjablonen/{template}/teksten",
    "/enquetes/sjablonen/{template}/voorbeeld",
    "/enquetes/sjablonen/{template}/onderdelen/nieuw",
    "/enquetes/sjablonen/{template}/ronde",
    "/enquetes/onderdelen/{section}/bewerken",
    "/enquetes/onderdelen/{section}/verwijderen",
    "/enquetes/onderdelen/{section}/vragen/nieuw",
    "/enquetes/vragen/{question}/bewerken",
    "/enquetes/vragen/{question}/verwijderen",
    "/enquetes/sjablonen/{template}?taal=en",
    "/enquetes/sjablonen/{template}/teksten?taal=en",
    "/enquetes/sjablonen/{template}/voorbeeld?taal=en",
    "/enquetes/onderdelen/{section}/bewerken?taal=en",
    "/enquetes/vragen/{question}/bewerken?taal=en",
    "/enquetes/rondes/{wave}",
    "/enquetes/rondes/{wave}/qr.svg",
    "/enquetes/rondes/{wave}/qr.png",
]


def _pages(app: Flask, template_id: int, wave_id: int) -> list[str]:
    ids = {
        "template": template_id,
        "section": _section_id(app, template_id, 0),
        "question": _question_id(app, template_id, "grade"),
        "wave": wave_id,
    }
    return [page.format(**ids) for page in PAGES]


@pytest.mark.parametrize("role", ["ambassadeur", "beheerder"])
def test_ambassadors_and_administrators_see_every_page(
    app: Flask, client: FlaskClient, logged_in, staff_template: int, make_wave, role: str
) -> None:
    wave_id = make_wave()
    logged_in(role)
    for page in _pages(app, staff_template, wave_id):
        assert client.get(page).status_code == 200, page


def test_a_chain_partner_gets_403_and_anonymous_visitors_go_to_login(
    app: Flask, client: FlaskClient, create_user, logged_in, staff_template: int, make_wave
) -> None:
    wave_id = make_wave()
    pages = _pages(app, staff_template, wave_id)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert "/medewerkers/inloggen" in response.headers["Location"]
    assert client.post(f"/enquetes/rondes/{wave_id}/openen").status_code in (302, 400)
    logged_in("ketenpartner")
    for page in pages:
        assert client.get(page).status_code == 403, page
    assert _wave(app, wave_id).status == "draft"


@pytest.mark.parametrize(
    "page",
    [
        "/enquetes/sjablonen/999999",
        "/enquetes/sjablonen/999999/voorbeeld",
        "/enquetes/onderdelen/999999/bewerken",
        "/enquetes/vragen/999999/bewerken",
        "/enquetes/rondes/999999",
        "/enquetes/rondes/999999/qr.png",
        "/enquetes/sjablonen/99999999999999999999",
    ],
)
def test_unknown_ids_give_404(client: FlaskClient, logged_in, page: str) -> None:
    logged_in("ambassadeur")
    assert client.get(page).status_code == 404


# --- overview and templates ----------------------------------------------------------------------


def test_overview_lists_templates_and_waves(
    app: Flask, client: FlaskClient, logged_in, staff_template: int, make_wave
) -> None:
    make_wave(status="open", recurrence_months=3)
    logged_in("ambassadeur")
    text = _text(client.get("/enquetes/").text)
    assert "Bouwen" in text
    assert "Ouders en verzorgers" in text
    assert "Ronde 1" in text
    assert "Open" in text
    assert "Elk kwartaal" in text
    assert "Nieuwe vragenlijst" in text


def test_create_template_from_a_title(app: Flask, client: FlaskClient, logged_in) -> None:
    logged_in("ambassadeur")
    response = post_form(
        client,
        "/enquetes/nieuw",
        {"title_nl": "Jongeren over hun voogd", "languages": ["en"], "audience": "young_people"},
    )
    assert response.status_code == 303
    with app.app_context():
        template = db.session.scalars(
            select(SurveyTemplate).where(SurveyTemplate.slug == "jongeren-over-hun-voogd")
        ).one()
        assert template.audience == "young_people"
        assert template.title == {"nl": "Jongeren over hun voogd"}
        assert template.languages == ["nl", "en"]
        assert response.headers["Location"] == f"/enquetes/sjablonen/{template.id}"
    page = _text(client.get(response.headers["Location"]).text)
    assert "nog geen onderdelen" in page


def test_create_template_without_title_keeps_the_choice(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    logged_in("ambassadeur")
    response = post_form(
        client,
        "/enquetes/nieuw",
        {"title_nl": " ", "languages": ["ar", "pl"], "audience": "young_people"},
    )
    assert response.status_code == 400
    assert "Vul een titel in." in _text(response.text)
    for kept in ("ar", "pl"):
        assert re.search(rf'checked[^>]*value="{kept}"|value="{kept}"[^>]*checked', response.text)
    assert not re.search(r'checked[^>]*value="en"|value="en"[^>]*checked', response.text)
    assert re.search(
        r'value="young_people"[^>]*checked|checked[^>]*value="young_people"', response.text
    )


def test_template_page_shows_questions_in_order_with_conditions_in_words(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    text = _text(client.get(f"/enquetes/sjablonen/{staff_template}").text)
    assert text.index("Had u contact?") < text.index("Met wie?") < text.index("Welk cijfer?")
    assert "Alleen tonen als bij contact (‘Had u contact?’) is gekozen: ‘Ja’." in text
    assert "Ja of nee" in text and "Rapportcijfer (1 tot en met 10)" in text
    assert "versie 1" in text
    assert "in gebruik door een ronde" not in text


def test_template_page_says_when_the_version_is_in_use(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    _freeze(app, staff_template)
    logged_in("ambassadeur")
    text = _text(client.get(f"/enquetes/sjablonen/{staff_template}").text)
    assert (
        "Deze versie is in gebruik door een ronde. Als u iets verandert, maakt Participatie een "
        "nieuwe versie voor volgende rondes." in text
    )


def test_edit_texts_saves_dutch_then_english_beside_it(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    page = f"/enquetes/sjablonen/{staff_template}/teksten"
    assert 'value="Bouwen"' in client.get(page).text
    response = post_form(
        client,
        page,
        {
            "title_nl": "Bouwen en breken",
            "audience": "parents",
            "description_nl": "Over uw ervaring.",
            "feedback_nl": "We belden vaker terug.",
            "languages": ["en", "ar", "pl"],
            "estimated_minutes": "8",
        },
    )
    assert response.status_code == 303
    english = client.get(f"{page}?taal=en").text
    assert 'value="Building"' in english  # the English title as it was
    assert "Bouwen en breken" in english  # the Dutch beside it
    response = post_form(
        client,
        f"{page}?taal=en",
        {"title": "Building", "description": "", "feedback": "We called back more often."},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/enquetes/sjablonen/{staff_template}?taal=en"
    with app.app_context():
        template = db.session.get_one(SurveyTemplate, staff_template)
        assert template.title == {"nl": "Bouwen en breken", "en": "Building", "ar": "بناء"}
        assert template.feedback_text == {
            "nl": "We belden vaker terug.",
            "en": "We called back more often.",
        }
        assert template.description == {"nl": "Over uw ervaring."}
        assert template.estimated_minutes == 8
        assert template.languages == ["nl", "en", "ar", "pl"]


def test_edit_texts_refuses_odd_minutes(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    page = f"/enquetes/sjablonen/{staff_template}/teksten"
    response = post_form(
        client, page, {"title_nl": "Bouwen", "audience": "parents", "estimated_minutes": "veel"}
    )
    assert response.status_code == 400
    assert "Vul een heel getal in" in _text(response.text)
    assert 'value="veel"' in response.text


# --- sections ------------------------------------------------------------------------------------


def test_add_edit_move_and_delete_a_section(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    response = post_form(
        client,
        f"/enquetes/sjablonen/{staff_template}/onderdelen/nieuw",
        {"title_nl": "Tot slot", "intro_nl": "Nog één ding."},
    )
    assert response.status_code == 303
    third = _section_id(app, staff_template, 2)
    response = post_form(
        client, f"/enquetes/onderdelen/{third}/bewerken", {"title_nl": "Als laatste"}
    )
    assert response.status_code == 303
    response = post_form(
        client, f"/enquetes/onderdelen/{third}/bewerken?taal=en", {"title": "Last"}
    )
    assert response.status_code == 303
    template_page = f"/enquetes/sjablonen/{staff_template}"
    response = post_form(
        client, template_page, {"direction": "up"}, f"/enquetes/onderdelen/{third}/verplaatsen"
    )
    assert response.status_code == 303
    with app.app_context():
        sections = db.session.get_one(SurveyTemplate, staff_template).latest_version.sections
        assert [s.title for s in sections] == [
            {"nl": "Contact", "en": "Contact"},
            {"nl": "Als laatste", "en": "Last"},
            {"nl": "Oordeel"},
        ]
    page = f"/enquetes/onderdelen/{third}/verwijderen"
    assert "Verwijderen kunt u niet ongedaan maken" in _text(client.get(page).text)
    assert post_form(client, page, {}).status_code == 303
    assert _codes(app, staff_template) == [["contact", "who"], ["grade", "why"]]


def test_deleting_a_section_a_condition_depends_on_is_refused(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    first = _section_id(app, staff_template, 0)
    post_form(
        client,
        f"/enquetes/onderdelen/{_section_id(app, staff_template, 1)}/vragen/nieuw",
        _question(code="again", kind="yesno", condition_code="who", condition_values="gi"),
    )
    page = f"/enquetes/onderdelen/{first}/verwijderen"
    text = _text(client.get(page).text)
    assert "Dit kan nu niet" in text and "again" in text
    # Posting anyway (an old page) is refused too.
    token_page = f"/enquetes/sjablonen/{staff_template}"
    response = post_form(client, token_page, {}, page, follow_redirects=True)
    assert "deze vragen hebben een voorwaarde die hiervan afhangt: again" in _text(response.text)
    assert _codes(app, staff_template) == [["contact", "who"], ["grade", "why", "again"]]


# --- questions -----------------------------------------------------------------------------------


def _question(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "code": "org",
        "kind": "single",
        "text_nl": "Welke organisatie?",
        "options": "swa | Wijkteam\nraad | Raad voor de Kinderbescherming",
        "is_required": "y",
        "theme_slug": "roles",
        "condition_code": "",
        "condition_values": "",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def test_add_a_single_choice_question_with_options_theme_and_condition(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    section = _section_id(app, staff_template, 1)
    page = f"/enquetes/onderdelen/{section}/vragen/nieuw"
    html = client.get(page).text
    assert "contact: Had u contact?" in html  # an earlier yes/no question: a condition source
    assert "grade: Welk cijfer?" not in html  # a grade cannot be a condition
    response = post_form(
        client,
        page,
        _question(is_background="y", condition_code="who", condition_values="swa, gi"),
    )
    assert response.status_code == 303, _text(response.text)[:1500]
    assert _codes(app, staff_template) == [["contact", "who"], ["grade", "why", "org"]]
    with app.app_context():
        org = db.session.get_one(SurveyQuestion, _question_id(app, staff_template, "org"))
        assert org.options == [
            {"value": "swa", "label": {"nl": "Wijkteam"}},
            {"value": "raad", "label": {"nl": "Raad voor de Kinderbescherming"}},
        ]
        assert org.text == {"nl": "Welke organisatie?"}
        assert org.theme_slug == "roles" and org.is_background and org.is_required
        assert org.condition_code == "who" and org.condition_values == ["swa", "gi"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"options": "swa | Wijkteam"}, "Vul minstens 2 antwoorden in"),
        ({"options": "swa | Wijkteam\nswa | Nog eens"}, "staat er meer dan één keer in"),
        ({"options": "swa | Wijkteam\nDe Raad | Raad"}, "Regel 2: de waarde vooraan"),
        ({"options": "swa | Wijkteam\nraad"}, "Regel 2: zet na de waarde een |"),
        ({"options": "a | b | c\nx | y"}, "Regel 1 heeft te veel |-tekens"),
        ({"code": "Organisatie!"}, "Gebruik alleen kleine letters"),
        ({"code": "contact"}, "Een andere vraag heeft deze code al"),
        ({"text_nl": ""}, "Vul de vraag in."),
        ({"kind": "koning"}, "Kies uit de mogelijkheden op de pagina."),
        ({"theme_slug": "bestaat-niet"}, "Kies uit de mogelijkheden op de pagina."),
        ({"condition_code": "grade", "condition_values": "7"}, "Kies uit de mogelijkheden"),
        ({"condition_code": "contact", "condition_values": "misschien"}, "Kies uit: no, yes"),
        ({"condition_code": "contact", "condition_values": " , "}, "Vul minstens één antwoord"),
        ({"condition_values": "yes"}, "Kies eerst de vraag"),
    ],
)
def test_add_question_with_bad_input_shows_the_error_and_keeps_what_was_typed(
    app: Flask,
    client: FlaskClient,
    logged_in,
    staff_template: int,
    changes: dict[str, str],
    message: str,
) -> None:
    logged_in("ambassadeur")
    section = _section_id(app, staff_template, 1)
    form = _question(help_nl="Typed help stays", **changes)
    response = post_form(client, f"/enquetes/onderdelen/{section}/vragen/nieuw", form)
    assert response.status_code == 400
    text = _text(response.text)
    assert "Er ging iets mis" in text
    assert message in text
    assert "Typed help stays" in response.text
    if "options" in changes:
        assert changes["options"].split("\n")[0] in response.text
    assert _codes(app, staff_template) == [["contact", "who"], ["grade", "why"]]


def test_nul_characters_are_dropped_from_typed_texts(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    section = _section_id(app, staff_template, 1)
    response = post_form(
        client,
        f"/enquetes/onderdelen/{section}/vragen/nieuw",
        _question(
            text_nl="Welke\x00 organisatie?",
            options="swa | Wijk\x00team\nraad | Raad",
            condition_code="contact",
            condition_values="yes\x00",
        ),
    )
    assert response.status_code == 400  # "yes\x00" is not an answer of that question
    response = post_form(
        client,
        f"/enquetes/onderdelen/{section}/vragen/nieuw",
        _question(text_nl="Welke\x00 organisatie?", options="swa | Wijk\x00team\nraad | Raad"),
    )
    assert response.status_code == 303
    with app.app_context():
        org = db.session.get_one(SurveyQuestion, _question_id(app, staff_template, "org"))
        assert org.text["nl"] == "Welke organisatie?"
        assert org.options[0]["label"]["nl"] == "Wijkteam"


def test_options_are_ignored_for_kinds_with_fixed_answers(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    section = _section_id(app, staff_template, 1)
    response = post_form(
        client,
        f"/enquetes/onderdelen/{section}/vragen/nieuw",
        _question(code="helped", kind="agreement", options="rommel", theme_slug=""),
    )
    assert response.status_code == 303
    with app.app_context():
        helped = db.session.get_one(SurveyQuestion, _question_id(app, staff_template, "helped"))
        assert helped.options == [] and helped.theme_slug is None


def test_edit_question_form_shows_the_stored_question(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    html = client.get(f"/enquetes/vragen/{_question_id(app, staff_template, 'who')}/bewerken").text
    assert "swa | Wijkteam\ngi | Jeugdbeschermer" in html
    assert 'value="yes"' in html  # the condition values
    assert re.search(r'<option selected value="contact">|<option value="contact" selected>', html)


def test_editing_a_question_of_a_frozen_version_makes_a_new_version(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    _freeze(app, staff_template)
    logged_in("ambassadeur")
    grade_v1 = _question_id(app, staff_template, "grade")
    response = post_form(
        client,
        f"/enquetes/vragen/{grade_v1}/bewerken",
        _question(code="grade", kind="grade", text_nl="Welk rapportcijfer?", options=""),
    )
    assert response.status_code == 303
    with app.app_context():
        template = db.session.get_one(SurveyTemplate, staff_template)
        assert [v.number for v in template.versions] == [1, 2]
        assert db.session.get_one(SurveyQuestion, grade_v1).text == {"nl": "Welk cijfer?"}
        grade_v2 = next(q for q in template.versions[1].questions if q.code == "grade")
        assert grade_v2.text["nl"] == "Welk rapportcijfer?"
    text = _text(client.get(f"/enquetes/sjablonen/{staff_template}").text)
    assert "versie 2" in text and "in gebruik door een ronde" not in text
    # The old version's question is no longer editable: the page was stale.
    response = client.get(f"/enquetes/vragen/{grade_v1}/bewerken", follow_redirects=True)
    assert "intussen veranderd" in _text(response.text)


def test_changing_a_kind_a_condition_needs_is_refused_on_the_form(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    contact = _question_id(app, staff_template, "contact")
    response = post_form(
        client,
        f"/enquetes/vragen/{contact}/bewerken",
        _question(code="contact", kind="grade", text_nl="Had u contact?", options=""),
    )
    assert response.status_code == 400
    assert "deze vragen hebben een voorwaarde die hiervan afhangt: who" in _text(response.text)
    with app.app_context():
        assert db.session.get_one(SurveyQuestion, contact).kind == "yesno"


def test_move_question_buttons_reorder(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    page = f"/enquetes/sjablonen/{staff_template}"
    why = _question_id(app, staff_template, "why")
    response = post_form(client, page, {"direction": "up"}, f"/enquetes/vragen/{why}/verplaatsen")
    assert response.status_code == 303
    assert response.headers["Location"] == page
    assert _codes(app, staff_template) == [["contact", "who"], ["why", "grade"]]
    who = _question_id(app, staff_template, "who")
    response = post_form(
        client,
        page,
        {"direction": "up"},
        f"/enquetes/vragen/{who}/verplaatsen",
        follow_redirects=True,
    )
    assert "Dat kan niet" in _text(response.text)
    assert _codes(app, staff_template) == [["contact", "who"], ["why", "grade"]]
    bad = post_form(client, page, {"direction": "sideways"}, f"/enquetes/vragen/{who}/verplaatsen")
    assert bad.status_code == 400


def test_deleting_a_question_a_condition_refers_to_is_refused_with_a_clear_message(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    contact = _question_id(app, staff_template, "contact")
    page = f"/enquetes/vragen/{contact}/verwijderen"
    text = _text(client.get(page).text)
    assert "Dit kan nu niet" in text and "who: Met wie?" in text
    assert "Ja, verwijderen" not in text
    response = post_form(client, f"/enquetes/sjablonen/{staff_template}", {}, page)
    assert response.status_code == 303
    assert _codes(app, staff_template) == [["contact", "who"], ["grade", "why"]]

    why = _question_id(app, staff_template, "why")
    response = post_form(client, f"/enquetes/vragen/{why}/verwijderen", {})
    assert response.status_code == 303
    assert _codes(app, staff_template) == [["contact", "who"], ["grade"]]


# --- preview -------------------------------------------------------------------------------------


def test_preview_shows_every_section_as_a_respondent_sees_it(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    html = client.get(f"/enquetes/sjablonen/{staff_template}/voorbeeld").text
    text = _text(html)
    assert "Dit is een voorbeeld." in text
    assert "Contact" in text and "Oordeel" in text
    assert 'name="a-contact"' in html and 'name="a-who"' in html
    assert "Wijkteam" in text and "Jeugdbeschermer" in text
    assert "Alleen tonen als bij contact" in text
    assert 'type="submit"' not in html.split('class="survey-preview"')[1]


@pytest.mark.parametrize(("taal", "expected"), [("en", "With whom?"), ("xx", "Met wie?")])
def test_preview_in_another_language_falls_back_to_dutch(
    app: Flask, client: FlaskClient, logged_in, staff_template: int, taal: str, expected: str
) -> None:
    logged_in("ambassadeur")
    html = client.get(f"/enquetes/sjablonen/{staff_template}/voorbeeld?taal={taal}").text
    text = _text(html)
    assert expected in text
    assert "Had u contact?" in text  # no English text: the Dutch one
    assert "Wijkteam" in text  # an option label without English
    assert f'lang="{"en" if taal == "en" else "nl"}"' in html


# --- waves -----------------------------------------------------------------------------------------


def _today(app: Flask) -> date:
    with app.app_context():
        return operations.today()


def _wave_form(app: Flask, **changes: Any) -> dict[str, Any]:
    today = _today(app)
    form: dict[str, Any] = {
        "opens_on": (today + timedelta(days=1)).isoformat(),
        "closes_on": (today + timedelta(days=29)).isoformat(),
        "invite_pool": "y",
        "open_link": "y",
        "languages": ["nl", "en"],
        "recurrence": "6",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def test_create_wave_plans_a_draft_and_shows_its_page(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    response = post_form(client, f"/enquetes/sjablonen/{staff_template}/ronde", _wave_form(app))
    assert response.status_code == 303
    with app.app_context():
        wave = db.session.scalars(select(SurveyWave)).one()
        assert wave.status == "draft" and wave.number == 1
        assert wave.opens_on == operations.today() + timedelta(days=1)
        assert wave.invite_pool and wave.open_link
        assert wave.languages == ["nl", "en"] and wave.recurrence_months == 6
        assert response.headers["Location"] == f"/enquetes/rondes/{wave.id}"
        key = wave.public_key
    page = client.get(response.headers["Location"])
    text = _text(page.text)
    assert "Gepland (nog niet open)" in text
    assert "Nu openen" in text and "Elk half jaar" in text
    assert f"/enquete/{key}" in text
    assert "Antwoorden vrijgegeven nog niet open" in text
    assert "wachten nog" not in text


def test_create_wave_closing_before_it_opens_shows_an_error_and_keeps_the_values(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    logged_in("ambassadeur")
    today = _today(app)
    opens, closes = today + timedelta(days=10), today + timedelta(days=3)
    response = post_form(
        client,
        f"/enquetes/sjablonen/{staff_template}/ronde",
        _wave_form(app, opens_on=opens.isoformat(), closes_on=closes.isoformat(), recurrence="12"),
    )
    assert response.status_code == 400
    assert "De laatste dag mag niet vóór de eerste dag liggen." in _text(response.text)
    assert f'value="{opens.isoformat()}"' in response.text
    assert f'value="{closes.isoformat()}"' in response.text
    assert re.search(r'checked[^>]*value="12"|value="12"[^>]*checked', response.text)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyWave)) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"opens_on": "2020-01-01"}, "mag niet in het verleden liggen"),
        ({"closes_on": "31-02-2027"}, "Vul een geldige datum in"),
        ({"opens_on": ""}, "Vul de dag in waarop de ronde opent."),
        ({"invite_pool": None, "open_link": None}, "Kies hoe mensen de vragenlijst krijgen"),
        ({"recurrence": "5"}, "Kies uit de mogelijkheden"),
        ({"languages": ["nl", "xx"]}, "Kies uit de mogelijkheden"),
    ],
)
def test_create_wave_refuses_invalid_values(
    app: Flask,
    client: FlaskClient,
    logged_in,
    staff_template: int,
    changes: dict[str, Any],
    message: str,
) -> None:
    logged_in("ambassadeur")
    response = post_form(
        client, f"/enquetes/sjablonen/{staff_template}/ronde", _wave_form(app, **changes)
    )
    assert response.status_code == 400
    assert message in _text(response.text)


def test_a_template_without_questions_cannot_get_a_wave(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    logged_in("ambassadeur")
    created = post_form(client, "/enquetes/nieuw", {"title_nl": "Leeg", "audience": "parents"})
    page = created.headers["Location"] + "/ronde"
    assert "nog geen vragen" in _text(client.get(page).text)
    response = post_form(client, created.headers["Location"], _wave_form(app), page)
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyWave)) == 0


def test_open_now_invites_the_pool_members_who_consented_to_surveys(
    app: Flask, client: FlaskClient, logged_in, make_wave, create_participant, smtp
) -> None:
    create_participant(email="ja@example.org", consents=("pool", "surveys"))
    create_participant(email="nee@example.org", consents=("pool",))
    wave_id = make_wave(invite_pool=True, opens_on=_today(app) + timedelta(days=5))
    logged_in("ambassadeur")
    page = f"/enquetes/rondes/{wave_id}"
    response = post_form(client, page, {}, f"{page}/openen")
    assert response.status_code == 303
    wave = _wave(app, wave_id)
    assert wave.status == "open" and wave.opens_on == _today(app)
    mails = smtp.wait_for(1)
    assert [mail["To"] for mail in mails] == ["ja@example.org"]
    assert smtp.wait_for(2, timeout=0.3) == mails
    with app.app_context():
        assert wave.version_id and db.session.get_one(SurveyWave, wave_id).version.is_frozen
    text = _text(client.get(page).text)
    assert "1 persoon kreeg een uitnodiging." in text
    assert "Uitgenodigd 1" in text and "Uitnodigingen gebruikt minder dan 10" in text
    assert "Nu openen" not in text and "Herinnering sturen" in text
    # Opening again does nothing.
    post_form(client, page, {}, f"{page}/openen")
    assert smtp.wait_for(2, timeout=0.3) == mails


def test_open_now_without_invitations(
    app: Flask, client: FlaskClient, logged_in, make_wave, smtp
) -> None:
    wave_id = make_wave(invite_pool=False)
    logged_in("beheerder")
    page = f"/enquetes/rondes/{wave_id}"
    assert post_form(client, page, {}, f"{page}/openen").status_code == 303
    assert _wave(app, wave_id).status == "open"
    assert "Herinnering sturen" not in _text(client.get(page).text)
    assert smtp.wait_for(1, timeout=0.3) == []


def test_remind_sends_to_unused_invitations_at_most_twice(
    app: Flask, client: FlaskClient, logged_in, make_wave, create_participant, smtp
) -> None:
    create_participant(email="ja@example.org")
    wave_id = make_wave(invite_pool=True, status="open")
    assert len(smtp.wait_for(1)) == 1
    smtp.clear()
    logged_in("ambassadeur")
    page = f"/enquetes/rondes/{wave_id}"
    for expected in (1, 2):
        response = post_form(client, page, {}, f"{page}/herinneren")
        assert response.status_code == 303
        assert _wave(app, wave_id).reminders_sent == expected
    assert len(smtp.wait_for(2)) == 2
    text = _text(client.get(page).text)
    assert "2 van 2 verstuurd" in text and "Herinnering sturen" not in text
    response = post_form(client, page, {}, f"{page}/herinneren", follow_redirects=True)
    assert "hoogstens 2 keer" in _text(response.text)
    assert _wave(app, wave_id).reminders_sent == 2


def test_close_asks_first_then_closes(
    app: Flask, client: FlaskClient, logged_in, make_wave
) -> None:
    wave_id = make_wave(status="open")
    logged_in("beheerder")
    page = f"/enquetes/rondes/{wave_id}/sluiten"
    assert "Ja, ronde sluiten" in _text(client.get(page).text)
    assert _wave(app, wave_id).status == "open"
    response = post_form(client, page, {})
    assert response.status_code == 303
    assert _wave(app, wave_id).status == "closed"
    # A closed wave has no close page and no buttons.
    assert client.get(page).status_code == 303
    text = _text(client.get(f"/enquetes/rondes/{wave_id}").text)
    assert "Gesloten" in text and "Sluiten" not in text


def test_buttons_for_the_wrong_status_change_nothing(
    app: Flask, client: FlaskClient, logged_in, make_wave
) -> None:
    draft = make_wave()
    logged_in("ambassadeur")
    page = f"/enquetes/rondes/{draft}"
    response = post_form(client, page, {}, f"{page}/herinneren", follow_redirects=True)
    assert "alleen bij een open ronde" in _text(response.text)
    assert client.get(f"{page}/sluiten").status_code == 303
    assert _wave(app, draft).status == "draft"
    # Without a CSRF token nothing happens either.
    assert client.post(f"{page}/openen").status_code == 400
    assert _wave(app, draft).status == "draft"


def test_wave_counts_invitations_but_shows_nobody(
    app: Flask, client: FlaskClient, logged_in, make_wave, create_participant, smtp
) -> None:
    create_participant(display_name="Zichtbaar Niet", email="a@example.org")
    create_participant(email="b@example.org")
    wave_id = make_wave(invite_pool=True, status="open")
    with app.app_context():
        invitation = db.session.scalars(select(SurveyInvitation)).first()
        assert invitation is not None
        invitation.is_used = True
        db.session.commit()
    logged_in("ambassadeur")
    html = client.get(f"/enquetes/rondes/{wave_id}").text
    text = _text(html)
    assert "Uitgenodigd 2" in text and "Uitnodigingen gebruikt minder dan 10" in text
    assert "Zichtbaar Niet" not in text and "a@example.org" not in html


# --- QR codes ------------------------------------------------------------------------------------


def test_qr_codes_of_the_open_link(app: Flask, client: FlaskClient, logged_in, make_wave) -> None:
    wave_id = make_wave(open_link=True)
    logged_in("ambassadeur")
    svg = client.get(f"/enquetes/rondes/{wave_id}/qr.svg")
    assert svg.status_code == 200
    assert svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data
    png = client.get(f"/enquetes/rondes/{wave_id}/qr.png")
    assert png.status_code == 200
    assert png.mimetype == "image/png"
    assert png.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert png.headers["Content-Disposition"] == (
        'attachment; filename="enquete-bouwen-ronde-1.png"'
    )
    html = client.get(f"/enquetes/rondes/{wave_id}").text
    assert f'src="/enquetes/rondes/{wave_id}/qr.svg"' in html


def test_no_qr_code_without_an_open_link(
    app: Flask, client: FlaskClient, logged_in, make_wave
) -> None:
    wave_id = make_wave(open_link=False, invite_pool=True)
    logged_in("ambassadeur")
    assert client.get(f"/enquetes/rondes/{wave_id}/qr.svg").status_code == 404
    assert client.get(f"/enquetes/rondes/{wave_id}/qr.png").status_code == 404
    assert "qr.svg" not in client.get(f"/enquetes/rondes/{wave_id}").text


def test_sections_of_an_unknown_template_are_not_found(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    logged_in("ambassadeur")
    assert client.get("/enquetes/sjablonen/424242/onderdelen/nieuw").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveySection)) == 0


def test_odd_form_data_on_every_builder_and_wave_form_never_gives_a_server_error(
    app: Flask, client: FlaskClient, logged_in, staff_template: int, make_wave
) -> None:
    draft = make_wave()
    logged_in("beheerder")
    odd = {
        "title_nl": "\x00" * 5,
        "title_en": "x" * 5000,
        "audience": "koning",
        "estimated_minutes": "1e309",
        "code": "１２３４５６",
        "kind": ["single", "multiple"],
        "text_nl": "\x00",
        "options": "\x00 | \x00\n|||",
        "theme_slug": "\x00",
        "condition_code": "\x00",
        "condition_values": "\x00,,",
        "opens_on": "2026-02-30",
        "closes_on": "\x00",
        "languages": ["xx"],
        "recurrence": "99999999999999999999",
        "direction": "\x00",
    }
    ids = {
        "template": staff_template,
        "section": _section_id(app, staff_template, 0),
        "question": _question_id(app, staff_template, "grade"),
        "wave": draft,
    }
    token_page = f"/enquetes/sjablonen/{staff_template}"
    problems, posted = [], 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("surveys_staff.") and "POST" in (rule.methods or set()):
            posted += 1
            path = re.sub(r"<int:(\w+)_id>", lambda match: str(ids[match.group(1)]), rule.rule)
            response = post_form(client, token_page, odd, path)
            if response.status_code >= 500:
                problems.append((rule.endpoint, response.status_code))
    assert problems == []
    assert posted >= 14


# --- changing, cancelling and stopping planned waves; archiving templates ------------------------


def _audit(app: Flask, action: str) -> list[dict[str, Any]]:
    from participatie.audit.models import AuditEvent

    with app.app_context():
        return [
            {"object_id": event.object_id, "actor": event.actor_id, **event.details}
            for event in db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        ]


def test_edit_planned_wave_shows_its_values_and_saves_the_changes(
    app: Flask, client: FlaskClient, logged_in, make_wave
) -> None:
    today = _today(app)
    wave_id = make_wave(opens_on=today + timedelta(days=2), closes_on=today + timedelta(days=20))
    account = logged_in("ambassadeur")
    page = f"/enquetes/rondes/{wave_id}/wijzigen"
    form = client.get(page)
    assert form.status_code == 200
    assert f'value="{(today + timedelta(days=2)).isoformat()}"' in form.text
    assert "De nieuwste versie" in _text(form.text)
    response = post_form(
        client,
        page,
        _wave_form(
            app,
            opens_on=(today + timedelta(days=5)).isoformat(),
            closes_on=(today + timedelta(days=40)).isoformat(),
            invite_pool="y",
            open_link=None,
            languages=["nl"],
            recurrence="3",
            version="1",
        ),
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/enquetes/rondes/{wave_id}"
    wave = _wave(app, wave_id)
    assert wave.opens_on == today + timedelta(days=5)
    assert wave.closes_on == today + timedelta(days=40)
    assert wave.invite_pool and not wave.open_link
    assert wave.languages == ["nl"] and wave.recurrence_months == 3 and wave.version_pinned
    text = _text(client.get(response.headers["Location"]).text)
    assert "De ronde is gewijzigd." in text
    assert "altijd versie 1 (vast gekozen)" in text and "Elk kwartaal" in text
    [event] = _audit(app, "survey_wave.updated")
    assert event["object_id"] == str(wave_id) and event["actor"] == account.id
    assert set(event["fields"]) >= {"opens_on", "open_link", "recurrence_months", "version_pinned"}


def test_edit_planned_wave_with_bad_dates_shows_the_error_and_keeps_the_values(
    app: Flask, client: FlaskClient, logged_in, make_wave
) -> None:
    today = _today(app)
    wave_id = make_wave(opens_on=today + timedelta(days=2))
    logged_in("ambassadeur")
    opens, closes = today + timedelta(days=9), today + timedelta(days=4)
    response = post_form(
        client,
        f"/enquetes/rondes/{wave_id}/wijzigen",
        _wave_form(app, opens_on=opens.isoformat(), closes_on=closes.isoformat()),
    )
    assert response.status_code == 400
    assert "De laatste dag mag niet vóór de eerste dag liggen." in _text(response.text)
    assert f'value="{opens.isoformat()}"' in response.text
    assert _wave(app, wave_id).opens_on == today + timedelta(days=2)


def test_an_open_wave_cannot_be_edited_or_cancelled(
    app: Flask, client: FlaskClient, logged_in, make_wave
) -> None:
    wave_id = make_wave(status="open")
    logged_in("ambassadeur")
    page = f"/enquetes/rondes/{wave_id}"
    for action in ("wijzigen", "annuleren"):
        response = client.get(f"{page}/{action}", follow_redirects=True)
        assert "Alleen een geplande ronde kan nog veranderen." in _text(response.text)
        response = post_form(client, page, _wave_form(app), f"{page}/{action}")
        assert response.status_code == 303
    wave = _wave(app, wave_id)
    assert wave.status == "open" and wave.recurrence_months is None
    text = _text(client.get(page).text)
    assert "Wijzigen" not in text and "Ronde annuleren" not in text


def test_cancel_asks_first_then_deletes_the_planned_wave(
    app: Flask, client: FlaskClient, logged_in, make_wave, staff_template: int
) -> None:
    wave_id = make_wave(recurrence_months=3)
    logged_in("ambassadeur")
    page = f"/enquetes/rondes/{wave_id}/annuleren"
    text = _text(client.get(page).text)
    assert "Ja, ronde annuleren" in text and "geen volgende ronde meer" in text
    assert _wave(app, wave_id).status == "draft"
    response = post_form(client, page, {})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/enquetes/sjablonen/{staff_template}"
    with app.app_context():
        assert db.session.get(SurveyWave, wave_id) is None
    assert "De geplande ronde is geannuleerd." in _text(
        client.get(response.headers["Location"]).text
    )
    assert [event["object_id"] for event in _audit(app, "survey_wave.cancelled")] == [str(wave_id)]
    assert client.get(page).status_code == 404


def test_stop_recurrence_asks_first_and_is_offered_only_while_there_is_one(
    app: Flask, client: FlaskClient, logged_in, make_wave
) -> None:
    wave_id = make_wave(status="open", recurrence_months=3)
    logged_in("beheerder")
    page = f"/enquetes/rondes/{wave_id}"
    assert "Herhaling stoppen" in _text(client.get(page).text)
    confirm = _text(client.get(f"{page}/herhaling-stoppen").text)
    assert "Ja, herhaling stoppen" in confirm and "gaat gewoon door" in confirm
    assert _wave(app, wave_id).recurrence_months == 3
    response = post_form(client, f"{page}/herhaling-stoppen", {})
    assert response.status_code == 303
    assert _wave(app, wave_id).recurrence_months is None
    text = _text(client.get(page).text)
    assert "De herhaling is gestopt." in text and "Herhaling stoppen" not in text
    assert client.get(f"{page}/herhaling-stoppen").status_code == 303
    assert len(_audit(app, "survey_wave.recurrence_stopped")) == 1


def test_a_closed_wave_links_to_its_planned_successor(
    app: Flask, client: FlaskClient, logged_in, make_wave
) -> None:
    pytest.importorskip("participatie.surveys.queries")
    wave_id = make_wave(status="open", recurrence_months=3)
    with app.app_context():
        wave = db.session.get_one(SurveyWave, wave_id)
        operations.close_wave(None, wave)
        following = operations.plan_next_wave(wave)
        assert following is not None
        db.session.commit()
        following_id = following.id
    logged_in("ambassadeur")
    html = client.get(f"/enquetes/rondes/{wave_id}").text
    assert "De volgende ronde is al gepland:" in _text(html)
    assert f'href="/enquetes/rondes/{following_id}"' in html
    assert "herhaling-stoppen" not in html
    response = client.get(f"/enquetes/rondes/{wave_id}/herhaling-stoppen", follow_redirects=True)
    assert "Stop de herhaling bij die ronde" in _text(response.text)
    assert _wave(app, following_id).recurrence_months == 3


def test_create_wave_with_a_pinned_version(
    app: Flask, client: FlaskClient, logged_in, staff_template: int
) -> None:
    _freeze(app, staff_template)
    logged_in("ambassadeur")
    question = _question_id(app, staff_template, "grade")
    post_form(
        client,
        f"/enquetes/vragen/{question}/bewerken",
        {"code": "grade", "kind": "grade", "text_nl": "Welk cijfer geef je?", "is_required": "y"},
    )
    form = _text(client.get(f"/enquetes/sjablonen/{staff_template}/ronde").text)
    assert "Altijd versie 1" in form and "Altijd versie 2 (nog niet gebruikt)" in form
    response = post_form(
        client, f"/enquetes/sjablonen/{staff_template}/ronde", _wave_form(app, version="1")
    )
    assert response.status_code == 303
    with app.app_context():
        wave = db.session.scalars(select(SurveyWave)).one()
        assert wave.version_pinned and wave.version.number == 1
    response = post_form(
        client, f"/enquetes/sjablonen/{staff_template}/ronde", _wave_form(app, version="7")
    )
    assert response.status_code == 400
    assert "Kies uit de mogelijkheden" in _text(response.text)


def test_archive_is_refused_while_a_wave_is_planned_then_archives_and_restores(
    app: Flask, client: FlaskClient, logged_in, make_wave, staff_template: int
) -> None:
    planned = make_wave(opens_on=_today(app) + timedelta(days=3))
    running = make_wave(status="open", recurrence_months=3)
    account = logged_in("ambassadeur")
    page = f"/enquetes/sjablonen/{staff_template}/archiveren"
    html = client.get(page).text
    assert "Dit kan nu niet." in _text(html) and f"/enquetes/rondes/{planned}" in html
    assert "Ja, archiveren" not in html
    post_form(client, f"/enquetes/sjablonen/{staff_template}", {}, page)
    with app.app_context():
        assert not db.session.get_one(SurveyTemplate, staff_template).is_archived
    post_form(client, f"/enquetes/rondes/{planned}", {}, f"/enquetes/rondes/{planned}/annuleren")
    text = _text(client.get(page).text)
    assert "Ronde 2 is open" in text and "De herhaling stopt" in text
    response = post_form(client, page, {})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get_one(SurveyTemplate, staff_template).is_archived
    assert _wave(app, running).recurrence_months is None
    [event] = _audit(app, "survey_template.archived")
    assert event["actor"] == account.id and event["stopped"] == [running]
    # Archived: apart in the overview, no new waves.
    overview = _text(client.get("/enquetes/").text)
    assert "Gearchiveerde vragenlijsten" in overview
    template_page = _text(client.get(f"/enquetes/sjablonen/{staff_template}").text)
    assert "Deze vragenlijst is gearchiveerd." in template_page
    assert "Nieuwe ronde plannen" not in template_page
    response = client.get(f"/enquetes/sjablonen/{staff_template}/ronde", follow_redirects=True)
    assert "Zet haar eerst terug" in _text(response.text)
    response = post_form(
        client,
        f"/enquetes/sjablonen/{staff_template}",
        _wave_form(app),
        f"/enquetes/sjablonen/{staff_template}/ronde",
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyWave)) == 1
    response = post_form(
        client,
        f"/enquetes/sjablonen/{staff_template}",
        {},
        f"/enquetes/sjablonen/{staff_template}/terugzetten",
    )
    assert response.status_code == 303
    with app.app_context():
        assert not db.session.get_one(SurveyTemplate, staff_template).is_archived
    assert len(_audit(app, "survey_template.restored")) == 1
    assert "Nieuwe ronde plannen" in _text(client.get(f"/enquetes/sjablonen/{staff_template}").text)


def test_at_night_opening_waits_with_the_invitations_and_reminding_is_refused(
    app: Flask, client: FlaskClient, logged_in, make_wave, create_participant, smtp
) -> None:
    from participatie import clock

    create_participant(email="ja@example.org")
    draft = make_wave(invite_pool=True)
    opened = make_wave(invite_pool=True, status="open")
    assert len(smtp.wait_for(1)) == 1
    smtp.clear()
    logged_in("ambassadeur")
    app.config.update(SURVEY_MAIL_FROM_HOUR=9, SURVEY_MAIL_UNTIL_HOUR=20)
    with app.app_context():
        night = datetime.combine(operations.today(), time(23, 30), tzinfo=_AMSTERDAM)
    # TOTP codes and the session use the real time; only the mail window looks at the clock.
    with clock.frozen_at(night):
        page = f"/enquetes/rondes/{draft}"
        response = post_form(client, page, {}, f"{page}/openen", follow_redirects=True)
        text = _text(response.text)
        assert "De uitnodigingen gaan overdag weg, vanaf 9:00 uur." in text
        assert "De uitnodigingen gaan vanzelf weg" in text
        assert not _wave(app, draft).invitations_sent
        page = f"/enquetes/rondes/{opened}"
        response = post_form(client, page, {}, f"{page}/herinneren", follow_redirects=True)
        assert "alleen overdag weg, van 9:00 tot 20:00 uur" in _text(response.text)
    assert _wave(app, opened).reminders_sent == 0
    assert smtp.wait_for(1, timeout=0.3) == []


# --- small numbers (DESIGN invariant 2) -----------------------------------------------------------

_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"


class _Visible(HTMLParser):
    """The text a person sees on a page (no tags, attributes, title or scripts)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("title", "script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _numbers(text: str) -> set[int]:
    """The numbers in a text, leaving out dates, times of day and addresses (the open link)."""
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(rf"\b\d{{1,2}} (?:{_MONTHS})(?: \d{{4}})?", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\b\d{1,2}:\d{2}\b", " ", text)
    return {int(number) for number in re.findall(r"\d+", text)}


def _without_the_wave(text: str, wave: SurveyWave) -> str:
    """What differs between two waves for no reason of their answers: number, key, addresses."""
    text = text.replace(wave.public_key, "KEY")
    text = re.sub(r"https?://\S+", "LINK", text)
    return re.sub(r"\b([Rr]onde) \d+", r"\1 N", text)


def _answer_by_invitation(app: Flask, wave_id: int, people: int, *, skip: int = 0) -> None:
    """`people` invited people send the survey with their own link (held until a batch)."""
    with app.app_context():
        invitations = db.session.scalars(
            select(SurveyInvitation)
            .where(SurveyInvitation.wave_id == wave_id)
            .order_by(SurveyInvitation.id)
        ).all()[skip : skip + people]
        assert len(invitations) == people
        for invitation in invitations:
            token = operations.invitation_token(invitation)
            operations.submit(wave_id, {"grade": "7"}, "nl", invitation_token=token)
        db.session.commit()


def _answer_by_open_link(app: Flask, wave_id: int, people: int) -> None:
    with app.app_context():
        for _person in range(people):
            operations.submit(wave_id, {"grade": "7"}, "nl")
        db.session.commit()


def _results_row(client: FlaskClient, wave_id: int) -> str:
    """The visible cells of a wave's row in the results overview, except its number."""
    html = client.get("/enquetes/resultaten/").text
    row = re.search(
        rf"<tr>(?:(?!</tr>).)*/enquetes/resultaten/rondes/{wave_id}\"(?:(?!</tr>).)*</tr>",
        html,
        re.DOTALL,
    )
    assert row is not None
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(0), re.DOTALL)
    return " | ".join(_visible(cell) for index, cell in enumerate(cells) if index != 1)


def _staff_sees(
    app: Flask, client: FlaskClient, smtp: Any, ambassador: str, wave_id: int
) -> list[str]:
    """Everything staff see of a wave while it runs and when it closes: the wave page, the
    close page, reminding, closing, the wave page after it, the results overview and the
    closing mail; each as visible text, without what differs between any two waves."""
    wave = _wave(app, wave_id)
    page = f"/enquetes/rondes/{wave_id}"
    seen = [client.get(page).text, client.get(f"{page}/sluiten").text]
    seen.append(post_form(client, page, {}, f"{page}/herinneren", follow_redirects=True).text)
    smtp.clear()
    seen.append(post_form(client, f"{page}/sluiten", {}, follow_redirects=True).text)
    seen.append(client.get(page).text)
    texts = [_visible(html) for html in seen]
    texts.append(_results_row(client, wave_id))
    mails = [mail for mail in smtp.wait_for(1) if mail["To"] == ambassador]
    assert len(mails) == 1
    texts.append(f"{mails[0]['Subject']} {smtp.text_of(mails[0])}")
    return [_without_the_wave(text, wave) for text in texts]


def test_a_wave_with_four_responses_looks_like_a_wave_without_any_on_every_staff_page(
    app: Flask,
    client: FlaskClient,
    logged_in,
    make_wave,
    create_participant,
    smtp,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Four of twelve invited people answer (k = 10): their number shows nowhere — not as
    responses, held answers or invitations used, not through the eight people a reminder
    goes to, not when the wave closes, in its mail, audit trail or log."""
    for number in range(12):
        create_participant(email=f"deelnemer{number}@example.org")
    busy = make_wave(invite_pool=True, status="open")
    empty = make_wave(invite_pool=True, status="open")
    smtp.wait_for(24)
    _answer_by_invitation(app, busy, 4)
    ambassador = logged_in("ambassadeur").email
    client.get("/enquetes/")  # takes the "logged in" message, which only the first page shows
    caplog.set_level(logging.INFO, logger="participatie.surveys.operations")
    with app.app_context():
        assert operations.pending_count(busy) == 4  # the answers are there, held
    busy_seen = _staff_sees(app, client, smtp, ambassador, busy)
    empty_seen = _staff_sees(app, client, smtp, ambassador, empty)
    with app.app_context():
        assert operations.response_count(busy) == 4  # released at closing
    for busy_text, empty_text in zip(busy_seen, empty_seen, strict=True):
        assert 4 not in _numbers(busy_text) and 8 not in _numbers(busy_text), busy_text
        assert busy_text == empty_text
    assert "Uitnodigingen gebruikt minder dan 10" in busy_seen[0]
    assert "Antwoorden vrijgegeven minder dan 10" in busy_seen[0]
    assert "De ronde is gesloten met minder dan 10 antwoorden." in busy_seen[3]
    with app.app_context():
        closed = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "survey_wave.closed")
        ).all()
        assert [event.details["responses"] for event in closed] == [None, None]
    logged = [
        record.getMessage()
        for record in caplog.records
        if "closed with" in record.msg or "batch of" in record.msg
    ]
    assert logged and all("fewer than k" in line for line in logged), logged


def _participation(text: str) -> str:
    """The part of a wave page about how far the wave is."""
    return text[text.index("Deelname") : text.index("Antwoorden komen pas vrij")]


def test_wave_page_shows_released_responses_and_invitations_used_in_steps_of_k(
    app: Flask, client: FlaskClient, logged_in, make_wave, create_participant, smtp
) -> None:
    """Thirteen invited people answer and are released; three more and three through the open
    link wait. The page shows the 13 released and "10 or more" invitations used — not the 16
    used, the 6 held, the 19 in all, nor the 4 invited who did not answer. After closing: the
    19, as on the results page; the 3 through the open link stay hidden (19 minus 10-19 used)."""
    for number in range(20):
        create_participant(email=f"deelnemer{number}@example.org")
    wave_id = make_wave(invite_pool=True, open_link=True, status="open")
    smtp.wait_for(20)
    _answer_by_invitation(app, wave_id, 13)
    with app.app_context():
        assert operations.release_due() == 13
        db.session.commit()
    _answer_by_invitation(app, wave_id, 3, skip=13)
    _answer_by_open_link(app, wave_id, 3)
    logged_in("ambassadeur")
    page = f"/enquetes/rondes/{wave_id}"
    text = _participation(_visible(client.get(page).text))
    assert "Uitgenodigd 20" in text
    assert "Uitnodigingen gebruikt 10 of meer" in text
    assert "Antwoorden vrijgegeven 13" in text
    assert not {16, 6, 19, 4, 3} & _numbers(text), text
    closing = _visible(client.get(f"{page}/sluiten").text)
    assert not {16, 6, 19, 4, 3} & _numbers(closing), closing
    closed = _visible(post_form(client, f"{page}/sluiten", {}, follow_redirects=True).text)
    assert "De ronde is gesloten met 19 antwoorden." in closed
    text = _participation(closed)
    assert "Antwoorden vrijgegeven 19" in text and "Uitnodigingen gebruikt 10 of meer" in text
    assert not {16, 4, 3} & _numbers(text), text
