"""Imports every module's models so the metadata (and Alembic) sees all tables."""

from .allowances.models import Allowance
from .audit.models import AuditEvent
from .auth.models import User
from .groupsessions.models import GroupSession, Registration
from .organisations.models import Municipality, Organisation
from .participants.models import (
    Consent,
    Note,
    Participant,
    ParticipantEvent,
    ParticipantTag,
    ParticipantToken,
)
from .scheduler import SchedulerLease, apscheduler_jobs
from .surveys.models import (
    PendingSubmission,
    SurveyAnswer,
    SurveyDraft,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveySection,
    SurveyTemplate,
    SurveyVersion,
    SurveyWave,
)
from .surveys.tickets import SendTicket
from .themes.models import CoderEvaluation, Theme, ThemeReview

__all__ = [
    "Allowance",
    "AuditEvent",
    "CoderEvaluation",
    "Consent",
    "GroupSession",
    "Municipality",
    "Note",
    "Organisation",
    "Participant",
    "ParticipantEvent",
    "ParticipantTag",
    "ParticipantToken",
    "PendingSubmission",
    "Registration",
    "SchedulerLease",
    "SendTicket",
    "SurveyAnswer",
    "SurveyDraft",
    "SurveyInvitation",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveySection",
    "SurveyTemplate",
    "SurveyVersion",
    "SurveyWave",
    "Theme",
    "ThemeReview",
    "User",
    "apscheduler_jobs",
]
