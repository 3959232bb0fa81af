"""Anonymous recurring experience surveys: templates, waves, invitations and answers.

Two worlds that never meet (invariants 1 and 4 in DESIGN.md):

* the **recruitment side** — `SurveyInvitation` knows a participant and a wave, and records only
  *that* its link was used, never when;
* the **answer side** — `PendingSubmission` (the holding area), `SurveyDraft`, `SurveyResponse`
  and `SurveyAnswer` know a wave and nothing else: no person, invitation, token, address, language
  or time finer than a day, and random identifiers. Held submissions and drafts are encrypted
  (sealing.py), so what waits while a wave is open cannot be read from a copy of the database.
  Rows wait in the holding area and are released in shuffled batches, so neither ids nor
  storage order tell who answered when.

No foreign key, column or shared value joins the two sides. docs/anonymity.md has the threat model.
"""

from __future__ import annotations

import enum
import secrets
from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import created_at, db, intpk

LocalisedText = dict[str, str]


class QuestionKind(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    AGREEMENT = "agreement"  # five steps plus "not applicable"
    GRADE = "grade"  # 1 to 10
    YESNO = "yesno"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"


CLOSED_KINDS = frozenset(
    {
        QuestionKind.SINGLE,
        QuestionKind.MULTIPLE,
        QuestionKind.AGREEMENT,
        QuestionKind.GRADE,
        QuestionKind.YESNO,
    }
)
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})
CONDITION_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YESNO})


class SurveyAudience(enum.StrEnum):
    PARENTS = "parents"
    YOUNG_PEOPLE = "young_people"


class WaveStatus(enum.StrEnum):
    DRAFT = "draft"  # planned; the scheduler opens it on opens_on
    OPEN = "open"
    CLOSED = "closed"


def _values(enum_type: type[enum.StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in enum_type)


def random_id() -> str:
    """A random identifier for answer-side rows: it orders nothing and means nothing."""
    return secrets.token_hex(16)


def localised(texts: LocalisedText | None, locale: str) -> str:
    """The text in `locale`, falling back to Dutch (the required language) per text."""
    if not texts:
        return ""
    return texts.get(locale) or texts.get("nl") or ""


class SurveyTemplate(db.Model):
    """A questionnaire that waves are run from. Its questions live in versions."""

    __tablename__ = "survey_templates"
    __table_args__ = (
        CheckConstraint(f"audience IN ({_values(SurveyAudience)})", name="audience_known"),
    )

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    audience: Mapped[str] = mapped_column(String(20), default=SurveyAudience.PARENTS.value)
    title: Mapped[LocalisedText] = mapped_column(JSON, default=dict)
    description: Mapped[LocalisedText] = mapped_column(JSON, default=dict)
    feedback_text: Mapped[LocalisedText] = mapped_column(
        JSON, default=dict, comment="'what we did with earlier answers', on the thank-you page"
    )
    estimated_minutes: Mapped[int] = mapped_column(Integer, default=10)
    languages: Mapped[list[str]] = mapped_column(
        JSON,
        default=lambda: ["nl", "en"],
        comment="the languages its texts are written in: Dutch first and always, others optional",
    )
    answer_labels: Mapped[dict[str, LocalisedText]] = mapped_column(
        JSON,
        default=dict,
        comment="fixed answers (agreement, yes/no) in languages the app has no translation of: "
        "{kind:value: {lang: text}}",
    )
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[created_at]

    versions: Mapped[list[SurveyVersion]] = relationship(
        back_populates="template", order_by="SurveyVersion.number", cascade="all, delete-orphan"
    )

    def text(self, field: str, locale: str) -> str:
        return localised(getattr(self, field), locale)

    @property
    def latest_version(self) -> SurveyVersion:
        return self.versions[-1]


class SurveyVersion(db.Model):
    """The questions of a template at one moment. Frozen once a wave has opened with it."""

    __tablename__ = "survey_versions"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: Mapped[intpk]
    template_id: Mapped[int] = mapped_column(ForeignKey("survey_templates.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer, default=1)
    is_frozen: Mapped[bool] = mapped_column(
        Boolean, default=False, comment="a wave opened with it; edits make a new version"
    )
    created_at: Mapped[created_at]

    template: Mapped[SurveyTemplate] = relationship(back_populates="versions")
    sections: Mapped[list[SurveySection]] = relationship(
        back_populates="version", order_by="SurveySection.position", cascade="all, delete-orphan"
    )

    @property
    def questions(self) -> list[SurveyQuestion]:
        return [question for section in self.sections for question in section.questions]


class SurveySection(db.Model):
    __tablename__ = "survey_sections"

    id: Mapped[intpk]
    version_id: Mapped[int] = mapped_column(
        ForeignKey("survey_versions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[LocalisedText] = mapped_column(JSON, default=dict)
    intro: Mapped[LocalisedText] = mapped_column(JSON, default=dict)

    version: Mapped[SurveyVersion] = relationship(back_populates="sections")
    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="section", order_by="SurveyQuestion.position", cascade="all, delete-orphan"
    )

    def text(self, field: str, locale: str) -> str:
        return localised(getattr(self, field), locale)


class SurveyQuestion(db.Model):
    __tablename__ = "survey_questions"
    __table_args__ = (CheckConstraint(f"kind IN ({_values(QuestionKind)})", name="kind_known"),)

    id: Mapped[intpk]
    section_id: Mapped[int] = mapped_column(
        ForeignKey("survey_sections.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(
        String(80), comment="stable key: the same question in later versions, for trends"
    )
    kind: Mapped[str] = mapped_column(String(20))
    is_required: Mapped[bool] = mapped_column(Boolean, default=True)
    text: Mapped[LocalisedText] = mapped_column(JSON, default=dict)
    help: Mapped[LocalisedText] = mapped_column(JSON, default=dict)
    options: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, comment="single/multiple: [{value, label: {lang: text}}]"
    )
    theme_slug: Mapped[str | None] = mapped_column(
        String(80), comment="the codebook theme (bottleneck) this closed question measures"
    )
    is_background: Mapped[bool] = mapped_column(
        Boolean, default=False, comment="role, age band, municipality…: offered as result filter"
    )
    condition_code: Mapped[str | None] = mapped_column(
        String(80), comment="show only when this earlier question…"
    )
    condition_values: Mapped[list[str]] = mapped_column(
        JSON, default=list, comment="…has one of these answers"
    )

    section: Mapped[SurveySection] = relationship(back_populates="questions")

    def label(self, locale: str) -> str:
        return localised(self.text, locale)

    def help_text(self, locale: str) -> str:
        return localised(self.help, locale)

    @property
    def is_closed(self) -> bool:
        return self.kind in CLOSED_KINDS


class SurveyWave(db.Model):
    """One run of a template version: dates, audience, languages and recurrence.

    A planned wave points at the version that was latest when it was planned; when it opens it
    takes the template's latest version with questions instead (so edits made meanwhile reach it),
    unless the ambassador pinned a version."""

    __tablename__ = "survey_waves"
    __table_args__ = (
        CheckConstraint(f"status IN ({_values(WaveStatus)})", name="status_known"),
        CheckConstraint("closes_on >= opens_on", name="closes_after_opening"),
        CheckConstraint("reminders_sent BETWEEN 0 AND 2", name="at_most_two_reminders"),
        CheckConstraint(
            "recurrence_months IS NULL OR recurrence_months BETWEEN 1 AND 24",
            name="recurrence_sensible",
        ),
        Index("ix_survey_waves_status_dates", "status", "opens_on", "closes_on"),
    )

    id: Mapped[intpk]
    template_id: Mapped[int] = mapped_column(ForeignKey("survey_templates.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id"))
    number: Mapped[int] = mapped_column(Integer, default=1, comment="nth wave of the template")
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date, comment="last day on which answers are taken")
    status: Mapped[str] = mapped_column(String(10), default=WaveStatus.DRAFT.value)
    invite_pool: Mapped[bool] = mapped_column(
        Boolean, default=True, comment="invite pool members who consented to surveys"
    )
    open_link: Mapped[bool] = mapped_column(Boolean, default=False)
    public_key: Mapped[str] = mapped_column(
        String(32), unique=True, default=lambda: secrets.token_urlsafe(9)
    )
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["nl", "en"])
    recurrence_months: Mapped[int | None] = mapped_column(
        Integer, comment="the scheduler plans the next wave this many months later"
    )
    version_pinned: Mapped[bool] = mapped_column(
        Boolean,
        default=False,
        comment="the ambassador chose version_id; otherwise opening takes the latest version",
    )
    invitations_sent: Mapped[bool] = mapped_column(
        Boolean, default=False, comment="the pool was invited; mail waits for daytime"
    )
    next_wave_planned: Mapped[bool] = mapped_column(Boolean, default=False)
    reminders_sent: Mapped[int] = mapped_column(
        Integer,
        default=0,
        comment="kept per wave, not per invitation, so no invitation shows when it was used",
    )
    summary_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[created_at]

    template: Mapped[SurveyTemplate] = relationship()
    version: Mapped[SurveyVersion] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status == WaveStatus.OPEN.value


class SurveyInvitation(db.Model):
    """A personal, single-use link. Records only *that* it was used, never when or for what."""

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("wave_id", "participant_id"),)

    id: Mapped[intpk]
    wave_id: Mapped[int] = mapped_column(ForeignKey("survey_waves.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, comment="sha256 of the link")
    link_seed: Mapped[str] = mapped_column(
        String(32),
        default=random_id,
        comment="random; the link token is an HMAC (SECRET_KEY) of it: one link for every mail",
    )
    is_used: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyDraft(db.Model):
    """Answers saved to continue later, readable only with the resume code; holds no identity."""

    __tablename__ = "survey_drafts"

    code_hash: Mapped[str] = mapped_column(
        String(64), primary_key=True, comment="keyed hash of the resume code (sealing.py)"
    )
    wave_id: Mapped[int] = mapped_column(
        ForeignKey("survey_waves.id", ondelete="CASCADE"), index=True
    )
    sealed: Mapped[bytes] = mapped_column(
        LargeBinary, comment="language and answers, encrypted with a key from the resume code"
    )
    expires_on: Mapped[date] = mapped_column(Date, comment="the wave's closing day")


class PendingSubmission(db.Model):
    """The holding area: complete answers, encrypted, waiting to be released in a shuffled batch."""

    __tablename__ = "survey_pending_submissions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    wave_id: Mapped[int] = mapped_column(
        ForeignKey("survey_waves.id", ondelete="CASCADE"), index=True
    )
    sealed: Mapped[bytes] = mapped_column(
        LargeBinary, comment="language and answers, encrypted; only the release opens it"
    )


class SurveyResponse(db.Model):
    """One anonymous, released response. It keeps no language: the pool knows each invitee's
    language, so it would narrow down who answered (the coder gets it at release, from the
    sealed submission, as a hint)."""

    __tablename__ = "survey_responses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    wave_id: Mapped[int] = mapped_column(
        ForeignKey("survey_waves.id", ondelete="CASCADE"), index=True
    )
    released_on: Mapped[date] = mapped_column(
        Date, comment="the day its batch was released: no submission time is kept"
    )

    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class SurveyAnswer(db.Model):
    """One answer; a multiple-choice question gives one row per ticked option."""

    __tablename__ = "survey_answers"
    __table_args__ = (Index("ix_survey_answers_question_choice", "question_id", "choice"),)

    id: Mapped[intpk]
    response_id: Mapped[str] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"))
    choice: Mapped[str | None] = mapped_column(String(80))
    number: Mapped[int | None] = mapped_column(Integer, comment="grade 1–10")
    text: Mapped[str | None] = mapped_column(Text, comment="open answer, scrubbed at release")
    text_language: Mapped[str | None] = mapped_column(String(5))
    sentiment: Mapped[int | None] = mapped_column(Integer, comment="-1, 0 or 1")
    sentiment_score: Mapped[float | None]
    themes: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, comment="[{slug, confidence, evidence: [words]}] from the coder"
    )

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
    question: Mapped[SurveyQuestion] = relationship()
