"""Migrations build the same schema as the models, and downgrade cleanly, on both databases."""

from __future__ import annotations

from pathlib import Path

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from participatie import create_app
from participatie.db import db
from tests.conftest import base_config
from tests.support.databases import (
    create_postgres_database,
    drop_postgres_database,
    postgres_available,
    skip_or_fail,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    if not postgres_available():
        skip_or_fail("REQUIRE_POSTGRES", "PostgreSQL is not reachable")
    name, url = create_postgres_database()
    yield url
    drop_postgres_database(name)


def test_upgrade_matches_models_and_downgrade_removes_everything(
    empty_database: str, tmp_path: Path
) -> None:
    app = create_app(base_config(empty_database), instance_path=str(tmp_path))
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        flask_migrate.upgrade()
        assert "users" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_migration_files_are_date_prefixed_and_have_downgrade() -> None:
    versions = sorted((ROOT / "migrations" / "versions").glob("*.py"))
    assert versions
    for path in versions:
        assert path.name[:8].isdigit(), path.name
        text = path.read_text()
        assert "def downgrade() -> None:" in text
        assert "pass\n" not in text.split("def downgrade() -> None:")[1][:40], path.name


def test_the_sealing_migration_keeps_held_answers_and_invitation_links(
    empty_database: str, tmp_path: Path
) -> None:
    """20261204_3c9e4a7d1f26 seals what is held (nothing is lost), gives every invitation a
    link seed while its first link keeps working, drops drafts it cannot seal and the response
    language; its downgrade opens what is held again."""
    from datetime import UTC, date, datetime

    from sqlalchemy import MetaData, select

    from participatie.surveys import sealing

    app = create_app(base_config(empty_database), instance_path=str(tmp_path))
    with app.app_context():
        flask_migrate.upgrade(revision="bd791764dc89")
        now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC).replace(tzinfo=None)
        tables = MetaData()
        tables.reflect(bind=db.engine)
        rows = {
            "participants": {
                "id": 1,
                "display_name": "Anna",
                "email": "anna@example.org",
                "role": "parent",
                "age_band": "35-49",
                "locale": "nl",
                "support_needs": "",
                "status": "active",
                "created_at": now,
                "last_activity_at": now,
            },
            "survey_templates": {
                "id": 1,
                "slug": "t",
                "audience": "parents",
                "title": {"nl": "T"},
                "description": {},
                "feedback_text": {},
                "estimated_minutes": 5,
                "is_archived": False,
                "created_at": now,
            },
            "survey_versions": {
                "id": 1,
                "template_id": 1,
                "number": 1,
                "is_frozen": True,
                "created_at": now,
            },
            "survey_waves": {
                "id": 1,
                "template_id": 1,
                "version_id": 1,
                "number": 1,
                "opens_on": date(2026, 12, 1),
                "closes_on": date(2026, 12, 31),
                "status": "open",
                "invite_pool": True,
                "open_link": False,
                "public_key": "abc",
                "languages": ["nl", "en"],
                "next_wave_planned": False,
                "reminders_sent": 0,
                "summary_sent": False,
                "created_at": now,
            },
            "survey_invitations": {
                "id": 1,
                "wave_id": 1,
                "participant_id": 1,
                "token_hash": "f" * 64,
                "is_used": True,
            },
            "survey_pending_submissions": {
                "id": "held1",
                "wave_id": 1,
                "language": "en",
                "answers": {"role": "parent"},
            },
            "survey_drafts": {
                "code_hash": "d" * 64,
                "wave_id": 1,
                "answers": {"role": "other"},
                "language": "nl",
                "expires_on": date(2026, 12, 31),
            },
            "survey_responses": {
                "id": "response1",
                "wave_id": 1,
                "language": "en",
                "released_on": date(2026, 12, 2),
            },
        }
        with db.engine.begin() as connection:
            for name, values in rows.items():
                connection.execute(tables.tables[name].insert().values(**values))

        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            hold_id, sealed = connection.execute(
                text("SELECT id, sealed FROM survey_pending_submissions")
            ).one()
            assert sealing.open_held(1, hold_id, sealed) == ("en", {"role": "parent"})
            seed, token_hash = connection.execute(
                text("SELECT link_seed, token_hash FROM survey_invitations")
            ).one()
            assert len(seed) == 32 and token_hash == "f" * 64  # the first link still works
            assert connection.scalar(text("SELECT count(*) FROM survey_drafts")) == 0
            assert connection.scalar(text("SELECT count(*) FROM survey_responses")) == 1
        columns = {c["name"] for c in inspect(db.engine).get_columns("survey_responses")}
        assert "language" not in columns

        flask_migrate.downgrade(revision="bd791764dc89")
        tables = MetaData()
        tables.reflect(bind=db.engine)
        pending = tables.tables["survey_pending_submissions"]
        with db.engine.connect() as connection:
            held = connection.execute(select(pending.c.language, pending.c.answers)).one()
            assert (held.language, held.answers) == ("en", {"role": "parent"})
            assert connection.scalar(text("SELECT language FROM survey_responses")) == "nl"
        db.engine.dispose()
