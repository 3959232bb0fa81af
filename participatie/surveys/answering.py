"""What a respondent may answer: fixed scales, conditions, and checking answers against a version.

Answers travel as a plain dict `{question code: value}`: a string for single choice, agreement,
yes/no, grade and text; a list of strings for multiple choice. The same dict is carried in the
pages' hidden fields, saved in a draft and put in the holding area, and every path checks it here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l

from .models import QuestionKind, SurveyQuestion, SurveySection, SurveyVersion, localised

if TYPE_CHECKING:
    from . import snapshots

    # Everything here takes a version as stored (the builder, a preview) or its frozen snapshot.
    Question = SurveyQuestion | snapshots.Question
    Section = SurveySection | snapshots.Section
    Version = SurveyVersion | snapshots.Version

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
# What is kept of a text that is too long, to show it again with the error: the respondent
# shortens it, nothing is cut without them seeing it. Far above every limit, and still bounded.
KEEP_LENGTH = 20_000
FIELD_PREFIX = "a-"

Answers = dict[str, Any]


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    lang: str | None = None  # the label's language when it is not the page's (a fallback)


def text_language(texts: Mapping[str, str] | None, locale: str) -> str:
    """The language `localised(texts, locale)` really is in: `locale`, or Dutch when the text
    has no translation and falls back (marked with lang="nl" on the page, WCAG 3.1.2)."""
    if locale != "nl" and texts and not texts.get(locale) and texts.get("nl"):
        return "nl"
    return locale


# The fixed answers that have words, by kind: the app translates them into its interface
# languages; a template can give them in its other languages (`SurveyTemplate.answer_labels`,
# keyed "kind:value"). Grades are numbers and need no words.
WORDED_OPTIONS = {QuestionKind.AGREEMENT: AGREEMENT_OPTIONS, QuestionKind.YESNO: YESNO_OPTIONS}


def answer_label_key(kind: str, value: str) -> str:
    return f"{kind}:{value}"


def options_for(
    question: Question,
    locale: str,
    answer_labels: Mapping[str, Mapping[str, str]] | None = None,
    interface: str | None = None,
) -> list[Option]:
    """The answer options of a closed question, in the respondent's language `locale`.

    A label the ambassador typed falls back to Dutch. A fixed answer (agreement, yes/no) comes
    from the template's `answer_labels` in `locale`, else from the app's translation in
    `interface` (the page's interface language; marked as such when it is not `locale`)."""
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return [
            Option(
                str(option["value"]),
                localised(option.get("label"), locale),
                "nl" if text_language(option.get("label"), locale) != locale else None,
            )
            for option in question.options
        ]
    if kind == QuestionKind.GRADE:
        return [Option(value, label) for value, label in GRADE_OPTIONS]
    options = []
    for value, label in WORDED_OPTIONS.get(QuestionKind(kind), ()):
        own = (answer_labels or {}).get(answer_label_key(kind, value), {}).get(locale)
        if own:
            options.append(Option(value, own))
        else:
            fallback = interface if interface and interface != locale else None
            options.append(Option(value, str(label), fallback))
    return options


_FIXED_VALUES = {
    QuestionKind.AGREEMENT: frozenset(value for value, _ in AGREEMENT_OPTIONS),
    QuestionKind.YESNO: frozenset(value for value, _ in YESNO_OPTIONS),
    QuestionKind.GRADE: frozenset(value for value, _ in GRADE_OPTIONS),
}


def allowed_values(question: Question) -> frozenset[str]:
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return frozenset(str(option["value"]) for option in question.options)
    return _FIXED_VALUES.get(question.kind, frozenset())


def is_shown(question: Question, answers: Mapping[str, Any]) -> bool:
    """A conditional question is shown only when the earlier answer is one of the given values
    (this question alone; `shown_codes` also hides what depends on a hidden question)."""
    if not question.condition_code:
        return True
    given = answers.get(question.condition_code)
    chosen = given if isinstance(given, list) else (given,)
    return any(value in question.condition_values for value in chosen)


def shown_codes(version: Version, answers: Mapping[str, Any]) -> frozenset[str]:
    """The codes of every question shown, given the answers, in one pass in question order: a
    conditional question is shown when the question it depends on is shown and its answer is one
    of the given values (conditions always point at an earlier question)."""
    shown: set[str] = set()
    for question in version.questions:
        if not question.condition_code or (
            question.condition_code in shown and is_shown(question, answers)
        ):
            shown.add(question.code)
    return frozenset(shown)


def shown_questions(section: Section, shown: frozenset[str]) -> list[Question]:
    return [question for question in section.questions if question.code in shown]


def shown_sections(version: Version, shown: frozenset[str]) -> list[Section]:
    """Sections with at least one question to show."""
    return [
        section
        for section in version.sections
        if any(question.code in shown for question in section.questions)
    ]


def read_form(version: Version, form: Any) -> Answers:
    """Every answer in a submitted page (visible fields and hidden ones), known questions only,
    cleaned of values that are not allowed. A text over its limit is kept (up to KEEP_LENGTH)
    so the page can show it with the error. Never raises on odd input."""
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
                answers[question.code] = value[:KEEP_LENGTH]
        elif value in allowed_values(question):
            answers[question.code] = value
    return answers


def from_stored(version: Version, stored: Mapping[str, Any] | None) -> Answers:
    """Answers from a draft, checked again as if they came from a form."""

    class _Form(dict[str, Any]):
        def getlist(self, name: str) -> list[Any]:
            value = self.get(name)
            return value if isinstance(value, list) else []

    form = _Form()
    for code, value in (stored or {}).items():
        form[FIELD_PREFIX + str(code)] = value
    return read_form(version, form)


def section_errors(questions: Sequence[Question], answers: Mapping[str, Any]) -> dict[str, str]:
    """Errors per question code for the questions on one page; empty when all is well."""
    errors: dict[str, str] = {}
    for question in questions:
        value = answers.get(question.code)
        limit = MAX_LENGTH.get(question.kind)
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


def complete_errors(version: Version, answers: Mapping[str, Any]) -> dict[str, str]:
    """Errors for every shown question of the whole survey."""
    shown = shown_codes(version, answers)
    return section_errors([q for q in version.questions if q.code in shown], answers)


def keep_shown(version: Version, answers: Mapping[str, Any]) -> Answers:
    """Drop answers to questions that are not shown (a changed earlier answer hid them)."""
    shown = shown_codes(version, answers)
    return {code: value for code, value in answers.items() if code in shown}
