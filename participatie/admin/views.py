"""Beheer: staff accounts, organisations, municipalities and the audit log."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from ..audit.queries import recent_events
from ..auth import operations as accounts
from ..auth.access import roles_required
from ..auth.models import Role, User
from ..db import db
from ..organisations import operations as reference
from ..organisations.models import Organisation
from ..organisations.queries import list_municipalities, list_organisations
from ..urls import query_int
from .forms import MunicipalityForm, OrganisationForm, UserForm

bp = Blueprint("admin", __name__, url_prefix="/beheer")

admin_required = roles_required(Role.BEHEERDER)


@bp.get("/")
@admin_required
def index() -> Any:
    return redirect(url_for("admin.users"))


@bp.get("/gebruikers")
@admin_required
def users() -> str:
    accounts_list = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template("admin/users.html", users=accounts_list)


def _user_form() -> UserForm:
    form = UserForm()
    form.organisation_id.choices = [SelectChoice(0, _("Geen organisatie"))] + [
        SelectChoice(organisation.id, organisation.name)
        for organisation in list_organisations(active_only=True)
    ]
    return form


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@admin_required
def create_user() -> Any:
    form = _user_form()
    if form.validate_on_submit():
        organisation = (
            db.session.get(Organisation, form.organisation_id.data)
            if form.organisation_id.data
            else None
        )
        try:
            user, password = accounts.create_user(
                current_user,
                form.email.data or "",
                form.name.data or "",
                form.role.data or "",
                organisation,
            )
        except accounts.DuplicateEmailError:
            form.email.errors = [_("Er is al een account met dit e-mailadres.")]
        except accounts.MissingOrganisationError:
            form.organisation_id.errors = [_("Kies de organisatie van deze ketenpartner.")]
        else:
            db.session.commit()
            # Shown once, on this page only: never put in a flash message or cookie.
            return render_template("admin/user_created.html", user=user, password=password)
    return render_template("admin/user_form.html", form=form)


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/gebruikers/<int:user_id>")
@admin_required
def user_detail(user_id: int) -> str:
    return render_template("admin/user_detail.html", user=_get_user(user_id))


@bp.post("/gebruikers/<int:user_id>/status")
@admin_required
def user_status(user_id: int) -> Any:
    user = _get_user(user_id)
    activate = request.form.get("active") == "1"
    try:
        accounts.set_active(current_user, user, activate)
    except accounts.AccountError:
        flash(_("U kunt uw eigen account niet uitschakelen."), "error")
    else:
        db.session.commit()
        flash(
            _("Het account is aangezet.") if activate else _("Het account is uitgeschakeld."),
            "success",
        )
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/gebruikers/<int:user_id>/herstellen")
@admin_required
def user_reset(user_id: int) -> str:
    user = _get_user(user_id)
    password = accounts.reset_credentials(current_user, user)
    db.session.commit()
    return render_template("admin/user_created.html", user=user, password=password, reset=True)


@bp.route("/organisaties", methods=["GET", "POST"])
@admin_required
def organisations() -> Any:
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            reference.create_organisation(
                current_user,
                form.name.data or "",
                form.description_nl.data or "",
                form.description_en.data or "",
            )
        except reference.DuplicateNameError:
            form.name.errors = [_("Deze organisatie bestaat al.")]
        else:
            db.session.commit()
            flash(_("De organisatie is toegevoegd."), "success")
            return redirect(url_for("admin.organisations"))
    return render_template(
        "admin/organisations.html", form=form, organisations=list_organisations()
    )


@bp.route("/gemeenten", methods=["GET", "POST"])
@admin_required
def municipalities() -> Any:
    form = MunicipalityForm()
    if form.validate_on_submit():
        try:
            reference.create_municipality(
                current_user, form.name.data or "", form.cbs_code.data or None
            )
        except reference.DuplicateNameError:
            form.name.errors = [_("Deze gemeente bestaat al.")]
        else:
            db.session.commit()
            flash(_("De gemeente is toegevoegd."), "success")
            return redirect(url_for("admin.municipalities"))
    return render_template(
        "admin/municipalities.html", form=form, municipalities=list_municipalities()
    )


@bp.get("/logboek")
@admin_required
def audit_log() -> str:
    page = query_int(request.args.get("pagina"), default=1, maximum=100_000) or 1
    events, total = recent_events(page=page)
    return render_template(
        "admin/audit_log.html", events=events, total=total, page=page, per_page=50
    )
