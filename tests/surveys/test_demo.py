"""The demo surveys: the closed wave was answered through the respondent pages, on its own days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from participatie.db import db
from participatie.demo import seed_demo
from participatie.surveys import operations, views
from participatie.surveys.demo import CLOSED_WAVE_RESPONSES, INVITATION_RESPONSES
from participatie.surveys.models import (
    PendingSubmission,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    SurveyTemplate,
    SurveyWave,
)
from participatie.themes.models import CoderEvaluation, ThemeReview
from participatie.themes.queries import emerging_phrases


@pytest.fixture
def sends(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every send through the respondent pages: who sent (open link or invitation) and in which
    language the page was."""
    seen: list[dict[str, Any]] = []
    original = views._Page.submit

    def submit(page: Any, current: Any) -> Any:
        seen.append({"ballot": bool(page.ballot), "locale": page.locale})
        return original(page, current)

    monkeypatch.setattr(views._Page, "submit", submit)
    return seen


def test_the_demo_answers_go_through_the_respondent_pages_on_the_waves_own_days(
    app: Flask, sends: list[dict[str, Any]]
) -> None:
    limit = app.config["SURVEY_OPEN_LINK_RATE_LIMIT"]
    with app.app_context():
        seed_demo()
        db.session.commit()
        today = operations.today()
        parents = db.session.scalar(
            select(SurveyTemplate).where(SurveyTemplate.slug == "ervaringen-ouders")
        )
        waves = db.session.scalars(
            select(SurveyWave).where(SurveyWave.template_id == parents.id).order_by(SurveyWave.id)
        ).all()
        assert [wave.status for wave in waves] == ["closed", "open"]
        closed, current = waves
        # Every answer came through the pages: from the open link and from invitations, in
        # Dutch and English, and none is left in the holding area.
        assert len(sends) == CLOSED_WAVE_RESPONSES
        assert sum(send["ballot"] for send in sends) == INVITATION_RESPONSES
        assert {send["locale"] for send in sends} == {"nl", "en"}
        responses = db.session.scalars(
            select(SurveyResponse).where(SurveyResponse.wave_id == closed.id)
        ).all()
        assert len(responses) == CLOSED_WAVE_RESPONSES
        assert db.session.scalar(select(func.count()).select_from(PendingSubmission)) == 0
        # The themes issue's demo: the closed wave is coded, some codes were reviewed and the
        # coder learned from them, and an emerging-theme suggestion is visible.
        open_answers = db.session.scalars(
            select(SurveyAnswer)
            .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
            .where(SurveyResponse.wave_id == closed.id, SurveyAnswer.text.is_not(None))
        ).all()
        assert open_answers and all(answer.text_language for answer in open_answers)
        assert all(answer.sentiment in (-1, 0, 1) for answer in open_answers)
        assert sum(bool(answer.themes) for answer in open_answers) > len(open_answers) / 2
        assert db.session.scalar(select(func.count()).select_from(ThemeReview)) >= 3
        assert db.session.scalar(select(func.count()).select_from(CoderEvaluation)) == 1
        assert [phrase.phrase for phrase in emerging_phrases()] == ["openbaar vervoer"]
        used = db.session.scalar(
            select(func.count()).where(
                SurveyInvitation.wave_id == closed.id, SurveyInvitation.is_used
            )
        )
        assert used == INVITATION_RESPONSES
        # It looks like a wave that closed about 70 days ago, not like one closed today.
        assert closed.opens_on == today - timedelta(days=100)
        assert closed.closes_on == today - timedelta(days=70)
        assert {response.released_on for response in responses} == {closed.closes_on + timedelta(1)}
        assert closed.reminders_sent == 2 and closed.summary_sent and closed.next_wave_planned
        # The next quarter's wave was planned by the scheduler's job and opened a week ago.
        assert current.number == 2 and current.recurrence_months == 3
        assert current.opens_on == operations.add_months(closed.opens_on, 3) <= today
        assert current.invitations_sent
        assert current.version_id == closed.version_id
    # The open-link limit was lifted for the seeding only.
    assert app.config["SURVEY_OPEN_LINK_RATE_LIMIT"] == limit


def test_seeding_the_demo_twice_changes_nothing(app: Flask, sends: list[dict[str, Any]]) -> None:
    def counts() -> tuple[int, ...]:
        return tuple(
            db.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (SurveyWave, SurveyResponse, SurveyInvitation)
        )

    with app.app_context():
        seed_demo()
        db.session.commit()
        first = counts()
        seed_demo()
        db.session.commit()
        assert counts() == first
    assert len(sends) == CLOSED_WAVE_RESPONSES
