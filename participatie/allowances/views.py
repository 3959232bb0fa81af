"""Volunteer allowances: register one for a pool member, mark it paid, the yearly overview and
the CSV for the finance department."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from .. import clock
from ..audit.operations import record
from ..auth.access import roles_required
from ..auth.models import Role
from ..db import db
from ..participants.models import AgeBand, Participant
from ..security import csv_safe
from . import operations, queries
from .forms import AllowanceForm, YearForm
from .models import Allowance

bp = Blueprint("allowances", __name__, url_prefix="/vergoedingen")

allowance_staff = roles_required(Role.AMBASSADEUR, Role.BEHEERDER)

FIRST_YEAR = 2000


def _participant(participant_id: int) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        abort(404)
    return participant


@bp.route("/nieuw/<int:participant_id>", methods=["GET", "POST"])
@allowance_staff
def create(participant_id: int) -> Any:
    participant = _participant(participant_id)
    under_21 = AgeBand(participant.age_band).under_21
    form = AllowanceForm()
    if request.method == "GET":
        form.activity_date.data = clock.today()
    warnings: list[operations.LimitWarning] = []
    if form.validate_on_submit():
        activity_date, minutes = form.activity_date.data, form.hours.data
        warnings = operations.check_limits(
            participant.id, activity_date, minutes, form.amount_cents, under_21
        )
        if not warnings or form.accept_over_limit.data:
            operations.register_allowance(
                current_user,
                participant,
                form.activity.data or "",
                activity_date,
                minutes,
                form.amount_cents,
                paid=bool(form.paid.data),
            )
            db.session.commit()
            if warnings:
                flash(
                    _("De vergoeding is geregistreerd. Let op: deze komt boven de grens."),
                    "success",
                )
            else:
                flash(_("De vergoeding is geregistreerd."), "success")
            return redirect(url_for("pool.detail", participant_id=participant.id), code=303)
    return render_template(
        "allowances/form.html",
        form=form,
        participant=participant,
        under_21=under_21,
        warnings=warnings,
        limits=operations.limits_for((form.activity_date.data or clock.today()).year),
    ), (200 if request.method == "GET" or warnings else 400)


@bp.post("/<int:allowance_id>/betaald")
@allowance_staff
def mark_paid(allowance_id: int) -> Any:
    allowance = db.session.get(Allowance, allowance_id)
    if allowance is None:
        abort(404)
    paid = request.form.get("paid") == "1"
    operations.mark_paid(current_user, allowance, paid)
    db.session.commit()
    flash(
        _("De vergoeding staat op betaald.") if paid else _("De vergoeding staat op niet betaald."),
        "success",
    )
    # Only a fixed choice, never a URL from the form: no open redirect.
    if request.form.get("terug") == "overzicht" or allowance.participant_id is None:
        return redirect(url_for("allowances.overview", jaar=allowance.activity_date.year), code=303)
    return redirect(url_for("pool.detail", participant_id=allowance.participant_id), code=303)


def _selected_year() -> int:
    year = request.args.get("jaar", type=int)
    this_year = clock.today().year
    if year is None or not FIRST_YEAR <= year <= this_year + 1:
        return this_year
    return year


@bp.get("/")
@allowance_staff
def overview() -> str:
    year = _selected_year()
    years = sorted({*queries.years_with_allowances(), clock.today().year, year}, reverse=True)
    year_form = YearForm(formdata=None, jaar=year)
    year_form.jaar.choices = [SelectChoice(y, str(y)) for y in years]
    allowances = queries.allowances_in_year(year)
    overview_data = queries.year_overview(year, allowances)
    unpaid = [allowance for allowance in allowances if not allowance.paid]
    return render_template(
        "allowances/overview.html",
        year=year,
        year_form=year_form,
        overview=overview_data,
        unpaid=unpaid,
        limits=operations.limits_for(year),
    )


def _comma(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


@bp.get("/export.csv")
@allowance_staff
def export() -> Response:
    year = _selected_year()
    allowances = queries.allowances_in_year(year)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    # Column names and values stay Dutch whatever the staff member's language: the finance
    # department's import depends on them.
    writer.writerow(
        ["deelnemer_id", "naam", "activiteit", "datum", "uren", "bedrag", "betaald", "betaald_op"]
    )
    for allowance in allowances:
        participant = allowance.participant
        writer.writerow(
            [
                allowance.participant_id or "",
                csv_safe(participant.display_name) if participant else "(verwijderd)",
                csv_safe(allowance.activity),
                allowance.activity_date.isoformat(),
                _comma(allowance.hours),
                _comma(allowance.amount),
                "ja" if allowance.paid else "nee",
                allowance.paid_on.isoformat() if allowance.paid_on else "",
            ]
        )
    record(current_user, "allowance.export", "allowance", None, year=year, count=len(allowances))
    db.session.commit()
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="vrijwilligersvergoedingen-{year}.csv"',
            "Cache-Control": "no-store",
        },
    )
