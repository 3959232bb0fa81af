"""Test databases: a SQLite file and, when reachable, a PostgreSQL database of our own."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import create_engine, text

PG_ADMIN_DSN = os.environ.get(
    "TEST_POSTGRES_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def postgres_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN_DSN, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def require(flag: str) -> bool:
    return os.environ.get(flag, "") not in {"", "0", "false", "no"}


def skip_or_fail(flag: str, reason: str) -> None:
    """In CI (flag set) a missing dependency fails the test instead of skipping it."""
    if require(flag):
        pytest.fail(f"{reason} and {flag}=1 is set", pytrace=False)
    pytest.skip(reason)


def create_postgres_database() -> tuple[str, str]:
    name = f"participatie_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_DSN.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


def drop_postgres_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_all_tables(url: str, table_names: list[str]) -> None:
    """Delete every row (children first) so each test starts from an empty schema."""
    from participatie.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                quoted = ", ".join(f'"{name}"' for name in table_names)
                connection.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
            else:
                for name in table_names:
                    connection.execute(text(f'DELETE FROM "{name}"'))
    finally:
        engine.dispose()


def iter_backends() -> Iterator[str]:
    yield "sqlite"
    yield "postgresql"
