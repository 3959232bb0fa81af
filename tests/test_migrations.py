"""Migrations build the same schema as the models, and downgrade cleanly, on both databases."""

from __future__ import annotations

from pathlib import Path

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

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
