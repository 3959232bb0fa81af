"""Forms of the organisers' pages: a session, inviting, attendance, notes.

Staff texts are Dutch with "u". The organiser types local time (Europe/Amsterdam); the view turns
it into aware UTC for the model.
"""

from __future__ import annotations

import decimal
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from .. import clock
from ..allowances.forms import MAX_AMOUNT, EuroField
from ..participants.forms import LANGUAGE_LABELS, MultiCheckboxField, choices
from .models import Audience, GroupSession, RegistrationStatus, SessionKind

MAX_CAPACITY = 500

KIND_LABELS = {
    SessionKind.GROUP_CONVERSATION.value: _l("Groepsgesprek"),
    SessionKind.PANEL.value: _l("Panel of klankbordgroep"),
    SessionKind.TRAINING.value: _l("Training"),
    SessionKind.INFORMATION.value: _l("Informatiebijeenkomst"),
    SessionKind.PEER_CONTACT.value: _l("Lotgenotencontact"),
}
AUDIENCE_LABELS = {
    Audience.PARENTS.value: _l("Ouders en verzorgers"),
    Audience.YOUNG_PEOPLE.value: _l("Jongeren"),
    Audience.BOTH.value: _l("Ouders en jongeren"),
}
QUESTION_LABELS = {
    "support": _l("Ondersteuning om mee te kunnen doen (bijvoorbeeld rolstoel of begeleiding)"),
    "dietary": _l("Eten en drinken (dieet of allergie)"),
    "childcare": _l("Kinderopvang of oppas"),
    "interpreter": _l("Tolk"),
}
NEED_LABELS = {
    "support": _l("Ondersteuning"),
    "dietary": _l("Eten en drinken"),
    "childcare": _l("Kinderopvang"),
    "interpreter": _l("Tolk"),
}
REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.CONFIRMED.value: _l("heeft een plaats"),
    RegistrationStatus.OFFERED.value: _l("plaats aangeboden"),
    RegistrationStatus.WAITING.value: _l("op de wachtlijst"),
    RegistrationStatus.CANCELLED.value: _l("zelf afgemeld"),
    RegistrationStatus.EXPIRED.value: _l("aanbod verlopen"),
    RegistrationStatus.SESSION_CANCELLED.value: _l("bijeenkomst afgelast"),
}

WHERE_PLACE = "place"
WHERE_ONLINE = "online"


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def to_utc(day: date, moment: time) -> datetime:
    """A local date and time (as the organiser typed them) as aware UTC."""
    return datetime.combine(day, moment, tzinfo=local_zone()).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(local_zone())


def clean_text(value: str | None) -> str:
    """Stripped, with the browser's CRLF line ends turned into plain newlines."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def euros_to_cents(amount: decimal.Decimal | None) -> int | None:
    if amount is None:
        return None
    return int((amount * 100).to_integral_value())


def _allowance_in_range(form: FlaskForm, field: EuroField) -> None:
    if field.data is None:
        return
    if field.data < 0 or field.data > MAX_AMOUNT:
        raise ValidationError(_l("Vul een bedrag in van € 0 tot en met € 10.000."))
    if field.data != field.data.quantize(decimal.Decimal("0.01")):
        raise ValidationError(_l("Vul een bedrag in met hoogstens 2 cijfers achter de komma."))


def _date_field(label: object, required_message: object | None, **kwargs: object) -> DateField:
    validators = [InputRequired(required_message)] if required_message else [Optional()]
    return DateField(
        label,
        format=["%Y-%m-%d", "%d-%m-%Y"],
        invalid_value_message=_l("Vul een geldige datum in, zoals 15-03-2027."),
        validators=validators,
        **kwargs,
    )


def _time_field(label: object, required_message: object | None, **kwargs: object) -> TimeField:
    validators = [InputRequired(required_message)] if required_message else [Optional()]
    return TimeField(
        label,
        format=["%H:%M", "%H.%M", "%H:%M:%S"],
        invalid_value_message=_l("Vul een geldige tijd in, zoals 19:30."),
        validators=validators,
        render_kw={"class": "input-short"},
        **kwargs,
    )


class CountField(IntegerField):
    """A whole number, with a Dutch message for anything else."""

    LARGEST = 999_999_999

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = int(str(valuelist[0]).strip())
        except ValueError as exc:
            self.data = None
            raise ValueError(_l("Vul een heel getal in, zoals 12.")) from exc
        if abs(self.data) > self.LARGEST:
            # Range validators compare through floats, which a number of hundreds of digits
            # does not fit in.
            self.data = None
            raise ValueError(_l("Dit getal is te groot."))


class SessionForm(FlaskForm):
    kind = RadioField(
        _l("Soort bijeenkomst"),
        choices=choices(KIND_LABELS),
        validators=[DataRequired(_l("Kies de soort bijeenkomst."))],
    )
    title_nl = StringField(
        _l("Titel (Nederlands)"),
        description=_l("Kort en duidelijk, op taalniveau B1."),
        validators=[DataRequired(_l("Vul een titel in.")), Length(max=200)],
    )
    description_nl = TextAreaField(
        _l("Beschrijving (Nederlands)"),
        description=_l(
            "Wat gaan we doen, en waarom? Schrijf eenvoudig (B1) en spreek de lezer aan met 'je'."
        ),
        validators=[DataRequired(_l("Vul een beschrijving in.")), Length(max=5000)],
    )
    title_en = StringField(
        _l("Titel (Engels)"),
        description=_l("Leeg laten? Dan ziet iedereen de Nederlandse titel."),
        validators=[Optional(), Length(max=200)],
    )
    description_en = TextAreaField(_l("Beschrijving (Engels)"), validators=[Length(max=5000)])
    audience = RadioField(
        _l("Voor wie"),
        choices=choices(AUDIENCE_LABELS),
        default=Audience.BOTH.value,
        validators=[DataRequired(_l("Kies voor wie de bijeenkomst is."))],
    )
    day = _date_field(_l("Datum"), _l("Vul de datum in."))
    start_time = _time_field(
        _l("Begintijd"), _l("Vul de begintijd in."), description=_l("Bijvoorbeeld 19:30.")
    )
    end_time = _time_field(
        _l("Eindtijd"), _l("Vul de eindtijd in."), description=_l("Bijvoorbeeld 21:00.")
    )
    where = RadioField(
        _l("Waar"),
        choices=[
            SelectChoice(WHERE_PLACE, _l("Op een plek")),
            SelectChoice(WHERE_ONLINE, _l("Online (met video)")),
        ],
        default=WHERE_PLACE,
        validators=[DataRequired(_l("Kies of de bijeenkomst op een plek of online is."))],
    )
    location_name = StringField(
        _l("Naam van de plek"),
        description=_l(
            "Nodig als de bijeenkomst op een plek is. Bijvoorbeeld: Wijkcentrum De Kei."
        ),
        validators=[Length(max=200)],
    )
    location_address = StringField(
        _l("Adres"),
        description=_l("Straat, huisnummer en plaats."),
        validators=[Length(max=300)],
    )
    route_nl = TextAreaField(
        _l("Route (Nederlands)"),
        description=_l("Hoe kom je er? Bus, parkeren, ingang, welke verdieping."),
        validators=[Length(max=2000)],
    )
    route_en = TextAreaField(_l("Route (Engels)"), validators=[Length(max=2000)])
    meeting_link = URLField(
        _l("Link naar de online bijeenkomst"),
        description=_l(
            "Nodig als de bijeenkomst online is. Begint met https://. Alleen wie een plaats "
            "heeft, ziet deze link."
        ),
        validators=[Length(max=500)],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    capacity = CountField(
        _l("Aantal plaatsen"),
        description=_l("Van 0 tot en met 500. Is het vol, dan komen mensen op de wachtlijst."),
        validators=[
            InputRequired(_l("Vul het aantal plaatsen in.")),
            NumberRange(0, MAX_CAPACITY, _l("Vul een aantal in van 0 tot en met 500.")),
        ],
        render_kw={"class": "input-short", "inputmode": "numeric"},
    )
    deadline_day = _date_field(
        _l("Aanmelden kan tot (datum)"),
        None,
        description=_l("Leeg laten? Dan kan aanmelden tot het begin."),
    )
    deadline_time = _time_field(
        _l("Aanmelden kan tot (tijd)"),
        None,
        description=_l("Leeg laten bij een datum? Dan is het 23:59 uur."),
    )
    allowance = EuroField(
        _l("Vrijwilligersvergoeding in euro"),
        description=_l(
            "Wat iedereen die er was krijgt, bijvoorbeeld 25,00. Leeg laten als er geen vergoeding is."
        ),
        validators=[Optional(), _allowance_in_range],
        render_kw={"class": "input-short", "inputmode": "decimal", "autocomplete": "off"},
    )
    accessibility_nl = TextAreaField(
        _l("Toegankelijkheid (Nederlands)"),
        description=_l("Bijvoorbeeld: rolstoeltoegankelijk, lift, ringleiding, rustige ruimte."),
        validators=[Length(max=2000)],
    )
    accessibility_en = TextAreaField(_l("Toegankelijkheid (Engels)"), validators=[Length(max=2000)])
    languages = MultiCheckboxField(
        _l("Talen die we spreken"),
        choices=choices(LANGUAGE_LABELS),
        default=["nl"],
        validators=[DataRequired(_l("Kies minstens één taal."))],
    )
    questions = MultiCheckboxField(
        _l("Vragen bij het aanmelden"),
        description=_l("Wat vragen we wie zich aanmeldt? Alleen organisatoren zien de antwoorden."),
        choices=choices(QUESTION_LABELS),
        default=list(QUESTION_LABELS),
        validators=[Optional()],
    )

    def __init__(self, *args: object, is_new: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.is_new = is_new

    # --- derived values, valid once the fields themselves are --------------------------------

    @property
    def starts_at(self) -> datetime | None:
        if self.day.data is None or self.start_time.data is None:
            return None
        return to_utc(self.day.data, self.start_time.data)

    @property
    def ends_at(self) -> datetime | None:
        if self.day.data is None or self.end_time.data is None:
            return None
        return to_utc(self.day.data, self.end_time.data)

    @property
    def signup_deadline(self) -> datetime | None:
        if self.deadline_day.data is None:
            return None
        return to_utc(self.deadline_day.data, self.deadline_time.data or time(23, 59))

    @property
    def is_online(self) -> bool:
        return self.where.data == WHERE_ONLINE

    # --- rules between fields ------------------------------------------------------------------

    def validate_day(self, field: DateField) -> None:
        if field.data is not None and field.data.year < 2000:
            raise ValidationError(_l("Vul een geldige datum in, zoals 15-03-2027."))

    def validate_start_time(self, field: TimeField) -> None:
        starts = self.starts_at
        if self.is_new and starts is not None and starts <= clock.now():
            raise ValidationError(_l("Een nieuwe bijeenkomst moet in de toekomst beginnen."))

    def validate_end_time(self, field: TimeField) -> None:
        starts, ends = self.starts_at, self.ends_at
        if starts is not None and ends is not None and ends <= starts:
            raise ValidationError(_l("De eindtijd moet na de begintijd liggen."))

    def validate_deadline_time(self, field: TimeField) -> None:
        if field.data is not None and self.deadline_day.data is None:
            raise ValidationError(_l("Vul ook de datum in tot wanneer aanmelden kan."))

    def validate_deadline_day(self, field: DateField) -> None:
        deadline, starts = self.signup_deadline, self.starts_at
        if deadline is not None and starts is not None and deadline >= starts:
            raise ValidationError(_l("Aanmelden moet sluiten vóór het begin van de bijeenkomst."))
        if self.is_new and deadline is not None and deadline <= clock.now():
            raise ValidationError(_l("Aanmelden moet sluiten op een moment in de toekomst."))

    def validate_location_name(self, field: StringField) -> None:
        if not self.is_online and not (field.data or "").strip():
            raise ValidationError(_l("Vul de naam van de plek in."))

    def validate_meeting_link(self, field: URLField) -> None:
        link = (field.data or "").strip()
        if not self.is_online:
            return
        if not link:
            raise ValidationError(_l("Vul de link naar de online bijeenkomst in."))
        parts = urlsplit(link)
        if parts.scheme != "https" or not parts.netloc or " " in link:
            raise ValidationError(
                _l(
                    "Vul een veilige link in die begint met https://, zoals https://meet.example.nl/abc."
                )
            )

    def session_fields(self) -> dict[str, object]:
        """The model's fields from the form; call after validation."""
        online = self.is_online
        return {
            "kind": self.kind.data,
            "title_nl": clean_text(self.title_nl.data),
            "title_en": clean_text(self.title_en.data),
            "description_nl": clean_text(self.description_nl.data),
            "description_en": clean_text(self.description_en.data),
            "audience": self.audience.data,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "is_online": online,
            "location_name": "" if online else clean_text(self.location_name.data),
            "location_address": "" if online else clean_text(self.location_address.data),
            "route_nl": "" if online else clean_text(self.route_nl.data),
            "route_en": "" if online else clean_text(self.route_en.data),
            "meeting_link": clean_text(self.meeting_link.data) if online else "",
            "capacity": self.capacity.data,
            "signup_deadline": self.signup_deadline,
            "allowance_cents": euros_to_cents(self.allowance.data),
            "accessibility_nl": clean_text(self.accessibility_nl.data),
            "accessibility_en": clean_text(self.accessibility_en.data),
            "languages": list(self.languages.data or []),
            "questions": [q for q in QUESTION_LABELS if q in (self.questions.data or [])],
        }

    def fill_from(self, session: GroupSession) -> None:
        """Put a stored session in the form (GET of the edit page), in local time."""
        for name in (
            "kind",
            "title_nl",
            "title_en",
            "description_nl",
            "description_en",
            "audience",
            "location_name",
            "location_address",
            "route_nl",
            "route_en",
            "meeting_link",
            "capacity",
            "accessibility_nl",
            "accessibility_en",
        ):
            getattr(self, name).data = getattr(session, name)
        starts, ends = to_local(session.starts_at), to_local(session.ends_at)
        self.day.data = starts.date()
        self.start_time.data = starts.time()
        self.end_time.data = ends.time()
        self.where.data = WHERE_ONLINE if session.is_online else WHERE_PLACE
        if session.signup_deadline is not None:
            deadline = to_local(session.signup_deadline)
            self.deadline_day.data = deadline.date()
            self.deadline_time.data = deadline.time()
        self.allowance.data = (
            None
            if session.allowance_cents is None
            else decimal.Decimal(session.allowance_cents) / 100
        )
        self.languages.data = list(session.languages or [])
        self.questions.data = list(session.questions or [])


class ConfirmForm(FlaskForm):
    """A button that changes state (publish, cancel): only the CSRF token is checked."""


class InviteForm(FlaskForm):
    participant_ids = MultiCheckboxField(
        _l("Wie nodigt u uit?"),
        coerce=int,
        validators=[DataRequired(_l("Kies minstens één persoon om uit te nodigen."))],
    )


class AttendanceForm(FlaskForm):
    present = MultiCheckboxField(_l("Wie was er?"), coerce=int, validators=[Optional()])


class NotesForm(FlaskForm):
    notes = TextAreaField(
        _l("Verslag"),
        description=_l(
            "Wat is er besproken? Namen, telefoonnummers, e-mailadressen, adressen en "
            "dossiernummers worden bij het opslaan automatisch verwijderd."
        ),
        validators=[
            DataRequired(_l("Schrijf eerst het verslag.")),
            Length(
                max=20_000, message=_l("Het verslag is te lang: gebruik minder dan 20.000 tekens.")
            ),
        ],
        render_kw={"rows": 12},
    )
    themes = MultiCheckboxField(
        _l("Thema's"),
        description=_l("Over welke thema's ging het gesprek? Kies alles wat past."),
        validators=[Optional()],
    )
