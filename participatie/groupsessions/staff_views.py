"""Organising group sessions (cliëntambassadeurs): create, publish, invite, attendance, notes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.routing import BuildError
from wtforms import SelectChoice

from .. import clock
from ..auth.access import roles_required
from ..auth.models import Role
from ..db import db
from ..organisations.queries import list_municipalities
from ..participants import queries as pool_queries
from ..participants.forms import (
    AGE_LABELS,
    AVAILABILITY_LABELS,
    INTEREST_LABELS,
    LANGUAGE_LABELS,
    ROLE_LABELS,
)
from ..participants.models import ConsentPurpose
from ..urls import query_int
from . import operations, queries
from .models import GroupSession, SessionStatus
from .staff_forms import (
    AUDIENCE_LABELS,
    KIND_LABELS,
    NEED_LABELS,
    QUESTION_LABELS,
    REGISTRATION_STATUS_LABELS,
    AttendanceForm,
    ConfirmForm,
    InviteForm,
    NotesForm,
    SessionForm,
    clean_text,
)

organise_bp = Blueprint("organise", __name__, url_prefix="/organiseren")

organiser = roles_required(Role.AMBASSADEUR, Role.BEHEERDER)


def _get(session_id: int) -> GroupSession:
    session = db.session.get(GroupSession, session_id)
    if session is None:
        abort(404)
    return session


def _to_detail(session: GroupSession) -> Any:
    return redirect(url_for("organise.detail", session_id=session.id), code=303)


def _has_started(session: GroupSession) -> bool:
    return session.starts_at <= clock.now()


def _labels() -> dict[str, dict[str, Any]]:
    return {
        "kind": KIND_LABELS,
        "audience": AUDIENCE_LABELS,
        "question": QUESTION_LABELS,
        "need": NEED_LABELS,
        "language": LANGUAGE_LABELS,
        "role": ROLE_LABELS,
        "age_band": AGE_LABELS,
        "interest": INTEREST_LABELS,
        "availability": AVAILABILITY_LABELS,
        "registration": REGISTRATION_STATUS_LABELS,
    }


def _render(template: str, status: int = 200, **context: Any) -> Any:
    return render_template(f"groupsessions/{template}", labels=_labels(), **context), status


# --- the overview and one session -------------------------------------------------------------


@organise_bp.get("/")
@organiser
def sessions() -> Any:
    overview = queries.sessions_overview()
    counts = queries.registration_counts([s.id for s in overview.all()])
    return _render("organise_sessions.html", overview=overview, counts=counts)


@organise_bp.get("/<int:session_id>")
@organiser
def detail(session_id: int) -> Any:
    session = _get(session_id)
    try:
        public_url = url_for("groupsessions.detail", session_id=session.id)
    except BuildError:  # the public pages are not there (yet)
        public_url = None
    return _render(
        "organise_detail.html",
        session=session,
        groups=queries.registrations_grouped(session),
        confirm_form=ConfirmForm(),
        has_started=_has_started(session),
        signups_open=operations.signups_open(session),
        public_url=public_url,
    )


# --- creating and changing ----------------------------------------------------------------------


@organise_bp.route("/nieuw", methods=["GET", "POST"])
@organiser
def create() -> Any:
    form = SessionForm(is_new=True)
    if form.validate_on_submit():
        session = operations.create_session(current_user, **form.session_fields())
        db.session.commit()
        flash(
            _("De bijeenkomst is opgeslagen als concept. Kijk alles na en kies dan ‘Publiceren’."),
            "success",
        )
        return _to_detail(session)
    return _render(
        "organise_form.html", 200 if request.method == "GET" else 400, form=form, session=None
    )


@organise_bp.route("/<int:session_id>/bewerken", methods=["GET", "POST"])
@organiser
def edit(session_id: int) -> Any:
    session = _get(session_id)
    if session.status == SessionStatus.CANCELLED.value:
        flash(_("Deze bijeenkomst is afgelast en kan niet meer worden gewijzigd."), "error")
        return _to_detail(session)
    form = SessionForm(is_new=False)
    if request.method == "GET":
        form.fill_from(session)
    if form.validate_on_submit():
        try:
            operations.update_session(current_user, session, **form.session_fields())
        except operations.SessionError as error:
            db.session.rollback()
            if error.reason != "capacity":
                raise
            session = _get(session_id)
            form.capacity.errors.append(
                ngettext(
                    "Er is al %(num)s plaats bezet. Kies minstens %(num)s plaats.",
                    "Er zijn al %(num)s plaatsen bezet. Kies minstens %(num)s plaatsen.",
                    session.taken,
                )
            )
        else:
            db.session.commit()
            flash(_("De wijzigingen zijn opgeslagen."), "success")
            return _to_detail(session)
    return _render(
        "organise_form.html", 200 if request.method == "GET" else 400, form=form, session=session
    )


@organise_bp.post("/<int:session_id>/publiceren")
@organiser
def publish(session_id: int) -> Any:
    session = _get(session_id)
    form = ConfirmForm()
    published = request.form.get("published") == "1"
    if not form.validate_on_submit():
        abort(400)
    if session.status == SessionStatus.CANCELLED.value:
        flash(_("Deze bijeenkomst is afgelast en kan niet meer worden gepubliceerd."), "error")
    elif published and _has_started(session):
        flash(_("Deze bijeenkomst is al begonnen. Publiceren heeft geen zin meer."), "error")
    else:
        operations.set_published(current_user, session, published)
        db.session.commit()
        flash(
            _("De bijeenkomst is gepubliceerd. Iedereen kan haar nu zien in de agenda.")
            if published
            else _(
                "De bijeenkomst is weer een concept. Ze staat niet meer in de agenda; wie al "
                "aangemeld is, blijft aangemeld."
            ),
            "success",
        )
    return _to_detail(session)


@organise_bp.route("/<int:session_id>/afgelasten", methods=["GET", "POST"])
@organiser
def cancel(session_id: int) -> Any:
    session = _get(session_id)
    if session.status == SessionStatus.CANCELLED.value:
        flash(_("Deze bijeenkomst is al afgelast."), "info")
        return _to_detail(session)
    form = ConfirmForm()
    groups = queries.registrations_grouped(session)
    active = groups.confirmed + groups.offered + groups.waiting
    by_mail = [r for r in active if r.email]
    by_phone = [r for r in active if not r.email]
    if form.validate_on_submit():
        operations.cancel_session(current_user, session)
        db.session.commit()
        message = ngettext(
            "De bijeenkomst is afgelast. %(num)s persoon kreeg een e-mail.",
            "De bijeenkomst is afgelast. %(num)s personen kregen een e-mail.",
            len(by_mail),
        )
        if by_phone:
            message += " " + ngettext(
                "Bel zelf nog %(num)s persoon zonder e-mailadres (zie Afgemeld).",
                "Bel zelf nog %(num)s personen zonder e-mailadres (zie Afgemeld).",
                len(by_phone),
            )
        flash(message, "success")
        return _to_detail(session)
    return _render(
        "organise_cancel.html", session=session, form=form, by_mail=by_mail, by_phone=by_phone
    )


# --- inviting people from the pool ------------------------------------------------------------


def _invite_criteria() -> pool_queries.PoolFilter:
    args = request.args

    def known(name: str, labels: dict[str, Any]) -> str:
        value = args.get(name, "")
        return value if value in labels else ""

    return pool_queries.PoolFilter(
        role=known("rol", ROLE_LABELS),
        age_band=known("leeftijd", AGE_LABELS),
        municipality_id=query_int(args.get("gemeente")),
        interest=known("interesse", INTEREST_LABELS),
        language=known("taal", LANGUAGE_LABELS),
        availability=known("beschikbaar", AVAILABILITY_LABELS),
    )


@organise_bp.route("/<int:session_id>/uitnodigen", methods=["GET", "POST"])
@organiser
def invite(session_id: int) -> Any:
    session = _get(session_id)
    criteria = _invite_criteria()
    args = {key: value for key, value in request.args.items() if value}
    form = InviteForm()
    people: list[Any] = []
    signed_up: set[int] = set()
    invited: dict[int, Any] = {}
    can_invite = operations.signups_open(session)
    if can_invite:
        signed_up = queries.signed_up_participant_ids(session)
        invited = queries.invited_at(session)
        people = [
            person
            for person in pool_queries.invitable(criteria, ConsentPurpose.POOL)
            if person.email and person.id not in signed_up
        ]
        form.participant_ids.choices = [SelectChoice(p.id, p.display_name) for p in people]
        if request.method == "GET":
            # Everyone in the selection, except who already had an invitation for this session.
            form.participant_ids.data = [p.id for p in people if p.id not in invited]
    elif request.method == "POST":
        flash(_("Uitnodigen kan alleen als aanmelden voor deze bijeenkomst open is."), "error")
        return _to_detail(session)
    if can_invite and form.validate_on_submit():
        sent = operations.invite(current_user, session, list(form.participant_ids.data or []))
        db.session.commit()
        flash(
            ngettext("%(num)s persoon is uitgenodigd.", "%(num)s personen zijn uitgenodigd.", sent),
            "success",
        )
        return _to_detail(session)
    return _render(
        "organise_invite.html",
        200 if request.method == "GET" else 400,
        session=session,
        form=form,
        people=people,
        invited=invited,
        signed_up_count=len(signed_up),
        can_invite=can_invite,
        criteria=criteria,
        args=args,
        municipalities=list_municipalities(),
    )


# --- on the day and afterwards ------------------------------------------------------------------


@organise_bp.get("/<int:session_id>/presentielijst")
@organiser
def attendance_list(session_id: int) -> Any:
    session = _get(session_id)
    return _render(
        "organise_attendance_list.html",
        session=session,
        registrations=queries.confirmed_registrations(session),
    )


@organise_bp.route("/<int:session_id>/aanwezigheid", methods=["GET", "POST"])
@organiser
def attendance(session_id: int) -> Any:
    session = _get(session_id)
    registrations = queries.confirmed_registrations(session)
    form = AttendanceForm()
    form.present.choices = [SelectChoice(r.id, r.display_name) for r in registrations]
    can_record = _has_started(session) and session.status != SessionStatus.CANCELLED.value
    if request.method == "GET":
        form.present.data = [r.id for r in registrations if r.attended]
    elif not can_record:
        flash(_("U kunt de aanwezigheid pas registreren als de bijeenkomst begonnen is."), "error")
        return redirect(url_for("organise.attendance", session_id=session.id), code=303)
    if form.validate_on_submit():
        created = operations.record_attendance(current_user, session, set(form.present.data or []))
        db.session.commit()
        message = _("De aanwezigheid is opgeslagen.")
        if created:
            message += " " + ngettext(
                "Er is %(num)s vrijwilligersvergoeding geregistreerd.",
                "Er zijn %(num)s vrijwilligersvergoedingen geregistreerd.",
                created,
            )
        flash(message, "success")
        return redirect(url_for("organise.attendance", session_id=session.id), code=303)
    return _render(
        "organise_attendance.html",
        200 if request.method == "GET" else 400,
        session=session,
        form=form,
        registrations=registrations,
        can_record=can_record,
        recorded=any(r.attended is not None for r in registrations),
        pool_present=sum(1 for r in registrations if r.attended and r.participant_id),
    )


@organise_bp.route("/<int:session_id>/verslag", methods=["GET", "POST"])
@organiser
def notes(session_id: int) -> Any:
    session = _get(session_id)
    themes = queries.theme_choices()
    known = {slug for slug, _label in themes}
    # A theme that was chosen before and is no longer active stays visible and kept.
    themes += [(slug, slug) for slug in session.note_themes or [] if slug not in known]
    form = NotesForm()
    form.themes.choices = [SelectChoice(slug, label) for slug, label in themes]
    can_write = _has_started(session) and session.status != SessionStatus.CANCELLED.value
    suggested = queries.suggested_note_themes(session)
    if request.method == "GET":
        form.notes.data = session.notes
        # Until the organiser chose themes, the coder's are ticked: confirming is one click.
        form.themes.data = list(session.note_themes or suggested)
    elif not can_write:
        flash(_("U kunt het verslag pas schrijven als de bijeenkomst begonnen is."), "error")
        return redirect(url_for("organise.notes", session_id=session.id), code=303)
    if form.validate_on_submit():
        operations.save_notes(
            current_user, session, clean_text(form.notes.data), list(form.themes.data or [])
        )
        db.session.commit()
        flash(_("Het verslag is opgeslagen, zonder persoonsgegevens."), "success")
        return redirect(url_for("organise.notes", session_id=session.id) + "#opgeslagen", code=303)
    return _render(
        "organise_notes.html",
        200 if request.method == "GET" else 400,
        session=session,
        form=form,
        can_write=can_write,
        theme_labels=dict(themes),
        paragraphs=queries.coded_notes(session),
        suggestions_ticked=bool(suggested) and not session.note_themes,
    )
