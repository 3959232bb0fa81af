"""Reading the codebook, the coded open answers of closed waves, reviews and emerging phrases.

Only answers of *closed* waves with at least k responses are read here (the same rule as the
results pages): an open wave's answers are still arriving, and a small wave is too easy to trace.
Merged themes are mapped to their target when read, so old answers keep the slug they were coded
with and old waves stay comparable. Every number these pages show about respondents follows the
results' small-number protection (DESIGN invariant 2, docs/anonymity.md): the overview adds up the
figures each wave's results page shows, and phrases are suggested from k respondents.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import String, cast, exists, func, or_, select

from ..db import db
from ..surveys.models import (
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    SurveyWave,
    WaveStatus,
)
from .codebook import DEFAULT_THEMES, ThemeSpec
from .models import CoderEvaluation, Theme, ThemeReview

PAGE_SIZE = 25
EMERGING_SAMPLE = 2000  # the newest open answers the phrase suggestions look at
EMERGING_LIMIT = 8


def active_codebook() -> list[ThemeSpec]:
    """The active themes, in the order they were added; the built-in default codebook when the
    table is empty (a fresh database that was never seeded)."""
    themes = list(db.session.scalars(select(Theme).where(Theme.is_active).order_by(Theme.id)))
    if not themes and not db.session.scalar(select(Theme.id).limit(1)):
        return list(DEFAULT_THEMES)
    return [theme.as_spec() for theme in themes]


def all_themes() -> list[Theme]:
    """Every theme, active ones first, then in the order they were added."""
    return list(db.session.scalars(select(Theme).order_by(Theme.is_active.desc(), Theme.id)))


def get_theme(theme_id: int) -> Theme | None:
    return db.session.get(Theme, theme_id)


def merge_map() -> dict[str, str]:
    """Slug → the slug it counts under now: itself, or the end of its chain of merges."""
    rows = db.session.execute(select(Theme.id, Theme.slug, Theme.merged_into_id)).all()
    by_id = {theme_id: (slug, target) for theme_id, slug, target in rows}
    result: dict[str, str] = {}
    for slug, target in by_id.values():
        seen: set[int] = set()
        final = slug
        while target is not None and target in by_id and target not in seen:
            seen.add(target)
            final, target = by_id[target]
        result[slug] = final
    return result


def theme_labels(locale: str) -> dict[str, str]:
    labels = {
        spec.slug: (spec.label_en if locale == "en" and spec.label_en else spec.label_nl)
        for spec in DEFAULT_THEMES
    }
    for theme in db.session.scalars(select(Theme)):
        labels[theme.slug] = theme.label(locale)
    return labels


def k_threshold() -> int:
    return int(current_app.config["K_THRESHOLD"])


def reviewable_waves() -> list[SurveyWave]:
    """Closed waves with at least k responses, newest first."""
    counts = (
        select(SurveyResponse.wave_id, func.count().label("responses"))
        .group_by(SurveyResponse.wave_id)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(SurveyWave)
            .join(counts, counts.c.wave_id == SurveyWave.id)
            .where(
                SurveyWave.status == WaveStatus.CLOSED.value, counts.c.responses >= k_threshold()
            )
            .order_by(SurveyWave.closes_on.desc(), SurveyWave.id.desc())
        )
    )


def _open_answers_of(wave_ids: Sequence[int]) -> Any:
    return (
        select(SurveyAnswer)
        .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.wave_id.in_(wave_ids), SurveyAnswer.text.is_not(None))
    )


def slugs_of(themes: Iterable[Any] | None) -> list[str]:
    return [
        str(theme["slug"])
        for theme in themes or []
        if isinstance(theme, dict) and theme.get("slug")
    ]


# --- overview ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeRow:
    theme: Theme
    respondents: int | None  # None: no round shows a number for it (looks the same as none)
    merged_from: tuple[str, ...]


def wave_sizes(wave_ids: Sequence[int]) -> dict[int, int]:
    """The number of released responses of each wave."""
    if not wave_ids:
        return {}
    return dict(
        db.session.execute(
            select(SurveyResponse.wave_id, func.count())
            .where(SurveyResponse.wave_id.in_(list(wave_ids)))
            .group_by(SurveyResponse.wave_id)
        ).all()
    )


def theme_overview() -> list[ThemeRow]:
    """Every theme with the number of respondents who mention it, added up over the reviewable
    waves — from exactly the figures each wave's results page shows (`shown_counts`, merged
    themes under their target). A wave whose page hides a theme adds nothing for it: a total
    that counted it would, minus the figures the other waves show, give the hidden number
    away. So the total holds nothing a reader of the results pages does not know already."""
    from ..surveys.queries import theme_respondents
    from ..surveys.results import shown_counts

    waves = [wave.id for wave in reviewable_waves()]
    sizes = wave_sizes(waves)
    k = k_threshold()
    totals: Counter[str] = Counter()
    for wave_id, per_theme in theme_respondents(waves).items():
        totals.update(dict(shown_counts(per_theme.items(), sizes.get(wave_id, 0), k)))
    merged_from: dict[str, list[str]] = defaultdict(list)
    for slug, final in merge_map().items():
        if slug != final:
            merged_from[final].append(slug)
    return [
        ThemeRow(
            theme,
            totals[theme.slug] if totals[theme.slug] and not theme.merged_into_id else None,
            tuple(sorted(merged_from.get(theme.slug, []))),
        )
        for theme in all_themes()
    ]


def active_model_run() -> int | None:
    """The id of the newest learning run whose learned coder was kept, if any."""
    return db.session.scalar(
        select(CoderEvaluation.id)
        .where(CoderEvaluation.kept, CoderEvaluation.model.is_not(None))
        .order_by(CoderEvaluation.ran_at.desc(), CoderEvaluation.id.desc())
        .limit(1)
    )


def current_coder() -> Any:
    """The coder to code answers with now: the active codebook, the learned layer of the newest
    kept learning run (or the shipped one), merged themes counted under their target. Built once
    per process for each codebook and learned layer: building it costs more than coding a batch."""
    from .coder import Coder
    from .model import CoderModel, default_model

    codebook = active_codebook()
    run = active_model_run()
    aliases = merge_map()
    key = (repr(codebook), run, tuple(sorted(aliases.items())))
    cache = current_app.extensions.setdefault("participatie.theme_coder", {})
    if key not in cache:
        model = default_model()
        if run is not None:
            blob = db.session.scalar(select(CoderEvaluation.model).where(CoderEvaluation.id == run))
            if blob:
                model = CoderModel.loads(blob)
        cache.clear()
        cache[key] = Coder(codebook, model=model, aliases=aliases)
    return cache[key]


def latest_evaluation() -> CoderEvaluation | None:
    return db.session.scalar(
        select(CoderEvaluation).order_by(CoderEvaluation.ran_at.desc(), CoderEvaluation.id.desc())
    )


def review_counts() -> dict[str, int]:
    """Number of decisions per kind."""
    rows = db.session.execute(
        select(ThemeReview.decision, func.count()).group_by(ThemeReview.decision)
    )
    return {decision: count for decision, count in rows}


# --- the review list ------------------------------------------------------------------------------


def highlight(text: str, evidence: Iterable[str]) -> Markup:
    """The text, escaped, with the evidence words wrapped in <mark>."""
    spans: list[tuple[int, int]] = []
    for words in evidence:
        for fragment in str(words).split(" … "):
            parts = [re.escape(part) for part in fragment.split() if part]
            if not parts:
                continue
            pattern = re.compile(r"(?<!\w)" + r"\W{1,3}".join(parts) + r"(?!\w)", re.IGNORECASE)
            spans.extend(match.span() for match in pattern.finditer(text))
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out = Markup()
    position = 0
    for start, end in merged:
        out += escape(text[position:start])
        out += Markup("<mark>%s</mark>") % text[start:end]
        position = end
    return out + escape(text[position:])


@dataclass(frozen=True)
class CodedTheme:
    slug: str
    confidence: float | None
    source: str  # "coder" or "review"
    decision: str | None  # the staff decision on this answer and theme, if any


@dataclass(frozen=True)
class ReviewItem:
    answer_id: int
    wave: SurveyWave
    question: str
    text: Markup
    language: str | None
    sentiment: int | None
    sentiment_score: float | None
    themes: list[CodedTheme]  # the effective codes, as results count them
    rejected: list[str]  # codes staff rejected, so they can be restored


@dataclass
class ReviewPage:
    items: list[ReviewItem] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1


def review_page(
    wave_id: int | None, theme: str | None, status: str, page: int, locale: str
) -> ReviewPage:
    """One page of open answers of reviewable waves, optionally of one wave, coded with (or
    reviewed for) one theme — merged themes included — and open (no decision yet) or done."""
    waves = {wave.id: wave for wave in reviewable_waves()}
    wave_ids = [wave_id] if wave_id in waves else ([] if wave_id else list(waves))
    result = ReviewPage(page=page)
    if not wave_ids:
        return result
    query = _open_answers_of(wave_ids)
    reviewed = exists().where(ThemeReview.answer_id == SurveyAnswer.id)
    if status == "done":
        query = query.where(reviewed)
    elif status == "open":
        query = query.where(~reviewed)
    if theme:
        slugs = [slug for slug, final in merge_map().items() if final == theme] or [theme]
        as_text = cast(SurveyAnswer.themes, String)
        query = query.where(
            or_(
                *(as_text.like(f'%"slug": "{slug}"%') for slug in slugs),
                *(as_text.like(f'%"slug":"{slug}"%') for slug in slugs),
                exists().where(
                    ThemeReview.answer_id == SurveyAnswer.id, ThemeReview.theme_slug.in_(slugs)
                ),
            )
        )
    result.total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    result.pages = max(1, -(-result.total // PAGE_SIZE))
    result.page = min(max(page, 1), result.pages)
    answers = db.session.execute(
        query.add_columns(SurveyResponse.wave_id)
        .order_by(SurveyResponse.wave_id.desc(), SurveyAnswer.id)
        .offset((result.page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    ids = [answer.id for answer, _wave_id in answers]
    decisions: dict[int, dict[str, str]] = defaultdict(dict)
    for review in db.session.scalars(select(ThemeReview).where(ThemeReview.answer_id.in_(ids))):
        decisions[review.answer_id][review.theme_slug] = review.decision
    questions = {
        question.id: question.label(locale)
        for question in db.session.scalars(
            select(SurveyQuestion).where(
                SurveyQuestion.id.in_({answer.question_id for answer, _ in answers})
            )
        )
    }
    for answer, answer_wave_id in answers:
        entries = [t for t in answer.themes or [] if isinstance(t, dict) and t.get("slug")]
        own = decisions.get(answer.id, {})
        evidence = [words for entry in entries for words in entry.get("evidence") or []]
        result.items.append(
            ReviewItem(
                answer_id=answer.id,
                wave=waves[answer_wave_id],
                question=questions.get(answer.question_id, ""),
                text=highlight(answer.text or "", evidence),
                language=answer.text_language,
                sentiment=answer.sentiment,
                sentiment_score=answer.sentiment_score,
                themes=[
                    CodedTheme(
                        str(entry["slug"]),
                        entry.get("confidence"),
                        str(entry.get("source", "coder")),
                        own.get(str(entry["slug"])),
                    )
                    for entry in entries
                ],
                rejected=sorted(slug for slug, decision in own.items() if decision == "rejected"),
            )
        )
    return result


def reviewable_answer(answer_id: int) -> SurveyAnswer | None:
    """The open answer with this id, when its wave may be reviewed; otherwise None."""
    wave_ids = [wave.id for wave in reviewable_waves()]
    if not wave_ids:
        return None
    return db.session.scalar(_open_answers_of(wave_ids).where(SurveyAnswer.id == answer_id))


# --- gold standard for learning ---------------------------------------------------------------


@dataclass(frozen=True)
class GoldAnswer:
    answer_id: int
    text: str
    language: str | None
    positives: frozenset[str]  # confirmed or added, mapped through merges
    negatives: frozenset[str]  # rejected
    labels: frozenset[str] = frozenset()  # every code the answer has now, mapped through merges


def reviewed_answers() -> list[GoldAnswer]:
    """Every reviewed open answer with the staff decisions on it: the gold standard."""
    mapping = merge_map()
    decisions: dict[int, dict[str, str]] = defaultdict(dict)
    for answer_id, slug, decision in db.session.execute(
        select(ThemeReview.answer_id, ThemeReview.theme_slug, ThemeReview.decision)
    ):
        decisions[answer_id][mapping.get(slug, slug)] = decision
    if not decisions:
        return []
    rows = db.session.execute(
        select(SurveyAnswer.id, SurveyAnswer.text, SurveyAnswer.text_language, SurveyAnswer.themes)
        .where(SurveyAnswer.id.in_(list(decisions)), SurveyAnswer.text.is_not(None))
        .order_by(SurveyAnswer.id)
    )
    gold = []
    for answer_id, text, language, themes in rows:
        own = decisions[answer_id]
        positives = frozenset(slug for slug, d in own.items() if d != "rejected")
        negatives = frozenset(slug for slug, d in own.items() if d == "rejected") - positives
        # Codes the reviewer left standing count as right: they were in front of them.
        labels = frozenset(mapping.get(slug, slug) for slug in slugs_of(themes)) - negatives
        gold.append(
            GoldAnswer(answer_id, text or "", language, positives, negatives, labels | positives)
        )
    return gold


def latest_review_at() -> Any:
    return db.session.scalar(select(func.max(ThemeReview.decided_at)))


# --- emerging phrases -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EmergingPhrase:
    language: str
    lemmas: str  # the indicator pattern: lemmas separated by spaces
    phrase: str  # the most frequent form as written
    respondents: int  # responses with an open answer that uses it


def emerging_phrases(
    *, limit: int = EMERGING_LIMIT, sample: int = EMERGING_SAMPLE
) -> list[EmergingPhrase]:
    """Lemma bigrams and trigrams that the open answers of at least k respondents of reviewable
    waves use and that no active theme's indicators cover: suggestions for new themes.

    At least k, and the respondents of those waves without it none or at least k too, as for
    theme counts on the results pages (DESIGN invariant 2): the page shows how many use each
    phrase. A theme that fewer than k people mention would not show on any results page either,
    so nothing is lost by suggesting it only from k on.

    Words are skipped when they are function words or placeholders such as [naam], and a phrase
    never spans a word an indicator matched. Reads the newest `sample` answers only, so the page
    stays quick on a large database."""
    from ..surveys.results import is_safe
    from .coder import indicator_entries
    from .text.analysis import analyse
    from .text.language import SUPPORTED_LANGUAGES
    from .text.matching import PatternIndex
    from .vocabulary import is_content_word

    wave_ids = [wave.id for wave in reviewable_waves()]
    if not wave_ids:
        return []
    k = k_threshold()
    respondents_in_all = sum(wave_sizes(wave_ids).values())
    codebook = active_codebook()
    indexes = {
        language: PatternIndex(
            (
                (pattern, theme.slug)
                for theme in codebook
                for pattern, _weight in indicator_entries(theme.indicators, language)
            ),
            language=language,
        )
        for language in SUPPORTED_LANGUAGES
    }
    rows = db.session.execute(
        select(SurveyAnswer.response_id, SurveyAnswer.text, SurveyAnswer.text_language)
        .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
        .where(SurveyResponse.wave_id.in_(wave_ids), SurveyAnswer.text.is_not(None))
        .order_by(SurveyAnswer.id.desc())
        .limit(sample)
    )
    users: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
    forms: dict[tuple[str, tuple[str, ...]], Counter[str]] = defaultdict(Counter)
    for response_id, text, language in rows:
        analysis = analyse(text or "", language if language in SUPPORTED_LANGUAGES else None)
        covered = {p for hit in indexes[analysis.language].find(analysis) for p in hit.positions}
        usable = [
            position not in covered
            and is_content_word(analysis.lemmas[position], analysis.lower[position])
            for position in range(len(analysis))
        ]
        for size in (2, 3):
            for start in range(len(analysis) - size + 1):
                span = range(start, start + size)
                if not all(usable[p] for p in span):
                    continue
                if analysis.sentence[start] != analysis.sentence[start + size - 1]:
                    continue
                key = (analysis.language, tuple(analysis.lemmas[p] for p in span))
                users[key].add(response_id)
                forms[key][" ".join(analysis.lower[p] for p in span)] += 1
    frequent = {
        key: len(ids)
        for key, ids in users.items()
        if len(ids) >= k and is_safe(respondents_in_all - len(ids), k)
    }
    # A bigram inside a trigram that is just as frequent says nothing more; and everyone who uses
    # the trigram uses the bigram, so the two counts differ by the people who use the bigram in
    # other words: shown side by side, that difference must be 0 or at least k too.
    for (language, lemmas), count in list(frequent.items()):
        if len(lemmas) == 3:
            for part in (lemmas[:2], lemmas[1:]):
                wider = frequent.get((language, part))
                if wider is not None and wider - count < k:
                    del frequent[(language, part)]
    existing = set(db.session.scalars(select(Theme.slug)))
    ranked = sorted(frequent.items(), key=lambda item: (-item[1], -len(item[0][1]), item[0]))
    result = []
    for (language, lemmas), count in ranked:
        pattern = " ".join(lemmas)
        if slug_for(pattern) in existing:
            continue
        phrase = forms[(language, lemmas)].most_common(1)[0][0]
        result.append(EmergingPhrase(language, pattern, phrase, count))
        if len(result) >= limit:
            break
    return result


def slug_for(phrase: str) -> str:
    """A slug from a phrase: lower-case ASCII letters and digits joined by underscores."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", phrase).encode("ascii", "ignore").decode()
    return "_".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:40].strip("_")
