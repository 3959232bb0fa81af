"""Scheduled jobs of surveys. Each is idempotent; the scheduler's lease runs each once."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ..db import db
from . import operations
from .operations import delete_expired_drafts
from .tickets import delete_closed_claims

log = logging.getLogger(__name__)

__all__ = ["compact_storage", "release_due", "run_waves"]

# Every survey table whose rows are deleted or rewritten in an order that means something: held
# submissions and drafts (deleted at release and closing), invitations (used one by one), and
# the released responses and answers (deleted and written again in one random order at closing).
COMPACTED_TABLES = (
    "survey_pending_submissions",
    "survey_drafts",
    "survey_invitations",
    "survey_responses",
    "survey_answers",
    "survey_send_tickets",
)
# VACUUM FULL and CLUSTER wait for every open transaction that read the table, and everything
# after them waits too: they give up after this and fall back to a plain VACUUM.
LOCK_TIMEOUT = "10s"


def release_due() -> int:
    """The scheduler's release job (operations.release_due). After a release, what the released
    submissions left on disk is wiped at once: SQLite's write-ahead log, which held the sealed
    submissions and the used invitations page by page in commit order, and PostgreSQL's dead
    row versions of the holding area. (The release itself stores the invitations anew.)"""
    released = operations.release_due()
    if released:
        db.session.commit()
        _wipe(("survey_pending_submissions",))
    return released


def run_waves() -> dict[str, int]:
    """The scheduler's wave job (operations.run_waves); after closing a wave it compacts storage
    at once, so the order in which the wave's batches were released does not wait for the night
    to disappear from disk."""
    done = operations.run_waves()
    if done["closed"]:
        compact_storage()
    return done


def compact_storage() -> None:
    """Drop expired drafts and the send tickets of closed waves, then wipe what deleted and
    rewritten rows left behind on disk.

    SQLite overwrites deleted rows (secure_delete, set per connection in db.py); a TRUNCATE
    checkpoint then empties the write-ahead log, which would otherwise still hold earlier page
    images of the holding area and the invitations in the order they were written. On
    PostgreSQL a plain VACUUM only marks old row versions free — their bytes stay in the data
    files until overwritten — so the survey tables are written anew with only their current
    rows: VACUUM FULL, and CLUSTER on the primary key for the invitations (VACUUM FULL would keep
    their physical order, which can still follow the order links were used). Each table is
    locked for that moment; the survey tables are small and the job runs at night, or right
    after a wave closed. PostgreSQL's own write-ahead log (and any WAL archive) still holds old
    versions until it is recycled: see docs/deployment.md."""
    removed = delete_expired_drafts()
    delete_closed_claims()
    db.session.commit()
    _wipe(COMPACTED_TABLES)
    log.info("survey storage compacted, %s expired drafts removed", removed)


def _wipe(tables: tuple[str, ...]) -> None:
    engine = db.engine
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    if engine.dialect.name != "postgresql":  # pragma: no cover - only the two are supported
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"SET lock_timeout = '{LOCK_TIMEOUT}'"))
        try:
            for table in tables:
                rewrite = (
                    "CLUSTER survey_invitations USING pk_survey_invitations"
                    if table == "survey_invitations"
                    else f"VACUUM (FULL, ANALYZE) {table}"
                )
                try:
                    connection.execute(text(rewrite))
                except DBAPIError:  # busy (lock timeout), or not the table's owner
                    log.warning(
                        "survey storage: %s not rewritten (busy or not owner), plain VACUUM", table
                    )
                    connection.execute(text(f"VACUUM (ANALYZE) {table}"))
        finally:
            connection.execute(text("RESET lock_timeout"))
