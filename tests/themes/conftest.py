"""Theme review fixtures: closed waves of the small survey template, answered and released through
the real path (`operations.submit` and `operations.close_wave`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from participatie.db import db
from participatie.surveys import operations
from participatie.surveys.models import SurveyTemplate, SurveyWave
from participatie.themes.operations import ensure_codebook
from tests.surveys.conftest import small_answers, small_template

__all__ = ["small_template"]


@pytest.fixture
def closed_wave(app: Flask, small_template: int) -> Callable[..., int]:
    """Open a wave, submit one response per text (the open answer 'should_change'), close it;
    returns the wave id. The seeded codebook codes the answers at release."""

    def factory(texts: list[str], language: str = "nl") -> int:
        with app.app_context():
            ensure_codebook()
            template = db.session.get_one(SurveyTemplate, small_template)
            today = operations.today()
            wave = operations.create_wave(
                None,
                template,
                opens_on=today,
                closes_on=today + timedelta(days=14),
                open_link=True,
                invite_pool=False,
            )
            operations.open_wave(None, wave)
            for text in texts:
                operations.submit(wave.id, small_answers(should_change=text), language)
            operations.close_wave(None, wave)
            db.session.commit()
            return wave.id

    return factory


@pytest.fixture
def open_wave_with_answers(app: Flask, small_template: int) -> Callable[..., int]:
    """An open wave whose answers were released (a full batch), so they are stored but the wave
    is not closed."""

    def factory(texts: list[str]) -> int:
        with app.app_context():
            ensure_codebook()
            template = db.session.get_one(SurveyTemplate, small_template)
            today = operations.today()
            wave = operations.create_wave(
                None, template, opens_on=today, closes_on=today + timedelta(days=14)
            )
            operations.open_wave(None, wave)
            for text in texts:
                operations.submit(wave.id, small_answers(should_change=text), "nl")
            db.session.commit()
            operations.release_pending(wave.id)  # as the release job does for a full batch
            db.session.commit()
            return wave.id

    return factory


def wave(wave_id: int) -> SurveyWave:
    return db.session.get_one(SurveyWave, wave_id)


def answers_of(wave_id: int) -> list[Any]:
    from sqlalchemy import select

    from participatie.surveys.models import SurveyAnswer, SurveyResponse

    return list(
        db.session.scalars(
            select(SurveyAnswer)
            .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
            .where(SurveyResponse.wave_id == wave_id, SurveyAnswer.text.is_not(None))
            .order_by(SurveyAnswer.id)
        )
    )
