"""The coder learns from staff reviews.

The reviewed answers are the gold standard: confirmed and added codes are positives, rejected
ones negatives; codes nobody decided on are not counted either way. One run:

1. the rules: proposes learned indicator weights (stored per language under
   `indicators[lang]["learned"]`, apart from what staff typed) — an indicator that fired more
   often in answers where the code was rejected than where it was confirmed gets a lower weight
   (0 switches it off), and words and word pairs shared by answers that needed a code added
   become indicators with a modest weight — kept only when the rules' micro-F1 on the reviewed
   answers does not go down;
2. the learned layer: trains it again on the shipped corpus plus the reviewed answers (which
   count REVIEW_WEIGHT times, they are this municipality's own answers), and measures it
   honestly: each reviewed answer is coded by a layer trained without the fold it is in
   (cross-validation), against the shipped coder on the same answers. The new layer is kept —
   and used for every answer coded from then on — only when it does not do worse.

Every run is stored in `coder_evaluations` with both figures, so the overview shows them.
"""

from __future__ import annotations

import copy
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from .. import clock
from ..audit.operations import record
from ..auth.models import User
from ..db import db
from .codebook import ThemeSpec
from .evaluation import ThemeCounts
from .model import CoderModel, Example, default_model, fit, read_corpus
from .models import LEARNED, CoderEvaluation, Theme, effective_indicators
from .queries import (
    GoldAnswer,
    latest_evaluation,
    latest_review_at,
    merge_map,
    reviewed_answers,
)

logger = logging.getLogger(__name__)

REVIEW_WEIGHT = 5.0  # a reviewed answer counts this many times beside the shipped corpus
FOLDS = 5
LEARNED_LEMMA_WEIGHT = 0.3  # needs company to reach the threshold
LEARNED_PHRASE_WEIGHT = 0.5  # a shared word pair decides on its own
MIN_SHARED_ANSWERS = 2  # a new indicator must occur in this many answers that needed the code
MAX_NEW_TERMS = 5  # per theme, language and run
SWITCH_OFF_BELOW = 0.05

Learned = dict[str, dict[str, dict[str, float]]]  # slug → language → pattern → weight


@dataclass
class Proposal:
    learned: Learned = field(default_factory=dict)
    lowered: int = 0
    added: int = 0

    def set(self, slug: str, language: str, pattern: str, weight: float) -> None:
        self.learned.setdefault(slug, {}).setdefault(language, {})[pattern] = round(weight, 3)

    @property
    def is_empty(self) -> bool:
        return not any(
            pattern for languages in self.learned.values() for pattern in languages.values()
        )


Proposer = Callable[[Sequence[Theme], Sequence[GoldAnswer]], Proposal]


def micro_f1(
    specs: Sequence[ThemeSpec],
    gold: Sequence[GoldAnswer],
    *,
    model: Any = None,
    aliases: dict[str, str] | None = None,
) -> float:
    """Micro-F1 of a coder with `specs` (and the learned layer `model`; None: the rules alone)
    on the reviewed answers, counting decided codes only."""
    from .coder import Coder

    coder = Coder(specs, model=model, aliases=aliases)
    return _score((answer, coder.code(answer.text, answer.language).slugs) for answer in gold)


def _score(predictions: Iterable[tuple[GoldAnswer, Sequence[str]]]) -> float:
    total = ThemeCounts()
    for answer, slugs in predictions:
        predicted = set(slugs)
        total.true_positive += len(predicted & answer.positives)
        total.false_positive += len(predicted & answer.negatives)
        total.false_negative += len(answer.positives - predicted)
    return round(total.f1, 4)


def _specs(
    themes: Sequence[Theme], indicators: dict[int, dict[str, Any]] | None = None
) -> list[ThemeSpec]:
    return [
        ThemeSpec(
            theme.slug,
            theme.label_nl,
            theme.label_en,
            theme.description_nl,
            theme.description_en,
            effective_indicators((indicators or {}).get(theme.id, theme.indicators or {})),
        )
        for theme in themes
    ]


def propose_adjustment(themes: Sequence[Theme], gold: Sequence[GoldAnswer]) -> Proposal:
    """Learned weights from the decisions (see the module docstring)."""
    from .coder import Coder, indicator_entries
    from .text.analysis import analyse
    from .text.language import SUPPORTED_LANGUAGES
    from .text.matching import PatternIndex
    from .vocabulary import is_content_word

    specs = {spec.slug: spec for spec in _specs(themes)}
    coder = Coder(list(specs.values()), model=None)
    indexes = {
        language: PatternIndex(
            (
                (pattern, (slug, float(weight)))
                for slug, spec in specs.items()
                for pattern, weight in indicator_entries(spec.indicators, language)
            ),
            language=language,
        )
        for language in SUPPORTED_LANGUAGES
    }
    fired_for: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    weights: dict[tuple[str, str, str], float] = {}
    missed_terms: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    rejected_terms: dict[tuple[str, str], set[str]] = defaultdict(set)
    for answer in gold:
        analysis = analyse(answer.text, hint=answer.language)
        language = analysis.language
        for hit in indexes[language].find(analysis):
            slug, weight = hit.value
            key = (slug, language, hit.pattern.source)
            weights[key] = weight
            if slug in answer.negatives:
                fired_for[key]["rejected"] += 1
            elif slug in answer.positives:
                fired_for[key]["confirmed"] += 1
        terms = _terms(analysis, is_content_word)
        predicted = {match.slug for match in coder.themes(analysis)}
        for slug in answer.positives - predicted:
            missed_terms[(slug, language)].update(terms)
        for slug in answer.negatives:
            rejected_terms[(slug, language)].update(terms)
    proposal = Proposal()
    for key, fired in fired_for.items():
        rejected, confirmed = fired["rejected"], fired["confirmed"]
        if rejected <= confirmed:
            continue
        slug, language, pattern = key
        weight = weights[key] * (confirmed + 1) / (confirmed + rejected + 1)
        proposal.set(slug, language, pattern, 0.0 if weight < SWITCH_OFF_BELOW else weight)
        proposal.lowered += 1
    for (slug, language), counts in missed_terms.items():
        if slug not in specs:
            continue
        known = {pattern for pattern, _ in indicator_entries(specs[slug].indicators, language)}
        candidates = [
            (term, count)
            for term, count in counts.items()
            if count >= MIN_SHARED_ANSWERS
            and term not in known
            and term not in rejected_terms.get((slug, language), set())
        ]
        candidates.sort(key=lambda item: (-item[1], -len(item[0].split()), item[0]))
        for term, _count in candidates[:MAX_NEW_TERMS]:
            weight = LEARNED_PHRASE_WEIGHT if " " in term else LEARNED_LEMMA_WEIGHT
            proposal.set(slug, language, term, weight)
            proposal.added += 1
    return proposal


def _terms(analysis: Any, is_content_word: Callable[[str, str], bool]) -> set[str]:
    """The content lemmas of an answer and its pairs of adjacent content lemmas."""
    usable = [is_content_word(analysis.lemmas[i], analysis.lower[i]) for i in range(len(analysis))]
    terms = {analysis.lemmas[i] for i in range(len(analysis)) if usable[i]}
    for i in range(len(analysis) - 1):
        if usable[i] and usable[i + 1] and analysis.sentence[i] == analysis.sentence[i + 1]:
            terms.add(f"{analysis.lemmas[i]} {analysis.lemmas[i + 1]}")
    return terms


def _apply(themes: Sequence[Theme], proposal: Proposal) -> dict[int, dict[str, Any]]:
    """New indicators per theme id with the proposal merged into the learned weights."""
    result: dict[int, dict[str, Any]] = {}
    for theme in themes:
        changes = proposal.learned.get(theme.slug)
        if not changes:
            continue
        indicators = copy.deepcopy(theme.indicators or {})
        for language, patterns in changes.items():
            groups = indicators.setdefault(language, {})
            groups[LEARNED] = {**(groups.get(LEARNED) or {}), **patterns}
        result[theme.id] = indicators
    return result


def learn(
    actor: User | None = None,
    *,
    propose: Proposer = propose_adjustment,
    force: bool = False,
    corpus: Sequence[Example] | None = None,
) -> CoderEvaluation | None:
    """One learning run over all reviewed answers; flushes, the caller commits.

    `corpus`: the labelled answers the learned layer is trained on besides the reviews (the
    shipped corpus by default). Returns None (and stores nothing) when there are no reviewed
    answers or active themes, or — unless `force` — when no decision was made since the last
    run."""
    gold = reviewed_answers()
    themes = list(db.session.scalars(select(Theme).where(Theme.is_active).order_by(Theme.id)))
    if not gold or not themes:
        return None
    last = latest_evaluation()
    newest = latest_review_at()
    if not force and last is not None and newest is not None and newest <= last.ran_at:
        return None
    active = {theme.slug for theme in themes}
    gold = [
        GoldAnswer(
            answer.answer_id,
            answer.text,
            answer.language,
            answer.positives & active,
            answer.negatives & active,
            answer.labels & active,
        )
        for answer in gold
    ]
    # 1. The rules.
    rules_before = micro_f1(_specs(themes), gold)
    proposal = propose(themes, gold)
    changed = _apply(themes, proposal)
    rules_after = micro_f1(_specs(themes, changed), gold) if changed else rules_before
    rules_kept = bool(changed) and rules_after >= rules_before
    if rules_kept:
        for theme in themes:
            if theme.id in changed:
                theme.indicators = changed[theme.id]
    # 2. The learned layer, on the rules as they are now.
    specs = _specs(themes)
    aliases = merge_map()
    before = micro_f1(specs, gold, model=default_model(), aliases=aliases)
    learned, after = _learn_layer(specs, gold, aliases, _corpus() if corpus is None else corpus)
    kept = learned is not None and after >= before
    evaluation = CoderEvaluation(
        ran_at=clock.now(),
        answers=len(gold),
        f1_before=before,
        f1_after=after,
        kept=kept,
        rules_f1_before=rules_before,
        rules_f1_after=rules_after,
        rules_kept=rules_kept,
        notes=(
            f"rules f1 {rules_before}->{rules_after} lowered={proposal.lowered}"
            f" added={proposal.added} rules_kept={'yes' if rules_kept else 'no'}"
            f" layer_kept={'yes' if kept else 'no'}"
        ),
        model=learned.dumps() if kept and learned is not None else None,
    )
    if kept:
        # Only the newest kept layer is used; older ones need not take up room.
        db.session.execute(
            update(CoderEvaluation)
            .where(CoderEvaluation.model.is_not(None))
            .values(model=None)
            .execution_options(synchronize_session=False)
        )
    db.session.add(evaluation)
    db.session.flush()
    record(
        actor,
        "theme.learned",
        "coder_evaluation",
        evaluation.id,
        answers=len(gold),
        f1_before=before,
        f1_after=after,
        kept=kept,
        rules_kept=rules_kept,
        themes=sorted(theme.slug for theme in themes if theme.id in changed and rules_kept),
    )
    logger.info(
        "coder learning answers=%s f1_before=%s f1_after=%s kept=%s rules_kept=%s",
        len(gold),
        before,
        after,
        kept,
        rules_kept,
    )
    return evaluation


def _corpus() -> list[Example]:
    configured = current_app.config.get("THEMES_TRAINING_CORPUS")
    return read_corpus(Path(configured)) if configured else read_corpus()


def _learn_layer(
    specs: Sequence[ThemeSpec],
    gold: Sequence[GoldAnswer],
    aliases: dict[str, str],
    corpus: Sequence[Example],
) -> tuple[CoderModel | None, float]:
    """The learned layer trained on `corpus` plus the reviewed answers, and its cross-validated
    micro-F1 on them. (None, 0.0) when it cannot be trained (e.g. a corpus without all three
    sentiments)."""
    from .coder import Coder

    rules = Coder(specs, model=None)
    slugs = [spec.slug for spec in specs]
    reviewed = [
        Example(answer.text, answer.language, answer.labels, None, REVIEW_WEIGHT) for answer in gold
    ]
    corpus_rows = [rules.features(example.text, example.language) for example in corpus]
    reviewed_rows = [rules.features(answer.text, answer.language) for answer in gold]
    folds = min(FOLDS, len(gold))
    predictions: list[tuple[GoldAnswer, Sequence[str]]] = []
    try:
        for fold in range(folds):
            train_at = [index for index in range(len(gold)) if index % folds != fold]
            model = fit(
                [*corpus, *(reviewed[index] for index in train_at)],
                [*corpus_rows, *(reviewed_rows[index] for index in train_at)],
                slugs,
            )
            coder = Coder(specs, model=model, aliases=aliases)
            predictions.extend(
                (gold[index], coder.code(gold[index].text, gold[index].language).slugs)
                for index in range(len(gold))
                if index % folds == fold
            )
        learned = fit(
            [*corpus, *reviewed],
            [*corpus_rows, *reviewed_rows],
            slugs,
            meta={"reviewed": len(gold)},
        )
    except ValueError as error:
        logger.warning("coder learning: learned layer not trained (%s)", error)
        return None, 0.0
    return learned, _score(predictions)
