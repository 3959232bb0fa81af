"""What a respondent may answer: fixed scales, conditions, and checking answers against a version.

Answers travel as a plain dict `{question code: value}`: a string for single choice, agreement,
yes/no, grade and text; a list of strings for multiple choice. The same dict is carried in the
pages' hidden fields, saved in a draft and put in the holding area, and every path checks it here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from .models import QuestionKind, SurveyQuestion, SurveySection, SurveyVersion, localised

NOT_APPLICABLE = "na"
AGREEMENT_OPTIONS = (
    ("1", _l("Helemaal oneens")),
    ("2", _l("Oneens")),
    ("3", _l("Niet eens, niet oneens")),
    ("4", _l("Eens")),
    ("5", _l("Helemaal eens")),
    (NOT_APPLICABLE, _l("Niet van toepassing")),
)
YESNO_OPTIONS = (("yes", _l("Ja")), ("no", _l("Nee")))
GRADE_OPTIONS = tuple((str(grade), str(grade)) for grade in range(1, 11))
MAX_LENGTH = {QuestionKind.SHORT_TEXT: 300, QuestionKind.LONG_TEXT: 4000}
FIELD_PREFIX = "a-"

Answers = dict[str, Any]


@dataclass(frozen=True)
class Option:
    value: str
    label: str


def options_for(question: SurveyQuestion, locale: str) -> list[Option]:
    """The answer options of a closed question, in the respondent's language."""
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return [
            Option(str(option["value"]), localised(option.get("label"), locale))
            for option in question.options
        ]
    fixed = {
        QuestionKind.AGREEMENT: AGREEMENT_OPTIONS,
        QuestionKind.YESNO: YESNO_OPTIONS,
        QuestionKind.GRADE: GRADE_OPTIONS,
    }.get(QuestionKind(kind), ())
    return [Option(value, str(label)) for value, label in fixed]


def allowed_values(question: SurveyQuestion) -> set[str]:
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return {str(option["value"]) for option in question.options}
    if question.kind == QuestionKind.AGREEMENT:
        return {value for value, _ in AGREEMENT_OPTIONS}
    if question.kind == QuestionKind.YESNO:
        return {value for value, _ in YESNO_OPTIONS}
    if question.kind == QuestionKind.GRADE:
        return {value for value, _ in GRADE_OPTIONS}
    return set()


def is_shown(question: SurveyQuestion, answers: Mapping[str, Any]) -> bool:
    """A conditional question is shown only when the earlier answer is one of the given values."""
    if not question.condition_code:
        return True
    given = answers.get(question.condition_code)
    chosen = set(given) if isinstance(given, list) else {given}
    return bool(chosen & set(question.condition_values))


def shown_questions(section: SurveySection, answers: Mapping[str, Any]) -> list[SurveyQuestion]:
    return [question for question in section.questions if is_shown(question, answers)]


def shown_sections(version: SurveyVersion, answers: Mapping[str, Any]) -> list[SurveySection]:
    """Sections with at least one question to show, given the answers so far."""
    return [section for section in version.sections if shown_questions(section, answers)]


def read_form(version: SurveyVersion, form: Any) -> Answers:
    """Every answer in a submitted page (visible fields and hidden ones), known questions only,
    cleaned of values that are not allowed. Never raises on odd input."""
    answers: Answers = {}
    for question in version.questions:
        name = FIELD_PREFIX + question.code
        if question.kind == QuestionKind.MULTIPLE:
            allowed = allowed_values(question)
            chosen = [value for value in form.getlist(name) if value in allowed]
            if chosen:
                answers[question.code] = sorted(set(chosen), key=chosen.index)
            continue
        value = form.get(name, "")
        if not isinstance(value, str):
            continue
        if question.kind in MAX_LENGTH:
            value = value.replace("\x00", "").strip()
            if value:
                answers[question.code] = value[: MAX_LENGTH[QuestionKind(question.kind)] + 1]
        elif value in allowed_values(question):
            answers[question.code] = value
    return answers


def from_stored(version: SurveyVersion, stored: Mapping[str, Any] | None) -> Answers:
    """Answers from a draft, checked again as if they came from a form."""

    class _Form(dict[str, Any]):
        def getlist(self, name: str) -> list[Any]:
            value = self.get(name)
            return value if isinstance(value, list) else []

    form = _Form()
    for code, value in (stored or {}).items():
        form[FIELD_PREFIX + str(code)] = value
    return read_form(version, form)


def section_errors(questions: list[SurveyQuestion], answers: Mapping[str, Any]) -> dict[str, str]:
    """Errors per question code for the questions on one page; empty when all is well."""
    errors: dict[str, str] = {}
    for question in questions:
        value = answers.get(question.code)
        limit = MAX_LENGTH.get(QuestionKind(question.kind))
        if question.is_required and not value:
            if question.kind == QuestionKind.MULTIPLE:
                errors[question.code] = str(_l("Kies minstens één antwoord."))
            elif question.kind in MAX_LENGTH:
                errors[question.code] = str(_l("Vul hier iets in."))
            else:
                errors[question.code] = str(_l("Kies een antwoord."))
        elif limit and isinstance(value, str) and len(value) > limit:
            errors[question.code] = str(
                _l("Gebruik hier niet meer dan %(limit)s tekens.", limit=limit)
            )
    return errors


def complete_errors(version: SurveyVersion, answers: Mapping[str, Any]) -> dict[str, str]:
    """Errors for every shown question of the whole survey."""
    errors: dict[str, str] = {}
    for section in shown_sections(version, answers):
        errors.update(section_errors(shown_questions(section, answers), answers))
    return errors


def keep_shown(version: SurveyVersion, answers: Mapping[str, Any]) -> Answers:
    """Drop answers to questions that are not shown (a changed earlier answer hid them)."""
    kept = dict(answers)
    while True:  # hiding one answer can hide a question that depended on it
        shown = {
            question.code
            for section in shown_sections(version, kept)
            for question in shown_questions(section, kept)
        }
        narrowed = {code: value for code, value in kept.items() if code in shown}
        if narrowed == kept:
            return kept
        kept = narrowed
