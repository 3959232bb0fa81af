"""Locale selection and the language switch.

The person's own choice (a cookie set by the language switch) wins, then the browser's
Accept-Language, then Dutch. A page may fix its language for the rest of the request
(`use_locale`): a survey page is shown wholly in the survey's language.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g, redirect, request
from flask_babel import get_locale, refresh
from werkzeug.wrappers import Response

from .security import is_safe_redirect

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    supported = current_app.config["LANGUAGES"]
    fixed = g.get("page_locale")
    if fixed in supported:
        return str(fixed)
    chosen = request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    if chosen in supported:
        return chosen
    return (
        request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def current_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def use_locale(code: str) -> None:
    """Show the rest of this request in `code` (one of `LANGUAGES`), whatever the cookie or the
    browser asks for; texts translated before this call keep their language."""
    g.page_locale = code
    refresh()


def remember_language(response: Response, code: str) -> None:
    """Keep `code` as the person's choice of language (the cookie `select_locale` reads)."""
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            current_app.config["LANGUAGE_COOKIE"],
            code,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )


@bp.get("/taal/<code>")
def switch_language(code: str) -> Response:
    """Remember the chosen language in a cookie and go back to the page the person was on."""
    target = request.args.get("next", "/")
    if not is_safe_redirect(target):
        target = "/"
    response = redirect(target, code=303)
    remember_language(response, code)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def language_context() -> dict[str, object]:
        locale = current_locale()
        return {
            "current_locale": locale,
            "other_languages": [
                (code, LANGUAGE_NAMES.get(code, code))
                for code in current_app.config["LANGUAGES"]
                if code != locale
            ],
        }
