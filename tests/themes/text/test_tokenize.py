from __future__ import annotations

from textblob import TextBlob

from participatie.themes.text.tokenize import (
    SentenceTokenizer,
    WordTokenizer,
    split_sentences,
    split_words,
)


def test_sentences_split_after_stops_and_line_breaks_but_not_after_abbreviations() -> None:
    text = (
        "Ik sprak mevr. Jansen o.a. over de OTS. Daarna niks! Klopt dat?\n"
        "nieuwe regel zonder punt\n\nJ. de Vries kwam ook, bijv. op dinsdag."
    )
    assert split_sentences(text) == [
        "Ik sprak mevr. Jansen o.a. over de OTS.",
        "Daarna niks!",
        "Klopt dat?",
        "nieuwe regel zonder punt",
        "J. de Vries kwam ook, bijv. op dinsdag.",
    ]


def test_lower_case_sentence_starts_still_split() -> None:
    assert split_sentences("alles viel weg. ineens geen begeleider meer") == [
        "alles viel weg.",
        "ineens geen begeleider meer",
    ]


def test_english_abbreviations_and_quotes() -> None:
    assert split_sentences('Mr. Smith said "no." Then e.g. nothing happened.') == [
        'Mr. Smith said "no."',
        "Then e.g. nothing happened.",
    ]


def test_words_keep_placeholders_hyphens_and_dutch_apostrophes() -> None:
    assert split_words("Mijn [e-mail] kwam niet aan bij m'n ex-partner, zo'n gedoe!") == [
        "Mijn", "[e-mail]", "kwam", "niet", "aan", "bij", "m'n", "ex-partner", ",", "zo'n",
        "gedoe", "!",
    ]  # fmt: skip


def test_english_contractions_are_split_like_the_treebank() -> None:
    assert split_words("I didn't know, they can't help and it's late") == [
        "I", "did", "n't", "know", ",", "they", "can", "n't", "help", "and", "it", "'s", "late",
    ]  # fmt: skip


def test_word_tokenizer_without_punctuation() -> None:
    assert WordTokenizer().tokenize("Echt, nooit teruggebeld!", include_punc=False) == [
        "Echt",
        "nooit",
        "teruggebeld",
    ]


def test_tokenizers_plug_into_textblob() -> None:
    blob = TextBlob("Eerste zin. Tweede zin!", tokenizer=WordTokenizer())
    assert blob.tokens == ["Eerste", "zin", ".", "Tweede", "zin", "!"]
    assert SentenceTokenizer().tokenize("Eerste zin. Tweede zin!") == ["Eerste zin.", "Tweede zin!"]
