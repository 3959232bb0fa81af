"""Building questionnaires: a template's texts, and the sections and questions of its versions.

A version that a wave opened with is frozen: released answers point at its questions. Every change
to sections and questions goes through `operations.editable_version`, so a change to a frozen
version starts a new version (a copy) for later waves and leaves the frozen one as it was. The
staff pages show the latest version and link to its sections and questions by id; when that
version is frozen, the change is made to the counterpart in the fresh copy — the section at the
same place, the question with the same code (codes are unique within a version).

Conditions ("show only when an earlier question has one of these answers") must point at an
earlier question with fixed answers (single, multiple, yes/no) and use values that question
allows. A change that would break a condition that held before is refused with a `BuilderError`
before anything is changed.

The template's own texts (title, description, feedback) are not versioned: they are the same for
every wave, so editing them never starts a new version.

Texts are typed per language: Dutch (required) with the rest of the question, every other
language of the template (optional) on its own, beside the Dutch (`translate_*`). A missing
translation falls back to Dutch per text. Changing one language never touches another.

Operations flush; the caller commits. Logs and audit details hold ids, codes and positions only.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from ..audit.operations import record
from ..auth.models import User
from ..db import db
from ..i18n import in_order
from . import answering, operations
from .models import (
    CONDITION_KINDS,
    LocalisedText,
    QuestionKind,
    SurveyAudience,
    SurveyQuestion,
    SurveySection,
    SurveyTemplate,
    SurveyVersion,
    SurveyWave,
    WaveStatus,
)

log = logging.getLogger(__name__)

CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,79}$")
VALUE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
UP, DOWN = "up", "down"


class BuilderError(ValueError):
    """A change that cannot be made. `reason` is one of:

    * ``stale`` — the section or question is not in the template's latest version (an old page);
    * ``code_taken`` — another question in the version has this code;
    * ``condition_invalid`` — the question's own condition does not point at an earlier question
      with fixed answers, or uses values that question does not allow;
    * ``condition_in_use`` — other questions (`codes`) have a condition on what would change or go;
    * ``condition_order`` — after moving, a question (`codes`) would come before the question its
      condition points at;
    * ``planned_waves`` — a template with planned waves cannot be archived;
    * ``language_unknown`` — a translation into Dutch (typed with the question itself) or into a
      language the template does not have.
    """

    def __init__(self, reason: str, codes: Iterable[str] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.codes = tuple(codes)


@dataclass(frozen=True)
class QuestionData:
    """Everything a staff member sets on a question."""

    code: str
    kind: str
    text: LocalisedText
    is_required: bool = True
    help: LocalisedText = field(default_factory=dict)
    options: list[dict[str, Any]] = field(default_factory=list)
    theme_slug: str | None = None
    is_background: bool = False
    condition_code: str | None = None
    condition_values: list[str] = field(default_factory=list)


# --- checking conditions on a proposed order ----------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    code: str
    kind: str
    allowed: frozenset[str]
    condition_code: str | None
    condition_values: tuple[str, ...]


def _allowed(kind: str, options: list[dict[str, Any]]) -> frozenset[str]:
    # A transient question, never added to the session: allowed_values reads kind and options.
    return frozenset(answering.allowed_values(SurveyQuestion(kind=kind, options=options)))


def _entry(question: SurveyQuestion) -> _Entry:
    return _Entry(
        question.code,
        question.kind,
        _allowed(question.kind, question.options),
        question.condition_code,
        tuple(question.condition_values or ()),
    )


def _entry_from(data: QuestionData) -> _Entry:
    return _Entry(
        data.code,
        data.kind,
        _allowed(data.kind, data.options),
        data.condition_code or None,
        tuple(data.condition_values),
    )


def _broken(entries: Sequence[_Entry]) -> set[str]:
    """Codes of questions whose condition does not hold in this order."""
    seen: dict[str, _Entry] = {}
    broken: set[str] = set()
    for entry in entries:
        if entry.condition_code:
            source = seen.get(entry.condition_code)
            if (
                source is None
                or source.kind not in CONDITION_KINDS
                or not entry.condition_values
                or not set(entry.condition_values) <= source.allowed
            ):
                broken.add(entry.code)
        seen[entry.code] = entry
    return broken


def _check(
    version: SurveyVersion, proposed: Sequence[_Entry], changed: str | None, reason: str
) -> None:
    """Refuse when the proposed order breaks a condition that holds now. A condition that was
    broken already (old data) does not block unrelated changes."""
    before = _broken([_entry(question) for question in version.questions])
    newly = _broken(proposed) - before
    if changed is not None and changed in newly:
        raise BuilderError("condition_invalid", [changed])
    if newly:
        raise BuilderError(reason, sorted(newly))


# --- finding what to change -----------------------------------------------------------------------


def _editable_section(actor: User | None, section: SurveySection) -> SurveySection:
    template = section.version.template
    if section.version is not template.latest_version:
        raise BuilderError("stale")
    version = operations.editable_version(actor, template)
    if version is section.version:
        return section
    return version.sections[section.version.sections.index(section)]


def _editable_question(actor: User | None, question: SurveyQuestion) -> SurveyQuestion:
    section = _editable_section(actor, question.section)
    if section is question.section:
        return question
    return next(q for q in section.questions if q.code == question.code)


def _renumber(items: Sequence[SurveySection] | Sequence[SurveyQuestion]) -> None:
    for position, item in enumerate(items):
        item.position = position


def merge_texts(old: Mapping[str, str] | None, new: Mapping[str, str]) -> LocalisedText:
    """`new` (the languages the form edits) over `old`; other languages stay, empty ones go."""
    merged = {lang: text for lang, text in (old or {}).items() if lang not in new}
    merged.update({lang: text for lang, text in new.items() if text})
    return merged


def _merge_option_labels(
    old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Keep labels in languages the form does not edit, for options whose value stays."""
    before = {str(option.get("value")): option.get("label") or {} for option in old}
    merged = []
    for option in new:
        label = merge_texts(before.get(str(option["value"])), option["label"])
        merged.append({"value": option["value"], "label": label})
    return merged


def _audit(actor: User | None, action: str, version: SurveyVersion, **details: Any) -> None:
    record(actor, action, "survey_template", version.template_id, version=version.number, **details)


# --- templates ------------------------------------------------------------------------------------


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].rstrip("-") or "vragenlijst"


def _free_slug(title: str) -> str:
    base = slugify(title)
    taken = set(
        db.session.scalars(select(SurveyTemplate.slug).where(SurveyTemplate.slug.startswith(base)))
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def create_template(
    actor: User | None,
    *,
    title: Mapping[str, str],
    audience: str,
    languages: Sequence[str] = ("nl", "en"),
) -> SurveyTemplate:
    """An empty template (one version without sections), its slug made from the Dutch title."""
    template = operations.create_template(
        {
            "slug": _free_slug(title.get("nl", "")),
            "audience": SurveyAudience(audience).value,
            "title": merge_texts({}, title),
            "languages": list(languages),
            "sections": [],
        }
    )
    record(actor, "survey_template.created", "survey_template", template.id)
    return template


def update_template(
    actor: User | None,
    template: SurveyTemplate,
    *,
    title: Mapping[str, str],
    description: Mapping[str, str],
    feedback_text: Mapping[str, str],
    audience: str,
    estimated_minutes: int,
    languages: Sequence[str] | None = None,
) -> None:
    """Change the template's texts; they are not versioned (see the module docstring).

    `languages` are the languages it is written in; a language taken off keeps its texts
    (nothing typed is lost), and waves that already offer it go on offering it."""
    template.title = merge_texts(template.title, title)
    template.description = merge_texts(template.description, description)
    template.feedback_text = merge_texts(template.feedback_text, feedback_text)
    template.audience = SurveyAudience(audience).value
    template.estimated_minutes = estimated_minutes
    if languages is not None:
        template.languages = in_order(languages)
    db.session.flush()
    record(
        actor,
        "survey_template.updated",
        "survey_template",
        template.id,
        languages=list(template.languages),
    )
    log.info("survey template %s: texts changed", template.id)


def _translatable(template: SurveyTemplate, language: str) -> None:
    if language == "nl" or language not in template.languages:
        raise BuilderError("language_unknown")


def translate_template(
    actor: User | None,
    template: SurveyTemplate,
    language: str,
    *,
    title: str,
    description: str,
    feedback_text: str,
    answer_labels: Mapping[str, str] | None = None,
) -> None:
    """The template's texts in one of its other languages (empty: falls back to Dutch), and
    its fixed answers (agreement, yes/no; keys as in `answering.answer_label_key`) in it.

    Raises BuilderError("language_unknown")."""
    _translatable(template, language)
    template.title = merge_texts(template.title, {language: title})
    template.description = merge_texts(template.description, {language: description})
    template.feedback_text = merge_texts(template.feedback_text, {language: feedback_text})
    if answer_labels is not None:
        labels = {key: dict(texts) for key, texts in (template.answer_labels or {}).items()}
        for key, text in answer_labels.items():
            labels[key] = merge_texts(labels.get(key), {language: text})
        template.answer_labels = {key: texts for key, texts in labels.items() if texts}
    db.session.flush()
    record(actor, "survey_template.translated", "survey_template", template.id, language=language)
    log.info("survey template %s: texts in %s changed", template.id, language)


def planned_waves(template: SurveyTemplate) -> list[SurveyWave]:
    return list(
        db.session.scalars(
            select(SurveyWave)
            .where(
                SurveyWave.template_id == template.id,
                SurveyWave.status == WaveStatus.DRAFT.value,
            )
            .order_by(SurveyWave.number)
        )
    )


def archive_template(actor: User | None, template: SurveyTemplate) -> list[int]:
    """Put a template away: it gets no new waves, and no recurring wave of it plans another.
    An open wave runs until its last day; answers and results stay. Returns the ids of the waves
    whose recurrence stopped.

    Raises BuilderError("planned_waves") while a wave of it is planned: the ambassador cancels
    those first, so nothing opens from an archived template."""
    if planned_waves(template):
        raise BuilderError("planned_waves")
    recurring = list(
        db.session.scalars(
            select(SurveyWave.id).where(
                SurveyWave.template_id == template.id,
                SurveyWave.recurrence_months.is_not(None),
                SurveyWave.next_wave_planned.is_(False),
            )
        )
    )
    if recurring:
        db.session.execute(
            update(SurveyWave)
            .where(SurveyWave.id.in_(recurring))
            .values(recurrence_months=None)
            .execution_options(synchronize_session="fetch")
        )
    template.is_archived = True
    db.session.flush()
    record(actor, "survey_template.archived", "survey_template", template.id, stopped=recurring)
    log.info("survey template %s archived, recurrence stopped for %s", template.id, recurring)
    return recurring


def restore_template(actor: User | None, template: SurveyTemplate) -> None:
    """Take a template out of the archive: waves can be planned again (recurrence stays off)."""
    template.is_archived = False
    db.session.flush()
    record(actor, "survey_template.restored", "survey_template", template.id)
    log.info("survey template %s restored", template.id)


# --- sections -------------------------------------------------------------------------------------


def add_section(
    actor: User | None,
    template: SurveyTemplate,
    *,
    title: Mapping[str, str],
    intro: Mapping[str, str],
) -> SurveySection:
    """A new section at the end of the editable version."""
    version = operations.editable_version(actor, template)
    section = SurveySection(
        position=len(version.sections), title=merge_texts({}, title), intro=merge_texts({}, intro)
    )
    version.sections.append(section)
    db.session.flush()
    _audit(actor, "survey_section.added", version, position=section.position)
    log.info("survey template %s: section added to version %s", template.id, version.number)
    return section


def update_section(
    actor: User | None,
    section: SurveySection,
    *,
    title: Mapping[str, str],
    intro: Mapping[str, str],
) -> SurveySection:
    """Change a section's title and introduction. Raises BuilderError("stale")."""
    target = _editable_section(actor, section)
    target.title = merge_texts(target.title, title)
    target.intro = merge_texts(target.intro, intro)
    db.session.flush()
    _audit(actor, "survey_section.updated", target.version, position=target.position)
    log.info("survey template %s: section changed", target.version.template_id)
    return target


def translate_section(
    actor: User | None, section: SurveySection, language: str, *, title: str, intro: str
) -> SurveySection:
    """A section's title and introduction in one of the template's other languages.

    Raises BuilderError("language_unknown") or ("stale")."""
    _translatable(section.version.template, language)
    target = _editable_section(actor, section)
    target.title = merge_texts(target.title, {language: title})
    target.intro = merge_texts(target.intro, {language: intro})
    db.session.flush()
    _audit(
        actor,
        "survey_section.translated",
        target.version,
        position=target.position,
        language=language,
    )
    log.info("survey template %s: section in %s changed", target.version.template_id, language)
    return target


def move_section(actor: User | None, section: SurveySection, direction: str) -> SurveySection:
    """Move a section one place up or down (at the edge: nothing changes).

    Raises BuilderError("condition_order") when a question would then come before the question
    its condition points at, and ("stale") for an old page."""
    version = section.version
    if section.version is not version.template.latest_version:
        raise BuilderError("stale")
    index = version.sections.index(section)
    other = index - 1 if direction == UP else index + 1
    if direction not in (UP, DOWN) or not 0 <= other < len(version.sections):
        return section
    order = list(version.sections)
    order[index], order[other] = order[other], order[index]
    proposed = [_entry(q) for s in order for q in s.questions]
    _check(version, proposed, None, "condition_order")
    target = _editable_section(actor, section)
    sections = list(target.version.sections)
    sections[index], sections[other] = sections[other], sections[index]
    _renumber(sections)
    db.session.flush()
    db.session.expire(target.version, ["sections"])
    _audit(actor, "survey_section.moved", target.version, position=target.position)
    log.info("survey template %s: section moved %s", target.version.template_id, direction)
    return target


def delete_section(actor: User | None, section: SurveySection) -> SurveyVersion:
    """Delete a section and its questions.

    Raises BuilderError("condition_in_use") when a question elsewhere has a condition on one of
    its questions, and ("stale") for an old page."""
    version = section.version
    if section.version is not version.template.latest_version:
        raise BuilderError("stale")
    proposed = [_entry(q) for s in version.sections if s is not section for q in s.questions]
    _check(version, proposed, None, "condition_in_use")
    target = _editable_section(actor, section)
    version = target.version
    position = target.position
    version.sections.remove(target)
    _renumber(version.sections)
    db.session.flush()
    _audit(actor, "survey_section.deleted", version, position=position)
    log.info("survey template %s: section deleted", version.template_id)
    return version


# --- questions ------------------------------------------------------------------------------------


def _apply(question: SurveyQuestion, data: QuestionData) -> None:
    question.code = data.code
    question.kind = QuestionKind(data.kind).value
    question.is_required = data.is_required
    question.text = merge_texts(question.text, data.text)
    question.help = merge_texts(question.help, data.help)
    question.options = (
        _merge_option_labels(question.options or [], data.options)
        if data.kind in CHOICE_KINDS
        else []
    )
    question.theme_slug = data.theme_slug or None
    question.is_background = data.is_background
    question.condition_code = data.condition_code or None
    question.condition_values = list(data.condition_values) if data.condition_code else []


def add_question(actor: User | None, section: SurveySection, data: QuestionData) -> SurveyQuestion:
    """A new question at the end of a section.

    Raises BuilderError("code_taken"), ("condition_invalid") or ("stale")."""
    version = section.version
    if section.version is not version.template.latest_version:
        raise BuilderError("stale")
    if any(q.code == data.code for q in version.questions):
        raise BuilderError("code_taken", [data.code])
    proposed = []
    for each in version.sections:
        proposed += [_entry(q) for q in each.questions]
        if each is section:
            proposed.append(_entry_from(data))
    _check(version, proposed, data.code, "condition_invalid")
    target = _editable_section(actor, section)
    question = SurveyQuestion(position=len(target.questions), code=data.code, kind=data.kind)
    _apply(question, data)
    target.questions.append(question)
    db.session.flush()
    _audit(actor, "survey_question.added", target.version, code=question.code)
    log.info(
        "survey template %s: question %s added to version %s",
        target.version.template_id,
        question.code,
        target.version.number,
    )
    return question


def update_question(
    actor: User | None, question: SurveyQuestion, data: QuestionData
) -> SurveyQuestion:
    """Change a question. A new code is also changed in the conditions that point at it.

    Raises BuilderError("code_taken"), ("condition_invalid"), ("condition_in_use") when other
    questions' conditions would no longer fit its kind or options, or ("stale")."""
    version = question.section.version
    if question.section.version is not version.template.latest_version:
        raise BuilderError("stale")
    old_code = question.code
    if data.code != old_code and any(q.code == data.code for q in version.questions):
        raise BuilderError("code_taken", [data.code])

    def renamed(entry: _Entry) -> _Entry:
        if entry.condition_code != old_code:
            return entry
        return _Entry(entry.code, entry.kind, entry.allowed, data.code, entry.condition_values)

    proposed = [
        _entry_from(data) if q is question else renamed(_entry(q)) for q in version.questions
    ]
    _check(version, proposed, data.code, "condition_in_use")
    target = _editable_question(actor, question)
    if data.code != old_code:
        for other in target.section.version.questions:
            if other.condition_code == old_code:
                other.condition_code = data.code
    _apply(target, data)
    db.session.flush()
    _audit(actor, "survey_question.updated", target.section.version, code=target.code)
    log.info(
        "survey template %s: question %s changed in version %s",
        target.section.version.template_id,
        target.code,
        target.section.version.number,
    )
    return target


def translate_question(
    actor: User | None,
    question: SurveyQuestion,
    language: str,
    *,
    text: str,
    help: str,
    option_labels: Mapping[str, str],
) -> SurveyQuestion:
    """A question's texts in one of the template's other languages: the question, its help
    and the labels of its options (by option value; an empty one falls back to Dutch, one not
    given stays as it was).
    Nothing else of the question changes, so no condition can break.

    Raises BuilderError("language_unknown") or ("stale")."""
    version = question.section.version
    if version is not version.template.latest_version:
        raise BuilderError("stale")
    _translatable(version.template, language)
    target = _editable_question(actor, question)
    target.text = merge_texts(target.text, {language: text})
    target.help = merge_texts(target.help, {language: help})
    # By value, not by place: an option added or moved meanwhile keeps what it had.
    target.options = [
        {
            **option,
            "label": merge_texts(
                option.get("label"), {language: option_labels[str(option["value"])]}
            ),
        }
        if str(option["value"]) in option_labels
        else option
        for option in target.options or []
    ]
    db.session.flush()
    _audit(
        actor,
        "survey_question.translated",
        target.section.version,
        code=target.code,
        language=language,
    )
    log.info(
        "survey template %s: question %s in %s changed",
        target.section.version.template_id,
        target.code,
        language,
    )
    return target


def _moved(
    sections: Sequence[SurveySection], question: SurveyQuestion, direction: str
) -> list[list[SurveyQuestion]] | None:
    """The questions per section after the move, or None when it cannot move that way. At the
    edge of a section a question goes to the end of the previous or the start of the next."""
    layout = [list(section.questions) for section in sections]
    s = next(i for i, section in enumerate(sections) if question in section.questions)
    q = layout[s].index(question)
    if direction == UP:
        if q > 0:
            layout[s][q - 1], layout[s][q] = layout[s][q], layout[s][q - 1]
        elif s > 0:
            layout[s].pop(q)
            layout[s - 1].append(question)
        else:
            return None
    elif direction == DOWN:
        if q < len(layout[s]) - 1:
            layout[s][q + 1], layout[s][q] = layout[s][q], layout[s][q + 1]
        elif s < len(sections) - 1:
            layout[s].pop(q)
            layout[s + 1].insert(0, question)
        else:
            return None
    else:
        return None
    return layout


def move_question(actor: User | None, question: SurveyQuestion, direction: str) -> SurveyQuestion:
    """Move a question one place up or down; past the edge of its section it goes into the
    neighbouring section. At the very start or end nothing changes.

    Raises BuilderError("condition_order") or ("stale")."""
    version = question.section.version
    if question.section.version is not version.template.latest_version:
        raise BuilderError("stale")
    layout = _moved(version.sections, question, direction)
    if layout is None:
        return question
    _check(version, [_entry(q) for qs in layout for q in qs], None, "condition_order")
    target = _editable_question(actor, question)
    sections = list(target.section.version.sections)
    layout = _moved(sections, target, direction)
    if layout is None:  # pragma: no cover - the copy has the same shape as the original
        return target
    for section, questions in zip(sections, layout, strict=True):
        for position, each in enumerate(questions):
            each.position = position
            if each.section is not section:
                each.section = section
    db.session.flush()
    for section in sections:
        db.session.expire(section, ["questions"])
    _audit(actor, "survey_question.moved", target.section.version, code=target.code)
    log.info(
        "survey template %s: question %s moved %s",
        target.section.version.template_id,
        target.code,
        direction,
    )
    return target


def delete_question(actor: User | None, question: SurveyQuestion) -> SurveyVersion:
    """Delete a question.

    Raises BuilderError("condition_in_use") with the codes of the questions whose condition
    points at it — change or delete those first — and ("stale")."""
    version = question.section.version
    if question.section.version is not version.template.latest_version:
        raise BuilderError("stale")
    proposed = [_entry(q) for q in version.questions if q is not question]
    _check(version, proposed, None, "condition_in_use")
    target = _editable_question(actor, question)
    section, code = target.section, target.code
    section.questions.remove(target)
    _renumber(section.questions)
    db.session.flush()
    _audit(actor, "survey_question.deleted", section.version, code=code)
    log.info("survey template %s: question %s deleted", section.version.template_id, code)
    return section.version


def dependants(question: SurveyQuestion) -> list[SurveyQuestion]:
    """The questions in the same version whose condition points at this one."""
    return [q for q in question.section.version.questions if q.condition_code == question.code]
