"""Public pages: home, help, privacy and accessibility statements, health check, favicon."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, send_from_directory
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..db import db
from ..i18n import current_locale

bp = Blueprint("public", __name__)


def localised(page: str) -> str:
    """Long-form pages are written per language: templates/public/<page>.<locale>.html."""
    return render_template(
        [f"public/{page}.{current_locale()}.html", f"public/{page}.nl.html"], page=page
    )


@bp.get("/")
def home() -> str:
    return render_template("public/home.html")


@bp.get("/hulp")
def help_now() -> str:
    return localised("help")


@bp.get("/privacy")
def privacy() -> str:
    return localised("privacy")


@bp.get("/toegankelijkheid")
def accessibility() -> str:
    return localised("accessibility")


@bp.get("/healthz")
def healthz() -> Any:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/favicon.ico")
def favicon() -> Any:
    return send_from_directory(
        current_app.static_folder or "",
        "favicon.ico",
        mimetype="image/vnd.microsoft.icon",
        max_age=86400,
    )
