from __future__ import annotations

import pytest
from textblob import TextBlob

from participatie.themes.text.analysis import analyse
from participatie.themes.text.blob import make_blob
from participatie.themes.text.sentiment import DutchAnalyzer, EnglishAnalyzer, scorer_for


def label(text: str, lang: str = "nl") -> int:
    return scorer_for(lang).score(analyse(text, lang)).label


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Het was duidelijk.", 1),
        ("Het was niet duidelijk.", -1),
        ("Ik kreeg geen uitleg.", -1),
        ("Ik kreeg uitleg.", 0),
        ("Ze hebben me nooit teruggebeld.", -1),
        ("Ze belden nooit terug.", -1),
        ("Ze luisterden niet naar mij.", -1),
        ("Niemand luisterde naar mij.", -1),
        ("Ze luisterde goed naar mij.", 1),
        ("Heel fijn contact met de gezinsvoogd.", 1),
        ("Niet slecht.", 1),
        ("De wachtlijst was veel te lang.", -1),
        ("Ik werd niet serieus genomen.", -1),
        ("Ik werd serieus genomen.", 1),
    ],
)
def test_dutch_negation_and_domain_words(text: str, expected: int) -> None:
    assert label(text) == expected


def test_intensifiers_strengthen_and_diminishers_weaken() -> None:
    plain = scorer_for("nl").score(analyse("Het was fijn.", "nl")).score
    strong = scorer_for("nl").score(analyse("Het was heel fijn.", "nl")).score
    weak = scorer_for("nl").score(analyse("Het was een beetje fijn.", "nl")).score
    assert weak < plain < strong


def test_negation_does_not_reach_past_a_clause() -> None:
    assert label("Niet iedereen weet het, maar de gezinsvoogd was fijn.") == 1


def test_praise_and_complaint_together_are_mixed() -> None:
    assert label("De psycholoog was heel goed maar we moesten wel een jaar wachten.") == 0
    assert label("Het contact was wisselend: soms snel antwoord, soms weken niks.") == 0


def test_no_judgement_is_neutral() -> None:
    assert label("Geen verdere opmerkingen.") == 0
    assert label("nothing to add really", "en") == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The guardian was very helpful.", 1),
        ("The guardian was not helpful at all.", -1),
        ("Nobody ever called me back.", -1),
        ("I didn't get any explanation.", -1),
        ("My calls went unanswered for weeks.", -1),
        ("I rarely managed to reach her.", -1),
        ("They took my concerns seriously.", 1),
    ],
)
def test_english_uses_textblob_lexicon_with_negation_and_domain_words(
    text: str, expected: int
) -> None:
    assert label(text, "en") == expected


def test_analyzers_plug_into_textblob() -> None:
    dutch = TextBlob("Ik ben heel tevreden.", analyzer=DutchAnalyzer())
    assert dutch.sentiment.label == 1
    assert dutch.sentiment.polarity > 0
    english = TextBlob("Nobody listened to me.", analyzer=EnglishAnalyzer())
    assert english.sentiment.label == -1


def test_blob_works_with_project_components() -> None:
    blob = make_blob("Ik kreeg geen uitleg. Een vaste contactpersoon zou fijn zijn.")
    assert [str(sentence) for sentence in blob.sentences] == [
        "Ik kreeg geen uitleg.",
        "Een vaste contactpersoon zou fijn zijn.",
    ]
    assert blob.words[:3] == ["Ik", "kreeg", "geen"]
    assert "vaste contactpersoon" in blob.noun_phrases
    assert blob.sentences[0].sentiment.label == -1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a negation inside a phrase with a gap
        ("Ik voelde me helemaal niet gehoord.", -1),
        ("Ik voelde me echt gehoord.", 1),
        # the verb in second place, as in a Dutch main clause
        ("Ze namen mij vanaf het begin serieus.", 1),
        ("Ze namen mij nooit serieus.", -1),
        # a separable verb split over the clause, a wanted thing missing
        ("Ze legde helemaal niets uit.", -1),
        # "zonder" after a verb opens a phrase of its own
        ("Ze luisterde zonder te oordelen.", 1),
        # chat spelling
        ("echt nie fijn", -1),
        # "kan beter" is a complaint, "beter" alone is not
        ("De communicatie kan beter.", -1),
        # a wish about the past is a complaint
        ("Ik had graag eerder hulp gehad.", -1),
        # reliability of something a parent wants
        ("Ze reageert altijd snel op mijn berichten.", 1),
        # no answer at all
        ("Ik weet het niet.", 0),
        ("Ik weet het eigenlijk niet zo goed.", 0),
        # a negator that belongs to a phrase of the lexicon negates nothing else
        ("Niets te klagen, ze hebben ons goed geholpen.", 1),
    ],
)
def test_dutch_word_order_negation_scope_and_phrases(text: str, expected: int) -> None:
    assert label(text) == expected


def test_never_such_a_emphasises_instead_of_negating() -> None:
    assert label("Ik heb nog nooit zo'n onbeschofte medewerker gezien.") == -1
    assert label("Ik heb nog nooit zulke lieve mensen ontmoet.") == 1


def test_sarcastic_praise_opening_a_complaint_turns_negative() -> None:
    assert label("Top hoor, weer niemand die terugbelt.") == -1
    assert label("Nou, prima hoor, weer een afspraak afgezegd.") == -1
    assert label("Oh great, another new caseworker.", "en") == -1


def test_praise_with_hoor_but_without_complaint_stays_praise() -> None:
    assert label("Top hoor!") == 1
    assert label("Het ging uiteindelijk wel goed hoor.") == 1  # not at the opening
    assert label("Oh great, that really helped.", "en") == 1


def test_an_intensifier_that_strengthens_nothing_is_a_judgement() -> None:
    assert label("Verschrikkelijk.") == -1
    assert label("Echt vreselijk hoe ze met ons zijn omgegaan.") == -1
    assert label("Ze was verschrikkelijk aardig.") == 1


def test_praise_and_complaint_on_either_side_of_a_contrast_are_mixed() -> None:
    assert label("De gezinsvoogd was heel aardig, maar de wachttijd was veel te lang.") == 0
    assert label("Het gesprek was fijn, alleen duurde het wachten veel te lang.") == 0
    assert label("De gezinsvoogd was heel aardig en de wachttijd viel mee.") == 1
    # "alleen maar" is no contrast
    assert label("Het was een zware tijd, alleen maar ellende.") == -1


def test_an_adverb_of_evidence_is_no_praise() -> None:
    assert label("Ze was duidelijk niet blij met ons.") == -1
    assert label("Het was duidelijk.") == 1


def test_an_answer_that_opens_with_an_imperative_is_advice() -> None:
    score = scorer_for("nl").score(analyse("Geef ouders een vast aanspreekpunt.", "nl"))
    assert score.suggestion
    assert score.label == 0
    assert not score.is_silent


def test_english_contractions_without_apostrophe_negate() -> None:
    assert label("They dont listen to us.", "en") == -1
    assert label("She didnt explain anything.", "en") == -1
