from __future__ import annotations

import pytest

from participatie.themes.text.lemmas import joined_verb, lemma, split_separable


@pytest.mark.parametrize(
    ("word", "expected"),
    [("nie", "niet"), ("gwn", "gewoon"), ("mn", "mijn"), ("nx", "niks"), ("egt", "echt")],
)
def test_chat_spelling_gets_the_lemma_of_the_full_word(word: str, expected: str) -> None:
    assert lemma(word, "nl") == expected


def test_english_contractions_without_apostrophe_are_negations() -> None:
    assert lemma("didnt", "en") == "not"
    assert lemma("dont", "en") == "not"


def test_dutch_participles_simplemma_gets_wrong() -> None:
    assert lemma("geweten", "nl") == "weten"
    assert lemma("staat", "nl") == "staan"


def test_separable_verbs_split_into_particle_and_verb() -> None:
    assert split_separable("terugbellen") == ("terug", "bellen")
    assert split_separable("doorverwijzen") == ("door", "verwijzen")
    assert split_separable("overleggen") is None  # "we overleggen", not "we leggen over"
    assert split_separable("behandelen") is None


def test_a_particle_and_a_verb_join_only_into_a_known_verb() -> None:
    assert joined_verb("uit", "leggen") == "uitleggen"
    assert joined_verb("huis", "gaan") is None
    assert joined_verb("uit", "mooi") is None
