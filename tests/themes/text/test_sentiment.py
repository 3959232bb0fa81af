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
