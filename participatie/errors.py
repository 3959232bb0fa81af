"""Friendly, translated and accessible error pages for every error a browser or curl can cause."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .db import db

logger = logging.getLogger(__name__)

MESSAGES = {
    400: (
        _l("Er ging iets mis met uw verzoek"),
        _l("De pagina kon uw verzoek niet lezen. Ga terug en probeer het opnieuw."),
    ),
    403: (
        _l("Geen toegang"),
        _l(
            "U heeft geen toegang tot deze pagina. Denkt u dat dit niet klopt? Neem contact op met de beheerder."
        ),
    ),
    404: (
        _l("Pagina niet gevonden"),
        _l(
            "Deze pagina bestaat niet (meer). Misschien is de link oud of zit er een typfout in het adres."
        ),
    ),
    405: (
        _l("Dit kan niet op deze manier"),
        _l("Deze pagina werkt niet op deze manier. Ga terug en gebruik de knoppen op de pagina."),
    ),
    413: (
        _l("Te veel gegevens"),
        _l("U stuurde te veel gegevens in één keer. Maak het korter en probeer het opnieuw."),
    ),
    429: (
        _l("Even wachten"),
        _l(
            "U heeft dit te vaak achter elkaar geprobeerd. Wacht een paar minuten en probeer het dan opnieuw."
        ),
    ),
    500: (
        _l("Er ging iets mis aan onze kant"),
        _l(
            "Dit is niet uw fout. Probeer het later opnieuw. Blijft het misgaan? Neem dan contact met ons op."
        ),
    ),
}

CSRF_MESSAGE = (
    _l("Het formulier is verlopen"),
    _l(
        "Voor uw veiligheid werkt een formulier maar een tijd. Ga terug, laad de pagina opnieuw "
        "en probeer het nog een keer. Wat u had ingevuld, staat nog op de vorige pagina."
    ),
)


def render_error(code: int, title: object, message: object) -> tuple[str, int]:
    return render_template("errors/error.html", code=code, title=title, message=message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        logger.info("csrf rejected endpoint=%s", request.endpoint)
        return render_error(400, *CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> object:
        code = error.code or 500
        if code < 400:
            return error
        title, message = MESSAGES.get(code, MESSAGES[400] if code < 500 else MESSAGES[500])
        response = render_error(code, title, message)
        if code == 405 and getattr(error, "valid_methods", None):
            return (*response, {"Allow": ", ".join(error.valid_methods or [])})
        return response

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> tuple[str, int]:
        db.session.rollback()
        logger.error("unhandled error endpoint=%s", request.endpoint)
        return render_error(500, *MESSAGES[500])
