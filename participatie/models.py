"""Imports every module's models so the metadata (and Alembic) sees all tables."""

from .audit.models import AuditEvent
from .auth.models import User
from .organisations.models import Municipality, Organisation
from .scheduler import SchedulerLease, apscheduler_jobs

__all__ = [
    "AuditEvent",
    "Municipality",
    "Organisation",
    "SchedulerLease",
    "User",
    "apscheduler_jobs",
]
