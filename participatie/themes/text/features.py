"""Features of one analysed answer for the learned layer of the coder (`themes.model`).

The rules (indicator matching and the sentiment lexicon) see what their authors foresaw; the
learned layer weighs the rules' output together with the answer's own words, so that an answer
that says the same thing in other words ("ik wist niet wie ik moest bellen") still gets its
theme. Features are plain strings with a value, the way `LinearLayer` reads them:

- ``w:<lemma>`` every content lemma (not function words, placeholders or numbers);
- ``b:<lemma>_<lemma>`` every pair of adjacent lemmas in a sentence ("vast_contactpersoon");
- ``c:<chars>`` four- and five-letter pieces of content lemmas, with a low value: Dutch glues
  words together ("bezoekregeling", "omgangsregeling", "gezinsvoogd"), and a piece generalises
  to compounds the training answers never had;
- ``rule:<slug>`` the rule matcher's confidence for a theme;
- for sentiment, every lemma as ``s:<lemma>``, or ``s:~<lemma>`` after a negator in the same
  clause ("niet ~duidelijk"), and the lexicon scorer's figures (``lex:…``).

Nothing here stores or logs text: features live as long as one answer is coded.
"""

from __future__ import annotations

from ..vocabulary import is_content_word
from .analysis import Analysis
from .sentiment import SentimentScore
from .sentiment_lexicon import NEGATORS

Features = dict[str, float]

CHAR_SIZES = (4, 5)
CHAR_VALUE = 0.3
NEGATION_REACH = 4  # words after a negator, within its clause


def content_positions(analysis: Analysis) -> list[bool]:
    return [is_content_word(analysis.lemmas[i], analysis.lower[i]) for i in range(len(analysis))]


def word_features(analysis: Analysis, content: list[bool] | None = None) -> Features:
    """The lexical features shared by theme and evidence scoring (``w:``, ``b:``, ``c:``)."""
    content = content if content is not None else content_positions(analysis)
    features: Features = {}
    lemmas, sentence = analysis.lemmas, analysis.sentence
    for lemma in {lemma for index, lemma in enumerate(lemmas) if content[index]}:
        features["w:" + lemma] = 1.0
        # Summed over the distinct lemmas a piece occurs in, so that the coder can add up one
        # cached vector per lemma (`Coder._theme_scores`) and get exactly these features.
        for piece in char_pieces(lemma):
            name = "c:" + piece
            features[name] = features.get(name, 0.0) + CHAR_VALUE
    for index in range(len(lemmas) - 1):
        if sentence[index] == sentence[index + 1]:
            features[f"b:{lemmas[index]}_{lemmas[index + 1]}"] = 1.0
    return features


def char_pieces(lemma: str) -> frozenset[str]:
    """The distinct four- and five-letter pieces of a lemma, with < and > marking its ends."""
    marked = f"<{lemma}>"
    return frozenset(
        marked[start : start + size]
        for size in CHAR_SIZES
        for start in range(len(marked) - size + 1)
    )


def theme_features(analysis: Analysis, rule_confidences: dict[str, float]) -> Features:
    features = word_features(analysis)
    for slug, confidence in rule_confidences.items():
        features["rule:" + slug] = confidence
    return features


def sentiment_features(
    analysis: Analysis, lexicon: SentimentScore, rule_label: int, has_theme: bool
) -> Features:
    negators = NEGATORS.get(analysis.language, NEGATORS["nl"])
    features: Features = {
        "lex:score": lexicon.score,
        "lex:positive": lexicon.positive,
        "lex:negative": lexicon.negative,
        "lex:mixed": float(lexicon.mixed),
        "lex:suggestion": float(lexicon.suggestion),
        "lex:silent": float(lexicon.is_silent),
        f"lex:label:{lexicon.label}": 1.0,
        f"rule:label:{rule_label}": 1.0,
        "rule:has_theme": float(has_theme),
        "text:questions": float(analysis.questions),
        "text:exclamations": float(analysis.exclamations),
    }
    negated_until = -1
    negated_clause = -1
    for index, lemma in enumerate(analysis.lemmas):
        lower = analysis.lower[index]
        negated = negated_clause == analysis.clause[index] and index <= negated_until
        features[("s:~" if negated else "s:") + lemma] = 1.0
        if lower in negators or lower.endswith("n't"):
            negated_clause = analysis.clause[index]
            negated_until = index + NEGATION_REACH
    return features
