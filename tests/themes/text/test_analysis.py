from __future__ import annotations

from participatie.themes.text.analysis import analyse


def test_a_particle_and_te_give_the_verb_the_lemma_of_the_separable_verb() -> None:
    analysis = analyse("Ze nam de tijd om het rustig uit te leggen.", "nl")
    assert analysis.lemmas[-1] == "uitleggen"
    assert analysis.lower[-1] == "leggen"  # the word itself stays as written
    assert analyse("Ik hoefde niks in te vullen.", "nl").lemmas[-1] == "invullen"


def test_te_after_another_word_leaves_the_verb_alone() -> None:
    assert analyse("Ik probeerde naar huis te gaan.", "nl").lemmas[-1] == "gaan"
    assert analyse("Ik probeerde het te leggen.", "en").lemmas[-1] == "leggen"
