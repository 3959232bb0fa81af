"""Public forms of group sessions: the agenda filter and signing up (pool member or guest).

Participant texts are B1 Dutch and use "je"; they are translated in the English catalog.
The organisers' forms live in staff_forms.py.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Form,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..participants.operations import InvalidPhoneError, normalise_phone
from .models import Audience, SessionKind

KIND_LABELS = {
    SessionKind.GROUP_CONVERSATION.value: _l("Groepsgesprek"),
    SessionKind.PANEL.value: _l("Panel of klankbordgroep"),
    SessionKind.TRAINING.value: _l("Training"),
    SessionKind.INFORMATION.value: _l("Informatiebijeenkomst"),
    SessionKind.PEER_CONTACT.value: _l("Lotgenotencontact"),
}
AUDIENCE_LABELS = {
    Audience.PARENTS.value: _l("Voor ouders en verzorgers"),
    Audience.YOUNG_PEOPLE.value: _l("Voor jongeren"),
    Audience.BOTH.value: _l("Voor ouders en jongeren"),
}
# The agenda filter: who a session is for ('both' sessions are for everyone).
AUDIENCE_FILTER_LABELS = {
    Audience.PARENTS.value: _l("Ouders en verzorgers"),
    Audience.YOUNG_PEOPLE.value: _l("Jongeren"),
    Audience.BOTH.value: _l("Ouders en jongeren samen"),
}
FORMAT_LABELS = {
    "online": _l("Online"),
    "ter-plekke": _l("Op een plek"),
}
NEED_LABELS = {
    "support": (
        _l("Wat heb je nodig om mee te kunnen doen?"),
        _l("Bijvoorbeeld hulp bij lezen, een rolstoelplek, begeleiding of reiskosten."),
    ),
    "dietary": (
        _l("Wat mag of kun je niet eten of drinken?"),
        _l("Bijvoorbeeld vegetarisch, halal of een allergie."),
    ),
    "childcare": (
        _l("Heb je opvang nodig voor je kinderen?"),
        _l("Schrijf op hoeveel kinderen het zijn en hoe oud ze zijn."),
    ),
    "interpreter": (
        _l("Heb je een tolk nodig?"),
        _l("Schrijf op welke taal je spreekt."),
    ),
}

_TOO_LONG = _l("Dit is te lang. Gebruik minder dan 1000 tekens.")


def _choices(labels: dict[str, object], empty: object) -> list[SelectChoice]:
    return [SelectChoice("", empty)] + [  # type: ignore[arg-type]
        SelectChoice(value, label)  # type: ignore[arg-type]
        for value, label in labels.items()
    ]


class AgendaFilterForm(Form):
    """The agenda's filters: a GET form (no CSRF token, works without JavaScript).

    Field names are the Dutch query-string keys; unknown values are ignored by the view.
    """

    voor = SelectField(
        _l("Voor wie"), choices=_choices(AUDIENCE_FILTER_LABELS, _l("Iedereen")), default=""
    )
    soort = SelectField(
        _l("Soort bijeenkomst"), choices=_choices(KIND_LABELS, _l("Alle soorten")), default=""
    )
    vorm = SelectField(
        _l("Online of op een plek"),
        choices=_choices(FORMAT_LABELS, _l("Allebei")),
        default="",
    )

    def value(self, name: str) -> str:
        """The chosen value if it is one of the choices, else '' (no filter)."""
        field = self[name]
        known = {str(choice.value) for choice in field.choices}  # type: ignore[union-attr]
        return field.data if field.data in known else ""


def _need_field(name: str) -> TextAreaField:
    label, hint = NEED_LABELS[name]
    return TextAreaField(
        label,
        description=hint,
        validators=[Optional(), Length(max=1000, message=_TOO_LONG)],
    )


class SignupForm(FlaskForm):
    """Signing up as a pool member who signed in at 'Mijn gegevens': only the needs.

    The view shows only the needs the organiser asks about (`session.questions`).
    """

    need_support = _need_field("support")
    need_dietary = _need_field("dietary")
    need_childcare = _need_field("childcare")
    need_interpreter = _need_field("interpreter")
    # A field people never see: bots fill it in.
    website = StringField(_l("Laat dit veld leeg"), validators=[Optional(), Length(max=0)])

    def needs(self) -> dict[str, str]:
        return {name: getattr(self, f"need_{name}").data or "" for name in NEED_LABELS}


class GuestSignupForm(SignupForm):
    """Signing up without being in the pool: a name, a way to reach you, and consent."""

    name = StringField(
        _l("Hoe mogen we je noemen?"),
        description=_l("Je voornaam of een bijnaam is genoeg."),
        validators=[DataRequired(_l("Vul in hoe we je mogen noemen.")), Length(max=80)],
        render_kw={"autocomplete": "given-name"},
    )
    email = EmailField(
        _l("E-mailadres"),
        description=_l("Hierop krijg je de bevestiging, een agenda-bestand en een herinnering."),
        validators=[
            Optional(),
            Email(
                _l("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
                check_deliverability=False,
            ),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    phone = TelField(
        _l("Mobiel nummer"),
        description=_l("Heb je geen e-mail? Dan belt of appt de organisator je."),
        validators=[Optional(), Length(max=30)],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    # The view adds how long we keep the details (GROUPSESSION_GUEST_DAYS) as the hint.
    consent = BooleanField(
        _l("Ja, gebruik mijn gegevens voor deze bijeenkomst."),
        validators=[
            DataRequired(
                _l("Vink het vakje aan. Zonder je toestemming kunnen we je niet aanmelden.")
            )
        ],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        # Not a field validator: Optional() ends a field's checks when it is empty.
        if not (self.email.data or "").strip() and not (self.phone.data or "").strip():
            self.email.errors = [
                *self.email.errors,
                _l("Vul een e-mailadres of een mobiel nummer in. Eén is genoeg."),
            ]
            return False
        return valid

    def validate_phone(self, field: TelField) -> None:
        try:
            normalise_phone(field.data)
        except InvalidPhoneError:
            raise ValidationError(
                _l("Dit mobiele nummer klopt niet. Gebruik bijvoorbeeld 06 12345678.")
            ) from None

    def normalised_phone(self) -> str | None:
        return normalise_phone(self.phone.data)
