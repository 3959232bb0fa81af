"""Survey fixtures: a small template that has every kind of question, and open waves of it."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from participatie.db import db
from participatie.surveys import operations
from participatie.surveys.models import SurveyTemplate, SurveyWave


def _t(nl: str, en: str = "") -> dict[str, str]:
    return {"nl": nl, "en": en} if en else {"nl": nl}


SMALL_SPEC: dict[str, Any] = {
    "slug": "klein",
    "audience": "parents",
    "estimated_minutes": 3,
    "title": _t("Korte vragenlijst", "Short questionnaire"),
    "description": _t("Over uw ervaring.", "About your experience."),
    "feedback_text": _t("Dit deden we met eerdere antwoorden.", "What we did with answers."),
    "sections": [
        {
            "title": _t("Over u", "About you"),
            "questions": [
                {
                    "code": "role",
                    "kind": "single",
                    "text": _t("Wie bent u?", "Who are you?"),
                    "background": True,
                    "options": [
                        {"value": "parent", "label": _t("Ouder", "Parent")},
                        {"value": "foster", "label": _t("Pleegouder", "Foster parent")},
                        {"value": "other", "label": _t("Anders", "Other")},
                    ],
                },
                {
                    "code": "organisations",
                    "kind": "multiple",
                    "text": _t("Met wie had u contact?", "Who were you in touch with?"),
                    "background": True,
                    "options": [
                        {"value": "veilig-thuis", "label": _t("Veilig Thuis")},
                        {"value": "swa", "label": _t("Wijkteam", "Neighbourhood team")},
                    ],
                },
            ],
        },
        {
            "title": _t("Uw ervaring", "Your experience"),
            "questions": [
                {
                    "code": "knows_responsible",
                    "kind": "agreement",
                    "text": _t("Ik weet wie verantwoordelijk is.", "I know who is responsible."),
                    "theme": "roles",
                },
                {
                    "code": "veilig_thuis_clear",
                    "kind": "yesno",
                    "text": _t("Legde Veilig Thuis goed uit wat er ging gebeuren?"),
                    "theme": "information",
                    "condition": {"code": "organisations", "values": ["veilig-thuis"]},
                },
                {
                    "code": "overall_grade",
                    "kind": "grade",
                    "text": _t("Welk cijfer geeft u?", "Which grade do you give?"),
                },
            ],
        },
        {
            "title": _t("Tot slot", "Finally"),
            "questions": [
                {
                    "code": "should_change",
                    "kind": "long_text",
                    "required": False,
                    "text": _t("Wat moet er beter?", "What should change?"),
                },
                {
                    "code": "nickname",
                    "kind": "short_text",
                    "required": False,
                    "text": _t("Een kort woord?", "A short word?"),
                },
            ],
        },
    ],
}


# A questionnaire with Arabic and Polish beside the Dutch, translated in part: every missing
# text must fall back to Dutch, text by text. (The shipped templates stay Dutch and English:
# these translations are for testing only.)
MULTILINGUAL_SPEC: dict[str, Any] = {
    "slug": "meertalig",
    "audience": "parents",
    "estimated_minutes": 2,
    "languages": ["nl", "en", "ar", "pl"],
    "title": {"nl": "Uw ervaring", "ar": "تجربتك", "pl": "Twoje doświadczenie"},
    "description": {"nl": "Over de hulp die u kreeg.", "ar": "عن المساعدة التي حصلت عليها."},
    "feedback_text": {"nl": "We belden vaker terug.", "pl": "Częściej oddzwanialiśmy."},
    "answer_labels": {"yesno:yes": {"ar": "نعم"}, "yesno:no": {"ar": "لا"}},
    "sections": [
        {
            "title": {"nl": "Over u", "ar": "عنك", "pl": "O tobie"},
            "intro": {"nl": "Eerst een paar vragen over u."},
            "questions": [
                {
                    "code": "role",
                    "kind": "single",
                    "text": {"nl": "Wie bent u?", "ar": "من أنت؟", "pl": "Kim jesteś?"},
                    "help": {"nl": "Kies wat het best past."},
                    "options": [
                        {"value": "parent", "label": {"nl": "Ouder", "ar": "والد", "pl": "Rodzic"}},
                        {"value": "other", "label": {"nl": "Iemand anders"}},
                    ],
                },
                {
                    "code": "helped",
                    "kind": "yesno",
                    "text": {"nl": "Kreeg u hulp?", "ar": "هل حصلت على مساعدة؟"},
                },
            ],
        },
        {
            "title": {"nl": "Tot slot", "ar": "أخيرا"},
            "questions": [
                {
                    "code": "clear",
                    "kind": "agreement",
                    "text": {"nl": "Het was duidelijk.", "ar": "كان الأمر واضحا."},
                },
                {
                    "code": "change",
                    "kind": "long_text",
                    "required": False,
                    "text": {"nl": "Wat moet er beter?"},
                },
            ],
        },
    ],
}


def small_answers(**changes: Any) -> dict[str, Any]:
    """A complete, valid response to SMALL_SPEC."""
    answers: dict[str, Any] = {
        "role": "parent",
        "organisations": ["swa"],
        "knows_responsible": "4",
        "overall_grade": "7",
        "should_change": "Vaker terugbellen.",
    }
    answers.update(changes)
    return {code: value for code, value in answers.items() if value is not None}


def as_form(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers as the form fields a page posts."""
    return {f"a-{code}": value for code, value in answers.items()}


@pytest.fixture
def small_template(app: Flask) -> int:
    with app.app_context():
        template = operations.create_template(copy.deepcopy(SMALL_SPEC))
        db.session.commit()
        return template.id


@pytest.fixture
def open_wave(app: Flask, small_template: int) -> Callable[..., SurveyWave]:
    """Create and open a wave of the small template; returns it detached (ids and key usable)."""

    def factory(*, open_link: bool = True, invite_pool: bool = False, days: int = 14) -> SurveyWave:
        with app.app_context():
            template = db.session.get_one(SurveyTemplate, small_template)
            today = operations.today()
            wave = operations.create_wave(
                None,
                template,
                opens_on=today,
                closes_on=today + timedelta(days=days),
                open_link=open_link,
                invite_pool=invite_pool,
            )
            operations.open_wave(None, wave)
            db.session.commit()
            db.session.refresh(wave)
            db.session.expunge(wave)
            return wave

    return factory


@pytest.fixture
def multilingual_wave(app: Flask) -> Callable[..., SurveyWave]:
    """Create and open a wave of MULTILINGUAL_SPEC offering `languages`; returns it detached."""

    created = iter(range(1, 1000))

    def factory(languages: tuple[str, ...] = ("nl", "ar", "pl")) -> SurveyWave:
        with app.app_context():
            spec = copy.deepcopy(MULTILINGUAL_SPEC)
            spec["slug"] += f"-{next(created)}"
            template = operations.create_template(spec)
            today = operations.today()
            wave = operations.create_wave(
                None,
                template,
                opens_on=today,
                closes_on=today + timedelta(days=14),
                open_link=True,
                invite_pool=False,
                languages=list(languages),
            )
            operations.open_wave(None, wave)
            db.session.commit()
            db.session.refresh(wave)
            db.session.expunge(wave)
            return wave

    return factory


class Respondent:
    """Clicks through a survey the way a browser without JavaScript does: every page posts all
    the fields the previous page rendered, hidden ones included."""

    def __init__(self, client: FlaskClient, wave: SurveyWave, start_url: str | None = None) -> None:
        self.client = client
        self.url = f"/enquete/{wave.public_key}"
        page = client.get(start_url or self.url)
        assert page.status_code == 200, page.text
        self.html = page.text
        self.status = page.status_code
        self.cookies_set = page.headers.getlist("Set-Cookie")
        self.fields = self._form_fields(page.text)

    @staticmethod
    def _form_fields(html: str) -> dict[str, Any]:
        # The survey form; it carries no CSRF token (surveys/views.py says why).
        match = re.search(r'<form[^>]*id="survey-form"[^>]*>(.*?)</form>', html, re.S)
        form = match.group(1) if match else ""
        fields: dict[str, Any] = {}
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
            if name in fields:
                existing = fields[name]
                fields[name] = (existing if isinstance(existing, list) else [existing]) + [value]
            else:
                fields[name] = value
        for tag in re.findall(r"<input[^>]*>", form):
            if ("checked" in tag) and 'type="hidden"' not in tag:
                name = re.search(r'name="([^"]+)"', tag).group(1)  # type: ignore[union-attr]
                value = re.search(r'value="([^"]*)"', tag).group(1)  # type: ignore[union-attr]
                if 'type="checkbox"' in tag:
                    fields.setdefault(name, [])
                    fields[name].append(value)
                else:
                    fields[name] = value
            elif 'type="text"' in tag and 'name="a-' in tag:
                name = re.search(r'name="([^"]+)"', tag).group(1)  # type: ignore[union-attr]
                value = re.search(r'value="([^"]*)"', tag)
                fields[name] = value.group(1) if value else ""
        for name, value in re.findall(
            r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S
        ):
            fields[name] = value
        return fields

    def press(self, go: str, **answers: Any) -> Respondent:
        data = {key: value for key, value in self.fields.items() if key != "go"}
        for code in answers:
            data.pop(f"a-{code}", None)
        data.update(as_form({k: v for k, v in answers.items() if v is not None}))
        data["go"] = go
        response = self.client.post(self.url, data=data)
        self.status = response.status_code
        self.html = response.text
        self.location = response.headers.get("Location")
        self.cookies_set = response.headers.getlist("Set-Cookie")
        if response.status_code in (200, 422):
            self.fields = self._form_fields(response.text)
        return self

    @property
    def heading(self) -> str:
        match = re.search(r"<h1>(.*?)</h1>", self.html, re.S)
        return match.group(1).strip() if match else ""
