"""Scheduled jobs of surveys. Each is idempotent; the scheduler's lease runs each once."""

from __future__ import annotations

import logging

from sqlalchemy import text

from ..db import db
from .operations import delete_expired_drafts, release_due, run_waves
from .tickets import delete_closed_claims

log = logging.getLogger(__name__)

__all__ = ["compact_storage", "release_due", "run_waves"]


def compact_storage() -> None:
    """Drop expired drafts and the send tickets of closed waves, then wipe what deleted rows
    left behind on disk.

    SQLite overwrites deleted rows (secure_delete, set per connection in db.py); a TRUNCATE
    checkpoint then empties the write-ahead log, which would otherwise still hold earlier page
    images of the holding area in the order they were written. On PostgreSQL, VACUUM removes the
    dead row versions of the holding area, drafts and invitations."""
    removed = delete_expired_drafts()
    delete_closed_claims()
    db.session.commit()
    engine = db.engine
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in (
                "survey_pending_submissions",
                "survey_drafts",
                "survey_invitations",
                "survey_send_tickets",
            ):
                connection.execute(text(f"VACUUM {table}"))
    log.info("survey storage compacted, %s expired drafts removed", removed)
