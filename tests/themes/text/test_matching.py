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


def dutch_sources(patterns: list[str], text: str) -> set[str]:
    index = PatternIndex(((pattern, pattern) for pattern in patterns), language="nl")
    return {hit.value for hit in index.find(analyse(text, "nl"))}


def test_a_separable_verb_matches_when_split_in_a_main_clause() -> None:
    assert dutch_sources(["afzeggen"], "Ze zegden het bezoek gisteren weer af.") == {"afzeggen"}
    assert dutch_sources(["doorsturen"], "Het loket stuurde ons door naar de gemeente.") == {
        "doorsturen"
    }
    # Without the language the pattern is taken literally.
    assert sources(["afzeggen"], "Ze zegden het bezoek gisteren weer af.") == set()


def test_a_split_particle_has_to_close_its_clause() -> None:
    # "op" here opens a prepositional phrase, it is not the particle of "opbellen".
    assert dutch_sources(["opbellen"], "Ze bellen op dinsdag de school.") == set()
    assert dutch_sources(["opbellen"], "Ze belde me gisteren pas op.") == {"opbellen"}


def test_a_split_verb_counts_as_one_word() -> None:
    index = PatternIndex([("terugbellen", "x")], language="nl")
    (hit,) = index.find(analyse("Hij belde nooit terug.", "nl"))
    assert hit.pattern.size == 1
    assert not hit.pattern.is_phrase
    assert hit.evidence(analyse("Hij belde nooit terug.", "nl")) == "belde … terug"


def test_a_phrase_ending_in_a_verb_also_matches_with_the_verb_second() -> None:
    assert dutch_sources(["serieus nemen"], "De rechter nam mijn dochter serieus.") == {
        "serieus nemen"
    }
    assert dutch_sources(["op de hoogte houden"], "Zij hield ons netjes op de hoogte.") == {
        "op de hoogte houden"
    }


def test_questions_and_subordinate_clauses_keep_the_verb_last() -> None:
    assert dutch_sources(["wat ... verwachten"], "Ik verwachtte wat meer hulp.") == set()
    assert dutch_sources(["wat ... verwachten"], "Niemand zei wat we konden verwachten.") == {
        "wat ... verwachten"
    }
