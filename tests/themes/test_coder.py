from __future__ import annotations

from pathlib import Path

import pytest

from participatie.themes.codebook import DEFAULT_SLUGS, DEFAULT_THEMES, ThemeSpec, indicators
from participatie.themes.coder import Coder
from participatie.themes.evaluation import Evaluation, evaluate
from participatie.themes.text.scrub import Kind
from tests.themes.helpers import LABELLED, SHARED_DEV, UNSEEN, read_jsonl


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


def quality(coder: Coder, path: Path) -> Evaluation:
    rows = read_jsonl(path)
    coded = [(row, coder.code(row["text"], row.get("lang"))) for row in rows]
    return evaluate(
        ((r["id"], r["themes"], r["sentiment"], c.slugs, c.sentiment) for r, c in coded),
        DEFAULT_SLUGS,
    )


def test_codes_themes_sentiment_language_and_scrubs(coder: Coder) -> None:
    coded = coder.code("Mevrouw Bakker belde nooit terug en er was geen vaste contactpersoon.")
    assert coded.slugs == ["continuity"]
    assert coded.sentiment == -1
    assert coded.sentiment_score < 0
    assert coded.language == "nl"
    assert coded.scrubbed.startswith("Mevrouw [naam] belde")
    assert coded.found_kinds == {Kind.NAME}
    continuity = coded.themes[0]
    assert 0.5 <= continuity.confidence <= 1
    assert "vaste contactpersoon" in continuity.evidence


def test_evidence_comes_from_the_scrubbed_text(coder: Coder) -> None:
    coded = coder.code("Mijn zoon Daan zit in een pleeggezin en ik mag hem niet bellen.")
    assert "child_contact" in coded.slugs
    for theme in coded.themes:
        assert all("Daan" not in words for words in theme.evidence)


def test_english_answers_are_coded_in_english(coder: Coder) -> None:
    coded = coder.code("The wijkteam and the GI gave us completely different advice.", "nl")
    assert coded.language == "en"
    assert coded.slugs[0] == "cooperation"
    assert coded.sentiment == -1


def test_answers_without_a_theme(coder: Coder) -> None:
    assert coder.code("Geen verdere opmerkingen.").as_dict() == {
        "themes": [],
        "sentiment": 0,
        "language": "nl",
        "scrubbed": "Geen verdere opmerkingen.",
    }
    assert coder.code("Ik ben heel tevreden.").sentiment == 1


def test_a_phrase_claims_its_words_from_other_themes(coder: Coder) -> None:
    # "mijn verhaal" alone points at being heard; told again and again it is cooperation.
    coded = coder.code("Bij elke instantie moest ik mijn hele verhaal weer opnieuw vertellen.")
    assert coded.slugs == ["cooperation"]


def test_at_most_three_themes(coder: Coder) -> None:
    text = (
        "Geen uitleg, nooit teruggebeld, een jaar op de wachtlijst, het rapport klopte niet, "
        "mijn klacht werd genegeerd en ik mocht mijn kinderen niet zien."
    )
    assert len(coder.code(text).themes) == 3


def test_a_custom_codebook_is_used() -> None:
    spec = ThemeSpec("money", "Geld", "Money", "", "", indicators({"geld": 1.0}, {"money": 1.0}))
    coder = Coder([spec])
    assert coder.code("Het ging alleen maar over geld.").slugs == ["money"]
    assert coder.code("It was all about money.").slugs == ["money"]
    assert coder.code("Nooit teruggebeld.").slugs == []


def test_default_codebook_has_the_ten_themes_in_both_languages() -> None:
    assert DEFAULT_SLUGS == (
        "roles",
        "information",
        "being_heard",
        "continuity",
        "timely_care",
        "expertise",
        "client_support",
        "cooperation",
        "reporting",
        "child_contact",
    )
    for theme in DEFAULT_THEMES:
        assert theme.label_nl and theme.label_en and theme.description_nl and theme.description_en
        for language in ("nl", "en"):
            assert theme.indicators[language]["lemmas"], (theme.slug, language)
            assert theme.indicators[language]["phrases"], (theme.slug, language)


def test_quality_on_our_labelled_answers(coder: Coder) -> None:
    """Trained on: a check that the shipped model is the one trained on the corpus."""
    result = quality(coder, LABELLED)
    assert result.answers >= 300
    assert result.micro_f1 >= 0.9
    assert result.sentiment_accuracy >= 0.9


@pytest.mark.parametrize("path", UNSEEN, ids=lambda path: path.stem)
def test_quality_on_answers_never_trained_or_tuned_on(coder: Coder, path: Path) -> None:
    """The goal: micro-F1 and sentiment accuracy of at least 0.80 on unseen answers."""
    result = quality(coder, path)
    assert result.answers >= 200
    assert result.micro_f1 >= 0.8
    assert result.macro_f1 >= 0.8
    assert result.sentiment_accuracy >= 0.8


def test_the_rules_alone_generalise_worse_than_with_the_learned_layer(coder: Coder) -> None:
    rules = Coder(model=None)
    for path in UNSEEN:
        with_layer, alone = quality(coder, path), quality(rules, path)
        assert with_layer.micro_f1 > alone.micro_f1
        assert with_layer.sentiment_accuracy > alone.sentiment_accuracy


def test_quality_on_the_shared_development_answers(coder: Coder) -> None:
    """Not in the training corpus (the rules were tuned on it)."""
    result = quality(coder, SHARED_DEV)
    assert result.micro_f1 >= 0.85
    assert result.sentiment_accuracy >= 0.9


def money_coder(nl: dict[str, float]) -> Coder:
    return Coder([ThemeSpec("money", "Geld", "Money", "", "", indicators(nl, {"money": 1.0}))])


def test_the_same_words_found_by_two_indicators_count_once() -> None:
    coder = money_coder({"geld": 0.3, "geld*": 0.3})
    assert coder.code("Het ging alleen om geld.").slugs == []


def test_indicators_sharing_words_count_the_weaker_at_half() -> None:
    coder = money_coder({"geld": 0.3, "geld ... kwijt": 0.3, "schuld": 0.3})
    # 0.3 and half of 0.3 (they share "geld"): below the threshold
    assert coder.code("Ik ben mijn geld kwijt.").slugs == []
    # 0.3, 0.15 and an independent 0.3
    assert coder.code("Ik ben mijn geld kwijt en heb een schuld.").slugs == ["money"]


def test_a_decisive_indicator_is_not_claimed_by_another_themes_phrase() -> None:
    specs = [
        ThemeSpec("report", "", "", "", "", indicators({"rapport": 0.8}, {"report": 0.8})),
        ThemeSpec(
            "info",
            "",
            "",
            "",
            "",
            indicators({"rapport ... nooit ... lezen": 0.6}, {"information": 0.6}),
        ),
    ]
    coded = Coder(specs).code("Het rapport heb ik nooit mogen lezen.")
    assert set(coded.slugs) == {"report", "info"}


def test_dutch_word_order_of_the_codebook_indicators() -> None:
    coder = money_coder({"terugbetalen": 1.0, "serieus nemen": 0.6})
    assert coder.code("Ze betaalden het geld nooit terug.").slugs == ["money"]
    assert coder.code("Ze namen mijn schulden niet serieus.").slugs == ["money"]


def test_no_complaints_is_not_about_the_complaint_procedure(coder: Coder) -> None:
    assert "client_support" not in coder.code("Ik heb geen klachten, het ging prima.").slugs
    assert coder.code("Ik heb een klacht ingediend bij de klachtencommissie.").slugs == [
        "client_support"
    ]


def test_telling_the_story_again_is_not_an_explanation(coder: Coder) -> None:
    coded = coder.code("Bij elke instantie moest ik alles weer opnieuw uitleggen.")
    assert coded.slugs == ["cooperation"]
    assert coder.code("De gezinsvoogd legde alles rustig uit.").slugs == ["information"]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Ze nam de telefoon nooit op en belde ook niet terug.", "continuity"),
        ("In een jaar tijd hebben we de vierde gezinsvoogd gekregen.", "continuity"),
        ("We wachten al maanden op een plek voor therapie.", "timely_care"),
        ("De behandelaar wist weinig van hechtingsproblemen.", "expertise"),
        ("Er werd over ons besloten zonder dat wij erbij waren.", "being_heard"),
        ("Ik mag mijn zoon maar één keer per maand zien.", "child_contact"),
        ("De school en de GI praten niet met elkaar.", "cooperation"),
        ("In het rapport staan dingen die nooit gebeurd zijn.", "reporting"),
        ("Niemand weet wie er nu verantwoordelijk is.", "roles"),
        ("Niemand heeft ons uitgelegd wat een OTS inhoudt.", "information"),
        ("Nobody ever called me back.", "continuity"),
        ("They decided everything without asking us.", "being_heard"),
    ],
)
def test_common_ways_of_naming_each_theme(coder: Coder, text: str, slug: str) -> None:
    assert slug in coder.code(text).slugs
