from __future__ import annotations

from participatie.themes.text.analysis import analyse
from participatie.themes.text.matching import PatternIndex


def sources(patterns: list[str], text: str, lang: str = "nl") -> set[str]:
    index = PatternIndex((pattern, pattern) for pattern in patterns)
    return {hit.value for hit in index.find(analyse(text, lang))}


def test_words_match_by_lemma() -> None:
    assert sources(["wachtlijst", "terugbellen"], "Wachtlijsten! Nooit teruggebeld.") == {
        "wachtlijst",
        "terugbellen",
    }


def test_word_parts_match_dutch_compounds() -> None:
    patterns = ["bezoek*", "*voogd", "*wacht*"]
    text = "De bezoekregeling, de gezinsvoogd en de jeugdzorgwachtlijst."
    assert sources(patterns, text) == set(patterns)


def test_phrases_allow_a_gap_of_at_most_four_words() -> None:
    assert sources(["bellen ... terug"], "Ze belde mij nooit meer terug.") == {"bellen ... terug"}
    assert sources(["bellen ... terug"], "Ze belde en ik wachtte heel erg lang, terug") == set()
    assert sources(["op de hoogte"], "Ze hielden me op de hoogte") == {"op de hoogte"}
    assert sources(["op de hoogte"], "op hoogte de") == set()


def test_co_occurrence_needs_the_same_sentence() -> None:
    pattern = "zoon|dochter & bellen"
    assert sources([pattern], "Bellen mocht niet met mijn dochter.") == {pattern}
    assert sources([pattern], "Mijn dochter woont daar. Bellen mocht niet.") == set()


def test_phrases_do_not_cross_sentences() -> None:
    assert sources(["uit huis"], "Ik ging uit. Huis was leeg.") == set()
