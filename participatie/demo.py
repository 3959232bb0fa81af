"""Demo data for `flask seed-demo`: idempotent, made-up, never for production."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from . import clock
from .auth.models import Role, User
from .db import db
from .organisations.models import Organisation
from .organisations.operations import ensure_reference_data
from .security import hash_password
from .themes.operations import ensure_codebook

logger = logging.getLogger(__name__)

DEMO_DOMAIN = "demo.participatie.nl"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    password: str
    totp_secret: str
    organisation_slug: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount(
        f"beheerder@{DEMO_DOMAIN}",
        "Bea Beheer",
        Role.BEHEERDER,
        "demo-beheerder-2026",
        "BEHEERDERDEMOPARTICIPATIE2222222",
    ),
    DemoAccount(
        f"ambassadeur@{DEMO_DOMAIN}",
        "Amal Ambassadeur",
        Role.AMBASSADEUR,
        "demo-ambassadeur-2026",
        "AMBASSADEURDEMOPARTICIPATIE22222",
        "save",
    ),
    DemoAccount(
        f"ketenpartner@{DEMO_DOMAIN}",
        "Kees Ketenpartner",
        Role.KETENPARTNER,
        "demo-ketenpartner-2026",
        "KETENPARTNERDEMOPARTICIPATIE2222",
        "swa",
    ),
]


def is_demo_account(email: str) -> bool:
    return email.lower().endswith("@" + DEMO_DOMAIN)


FIRST_NAMES = [
    "Anouk",
    "Bram",
    "Chantal",
    "Dewi",
    "Emre",
    "Fatima",
    "Gert",
    "Hanneke",
    "Ilias",
    "Jolanda",
    "Kevin",
    "Lotte",
    "Mohamed",
    "Nadia",
    "Oscar",
    "Priya",
    "Quinten",
    "Rachida",
    "Sanne",
    "Tim",
    "Ugur",
    "Vera",
    "Wendy",
    "Xander",
    "Yara",
    "Zoë",
    "Ahmed",
    "Bianca",
    "Cor",
    "Daan",
    "Esra",
    "Freek",
    "Gülay",
    "Hamid",
    "Ilse",
    "Jesse",
    "Kim",
    "Latifa",
    "Mees",
    "Noor",
]


def seed_pool() -> None:
    """About 40 made-up pool members with varied profiles, one under-16 waiting for a guardian,
    and allowances for some (idempotent: skipped when demo participants exist)."""
    import random
    from datetime import date, timedelta

    from .allowances.models import Allowance
    from .organisations.models import Municipality
    from .participants.models import (
        AgeBand,
        Availability,
        Consent,
        Interest,
        Participant,
        ParticipantEvent,
        ParticipantRole,
        ParticipantTag,
        Status,
    )

    if db.session.scalar(select(Participant.id).where(Participant.email.like(f"%@{DEMO_DOMAIN}"))):
        return
    rng = random.Random(2026)  # noqa: S311 - made-up demo data, not security
    municipalities = list(db.session.scalars(select(Municipality)))
    organisations = list(db.session.scalars(select(Organisation)))
    now = clock.now()
    statuses = [Status.ACTIVE] * 28 + [Status.PAUSED] * 4 + [Status.STOPPED] * 3 + [Status.NEW] * 4
    for index, name in enumerate(FIRST_NAMES[:39]):
        role = rng.choice(
            [ParticipantRole.PARENT] * 3
            + [ParticipantRole.YOUNG_PERSON] * 2
            + [ParticipantRole.FAMILY]
        )
        if role is ParticipantRole.YOUNG_PERSON:
            band = rng.choice([AgeBand.B16_17, AgeBand.B18_20, AgeBand.B21_23])
        else:
            band = rng.choice(
                [AgeBand.B24_34, AgeBand.B35_49, AgeBand.B35_49, AgeBand.B50_64, AgeBand.B65_PLUS]
            )
        status = statuses[index]
        # Unconfirmed sign-ups are recent: older ones would already have been deleted.
        created = now - timedelta(
            days=rng.randint(1, 5) if status is Status.NEW else rng.randint(10, 800)
        )
        phone_only = index % 13 == 5
        participant = Participant(
            display_name=name,
            email=None
            if phone_only
            else f"{name.lower().replace('ë', 'e').replace('ü', 'u')}.{index}@{DEMO_DOMAIN}",
            phone=f"+316{rng.randint(10000000, 99999999)}"
            if phone_only or index % 3 == 0
            else None,
            role=role.value,
            age_band=band.value,
            municipality_id=rng.choice(municipalities).id,
            locale="en" if index % 9 == 4 else "nl",
            support_needs="Ik heb een tolk nodig." if index % 11 == 3 else "",
            status=status.value,
            email_confirmed_at=None if status is Status.NEW or phone_only else created,
            confirmed_by_staff_at=created if phone_only and status is not Status.NEW else None,
            created_at=created,
            last_activity_at=min(now, created + timedelta(days=rng.randint(0, 300))),
        )
        participant.organisations = rng.sample(organisations, rng.randint(0, 3))
        participant.consents = [Consent(purpose="pool", granted_at=created)]
        if rng.random() < 0.8:
            participant.consents.append(Consent(purpose="surveys", granted_at=created))
        if rng.random() < 0.4:
            participant.consents.append(Consent(purpose="updates", granted_at=created))
        if participant.support_needs:
            participant.consents.append(Consent(purpose="support_needs", granted_at=created))
        interests = rng.sample(list(Interest), rng.randint(1, 3))
        languages = (
            ["nl"]
            + (["en"] if participant.locale == "en" else [])
            + (["ar"] if index % 7 == 2 else [])
        )
        availability = rng.sample(list(Availability), rng.randint(1, 3))
        participant.tags = (
            [ParticipantTag(kind="interest", value=i.value) for i in interests]
            + [ParticipantTag(kind="language", value=v) for v in languages]
            + [ParticipantTag(kind="availability", value=a.value) for a in availability]
        )
        participant.events = [ParticipantEvent(kind="signed_up", occurred_at=created)]
        db.session.add(participant)
        db.session.flush()
        if status is Status.ACTIVE and index % 4 == 0:
            for month in (2, 5, 9):
                db.session.add(
                    Allowance(
                        participant_id=participant.id,
                        activity=rng.choice(
                            ["Panel jeugdbescherming", "Groepsgesprek ouders", "Training wijkteam"]
                        ),
                        activity_date=date(
                            now.year if now.month > month else now.year - 1, month, 12
                        ),
                        minutes=120,
                        amount_cents=1100 if not band.under_21 else 650,
                        under_21=band.under_21,
                        paid=month != 9,
                    )
                )
    # One young teenager whose guardian has not confirmed yet.
    teen = Participant(
        display_name="Sem",
        email=f"sem.jong@{DEMO_DOMAIN}",
        role=ParticipantRole.YOUNG_PERSON.value,
        age_band=AgeBand.B12_15.value,
        municipality_id=municipalities[0].id,
        status=Status.NEW.value,
        email_confirmed_at=now - timedelta(days=2),
        guardian_email=f"ouder.van.sem@{DEMO_DOMAIN}",
        created_at=now - timedelta(days=3),
        last_activity_at=now - timedelta(days=2),
    )
    teen.consents = [Consent(purpose="pool"), Consent(purpose="surveys")]
    teen.tags = [
        ParticipantTag(kind="interest", value="group_conversations"),
        ParticipantTag(kind="language", value="nl"),
    ]
    teen.events = [ParticipantEvent(kind="signed_up"), ParticipantEvent(kind="email_confirmed")]
    db.session.add(teen)
    db.session.flush()
    logger.info("demo pool created")


def seed_sessions() -> None:
    """Upcoming sessions of several kinds (one full, with a waiting list) and a past panel with
    attendance recorded (idempotent: skipped when sessions exist)."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from .groupsessions.models import GroupSession, Registration
    from .groupsessions.operations import SignupData, record_attendance, sign_up
    from .participants.models import Participant, Status

    if db.session.scalar(select(GroupSession.id).limit(1)):
        return
    ambassador = db.session.scalar(select(User).where(User.role == Role.AMBASSADEUR.value))
    zone = ZoneInfo("Europe/Amsterdam")
    today = clock.now().astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)

    def at(days: int, hour: int, minute: int = 0) -> datetime:
        return (today + timedelta(days=days)).replace(hour=hour, minute=minute).astimezone(UTC)

    common = {
        "created_by_id": ambassador.id if ambassador else None,
        "taken": 0,
        "languages": ["nl"],
    }
    sessions = [
        GroupSession(
            kind="group_conversation",
            audience="parents",
            status="published",
            title_nl="Groepsgesprek: wie doet wat in de jeugdbescherming?",
            title_en="Group conversation: who does what in youth protection?",
            description_nl="Samen met andere ouders praten we over wat duidelijk was en wat niet. Een cliëntambassadeur leidt het gesprek.",
            description_en="Together with other parents we talk about what was clear and what was not. A client ambassador leads the conversation.",
            starts_at=at(9, 19),
            ends_at=at(9, 21),
            location_name="Wijkcentrum De Kei",
            location_address="Keistraat 1, 3811 AA Amersfoort",
            route_nl="Vijf minuten lopen van station Amersfoort Centraal.",
            route_en="Five minutes' walk from Amersfoort Centraal station.",
            accessibility_nl="Rolstoeltoegankelijk. Er is een invalidentoilet.",
            accessibility_en="Wheelchair accessible, with an accessible toilet.",
            capacity=12,
            allowance_cents=1500,
            questions=["support", "dietary", "childcare"],
            signup_deadline=at(8, 12),
            **common,
        ),
        GroupSession(
            kind="panel",
            audience="young_people",
            status="published",
            title_nl="Jongerenpanel: hoe gaat het met je jeugdbeschermer?",
            title_en="Youth panel: how is it going with your youth protection worker?",
            description_nl="Een online panel voor jongeren van 12 tot 23 jaar. Je hoeft je camera niet aan te zetten.",
            description_en="An online panel for young people aged 12 to 23. You don't have to turn on your camera.",
            starts_at=at(16, 16),
            ends_at=at(16, 17, 30),
            is_online=True,
            meeting_link="https://video.amersfoort.example/jongerenpanel",
            capacity=4,
            allowance_cents=1000,
            questions=["support"],
            **common,
        ),
        GroupSession(
            kind="training",
            audience="both",
            status="published",
            title_nl="Training voor wijkteams: vertel je verhaal",
            title_en="Training for neighbourhood teams: tell your story",
            description_nl="Ervaringsdeskundigen vertellen medewerkers van de wijkteams wat helpt.",
            description_en="Experts by experience tell neighbourhood team staff what helps.",
            starts_at=at(30, 13),
            ends_at=at(30, 16),
            location_name="Stadhuis Amersfoort",
            location_address="Stadhuisplein 7, 3811 LM Amersfoort",
            capacity=6,
            allowance_cents=2200,
            questions=["support", "dietary", "interpreter"],
            **common,
        ),
        GroupSession(
            kind="information",
            audience="parents",
            status="draft",
            title_nl="Informatieavond: wat is een ondertoezichtstelling?",
            title_en="Information evening: what is a supervision order?",
            description_nl="Uitleg in gewone woorden, met ruimte voor vragen.",
            description_en="An explanation in plain words, with time for questions.",
            starts_at=at(40, 19),
            ends_at=at(40, 21),
            location_name="Bibliotheek Eemland",
            capacity=30,
            allowance_cents=None,
            questions=["childcare"],
            **common,
        ),
    ]
    db.session.add_all(sessions)
    db.session.flush()
    members = list(
        db.session.scalars(
            select(Participant)
            .where(Participant.status == Status.ACTIVE.value)
            .order_by(Participant.id)
        )
    )
    # The youth panel is full, with people on the waiting list.
    for participant in members[:7]:
        sign_up(
            sessions[1].id, SignupData(participant_id=participant.id, locale=participant.locale)
        )
    for participant in members[7:10]:
        sign_up(
            sessions[0].id,
            SignupData(
                participant_id=participant.id,
                locale=participant.locale,
                needs={"dietary": "Vegetarisch"},
            ),
        )
    sign_up(
        sessions[0].id, SignupData(guest_name="Marieke", guest_email=f"marieke.gast@{DEMO_DOMAIN}")
    )
    # A past panel whose attendance was recorded (allowances for those present).
    past = GroupSession(
        kind="panel",
        audience="both",
        status="published",
        title_nl="Klankbordgroep: brieven van de Raad",
        title_en="Sounding board: letters from the Raad",
        description_nl="We lazen samen brieven en gaven tips om ze begrijpelijker te maken.",
        description_en="We read letters together and gave tips to make them easier to understand.",
        starts_at=at(-20, 14),
        ends_at=at(-20, 16),
        location_name="Wijkcentrum De Kei",
        capacity=8,
        allowance_cents=1100,
        questions=[],
        **common,
    )
    db.session.add(past)
    db.session.flush()
    for participant in members[10:15]:
        db.session.add(
            Registration(
                session_id=past.id,
                participant_id=participant.id,
                status="confirmed",
                locale=participant.locale,
                manage_token_hash=f"demo-past-{participant.id}",
            )
        )
    past.taken = 5
    db.session.flush()
    if ambassador is not None:
        present = {r.id for r in past.registrations[:4]}
        record_attendance(ambassador, past, present)
    logger.info("demo sessions created")


def seed_demo() -> list[DemoAccount]:
    """Create reference data, one ready-to-use account per role and demo content (idempotent)."""
    ensure_reference_data()
    ensure_codebook()
    for account in DEMO_ACCOUNTS:
        if db.session.scalar(select(User.id).where(User.email == account.email)):
            continue
        organisation_id = None
        if account.organisation_slug:
            organisation_id = db.session.scalar(
                select(Organisation.id).where(Organisation.slug == account.organisation_slug)
            )
        db.session.add(
            User(
                email=account.email,
                name=account.name,
                role=account.role.value,
                organisation_id=organisation_id,
                password_hash=hash_password(account.password),
                must_change_password=False,
                totp_secret=account.totp_secret,
                totp_confirmed_at=clock.now(),
            )
        )
        logger.info("demo account created role=%s", account.role.value)
    db.session.flush()
    seed_pool()
    seed_sessions()
    from .surveys.demo import seed_surveys

    seed_surveys()
    from .themes.demo import seed_theme_reviews

    seed_theme_reviews()
    return DEMO_ACCOUNTS
