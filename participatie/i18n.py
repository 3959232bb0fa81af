"""Locale selection, the language switch, and the languages of survey content.

Two sets of languages. The **interface** (`LANGUAGES`: nl, en) is what the app has message
catalogs for. **Survey content** (`SURVEY_LANGUAGES`) can be in more languages: ambassadors
type a questionnaire's texts in Arabic, Turkish, Polish… A survey page in such a language shows
its questions in it and its interface (buttons, errors, help now) in
`SURVEY_INTERFACE_FALLBACK` (English), each part marked with its own `lang` (WCAG 3.1.2).

The person's own choice (a cookie set by the language switch) wins, then the browser's
Accept-Language, then Dutch. A page may fix its language for the rest of the request
(`use_locale`): a survey page is shown in the survey's language.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, Flask, current_app, g, redirect, request
from flask_babel import get_locale, refresh
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from werkzeug.wrappers import Response

from .security import is_safe_redirect

# Each language's name in its own language and script: a person looks for their own language
# by the name they read, not by its Dutch name.
LANGUAGE_NAMES = {
    "nl": "Nederlands",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
    "pl": "Polski",
    "uk": "Українська",
    "ti": "ትግርኛ",
    "so": "Soomaali",
    "fa": "فارسی",
    "ps": "پښتو",
    "ur": "اردو",
    "pap": "Papiamentu",
    "es": "Español",
    "fr": "Français",
    "de": "Deutsch",
    "ru": "Русский",
    "ro": "Română",
    "bg": "Български",
}
# The names staff read, in the interface language.
LANGUAGE_LABELS = {
    "nl": _l("Nederlands"),
    "en": _l("Engels"),
    "ar": _l("Arabisch"),
    "tr": _l("Turks"),
    "pl": _l("Pools"),
    "uk": _l("Oekraïens"),
    "ti": _l("Tigrinya"),
    "so": _l("Somalisch"),
    "fa": _l("Perzisch (Farsi)"),
    "ps": _l("Pasjtoe"),
    "ur": _l("Urdu"),
    "pap": _l("Papiaments"),
    "es": _l("Spaans"),
    "fr": _l("Frans"),
    "de": _l("Duits"),
    "ru": _l("Russisch"),
    "ro": _l("Roemeens"),
    "bg": _l("Bulgaars"),
}
RIGHT_TO_LEFT = frozenset({"ar", "fa", "ps", "ur", "he", "yi", "dv", "ckb"})

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    supported = current_app.config["LANGUAGES"]
    fixed = g.get("page_locale")
    if fixed in supported:
        return str(fixed)
    chosen = request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    if chosen in supported:
        return chosen
    if chosen in survey_languages():
        # Chose a survey in a language the interface does not have: the same fallback as there.
        return interface_language(chosen)
    return (
        request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def current_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def survey_languages() -> list[str]:
    """The languages survey texts can be written in, Dutch first (config.py checks them)."""
    return list(current_app.config["SURVEY_LANGUAGES"])


def in_order(codes: Iterable[str]) -> list[str]:
    """`codes` that are survey languages, with Dutch, in the configured order."""
    wanted = {*codes, "nl"}
    return [code for code in survey_languages() if code in wanted]


def interface_language(code: str) -> str:
    """The interface language of a page whose content is in `code`."""
    if code in current_app.config["LANGUAGES"]:
        return code
    return str(current_app.config["SURVEY_INTERFACE_FALLBACK"])


def has_interface(code: str) -> bool:
    return code in current_app.config["LANGUAGES"]


def text_direction(code: str | None) -> str:
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def language_name(code: str) -> str:
    """The language's own name (an unknown code stays a code)."""
    return LANGUAGE_NAMES.get(code, code)


def language_label(code: str) -> str:
    """The language's name for staff, e.g. "Arabisch (العربية)"."""
    label = str(LANGUAGE_LABELS.get(code, code))
    own = LANGUAGE_NAMES.get(code)
    if own is None or own == label:
        return label
    return f"{label} ({own})"


def lang_attributes(lang: str | None, around: str | None = None) -> Markup:
    """` lang="…"` (and ` dir="…"` when the direction differs) for an element in `lang` inside
    one in `around` (by default the interface language); nothing when they are the same."""
    around = around or current_locale()
    if not lang or lang == around:
        return Markup("")
    attributes = Markup(' lang="%s"') % lang
    if text_direction(lang) != text_direction(around):
        attributes += Markup(' dir="%s"') % text_direction(lang)
    return attributes


def ui_lang(page_language: str, *, direction: bool = True) -> Markup:
    """The attributes of interface text (in the current locale) on a page in `page_language`:
    on an Arabic survey page the English buttons and help say that they are English, and run
    from left to right. `direction=False` for a row of items (buttons, links) that should stay
    in the page's order: only its `lang`, each item then gets its own `dir`."""
    if not direction:
        locale = current_locale()
        return Markup(' lang="%s"') % locale if locale != page_language else Markup("")
    return lang_attributes(current_locale(), page_language)


def use_locale(code: str) -> None:
    """Show the rest of this request in `code` (one of `LANGUAGES`), whatever the cookie or the
    browser asks for; texts translated before this call keep their language."""
    g.page_locale = code
    refresh()


def remember_language(response: Response, code: str) -> None:
    """Keep `code` as the person's choice of language (the cookie `select_locale` reads): an
    interface language, or a survey language (then the interface falls back as on surveys)."""
    if code in current_app.config["LANGUAGES"] or code in survey_languages():
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
    if code in current_app.config["LANGUAGES"]:
        remember_language(response, code)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(ui_lang, "ui_lang")
    app.add_template_global(lang_attributes, "lang_attributes")
    app.add_template_global(text_direction, "text_direction")
    app.add_template_global(language_name, "language_name")
    app.add_template_global(language_label, "language_label")

    @app.context_processor
    def language_context() -> dict[str, object]:
        locale = current_locale()
        return {
            "current_locale": locale,
            # A survey page in another language than its interface passes its own.
            "page_language": locale,
            "other_languages": [
                (code, LANGUAGE_NAMES.get(code, code))
                for code in current_app.config["LANGUAGES"]
                if code != locale
            ],
        }
