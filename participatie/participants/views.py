"""Pool pages: public sign-up and 'Mijn gegevens' (no password), and the ambassadors' pool."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
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
from flask_login import current_user
from wtforms import SelectChoice

from ..audit.operations import record
from ..auth.access import roles_required
from ..auth.models import Role
from ..db import db
from ..extensions import limiter
from ..i18n import current_locale
from ..organisations.queries import list_municipalities, list_organisations
from ..security import csv_safe
from ..urls import query_int
from . import operations, queries
from .forms import (
    AGE_LABELS,
    AVAILABILITY_LABELS,
    CONSENT_LABELS,
    EVENT_LABELS,
    INTEREST_LABELS,
    LANGUAGE_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    ConsentForm,
    DeleteForm,
    EmailForm,
    NoteForm,
    ProfileFields,
    ProfileForm,
    SignupForm,
    StatusForm,
)
from .models import Participant, TokenPurpose

bp = Blueprint("participants", __name__)
pool_bp = Blueprint("pool", __name__, url_prefix="/poule")

pool_staff = roles_required(Role.AMBASSADEUR, Role.BEHEERDER)

SESSION_KEY = "participant"


def _fill_reference_choices(form: ProfileFields) -> None:
    form.municipality_id.choices = (
        [SelectChoice(0, _("Kies je gemeente"))]
        + [SelectChoice(m.id, m.name) for m in list_municipalities(active_only=True)]
        + [SelectChoice(-1, _("Een andere gemeente"))]
    )
    form.organisation_ids.choices = [
        SelectChoice(o.id, o.name) for o in list_organisations(active_only=True)
    ]


def _profile_data(form: ProfileFields) -> operations.ProfileData:
    municipality = form.municipality_id.data if (form.municipality_id.data or 0) > 0 else None
    return operations.ProfileData(
        display_name=form.display_name.data or "",
        role=form.role.data or "",
        age_band=form.age_band.data or "",
        email=form.email.data,
        phone=form.phone.data,
        municipality_id=municipality,
        organisation_ids=list(form.organisation_ids.data or []),
        interests=list(form.interests.data or []),
        languages=list(form.languages.data or []),
        availability=list(form.availability.data or []),
        support_needs=form.support_needs.data or "",
        guardian_email=form.guardian_email.data,
        locale=current_locale(),
    )


def _show_pool_error(form: Any, error: operations.PoolError) -> None:
    messages = {
        "phone": _("Dit mobiele nummer klopt niet. Gebruik bijvoorbeeld 06 12345678."),
        "email": _("Dit e-mailadres wordt al gebruikt door iemand anders in de poule."),
        "guardian_email": _("Je bent jonger dan 16. Vul het e-mailadres van je ouder of voogd in."),
        "support_needs": _(
            "Geef eerst toestemming om te bewaren wat je nodig hebt (bij Toestemming)."
        ),
    }
    field = getattr(form, error.field or "", None) or form.display_name
    field.errors = [
        *field.errors,
        messages.get(error.field or "", _("Er ging iets mis. Kijk je gegevens na.")),
    ]


def _email_key() -> str:
    address = (request.form.get("email") or "").strip().lower()
    secret = current_app.config["SECRET_KEY"].encode()
    return "mail:" + hashlib.sha256(secret + address.encode()).hexdigest()[:24]


# --- Public: joining the pool -------------------------------------------------------------


@bp.route("/meedoen", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNUP_RATE_LIMIT"], methods=["POST"])
def signup() -> Any:
    form = SignupForm()
    _fill_reference_choices(form)
    if request.method == "GET":
        form.languages.data = [current_locale()]
    if form.validate_on_submit():
        if form.website.data:
            # Honeypot filled: a bot. Answer as if all went well and store nothing.
            return redirect(url_for("participants.signup_done"), code=303)
        try:
            operations.sign_up(_profile_data(form), form.consents())
        except operations.PoolError as error:
            _show_pool_error(form, error)
        else:
            db.session.commit()
            session["signup_by_phone_only"] = not (form.email.data or "").strip()
            return redirect(url_for("participants.signup_done"), code=303)
    return render_template(
        "participants/signup.html", form=form, consent_purposes=list(CONSENT_LABELS)
    )


@bp.get("/meedoen/bijna-klaar")
def signup_done() -> str:
    return render_template(
        "participants/signup_done.html", phone_only=session.pop("signup_by_phone_only", False)
    )


def _token_page(token: str, purpose: TokenPurpose, template: str, action: Any) -> Any:
    """GET shows a button (mail scanners open links); POST spends the single-use token.

    CSRFProtect checks every POST in the app, these included."""
    if request.method == "POST":
        participant = action(token)
        if participant is None:
            return render_template("participants/link_invalid.html"), 410
        db.session.commit()
        return participant
    if not operations.token_is_valid(token, purpose):
        return render_template("participants/link_invalid.html"), 410
    return render_template(template)


@bp.route("/meedoen/bevestigen/<token>", methods=["GET", "POST"])
def confirm_email(token: str) -> Any:
    result = _token_page(
        token,
        TokenPurpose.CONFIRM_EMAIL,
        "participants/confirm_email.html",
        operations.confirm_email,
    )
    if not isinstance(result, Participant):
        return result
    return render_template("participants/confirmed.html", participant=result)


@bp.route("/meedoen/toestemming-ouder/<token>", methods=["GET", "POST"])
def confirm_guardian(token: str) -> Any:
    result = _token_page(
        token,
        TokenPurpose.GUARDIAN,
        "participants/confirm_guardian.html",
        operations.confirm_guardian,
    )
    if not isinstance(result, Participant):
        return result
    return render_template("participants/guardian_confirmed.html")


@bp.route("/mijn-gegevens/blijven/<token>", methods=["GET", "POST"])
def confirm_stay(token: str) -> Any:
    result = _token_page(
        token, TokenPurpose.STAY, "participants/confirm_stay.html", operations.confirm_stay
    )
    if not isinstance(result, Participant):
        return result
    flash(_("Fijn dat je blijft! We bewaren je gegevens."), "success")
    return redirect(url_for("participants.manage_request"))


# --- Public: 'Mijn gegevens' without a password -------------------------------------------


@bp.route("/mijn-gegevens/inloggen", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["MANAGE_LINK_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["MANAGE_LINK_PER_ADDRESS_LIMIT"],
    methods=["POST"],
    key_func=_email_key,
)
def manage_request() -> Any:
    if _signed_in_participant() is not None:
        return redirect(url_for("participants.manage"))
    form = EmailForm()
    if form.validate_on_submit():
        operations.request_manage_link(form.email.data or "")
        db.session.commit()
        return render_template("participants/manage_link_sent.html")
    return render_template("participants/manage_request.html", form=form)


@bp.route("/mijn-gegevens/link/<token>", methods=["GET", "POST"])
def manage_signin(token: str) -> Any:
    result = _token_page(
        token, TokenPurpose.MANAGE, "participants/manage_signin.html", operations.sign_in_with_link
    )
    if not isinstance(result, Participant):
        return result
    session.clear()
    session[SESSION_KEY] = {"id": result.id, "at": time.time()}
    return redirect(url_for("participants.manage"))


def _signed_in_participant() -> Participant | None:
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    if time.time() - data.get("at", 0) > current_app.config["PARTICIPANT_SESSION_MINUTES"] * 60:
        session.pop(SESSION_KEY, None)
        return None
    return db.session.get(Participant, data.get("id"))


def _require_participant() -> Participant:
    participant = _signed_in_participant()
    if participant is None:
        flash(_("Je bent niet (meer) ingelogd. Vraag een nieuwe link aan."), "info")
        abort(redirect(url_for("participants.manage_request")))
    return participant


@bp.get("/mijn-gegevens")
def manage() -> str:
    from ..groupsessions.queries import upcoming_registrations_of

    participant = _require_participant()
    return render_template(
        "participants/manage.html",
        participant=participant,
        labels=label_sets(),
        registrations=upcoming_registrations_of(participant.id),
    )


@bp.route("/mijn-gegevens/wijzigen", methods=["GET", "POST"])
def manage_edit() -> Any:
    participant = _require_participant()
    form = ProfileForm(obj=None if request.method == "POST" else _form_object(participant))
    _fill_reference_choices(form)
    if form.validate_on_submit():
        try:
            new_address = operations.update_profile(participant, _profile_data(form))
        except operations.PoolError as error:
            db.session.rollback()
            _show_pool_error(form, error)
        else:
            db.session.commit()
            if new_address:
                flash(
                    _(
                        "Je gegevens zijn opgeslagen. We stuurden een link naar je nieuwe e-mailadres om het te bevestigen."
                    ),
                    "success",
                )
            else:
                flash(_("Je gegevens zijn opgeslagen."), "success")
            return redirect(url_for("participants.manage"), code=303)
    return render_template("participants/manage_edit.html", form=form)


def _form_object(participant: Participant) -> Any:
    class FormObject:
        display_name = participant.display_name
        email = participant.email
        phone = participant.phone
        role = participant.role
        age_band = participant.age_band
        municipality_id = participant.municipality_id or 0
        organisation_ids = [o.id for o in participant.organisations]
        interests = participant.interests
        languages = participant.languages
        availability = participant.availability
        support_needs = participant.support_needs
        guardian_email = participant.guardian_email

    return FormObject()


@bp.route("/mijn-gegevens/toestemming", methods=["GET", "POST"])
def manage_consents() -> Any:
    participant = _require_participant()
    form = ConsentForm()
    if request.method == "GET":
        for purpose in CONSENT_LABELS:
            getattr(form, f"consent_{purpose}").data = participant.has_consent(purpose)
    if form.validate_on_submit():
        for purpose in CONSENT_LABELS:
            operations.set_consent(
                participant, purpose, bool(getattr(form, f"consent_{purpose}").data)
            )
        db.session.commit()
        flash(_("Je keuzes zijn opgeslagen."), "success")
        return redirect(url_for("participants.manage"), code=303)
    return render_template("participants/manage_consents.html", form=form, participant=participant)


@bp.post("/mijn-gegevens/pauze")
def manage_pause() -> Any:
    participant = _require_participant()
    paused = request.form.get("paused") == "1"
    try:
        operations.set_paused(participant, paused)
    except operations.PoolError:
        flash(
            _("Dit kan nu niet: je aanmelding is nog niet bevestigd of je bent gestopt."), "error"
        )
    else:
        db.session.commit()
        flash(
            _("Je staat op pauze. We vragen je nu niets.")
            if paused
            else _("Welkom terug! Je doet weer mee."),
            "success",
        )
    return redirect(url_for("participants.manage"), code=303)


@bp.get("/mijn-gegevens/download.json")
def manage_download() -> Response:
    participant = _require_participant()
    payload = json.dumps(operations.export_data(participant), ensure_ascii=False, indent=2)
    return Response(
        payload,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="mijn-gegevens-participatie.json"'},
    )


@bp.route("/mijn-gegevens/verwijderen", methods=["GET", "POST"])
def manage_delete() -> Any:
    participant = _require_participant()
    form = DeleteForm()
    if form.validate_on_submit():
        operations.delete_participant(participant)
        db.session.commit()
        session.clear()
        return render_template("participants/deleted.html")
    return render_template("participants/manage_delete.html", form=form)


@bp.post("/mijn-gegevens/uitloggen")
def manage_logout() -> Any:
    session.pop(SESSION_KEY, None)
    flash(_("Je bent uitgelogd."), "success")
    return redirect(url_for("public.home"), code=303)


# --- Staff: the pool ------------------------------------------------------------------------


def label_sets() -> dict[str, dict[str, object]]:
    return {
        "role": ROLE_LABELS,
        "age_band": AGE_LABELS,
        "interest": INTEREST_LABELS,
        "availability": AVAILABILITY_LABELS,
        "language": LANGUAGE_LABELS,
        "status": STATUS_LABELS,
        "consent": {purpose: labels[0] for purpose, labels in CONSENT_LABELS.items()},
        "event": EVENT_LABELS,
    }


def _criteria() -> queries.PoolFilter:
    args = request.args

    def as_int(name: str) -> int | None:
        return query_int(args.get(name))

    def known(name: str, labels: dict[str, object]) -> str:
        value = args.get(name, "")
        return value if value in labels else ""

    sort = args.get("sorteer", "name")
    return queries.PoolFilter(
        search=args.get("zoek", "")[:100],
        role=known("rol", ROLE_LABELS),
        age_band=known("leeftijd", AGE_LABELS),
        municipality_id=as_int("gemeente"),
        organisation_id=as_int("organisatie"),
        interest=known("interesse", INTEREST_LABELS),
        language=known("taal", LANGUAGE_LABELS),
        availability=known("beschikbaar", AVAILABILITY_LABELS),
        status=known("status", STATUS_LABELS),
        last_activity=args.get("activiteit", "")
        if args.get("activiteit") in queries.LAST_ACTIVITY_WINDOWS
        else "",
        consent=known("toestemming", CONSENT_LABELS),
        sort=sort if sort in queries.SORTS else "name",
        descending=args.get("volgorde") == "aflopend",
        page=query_int(args.get("pagina"), default=1, maximum=100_000) or 1,
    )


@pool_bp.get("/")
@pool_staff
def overview() -> str:
    criteria = _criteria()
    participants, total = queries.search(criteria)
    return render_template(
        "participants/pool.html",
        participants=participants,
        total=total,
        criteria=criteria,
        per_page=queries.PER_PAGE,
        labels=label_sets(),
        municipalities=list_municipalities(),
        organisations=list_organisations(),
        counts=queries.counts_by_status(),
        args={k: v for k, v in request.args.items() if k != "pagina"},
    )


def _get(participant_id: int) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        abort(404)
    return participant


@pool_bp.get("/<int:participant_id>")
@pool_staff
def detail(participant_id: int) -> str:
    from ..allowances.queries import allowances_for

    participant = _get(participant_id)
    operations.record_view(current_user, participant)
    db.session.commit()
    status_form = StatusForm(status=participant.status)
    return render_template(
        "participants/detail.html",
        participant=participant,
        labels=label_sets(),
        note_form=NoteForm(),
        status_form=status_form,
        allowances=allowances_for(participant.id),
    )


@pool_bp.post("/<int:participant_id>/notitie")
@pool_staff
def add_note(participant_id: int) -> Any:
    participant = _get(participant_id)
    form = NoteForm()
    if form.validate_on_submit():
        operations.add_note(current_user, participant, form.text.data or "")
        db.session.commit()
        flash(_("De notitie is opgeslagen."), "success")
        return redirect(
            url_for("pool.detail", participant_id=participant.id) + "#notities", code=303
        )
    from ..allowances.queries import allowances_for

    return render_template(
        "participants/detail.html",
        participant=participant,
        labels=label_sets(),
        note_form=form,
        status_form=StatusForm(status=participant.status),
        allowances=allowances_for(participant.id),
    ), 400


@pool_bp.post("/<int:participant_id>/status")
@pool_staff
def change_status(participant_id: int) -> Any:
    participant = _get(participant_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            operations.set_status(current_user, participant, form.status.data or "")
        except operations.PoolError:
            flash(_("Deze persoon is nog niet bevestigd en kan nog niet actief worden."), "error")
        else:
            db.session.commit()
            flash(_("De status is gewijzigd."), "success")
    return redirect(url_for("pool.detail", participant_id=participant.id), code=303)


@pool_bp.post("/<int:participant_id>/bevestigd-per-telefoon")
@pool_staff
def confirm_by_phone(participant_id: int) -> Any:
    participant = _get(participant_id)
    operations.confirm_by_staff(current_user, participant)
    db.session.commit()
    flash(_("De aanmelding is bevestigd."), "success")
    return redirect(url_for("pool.detail", participant_id=participant.id), code=303)


@pool_bp.post("/<int:participant_id>/verwijderen")
@pool_staff
def delete(participant_id: int) -> Any:
    participant = _get(participant_id)
    if request.form.get("zeker") != "ja":
        flash(_("Vink aan dat u zeker weet dat u deze persoon wilt verwijderen."), "error")
        return redirect(url_for("pool.detail", participant_id=participant.id), code=303)
    operations.delete_participant(participant, actor=current_user)
    db.session.commit()
    flash(_("Alle gegevens van deze persoon zijn verwijderd."), "success")
    return redirect(url_for("pool.overview"), code=303)


@pool_bp.route("/export", methods=["GET", "POST"])
@pool_staff
def export_contacts() -> Any:
    """Contact list for the current filter: a warning first, then the CSV (never notes)."""
    criteria = _criteria()
    if request.method == "GET":
        return render_template(
            "participants/export_confirm.html",
            total=queries.count(criteria),
            args=request.args.to_dict(),
        )
    rows = db.session.scalars(queries.filtered(criteria).order_by(Participant.display_name)).all()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["naam", "e-mail", "telefoon", "gemeente", "taal", "status"])
    for participant in rows:
        writer.writerow(
            [
                csv_safe(participant.display_name),
                participant.email or "",
                participant.phone or "",
                participant.municipality.name if participant.municipality else "",
                ",".join(participant.languages),
                participant.status,
            ]
        )
    record(
        current_user,
        "participant.export_contacts",
        "participant",
        None,
        count=len(rows),
        filters={k: v for k, v in request.args.items() if k != "zoek"},
    )
    db.session.commit()
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="contactlijst-poule.csv"'},
    )
