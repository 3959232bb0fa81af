"""Results of survey waves for staff: aggregates with small-number protection, and exports.

Every figure comes from `queries.wave_report`, which hides small numbers (DESIGN invariant 2);
the pages and the exports only render it. Open answers are for cliëntambassadeurs and
administrators, never for chain partners and never in exports, and only for the whole wave:
quotes that show up under several filters would profile their author.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from ..audit.operations import record
from ..auth.access import staff_required
from ..auth.models import Role
from ..db import db
from ..i18n import current_locale
from . import export, queries
from .models import SurveyWave

bp = Blueprint("survey_results", __name__, url_prefix="/enquetes/resultaten")


def _get(wave_id: int) -> SurveyWave:
    wave = queries.get_wave(wave_id)
    if wave is None:
        abort(404)
    return wave


def _may_read_open_answers() -> bool:
    return bool(current_user.has_role(Role.AMBASSADEUR, Role.BEHEERDER))


def _filter_arg() -> str:
    raw = request.args.get("filter", "")
    return raw[:200] if isinstance(raw, str) else ""


@bp.get("/")
@staff_required
def index() -> Any:
    return render_template(
        "surveys/results_index.html",
        summaries=queries.waves_with_counts(),
        k=queries.k_threshold(),
    )


@bp.get("/rondes/<int:wave_id>", endpoint="wave")
@staff_required
def wave_page(wave_id: int) -> Any:
    wave = _get(wave_id)
    if not queries.has_results(wave):
        return render_template("surveys/results_draft.html", wave=wave)
    locale = current_locale()
    report = queries.wave_report(wave, _filter_arg(), locale)
    may_read = _may_read_open_answers() and report.whole.enough
    open_answers = None
    if may_read and report.enough and not report.is_filtered:
        open_answers = queries.open_answers(wave, locale)
    return render_template(
        "surveys/results_wave.html",
        wave=wave,
        report=report,
        choices=report.choices,
        open_answers=open_answers,
        open_answers_elsewhere=may_read and report.is_filtered,
        theme_names=queries.theme_labels(locale) if open_answers else {},
    )


@bp.get("/rondes/<int:wave_id>/vergelijking")
@staff_required
def compare(wave_id: int) -> Any:
    wave = _get(wave_id)
    if not queries.has_results(wave):
        return render_template("surveys/results_draft.html", wave=wave)
    return render_template(
        "surveys/results_compare.html",
        wave=wave,
        tables=queries.comparison(wave, current_locale()),
        k=queries.k_threshold(),
    )


def _export(wave_id: int, extension: str) -> tuple[SurveyWave, queries.WaveReport]:
    wave = _get(wave_id)
    if not queries.has_results(wave):
        abort(404)
    report = queries.wave_report(wave, _filter_arg(), current_locale())
    record(
        current_user,
        "survey_results.exported",
        "survey_wave",
        wave.id,
        format=extension,
        filter=report.filter_key or None,
    )
    db.session.commit()
    return wave, report


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@bp.get("/rondes/<int:wave_id>/export.csv")
@staff_required
def export_csv(wave_id: int) -> Any:
    wave, report = _export(wave_id, "csv")
    return Response(
        export.to_csv(report, current_locale()),
        mimetype="text/csv",
        headers=_attachment(export.filename(wave, "csv")),
    )


@bp.get("/rondes/<int:wave_id>/export.xlsx")
@staff_required
def export_xlsx(wave_id: int) -> Any:
    wave, report = _export(wave_id, "xlsx")
    return Response(
        export.to_xlsx(report, current_locale()),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=_attachment(export.filename(wave, "xlsx")),
    )
