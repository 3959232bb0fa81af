"""The coder learns from reviews, keeps only adjustments that do not lower F1, and says so."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from participatie.audit.models import AuditEvent
from participatie.auth.models import User
from participatie.db import db
from participatie.themes import learning, review, tasks
from participatie.themes.model import default_model
from participatie.themes.models import CoderEvaluation, Theme, effective_indicators
from participatie.themes.operations import ThemeTexts, update_theme
from participatie.themes.queries import GoldAnswer, current_coder
from tests.themes.conftest import answers_of

WAITING_LIST = [
    "De wachtlijst was lang en de koffie koud.",
    "Op de wachtlijst stond de automaat ook, geen koffie.",
    "De wachtlijst bij de receptie voor koffie was lang.",
]
COFFEE = [
    "Er was geen gratis koffie bij de fietsenstalling.",
    "Gratis koffie zou fijn zijn.",
    "Ik miste gratis koffie in de hal.",
]


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"K_THRESHOLD": 5}  # base_config trains on a small corpus


def _theme(slug: str) -> Theme:
    return db.session.scalars(select(Theme).where(Theme.slug == slug)).one()


def _review_constructed_case(app: Flask, wave_id: int, create_user: Callable[..., Any]) -> None:
    """Staff say the waiting-list answers are not about timely care (they are about the coffee
    queue), and that the free-coffee answers are about being heard."""
    with app.app_context():
        reviewer = db.session.get_one(User, create_user("ambassadeur").id)
        for answer in answers_of(wave_id):
            if "wachtlijst" in (answer.text or ""):
                review.decide(reviewer, answer, "timely_care", "rejected")
            else:
                review.decide(reviewer, answer, "being_heard", "added")
        db.session.commit()


def test_learning_raises_f1_on_reviewed_answers_and_keeps_the_adjustment(
    app: Flask, closed_wave: Callable[..., int], create_user: Callable[..., Any]
) -> None:
    wave_id = closed_wave(WAITING_LIST + COFFEE)
    _review_constructed_case(app, wave_id, create_user)
    with app.app_context():
        tasks.learn_from_reviews()
        evaluation = db.session.scalars(select(CoderEvaluation)).one()
        assert evaluation.answers == 6
        # The rules: the indicator adjustment makes them right on every reviewed answer.
        assert (evaluation.rules_f1_before, evaluation.rules_f1_after) == (0.0, 1.0)
        assert evaluation.rules_kept
        learned = _theme("timely_care").indicators["nl"]["learned"]
        assert learned["wachtlijst"] < 0.5
        assert "gratis koffie" in _theme("being_heard").indicators["nl"]["learned"]
        # The seeded indicators are untouched; the coder reads the learned ones on top.
        assert _theme("timely_care").indicators["nl"]["lemmas"]["wachtlijst"] == 1.0
        # The whole coder: the shipped one gets none of the decisions right; trained with the
        # reviews it does better on answers it did not learn from, so it is kept and used.
        assert evaluation.f1_before == 0.0
        assert evaluation.f1_after > evaluation.f1_before
        assert evaluation.kept and evaluation.model
        assert current_coder().model.meta["reviewed"] == 6
        assert current_coder().code("Gratis koffie, dat was er niet.", "nl").slugs == [
            "being_heard"
        ]
        assert db.session.scalar(select(func.count()).where(AuditEvent.action == "theme.learned"))


def test_only_the_newest_kept_run_holds_a_learned_layer(
    app: Flask, closed_wave: Callable[..., int], create_user: Callable[..., Any]
) -> None:
    wave_id = closed_wave(WAITING_LIST + COFFEE)
    _review_constructed_case(app, wave_id, create_user)
    with app.app_context():
        first = learning.learn()
        second = learning.learn(force=True)
        db.session.commit()
        assert first is not None and second is not None and second.kept
        stored = db.session.scalars(
            select(CoderEvaluation.id).where(CoderEvaluation.model.is_not(None))
        ).all()
        assert stored == [second.id]


def test_a_bad_adjustment_is_not_kept(
    app: Flask, closed_wave: Callable[..., int], create_user: Callable[..., Any]
) -> None:
    wave_id = closed_wave(["Ik wist niet wie verantwoordelijk was."] * 5)
    with app.app_context():
        reviewer = db.session.get_one(User, create_user("ambassadeur").id)
        for answer in answers_of(wave_id):
            review.decide(reviewer, answer, "roles", "confirmed")
        db.session.commit()
        before = _theme("roles").indicators

        def switch_off_roles(
            themes: Sequence[Theme], gold: Sequence[GoldAnswer]
        ) -> learning.Proposal:
            proposal = learning.Proposal()
            for pattern in ("verantwoordelijk", "verantwoordelijk*"):
                proposal.set("roles", "nl", pattern, 0.0)
            return proposal

        evaluation = learning.learn(propose=switch_off_roles)
        db.session.commit()
        assert evaluation is not None
        assert (evaluation.rules_f1_before, evaluation.rules_kept) == (1.0, False)
        assert evaluation.rules_f1_after < evaluation.rules_f1_before
        assert _theme("roles").indicators == before
        assert "learned" not in _theme("roles").indicators["nl"]


def test_no_layer_is_kept_when_it_cannot_be_trained(
    app: Flask, closed_wave: Callable[..., int], create_user: Callable[..., Any]
) -> None:
    wave_id = closed_wave(["Ik wist niet wie verantwoordelijk was."] * 5)
    with app.app_context():
        reviewer = db.session.get_one(User, create_user("ambassadeur").id)
        for answer in answers_of(wave_id):
            review.decide(reviewer, answer, "roles", "confirmed")
        db.session.commit()
        evaluation = learning.learn(corpus=[])
        db.session.commit()
        assert evaluation is not None
        assert evaluation.f1_before == 1.0
        # Without a corpus there are no sentiments to learn from: nothing is trained or kept.
        assert (evaluation.f1_after, evaluation.kept, evaluation.model) == (0.0, False, None)
        assert current_coder().model is default_model()


def test_learning_runs_again_only_after_new_reviews(
    app: Flask, closed_wave: Callable[..., int], create_user: Callable[..., Any]
) -> None:
    with app.app_context():
        assert learning.learn() is None  # nothing reviewed yet
    wave_id = closed_wave(WAITING_LIST + COFFEE)
    _review_constructed_case(app, wave_id, create_user)
    with app.app_context():
        tasks.learn_from_reviews()
        tasks.learn_from_reviews()
        assert db.session.scalar(select(func.count()).select_from(CoderEvaluation)) == 1
        # After learning, the same decisions are already met by the rules: nothing to change.
        again = learning.learn(force=True)
        assert again is not None and again.rules_f1_before == again.rules_f1_after == 1.0


def test_editing_a_theme_keeps_what_was_learned(
    app: Flask, closed_wave: Callable[..., int], create_user: Callable[..., Any]
) -> None:
    wave_id = closed_wave(WAITING_LIST + COFFEE)
    _review_constructed_case(app, wave_id, create_user)
    with app.app_context():
        tasks.learn_from_reviews()
        theme = _theme("being_heard")
        update_theme(
            None,
            theme,
            ThemeTexts(theme.label_nl, theme.label_en, "", ""),
            {"nl": {"luisteren": 1.0}, "en": {"listen": 1.0}},
        )
        db.session.commit()
        stored = _theme("being_heard").indicators
        assert stored["nl"]["lemmas"] == {"luisteren": 1.0}
        assert "gratis koffie" in stored["nl"]["learned"]


def test_learned_weights_replace_add_and_switch_off() -> None:
    stored = {
        "nl": {
            "lemmas": {"wachtlijst": 1.0, "lang": 0.3},
            "phrases": {"te laat": 0.6},
            "learned": {"wachtlijst": 0.2, "te laat": 0.0, "gratis koffie": 0.5, "koud": 0.3},
        }
    }
    assert effective_indicators(stored) == {
        "nl": {
            "lemmas": {"wachtlijst": 0.2, "lang": 0.3, "koud": 0.3},
            "phrases": {"gratis koffie": 0.5},
        }
    }
