from __future__ import annotations

from sqlalchemy import select

from ..db import db
from .models import Municipality, Organisation


def list_organisations(active_only: bool = False) -> list[Organisation]:
    query = select(Organisation).order_by(Organisation.name)
    if active_only:
        query = query.where(Organisation.is_active.is_(True))
    return list(db.session.scalars(query))


def list_municipalities(active_only: bool = False) -> list[Municipality]:
    query = select(Municipality).order_by(Municipality.name)
    if active_only:
        query = query.where(Municipality.is_active.is_(True))
    return list(db.session.scalars(query))
