"""Database base class, shared column types and the unit-of-work helper."""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Integer, MetaData, String, TypeDecorator, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, mapped_column, registry

from . import clock

T = TypeVar("T")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC in the database and hands out timezone-aware UTC datetimes.

    SQLite has no time zones; storing naive UTC on both databases keeps them identical.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    # The type map sits on the registry: Flask-SQLAlchemy subclasses this base, and
    # SQLAlchemy 2.1 refuses a per-class map beside a registry.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


db = SQLAlchemy(model_class=Base)

intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
str20 = Annotated[str, mapped_column(String(20))]
str80 = Annotated[str, mapped_column(String(80))]
str200 = Annotated[str, mapped_column(String(200))]
email_str = Annotated[str, mapped_column(String(254))]
created_at = Annotated[datetime, mapped_column(UTCDateTime(), default=clock.now)]


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Foreign keys on, WAL and a busy timeout so the web and scheduler processes can share a file."""
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows (the survey holding area, drafts) are overwritten, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _is_lock_conflict(error: OperationalError) -> bool:
    return "database is locked" in str(error.orig) or "could not serialize" in str(error.orig)


def run_in_transaction(work: Callable[[], T], attempts: int = 30) -> T:
    """Run `work` and commit, starting afresh when SQLite reports a lock conflict.

    On SQLite a transaction that read and then writes fails at once ("database is locked") when
    another writer committed in between; the whole unit of work is then rolled back and run
    again after a short random pause. Operations that must be safe under concurrency start with
    their conditional UPDATE, which waits for the lock instead, so retries are rare. Any open
    transaction of the request is committed first, so the work starts with a fresh snapshot.
    """
    if db.session().in_transaction():
        db.session.commit()
    for attempt in range(attempts):
        try:
            result = work()
            db.session.commit()
            return result
        except OperationalError as error:
            db.session.rollback()
            if not _is_lock_conflict(error) or attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0.005, 0.02) * (attempt + 1))  # noqa: S311 - jitter, not security
    raise AssertionError("unreachable")


@contextlib.contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit once at the end of a CLI command or job; roll back if anything fails."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
