"""Questionnaire texts in more languages: typed beside the Dutch, falling back to Dutch per text,
counted per language before a wave offers it, and previewed as a respondent sees them."""

from __future__ import annotations

import copy
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from participatie.db import db
from participatie.surveys import builder, operations, translations
from participatie.surveys.builder import BuilderError
from participatie.surveys.models import SurveyQuestion, SurveyTemplate, SurveyWave
from tests.conftest import post_form
from tests.surveys.conftest import MULTILINGUAL_SPEC


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html).replace("\xa0", " "))


@pytest.fixture
def multilingual(app: Flask) -> int:
    """MULTILINGUAL_SPEC: Dutch, English, Arabic and Polish, translated in part."""
    with app.app_context():
        template = operations.create_template(copy.deepcopy(MULTILINGUAL_SPEC))
        db.session.commit()
        return template.id


def _template(app: Flask, template_id: int) -> SurveyTemplate:
    template = db.session.get_one(SurveyTemplate, template_id)
    db.session.refresh(template)
    return template


def _question(template: SurveyTemplate, code: str) -> SurveyQuestion:
    return next(q for q in template.latest_version.questions if q.code == code)


def _checked(html: str, value: str) -> bool:
    return bool(re.search(rf'checked[^>]*value="{value}"|value="{value}"[^>]*checked', html))


# --- how far a language is translated -----------------------------------------------------------


def test_coverage_counts_every_dutch_text_a_language_lacks(app: Flask, multilingual: int) -> None:
    with app.app_context():
        template = _template(app, multilingual)
        version = template.latest_version
        # 3 template texts + 2 section titles + 1 intro + 4 questions + 1 help + 2 option
        # labels = 13 Dutch texts; in Arabic also the 6 agreement and 2 yes/no answers.
        arabic = translations.coverage(template, version, "ar")
        assert (arabic.total, arabic.missing) == (21, 5 + 6)  # feedback, intro, help, option,
        # the open question, and the agreement scale; yes and no are there
        polish = translations.coverage(template, version, "pl")
        assert (polish.total, polish.missing) == (21, 21 - 5)
        # English has the app's own words for the fixed answers: only typed texts count.
        english = translations.coverage(template, version, "en")
        assert (english.total, english.missing) == (13, 13) and english.empty
        assert not arabic.complete and not arabic.empty


# --- the operations ------------------------------------------------------------------------------


def test_translating_a_question_changes_only_that_language(app: Flask, multilingual: int) -> None:
    with app.app_context():
        template = _template(app, multilingual)
        role = _question(template, "role")
        builder.translate_question(
            None,
            role,
            "pl",
            text="Kim Pan/Pani jest?",
            help="Wybierz to, co najlepiej pasuje.",
            option_labels={"other": "Ktoś inny", "gone": "ignored: no such option"},
        )
        db.session.commit()
        role = _question(_template(app, multilingual), "role")
        assert role.text == {"nl": "Wie bent u?", "ar": "من أنت؟", "pl": "Kim Pan/Pani jest?"}
        assert role.help == {
            "nl": "Kies wat het best past.",
            "pl": "Wybierz to, co najlepiej pasuje.",
        }
        assert role.options == [
            {"value": "parent", "label": {"nl": "Ouder", "ar": "والد", "pl": "Rodzic"}},
            {"value": "other", "label": {"nl": "Iemand anders", "pl": "Ktoś inny"}},
        ]
        # An empty text takes the translation away: the respondent sees the Dutch again.
        builder.translate_question(None, role, "pl", text="", help="", option_labels={})
        assert "pl" not in role.text and "pl" not in role.help
        assert role.options[1]["label"]["pl"] == "Ktoś inny"  # not given: kept


@pytest.mark.parametrize("language", ["nl", "tr", "xx"])
def test_translating_into_dutch_or_a_language_the_template_lacks_is_refused(
    app: Flask, multilingual: int, language: str
) -> None:
    with app.app_context():
        template = _template(app, multilingual)
        with pytest.raises(BuilderError) as error:
            builder.translate_section(
                None, template.latest_version.sections[0], language, title="x", intro=""
            )
        assert error.value.reason == "language_unknown"
        with pytest.raises(BuilderError):
            builder.translate_template(
                None, template, language, title="x", description="", feedback_text=""
            )


def test_taking_a_language_off_keeps_its_texts(app: Flask, multilingual: int) -> None:
    with app.app_context():
        template = _template(app, multilingual)
        builder.update_template(
            None,
            template,
            title={"nl": "Uw ervaring"},
            description={"nl": "Over de hulp die u kreeg."},
            feedback_text={"nl": "We belden vaker terug."},
            audience="parents",
            estimated_minutes=2,
            languages=["pl", "xx", "nl"],
        )
        assert template.languages == ["nl", "pl"]  # Dutch first, unknown codes dropped
        assert template.title["ar"] == "تجربتك"
        builder.update_template(
            None,
            template,
            title={"nl": "Uw ervaring"},
            description={},
            feedback_text={},
            audience="parents",
            estimated_minutes=2,
            languages=["nl", "ar", "pl"],
        )
        assert template.languages == ["nl", "ar", "pl"] and template.title["ar"] == "تجربتك"


# --- the builder pages ---------------------------------------------------------------------------


def test_builder_round_trip_with_arabic_beside_the_dutch(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    """A new questionnaire with Arabic: the Dutch typed with the questions, the Arabic beside it
    on the same pages (?taal=ar), and a change to the Dutch keeps the Arabic."""
    logged_in("ambassadeur")
    response = post_form(
        client,
        "/enquetes/nieuw",
        {"title_nl": "Ouders aan het woord", "languages": ["ar"], "audience": "parents"},
    )
    assert response.status_code == 303
    template_page = response.headers["Location"]
    template_id = int(template_page.rsplit("/", 1)[1])
    post_form(
        client, f"{template_page}/onderdelen/nieuw", {"title_nl": "Over u", "intro_nl": "Eerst."}
    )
    with app.app_context():
        section_id = _template(app, template_id).latest_version.sections[0].id
    response = post_form(
        client,
        f"/enquetes/onderdelen/{section_id}/vragen/nieuw",
        {
            "code": "role",
            "kind": "single",
            "text_nl": "Wie bent u?",
            "help_nl": "Kies er één.",
            "options": "parent | Ouder\nother | Iemand anders",
            "is_required": "y",
        },
    )
    assert response.status_code == 303
    page = client.get(f"{template_page}?taal=ar").text
    assert "Nog niet vertaald" in _text(page)
    assert re.search(r'href="[^"]*taal=ar"[^>]*aria-current="page">Arabisch', page)
    # Title, section title and intro, question, help and 2 options: no Arabic yet.
    assert "7 teksten nog niet vertaald" in _text(page)
    with app.app_context():
        role_id = _question(_template(app, template_id), "role").id

    texts_page = f"{template_page}/teksten?taal=ar"
    html = client.get(texts_page).text
    assert '<span lang="nl">' not in html  # a Dutch page: the Dutch beside needs no mark
    assert re.search(r'<input[^>]*dir="rtl"[^>]*id="title"[^>]*lang="ar"', html)
    assert "Ouders aan het woord" in html
    assert 'id="answer_0"' not in html  # no agreement or yes/no question yet
    assert post_form(client, texts_page, {"title": "آباء يتحدثون"}).status_code == 303
    section_page = f"/enquetes/onderdelen/{section_id}/bewerken?taal=ar"
    assert post_form(client, section_page, {"title": "عنك", "intro": "أولا."}).status_code == 303
    question_page = f"/enquetes/vragen/{role_id}/bewerken?taal=ar"
    html = client.get(question_page).text
    assert re.search(r'<textarea[^>]*dir="rtl"[^>]*id="text"[^>]*lang="ar"', html)
    assert "Iemand anders" in html and 'name="option-other"' in html
    response = post_form(
        client,
        question_page,
        {"text": "من أنت؟", "help": "", "option-parent": "والد", "option-other": ""},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"{template_page}?taal=ar"

    # The Dutch changes: a new option, a new question text. The Arabic stays where it fits.
    response = post_form(
        client,
        f"/enquetes/vragen/{role_id}/bewerken",
        {
            "code": "role",
            "kind": "single",
            "text_nl": "Wie bent u precies?",
            "options": "parent | Ouder of verzorger\nfoster | Pleegouder\nother | Iemand anders",
            "is_required": "y",
        },
    )
    assert response.status_code == 303, _text(response.text)[:800]
    with app.app_context():
        template = _template(app, template_id)
        assert template.languages == ["nl", "ar"]
        assert template.title == {"nl": "Ouders aan het woord", "ar": "آباء يتحدثون"}
        section = template.latest_version.sections[0]
        assert section.title == {"nl": "Over u", "ar": "عنك"}
        assert section.intro == {"nl": "Eerst.", "ar": "أولا."}
        role = _question(template, "role")
        assert role.text == {"nl": "Wie bent u precies?", "ar": "من أنت؟"}
        assert role.help == {}  # the Dutch help was emptied, and there was no Arabic
        assert role.options == [
            {"value": "parent", "label": {"nl": "Ouder of verzorger", "ar": "والد"}},
            {"value": "foster", "label": {"nl": "Pleegouder"}},
            {"value": "other", "label": {"nl": "Iemand anders"}},
        ]


def test_fixed_answers_are_translated_once_per_template(
    app: Flask, client: FlaskClient, logged_in, multilingual: int
) -> None:
    logged_in("ambassadeur")
    page = f"/enquetes/sjablonen/{multilingual}/teksten?taal=ar"
    html = client.get(page).text
    text = _text(html)
    assert "Vaste antwoorden" in text and "Eens of oneens: antwoord 1" in text
    assert "Ja of nee: antwoord 2" in text and "Nederlands: Helemaal oneens" in text
    assert 'value="نعم"' in html  # yes, as the template has it
    form = {f"answer_{n}": "" for n in range(8)}
    form.update({"title": "تجربتك", "answer_0": "لا أوافق بشدة", "answer_6": "نعم"})
    assert post_form(client, page, form).status_code == 303
    with app.app_context():
        labels = _template(app, multilingual).answer_labels
        assert labels == {"agreement:1": {"ar": "لا أوافق بشدة"}, "yesno:yes": {"ar": "نعم"}}
    # English has the app's own translation: nothing to type there.
    assert "Vaste antwoorden" not in _text(
        client.get(f"/enquetes/sjablonen/{multilingual}/teksten?taal=en").text
    )


def test_a_translation_too_long_comes_back_with_the_error_and_what_was_typed(
    app: Flask, client: FlaskClient, logged_in, multilingual: int
) -> None:
    logged_in("ambassadeur")
    with app.app_context():
        section = _template(app, multilingual).latest_version.sections[0]
    page = f"/enquetes/onderdelen/{section.id}/bewerken?taal=pl"
    response = post_form(client, page, {"title": "x" * 301, "intro": "Najpierw\x00 kilka pytań."})
    assert response.status_code == 400
    assert "Gebruik niet meer dan 300 tekens." in _text(response.text)
    assert "Najpierw kilka pytań." in response.text
    with app.app_context():
        assert _template(app, multilingual).latest_version.sections[0].title["pl"] == "O tobie"


def test_translating_a_frozen_version_makes_a_new_version(
    app: Flask, client: FlaskClient, logged_in, multilingual: int
) -> None:
    with app.app_context():
        _template(app, multilingual).latest_version.is_frozen = True
        db.session.commit()
        helped = _question(_template(app, multilingual), "helped").id
    logged_in("ambassadeur")
    page = f"/enquetes/vragen/{helped}/bewerken?taal=pl"
    assert "in gebruik door een ronde" in _text(client.get(page).text)
    assert post_form(client, page, {"text": "Czy otrzymałeś pomoc?"}).status_code == 303
    with app.app_context():
        template = _template(app, multilingual)
        first, second = template.versions
        assert "pl" not in next(q for q in first.questions if q.code == "helped").text
        assert next(q for q in second.questions if q.code == "helped").text["pl"] == (
            "Czy otrzymałeś pomoc?"
        )


@pytest.mark.parametrize("language", ["xx", "tr", "", "nl", "%00", "ar%22"])
def test_an_unknown_language_in_a_builder_page_shows_the_dutch_form(
    app: Flask, client: FlaskClient, logged_in, multilingual: int, language: str
) -> None:
    """tr is configured, but not one of this template's languages."""
    logged_in("ambassadeur")
    with app.app_context():
        template = _template(app, multilingual)
        section = template.latest_version.sections[0].id
        question = _question(template, "role").id
    for page in (
        f"/enquetes/sjablonen/{multilingual}",
        f"/enquetes/sjablonen/{multilingual}/teksten",
        f"/enquetes/sjablonen/{multilingual}/voorbeeld",
        f"/enquetes/onderdelen/{section}/bewerken",
        f"/enquetes/vragen/{question}/bewerken",
    ):
        response = client.get(f"{page}?taal={language}")
        assert response.status_code == 200, page
        assert "Nog niet vertaald" not in response.text
    response = post_form(
        client, f"/enquetes/onderdelen/{section}/bewerken?taal={language}", {"title": "Zomaar"}
    )
    assert response.status_code == 400 and "Vul een titel in." in _text(response.text)


def test_the_preview_shows_every_language_of_the_template(
    app: Flask, client: FlaskClient, logged_in, multilingual: int
) -> None:
    logged_in("ambassadeur")
    page = f"/enquetes/sjablonen/{multilingual}/voorbeeld"
    dutch = client.get(page).text
    for code, name in (("en", "Engels"), ("ar", "Arabisch"), ("pl", "Pools")):
        assert re.search(rf'href="{page}\?taal={code}">{name}', dutch)
    arabic = client.get(f"{page}?taal=ar").text
    assert '<html lang="nl">' in arabic  # the staff page stays Dutch …
    assert '<div class="survey-preview" lang="ar" dir="rtl">' in arabic  # … the preview not
    assert "<legend>من أنت؟</legend>" in arabic
    assert '<label for="q-role-1" lang="nl" dir="ltr">Iemand anders</label>' in arabic
    assert '<label for="q-helped-0">نعم</label>' in arabic
    assert '<label for="q-clear-0" lang="en" dir="ltr">Strongly disagree</label>' in arabic
    polish = client.get(f"{page}?taal=pl").text
    assert '<div class="survey-preview" lang="pl">' in polish
    assert '<legend><span lang="nl">Kreeg u hulp?</span></legend>' in polish
    assert '<label for="q-helped-0" lang="en">Yes</label>' in polish
    english = client.get(f"{page}?taal=en").text
    assert '<div class="survey-preview" lang="en">' in english
    assert "Strongly disagree</label>" in english


# --- waves ---------------------------------------------------------------------------------------


def _wave_form(app: Flask, **changes: Any) -> dict[str, Any]:
    with app.app_context():
        today = operations.today()
    form: dict[str, Any] = {
        "opens_on": (today + timedelta(days=1)).isoformat(),
        "closes_on": (today + timedelta(days=29)).isoformat(),
        "open_link": "y",
        "languages": ["nl", "ar", "pl"],
        "recurrence": "",
        "version": "latest",
    }
    form.update(changes)
    return form


def test_a_wave_offers_the_template_languages_and_says_what_each_lacks(
    app: Flask, client: FlaskClient, logged_in, multilingual: int
) -> None:
    logged_in("ambassadeur")
    page = f"/enquetes/sjablonen/{multilingual}/ronde"
    html = client.get(page).text
    text = _text(html)
    assert "Arabisch (العربية) – 11 van 21 teksten nog niet vertaald" in text
    assert "Pools (Polski) – 16 van 21 teksten nog niet vertaald" in text
    assert "Engels (English) – 13 van 13 teksten nog niet vertaald" in text
    # Ticked on a new wave: Dutch and the languages with something translated.
    assert _checked(html, "nl") and _checked(html, "ar") and _checked(html, "pl")
    assert not _checked(html, "en")
    assert 'value="tr"' not in html  # configured, but not one of the template's languages
    response = post_form(client, page, _wave_form(app), follow_redirects=True)
    text = _text(response.text)
    assert "De ronde is gepland." in text
    assert "in het Arabisch zijn 11 van de 21 teksten nog niet vertaald" in text
    assert "in het Pools zijn 16 van de 21 teksten nog niet vertaald" in text
    assert "Arabisch (11 van 21 teksten nog niet vertaald)" in text  # on the wave's page
    with app.app_context():
        wave = db.session.scalars(select(SurveyWave)).one()
        assert wave.languages == ["nl", "ar", "pl"]


@pytest.mark.parametrize("languages", [["nl", "tr"], ["xx"], ["ar", "<script>"]])
def test_a_wave_refuses_languages_the_template_does_not_have(
    app: Flask, client: FlaskClient, logged_in, multilingual: int, languages: list[str]
) -> None:
    logged_in("ambassadeur")
    page = f"/enquetes/sjablonen/{multilingual}/ronde"
    response = post_form(client, page, _wave_form(app, languages=languages))
    assert response.status_code == 400
    assert "Kies uit de mogelijkheden op de pagina." in _text(response.text)
    assert "<script>" not in response.text
    with app.app_context():
        assert db.session.scalars(select(SurveyWave)).first() is None


def test_a_planned_wave_keeps_a_language_taken_off_the_template(
    app: Flask, client: FlaskClient, logged_in, multilingual: int
) -> None:
    with app.app_context():
        template = _template(app, multilingual)
        today = operations.today()
        wave = operations.create_wave(
            None, template, opens_on=today, closes_on=today, languages=["nl", "ar"]
        )
        template.languages = ["nl", "pl"]
        db.session.commit()
        wave_id = wave.id
    logged_in("ambassadeur")
    html = client.get(f"/enquetes/rondes/{wave_id}/wijzigen").text
    assert _checked(html, "ar") and not _checked(html, "pl")


# --- results: the same whatever language people answered in -------------------------------------


def test_answers_in_arabic_polish_and_dutch_count_together_in_dutch_results(
    app: Flask, client: FlaskClient, logged_in, multilingual_wave
) -> None:
    """Answers are stored as option values, so the language a respondent chose changes nothing
    in the results or the export: staff read them in Dutch (or English)."""
    from tests.surveys.conftest import Respondent

    wave = multilingual_wave()
    for number in range(12):
        language = ("ar", "pl", "nl")[number % 3]
        person = Respondent(client, wave, start_url=f"/enquete/{wave.public_key}?taal={language}")
        person.press("start").press("next", role="parent", helped="yes")
        person.press("submit", clear="4")
        assert person.status == 303, person.html[:500]
    with app.app_context():
        operations.close_wave(None, db.session.get_one(SurveyWave, wave.id))
        db.session.commit()
    logged_in("ambassadeur")
    page = _text(client.get(f"/enquetes/resultaten/rondes/{wave.id}").text)
    assert "Wie bent u?" in page and "Ouder" in page and "من أنت؟" not in page
    assert "Rodzic" not in page and "والد" not in page
    csv = client.get(f"/enquetes/resultaten/rondes/{wave.id}/export.csv")
    assert csv.status_code == 200
    body = csv.get_data(as_text=True)
    assert "Ouder" in body and "والد" not in body and "Rodzic" not in body
