"""Shared fixtures: databases (SQLite and PostgreSQL), the app, a real SMTP server, factories."""

from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient

from participatie import clock, create_app
from participatie.db import db
from tests.support.databases import (
    create_postgres_database,
    drop_postgres_database,
    empty_all_tables,
    postgres_available,
    skip_or_fail,
)
from tests.support.smtp import SMTPServer

# The developer's own PARTICIPATIE_* settings must not leak into tests.
for _key in [key for key in os.environ if key.startswith("PARTICIPATIE_")]:
    del os.environ[_key]

TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-for-production-checks"


@functools.cache
def small_corpus() -> str:
    """A tenth of the shipped training corpus (every theme and sentiment still in it), written
    once per test process: learning runs (the demo's too) train in a second, not half a minute.
    The shipped model and its quality are tested against the full corpus (tests/themes)."""
    from participatie.themes.model import TRAINING_CORPUS

    lines = TRAINING_CORPUS.read_text(encoding="utf-8").splitlines()
    folder = Path(tempfile.mkdtemp(prefix="participatie-corpus-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "small.jsonl"
    path.write_text("\n".join(lines[::10]) + "\n", encoding="utf-8")
    return str(path)


def base_config(database_url: str, **extra: Any) -> dict[str, Any]:
    config = {
        "THEMES_TRAINING_CORPUS": small_corpus(),
        "ENV": "testing",
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET_KEY,
        # Argon2id stays the algorithm; cheaper parameters keep the suite fast.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 8192,
        "MAIL_BACKEND": "file",
        # Survey mail waits for the daytime; tests must not depend on the hour they run at. The
        # tests of that window set the hours and freeze the clock themselves.
        "SURVEY_MAIL_FROM_HOUR": 0,
        "SURVEY_MAIL_UNTIL_HOUR": 24,
    }
    config.update(extra)
    return config


def migrate_database(url: str, instance_path: Path) -> None:
    import flask_migrate

    app = create_app(base_config(url), instance_path=str(instance_path))
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory, instance_path: Path) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'participatie.db'}"
    migrate_database(url, instance_path)
    return url


@pytest.fixture(scope="session")
def postgres_url(instance_path: Path) -> Iterator[str]:
    if not postgres_available():
        skip_or_fail("REQUIRE_POSTGRES", "PostgreSQL is not reachable on 127.0.0.1:5432")
    name, url = create_postgres_database()
    try:
        migrate_database(url, instance_path)
        yield url
    finally:
        drop_postgres_database(name)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server: SMTPServer) -> SMTPServer:
    smtp_server.clear()
    return smtp_server


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override in a test module to change settings for its `app`."""
    return {}


@pytest.fixture
def app(
    database_url: str,
    instance_path: Path,
    smtp_server: SMTPServer,
    app_config: dict[str, Any],
) -> Iterator[Flask]:
    mail = {
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "MAIL_USE_STARTTLS": False,
    }
    config = base_config(database_url, **{**mail, **app_config})
    application = create_app(config, instance_path=str(instance_path))
    with application.app_context():
        from participatie.organisations.operations import ensure_reference_data

        ensure_reference_data()
        db.session.commit()
        table_names = [table.name for table in reversed(db.metadata.sorted_tables)]
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    empty_all_tables(database_url, table_names)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield
        db.session.rollback()


@dataclass
class StaffAccount:
    id: int
    email: str
    password: str
    role: str
    totp_secret: str | None
    name: str

    def totp(self) -> pyotp.TOTP:
        assert self.totp_secret, "account has no two-factor secret"
        return pyotp.TOTP(self.totp_secret)


@pytest.fixture
def create_user(app: Flask) -> Callable[..., StaffAccount]:
    counter = iter(range(1, 10_000))

    def factory(
        role: str = "ambassadeur",
        *,
        email: str | None = None,
        password: str = "een lange zin als wachtwoord",
        totp: bool = True,
        must_change_password: bool = False,
        organisation_slug: str | None = None,
        active: bool = True,
    ) -> StaffAccount:
        from sqlalchemy import select

        from participatie import clock
        from participatie.auth.models import User
        from participatie.organisations.models import Organisation
        from participatie.security import hash_password, new_totp_secret

        number = next(counter)
        with app.app_context():
            organisation_id = None
            if role == "ketenpartner" or organisation_slug:
                organisation_id = db.session.scalar(
                    select(Organisation.id).where(
                        Organisation.slug == (organisation_slug or "save")
                    )
                )
            user = User(
                email=email or f"{role}{number}@example.org",
                name=f"{role.title()} {number}",
                role=role,
                organisation_id=organisation_id,
                password_hash=hash_password(password),
                must_change_password=must_change_password,
                totp_secret=new_totp_secret() if totp else None,
                totp_confirmed_at=clock.now() if totp else None,
                is_active=active,
            )
            db.session.add(user)
            db.session.commit()
            return StaffAccount(user.id, user.email, password, role, user.totp_secret, user.name)

    return factory


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def post_form(
    client: FlaskClient, page: str, data: dict[str, Any], action: str | None = None, **kwargs: Any
) -> Any:
    """Open `page` like a browser, take its CSRF token, and post `data` to `action` (or `page`)."""
    response = client.get(page)
    token = csrf_token_from(response.get_data(as_text=True))
    return client.post(action or page, data={**data, "csrf_token": token}, **kwargs)


_used_steps: dict[str, set[int]] = {}


def fresh_code(account: StaffAccount) -> str:
    """A TOTP code for a step this account has not used yet (codes cannot be replayed).

    The current or next step, never the previous one: a code for the previous step could fall
    out of the accepted window while the request is on its way.
    """
    import time

    totp = account.totp()
    used = _used_steps.setdefault(account.totp_secret or "", set())
    while True:
        now_step = int(time.time() // totp.interval)
        for step in (now_step, now_step + 1):
            if not used or step > max(used):
                used.add(step)
                return totp.generate_otp(step)
        # Both used by earlier logins in this half minute: wait for the next step.
        time.sleep(totp.interval - time.time() % totp.interval + 0.05)


def login(client: FlaskClient, account: StaffAccount) -> Any:
    """Sign in with password and TOTP; returns the final response (after the code step)."""
    response = post_form(
        client, "/medewerkers/inloggen", {"email": account.email, "password": account.password}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return post_form(client, "/medewerkers/inloggen/code", {"code": fresh_code(account)})


@pytest.fixture
def logged_in(
    client: FlaskClient, create_user: Callable[..., StaffAccount]
) -> Callable[..., StaffAccount]:
    def factory(role: str = "ambassadeur", **kwargs: Any) -> StaffAccount:
        account = create_user(role, **kwargs)
        response = login(client, account)
        assert response.status_code == 302
        return account

    return factory


@pytest.fixture
def create_participant(app: Flask) -> Callable[..., int]:
    """Add a confirmed (by default active) pool member directly; returns their id."""
    counter = iter(range(1, 100_000))

    def factory(
        *,
        display_name: str | None = None,
        email: str | None = "",
        phone: str | None = None,
        role: str = "parent",
        age_band: str = "35-49",
        status: str = "active",
        consents: tuple[str, ...] = ("pool", "surveys"),
        interests: tuple[str, ...] = ("group_conversations",),
        languages: tuple[str, ...] = ("nl",),
        availability: tuple[str, ...] = ("evening",),
        municipality: str | None = "Amersfoort",
        guardian_email: str | None = None,
        locale: str = "nl",
    ) -> int:
        from sqlalchemy import select

        from participatie import clock
        from participatie.organisations.models import Municipality
        from participatie.participants.models import Consent, Participant, ParticipantTag

        number = next(counter)
        with app.app_context():
            municipality_id = (
                db.session.scalar(select(Municipality.id).where(Municipality.name == municipality))
                if municipality
                else None
            )
            participant = Participant(
                display_name=display_name or f"Deelnemer{number}",
                email=(f"deelnemer{number}@example.org" if email == "" else email),
                phone=phone,
                role=role,
                age_band=age_band,
                status=status,
                municipality_id=municipality_id,
                guardian_email=guardian_email
                or (f"ouder{number}@example.org" if age_band == "12-15" else None),
                email_confirmed_at=clock.now() if status != "new" else None,
                guardian_confirmed_at=clock.now()
                if status != "new" and age_band == "12-15"
                else None,
                locale=locale,
            )
            participant.consents = [Consent(purpose=purpose) for purpose in consents]
            participant.tags = [
                ParticipantTag(kind=kind, value=value)
                for kind, values in (
                    ("interest", interests),
                    ("language", languages),
                    ("availability", availability),
                )
                for value in values
            ]
            db.session.add(participant)
            db.session.commit()
            return participant.id

    return factory


@pytest.fixture
def create_session(app: Flask) -> Callable[..., int]:
    """A session (published by default) starting `days` from now; returns its id."""
    counter = iter(range(1, 10_000))

    def factory(
        *,
        capacity: int = 10,
        days: float = 10,
        hours: float = 2,
        status: str = "published",
        kind: str = "group_conversation",
        audience: str = "both",
        is_online: bool = False,
        allowance_cents: int | None = 1000,
        questions: tuple[str, ...] = ("support", "dietary", "childcare", "interpreter"),
        **fields: Any,
    ) -> int:
        from participatie.groupsessions.models import GroupSession

        number = next(counter)
        starts = clock.now().replace(microsecond=0) + timedelta(days=days)
        with app.app_context():
            session = GroupSession(
                kind=kind,
                title_nl=fields.pop("title_nl", f"Groepsgesprek {number}"),
                title_en=fields.pop("title_en", f"Group conversation {number}"),
                description_nl=fields.pop("description_nl", "We praten over de jeugdbescherming."),
                description_en=fields.pop("description_en", "We talk about youth protection."),
                audience=audience,
                starts_at=starts,
                ends_at=starts + timedelta(hours=hours),
                is_online=is_online,
                location_name=fields.pop(
                    "location_name", "" if is_online else "Wijkcentrum De Kei"
                ),
                location_address=fields.pop(
                    "location_address", "" if is_online else "Keistraat 1, Amersfoort"
                ),
                meeting_link=fields.pop(
                    "meeting_link", "https://meet.example/abc" if is_online else ""
                ),
                capacity=capacity,
                taken=0,
                allowance_cents=allowance_cents,
                languages=fields.pop("languages", ["nl"]),
                questions=list(questions),
                status=status,
                **fields,
            )
            db.session.add(session)
            db.session.commit()
            return session.id

    return factory
