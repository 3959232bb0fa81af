"""Factories for group-session tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from participatie import clock
from participatie.db import db


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
