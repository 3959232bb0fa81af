"""Public pages of group sessions: the agenda, a session's page with sign-up, the manage link.

Anyone may sign up for a published session: a pool member who signed in at 'Mijn gegevens'
(their details are filled in and the sign-up is linked to them), or a guest who gives a name,
a way to reach them and consent for this one session. Every mail about a sign-up carries the
same link to its page (see operations.registration_token), where the person sees their status,
cancels, or takes a place that was offered. Opening that page (GET) never changes anything:
mail scanners open links too.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import clock
from ..db import db, run_in_transaction
from ..extensions import limiter
from ..i18n import current_locale
from ..participants.forms import LANGUAGE_LABELS
from ..participants.models import Participant, Status
from ..participants.views import _signed_in_participant
from . import operations
from .calendar import session_calendar
from .forms import (
    AUDIENCE_LABELS,
    KIND_LABELS,
    NEED_LABELS,
    AgendaFilterForm,
    GuestSignupForm,
    SignupForm,
)
from .models import (
    ACTIVE_STATUSES,
    Audience,
    GroupSession,
    Registration,
    RegistrationStatus,
    SessionStatus,
)

bp = Blueprint("groupsessions", __name__, url_prefix="/bijeenkomsten")

# What the "you're signed up" page needs, kept in the cookie between the POST and its redirect
# so the manage token never appears in a URL.
DONE_KEY = "groupsession_signup"


def _labels() -> dict[str, Any]:
    return {"kind": KIND_LABELS, "audience": AUDIENCE_LABELS, "language": LANGUAGE_LABELS}


# --- the agenda and its calendar feed ---------------------------------------------------------


def _upcoming(audience: str = "", kind: str = "", form: str = "") -> list[GroupSession]:
    """Published sessions still to come, soonest first; empty criteria do not filter."""
    query = (
        select(GroupSession)
        .where(
            GroupSession.status == SessionStatus.PUBLISHED.value,
            GroupSession.starts_at > clock.now(),
        )
        .order_by(GroupSession.starts_at, GroupSession.id)
    )
    if audience:
        # A session for parents and young people together is also for each of them.
        query = query.where(GroupSession.audience.in_({audience, Audience.BOTH.value}))
    if kind:
        query = query.where(GroupSession.kind == kind)
    if form:
        query = query.where(GroupSession.is_online.is_(form == "online"))
    return list(db.session.scalars(query))


def _criteria(form: AgendaFilterForm) -> dict[str, str]:
    return {name: form.value(name) for name in ("voor", "soort", "vorm")}


def _sessions_for(criteria: dict[str, str]) -> list[GroupSession]:
    return _upcoming(criteria["voor"], criteria["soort"], criteria["vorm"])


@bp.get("/")
def agenda() -> str:
    form = AgendaFilterForm(request.args)
    criteria = _criteria(form)
    chosen = {name: value for name, value in criteria.items() if value}
    return render_template(
        "groupsessions/agenda.html",
        form=form,
        sessions=_sessions_for(criteria),
        filtered=bool(chosen),
        feed_args=chosen,
        labels=_labels(),
    )


def _calendar_response(payload: bytes, filename: str, cancelled: bool, download: bool) -> Response:
    response = Response(payload)
    # RFC 5545: a METHOD in the file goes with the same method in the MIME type.
    method = "CANCEL" if cancelled else "PUBLISH"
    response.headers["Content-Type"] = f"text/calendar; charset=utf-8; method={method}"
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@bp.get("/agenda.ics")
def feed() -> Response:
    """All published sessions still to come (the agenda's filters apply too): a feed that
    calendar apps can subscribe to."""
    criteria = _criteria(AgendaFilterForm(request.args))
    payload = session_calendar(_sessions_for(criteria), current_locale())
    return _calendar_response(payload, "bijeenkomsten.ics", cancelled=False, download=False)


@bp.get("/<int:session_id>.ics")
def calendar_file(session_id: int) -> Response:
    """One session for one's own calendar; for a cancelled session, the cancellation."""
    group_session = _public_session(session_id)
    cancelled = group_session.status == SessionStatus.CANCELLED.value
    payload = session_calendar([group_session], current_locale(), cancelled=cancelled)
    return _calendar_response(
        payload, f"bijeenkomst-{group_session.id}.ics", cancelled=cancelled, download=True
    )


# --- a session's page and signing up -----------------------------------------------------------


def _public_session(session_id: int) -> GroupSession:
    """A published or cancelled session; drafts do not exist for the public (404)."""
    group_session = db.session.get(GroupSession, session_id)
    if group_session is None or group_session.status == SessionStatus.DRAFT.value:
        abort(404)
    return group_session


def _pool_member() -> Participant | None:
    """The pool member signed in at 'Mijn gegevens', if they take part (active or paused)."""
    participant = _signed_in_participant()
    if participant is None or participant.status not in (Status.ACTIVE, Status.PAUSED):
        return None
    return participant


def _asked(group_session: GroupSession) -> list[str]:
    """The needs this session asks about, in a fixed order."""
    questions = set(group_session.questions or [])
    return [name for name in NEED_LABELS if name in questions]


def _signup_form(group_session: GroupSession, participant: Participant | None) -> SignupForm:
    if participant is not None:
        form = SignupForm()
        if request.method == "GET" and "support" in _asked(group_session):
            form.need_support.data = participant.support_needs or ""
        return form
    form = GuestSignupForm()
    form.consent.description = _(
        "We gebruiken je gegevens alleen voor deze bijeenkomst. %(days)s dagen na de "
        "bijeenkomst verwijderen we ze. Je komt hiermee niet in de poule.",
        days=current_app.config["GROUPSESSION_GUEST_DAYS"],
    )
    return form


def _signup_data(form: SignupForm, participant: Participant | None) -> operations.SignupData:
    if isinstance(form, GuestSignupForm):
        return operations.SignupData(
            guest_name=form.name.data,
            guest_email=(form.email.data or "").strip() or None,
            guest_phone=form.normalised_phone(),
            locale=current_locale(),
            needs=form.needs(),
        )
    return operations.SignupData(
        participant_id=participant.id if participant is not None else None,
        locale=current_locale(),
        needs=form.needs(),
    )


def _show_signup_error(form: SignupForm, error: operations.SignupError) -> None:
    already = _(
        "Je bent al aangemeld voor deze bijeenkomst. Kijk in je e-mail: daar staat de link "
        "naar je aanmelding."
    )
    if isinstance(form, GuestSignupForm) and error.reason in ("already", "unreachable"):
        message = (
            already
            if error.reason == "already"
            else _("Vul een e-mailadres of een mobiel nummer in. Eén is genoeg.")
        )
        form.email.errors = [*form.email.errors, message]
        return
    messages = {
        "closed": _("Aanmelden voor deze bijeenkomst kan niet meer."),
        "already": already,
    }
    form.form_errors.append(messages.get(error.reason, _("Er ging iets mis. Probeer het opnieuw.")))


def _signed_up(group_session_id: int, status: str | None, by_email: bool) -> Response:
    session[DONE_KEY] = {"session_id": group_session_id, "status": status, "by_email": by_email}
    return redirect(url_for("groupsessions.detail", session_id=group_session_id, aangemeld=1), 303)


@bp.route("/<int:session_id>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNUP_RATE_LIMIT"], methods=["POST"])
def detail(session_id: int) -> Any:
    group_session = _public_session(session_id)
    context = {
        "group_session": group_session,
        "labels": _labels(),
        "asked": _asked(group_session),
        "open": operations.signups_open(group_session),
    }
    if request.method == "GET" and request.args.get("aangemeld"):
        outcome = session.pop(DONE_KEY, None)
        if isinstance(outcome, dict) and outcome.get("session_id") == group_session.id:
            return render_template("groupsessions/detail.html", outcome=outcome, **context)
    if request.method == "POST" and request.form.get("website"):
        # Honeypot filled: a bot. Answer as if all went well and store nothing.
        return _signed_up(group_session.id, None, by_email=True)
    participant = _pool_member()
    form = _signup_form(group_session, participant)
    if form.validate_on_submit():
        data = _signup_data(form, participant)
        try:
            signup, _token = run_in_transaction(lambda: operations.sign_up(session_id, data))
        except operations.SignupError as error:
            db.session.rollback()
            _show_signup_error(form, error)
        else:
            return _signed_up(session_id, signup.status, by_email=bool(signup.email))
        context["open"] = operations.signups_open(group_session)
    return render_template(
        "groupsessions/detail.html",
        form=form,
        participant=participant,
        outcome=None,
        needs_days=current_app.config["GROUPSESSION_NEEDS_DAYS"],
        **context,
    )


# --- the page behind the link in every mail ------------------------------------------------------


def _waiting_position(signup: Registration) -> int:
    """1 for the first on the waiting list."""
    return (
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.session_id == signup.session_id,
                Registration.status == RegistrationStatus.WAITING.value,
                Registration.id <= signup.id,
            )
        )
        or 1
    )


def _shown_status(signup: Registration) -> str:
    """The status as the person should see it: an offer past its time is over, even before
    the scheduled job has passed it on."""
    if (
        signup.status == RegistrationStatus.OFFERED.value
        and signup.offer_expires_at is not None
        and signup.offer_expires_at <= clock.now()
    ):
        return RegistrationStatus.EXPIRED.value
    return signup.status


def _cancel(signup: Registration) -> None:
    if signup.session.starts_at <= clock.now():
        flash(_("Deze bijeenkomst is al begonnen. Afmelden kan niet meer."), "error")
    elif run_in_transaction(lambda: operations.cancel_registration(signup)):
        flash(_("Je bent afgemeld. Jammer dat je niet kunt komen!"), "success")
    else:
        flash(_("Je was al afgemeld. Er is niets veranderd."), "info")


def _accept(signup: Registration) -> None:
    if run_in_transaction(lambda: operations.accept_offer(signup)):
        flash(
            _("Gelukt! De plek is van jou. We stuurden je een e-mail met alle details."), "success"
        )
    else:
        flash(
            _("Dit lukte niet. De tijd om de plek te nemen is voorbij, of de plek is al van jou."),
            "error",
        )


@bp.route("/aanmelding/<token>", methods=["GET", "POST"])
def registration(token: str) -> Any:
    """The sign-up's own page. POST (a button; CSRF-checked like every form) cancels or takes
    an offered place, then comes back here: the link is the same in every mail."""
    signup = operations.find_by_token(token)
    if signup is None:
        return render_template("groupsessions/registration.html", signup=None), 404
    if request.method == "POST":
        action = request.form.get("action")
        if action == "cancel":
            _cancel(signup)
        elif action == "accept":
            _accept(signup)
        else:
            abort(400)
        return redirect(url_for("groupsessions.registration", token=token), 303)
    group_session = signup.session
    status = _shown_status(signup)
    return render_template(
        "groupsessions/registration.html",
        signup=signup,
        group_session=group_session,
        status=status,
        position=_waiting_position(signup) if status == RegistrationStatus.WAITING.value else None,
        can_cancel=status in ACTIVE_STATUSES and group_session.starts_at > clock.now(),
        show_meeting_link=status == RegistrationStatus.CONFIRMED.value
        and group_session.is_online
        and bool(group_session.meeting_link),
        labels=_labels(),
    )
