"""The coder's learned layer: stored weights, the fast scoring path, training, evidence."""

from __future__ import annotations

import random

import pytest

from participatie.themes.codebook import DEFAULT_THEMES, ThemeSpec, indicators
from participatie.themes.coder import Coder
from participatie.themes.model import (
    DEFAULT_MODEL,
    TRAINING_CORPUS,
    CoderModel,
    Example,
    corpus_digest,
    default_model,
    read_corpus,
    train,
)
from tests.themes.helpers import UNSEEN, read_jsonl


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


def test_the_shipped_model_was_trained_on_the_shipped_corpus() -> None:
    """Fails when the corpus changed without `flask themes train`."""
    model = default_model()
    assert model.meta["corpus"] == corpus_digest()
    assert model.meta["answers"] == len(read_corpus())
    assert set(model.themes.labels) == {theme.slug for theme in DEFAULT_THEMES}


def test_the_unseen_answers_are_not_in_the_corpus() -> None:
    corpus = {example.text.strip().lower() for example in read_corpus(TRAINING_CORPUS)}
    for path in UNSEEN:
        overlap = [
            row["text"]
            for row in read_jsonl(path)
            # Short stock answers ("geen", "dank jullie wel voor alles") may well coincide.
            if row["text"].strip().lower() in corpus and len(row["text"].split()) > 5
        ]
        assert not overlap, path


def test_a_model_survives_dumping_and_loading_unchanged() -> None:
    model = default_model()
    again = CoderModel.loads(model.dumps())
    assert again.dumps() == model.dumps()
    assert again.themes.labels == model.themes.labels
    assert DEFAULT_MODEL.read_bytes() == model.dumps()


def test_a_model_of_an_unknown_format_is_refused() -> None:
    data = default_model().as_dict()
    data["format"] = 99
    with pytest.raises(ValueError, match="format"):
        CoderModel.from_dict(data)


def test_fast_theme_scores_equal_the_scores_of_the_features(coder: Coder) -> None:
    model = default_model()
    texts = [row["text"] for row in read_jsonl(UNSEEN[0])[:60]]
    for text in texts:
        reading = coder.read(text)
        features, _ = coder.features(text)
        slow = model.themes.scores(features)
        fast = coder._theme_scores(model, reading)
        assert fast == pytest.approx(slow, abs=1e-9), text


def test_the_layer_finds_what_the_rules_miss(coder: Coder) -> None:
    text = "Praat met de kinderen, niet over de kinderen."
    assert Coder(model=None).code(text).slugs == []
    coded = coder.code(text)
    assert coded.slugs == ["being_heard"]
    assert 0.4 <= coded.themes[0].confidence <= 1
    assert coded.sentiment == 0  # advice, not a complaint


def test_evidence_of_a_theme_the_layer_found_is_words_of_the_answer(coder: Coder) -> None:
    text = "Ik hoorde pas via school dat mijn zoon ergens anders ging wonen."
    assert "child_contact" not in Coder(model=None).code(text).slugs
    coded = coder.code(text)
    assert "child_contact" in coded.slugs
    theme = coded.themes[coded.slugs.index("child_contact")]
    assert theme.evidence
    for words in theme.evidence:
        assert words in text


def test_a_theme_staff_added_is_given_by_its_rules(coder: Coder) -> None:
    money = ThemeSpec("money", "Geld", "Money", "", "", indicators({"geld": 1.0}, {"money": 1}))
    coder = Coder([*DEFAULT_THEMES, money])
    assert "money" in coder.code("Het ging alleen maar over geld, nooit over mijn kind.").slugs


def test_a_merged_theme_counts_under_its_target() -> None:
    themes = [theme for theme in DEFAULT_THEMES if theme.slug != "continuity"]
    text = "Ze belde nooit terug en ik had steeds een andere gezinsvoogd."
    assert "continuity" not in Coder(themes).code(text).slugs
    merged = Coder(themes, aliases={"continuity": "roles"}).code(text)
    assert "roles" in merged.slugs


def test_at_most_three_themes_even_when_the_layer_and_rules_find_more(coder: Coder) -> None:
    text = (
        "Geen uitleg, nooit teruggebeld, een jaar op de wachtlijst, het rapport klopte niet, "
        "mijn klacht werd genegeerd en ik mocht mijn kinderen niet zien."
    )
    assert len(coder.code(text).themes) == 3


def test_training_learns_a_theme_from_examples() -> None:
    """A small corpus with a new theme: the trained layer gives it to unseen wordings."""
    rng = random.Random(4)
    corpus = [example for example in read_corpus() if rng.random() < 0.15]
    money = [
        "Het ging alleen maar over geld en de kosten.",
        "We moesten zelf de reiskosten betalen, dat geld hebben we niet.",
        "De eigen bijdrage was veel te hoog voor ons.",
        "Wie betaalt de rekening van de opvang?",
        "Ik kreeg een rekening van honderden euro's.",
        "Door de kosten konden we de bezoeken niet betalen.",
        "Het geld voor de pleegzorg kwam nooit aan.",
        "Schulden werden alleen maar groter door alle kosten.",
    ]
    examples = [*corpus, *(Example(text, "nl", frozenset({"money"}), -1) for text in money)]
    slugs = [*(theme.slug for theme in DEFAULT_THEMES), "money"]
    rules = Coder(DEFAULT_THEMES, model=None)
    model = train(examples, rules.features, slugs)
    assert "money" in model.themes.labels
    specs = [*DEFAULT_THEMES, ThemeSpec("money", "Geld", "Money", "", "", {})]
    coded = Coder(specs, model=model).code("De kosten van het vervoer konden we niet betalen.")
    assert "money" in coded.slugs


def test_training_refuses_a_corpus_without_every_sentiment() -> None:
    examples = [Example("Fijn.", "nl", frozenset(), 1)] * 3
    with pytest.raises(ValueError, match="sentiment"):
        train(examples, Coder(model=None).features, ["roles"])
