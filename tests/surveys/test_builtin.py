"""The shipped survey templates: complete in both languages, well formed, and measuring every
bottleneck the rekenkamer found. Structural checks only, so the wording can be improved freely."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from participatie.surveys.builtin import PARENTS, TEMPLATES, YOUNG_PEOPLE

LANGUAGES = ("nl", "en")
KINDS = {"single", "multiple", "agreement", "grade", "yesno", "short_text", "long_text"}
CHOICE_KINDS = {"single", "multiple"}
CLOSED_KINDS = CHOICE_KINDS | {"agreement", "grade", "yesno"}
THEMED_KINDS = {"agreement", "grade", "yesno", "single"}
CONDITION_KINDS = {"single", "multiple", "yesno"}
BOTTLENECKS = (
    "roles",
    "information",
    "being_heard",
    "continuity",
    "timely_care",
    "client_support",
    "cooperation",
    "reporting",
)
KNOWN_THEMES = {*BOTTLENECKS, "expertise", "child_contact"}
OPEN_CODES = ("went_well", "should_change", "tip_for_professionals")
BACKGROUND_CODES = ("role", "age_band", "municipality", "organisations")
QUESTION_KEYS = {
    "code",
    "kind",
    "required",
    "text",
    "help",
    "options",
    "theme",
    "background",
    "condition",
}

by_slug = pytest.mark.parametrize("template", TEMPLATES, ids=lambda template: template["slug"])


def questions(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [question for section in template["sections"] for question in section["questions"]]


def localised_texts(template: dict[str, Any]) -> Iterator[tuple[str, Any, bool]]:
    """Every localised text as (where, value, may be empty)."""
    for field in ("title", "description", "feedback_text"):
        yield field, template[field], False
    for s, section in enumerate(template["sections"]):
        yield f"section {s} title", section["title"], False
        yield f"section {s} intro", section["intro"], True
        for question in section["questions"]:
            code = question["code"]
            yield f"{code} text", question["text"], False
            if question["help"] is not None:
                yield f"{code} help", question["help"], True
            for option in question["options"]:
                yield f"{code} option {option['value']}", option["label"], False


def test_templates_are_one_per_audience() -> None:
    assert TEMPLATES == (PARENTS, YOUNG_PEOPLE)
    assert [template["audience"] for template in TEMPLATES] == ["parents", "young_people"]
    assert len({template["slug"] for template in TEMPLATES}) == len(TEMPLATES)


@by_slug
def test_template_fields(template: dict[str, Any]) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", template["slug"])
    assert isinstance(template["estimated_minutes"], int)
    assert 1 <= template["estimated_minutes"] <= 20
    assert template["sections"]
    for section in template["sections"]:
        assert set(section) == {"title", "intro", "questions"}
        assert section["questions"]
    for question in questions(template):
        assert set(question) == QUESTION_KEYS, question["code"]


@by_slug
def test_every_text_is_in_dutch_and_english(template: dict[str, Any]) -> None:
    for where, texts, may_be_empty in localised_texts(template):
        assert isinstance(texts, dict) and set(texts) == set(LANGUAGES), where
        for language in LANGUAGES:
            assert isinstance(texts[language], str), (where, language)
            if not may_be_empty:
                assert texts[language].strip(), (where, language)
        # An optional text is either there in both languages or in neither.
        assert bool(texts["nl"].strip()) == bool(texts["en"].strip()), where


@by_slug
def test_dutch_form_of_address_is_je_like_the_pages_around_it(template: dict[str, Any]) -> None:
    """Both templates say "je", as the fixed survey pages, the thank-you page and the e-mails do;
    a template that mixes in "u" reads as two voices."""
    dutch = " ".join(texts["nl"] for _, texts, _ in localised_texts(template))
    words = set(re.findall(r"\w+", dutch.lower()))
    assert not words & {"u", "uw"}, sorted(words & {"u", "uw"})
    assert words & {"je", "jij", "jou", "jouw"}


@by_slug
def test_sentences_are_short_for_b1(template: dict[str, Any]) -> None:
    """B1: a question or explanation sentence has at most 20 words."""
    for where, texts, _ in localised_texts(template):
        for sentence in re.split(r"(?<=[.?!:])\s+", texts["nl"]):
            assert len(sentence.split()) <= 20, (where, sentence)


@by_slug
def test_one_question_per_question(template: dict[str, Any]) -> None:
    """No statement asks about two things at once ("… en waarom", "wat ik mag verwachten en wat
    mijn rechten zijn"): an answer to such a question cannot be read."""
    for question in questions(template):
        if question["kind"] in {"agreement", "yesno"}:
            text = question["text"]["nl"]
            assert not re.search(r"\ben (wat|waarom|hoe|wie|wanneer)\b", text), question["code"]


@pytest.mark.parametrize(
    ("theme", "codes"),
    [
        ("roles", {"knows_who_decides", "knows_next_step"}),
        ("continuity", {"reachable", "caseworker_changes"}),
        ("client_support", {"knows_client_support", "knows_legal_help"}),
    ],
)
def test_young_people_are_asked_about_next_steps_reachability_and_legal_help(
    theme: str, codes: set[str]
) -> None:
    closed = {
        question["code"]: question
        for question in questions(YOUNG_PEOPLE)
        if question["kind"] in CLOSED_KINDS
    }
    assert codes <= set(closed)
    for code in codes:
        assert closed[code]["theme"] == theme, code
        assert closed[code]["condition"] is None, code


def test_shared_questions_use_the_same_code_in_both_templates() -> None:
    """The same question for parents and young people has one code, so results can be compared."""
    parents = {question["code"] for question in questions(PARENTS)}
    for code in ("knows_next_step", "reachable", "knows_legal_help", "caseworker_changes"):
        assert code in parents, code


@by_slug
def test_codes_are_unique_snake_case(template: dict[str, Any]) -> None:
    codes = [question["code"] for question in questions(template)]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", code), code


@by_slug
def test_kinds_and_options(template: dict[str, Any]) -> None:
    for question in questions(template):
        assert question["kind"] in KINDS, question["code"]
        assert isinstance(question["required"], bool)
        assert isinstance(question["background"], bool)
        options = question["options"]
        if question["kind"] in CHOICE_KINDS:
            assert len(options) >= 2, question["code"]
            values = [option["value"] for option in options]
            assert len(values) == len(set(values)), question["code"]
            assert all(isinstance(value, str) and value for value in values)
        else:
            assert options == [], question["code"]


@by_slug
def test_conditions_refer_to_earlier_choice_questions(template: dict[str, Any]) -> None:
    earlier: dict[str, dict[str, Any]] = {}
    conditions = 0
    for question in questions(template):
        condition = question["condition"]
        if condition is not None:
            conditions += 1
            assert set(condition) == {"code", "values"}
            source = earlier.get(condition["code"])
            assert source is not None, f"{question['code']}: no earlier {condition['code']}"
            assert source["kind"] in CONDITION_KINDS
            if source["kind"] == "yesno":
                allowed = {"yes", "no"}
            else:
                allowed = {option["value"] for option in source["options"]}
            assert condition["values"], question["code"]
            assert set(condition["values"]) <= allowed, question["code"]
        earlier[question["code"]] = question
    assert conditions >= 1


@by_slug
def test_every_bottleneck_has_a_closed_question(template: dict[str, Any]) -> None:
    measured = {
        question["theme"]
        for question in questions(template)
        if question["kind"] in THEMED_KINDS and not question["background"]
    }
    assert set(BOTTLENECKS) <= measured


@by_slug
def test_themes_are_known_and_only_on_closed_questions(template: dict[str, Any]) -> None:
    for question in questions(template):
        code, theme = question["code"], question["theme"]
        assert theme is None or theme in KNOWN_THEMES, code
        if question["background"] or question["kind"] not in CLOSED_KINDS:
            assert theme is None, code
        elif code != "overall_grade":
            assert theme is not None, code


@by_slug
def test_overall_grade(template: dict[str, Any]) -> None:
    grades = [question for question in questions(template) if question["code"] == "overall_grade"]
    assert len(grades) == 1
    assert grades[0]["kind"] == "grade"
    assert grades[0]["required"] and not grades[0]["background"]


@by_slug
def test_three_optional_open_questions_come_last(template: dict[str, Any]) -> None:
    all_questions = questions(template)
    open_questions = [question for question in all_questions if question["kind"] == "long_text"]
    assert tuple(question["code"] for question in open_questions) == OPEN_CODES
    assert all_questions[-len(OPEN_CODES) :] == open_questions
    for question in open_questions:
        assert question["required"] is False
        assert question["condition"] is None
        # A reminder not to write names, in both languages.
        assert question["help"] and all(question["help"][lang].strip() for lang in LANGUAGES)


@by_slug
def test_closed_questions_are_required(template: dict[str, Any]) -> None:
    for question in questions(template):
        if question["kind"] in CLOSED_KINDS:
            assert question["required"] is True, question["code"]


@by_slug
def test_background_questions(template: dict[str, Any]) -> None:
    background = {
        question["code"]: question for question in questions(template) if question["background"]
    }
    assert set(BACKGROUND_CODES) <= set(background)
    for code, question in background.items():
        assert question["kind"] in CONDITION_KINDS, code
    assert background["organisations"]["kind"] == "multiple"
    for code in ("role", "age_band", "municipality"):
        assert background[code]["kind"] == "single", code
    # The background questions come first, so every later question can depend on them.
    first_section_codes = {question["code"] for question in template["sections"][0]["questions"]}
    assert set(BACKGROUND_CODES) <= first_section_codes
