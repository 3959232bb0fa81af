"""The respondent's pages: an anonymous survey, one section per page, without JavaScript.

The answers so far travel with every page as hidden fields, so going back and forth loses
nothing and the server keeps nothing until the respondent sends the survey or asks for a resume
code. Nothing here logs an answer, a token or an address.

No cookie is needed either: the invitation token, resume code, send ticket and chosen language
all travel in the form body, so a dropped cookie or a page left open for a day loses nothing,
and these pages set no session cookie. That is also why they are exempt from the CSRF check
(see `answer`).

Languages: the respondent chooses among the wave's languages (`SURVEY_LANGUAGES` that the wave
offers). The questions are in that language, falling back to Dutch per text (marked
lang="nl"). The interface — buttons, errors, help now — is in that language too when the app
has a translation of it, and otherwise in `SURVEY_INTERFACE_FALLBACK` (English; config.py says
why), marked with its own lang. A page that shows survey texts is in the survey's language
(with dir="rtl" for Arabic); a page with interface text only is in the interface language.
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
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..db import db, run_in_transaction
from ..extensions import csrf, limiter
from ..i18n import (
    current_locale,
    interface_language,
    lang_attributes,
    language_name,
    remember_language,
    survey_languages,
    use_locale,
)
from . import answering, operations, snapshots, tickets
from .models import SurveyWave, WaveStatus, localised

bp = Blueprint("surveys", __name__, url_prefix="/enquete")

MAX_TOKEN_LENGTH = 64
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,32}")
LANGUAGE_PREFIX = "language:"  # go=language:en — the language buttons inside a survey form


@bp.app_template_global("question_options")
def question_options(
    question: Any, locale: str, answer_labels: dict[str, dict[str, str]] | None = None
) -> list[answering.Option]:
    return answering.options_for(question, locale, answer_labels, interface=current_locale())


@bp.app_template_global("in_language")
def in_language(texts: dict[str, str] | None, locale: str) -> Markup:
    """A survey text in `locale`; when it falls back to Dutch, marked as Dutch (WCAG 3.1.2) so a
    screen reader reads it with the right voice (and, in Arabic, from left to right)."""
    text = localised(texts, locale)
    language = answering.text_language(texts, locale)
    if language != locale:
        return Markup("<span%s>%s</span>") % (lang_attributes(language, locale), text)
    return Markup.escape(text)


bp.add_app_template_global(answering.text_language, "text_language")


@bp.app_template_global("text_limit")
def text_limit(question: Any) -> int | None:
    return answering.MAX_LENGTH.get(question.kind)


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


def _requested_language() -> str | None:
    """The language the page asked for: the hidden field a survey form carries, or `?taal=`."""
    value = request.form.get("taal") or request.args.get("taal")
    return value if isinstance(value, str) else None


def _languages(wave: SurveyWave | snapshots.OpenWave | None) -> list[str]:
    """The languages a page may be in: the wave's (that are still configured); without a wave
    (the resume page) any survey language, so the one chosen earlier carries on."""
    supported = survey_languages()
    if wave is None:
        return supported
    return [code for code in wave.languages if code in supported] or ["nl"]


def _use_survey_language(
    wave: SurveyWave | snapshots.OpenWave | None, requested: str | None = None
) -> str:
    """Choose the survey's language — the one asked for, else the person's earlier choice
    (the cookie), else the browser's, among the wave's languages, else Dutch — and show the page
    in it: a wave without English opened by an English browser is a Dutch page, not Dutch
    questions on an English page. The interface follows (`interface_language`)."""
    languages = _languages(wave)
    remembered = request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    browser = request.accept_languages.best_match(languages)
    for candidate in (requested, remembered, browser, current_locale()):
        if candidate in languages:
            chosen = str(candidate)
            break
    else:
        chosen = "nl" if "nl" in languages else languages[0]
    use_locale(interface_language(chosen))
    return chosen


def _clean_secret(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if 0 < len(value) <= MAX_TOKEN_LENGTH else None


# Pages that are mostly the survey's own texts (its title and description, the questions): they
# are in the survey's language. The others are mostly interface text, so they are in the
# interface's (a survey text on them, like the feedback on the thank-you page, is marked).
CONTENT_PAGES = frozenset({"surveys/intro.html", "surveys/section.html"})


def _respondent_page(
    template: str,
    wave: SurveyWave | None,
    locale: str,
    *,
    language_form: str | None = None,
    **context: Any,
) -> str:
    """Render a respondent page with its language switch: the wave's languages, each by its
    own name; buttons of the survey form `language_form` when the page has one (answers and
    tokens stay in the form body), otherwise links to the same page with `?taal=` (no token is
    put in another URL). Without a wave (the resume page) the interface languages."""
    interface = current_locale()
    if wave is None:
        offered = [code for code in current_app.config["LANGUAGES"] if code != interface]
    else:
        offered = [code for code in _languages(wave) if code != locale]
    return render_template(
        template,
        wave=wave,
        locale=locale,
        page_language=locale if template in CONTENT_PAGES else interface,
        switch_languages=[(code, language_name(code)) for code in offered],
        language_form=language_form,
        **context,
    )


def _unavailable(wave: SurveyWave | None, reason: str, status: int = 200) -> Any:
    locale = _use_survey_language(wave, _requested_language())
    return _respondent_page("surveys/unavailable.html", wave, locale, reason=reason), status


def _intro(wave: SurveyWave, locale: str, ballot: str | None) -> Any:
    return _respondent_page(
        "surveys/intro.html", wave, locale, language_form="survey-form", ballot=ballot
    )


@bp.route("/<key>")
def start(key: str) -> Any:
    """The first page: what the survey is about, how long it takes, and why it is anonymous."""
    wave = _wave_by_key(key)
    if wave.status != WaveStatus.OPEN.value:
        return _unavailable(wave, "closed", 410)
    if not wave.open_link:
        return _unavailable(wave, "invitation_only", 403)
    return _intro(wave, _use_survey_language(wave, _requested_language()), None)


@bp.route("/uitnodiging/<token>")
def invitation(token: str) -> Any:
    """A personal invitation link: the same first page, with the link carried in the form (and
    never put in another URL: the language switch posts the form)."""
    token = _clean_secret(token) or ""
    invitation = operations.find_invitation(token) if token else None
    if invitation is None:
        return _unavailable(None, "unknown_link", 404)
    wave = db.session.get_one(SurveyWave, invitation.wave_id)
    if wave.status != WaveStatus.OPEN.value:
        return _unavailable(wave, "closed", 410)
    if invitation.is_used:
        return _unavailable(wave, "already_used", 410)
    return _intro(wave, _use_survey_language(wave, _requested_language()), token)


def _open_link_allowed() -> bool:
    """One new draft or one response through the open link counts against
    `SURVEY_OPEN_LINK_RATE_LIMIT`; stepping through the pages never does."""
    return limiter.hit("survey-open-link", current_app.config["SURVEY_OPEN_LINK_RATE_LIMIT"])


# CSRF protection is off for the respondent's POSTs (this view and `resume`), on purpose. A
# forged cross-site POST can only do what it carries itself: these pages have no login, and
# nothing a browser sends by itself (no session, no cookie) gives such a POST any authority — an
# invitation token, resume code or send ticket counts only when it is in the form body, which
# another site cannot read. So the check would protect nothing, while its session cookie and
# four-hour token turned a dropped cookie or a page left open into a "form expired" page that
# lost every answer. Staff and pool forms, which do act on a session, keep the check.
@bp.route("/<key>", methods=["POST"])
@csrf.exempt
def answer(key: str) -> Any:
    """Every step of answering: next, back, save for later, send, and another language."""
    wave = _open_wave(key)
    go = str(request.form.get("go", "start"))
    switch_to = go[len(LANGUAGE_PREFIX) :] if go.startswith(LANGUAGE_PREFIX) else None
    ballot = _clean_secret(request.form.get("ballot"))
    resume = _clean_secret(request.form.get("resume"))
    language = switch_to if switch_to in wave.languages else _requested_language()
    page = _Page(wave, ballot, resume, language)
    if not wave.open_link and not ballot and not resume:
        return page.unavailable("invitation_only", 403)
    version = page.version
    answers = page.answers = answering.read_form(version, request.form)
    current = _current_section(version.sections, request.form.get("section"))

    if switch_to is not None:
        return page.switched(current, request.form.get("step"))
    if go == "start" or current is None:
        # A new form: a new send ticket (a page left open at a stand gives each person their own).
        page.ticket = tickets.new_ticket()
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

    def __init__(
        self,
        wave: snapshots.OpenWave,
        ballot: str | None,
        resume: str | None,
        language: str | None,
        ticket: str | None = None,
    ) -> None:
        self.key = wave.public_key
        self.snapshot = wave
        self.version = snapshots.version(wave.version_id)
        self.answers: answering.Answers = {}
        self.ballot = ballot
        self.resume = resume
        # A form without a ticket (not from our pages) still gets one, so it can be sent.
        self.ticket = ticket or tickets.clean_ticket(request.form.get("ticket"))
        self.ticket = self.ticket or tickets.new_ticket()
        self.locale = _use_survey_language(wave, language)

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
            _respondent_page(
                "surveys/section.html",
                wave,
                self.locale,
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
                ticket=self.ticket,
                notice=notice,
            ),
            status or (422 if errors else 200),
        )

    def switched(self, current: snapshots.Section | None, step: Any) -> Any:
        """The same page again in the language just chosen, with everything in the form kept
        (and nothing checked: choosing a language is not answering)."""
        if step == "intro" or current is None:
            wave = self.wave
            if wave.status != WaveStatus.OPEN.value:
                return self.unavailable("closed", 410)
            response = make_response(_intro(wave, self.locale, self.ballot))
        elif step == "saved" and self.resume:
            response = make_response(self.saved(current, self.resume))
        else:
            response = make_response(self.render(current))
        remember_language(response, self.locale)
        return response

    def saved(self, current: snapshots.Section, code: str) -> Any:
        wave = self.wave
        if wave.status != WaveStatus.OPEN.value:
            return self.unavailable("closed", 410)
        return _respondent_page(
            "surveys/saved.html",
            wave,
            self.locale,
            language_form="survey-form",
            code=code,
            section=current,
            answers=self.answers,
            ticket=self.ticket,
        )

    def save(self, current: snapshots.Section) -> Any:
        if request.form.get("website"):
            # The honeypot: a field people never see. Pretend all went well; store nothing.
            return self.saved(current, operations.new_resume_code())
        if not self.ballot and not self.resume and not _open_link_allowed():
            # A new draft through the open link counts like a send: otherwise "save, then send
            # with the code" would pass the limit.
            return self.render(current, notice="rate_limited_save", status=429)

        def save() -> str:
            return run_in_transaction(
                lambda: operations.save_draft(
                    self.snapshot.id,
                    self.answers,
                    self.locale,
                    invitation_token=self.ballot,
                    resume_code=self.resume,
                    ticket=self.ticket,
                )
            )

        try:
            try:
                code = save()
            except (operations.AlreadyUsed, IntegrityError):
                # The same form saved at the same moment (a double tap): the other save used
                # the invitation or created the draft first. Its draft has this form's code.
                db.session.rollback()
                if not self.ticket or self.resume:
                    raise operations.AlreadyUsed() from None
                code = save()
        except (operations.AlreadyUsed, IntegrityError):
            db.session.rollback()
            return self.render(current, notice="already_used", status=409)
        except operations.WaveNotOpen:
            db.session.rollback()
            snapshots.forget_wave(self.key)
            return self.unavailable("closed", 410)
        return self.saved(current, code)

    def thanks(self) -> Any:
        return redirect(url_for("surveys.thanks", key=self.key, taal=self.locale), 303)

    def submit(self, current: snapshots.Section) -> Any:
        if request.form.get("website"):
            # The honeypot: a field people never see. Pretend all went well; store nothing.
            return self.thanks()
        complete = answering.keep_shown(self.version, self.answers)
        errors = answering.complete_errors(self.version, complete)
        if errors:
            first_wrong = next(
                section
                for section in self.shown()
                if any(question.code in errors for question in section.questions)
            )
            return self.render(first_wrong, errors)
        # Only a send with neither invitation nor resume code counts against the open link's
        # limit: a resume code's draft was counted when it was saved.
        counted = not self.ballot and not self.resume
        try:
            run_in_transaction(
                lambda: tickets.send(
                    self.snapshot.id,
                    self.ticket,
                    complete,
                    self.locale,
                    invitation_token=None if self.resume else self.ballot,
                    resume_code=self.resume,
                    admit=_open_link_allowed if counted else None,
                )
            )
        except tickets.AlreadySent:
            # The same form again (a double tap, a reload): it was sent, so say thank you.
            db.session.rollback()
            return self.thanks()
        except tickets.Refused:
            db.session.rollback()
            return self.render(current, notice="rate_limited", status=429)
        except operations.AlreadyUsed:
            db.session.rollback()
            return self.render(current, notice="already_used", status=409)
        except operations.WaveNotOpen:
            db.session.rollback()
            snapshots.forget_wave(self.key)
            return self.unavailable("closed", 410)
        return self.thanks()


@bp.route("/<key>/bedankt")
def thanks(key: str) -> Any:
    wave = _wave_by_key(key)
    locale = _use_survey_language(wave, _requested_language())
    return _respondent_page("surveys/thanks.html", wave, locale)


@bp.route("/verder", methods=["GET", "POST"])
@csrf.exempt  # a resume code in the form body is the only authority here: see `answer`
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
    locale = _use_survey_language(None, _requested_language())
    return _respondent_page("surveys/resume.html", None, locale, code=code, error=error), (
        422 if error else 200
    )


@bp.route("/verder/<code>")
def resume_link(code: str) -> Any:
    """Continue from the resume link."""
    draft = operations.find_draft(code[:40])
    if draft is None:
        locale = _use_survey_language(None, _requested_language())
        return _respondent_page("surveys/resume.html", None, locale, code="", error="expired"), 410
    return _continue(draft, operations.normalise_resume_code(code))


def _continue(draft: Any, code: str) -> Any:
    """The first page with open questions, in the language the respondent is reading now (the
    resume page's) or else the one the draft was saved in, with a new send ticket."""
    row = db.session.get_one(SurveyWave, draft.wave_id)
    wave = snapshots.open_wave(row.public_key)
    if wave is None:
        return _unavailable(row, "closed", 410)
    requested = _requested_language()
    if requested not in wave.languages:
        requested = draft.language
    page = _Page(wave, None, code, requested, ticket=tickets.new_ticket())
    page.answers = answering.from_stored(page.version, draft.answers)
    shown = page.shown()
    unanswered = [
        section
        for section in shown
        if any(question.code not in page.answers for question in section.questions)
    ]
    return page.render(unanswered[0] if unanswered else page.first())
