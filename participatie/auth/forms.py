from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

MIN_PASSWORD_LENGTH = 12


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(_l("Vul uw e-mailadres in.")), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(_l("Vul uw wachtwoord in.")), Length(max=500)],
        render_kw={"autocomplete": "current-password"},
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code uit uw app"),
        description=_l("De 6 cijfers uit uw authenticator-app, bijvoorbeeld 123456."),
        validators=[
            DataRequired(_l("Vul de code uit uw app in.")),
            Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message=_l("De code bestaat uit 6 cijfers.")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Huidig wachtwoord"),
        validators=[DataRequired(_l("Vul uw huidige wachtwoord in.")), Length(max=500)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("Nieuw wachtwoord"),
        description=_l(
            "Minstens 12 tekens. Een zin van een paar woorden is sterk en makkelijk te onthouden."
        ),
        validators=[
            DataRequired(_l("Vul een nieuw wachtwoord in.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=500,
                message=_l("Het nieuwe wachtwoord moet minstens 12 tekens lang zijn."),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    repeat_password = PasswordField(
        _l("Herhaal nieuw wachtwoord"),
        validators=[
            DataRequired(_l("Herhaal het nieuwe wachtwoord.")),
            EqualTo("new_password", message=_l("De twee nieuwe wachtwoorden zijn niet gelijk.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
