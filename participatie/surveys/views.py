"""The respondent's pages: an anonymous survey, one section per page, without JavaScript.

The answers so far travel with every page as hidden fields, so going back and forth loses
nothing and the server keeps nothing until the respondent sends the survey or asks for a resume
code. Nothing here logs an answer, a token or an address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from sqlalchemy import select

from ..db import db, run_in_transaction
from ..extensions import limiter
from . import answering, operations, snapshots
from .models import SurveyWave, WaveStatus

bp = Blueprint("surveys", __name__, url_prefix="/enquete")

MAX_TOKEN_LENGTH = 64
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,32}")


@bp.app_template_global("question_options")
def question_options(question: Any, locale: str) -> list[answering.Option]:
    return answering.options_for(question, locale)


def _wave_by_key(key: str) -> SurveyWave:
    if not KEY_PATTERN.fullmatch(key):
        abort(404)
    wave = db.session.scalar(select(SurveyWave).where(SurveyWave.public_key == key))
    if wave is None or wave.status == WaveStatus.DRAFT.value:
        abort(404)
    return wave


def _open_wave(key: str) -> snapshots.OpenWave:
    """The open wave with this key, from this process's memory; otherwise the page that says
    why not (404 for an unknown or planned wave, 410 for a closed one)."""
    if not KEY_PATTERN.fullmatch(key):
        abort(404)
    wave = snapshots.open_wave(key)
    if wave is None:
        abort(make_response(_unavailable(_wave_by_key(key), "closed", 410)))
    return wave


def _locale(wave: SurveyWave | snapshots.OpenWave) -> str:
    locale = str(get_locale() or "nl")
    return locale if locale in wave.languages else "nl"


def _clean_secret(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if 0 < len(value) <= MAX_TOKEN_LENGTH else None


def _unavailable(wave: SurveyWave | None, reason: str, status: int = 200) -> Any:
    return (
        render_template(
            "surveys/unavailable.html",
            wave=wave,
            reason=reason,
            locale=_locale(wave) if wave else "nl",
        ),
        status,
    )


@bp.route("/<key>")
def start(key: str) -> Any:
    """The first page: what the survey is about, how long it takes, and why it is anonymous."""
    wave = _wave_by_key(key)
    if wave.status != WaveStatus.OPEN.value:
        return _unavailable(wave, "closed", 410)
    if not wave.open_link:
        return _unavailable(wave, "invitation_only", 403)
    return render_template("surveys/intro.html", wave=wave, locale=_locale(wave), ballot=None)


@bp.route("/uitnodiging/<token>")
def invitation(token: str) -> Any:
    """A personal invitation link: the same first page, with the link carried in the form."""
    token = _clean_secret(token) or ""
    invitation = operations.find_invitation(token) if token else None
    if invitation is None:
        return _unavailable(None, "unknown_link", 404)
    wave = db.session.get_one(SurveyWave, invitation.wave_id)
    if wave.status != WaveStatus.OPEN.value:
        return _unavailable(wave, "closed", 410)
    if invitation.is_used:
        return _unavailable(wave, "already_used", 410)
    return render_template("surveys/intro.html", wave=wave, locale=_locale(wave), ballot=token)


def _open_link_send_allowed() -> bool:
    """One send through the open link counts against `SURVEY_OPEN_LINK_RATE_LIMIT`; stepping
    through the pages never does."""
    return limiter.hit("survey-open-link", current_app.config["SURVEY_OPEN_LINK_RATE_LIMIT"])


@bp.route("/<key>", methods=["POST"])
def answer(key: str) -> Any:
    """Every step of answering: next, back, save for later and send."""
    wave = _open_wave(key)
    ballot = _clean_secret(request.form.get("ballot"))
    resume = _clean_secret(request.form.get("resume"))
    page = _Page(wave, ballot, resume)
    if not wave.open_link and not ballot and not resume:
        return page.unavailable("invitation_only", 403)
    version = page.version
    answers = page.answers = answering.read_form(version, request.form)
    go = request.form.get("go", "start")
    current = _current_section(version.sections, request.form.get("section"))

    if go == "start" or current is None:
        return page.render(page.first())
    if go == "back":
        return page.render(page.neighbour(current, -1))
    if go == "save":
        return page.save(current)
    errors = answering.section_errors(
        answering.shown_questions(current, page.shown_codes()), answers
    )
    if errors:
        return page.render(current, errors)
    if go == "next":
        return page.render(page.neighbour(current, +1))
    if go == "submit":
        if not ballot and not resume and not _open_link_send_allowed():
            return page.render(current, notice="rate_limited", status=429)
        return page.submit(current)
    return page.render(current)


def _current_section(sections: Sequence[snapshots.Section], raw: Any) -> snapshots.Section | None:
    try:
        section_id = int(raw)
    except (TypeError, ValueError):
        return None
    return next((section for section in sections if section.id == section_id), None)


class _Page:
    """One step of a survey with everything the respondent has answered so far.

    Sending the survey needs only the wave's snapshot; a page to show also needs the wave's row
    (titles, dates), which is read then, and which says whether the wave has closed meanwhile."""

    def __init__(self, wave: snapshots.OpenWave, ballot: str | None, resume: str | None) -> None:
        self.key = wave.public_key
        self.snapshot = wave
        self.version = snapshots.version(wave.version_id)
        self.answers: answering.Answers = {}
        self.ballot = ballot
        self.resume = resume
        self.locale = _locale(wave)

    @property
    def wave(self) -> SurveyWave:
        return db.session.get_one(SurveyWave, self.snapshot.id)

    def unavailable(self, reason: str, status: int) -> Any:
        return _unavailable(self.wave, reason, status)

    def shown_codes(self) -> frozenset[str]:
        return answering.shown_codes(self.version, self.answers)

    def shown(self) -> list[snapshots.Section]:
        return answering.shown_sections(self.version, self.shown_codes())

    def first(self) -> snapshots.Section:
        shown = self.shown()
        return shown[0] if shown else self.version.sections[0]

    def neighbour(self, current: snapshots.Section, step: int) -> snapshots.Section:
        """The shown section before or after `current` (by position, as conditions may have
        hidden or shown sections since)."""
        shown = self.shown()
        if step > 0:
            later = [section for section in shown if section.position > current.position]
            return later[0] if later else current
        earlier = [section for section in shown if section.position < current.position]
        return earlier[-1] if earlier else current

    def render(
        self,
        section: snapshots.Section,
        errors: dict[str, str] | None = None,
        *,
        notice: str | None = None,
        status: int | None = None,
    ) -> Any:
        """The page of `section`, with errors per question or a `notice` for the whole page
        (what the respondent filled in stays in the form either way)."""
        wave = self.wave
        if wave.status != WaveStatus.OPEN.value:
            return self.unavailable("closed", 410)
        shown = self.shown()
        if section not in shown and shown:
            section = shown[0]
        number = shown.index(section) + 1 if section in shown else 1
        on_page = {question.code for question in section.questions}
        carried = {code: value for code, value in self.answers.items() if code not in on_page}
        return (
            render_template(
                "surveys/section.html",
                wave=wave,
                section=section,
                questions=answering.shown_questions(section, self.shown_codes()),
                answers=self.answers,
                carried=carried,
                errors=errors or {},
                number=number,
                total=len(shown) or 1,
                is_last=number >= len(shown),
                ballot=self.ballot,
                resume=self.resume,
                locale=self.locale,
                notice=notice,
            ),
            status or (422 if errors else 200),
        )

    def save(self, current: snapshots.Section) -> Any:
        try:
            code = run_in_transaction(
                lambda: operations.save_draft(
                    self.snapshot.id,
                    self.answers,
                    self.locale,
                    invitation_token=self.ballot,
                    resume_code=self.resume,
                )
            )
        except operations.AlreadyUsed:
            db.session.rollback()
            return self.unavailable("already_used", 409)
        except operations.WaveNotOpen:
            db.session.rollback()
            return self.unavailable("closed", 410)
        return render_template(
            "surveys/saved.html",
            wave=self.wave,
            code=code,
            section=current,
            answers=self.answers,
            locale=self.locale,
        )

    def submit(self, current: snapshots.Section) -> Any:
        if request.form.get("website"):
            # The honeypot: a field people never see. Pretend all went well; store nothing.
            return redirect(url_for("surveys.thanks", key=self.key), 303)
        complete = answering.keep_shown(self.version, self.answers)
        errors = answering.complete_errors(self.version, complete)
        if errors:
            first_wrong = next(
                section
                for section in self.shown()
                if any(question.code in errors for question in section.questions)
            )
            return self.render(first_wrong, errors)
        try:
            run_in_transaction(
                lambda: operations.submit(
                    self.snapshot.id,
                    complete,
                    self.locale,
                    invitation_token=None if self.resume else self.ballot,
                    resume_code=self.resume,
                )
            )
        except operations.AlreadyUsed:
            db.session.rollback()
            return self.unavailable("already_used", 409)
        except operations.WaveNotOpen:
            db.session.rollback()
            snapshots.forget_wave(self.key)
            return self.unavailable("closed", 410)
        return redirect(url_for("surveys.thanks", key=self.key), 303)


@bp.route("/<key>/bedankt")
def thanks(key: str) -> Any:
    wave = _wave_by_key(key)
    return render_template("surveys/thanks.html", wave=wave, locale=_locale(wave))


@bp.route("/verder", methods=["GET", "POST"])
def resume() -> Any:
    """Continue with a resume code, typed in."""
    code = ""
    error = None
    if request.method == "POST":
        code = str(request.form.get("code", ""))[:40]
        draft = operations.find_draft(code) if code.strip() else None
        if draft is not None:
            return _continue(draft, operations.normalise_resume_code(code))
        error = "unknown"
    return render_template("surveys/resume.html", code=code, error=error), (422 if error else 200)


@bp.route("/verder/<code>")
def resume_link(code: str) -> Any:
    """Continue from the resume link."""
    draft = operations.find_draft(code[:40])
    if draft is None:
        return render_template("surveys/resume.html", code="", error="expired"), 410
    return _continue(draft, operations.normalise_resume_code(code))


def _continue(draft: Any, code: str) -> Any:
    row = db.session.get_one(SurveyWave, draft.wave_id)
    wave = snapshots.open_wave(row.public_key)
    if wave is None:
        return _unavailable(row, "closed", 410)
    page = _Page(wave, None, code)
    page.answers = answering.from_stored(page.version, draft.answers)
    shown = page.shown()
    unanswered = [
        section
        for section in shown
        if any(question.code not in page.answers for question in section.questions)
    ]
    return page.render(unanswered[0] if unanswered else page.first())
