from __future__ import annotations

import pytest

from participatie.themes.text.language import detect_language
from participatie.themes.text.tokenize import split_words


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ik kreeg nooit uitleg over de maatregel.", "nl"),
        ("het wijkteam belde niet terug en niemand wist waarom", "nl"),
        ("Wachten, wachten en nog eens wachten.", "nl"),
        ("The wijkteam and the GI gave us completely different advice.", "en"),
        ("I never understood whether Veilig Thuis or the wijkteam was handling our case.", "en"),
        ("nothing to add really", "en"),
        ("My calls went unanswered for weeks.", "en"),
        ("Geen verdere opmerkingen.", "nl"),
    ],
)
def test_detects_dutch_and_english_answers(text: str, language: str) -> None:
    assert detect_language(split_words(text)) == language


def test_a_tie_follows_the_hint_then_dutch() -> None:
    assert detect_language(["OTS", "GI"], hint="en") == "en"
    assert detect_language(["OTS", "GI"]) == "nl"
    assert detect_language([], hint="fr") == "nl"
