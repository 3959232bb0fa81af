"""Theme pages for cliëntambassadeurs and administrators: the codebook with counts and the
coder's quality, reviewing codes per open answer, emerging phrases, and managing themes.

Only answers of closed waves with at least k responses are shown (see `queries`). Every POST
validates its form (CSRF included), calls one operation, commits, flashes and redirects with 303.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.access import roles_required
from ..auth.models import Role
from ..db import db
from ..i18n import current_locale
from . import operations, queries, review
from .forms import (
    STATUSES,
    ConfirmForm,
    MergeForm,
    NewThemeForm,
    ReviewForm,
    SuggestionForm,
    ThemeForm,
    format_terms,
)
from .models import Theme
from .operations import ThemeError, ThemeTexts, seeded_terms
from .review import ReviewError

bp = Blueprint("themes", __name__, url_prefix="/themas")

staff = roles_required(Role.AMBASSADEUR, Role.BEHEERDER)

SENTIMENT_LABELS = {-1: _l("negatief"), 0: _l("neutraal"), 1: _l("positief")}
LANGUAGE_LABELS = {"nl": _l("Nederlands"), "en": _l("Engels")}


def _status() -> int:
    return 200 if request.method == "GET" else 400


def _get_theme(theme_id: int) -> Theme:
    theme = queries.get_theme(theme_id)
    if theme is None:
        abort(404)
    return theme


def _to_overview() -> Any:
    return redirect(url_for("themes.overview"), code=303)


def _theme_error(error: ThemeError) -> str:
    return {
        "slug_taken": _("Er is al een thema met deze code. Kies een andere code."),
        "slug_invalid": _("Van deze woorden kan geen code worden gemaakt."),
        "merge_target": _("Kies een ander thema dat nog in gebruik is."),
        "inactive": _("Dit thema is al gestopt of samengevoegd."),
        "active": _("Dit thema is al in gebruik."),
    }.get(error.reason, _("Dat lukte niet."))


# --- overview ---------------------------------------------------------------------------------


@bp.get("/")
@staff
def overview() -> Any:
    return render_template(
        "themes/overview.html",
        rows=queries.theme_overview(),
        evaluation=queries.latest_evaluation(),
        decisions=queries.review_counts(),
        suggestions=queries.emerging_phrases(),
        suggestion_form=SuggestionForm(formdata=None),
        k=queries.k_threshold(),
        locale=current_locale(),
        labels=queries.theme_labels(current_locale()),
    )


# --- review -------------------------------------------------------------------------------------


def _filters(source: Any, prefix: str = "") -> dict[str, Any]:
    """wave, theme, status and page from query arguments (or the back_ fields of a form);
    anything odd falls back to 'all'."""
    wave = str(source.get(f"{prefix}wave", "") or "")
    theme = str(source.get(f"{prefix}theme", "") or "")
    status = str(source.get(f"{prefix}status", "") or "open")
    page = str(source.get(f"{prefix}page", "") or "1")
    known = queries.theme_labels("nl")
    return {
        "wave": int(wave) if wave.isdigit() and len(wave) < 10 else None,
        "theme": theme if theme in known else None,
        "status": status if status in STATUSES else "open",
        "page": int(page) if page.isdigit() and len(page) < 7 else 1,
    }


def _list_url(filters: dict[str, Any], answer_id: int | None = None) -> str:
    args = {key: value for key, value in filters.items() if value not in (None, "")}
    if args.get("page") == 1:
        args.pop("page")
    anchor = f"antwoord-{answer_id}" if answer_id else None
    return url_for("themes.review_list", _anchor=anchor, **args)


@bp.get("/beoordelen")
@staff
def review_list() -> Any:
    filters = _filters(request.args)
    locale = current_locale()
    page = queries.review_page(
        filters["wave"], filters["theme"], filters["status"], filters["page"], locale
    )
    active = [spec.slug for spec in queries.active_codebook()]
    return render_template(
        "themes/review.html",
        page=page,
        filters=filters,
        waves=queries.reviewable_waves(),
        labels=queries.theme_labels(locale),
        active=active,
        sentiment_labels=SENTIMENT_LABELS,
        language_labels=LANGUAGE_LABELS,
        form=ReviewForm(formdata=None),
        list_url=_list_url,
        k=queries.k_threshold(),
    )


@bp.post("/beoordelen/<int:answer_id>")
@staff
def decide(answer_id: int) -> Any:
    answer = queries.reviewable_answer(answer_id)
    if answer is None:
        abort(404)
    form = ReviewForm()
    back = _filters(request.form, "back_")
    if not form.validate_on_submit():
        flash(_("Dat lukte niet. Kies opnieuw."), "error")
        return redirect(_list_url(back, answer_id), code=303)
    try:
        review.decide(current_user, answer, form.theme.data, form.decision.data)
    except ReviewError as error:
        db.session.rollback()
        if error.reason == "unknown_theme":
            flash(_("Kies een thema uit de lijst."), "error")
        else:
            flash(_("Dit antwoord had dat thema niet."), "error")
        return redirect(_list_url(back, answer_id), code=303)
    db.session.commit()
    flash(_("Uw beoordeling is opgeslagen."), "success")
    return redirect(_list_url(back, answer_id), code=303)


# --- managing themes ----------------------------------------------------------------------------


def _texts(form: ThemeForm) -> ThemeTexts:
    return ThemeTexts(
        form.label_nl.data.strip(),
        (form.label_en.data or "").strip(),
        (form.description_nl.data or "").strip(),
        (form.description_en.data or "").strip(),
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@staff
def create() -> Any:
    form = NewThemeForm()
    if form.validate_on_submit():
        try:
            theme = operations.create_theme(
                current_user, form.slug.data, _texts(form), form.terms()
            )
        except ThemeError as error:
            db.session.rollback()
            form.slug.errors = [_theme_error(error)]
        else:
            db.session.commit()
            flash(_("Het thema ‘%(label)s’ is toegevoegd.", label=theme.label_nl), "success")
            return _to_overview()
    return render_template("themes/form.html", form=form, theme=None), _status()


@bp.route("/<int:theme_id>/bewerken", methods=["GET", "POST"])
@staff
def edit(theme_id: int) -> Any:
    theme = _get_theme(theme_id)
    form = ThemeForm(obj=theme)
    if request.method == "GET":
        form.terms_nl.data = format_terms(seeded_terms(theme, "nl"))
        form.terms_en.data = format_terms(seeded_terms(theme, "en"))
    if form.validate_on_submit():
        changed = operations.update_theme(current_user, theme, _texts(form), form.terms())
        db.session.commit()
        flash(_("Het thema is bijgewerkt.") if changed else _("Er was niets veranderd."), "success")
        return _to_overview()
    learned = {
        language: (theme.indicators or {}).get(language, {}).get("learned") or {}
        for language in ("nl", "en")
    }
    return render_template("themes/form.html", form=form, theme=theme, learned=learned), _status()


@bp.route("/<int:theme_id>/stoppen", methods=["GET", "POST"])
@staff
def retire(theme_id: int) -> Any:
    theme = _get_theme(theme_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            operations.retire_theme(current_user, theme)
        except ThemeError as error:
            db.session.rollback()
            flash(_theme_error(error), "error")
            return _to_overview()
        db.session.commit()
        flash(_("Het thema wordt niet meer gebruikt."), "success")
        return _to_overview()
    return render_template("themes/retire.html", form=form, theme=theme), _status()


@bp.post("/<int:theme_id>/weer-gebruiken")
@staff
def reactivate(theme_id: int) -> Any:
    theme = _get_theme(theme_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("Dat lukte niet. Probeer het opnieuw."), "error")
        return _to_overview()
    try:
        operations.reactivate_theme(current_user, theme)
    except ThemeError as error:
        db.session.rollback()
        flash(_theme_error(error), "error")
        return _to_overview()
    db.session.commit()
    flash(_("Het thema wordt weer gebruikt."), "success")
    return _to_overview()


@bp.route("/<int:theme_id>/samenvoegen", methods=["GET", "POST"])
@staff
def merge(theme_id: int) -> Any:
    theme = _get_theme(theme_id)
    form = MergeForm()
    targets = [other for other in queries.all_themes() if other.is_active and other.id != theme.id]
    form.target.choices = [(other.id, other.label_nl) for other in targets]
    if form.validate_on_submit():
        target = queries.get_theme(form.target.data)
        if target is None:
            abort(404)
        try:
            operations.merge_theme(current_user, theme, target)
        except ThemeError as error:
            db.session.rollback()
            form.target.errors = [_theme_error(error)]
        else:
            db.session.commit()
            flash(
                _(
                    "‘%(label)s’ is samengevoegd met ‘%(target)s’.",
                    label=theme.label_nl,
                    target=target.label_nl,
                ),
                "success",
            )
            return _to_overview()
    return render_template("themes/merge.html", form=form, theme=theme), _status()


@bp.post("/voorstel")
@staff
def from_suggestion() -> Any:
    form = SuggestionForm()
    if not form.validate_on_submit():
        flash(_("Dat voorstel kon niet worden gebruikt."), "error")
        return _to_overview()
    try:
        theme = operations.theme_from_phrase(
            current_user, form.phrase.data, form.lemmas.data.lower(), form.language.data
        )
    except ThemeError as error:
        db.session.rollback()
        flash(_theme_error(error), "error")
        return _to_overview()
    db.session.commit()
    flash(
        _(
            "Het thema ‘%(label)s’ is gemaakt. Vul de Engelse naam en de omschrijving aan.",
            label=theme.label_nl,
        ),
        "success",
    )
    return redirect(url_for("themes.edit", theme_id=theme.id), code=303)
