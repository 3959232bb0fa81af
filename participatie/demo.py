"""Demo data for `flask seed-demo`: idempotent, made-up, never for production."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from . import clock
from .auth.models import Role, User
from .db import db
from .organisations.models import Organisation
from .organisations.operations import ensure_reference_data
from .security import hash_password

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


def seed_demo() -> list[DemoAccount]:
    """Create reference data and one ready-to-use account per role (idempotent)."""
    ensure_reference_data()
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
    return DEMO_ACCOUNTS
