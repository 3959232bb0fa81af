"""Forms of the pool: sign-up, 'Mijn gegevens', and the ambassadors' filters and notes.

Participant texts are B1 Dutch and use "je"; they are translated in the English catalog.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .models import AgeBand, Availability, ConsentPurpose, Interest, ParticipantRole, Status


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (rendered as a fieldset by the form macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: object) -> None:
        # Unknown values are an error; no value at all is fine for optional groups.
        known = {str(choice.value) for choice in self.choices}  # type: ignore[union-attr]
        if any(str(value) not in known for value in self.data or []):
            raise ValidationError(_l("Kies uit de mogelijkheden op de pagina."))


ROLE_LABELS = {
    ParticipantRole.PARENT.value: _l("Ouder of verzorger"),
    ParticipantRole.YOUNG_PERSON.value: _l("Jongere"),
    ParticipantRole.FAMILY.value: _l("Ander familielid (bijvoorbeeld opa, oma, tante)"),
}
AGE_LABELS = {band.value: _l("%(band)s jaar", band=band.value) for band in AgeBand}
INTEREST_LABELS = {
    Interest.SURVEYS.value: _l("Vragenlijsten invullen"),
    Interest.GROUP_CONVERSATIONS.value: _l("Groepsgesprekken"),
    Interest.PANELS.value: _l("Panels en klankbordgroepen"),
    Interest.TRAINING.value: _l("Voorlichting of training geven aan professionals"),
    Interest.PEER_CONTACT.value: _l("Contact met andere ouders of jongeren (lotgenoten)"),
}
AVAILABILITY_LABELS = {
    Availability.DAYTIME.value: _l("Overdag"),
    Availability.EVENING.value: _l("'s Avonds"),
    Availability.WEEKEND.value: _l("In het weekend"),
    Availability.ONLINE.value: _l("Online (met video)"),
    Availability.IN_PERSON.value: _l("Op een plek in de buurt"),
}
LANGUAGE_LABELS = {
    "nl": _l("Nederlands"),
    "en": _l("Engels"),
    "ar": _l("Arabisch"),
    "tr": _l("Turks"),
    "ti": _l("Tigrinya"),
    "pl": _l("Pools"),
    "uk": _l("Oekraïens"),
    "pap": _l("Papiaments"),
    "other": _l("Een andere taal"),
}
STATUS_LABELS = {
    Status.NEW.value: _l("Nieuw (nog niet bevestigd)"),
    Status.ACTIVE.value: _l("Actief"),
    Status.PAUSED.value: _l("Pauze"),
    Status.STOPPED.value: _l("Gestopt"),
}
EVENT_LABELS = {
    "signed_up": _l("aangemeld"),
    "email_confirmed": _l("e-mailadres bevestigd"),
    "guardian_confirmed": _l("toestemming ouder of voogd ontvangen"),
    "confirmed_by_phone": _l("bevestigd per telefoon"),
    "activated": _l("actief geworden"),
    "signed_in": _l("ingelogd bij Mijn gegevens"),
    "details_changed": _l("gegevens gewijzigd"),
    "consent_given": _l("toestemming gegeven"),
    "consent_withdrawn": _l("toestemming ingetrokken"),
    "paused": _l("op pauze gezet"),
    "resumed": _l("doet weer mee"),
    "status_changed": _l("status gewijzigd"),
    "allowance": _l("vergoeding geregistreerd"),
    "stay_asked": _l("gevraagd of de persoon wil blijven"),
    "stay_call_needed": _l("bellen: wil de persoon blijven?"),
    "stay_confirmed": _l("wil blijven"),
    "invited": _l("uitgenodigd"),
}
CONSENT_LABELS = {
    ConsentPurpose.POOL.value: (
        _l("Ja, bewaar mijn gegevens en vraag mij voor activiteiten."),
        _l(
            "Nodig om mee te doen. Cliëntambassadeurs mogen je dan benaderen voor gesprekken, "
            "panels en andere activiteiten die je hierboven koos."
        ),
    ),
    ConsentPurpose.SURVEYS.value: (
        _l("Ja, stuur mij uitnodigingen voor vragenlijsten."),
        _l(
            "Je krijgt dan soms een e-mail met een link. Je antwoorden zijn altijd anoniem: "
            "niemand kan ze aan jou koppelen."
        ),
    ),
    ConsentPurpose.UPDATES.value: (
        _l("Ja, vertel mij wat er met de verhalen van ouders en jongeren gebeurt."),
        _l("Een paar keer per jaar een korte e-mail over wat er veranderd is."),
    ),
    ConsentPurpose.SUPPORT_NEEDS.value: (
        _l("Ja, bewaar wat ik nodig heb om mee te kunnen doen."),
        _l(
            "Alleen als je hieronder iets invult, bijvoorbeeld over je gezondheid of een tolk. "
            "Alleen cliëntambassadeurs zien dit."
        ),
    ),
}


def choices(labels: dict[str, object]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]  # type: ignore[arg-type]


def _reachable(form: ProfileFields, field: object) -> None:
    if not (form.email.data or "").strip() and not (form.phone.data or "").strip():
        raise ValidationError(_l("Vul een e-mailadres of een mobiel nummer in. Eén is genoeg."))


class ProfileFields(FlaskForm):
    display_name = StringField(
        _l("Hoe mogen we je noemen?"),
        description=_l("Je voornaam of een bijnaam is genoeg."),
        validators=[DataRequired(_l("Vul in hoe we je mogen noemen.")), Length(max=80)],
        render_kw={"autocomplete": "given-name"},
    )
    email = EmailField(
        _l("E-mailadres"),
        description=_l("Hierop krijg je een link om je aanmelding te bevestigen."),
        validators=[
            Optional(),
            Email(
                _l("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
                check_deliverability=False,
            ),
            Length(max=254),
            _reachable,
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    phone = TelField(
        _l("Mobiel nummer"),
        description=_l("Heb je geen e-mail? Dan bellen we je om je aanmelding te bevestigen."),
        validators=[Optional(), Length(max=30)],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    role = RadioField(
        _l("Wie ben je?"),
        choices=choices(ROLE_LABELS),
        validators=[DataRequired(_l("Kies wie je bent."))],
    )
    age_band = SelectField(
        _l("Hoe oud ben je?"),
        choices=[SelectChoice("", _l("Kies je leeftijd")), *choices(AGE_LABELS)],
        validators=[DataRequired(_l("Kies hoe oud je bent."))],
    )
    municipality_id = SelectField(
        _l("In welke gemeente woon je?"), coerce=int, validators=[Optional()]
    )
    organisation_ids = MultiCheckboxField(
        _l("Met welke organisaties had je te maken?"),
        description=_l("Je mag dit leeg laten."),
        coerce=int,
        validators=[Optional()],
    )
    interests = MultiCheckboxField(
        _l("Wat wil je doen?"),
        description=_l("Kies alles wat je leuk lijkt. Je zegt later per keer ja of nee."),
        choices=choices(INTEREST_LABELS),
        validators=[DataRequired(_l("Kies minstens één ding dat je wilt doen."))],
    )
    languages = MultiCheckboxField(
        _l("In welke taal praat je het liefst?"),
        choices=choices(LANGUAGE_LABELS),
        validators=[DataRequired(_l("Kies minstens één taal."))],
    )
    availability = MultiCheckboxField(
        _l("Wanneer en hoe kun je meedoen?"),
        choices=choices(AVAILABILITY_LABELS),
        validators=[Optional()],
    )
    support_needs = TextAreaField(
        _l("Wat heb je nodig om mee te kunnen doen?"),
        description=_l(
            "Bijvoorbeeld: een tolk, een rolstoelplek, oppas voor je kinderen of reiskosten. "
            "Niet verplicht."
        ),
        validators=[
            Optional(),
            Length(max=1000, message=_l("Dit is te lang. Gebruik minder dan 1000 tekens.")),
        ],
    )
    guardian_email = EmailField(
        _l("E-mailadres van je ouder of voogd"),
        description=_l(
            "Alleen nodig als je jonger bent dan 16. Zij krijgen een e-mail met een vraag om toestemming."
        ),
        validators=[
            Optional(),
            Email(
                _l("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
                check_deliverability=False,
            ),
            Length(max=254),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )

    def validate_guardian_email(self, field: EmailField) -> None:
        if self.age_band.data == AgeBand.B12_15.value and not (field.data or "").strip():
            raise ValidationError(
                _l("Je bent jonger dan 16. Vul het e-mailadres van je ouder of voogd in.")
            )
        own = (self.email.data or "").strip().lower()
        if own and (field.data or "").strip().lower() == own:
            raise ValidationError(
                _l("Vul het e-mailadres van je ouder of voogd in, niet je eigen adres.")
            )


class SignupForm(ProfileFields):
    consent_pool = BooleanField(CONSENT_LABELS["pool"][0], description=CONSENT_LABELS["pool"][1])
    consent_surveys = BooleanField(
        CONSENT_LABELS["surveys"][0], description=CONSENT_LABELS["surveys"][1]
    )
    consent_updates = BooleanField(
        CONSENT_LABELS["updates"][0], description=CONSENT_LABELS["updates"][1]
    )
    consent_support_needs = BooleanField(
        CONSENT_LABELS["support_needs"][0], description=CONSENT_LABELS["support_needs"][1]
    )
    # A field people never see: bots fill it in.
    website = StringField(_l("Laat dit veld leeg"), validators=[Optional(), Length(max=0)])

    def validate_consent_pool(self, field: BooleanField) -> None:
        if not field.data:
            raise ValidationError(
                _l(
                    "Zonder deze toestemming kunnen we je niet in de poule zetten. Vink het vakje aan als je mee wilt doen."
                )
            )

    def validate_consent_support_needs(self, field: BooleanField) -> None:
        if (self.support_needs.data or "").strip() and not field.data:
            raise ValidationError(
                _l(
                    "Je schreef op wat je nodig hebt. Geef toestemming om dat te bewaren, of maak het veld leeg."
                )
            )

    def consents(self) -> set[str]:
        return {purpose for purpose in CONSENT_LABELS if getattr(self, f"consent_{purpose}").data}


class ProfileForm(ProfileFields):
    """Changing one's own details in 'Mijn gegevens' (consents have their own page)."""


class EmailForm(FlaskForm):
    email = EmailField(
        _l("Je e-mailadres"),
        validators=[
            DataRequired(_l("Vul je e-mailadres in.")),
            Email(
                _l("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
                check_deliverability=False,
            ),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


class ConsentForm(FlaskForm):
    consent_pool = BooleanField(CONSENT_LABELS["pool"][0], description=CONSENT_LABELS["pool"][1])
    consent_surveys = BooleanField(
        CONSENT_LABELS["surveys"][0], description=CONSENT_LABELS["surveys"][1]
    )
    consent_updates = BooleanField(
        CONSENT_LABELS["updates"][0], description=CONSENT_LABELS["updates"][1]
    )
    consent_support_needs = BooleanField(
        CONSENT_LABELS["support_needs"][0], description=CONSENT_LABELS["support_needs"][1]
    )


class DeleteForm(FlaskForm):
    confirm = BooleanField(
        _l("Ja, verwijder al mijn gegevens. Ik weet dat dit niet terug te draaien is."),
        validators=[
            DataRequired(_l("Vink het vakje aan als je echt alles wilt laten verwijderen."))
        ],
    )


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("Notitie"),
        description=_l(
            "Alleen voor cliëntambassadeurs. De deelnemer kan notities opvragen: schrijf feitelijk en respectvol."
        ),
        validators=[DataRequired(_l("Schrijf eerst een notitie.")), Length(max=2000)],
    )


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=choices(STATUS_LABELS), validators=[DataRequired()])
