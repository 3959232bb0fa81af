"""Demo surveys: both shipped templates, a closed earlier wave with answers, and an open wave.

The closed wave's answers go through `operations.submit` — the same holding area, shuffled
release and scrubbing as a respondent's — so the demo is anonymous in the same way. Everything
here is made up; a fixed random seed keeps the demo the same on every machine.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from ..db import db
from . import answering, operations
from .models import QuestionKind, SurveyTemplate, SurveyVersion, SurveyWave

CLOSED_WAVE_RESPONSES = 64

# Illustrations of the "what we did with earlier answers" text that ambassadors write.
DEMO_FEEDBACK = {
    "ervaringen-ouders": {
        "nl": (
            "Bij de vorige ronde zeiden veel ouders dat ze niet wisten wie wat doet en wie ze "
            "kunnen bellen. Dat hebben we besproken met alle organisaties. Nu krijgt elk gezin "
            "een overzicht met de namen en telefoonnummers van de hulpverleners. Ook vertellen we "
            "vaker over gratis, onafhankelijke cliëntondersteuning."
        ),
        "en": (
            "In the previous round many parents said they did not know who does what and whom "
            "they can call. We discussed this with all organisations. Now every family gets an "
            "overview with the names and phone numbers of the care workers. We also tell people "
            "more often about free, independent client support."
        ),
    },
}

OPEN_ANSWERS_NL = {
    "went_well": [
        "De wijkcoach kwam gewoon bij ons thuis en luisterde echt naar mij.",
        "Mijn vaste contactpersoon belde altijd terug, ook als het laat was.",
        "Ik voelde me serieus genomen door de jeugdbeschermer.",
        "Er werd goed uitgelegd wat de ondertoezichtstelling betekent.",
        "Eindelijk hulp die past bij mijn zoon, en snel geregeld.",
        "Fijn dat ik zelf mocht vertellen wat er speelde.",
        "De cliëntondersteuner hielp me de brieven te begrijpen.",
        "",
    ],
    "should_change": [
        "Ik wist niet wie verantwoordelijk was en wie de volgende stap zou zetten.",
        "We kregen drie keer een nieuwe jeugdbeschermer en moesten steeds alles opnieuw vertellen.",
        "Nooit teruggebeld, ik heb weken gewacht op een antwoord.",
        "De wachtlijst voor specialistische hulp was veel te lang.",
        "In het rapport stonden dingen die niet klopten en niemand deed er iets mee.",
        "Niemand vertelde me dat ik recht heb op onafhankelijke cliëntondersteuning.",
        "Het wijkteam en de jeugdbescherming werkten niet samen, ze wisten niet van elkaar wat ze deden.",
        "Ik zie mijn dochter te weinig sinds ze uit huis is geplaatst, de bezoekregeling is slecht.",
        "Niet duidelijk wat ik kon verwachten van de maatregel.",
        "Ze luisterden niet naar mij, er werd over mij gepraat en niet met mij.",
        "Bel mij eens terug op 06-12345678, mevrouw De Vries reageert nooit.",
        "",
    ],
    "tip_for_professionals": [
        "Leg in gewone woorden uit wat er gaat gebeuren.",
        "Bel terug als je zegt dat je terugbelt.",
        "Vertel ouders over de cliëntondersteuning, direct bij het eerste gesprek.",
        "Lees het dossier voordat je op huisbezoek komt.",
        "Zorg voor één vast aanspreekpunt.",
        "",
        "",
    ],
}
OPEN_ANSWERS_EN = {
    "went_well": [
        "My caseworker really listened to me and took me seriously.",
        "They explained clearly what the supervision order means.",
        "",
    ],
    "should_change": [
        "Nobody told me who was responsible or what would happen next.",
        "I had to tell my story again to every new caseworker.",
        "The waiting list for help was far too long.",
        "",
    ],
    "tip_for_professionals": [
        "Call back when you say you will.",
        "Explain things in plain words.",
        "",
    ],
}


def _random_answers(version: SurveyVersion, rng: random.Random, language: str) -> dict[str, Any]:
    """A plausible, complete response: leaning negative on the known bottlenecks."""
    answers: dict[str, Any] = {}
    texts = OPEN_ANSWERS_EN if language == "en" else OPEN_ANSWERS_NL
    mood = rng.random()  # some respondents are positive overall, most are mixed
    for question in version.questions:
        if not answering.is_shown(question, answers):
            continue
        values = sorted(answering.allowed_values(question))
        if question.kind == QuestionKind.MULTIPLE:
            answers[question.code] = rng.sample(values, k=rng.randint(1, min(3, len(values))))
        elif question.kind == QuestionKind.AGREEMENT:
            scale = ["1", "2", "3", "4", "5"]
            weights = [3, 4, 3, 2, 1] if mood < 0.7 else [1, 1, 2, 4, 3]
            answers[question.code] = (
                answering.NOT_APPLICABLE if rng.random() < 0.08 else rng.choices(scale, weights)[0]
            )
        elif question.kind == QuestionKind.GRADE:
            centre = 5 if mood < 0.7 else 7.5
            answers[question.code] = str(min(10, max(1, round(rng.gauss(centre, 1.6)))))
        elif question.kind == QuestionKind.YESNO:
            answers[question.code] = "yes" if rng.random() < (0.35 if mood < 0.7 else 0.7) else "no"
        elif question.kind == QuestionKind.SINGLE:
            # Earlier options are likelier (Amersfoort is the largest municipality, and so on).
            ordered = [str(option["value"]) for option in question.options]
            weights = [max(8 - 2 * index, 1) for index in range(len(ordered))]
            answers[question.code] = rng.choices(ordered, weights)[0]
        elif question.code in texts:
            chosen = rng.choice(texts[question.code])
            if chosen:
                answers[question.code] = chosen
    return answering.keep_shown(version, answers)


def seed_surveys() -> None:
    """Both templates, a closed earlier wave of the parents' template with answers in Dutch and
    English, and an open wave with an open link (idempotent: skipped when waves exist)."""
    operations.ensure_builtin_templates()
    if db.session.scalar(select(SurveyWave.id).limit(1)):
        return
    templates = {
        template.slug: template for template in db.session.scalars(select(SurveyTemplate)).all()
    }
    for slug, feedback in DEMO_FEEDBACK.items():
        if slug in templates:
            templates[slug].feedback_text = dict(feedback)
    parents = templates["ervaringen-ouders"]
    today = operations.today()
    earlier = operations.create_wave(
        None,
        parents,
        opens_on=today - timedelta(days=100),
        closes_on=today - timedelta(days=70),
        invite_pool=False,
        open_link=True,
        recurrence_months=3,
    )
    operations.open_wave(None, earlier)
    rng = random.Random(2026)  # noqa: S311 - made-up demo answers, not security
    for number in range(CLOSED_WAVE_RESPONSES):
        language = "en" if number % 6 == 0 else "nl"
        operations.submit(earlier.id, _random_answers(earlier.version, rng, language), language)
    operations.close_wave(None, earlier)
    earlier.next_wave_planned = True  # the open wave below is its successor
    current = operations.create_wave(
        None,
        parents,
        opens_on=today - timedelta(days=7),
        closes_on=today + timedelta(days=21),
        invite_pool=True,
        open_link=True,
        recurrence_months=3,
    )
    operations.open_wave(None, current)
    young = templates["ervaringen-jongeren"]
    operations.create_wave(
        None,
        young,
        opens_on=today + timedelta(days=14),
        closes_on=today + timedelta(days=42),
        invite_pool=True,
        open_link=True,
    )
    db.session.flush()
