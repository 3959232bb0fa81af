"""The one place the application asks for the time, so tests can move it without sleeping."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

_frozen: datetime | None = None


def now() -> datetime:
    """Current time, timezone-aware UTC."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def today() -> date:
    return now().date()


@contextlib.contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Freeze `now()` at `moment` (aware) for the duration of the block. For tests, and for the
    demo seeding, which runs a survey round on its own (past) days; never while serving."""
    global _frozen
    previous = _frozen
    _frozen = moment
    try:
        yield
    finally:
        _frozen = previous


def advance(delta: timedelta) -> None:
    """Move a frozen clock forward; tests only."""
    global _frozen
    if _frozen is None:
        raise RuntimeError("advance() needs a frozen clock (use frozen_at)")
    _frozen = _frozen + delta
