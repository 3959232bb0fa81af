"""What the respondent pages need of an open wave, as plain immutable objects kept per process.

An open wave never changes but for its status (open → closed), and its version is frozen, so each
web process reads them once and answers every later page from memory: no query and no ORM
attribute machinery on the path a respondent sends the survey through. The status in the cache may
be a little behind (at most `SURVEY_WAVE_CACHE_SECONDS`, and only in other processes than the one
that closed the wave); that is safe because the submission itself checks the status in the same
statement that stores it (operations.submit).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..db import db
from .models import (
    CLOSED_KINDS,
    LocalisedText,
    QuestionKind,
    SurveySection,
    SurveyVersion,
    SurveyWave,
    WaveStatus,
    localised,
)


@dataclass(frozen=True, slots=True)
class Question:
    """A frozen question; the same attributes as `SurveyQuestion`, so templates and `answering`
    take either."""

    id: int
    position: int
    code: str
    kind: QuestionKind
    is_required: bool
    text: LocalisedText
    help: LocalisedText
    options: tuple[dict[str, Any], ...]
    theme_slug: str | None
    is_background: bool
    condition_code: str | None
    condition_values: tuple[str, ...]

    def label(self, locale: str) -> str:
        return localised(self.text, locale)

    def help_text(self, locale: str) -> str:
        return localised(self.help, locale)

    @property
    def is_closed(self) -> bool:
        return self.kind in CLOSED_KINDS


@dataclass(frozen=True, slots=True)
class Section:
    id: int
    position: int
    title: LocalisedText
    intro: LocalisedText
    questions: tuple[Question, ...]

    def text(self, field: str, locale: str) -> str:
        return localised(getattr(self, field), locale)


@dataclass(frozen=True, slots=True)
class Version:
    id: int
    sections: tuple[Section, ...]
    questions: tuple[Question, ...] = field(init=False)

    def __post_init__(self) -> None:
        questions = tuple(question for section in self.sections for question in section.questions)
        object.__setattr__(self, "questions", questions)


@dataclass(frozen=True, slots=True)
class OpenWave:
    """The parts of an open wave that never change while it is open."""

    id: int
    public_key: str
    version_id: int
    open_link: bool
    languages: tuple[str, ...]
    closes_on: date


def snapshot(version: SurveyVersion) -> Version:
    """A plain copy of a version, its sections and questions."""
    return Version(
        id=version.id,
        sections=tuple(
            Section(
                id=section.id,
                position=section.position,
                title=dict(section.title or {}),
                intro=dict(section.intro or {}),
                questions=tuple(
                    Question(
                        id=question.id,
                        position=question.position,
                        code=question.code,
                        kind=QuestionKind(question.kind),
                        is_required=question.is_required,
                        text=dict(question.text or {}),
                        help=dict(question.help or {}),
                        options=tuple(dict(option) for option in question.options or ()),
                        theme_slug=question.theme_slug,
                        is_background=question.is_background,
                        condition_code=question.condition_code,
                        condition_values=tuple(question.condition_values or ()),
                    )
                    for question in section.questions
                ),
            )
            for section in version.sections
        ),
    )


class _Cache:
    """Frozen versions by id (kept for good) and open waves by key (kept for a while)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.versions: dict[int, Version] = {}
        self.waves: dict[str, tuple[float, OpenWave]] = {}


def _cache() -> _Cache:
    cache = current_app.extensions.get("participatie.survey_snapshots")
    if cache is None:
        cache = current_app.extensions.setdefault("participatie.survey_snapshots", _Cache())
    return cache


def version(version_id: int) -> Version:
    """The questions of a version. A frozen one is read once per process; an editable one (a
    preview) every time."""
    cache = _cache()
    found = cache.versions.get(version_id)
    if found is not None:
        return found
    row = db.session.scalar(
        select(SurveyVersion)
        .where(SurveyVersion.id == version_id)
        .options(selectinload(SurveyVersion.sections).selectinload(SurveySection.questions))
    )
    if row is None:
        raise LookupError(version_id)
    found = snapshot(row)
    if row.is_frozen:
        with cache.lock:
            cache.versions[version_id] = found
    return found


def open_wave(key: str) -> OpenWave | None:
    """The open wave with this public key, or None when there is none (unknown, planned or
    closed: the caller looks at the row to say which)."""
    cache = _cache()
    now = time.monotonic()
    entry = cache.waves.get(key)
    if entry is not None and now - entry[0] < current_app.config["SURVEY_WAVE_CACHE_SECONDS"]:
        return entry[1]
    row = db.session.scalar(select(SurveyWave).where(SurveyWave.public_key == key))
    if row is None or row.status != WaveStatus.OPEN.value:
        forget_wave(key)
        return None
    found = OpenWave(
        id=row.id,
        public_key=row.public_key,
        version_id=row.version_id,
        open_link=row.open_link,
        languages=tuple(row.languages),
        closes_on=row.closes_on,
    )
    with cache.lock:
        cache.waves[key] = (now, found)
    return found


def forget_wave(key: str) -> None:
    """Drop a wave from this process's cache (it was closed here)."""
    cache = _cache()
    with cache.lock:
        cache.waves.pop(key, None)
