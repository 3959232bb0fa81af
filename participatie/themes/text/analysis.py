"""One pass over an answer: words, lemmas, and which sentence and clause each word is in.

The coder and the sentiment analyzers share this, so an answer is tokenised and lemmatised once.
A Dutch verb after "te" and a particle ("om het uit te leggen") gets the lemma of the separable
verb ("uitleggen").
Clauses (split at commas and at "maar", "omdat", "but", …) bound the scope of a negation;
sentences bound phrases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .language import detect_language, word_set
from .lemmas import joined_verb, lemma
from .tokenize import is_word, split_sentences, split_words

# Words that start a new clause: a negation before them does not reach past them.
CLAUSE_WORDS = word_set(
    """
    maar omdat want hoewel terwijl toen doordat zodat dus echter behalve
    but because although though while whereas so however except
    """
)
_CLAUSE_MARKS = frozenset(',;:()–-"“”')


@dataclass
class Analysis:
    language: str
    words: list[str] = field(default_factory=list)
    lower: list[str] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    sentence: list[int] = field(default_factory=list)
    clause: list[int] = field(default_factory=list)
    questions: int = 0  # sentences ending in a question mark
    exclamations: int = 0

    def __len__(self) -> int:
        return len(self.words)

    def span(self, start: int, end: int) -> str:
        return " ".join(self.words[start:end])


def analyse(text: str, lang: str | None = None, *, hint: str | None = None) -> Analysis:
    """Split `text` and lemmatise it in `lang` (detected when not given; `hint` breaks a tie)."""
    sentences = [split_words(sentence) for sentence in split_sentences(text)]
    if lang is None:
        lang = detect_language(
            (token for tokens in sentences for token in tokens if is_word(token)), hint
        )
    result = Analysis(language=lang)
    clause = 0
    for number, tokens in enumerate(sentences):
        clause += 1
        for token in tokens:
            if not is_word(token):
                if token in _CLAUSE_MARKS:
                    clause += 1
                elif token.startswith("?"):
                    result.questions += 1
                elif token.startswith("!"):
                    result.exclamations += 1
                continue
            lower = token.lower()
            if lower in CLAUSE_WORDS:
                clause += 1
            result.lemmas.append(_lemma(result, lower, lang))
            result.words.append(token)
            result.lower.append(lower)
            result.sentence.append(number)
            result.clause.append(clause)
    return result


def _lemma(result: Analysis, lower: str, lang: str) -> str:
    """The lemma of the next word; in Dutch "uit te leggen" gives "leggen" the lemma of the
    whole verb, "uitleggen", so indicators are written once."""
    word_lemma = lemma(lower, lang)
    if lang == "nl" and len(result.lower) >= 2 and result.lower[-1] == "te":
        joined = joined_verb(result.lower[-2], word_lemma)
        if joined is not None:
            return joined
    return word_lemma
