"""Sentence and word splitting for Dutch and English that needs no NLTK data.

TextBlob's own tokenizers call NLTK's Punkt model (`punkt_tab`), which would have to be downloaded;
these are regular expressions with a list of Dutch and English abbreviations instead. Both classes
are TextBlob tokenizer plug-ins (`BaseTokenizer`), so a `TextBlob` can use them directly.
"""

from __future__ import annotations

import re

from textblob.base import BaseTokenizer

from .language import word_set

# Lower-case, without the final dot. A dot after one of these does not end a sentence.
ABBREVIATIONS = word_set(
    """
    mevr mw mvr dhr hr mr mrs ms dr drs ir ing prof jr sr st ds
    bijv bv o.a d.w.z m.a.w i.p.v i.v.m t.a.v t.o.v z.s.m m.b.t a.u.b s.v.p e.d enz etc evt ca nr
    vs resp incl excl tel ong max min jl vlg zgn pag blz p.p d.m.v n.a.v i.c.m m.i.v t.z.t
    e.g i.e a.m p.m approx dept inc ltd co
    """
)

# A placeholder from the scrubber, a word (letters, digits, inner hyphens and apostrophes),
# a run of sentence-final punctuation, or any other single symbol.
_TOKEN = re.compile(r"\[[^\W\d_]+(?:-[^\W\d_]+)*\]|\w+(?:[-'’]\w+)*|[.!?…]+|[^\w\s]")
# English clitics split off as their own token, as the Penn Treebank does ("did" "n't").
_CLITIC = re.compile(r"^(\w+?)(n't|'s|'m|'re|'ve|'ll|'d)$", re.IGNORECASE)
_CONTRACTED_STEMS = {"ca": "can", "wo": "will", "sha": "shall"}

_BOUNDARY = re.compile(r"[.!?…]+['\"”’)\]]*(?=\s)|\n\s*")
_LAST_WORD = re.compile(r"([\w.]+)$")


def split_words(text: str) -> list[str]:
    """Words, placeholders and punctuation marks, in order."""
    tokens = _TOKEN.findall(text.replace("’", "'"))
    if "'" not in text and "’" not in text:
        return tokens
    split: list[str] = []
    for token in tokens:
        match = _CLITIC.match(token) if "'" in token else None
        if match is None:
            split.append(token)
            continue
        stem, clitic = match.groups()
        if clitic.lower() == "n't":
            stem = _CONTRACTED_STEMS.get(stem.lower(), stem)
        split.extend((stem, clitic))
    return split


def is_word(token: str) -> bool:
    return token[0].isalnum() or (token[0] == "[" and len(token) > 2)


def _ends_with_abbreviation(text_before_dot: str) -> bool:
    match = _LAST_WORD.search(text_before_dot)
    if match is None:
        return False
    word = match.group(1).lower().strip(".")
    # Initials ("J. de Vries") and enumerations ("punt 3. daarna") do not end a sentence either.
    return word in ABBREVIATIONS or len(word) == 1 or (word.isdigit() and len(word) <= 2)


def split_sentences(text: str) -> list[str]:
    """Sentences, split after . ! ? … and at line breaks, stripped, never empty."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        mark = match.group()
        is_dot = mark.startswith(".") and mark.rstrip("'\"”’)]") == "."
        if is_dot and _ends_with_abbreviation(text[start : match.start()]):
            continue
        end = match.end()
        sentence = text[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = end
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


class WordTokenizer(BaseTokenizer):
    """TextBlob word tokenizer plug-in: `TextBlob(text, tokenizer=WordTokenizer())`."""

    def tokenize(self, text: str, include_punc: bool = True) -> list[str]:  # type: ignore[override]
        tokens = split_words(text)
        return tokens if include_punc else [token for token in tokens if is_word(token)]


class SentenceTokenizer(BaseTokenizer):
    """TextBlob sentence tokenizer plug-in: splits without NLTK's Punkt model."""

    def tokenize(self, text: str) -> list[str]:
        return split_sentences(text)
