"""The allowance form. Amounts and hours accept the Dutch decimal comma ("12,50", "1,5")."""

from __future__ import annotations

import decimal
import re
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DecimalField, Field, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import TextInput

from .. import clock

MAX_AMOUNT = decimal.Decimal("10000")
MAX_MINUTES = 24 * 60

_HOURS_MINUTES = re.compile(r"^(\d{1,2}):([0-5]\d)$")
_DECIMAL_HOURS = re.compile(r"^\d{1,2}(?:[.,]\d{1,2})?$")


def normalise_decimal(text: str) -> str:
    """'€ 1.234,50' -> '1234.50'; '12,5' -> '12.5'; '12.50' stays."""
    text = text.replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
    if "," in text:
        # With a comma present, dots can only be thousands separators.
        text = text.replace(".", "").replace(",", ".")
    return text


def parse_hours(text: str) -> int:
    """Minutes from '1,5', '1.5', '2' or '1:30'. Raises ValueError for anything else."""
    text = text.strip().lower().removesuffix("uur").removesuffix("u").strip()
    match = _HOURS_MINUTES.match(text)
    if match:
        return int(match.group(1)) * 60 + int(match.group(2))
    if _DECIMAL_HOURS.match(text):
        hours = decimal.Decimal(text.replace(",", "."))
        return int((hours * 60).to_integral_value(rounding=decimal.ROUND_HALF_UP))
    raise ValueError(text)


class HoursField(Field):
    """Time spent, typed as hours ('1,5' or '1:30'); `data` is whole minutes."""

    widget = TextInput()

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if self.data is None:
            return ""
        hours, minutes = divmod(int(self.data), 60)
        return f"{hours}:{minutes:02d}" if minutes else str(hours)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = parse_hours(str(valuelist[0]))
        except ValueError as exc:
            self.data = None
            raise ValueError(
                _l("Vul de tijd in uren in, zoals 1,5 voor anderhalf uur of 1:30.")
            ) from exc


class EuroField(DecimalField):
    """An amount in euros as plain text, so '12,50' and '12.50' both work on every keyboard."""

    widget = TextInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            value = decimal.Decimal(normalise_decimal(str(valuelist[0])))
        except decimal.InvalidOperation as exc:
            self.data = None
            raise ValueError(_l("Vul een bedrag in euro's in, zoals 12,50.")) from exc
        if not value.is_finite():
            self.data = None
            raise ValueError(_l("Vul een bedrag in euro's in, zoals 12,50."))
        self.data = value


def _minutes_in_range(form: FlaskForm, field: HoursField) -> None:
    if field.data is not None and not 0 < field.data <= MAX_MINUTES:
        raise ValidationError(_l("Vul een tijd in van meer dan 0 en hoogstens 24 uur."))


def _amount_in_range(form: FlaskForm, field: EuroField) -> None:
    if field.data is None:
        return
    if field.data <= 0 or field.data > MAX_AMOUNT:
        raise ValidationError(_l("Vul een bedrag in van meer dan € 0 en hoogstens € 10.000."))
    if field.data != field.data.quantize(decimal.Decimal("0.01")):
        raise ValidationError(_l("Vul een bedrag in met hoogstens 2 cijfers achter de komma."))


def _date_in_range(form: FlaskForm, field: DateField) -> None:
    if field.data is None:
        return
    if field.data < date(2000, 1, 1) or field.data > clock.today() + timedelta(days=366):
        raise ValidationError(_l("Vul een datum in die niet verder dan een jaar vooruit ligt."))


class AllowanceForm(FlaskForm):
    activity = StringField(
        _l("Activiteit"),
        description=_l(
            "Bijvoorbeeld: Panelgesprek jeugdbescherming. Schrijf hier geen namen of "
            "gegevens over de situatie van de deelnemer."
        ),
        validators=[DataRequired(_l("Vul de activiteit in.")), Length(max=200)],
    )
    activity_date = DateField(
        _l("Datum van de activiteit"),
        format=["%Y-%m-%d", "%d-%m-%Y"],
        invalid_value_message=_l("Vul een geldige datum in, zoals 15-03-2025."),
        validators=[InputRequired(_l("Vul de datum van de activiteit in.")), _date_in_range],
    )
    hours = HoursField(
        _l("Tijd in uren"),
        description=_l("Bijvoorbeeld 1,5 voor anderhalf uur, of 1:30."),
        validators=[InputRequired(_l("Vul de tijd in uren in.")), _minutes_in_range],
        render_kw={"class": "input-short", "autocomplete": "off", "spellcheck": "false"},
    )
    amount = EuroField(
        _l("Bedrag in euro"),
        description=_l("Bijvoorbeeld 12,50."),
        validators=[InputRequired(_l("Vul het bedrag in.")), _amount_in_range],
        render_kw={"class": "input-short", "inputmode": "decimal", "autocomplete": "off"},
    )
    paid = BooleanField(_l("Deze vergoeding is al betaald"))
    accept_over_limit = BooleanField(
        _l("Ik weet dat dit boven de grens komt en wil het toch registreren")
    )

    @property
    def amount_cents(self) -> int:
        return int((self.amount.data or 0) * 100)


class YearForm(FlaskForm):
    """The year selector on the overview: a GET form, so no CSRF token in the address."""

    class Meta:
        csrf = False

    jaar = SelectField(_l("Jaar"), coerce=int)
