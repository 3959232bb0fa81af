"""Demo reviews: the demo ambassador reviews some codes of the demo's closed wave, and the coder
learns once, so the themes page shows a before/after figure (idempotent: skipped when reviews
exist). Call after the demo surveys are seeded."""

from __future__ import annotations

import logging

from sqlalchemy import select

from ..auth.models import Role, User
from ..db import db
from ..surveys.models import SurveyAnswer, SurveyResponse, SurveyWave, WaveStatus
from .learning import learn
from .models import Theme, ThemeReview
from .queries import slugs_of
from .review import decide

logger = logging.getLogger(__name__)

CONFIRMATIONS = 4


def seed_theme_reviews() -> None:
    if db.session.scalar(select(ThemeReview.id).limit(1)):
        return
    ambassador = db.session.scalar(
        select(User).where(User.role == Role.AMBASSADEUR.value).order_by(User.id)
    )
    wave_id = db.session.scalar(
        select(SurveyWave.id)
        .where(SurveyWave.status == WaveStatus.CLOSED.value)
        .order_by(SurveyWave.id)
    )
    active = set(db.session.scalars(select(Theme.slug).where(Theme.is_active)))
    if ambassador is None or wave_id is None or not active:
        logger.info("demo theme reviews skipped: no ambassador, closed wave or codebook")
        return
    answers = list(
        db.session.scalars(
            select(SurveyAnswer)
            .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
            .where(SurveyResponse.wave_id == wave_id, SurveyAnswer.text.is_not(None))
            .order_by(SurveyAnswer.id)
        )
    )
    # The same answer text occurs several times in the demo: review each text once.
    seen: set[str] = set()
    unique = []
    for answer in answers:
        if answer.text and answer.text not in seen:
            seen.add(answer.text)
            unique.append(answer)
    coded = [answer for answer in unique if slugs_of(answer.themes)]
    for answer in coded[:CONFIRMATIONS]:
        decide(ambassador, answer, slugs_of(answer.themes)[0], "confirmed")
    # One code that is wrong in the eyes of the ambassador: an answer with two themes loses one.
    double = next((a for a in coded[CONFIRMATIONS:] if len(slugs_of(a.themes)) > 1), None)
    if double is not None:
        decide(ambassador, double, slugs_of(double.themes)[-1], "rejected")
    # And one the coder missed: reading the file first is about expertise.
    target = next(
        (
            a
            for a in unique
            if "dossier" in (a.text or "") and "expertise" not in slugs_of(a.themes)
        ),
        None,
    )
    if target is not None and "expertise" in active:
        decide(ambassador, target, "expertise", "added")
    learn(None, force=True)
    logger.info("demo theme reviews created")
