"""The coder: one open answer in, themes, sentiment, language and scrubbed text out.

Scrubbing comes first, so nothing downstream (evidence words included) ever holds personal data.
Build a `Coder` once per codebook and call `code()` per answer; it keeps no state per answer, so
memory stays flat over any number of answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .codebook import DEFAULT_THEMES, THRESHOLD, ThemeSpec
from .text.analysis import Analysis, analyse
from .text.language import SUPPORTED_LANGUAGES
from .text.matching import Hit, PatternIndex
from .text.scrub import Kind, scrub
from .text.sentiment import scorer_for

MAX_THEMES = 3
OVERLAP_FACTOR = 0.5
DECISIVE = 0.8  # an indicator this strong counts for its theme even inside another's phrase


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


class Coder:
    def __init__(
        self,
        themes: Sequence[ThemeSpec] = DEFAULT_THEMES,
        *,
        threshold: float = THRESHOLD,
        max_themes: int = MAX_THEMES,
    ) -> None:
        self.slugs = [theme.slug for theme in themes]
        self.threshold = threshold
        self.max_themes = max_themes
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

    def code(self, text: str, lang: str | None = None) -> CodedAnswer:
        """Code one answer. `lang` is a hint (the survey's language); the answer's own language
        wins when it is clear."""
        scrubbed = scrub(text)
        analysis = analyse(scrubbed.text, hint=lang)
        sentiment = scorer_for(analysis.language).score(analysis)
        themes = self.themes(analysis)
        label = sentiment.label
        if themes and sentiment.is_silent:
            # Answers name a bottleneck mostly to complain about it: a theme without any
            # judgement, suggestion or mixed words is read as negative.
            label = -1
        return CodedAnswer(
            themes=themes,
            sentiment=label,
            sentiment_score=sentiment.score,
            language=analysis.language,
            scrubbed=scrubbed.text,
            found_kinds=scrubbed.found_kinds,
        )

    def themes(self, analysis: Analysis) -> tuple[ThemeMatch, ...]:
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
        return tuple(matches[: self.max_themes])

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
