"""Reading survey results for staff.

Only released responses are read (`survey_responses`, `survey_answers`); the holding area is never
touched, so a wave that is still open shows what has been released so far. Every figure goes
through `results.py`, which hides small numbers (DESIGN invariant 2).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from ..db import db
from . import answering
from .models import (
    QuestionKind,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    SurveyVersion,
    SurveyWave,
    WaveStatus,
)
from .results import (
    Figures,
    GroupResult,
    OptionSpec,
    QuestionResult,
    QuestionSpec,
    group_result,
    subgroup_allowed,
)

FILTER_KINDS = frozenset(
    {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YESNO, QuestionKind.AGREEMENT}
)

Subgroup = tuple[int, str]  # (background question id, answer value)


def k_threshold() -> int:
    return int(current_app.config["K_THRESHOLD"])


# --- themes of open answers ------------------------------------------------------------------


def open_answer_themes(wave_id: int) -> list[tuple[str, int]]:
    """Theme slugs of the wave's open answers with the number of responses that mention them,
    most frequent first; only themes mentioned in at least k responses."""
    rows = db.session.execute(
        select(SurveyAnswer.response_id, SurveyAnswer.themes)
        .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.wave_id == wave_id, SurveyAnswer.text.is_not(None))
    )
    responses: dict[str, set[str]] = defaultdict(set)
    for response_id, themes in rows:
        for theme in themes or []:
            slug = theme.get("slug") if isinstance(theme, dict) else None
            if slug:
                responses[str(slug)].add(response_id)
    k = k_threshold()
    counted = [(slug, len(ids)) for slug, ids in responses.items() if len(ids) >= k]
    return sorted(counted, key=lambda item: (-item[1], item[0]))


def theme_labels(locale: str) -> dict[str, str]:
    """Readable names of theme slugs: the codebook in the database, the built-in one as fallback."""
    from ..themes.codebook import DEFAULT_THEMES
    from ..themes.models import Theme

    labels = {
        spec.slug: (spec.label_en if locale == "en" and spec.label_en else spec.label_nl)
        for spec in DEFAULT_THEMES
    }
    for theme in db.session.scalars(select(Theme)):
        labels[theme.slug] = theme.label(locale)
    return labels


# --- waves -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaveSummary:
    wave: SurveyWave
    responses: int  # released responses; the page shows it only from k on


def waves_with_counts() -> list[WaveSummary]:
    """Every wave, newest template and wave first, with its number of released responses."""
    counts = dict(
        db.session.execute(
            select(SurveyResponse.wave_id, func.count()).group_by(SurveyResponse.wave_id)
        ).all()
    )
    waves = db.session.scalars(
        select(SurveyWave)
        .options(selectinload(SurveyWave.template))
        .order_by(SurveyWave.template_id.desc(), SurveyWave.number.desc())
    ).all()
    return [WaveSummary(wave, int(counts.get(wave.id, 0))) for wave in waves]


def get_wave(wave_id: int) -> SurveyWave | None:
    return db.session.get(SurveyWave, wave_id)


def has_results(wave: SurveyWave) -> bool:
    """Results only once a wave is closed. Closing releases a last batch that may be smaller than
    k; figures shown before and after it would give that small group away by subtraction."""
    return wave.status == WaveStatus.CLOSED.value


# --- questions and raw counts --------------------------------------------------------------------


def question_spec(question: SurveyQuestion, locale: str) -> QuestionSpec:
    return QuestionSpec(
        id=question.id,
        code=question.code,
        kind=question.kind,
        label=question.label(locale),
        options=tuple(
            OptionSpec(option.value, option.label)
            for option in answering.options_for(question, locale)
        ),
    )


def closed_sections(version: SurveyVersion, locale: str) -> list[tuple[str, list[QuestionSpec]]]:
    """The closed questions per section, in the order of the questionnaire."""
    sections = []
    for section in version.sections:
        specs = [question_spec(q, locale) for q in section.questions if q.is_closed]
        if specs:
            sections.append((section.text("title", locale), specs))
    return sections


def _responses(wave_id: int, subgroup: Subgroup | None) -> Select[Any]:
    query = select(SurveyResponse.id).where(SurveyResponse.wave_id == wave_id)
    if subgroup is not None:
        question_id, value = subgroup
        query = query.where(
            SurveyResponse.id.in_(
                select(SurveyAnswer.response_id).where(
                    SurveyAnswer.question_id == question_id, SurveyAnswer.choice == value
                )
            )
        )
    return query


def figures(wave_id: int, subgroup: Subgroup | None = None) -> Figures:
    """Raw counts of the wave's released responses (or of those with one background answer):
    the group's size and, per closed question, the number of responses per answer value."""
    responses = _responses(wave_id, subgroup)
    size = db.session.scalar(select(func.count()).select_from(responses.subquery())) or 0
    rows = db.session.execute(
        select(SurveyAnswer.question_id, SurveyAnswer.choice, SurveyAnswer.number, func.count())
        .where(SurveyAnswer.response_id.in_(responses), SurveyAnswer.text.is_(None))
        .group_by(SurveyAnswer.question_id, SurveyAnswer.choice, SurveyAnswer.number)
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for question_id, choice, number, count in rows:
        value = choice if choice is not None else (str(number) if number is not None else None)
        if value is not None:
            counts[question_id][value] = counts[question_id].get(value, 0) + int(count)
    return Figures(int(size), dict(counts))


# --- filters on background questions ----------------------------------------------------------


class FilterState(enum.StrEnum):
    NONE = "none"
    APPLIED = "applied"
    REFUSED = "refused"  # the group or the rest of the wave is too small
    INVALID = "invalid"  # not a background question or answer of this wave


@dataclass(frozen=True)
class FilterChoice:
    key: str  # "code:value", as in ?filter=
    label: str


def filter_questions(version: SurveyVersion) -> list[SurveyQuestion]:
    return [q for q in version.questions if q.is_background and q.kind in FILTER_KINDS]


def filter_choices(version: SurveyVersion, locale: str) -> list[tuple[str, list[FilterChoice]]]:
    """Every answer of every background question, per question: the filter form's options."""
    return [
        (
            question.label(locale),
            [
                FilterChoice(f"{question.code}:{option.value}", option.label)
                for option in answering.options_for(question, locale)
            ],
        )
        for question in filter_questions(version)
    ]


def parse_filter(
    version: SurveyVersion, raw: str | None
) -> tuple[FilterState, SurveyQuestion | None, str]:
    """`code:value` from the query string; anything odd is INVALID, never an error."""
    if not raw:
        return FilterState.NONE, None, ""
    code, _, value = raw.partition(":")
    for question in filter_questions(version):
        if question.code == code and value in answering.allowed_values(question):
            return FilterState.APPLIED, question, value
    return FilterState.INVALID, None, ""


# --- one wave's report --------------------------------------------------------------------------


@dataclass
class WaveReport:
    wave: SurveyWave
    k: int
    whole: GroupResult
    shown: GroupResult  # the whole wave, or the filtered group
    sections: list[tuple[str, list[QuestionResult]]]
    filter_state: FilterState
    filter_key: str = ""
    filter_label: str = ""
    subgroup: Subgroup | None = None
    themes: list[tuple[str, str, int]] = field(default_factory=list)  # slug, label, count

    @property
    def is_filtered(self) -> bool:
        return self.filter_state == FilterState.APPLIED

    @property
    def enough(self) -> bool:
        return self.shown.enough and self.filter_state != FilterState.REFUSED


def wave_report(wave: SurveyWave, raw_filter: str | None, locale: str) -> WaveReport:
    """The protected figures of a wave, filtered on one background answer when asked (and safe)."""
    k = k_threshold()
    sections = closed_sections(wave.version, locale)
    specs = [spec for _, questions in sections for spec in questions]
    whole_figures = figures(wave.id)
    whole = group_result(specs, whole_figures, k)
    state, question, value = parse_filter(wave.version, raw_filter)
    shown, subgroup, label, key = whole, None, "", ""
    if state == FilterState.APPLIED and question is not None:
        key = f"{question.code}:{value}"
        options = {option.value: option.label for option in answering.options_for(question, locale)}
        label = f"{question.label(locale)}: {options.get(value, value)}"
        if subgroup_allowed(whole, question.id, value):
            subgroup = (question.id, value)
            shown = group_result(specs, figures(wave.id, subgroup), k, (whole_figures, whole))
        if subgroup is None or not shown.enough:
            state, subgroup = FilterState.REFUSED, None
            shown = group_result(specs, Figures(0), k)
    by_id = {result.question.id: result for result in shown.questions}
    report = WaveReport(
        wave=wave,
        k=k,
        whole=whole,
        shown=shown,
        sections=[(title, [by_id[spec.id] for spec in qs]) for title, qs in sections],
        filter_state=state,
        filter_key=key,
        filter_label=label,
        subgroup=subgroup,
    )
    if whole.enough and state != FilterState.APPLIED:
        labels = theme_labels(locale)
        report.themes = [
            (slug, labels.get(slug, slug), count) for slug, count in open_answer_themes(wave.id)
        ]
    return report


# --- open answers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenAnswer:
    text: str
    themes: tuple[str, ...]
    sentiment: int | None


@dataclass
class OpenQuestion:
    code: str
    label: str
    answers: list[OpenAnswer]


def open_answers(wave: SurveyWave, subgroup: Subgroup | None, locale: str) -> list[OpenQuestion]:
    """The stored (scrubbed at release) open answers per text question, in the random order of
    the response ids. The caller decides who may see them and checks the group is large enough."""
    questions = [q for q in wave.version.questions if q.kind in answering.MAX_LENGTH]
    if not questions:
        return []
    rows = db.session.execute(
        select(
            SurveyAnswer.question_id,
            SurveyAnswer.text,
            SurveyAnswer.themes,
            SurveyAnswer.sentiment,
        )
        .where(
            SurveyAnswer.response_id.in_(_responses(wave.id, subgroup)),
            SurveyAnswer.question_id.in_([q.id for q in questions]),
            SurveyAnswer.text.is_not(None),
        )
        .order_by(SurveyAnswer.response_id)
    )
    per_question: dict[int, list[OpenAnswer]] = defaultdict(list)
    for question_id, text, themes, sentiment in rows:
        slugs = tuple(
            str(theme["slug"])
            for theme in themes or []
            if isinstance(theme, dict) and "slug" in theme
        )
        per_question[question_id].append(OpenAnswer(text or "", slugs, sentiment))
    return [OpenQuestion(q.code, q.label(locale), per_question.get(q.id, [])) for q in questions]


# --- comparison with earlier waves ---------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    wave: SurveyWave
    size: int | None
    result: QuestionResult | None  # None: the question was not asked in that wave


@dataclass(frozen=True)
class ComparisonTable:
    question: QuestionSpec  # as asked in the wave the comparison is made from
    rows: list[ComparisonRow]


def comparable_waves(wave: SurveyWave) -> list[SurveyWave]:
    """The closed waves of the same template, and this one, oldest first."""
    return list(
        db.session.scalars(
            select(SurveyWave)
            .where(
                SurveyWave.template_id == wave.template_id,
                (SurveyWave.status == WaveStatus.CLOSED.value) | (SurveyWave.id == wave.id),
            )
            .order_by(SurveyWave.number)
        )
    )


def comparison(wave: SurveyWave, locale: str) -> list[ComparisonTable]:
    """Per closed question of this wave, its figures in every comparable wave (matched on the
    question code), each wave protected on its own."""
    k = k_threshold()
    per_wave: list[tuple[SurveyWave, dict[str, QuestionSpec], GroupResult]] = []
    for other in comparable_waves(wave):
        specs = [spec for _, qs in closed_sections(other.version, locale) for spec in qs]
        per_wave.append(
            (other, {spec.code: spec for spec in specs}, group_result(specs, figures(other.id), k))
        )
    tables = []
    for _, questions in closed_sections(wave.version, locale):
        for question in questions:
            rows = []
            for other, specs_by_code, result in per_wave:
                spec = specs_by_code.get(question.code)
                same = spec is not None and spec.kind == question.kind
                rows.append(
                    ComparisonRow(
                        other,
                        result.size,
                        result.question(spec.id) if same and spec is not None else None,
                    )
                )
            tables.append(ComparisonTable(question, rows))
    return tables
