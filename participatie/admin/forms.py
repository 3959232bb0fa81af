from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from ..auth.access import ROLE_LABELS

ROLE_CHOICES = [SelectChoice(role, label) for role, label in ROLE_LABELS.items()]


class UserForm(FlaskForm):
    name = StringField(
        _l("Naam"), validators=[DataRequired(_l("Vul een naam in.")), Length(max=200)]
    )
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            DataRequired(_l("Vul een e-mailadres in.")),
            Email(
                _l("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
                check_deliverability=False,
            ),
            Length(max=254),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    role = RadioField(
        _l("Rol"),
        choices=ROLE_CHOICES,
        validators=[DataRequired(_l("Kies een rol."))],
    )
    organisation_id = SelectField(
        _l("Organisatie"),
        description=_l(
            "Verplicht voor ketenpartners: zij zien de resultaten voor hun organisatie."
        ),
        coerce=int,
        validators=[Optional()],
    )


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Naam van de organisatie"),
        validators=[DataRequired(_l("Vul de naam van de organisatie in.")), Length(max=200)],
    )
    description_nl = TextAreaField(
        _l("Korte uitleg (Nederlands)"), validators=[Optional(), Length(max=500)]
    )
    description_en = TextAreaField(
        _l("Korte uitleg (Engels)"), validators=[Optional(), Length(max=500)]
    )


class MunicipalityForm(FlaskForm):
    name = StringField(
        _l("Naam van de gemeente"),
        validators=[DataRequired(_l("Vul de naam van de gemeente in.")), Length(max=200)],
    )
    cbs_code = StringField(
        _l("CBS-code (niet verplicht)"),
        description=_l("Bijvoorbeeld GM0307 voor Amersfoort."),
        validators=[
            Optional(),
            Regexp(
                r"^GM\d{4}$", message=_l("Een CBS-code ziet eruit als GM gevolgd door 4 cijfers.")
            ),
        ],
    )
