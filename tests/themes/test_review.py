"""Reviewing theme codes per answer: decisions change what the results count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from participatie.auth.models import User
from participatie.db import db
from participatie.surveys import queries as survey_queries
from participatie.surveys.models import SurveyAnswer
from participatie.themes import queries, review
from participatie.themes.models import ThemeReview
from participatie.themes.operations import retire_theme
from participatie.themes.queries import highlight
from tests.themes.conftest import answers_of, wave

WAITING_LIST = "De wachtlijst was veel te lang."


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"K_THRESHOLD": 5}


def _reviewer(create_user: Callable[..., Any]) -> User:
    return db.session.get_one(User, create_user("ambassadeur").id)


def test_confirm_reject_and_add_change_what_results_count(
    app: Flask, closed_wave: Callable[..., int], create_user: Callable[..., Any]
) -> None:
    wave_id = closed_wave([WAITING_LIST] * 6)
    with app.app_context():
        reviewer = _reviewer(create_user)
        assert survey_queries.open_answer_themes(wave_id) == [("timely_care", 6)]
        answers = answers_of(wave_id)
        review.decide(reviewer, answers[0], "timely_care", "confirmed")
        db.session.commit()
        assert survey_queries.open_answer_themes(wave_id) == [("timely_care", 6)]
        review.decide(reviewer, answers[1], "timely_care", "rejected")
        db.session.commit()
        assert survey_queries.open_answer_themes(wave_id) == [("timely_care", 5)]
        # Below k the theme is hidden like any small group.
        review.decide(reviewer, answers[2], "timely_care", "rejected")
        for answer in answers[:5]:
            review.decide(reviewer, answer, "roles", "added")
        db.session.commit()
        assert survey_queries.open_answer_themes(wave_id) == [("roles", 5)]
        open_answers = survey_queries.open_answers(wave(wave_id), "nl")[0].answers
        assert sorted(a.themes for a in open_answers).count(("timely_care", "roles")) == 3
        assert ("roles",) in [a.themes for a in open_answers]


def test_a_second_decision_replaces_the_first(
    app: Flask, closed_wave: Callable[..., int], create_user: Callable[..., Any]
) -> None:
    wave_id = closed_wave([WAITING_LIST] * 5)
    with app.app_context():
        reviewer = _reviewer(create_user)
        answer = answers_of(wave_id)[0]
        review.decide(reviewer, answer, "timely_care", "rejected")
        db.session.commit()
        assert queries.slugs_of(answer.themes) == []
        review.decide(reviewer, answer, "timely_care", "confirmed")
        db.session.commit()
        rows = db.session.scalars(select(ThemeReview)).all()
        assert [(r.theme_slug, r.decision, r.reviewer_id) for r in rows] == [
            ("timely_care", "confirmed", reviewer.id)
        ]
        stored = db.session.get_one(SurveyAnswer, answer.id).themes
        assert [t["slug"] for t in stored] == ["timely_care"]
        assert stored[0]["source"] == "review"
        assert "wachtlijst" in stored[0]["evidence"]  # highlighting survives the round trip


def test_confirming_a_code_the_answer_never_had_is_refused(
    app: Flask, closed_wave: Callable[..., int], create_user: Callable[..., Any]
) -> None:
    wave_id = closed_wave([WAITING_LIST] * 5)
    with app.app_context():
        reviewer = _reviewer(create_user)
        answer = answers_of(wave_id)[0]
        with pytest.raises(review.ReviewError) as refused:
            review.decide(reviewer, answer, "roles", "confirmed")
        assert refused.value.reason == "not_coded"
        with pytest.raises(review.ReviewError):
            review.decide(reviewer, answer, "no_such_theme", "added")
        retired = queries.all_themes()[-1]
        retire_theme(reviewer, retired)
        with pytest.raises(review.ReviewError):
            review.decide(reviewer, answer, retired.slug, "added")
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(ThemeReview)) == 0


def test_reviews_go_with_their_answer_and_keep_no_reviewer_when_the_account_goes(
    app: Flask, closed_wave: Callable[..., int], create_user: Callable[..., Any]
) -> None:
    wave_id = closed_wave([WAITING_LIST] * 5)
    with app.app_context():
        reviewer = _reviewer(create_user)
        review.decide(reviewer, answers_of(wave_id)[0], "timely_care", "confirmed")
        db.session.commit()
        db.session.delete(reviewer)
        db.session.commit()
        assert db.session.scalar(select(ThemeReview.reviewer_id)) is None
        db.session.delete(wave(wave_id))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(ThemeReview)) == 0


def test_answers_of_open_waves_are_never_reviewable(
    app: Flask, open_wave_with_answers: Callable[..., int]
) -> None:
    wave_id = open_wave_with_answers([WAITING_LIST] * 5)
    with app.app_context():
        released = answers_of(wave_id)
        assert len(released) == 5  # released, but the wave is still open
        assert queries.reviewable_waves() == []
        assert queries.reviewable_answer(released[0].id) is None
        assert queries.review_page(None, None, "all", 1, "nl").items == []


def test_small_closed_waves_are_not_reviewable(app: Flask, closed_wave: Callable[..., int]) -> None:
    wave_id = closed_wave([WAITING_LIST] * 4)
    with app.app_context():
        assert queries.reviewable_answer(answers_of(wave_id)[0].id) is None


def test_review_page_filters_on_theme_status_and_wave(
    app: Flask, closed_wave: Callable[..., int], create_user: Callable[..., Any]
) -> None:
    first = closed_wave([WAITING_LIST] * 3 + ["Ik wist niet wie verantwoordelijk was."] * 2)
    second = closed_wave(["Ze luisterden niet naar mij."] * 5)
    with app.app_context():
        reviewer = _reviewer(create_user)
        assert queries.review_page(None, None, "open", 1, "nl").total == 10
        assert queries.review_page(first, None, "all", 1, "nl").total == 5
        assert queries.review_page(None, "timely_care", "all", 1, "nl").total == 3
        answer = next(a for a in answers_of(first) if "wachtlijst" in (a.text or ""))
        review.decide(reviewer, answer, "timely_care", "rejected")
        db.session.commit()
        # A rejected code still finds its answer under that theme, to undo it.
        page = queries.review_page(None, "timely_care", "done", 1, "nl")
        assert [item.answer_id for item in page.items] == [answer.id]
        assert page.items[0].rejected == ["timely_care"]
        assert queries.review_page(None, None, "open", 1, "nl").total == 9
        assert queries.review_page(second, "timely_care", "all", 1, "nl").total == 0


def test_review_page_shows_25_per_page(app: Flask, closed_wave: Callable[..., int]) -> None:
    closed_wave([WAITING_LIST] * 27)
    with app.app_context():
        first = queries.review_page(None, None, "open", 1, "nl")
        last = queries.review_page(None, None, "open", 99, "nl")
        assert (len(first.items), first.pages, last.page, len(last.items)) == (25, 2, 2, 2)


def test_highlight_escapes_the_text_before_marking_the_evidence() -> None:
    marked = highlight(
        "<b>Wachtlijst</b> & nooit  teruggebeld", ["wachtlijst", "nooit teruggebeld"]
    )
    assert str(marked) == (
        "&lt;b&gt;<mark>Wachtlijst</mark>&lt;/b&gt; &amp; <mark>nooit  teruggebeld</mark>"
    )
    assert str(highlight("bellen, en dan terug", ["bellen … terug"])) == (
        "<mark>bellen</mark>, en dan <mark>terug</mark>"
    )
    assert str(highlight("a <mark> b", ["mark"])) == "a &lt;<mark>mark</mark>&gt; b"
