"""The coder: one open answer in, themes, sentiment, language and scrubbed text out.

Scrubbing comes first, so nothing downstream (evidence words included) ever holds personal data.
Build a `Coder` once per codebook and call `code()` per answer; it keeps no state per answer, so
memory stays flat over any number of answers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .codebook import DEFAULT_THEMES, THRESHOLD, ThemeSpec
from .model import CoderModel, default_model
from .text.analysis import Analysis, analyse
from .text.features import (
    CHAR_VALUE,
    Features,
    char_pieces,
    content_positions,
    sentiment_features,
    theme_features,
)
from .text.language import SUPPORTED_LANGUAGES
from .text.matching import Hit, PatternIndex
from .text.scrub import Kind, ScrubResult, scrub
from .text.sentiment import SentimentScore, scorer_for

MAX_THEMES = 3
OVERLAP_FACTOR = 0.5
DECISIVE = 0.8  # an indicator this strong counts for its theme even inside another's phrase
EVIDENCE_WORDS = 3  # words shown as evidence of a theme the learned layer found
MIN_EVIDENCE = 0.25  # a word's share in the theme's score to count as evidence
RULES_DECIDE = 0.9  # a rule match this strong gives its theme, whatever the learned layer says
LEMMA_CACHE = 50_000  # lemmas whose summed weights are kept per coder
SHIPPED = "shipped"  # `Coder(model=SHIPPED)`: the model that comes with the package


@dataclass(frozen=True)
class ThemeMatch:
    slug: str
    confidence: float
    evidence: tuple[str, ...]  # the words (from the scrubbed text) that led to it


@dataclass(frozen=True)
class CodedAnswer:
    themes: tuple[ThemeMatch, ...]
    sentiment: int  # -1, 0, +1
    sentiment_score: float  # -1 … +1
    language: str
    scrubbed: str
    found_kinds: frozenset[Kind]

    @property
    def slugs(self) -> list[str]:
        return [theme.slug for theme in self.themes]

    def as_dict(self) -> dict[str, Any]:
        return {
            "themes": self.slugs,
            "sentiment": self.sentiment,
            "language": self.language,
            "scrubbed": self.scrubbed,
        }


def indicator_entries(indicators: dict[str, Any], language: str) -> Iterable[tuple[str, float]]:
    """The (pattern, weight) pairs of one language from a theme's stored indicators."""
    per_language = indicators.get(language) or {}
    for group in ("lemmas", "phrases"):
        yield from (per_language.get(group) or {}).items()


@dataclass(frozen=True)
class _Reading:
    """What the rules make of one answer: the input of the learned layer."""

    scrubbed: ScrubResult
    analysis: Analysis
    lexicon: SentimentScore
    rules: tuple[ThemeMatch, ...]
    rule_label: int


class Coder:
    """Rules (indicators per theme, the sentiment lexicon), then the learned layer
    (`model.CoderModel`) that weighs the rules' output with the answer's words.

    `model`: the shipped model by default; a `CoderModel` (e.g. one learned from reviews); or
    None for the rules alone. `aliases` maps a theme the model knows to the theme it was merged
    into. A theme the model has no weights for (one staff added later) is given by its rules."""

    def __init__(
        self,
        themes: Sequence[ThemeSpec] = DEFAULT_THEMES,
        *,
        model: CoderModel | str | None = SHIPPED,
        aliases: dict[str, str] | None = None,
        threshold: float = THRESHOLD,
        max_themes: int = MAX_THEMES,
    ) -> None:
        self.slugs = [theme.slug for theme in themes]
        self.threshold = threshold
        self.max_themes = max_themes
        if isinstance(model, str):
            if model != SHIPPED:
                raise ValueError(f"unknown model {model!r}")
            model = default_model()
        self.model: CoderModel | None = model
        active = set(self.slugs)
        aliases = aliases or {}
        # Model label index → the active theme it counts for.
        self._model_targets: dict[int, str] = {}
        if self.model is not None:
            for index, slug in enumerate(self.model.themes.labels):
                target = aliases.get(slug, slug)
                if target in active:
                    self._model_targets[index] = target
        self._rules_only = active - set(self._model_targets.values())
        self._lemma_vectors: dict[str, tuple[float, ...] | None] = {}
        self._indexes: dict[str, PatternIndex[tuple[str, float]]] = {
            language: PatternIndex(
                (
                    (pattern, (theme.slug, float(weight)))
                    for theme in themes
                    for pattern, weight in indicator_entries(theme.indicators, language)
                ),
                language=language,
            )
            for language in SUPPORTED_LANGUAGES
        }

    def read(self, text: str, lang: str | None = None) -> _Reading:
        """Scrub, analyse and apply the rules. Scrubbing comes first, so nothing downstream
        (evidence words included) ever holds personal data."""
        scrubbed = scrub(text)
        analysis = analyse(scrubbed.text, hint=lang)
        lexicon = scorer_for(analysis.language).score(analysis)
        rules = self.rule_matches(analysis)
        rule_label = lexicon.label
        if rules and lexicon.is_silent:
            # Answers name a bottleneck mostly to complain about it: a theme without any
            # judgement, suggestion or mixed words is read as negative.
            rule_label = -1
        return _Reading(scrubbed, analysis, lexicon, rules, rule_label)

    @staticmethod
    def _features(reading: _Reading) -> tuple[Features, Features]:
        confidences = {match.slug: match.confidence for match in reading.rules}
        return (
            theme_features(reading.analysis, confidences),
            sentiment_features(
                reading.analysis, reading.lexicon, reading.rule_label, bool(reading.rules)
            ),
        )

    def features(self, text: str, lang: str | None = None) -> tuple[Features, Features]:
        """The learned layer's input for one answer (for training: `model.train`)."""
        return self._features(self.read(text, lang))

    def code(self, text: str, lang: str | None = None) -> CodedAnswer:
        """Code one answer. `lang` is a hint (the survey's language); the answer's own language
        wins when it is clear."""
        reading = self.read(text, lang)
        if self.model is None:
            themes = reading.rules[: self.max_themes]
            label, score = reading.rule_label, reading.lexicon.score
        else:
            themes, label, score = self._learned(self.model, reading)
        return CodedAnswer(
            themes=themes,
            sentiment=label,
            sentiment_score=score,
            language=reading.analysis.language,
            scrubbed=reading.scrubbed.text,
            found_kinds=reading.scrubbed.found_kinds,
        )

    def _learned(
        self, model: CoderModel, reading: _Reading
    ) -> tuple[tuple[ThemeMatch, ...], int, float]:
        scores = self._theme_scores(model, reading)
        sentiment_input = sentiment_features(
            reading.analysis, reading.lexicon, reading.rule_label, bool(reading.rules)
        )
        found: dict[str, tuple[float, int]] = {}
        for index, target in self._model_targets.items():
            probability = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, scores[index]))))
            if probability >= model.threshold and probability > found.get(target, (0.0, 0))[0]:
                found[target] = (probability, index)
        by_rules = {match.slug: match for match in reading.rules}
        matches = []
        for slug, (probability, index) in found.items():
            rule = by_rules.get(slug)
            evidence = rule.evidence if rule else self._evidence(model, reading.analysis, index)
            matches.append(ThemeMatch(slug, round(probability, 3), evidence))
        # A theme only the rules know (added by staff), or one the rules are sure of: answers
        # that list many bottlenecks at once are rare in training, and the learned layer
        # spreads its belief thin over them.
        matches.extend(
            match
            for match in reading.rules
            if match.slug not in found
            and (match.slug in self._rules_only or match.confidence >= RULES_DECIDE)
        )
        matches.sort(key=lambda match: (-match.confidence, self.slugs.index(match.slug)))

        probabilities = model.sentiment_probabilities(sentiment_input)
        label = max(probabilities, key=lambda key: probabilities[key])
        score = round(probabilities.get(1, 0.0) - probabilities.get(-1, 0.0), 3)
        return tuple(matches[: self.max_themes]), label, score

    def _theme_scores(self, model: CoderModel, reading: _Reading) -> list[float]:
        """The model's theme scores, the same as `model.themes.scores(theme_features(…))`
        but with each lemma's words-and-pieces weights added up once per process (an answer's
        lemmas are mostly ones seen before)."""
        layer = model.themes
        weights = layer.weights
        totals = list(layer.intercepts)
        size = len(totals)
        analysis = reading.analysis
        lemmas = analysis.lemmas
        content = content_positions(analysis)
        for lemma in {lemma for position, lemma in enumerate(lemmas) if content[position]}:
            vector = self._lemma_vector(model, lemma)
            if vector is not None:
                for index in range(size):
                    totals[index] += vector[index]
        sentence = analysis.sentence
        pairs = {
            f"b:{lemmas[position]}_{lemmas[position + 1]}"
            for position in range(len(lemmas) - 1)
            if sentence[position] == sentence[position + 1]
        }
        for name in pairs:
            found = weights.get(name)
            if found is not None:
                for index in range(size):
                    totals[index] += found[index]
        for match in reading.rules:
            found = weights.get("rule:" + match.slug)
            if found is not None:
                for index in range(size):
                    totals[index] += found[index] * match.confidence
        return totals

    def _lemma_vector(self, model: CoderModel, lemma: str) -> tuple[float, ...] | None:
        cache = self._lemma_vectors
        if lemma in cache:
            return cache[lemma]
        weights = model.themes.weights
        size = len(model.themes.labels)
        names = ["w:" + lemma, *("c:" + piece for piece in char_pieces(lemma))]
        values = [CHAR_VALUE] * len(names)
        values[0] = 1.0
        vector = [0.0] * size
        seen = False
        for name, value in zip(names, values, strict=True):
            found = weights.get(name)
            if found is not None:
                seen = True
                for index in range(size):
                    vector[index] += found[index] * value
        result = tuple(vector) if seen else None
        if len(cache) >= LEMMA_CACHE:
            cache.clear()  # bounded: memory stays flat over any number of answers
        cache[lemma] = result
        return result

    def _evidence(self, model: CoderModel, analysis: Analysis, index: int) -> tuple[str, ...]:
        """The words that weigh most for theme `index` of the model: each word's own weight, its
        letter pieces, and half of each word pair it is in. Adjacent words form one piece."""
        layer = model.themes
        content = content_positions(analysis)
        lemmas = analysis.lemmas
        weights = [0.0] * len(lemmas)
        for position, lemma in enumerate(lemmas):
            if content[position]:
                weights[position] += layer.weight("w:" + lemma, index)
                weights[position] += CHAR_VALUE * sum(
                    layer.weight("c:" + piece, index) for piece in char_pieces(lemma)
                )
            if (
                position + 1 < len(lemmas)
                and analysis.sentence[position] == analysis.sentence[position + 1]
            ):
                pair = layer.weight(f"b:{lemma}_{lemmas[position + 1]}", index) / 2
                weights[position] += pair
                weights[position + 1] += pair
        total = sum(weight for weight in weights if weight > 0)
        if total <= 0:
            return ()
        strongest = sorted(
            (position for position, weight in enumerate(weights) if weight / total >= MIN_EVIDENCE),
            key=lambda position: -weights[position],
        )[:EVIDENCE_WORDS]
        if not strongest:
            strongest = [max(range(len(weights)), key=lambda position: weights[position])]
        pieces: list[list[int]] = []
        for position in sorted(strongest):
            if pieces and pieces[-1][-1] == position - 1:
                pieces[-1].append(position)
            else:
                pieces.append([position])
        return tuple(analysis.span(piece[0], piece[-1] + 1) for piece in pieces)

    def themes(self, analysis: Analysis) -> tuple[ThemeMatch, ...]:
        """The rules' themes of an analysed answer: at most `max_themes`, strongest first."""
        return self.rule_matches(analysis)[: self.max_themes]

    def rule_matches(self, analysis: Analysis) -> tuple[ThemeMatch, ...]:
        """Every theme whose indicators reach the threshold, strongest first."""
        hits = self._indexes[analysis.language].find(analysis)
        # A longer phrase claims its words: "opnieuw mijn verhaal vertellen" is about cooperation,
        # so "verhaal" alone (or a shorter phrase in it) no longer counts for another theme.
        claimed: dict[int, list[tuple[int, str]]] = {}
        for hit in hits:
            if hit.pattern.is_phrase:
                for position in hit.positions:
                    claimed.setdefault(position, []).append((hit.pattern.size, hit.value[0]))
        # Per theme, each indicator counts once (its strongest hit) …
        weights: dict[str, dict[str, tuple[float, frozenset[int]]]] = {}
        found: dict[str, list[Hit[tuple[str, float]]]] = {}
        for hit in hits:
            slug, weight = hit.value
            if self._claimed_by_other(hit, slug, claimed):
                continue
            sources = weights.setdefault(slug, {})
            current = sources.get(hit.pattern.source)
            if current is None or weight > current[0]:
                sources[hit.pattern.source] = (weight, frozenset(hit.positions))
            found.setdefault(slug, []).append(hit)
        matches = []
        for slug, sources in weights.items():
            # … and so do the same words: "informatie" and "informatie*" are one piece of
            # evidence, not two; indicators that share some words ("nobody … tell" and
            # "tell … where") count, the weaker one at half its weight.
            groups: list[set[int]] = []
            missing = 1.0
            for weight, positions in sorted(sources.values(), key=lambda e: -e[0]):
                for words in groups:
                    if positions <= words:
                        weight = 0.0  # the same words again ("informatie", "informatie*")
                        break
                    if words & positions:
                        words |= positions
                        weight *= OVERLAP_FACTOR
                        break
                else:
                    groups.append(set(positions))
                missing *= 1.0 - min(weight, 1.0)
            confidence = round(1.0 - missing, 3)
            if confidence >= self.threshold:
                evidence: list[str] = []
                for hit in found[slug]:
                    words = hit.evidence(analysis)
                    if words not in evidence:
                        evidence.append(words)
                matches.append(ThemeMatch(slug, confidence, tuple(evidence)))
        matches.sort(key=lambda match: (-match.confidence, self.slugs.index(match.slug)))
        return tuple(matches)

    @staticmethod
    def _claimed_by_other(
        hit: Hit[tuple[str, float]], slug: str, claimed: dict[int, list[tuple[int, str]]]
    ) -> bool:
        if hit.value[1] >= DECISIVE:
            return False  # "rapport" stays a report, whatever phrase it stands in
        size = hit.pattern.size
        return any(
            owner != slug and owner_size > size
            for position in hit.positions
            for owner_size, owner in claimed.get(position, ())
        )
