"""Reading survey results for staff.

Only released responses are read (`survey_responses`, `survey_answers`); the holding area is never
touched, so a wave that is still open shows what has been released so far. Every figure goes
through `results.py`, which hides small numbers (DESIGN invariant 2) — also the counts on the
staff wave page (`participation`) and the theme counts the theme pages add up (`theme_respondents`).
"""

from __future__ import annotations

import enum
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..db import db
from . import answering
from .models import (
    QuestionKind,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyVersion,
    SurveyWave,
    WaveStatus,
)
from .results import (
    AGREEMENT,
    GRADE,
    YESNO,
    Figures,
    GroupResult,
    OptionSpec,
    Publication,
    QuestionResult,
    QuestionSpec,
    Response,
    figures_of,
    group_result,
    in_steps,
    publish,
    shown_count,
    shown_counts,
)

FILTER_KINDS = frozenset(
    {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YESNO, QuestionKind.AGREEMENT}
)


def k_threshold() -> int:
    return int(current_app.config["K_THRESHOLD"])


# --- themes of open answers ------------------------------------------------------------------


def theme_respondents(wave_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Per wave, the number of released responses whose open answers mention each theme. A theme
    merged into another counts under its target (themes/operations.merge_theme), as on every
    theme page: one figure per wave and theme, never a merged theme beside its target, whose
    difference would be the respondents who mention only one of them. Raw: not protected."""
    from ..themes.queries import merge_map

    if not wave_ids:
        return {}
    mapping = merge_map()
    rows = db.session.execute(
        select(SurveyResponse.wave_id, SurveyAnswer.response_id, SurveyAnswer.themes)
        .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.wave_id.in_(list(wave_ids)), SurveyAnswer.text.is_not(None))
    )
    responses: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for wave_id, response_id, themes in rows:
        for theme in themes or []:
            slug = theme.get("slug") if isinstance(theme, dict) else None
            if slug:
                responses[wave_id][mapping.get(str(slug), str(slug))].add(response_id)
    return {
        wave_id: {slug: len(ids) for slug, ids in per_theme.items()}
        for wave_id, per_theme in responses.items()
    }


def open_answer_themes(wave_id: int) -> list[tuple[str, int]]:
    """Theme slugs of the wave's open answers with the number of responses that mention them,
    most frequent first; only themes mentioned in at least k responses."""
    k = k_threshold()
    counted = [
        (slug, count)
        for slug, count in theme_respondents([wave_id]).get(wave_id, {}).items()
        if count >= k
    ]
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


@dataclass(frozen=True)
class Participation:
    """How far a wave is, as the staff wave page shows it. Figures about respondents follow
    DESIGN invariant 2: None means fewer than k, and looks the same as none."""

    k: int
    invited: int  # invitations sent: the pool side, not a group of respondents
    used: int | None  # invitations used, in steps of k (results.in_steps)
    responses: int | None  # released responses, from k on


def participation(wave: SurveyWave) -> Participation:
    """What staff need to follow a wave without seeing when anyone answered.

    The responses shown are the released ones: while the wave is open they grow in batches of
    at least k, so they show when a batch was full, never when one person answered. How many
    answers wait in the holding area is not shown at all: that number moves with each person
    who sends, and next to the released count it would tell how many answered since the last
    release. Invitations used move one person at a time too, so they are shown in steps of k;
    that also keeps the number who answered through the open link (responses minus
    invitations used) from being worked out when it is small."""
    k = k_threshold()

    def count(*where: object) -> int:
        return db.session.scalar(select(func.count()).where(*where)) or 0

    return Participation(
        k=k,
        invited=count(SurveyInvitation.wave_id == wave.id),
        used=in_steps(count(SurveyInvitation.wave_id == wave.id, SurveyInvitation.is_used), k),
        responses=shown_count(count(SurveyResponse.wave_id == wave.id), k),
    )


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


def figures(wave_id: int) -> Figures:
    """Raw counts of the wave's released responses: the wave's size and, per closed question,
    the number of responses per answer value."""
    return figures_of(closed_responses(wave_id))


def _value(choice: str | None, number: int | None) -> str | None:
    return choice if choice is not None else (str(number) if number is not None else None)


def closed_responses(wave_id: int) -> list[Response]:
    """The closed answers of each released response of the wave, without its id: per question
    id the values given. Filtered groups are counted from these (in memory: one query)."""
    ids = db.session.scalars(select(SurveyResponse.id).where(SurveyResponse.wave_id == wave_id))
    per_response: dict[str, dict[int, list[str]]] = {response_id: {} for response_id in ids}
    rows = db.session.execute(
        select(
            SurveyAnswer.response_id,
            SurveyAnswer.question_id,
            SurveyAnswer.choice,
            SurveyAnswer.number,
        )
        .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.wave_id == wave_id, SurveyAnswer.text.is_(None))
    )
    for response_id, question_id, choice, number in rows:
        value = _value(choice, number)
        if value is not None and response_id in per_response:
            per_response[response_id].setdefault(question_id, []).append(value)
    return [
        {question_id: tuple(values) for question_id, values in answers.items()}
        for answers in per_response.values()
    ]


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


def filter_choices(
    version: SurveyVersion, allowed: dict[int, tuple[str, ...]], locale: str
) -> list[tuple[str, list[FilterChoice]]]:
    """The background answers whose group may be shown, per question: the filter form's options.
    Answers whose group (or whose rest of the wave) is too small are left out."""
    choices = []
    for question in filter_questions(version):
        values = allowed.get(question.id, ())
        options = [
            FilterChoice(f"{question.code}:{option.value}", option.label)
            for option in answering.options_for(question, locale)
            if option.value in values
        ]
        if options:
            choices.append((question.label(locale), options))
    return choices


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
    choices: list[tuple[str, list[FilterChoice]]] = field(default_factory=list)
    themes: list[tuple[str, str, int]] = field(default_factory=list)  # slug, label, count

    @property
    def is_filtered(self) -> bool:
        return self.filter_state == FilterState.APPLIED

    @property
    def enough(self) -> bool:
        return self.shown.enough and self.filter_state != FilterState.REFUSED


def wave_publication(
    wave: SurveyWave, locale: str
) -> tuple[list[tuple[str, list[QuestionSpec]]], Publication]:
    """The closed questions per section, and the protected figures of the whole wave and of
    every group its background questions can filter on — computed together, because a reader
    can put all of them side by side (results.py)."""
    sections = closed_sections(wave.version, locale)
    specs = [spec for _, questions in sections for spec in questions]
    filters = [question_spec(q, locale) for q in filter_questions(wave.version)]
    return sections, publish(specs, filters, closed_responses(wave.id), k_threshold())


def wave_report(wave: SurveyWave, raw_filter: str | None, locale: str) -> WaveReport:
    """The protected figures of a wave, filtered on one background answer when asked (and safe)."""
    k = k_threshold()
    sections, publication = wave_publication(wave, locale)
    whole = publication.whole
    state, question, value = parse_filter(wave.version, raw_filter)
    shown, label, key = whole, "", ""
    if state == FilterState.APPLIED and question is not None:
        key = f"{question.code}:{value}"
        options = {option.value: option.label for option in answering.options_for(question, locale)}
        label = f"{question.label(locale)}: {options.get(value, value)}"
        group = publication.group(question.id, value)
        if group is None or not group.enough:
            state = FilterState.REFUSED
            group = group_result([s for _, qs in sections for s in qs], Figures(0), k)
        shown = group
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
        choices=filter_choices(wave.version, dict(publication.filters), locale),
    )
    if whole.enough and state != FilterState.APPLIED:
        report.themes = wave_themes(wave.id, whole.size or 0, locale)
    return report


def wave_themes(wave_id: int, size: int, locale: str) -> list[tuple[str, str, int]]:
    """Themes of the open answers with the number of responses that mention them, as shown:
    at least k, and the responses without it none or at least k too."""
    labels = theme_labels(locale)
    return [
        (slug, labels.get(slug, slug), count)
        for slug, count in shown_counts(open_answer_themes(wave_id), size, k_threshold())
    ]


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


def open_answers(wave: SurveyWave, locale: str) -> list[OpenQuestion]:
    """The stored (scrubbed at release) open answers per text question, of the whole wave only.

    Each question's answers come in an order of their own, drawn anew for every call: in a
    shared order (by response id, say) one person's answers would stand at the same place in
    every list. Never per filtered group: quotes that show up under several filters would
    profile their author. The caller decides who may see them and checks the wave is large
    enough."""
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
        .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
        .where(
            SurveyResponse.wave_id == wave.id,
            SurveyAnswer.question_id.in_([q.id for q in questions]),
            SurveyAnswer.text.is_not(None),
        )
    )
    per_question: dict[int, list[OpenAnswer]] = defaultdict(list)
    for question_id, text, themes, sentiment in rows:
        slugs = tuple(
            str(theme["slug"])
            for theme in themes or []
            if isinstance(theme, dict) and "slug" in theme
        )
        per_question[question_id].append(OpenAnswer(text or "", slugs, sentiment))
    shuffle = secrets.SystemRandom().shuffle
    for answers in per_question.values():
        shuffle(answers)
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


# --- the summary mail at closing ------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The key figure of one closed question, taken from the whole wave's protected results."""

    question: str
    kind: str
    percent: int | None = None  # agreement: (fully) agree; yes/no: yes; otherwise the top answer
    option: str = ""  # single and multiple choice: that top answer
    mean: Decimal | None = None  # grade


@dataclass(frozen=True)
class Bottleneck:
    label: str
    headlines: list[Headline]


@dataclass(frozen=True)
class ClosingSummary:
    responses: int | None  # None: fewer than k, and then nothing else either
    bottlenecks: list[Bottleneck]
    themes: list[tuple[str, int]]  # theme name, responses that mention it


def headline(result: QuestionResult) -> Headline:
    question = result.question
    if question.kind == AGREEMENT:
        return Headline(question.label, question.kind, percent=result.agree_percent)
    if question.kind == YESNO:
        yes = result.cell("yes")
        return Headline(question.label, question.kind, percent=yes.percent if yes else None)
    if question.kind == GRADE:
        return Headline(question.label, question.kind, mean=result.mean)
    shown = [cell for cell in result.cells if cell.percent is not None]
    if not shown:
        return Headline(question.label, question.kind)
    top = max(shown, key=lambda cell: cell.percent or 0)  # the first among equals
    return Headline(question.label, question.kind, percent=top.percent, option=top.label)


def closing_summary(wave: SurveyWave, locale: str = "nl", themes: int = 5) -> ClosingSummary:
    """What the mail at closing tells the ambassadors: the number of responses, the key figure
    of each question per bottleneck (theme of the codebook) and the themes mentioned most in
    the open answers — all exactly as the results page shows them, so with the same
    small-number protection. Nothing at all below k responses."""
    with force_locale(locale):
        specs = [
            spec for _, questions in closed_sections(wave.version, locale) for spec in questions
        ]
        whole = group_result(specs, figures(wave.id), k_threshold())
        if whole.size is None:
            return ClosingSummary(None, [], [])
        labels = theme_labels(locale)
        per_theme: dict[str, list[Headline]] = {}
        for question in wave.version.questions:
            result = whole.question(question.id) if question.theme_slug else None
            if result is not None and question.theme_slug:
                per_theme.setdefault(question.theme_slug, []).append(headline(result))
        return ClosingSummary(
            whole.size,
            [Bottleneck(labels.get(slug, slug), lines) for slug, lines in per_theme.items()],
            [(label, count) for _slug, label, count in wave_themes(wave.id, whole.size, locale)][
                :themes
            ],
        )
