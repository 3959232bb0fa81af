"""How far a questionnaire is translated: which of its Dutch texts a language still lacks.

Dutch is required, every other language optional: a respondent sees the Dutch text wherever a
translation is missing (per text, marked as Dutch). Ambassadors see per language how many texts
are missing before a wave offers it, so a wave is not opened in a language that shows mostly
Dutch by accident.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..i18n import has_interface
from . import answering
from .models import LocalisedText, SurveyTemplate, SurveyVersion


@dataclass(frozen=True)
class Coverage:
    language: str
    missing: int
    total: int

    @property
    def complete(self) -> bool:
        return self.missing == 0

    @property
    def empty(self) -> bool:
        """Nothing at all is in this language: every text would be Dutch."""
        return self.total > 0 and self.missing == self.total


def texts_of(template: SurveyTemplate, version: SurveyVersion | None) -> Iterator[LocalisedText]:
    """Every text a respondent may read, as typed: the template's and the version's."""
    yield template.title or {}
    yield template.description or {}
    yield template.feedback_text or {}
    for section in version.sections if version is not None else ():
        yield section.title or {}
        yield section.intro or {}
        for question in section.questions:
            yield question.text or {}
            yield question.help or {}
            for option in question.options or ():
                yield option.get("label") or {}


def used_answer_keys(version: SurveyVersion | None) -> list[str]:
    """The keys of the worded fixed answers (agreement, yes/no) the version asks."""
    kinds = {question.kind for question in version.questions} if version is not None else set()
    return [
        answering.answer_label_key(kind, value)
        for kind, options in answering.WORDED_OPTIONS.items()
        if kind in kinds
        for value, _label in options
    ]


def coverage(template: SurveyTemplate, version: SurveyVersion | None, language: str) -> Coverage:
    """How many texts with Dutch have none in `language`. In a language the app has no
    translation of, the worded fixed answers count too (they fall back to the interface's)."""
    missing = total = 0
    for texts in texts_of(template, version):
        if texts.get("nl"):
            total += 1
            missing += not texts.get(language)
    if not has_interface(language):
        labels = template.answer_labels or {}
        for key in used_answer_keys(version):
            total += 1
            missing += not labels.get(key, {}).get(language)
    return Coverage(language, missing, total)


def coverages(
    template: SurveyTemplate, version: SurveyVersion | None, languages: list[str]
) -> dict[str, Coverage]:
    return {
        language: coverage(template, version, language)
        for language in languages
        if language != "nl"
    }
