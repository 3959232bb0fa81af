"""Demo surveys: both shipped templates, a closed earlier wave with answers, an open wave and a
planned one. Everything here is made up; a fixed random seed keeps the demo the same everywhere.

The closed wave is run the way the app runs every wave, with the project's clock set back to its
days: the scheduler's job opens it in the night and invites the pool in the morning; parents answer
through the respondent pages — from the open link and from some of the invitations, in Dutch and
English — with Flask's test client, page by page as a browser without JavaScript does; their
answers wait in the holding area and are released in shuffled batches; the job closes the wave in
the night after its last day and plans the next quarter's wave, which opened a week before today.
So what is stored (release days, invitations, the audit log) looks like a wave that closed about
70 days ago, and the demo is anonymous in the same way as real answers.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from .. import clock
from ..db import db
from . import answering, operations
from .models import QuestionKind, SurveyTemplate, SurveyVersion, SurveyWave

CLOSED_WAVE_RESPONSES = 64
INVITATION_RESPONSES = 8  # of them, from personal invitations
MORNING = 9  # the hour the simulated days' first scheduler run may send mail

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
        # Not in the codebook: the demo's emerging-theme suggestion ("openbaar vervoer").
        "Met het openbaar vervoer ben ik twee uur onderweg naar de leefgroep van mijn zoon.",
        "Het openbaar vervoer naar de pleegouders kost meer dan ik kan betalen.",
        "",
    ],
    "tip_for_professionals": [
        "Leg in gewone woorden uit wat er gaat gebeuren.",
        "Bel terug als je zegt dat je terugbelt.",
        "Vertel ouders over de cliëntondersteuning, direct bij het eerste gesprek.",
        "Lees het dossier voordat je op huisbezoek komt.",
        "Zorg voor één vast aanspreekpunt.",
        "Denk mee over het openbaar vervoer als een kind ver weg woont.",
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


# --- answering through the respondent pages ---------------------------------------------------


@dataclass
class _SurveyForm:
    """The answer form of a survey page, as a browser without JavaScript would send it."""

    action: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)  # hidden and other plain inputs
    questions: list[str] = field(default_factory=list)  # names of the answer fields on the page
    buttons: list[str] = field(default_factory=list)  # values of the go buttons


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.form = _SurveyForm()
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if (
            tag == "form"
            and values.get("method") == "post"
            and "/enquete/" in values.get("action", "")
        ):
            self.inside = True
            self.form.action = values["action"]
        elif not self.inside:
            return
        name = values.get("name", "")
        if tag == "button" and name == "go":
            self.form.buttons.append(values.get("value", ""))
        elif tag in ("input", "textarea") and name:
            kind = values.get("type", "text")
            carried = kind == "hidden"
            if name.startswith(answering.FIELD_PREFIX) and not carried:
                if name not in self.form.questions:
                    self.form.questions.append(name)
            elif kind not in ("radio", "checkbox"):
                self.form.fields.append((name, values.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def _read_form(html: str) -> _SurveyForm:
    reader = _FormReader()
    reader.feed(html)
    if not reader.form.action:
        raise RuntimeError("no survey form on the page")
    return reader.form


@dataclass(frozen=True)
class _Visit:
    """One respondent: where they start (the open link or their invitation), their language
    and what they will answer."""

    start: str
    language: str
    answers: dict[str, Any]


def _answer_like_a_respondent(app: Flask, visit: _Visit) -> None:
    """Open the first page, begin, and answer page by page until the thank-you page."""
    client = app.test_client()
    headers = {"Accept-Language": visit.language}
    page = client.get(visit.start, headers=headers)
    form = _read_form(page.get_data(as_text=True))
    response = client.post(form.action, data=MultiDict(form.fields), headers=headers)
    for _step in range(50):
        if response.status_code == 303:
            if not urlsplit(response.headers["Location"]).path.endswith("/bedankt"):
                raise RuntimeError(f"the survey ended on {response.headers['Location']}")
            return
        # 422: an answer brought up a follow-up question on the same page (a condition), which
        # the page now asks for, as it would in a browser.
        if response.status_code not in (200, 422):
            raise RuntimeError(f"a survey page answered {response.status_code}")
        form = _read_form(response.get_data(as_text=True))
        data: list[tuple[str, str]] = list(form.fields)
        for name in form.questions:
            value = visit.answers.get(name.removeprefix(answering.FIELD_PREFIX))
            values = value if isinstance(value, list) else [] if value is None else [value]
            data.extend((name, str(item)) for item in values)
        data.append(("go", "submit" if "submit" in form.buttons else "next"))
        response = client.post(form.action, data=MultiDict(data), headers=headers)
    raise RuntimeError("the survey did not end")


def _as_respondents(visits: list[_Visit]) -> None:
    """Send the visits from a thread of their own, as a web server would: each request gets its
    own application context and database session, never the seeding's (which is committed)."""
    # A transaction of the seeding left open would hold locks the requests wait for (PostgreSQL),
    # or keep a snapshot that does not see their answers (SQLite).
    db.session.commit()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for visit in visits:
                _answer_like_a_respondent(app, visit)
        except BaseException as error:  # handed to the seeding thread below
            failures.append(error)

    worker = threading.Thread(target=work, name="demo-respondents")
    worker.start()
    worker.join()
    if failures:
        raise failures[0]


@contextmanager
def _seeding_settings() -> Iterator[None]:
    """While seeding: all demo answers come from this one machine, so the open-link limit is
    lifted; and the simulated days keep the usual daytime for mail (09:00 to 20:00), whatever
    this installation (or a test) configured, so the demo tells the same story everywhere."""
    config = current_app.config
    names = ("SURVEY_OPEN_LINK_RATE_LIMIT", "SURVEY_MAIL_FROM_HOUR", "SURVEY_MAIL_UNTIL_HOUR")
    before = {name: config[name] for name in names}
    config.update(
        SURVEY_OPEN_LINK_RATE_LIMIT="1000000 per hour",
        SURVEY_MAIL_FROM_HOUR=MORNING,
        SURVEY_MAIL_UNTIL_HOUR=20,
    )
    try:
        yield
    finally:
        config.update(before)


def _at(day: date, hour: int, minute: int = 20) -> datetime:
    """A local time on `day`, for the clock; minute 20 is when the scheduler runs the wave job."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def _run_closed_wave(wave: SurveyWave, rng: random.Random) -> None:
    """Open the wave on its first day, let parents answer over its days, close it after the last
    one (see the module docstring)."""
    with clock.frozen_at(_at(wave.opens_on, 0)):
        operations.run_waves()  # opens it; invitations wait for the daytime
    with clock.frozen_at(_at(wave.opens_on, MORNING)):
        # The first few invitations are followed through below; run_waves invites the rest.
        invitees = operations.invitees(wave)[:INVITATION_RESPONSES]
        tokens = [operations.invite(wave, person) for person in invitees]
        operations.run_waves()
        db.session.commit()
    version = wave.version
    days = (wave.closes_on - wave.opens_on).days + 1
    by_day: dict[int, list[_Visit]] = {}
    for number in range(CLOSED_WAVE_RESPONSES):
        language = "en" if number % 6 == 0 else "nl"
        answers = _random_answers(version, rng, language)
        # Invitation answers come early: the first reminder replaces unused links.
        ballot = number % 2 == 0 and number // 2 < len(tokens)
        start = (
            f"/enquete/uitnodiging/{tokens[number // 2]}"
            if ballot
            else f"/enquete/{wave.public_key}"
        )
        day = number * days // CLOSED_WAVE_RESPONSES
        by_day.setdefault(day, []).append(_Visit(start, language, answers))
    for offset in range(days):
        day = wave.opens_on + timedelta(days=offset)
        with clock.frozen_at(_at(day, MORNING)):
            operations.run_waves()  # the morning run: reminders when they are due
            db.session.commit()
        with clock.frozen_at(_at(day, 14, 0)):
            _as_respondents(by_day.get(offset, []))
            operations.release_due()
            db.session.commit()
    with clock.frozen_at(_at(wave.closes_on + timedelta(days=1), 0)):
        operations.run_waves()  # closes it, releases the rest, plans the next wave
        db.session.commit()


def seed_surveys() -> None:
    """Both templates; a closed wave of the parents' template with answers in Dutch and English,
    the next quarter's wave open since a week, and a planned wave of the young people's template
    (idempotent: skipped when waves exist)."""
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
    opens_on = today - timedelta(days=100)
    with clock.frozen_at(_at(opens_on, 0) - timedelta(days=14)):
        earlier = operations.create_wave(
            None,
            parents,
            opens_on=opens_on,
            closes_on=opens_on + timedelta(days=30),
            invite_pool=True,
            open_link=True,
            recurrence_months=3,
        )
    db.session.commit()  # the respondent pages read the wave in their own transactions
    with _seeding_settings():
        _run_closed_wave(earlier, random.Random(2026))  # noqa: S311 - made-up demo answers
        current = db.session.scalar(
            select(SurveyWave).where(
                SurveyWave.template_id == parents.id, SurveyWave.number == earlier.number + 1
            )
        )
        if current is not None and current.opens_on <= today:
            with clock.frozen_at(_at(current.opens_on, 0)):
                operations.run_waves()  # opens the next quarter's wave
            with clock.frozen_at(_at(current.opens_on, MORNING)):
                operations.run_waves()  # and invites the pool in the morning
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
