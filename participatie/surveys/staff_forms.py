"""Forms of the staff survey pages: a template's texts, sections, questions and waves.

Staff texts are Dutch with "u". Questionnaire texts are typed in Dutch (required) with the
question itself; every other language of the template (optional: respondents then see the
Dutch) on a page of its own, one field per Dutch text with the Dutch beside it
(`translation_form`). Answer options are typed one per line as `value | Dutch label`, so the
builder works without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..groupsessions.staff_forms import CountField, clean_text
from ..i18n import language_label, survey_languages, text_direction
from ..participants.forms import MultiCheckboxField, choices
from . import answering
from .builder import CHOICE_KINDS, CODE_PATTERN, DOWN, UP, VALUE_PATTERN, QuestionData
from .models import (
    CONDITION_KINDS,
    LocalisedText,
    QuestionKind,
    SurveyAudience,
    SurveyQuestion,
    SurveyTemplate,
    SurveyVersion,
    SurveyWave,
    WaveStatus,
)

MAX_OPTIONS = 50
NOT_A_CHOICE = _l("Kies uit de mogelijkheden op de pagina.")

KIND_LABELS = {
    QuestionKind.SINGLE.value: _l("Eén antwoord kiezen uit een lijst"),
    QuestionKind.MULTIPLE.value: _l("Meer antwoorden kiezen uit een lijst"),
    QuestionKind.AGREEMENT.value: _l("Eens of oneens (5 stappen en ‘niet van toepassing’)"),
    QuestionKind.GRADE.value: _l("Rapportcijfer (1 tot en met 10)"),
    QuestionKind.YESNO.value: _l("Ja of nee"),
    QuestionKind.SHORT_TEXT.value: _l("Kort antwoord in eigen woorden"),
    QuestionKind.LONG_TEXT.value: _l("Lang antwoord in eigen woorden"),
}
AUDIENCE_LABELS = {
    SurveyAudience.PARENTS.value: _l("Ouders en verzorgers"),
    SurveyAudience.YOUNG_PEOPLE.value: _l("Jongeren"),
}
STATUS_LABELS = {
    WaveStatus.DRAFT.value: _l("Gepland (nog niet open)"),
    WaveStatus.OPEN.value: _l("Open"),
    WaveStatus.CLOSED.value: _l("Gesloten"),
}
RECURRENCE_LABELS = {
    "": _l("Niet herhalen"),
    "1": _l("Elke maand"),
    "3": _l("Elk kwartaal (elke 3 maanden)"),
    "6": _l("Elk half jaar"),
    "12": _l("Elk jaar"),
}
LATEST_VERSION = "latest"


def clean(value: str | None) -> str:
    """Stripped, plain newlines, and without NUL characters (PostgreSQL refuses them)."""
    return clean_text(value).replace("\x00", "")


def _text(label: object, *, required: object | None = None, long: bool = False, **kw: Any) -> Any:
    """A text field for one language; `required` is the message when it is empty."""
    maximum = 4000 if long else 300
    validators: list[Any] = [DataRequired(required)] if required else [Optional()]
    validators.append(
        Length(max=maximum, message=_l("Gebruik niet meer dan %(max)s tekens.", max=maximum))
    )
    field_class = TextAreaField if long else StringField
    return field_class(label, validators=validators, filters=[clean], **kw)


def _date(label: object, required: object, **kwargs: Any) -> DateField:
    return DateField(
        label,
        format=["%Y-%m-%d", "%d-%m-%Y"],
        invalid_value_message=_l("Vul een geldige datum in, zoals 15-03-2027."),
        validators=[InputRequired(required)],
        render_kw={"class": "input-medium"},
        **kwargs,
    )


def dutch(text: str | None) -> LocalisedText:
    """A text as typed in a Dutch form (other languages are typed beside it, elsewhere)."""
    return {"nl": clean(text)}


# --- answer options and conditions as typed -------------------------------------------------------


def parse_options(typed: str | None) -> list[dict[str, Any]]:
    """Options from lines `value | Dutch`. Raises ValidationError naming the line."""
    options: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, line in enumerate(clean(typed).split("\n"), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 2:
            raise ValidationError(
                _l(
                    "Regel %(line)s heeft te veel |-tekens. Gebruik: waarde | Nederlandse tekst. "
                    "Andere talen vult u in bij ‘Vertalen’.",
                    line=number,
                )
            )
        value, nl = [*parts, ""][:2]
        if not VALUE_PATTERN.match(value):
            raise ValidationError(
                _l(
                    "Regel %(line)s: de waarde vooraan mag alleen kleine letters, cijfers, _ en - "
                    "hebben, zonder spaties. Bijvoorbeeld: gemeente_amersfoort.",
                    line=number,
                )
            )
        if not nl:
            raise ValidationError(
                _l(
                    "Regel %(line)s: zet na de waarde een | en de Nederlandse tekst, zoals: "
                    "ja | Ja.",
                    line=number,
                )
            )
        if len(nl) > 300:
            raise ValidationError(
                _l("Regel %(line)s: gebruik per tekst niet meer dan 300 tekens.", line=number)
            )
        if value in seen:
            raise ValidationError(
                _l(
                    "De waarde ‘%(value)s’ staat er meer dan één keer in. Elke waarde moet anders "
                    "zijn.",
                    value=value,
                )
            )
        seen.add(value)
        options.append({"value": value, "label": {"nl": nl}})
    if len(options) < 2:
        raise ValidationError(_l("Vul minstens 2 antwoorden in, elk op een eigen regel."))
    if len(options) > MAX_OPTIONS:
        raise ValidationError(_l("Gebruik niet meer dan %(max)s antwoorden.", max=MAX_OPTIONS))
    return options


def format_options(options: Iterable[dict[str, Any]]) -> str:
    return "\n".join(
        f"{option.get('value', '')} | {(option.get('label') or {}).get('nl', '')}"
        for option in options
    )


def parse_values(typed: str | None) -> list[str]:
    values = [value.strip() for value in re.split(r"[,\n]", typed or "")]
    return list(dict.fromkeys(value for value in values if value))


# --- templates and sections -----------------------------------------------------------------------


class ConfirmForm(FlaskForm):
    """A button that changes state (open, remind, close, delete): only the CSRF token counts."""


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf([UP, DOWN])])


class NewTemplateForm(FlaskForm):
    title_nl = _text(_l("Titel (Nederlands)"), required=_l("Vul een titel in."))
    languages = MultiCheckboxField(
        _l("Andere talen"),
        description=_l(
            "Nederlands is er altijd. De teksten in een andere taal vult u later in, naast de "
            "Nederlandse. Wat niet vertaald is, ziet de invuller in het Nederlands."
        ),
        default=["en"],
        validators=[Optional()],
    )
    audience = RadioField(
        _l("Voor wie is de vragenlijst?"),
        choices=choices(AUDIENCE_LABELS),
        default=SurveyAudience.PARENTS.value,
        validators=[DataRequired(_l("Kies voor wie de vragenlijst is."))],
        invalid_choice_message=NOT_A_CHOICE,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages.choices = [
            SelectChoice(code, language_label(code)) for code in survey_languages() if code != "nl"
        ]

    def chosen_languages(self) -> list[str]:
        """Dutch and the chosen languages; call after validation."""
        return ["nl", *(self.languages.data or [])]


class TemplateTextsForm(NewTemplateForm):
    description_nl = _text(
        _l("Uitleg vooraf (Nederlands)"),
        long=True,
        description=_l("Waar gaat de vragenlijst over? Zeg ook dat de antwoorden anoniem zijn."),
    )
    feedback_nl = _text(
        _l("Wat we met eerdere antwoorden deden (Nederlands)"),
        long=True,
        description=_l(
            "Dit staat op de bedankpagina. Vertel wat er veranderde door de antwoorden."
        ),
    )
    estimated_minutes = CountField(
        _l("Hoeveel minuten kost het invullen ongeveer?"),
        validators=[
            InputRequired(_l("Vul het aantal minuten in.")),
            NumberRange(1, 120, _l("Vul een aantal minuten in van 1 tot en met 120.")),
        ],
        render_kw={"class": "input-short", "inputmode": "numeric"},
    )

    def fill_from(self, template: SurveyTemplate) -> None:
        self.title_nl.data = template.title.get("nl", "")
        self.description_nl.data = (template.description or {}).get("nl", "")
        self.feedback_nl.data = (template.feedback_text or {}).get("nl", "")
        self.languages.data = [code for code in template.languages if code != "nl"]
        self.audience.data = template.audience
        self.estimated_minutes.data = template.estimated_minutes


class SectionForm(FlaskForm):
    title_nl = _text(_l("Titel (Nederlands)"), required=_l("Vul een titel in."))
    intro_nl = _text(
        _l("Inleiding (Nederlands)"),
        long=True,
        description=_l("Een of twee zinnen boven de vragen van dit onderdeel."),
    )


# --- texts in another language --------------------------------------------------------------------


@dataclass(frozen=True)
class Translatable:
    """One text to translate: the field's name and label, the Dutch beside it, what there is."""

    name: str
    label: Any
    dutch: str
    current: str = ""
    long: bool = False


class TranslationForm(FlaskForm):
    """The texts of a template, section or question in one other language: a field per Dutch
    text, all optional (an empty one falls back to Dutch). Built per page, as the texts differ:
    see `translation_form`."""

    language: str = "nl"
    items: Sequence[Translatable] = ()

    def typed(self) -> dict[str, str]:
        """What was typed, by field name; call after validation."""
        return {item.name: clean(self[item.name].data) for item in self.items}


def translation_form(language: str, items: Sequence[Translatable]) -> TranslationForm:
    """A form for `items` in `language`. Each field says its language (and direction), so the
    browser's spelling check and a screen reader use that language, and Arabic is typed from
    right to left."""
    attributes = {"lang": language, "dir": text_direction(language)}
    fields = {
        item.name: _text(item.label, long=item.long, render_kw=dict(attributes)) for item in items
    }
    form_class = type("TranslationForm", (TranslationForm,), fields)
    form = form_class(data={item.name: item.current for item in items})
    form.language = language
    form.items = tuple(items)
    return form


# --- questions ------------------------------------------------------------------------------------


class QuestionForm(FlaskForm):
    code = StringField(
        _l("Code"),
        description=_l(
            "Een korte naam voor de uitslagen, zoals hulp_op_tijd. Alleen kleine letters, cijfers "
            "en _. Verander de code niet als u antwoorden wilt vergelijken met eerdere rondes."
        ),
        validators=[DataRequired(_l("Vul een code in.")), Length(max=80)],
        filters=[lambda value: (value or "").strip()],
        render_kw={"class": "input-medium", "spellcheck": "false", "autocomplete": "off"},
    )
    kind = RadioField(
        _l("Soort vraag"),
        choices=choices(KIND_LABELS),
        validators=[DataRequired(_l("Kies het soort vraag."))],
        invalid_choice_message=NOT_A_CHOICE,
    )
    text_nl = _text(_l("Vraag (Nederlands)"), required=_l("Vul de vraag in."), long=True)
    help_nl = _text(
        _l("Uitleg bij de vraag (Nederlands)"),
        long=True,
        description=_l("Staat onder de vraag, in kleinere letters."),
    )
    options = TextAreaField(
        _l("Antwoorden om uit te kiezen"),
        description=_l(
            "Alleen voor ‘één antwoord’ en ‘meer antwoorden’. Eén antwoord per regel: waarde | "
            "Nederlandse tekst. Bijvoorbeeld: ouder | Ouder of verzorger. De waarde staat in de "
            "uitslagen; gebruik kleine letters, cijfers, _ en -. Andere talen vult u in bij "
            "‘Vertalen’."
        ),
        validators=[Length(max=20_000)],
        render_kw={"rows": 6, "spellcheck": "false"},
    )
    is_required = BooleanField(_l("Verplicht: de vraag moet beantwoord worden"), default=True)
    theme_slug = SelectField(
        _l("Thema (knelpunt) dat deze vraag meet"),
        description=_l("Voor de uitslagen per thema en de trend over de rondes."),
        validators=[Optional()],
        invalid_choice_message=NOT_A_CHOICE,
    )
    is_background = BooleanField(
        _l("Achtergrondvraag (zoals rol, leeftijd of gemeente): te gebruiken als filter")
    )
    condition_code = SelectField(
        _l("Alleen tonen als een eerdere vraag …"),
        description=_l("Kies een eerdere vraag met vaste antwoorden. Anders: altijd tonen."),
        validators=[Optional()],
        invalid_choice_message=NOT_A_CHOICE,
    )
    condition_values = StringField(
        _l("… een van deze antwoorden heeft"),
        description=_l(
            "De waarden van die antwoorden, gescheiden door komma's. Bijvoorbeeld: yes. De "
            "waarden staan in de lijst hieronder."
        ),
        validators=[Length(max=2000)],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )

    def __init__(
        self,
        *args: Any,
        earlier: Iterable[SurveyQuestion] = (),
        taken_codes: Iterable[str] = (),
        themes: Iterable[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.earlier = {q.code: q for q in earlier if q.kind in CONDITION_KINDS}
        self.taken_codes = set(taken_codes)
        self.theme_slug.choices = [SelectChoice("", _l("Geen thema"))] + [
            SelectChoice(slug, label) for slug, label in themes
        ]
        self.condition_code.choices = [SelectChoice("", _l("Altijd tonen"))] + [
            SelectChoice(code, f"{code}: {question.label('nl')}")
            for code, question in self.earlier.items()
        ]
        self.parsed_options: list[dict[str, Any]] = []

    def validate_code(self, field: StringField) -> None:
        if not CODE_PATTERN.match(field.data or ""):
            raise ValidationError(
                _l(
                    "Gebruik alleen kleine letters, cijfers en _, en begin met een letter. "
                    "Bijvoorbeeld: hulp_op_tijd."
                )
            )
        if field.data in self.taken_codes:
            raise ValidationError(_l("Een andere vraag heeft deze code al. Kies een andere code."))

    def validate_options(self, field: TextAreaField) -> None:
        self.parsed_options = []
        if self.kind.data in CHOICE_KINDS:
            self.parsed_options = parse_options(field.data)

    def validate_condition_values(self, field: StringField) -> None:
        values = parse_values(field.data)
        source = self.earlier.get(self.condition_code.data or "")
        if source is None:
            if values:
                raise ValidationError(_l("Kies eerst de vraag waar deze antwoorden bij horen."))
            return
        if not values:
            raise ValidationError(_l("Vul minstens één antwoord in, zoals yes."))
        allowed = answering.allowed_values(source)
        unknown = [value for value in values if value not in allowed]
        if unknown:
            raise ValidationError(
                _l(
                    "Deze antwoorden kent de gekozen vraag niet: %(unknown)s. Kies uit: "
                    "%(allowed)s.",
                    unknown=", ".join(unknown),
                    allowed=", ".join(sorted(allowed)),
                )
            )

    def question_data(self) -> QuestionData:
        """The question as typed; call after validation."""
        condition = self.condition_code.data or None
        return QuestionData(
            code=self.code.data or "",
            kind=self.kind.data or "",
            text=dutch(self.text_nl.data),
            is_required=bool(self.is_required.data),
            help=dutch(self.help_nl.data),
            options=self.parsed_options,
            theme_slug=self.theme_slug.data or None,
            is_background=bool(self.is_background.data),
            condition_code=condition,
            condition_values=parse_values(self.condition_values.data) if condition else [],
        )

    def fill_from(self, question: SurveyQuestion) -> None:
        self.code.data = question.code
        self.kind.data = question.kind
        self.text_nl.data = question.text.get("nl", "")
        self.help_nl.data = (question.help or {}).get("nl", "")
        self.options.data = format_options(question.options or [])
        self.is_required.data = question.is_required
        self.theme_slug.data = question.theme_slug or ""
        self.is_background.data = question.is_background
        self.condition_code.data = question.condition_code or ""
        self.condition_values.data = ", ".join(question.condition_values or [])


# --- waves ----------------------------------------------------------------------------------------


class WaveForm(FlaskForm):
    opens_on = _date(
        _l("Eerste dag"),
        _l("Vul de dag in waarop de ronde opent."),
        description=_l("Op deze dag gaat de ronde vanzelf open en gaan de uitnodigingen weg."),
    )
    closes_on = _date(
        _l("Laatste dag"),
        _l("Vul de laatste dag in waarop mensen kunnen invullen."),
        description=_l("Tot en met deze dag kunnen mensen de vragenlijst invullen."),
    )
    invite_pool = BooleanField(
        _l("Nodig mensen uit de poule uit die toestemming gaven voor enquêtes"), default=True
    )
    open_link = BooleanField(_l("Open link met QR-code (voor flyers)"))
    languages = MultiCheckboxField(
        _l("Talen"),
        description=_l(
            "De talen van de vragenlijst waarin mensen kunnen invullen. Een tekst die niet "
            "vertaald is, ziet de invuller in het Nederlands. Welke teksten nog niet vertaald "
            "zijn, ziet u op de pagina van de vragenlijst in die taal."
        ),
        validators=[Optional()],
    )
    recurrence = RadioField(
        _l("Herhalen"),
        description=_l(
            "Na het sluiten plant Participatie de volgende ronde, even lang, zoveel maanden later."
        ),
        choices=choices(RECURRENCE_LABELS),
        default="",
        validate_choice=True,
        invalid_choice_message=NOT_A_CHOICE,
    )

    version = RadioField(
        _l("Welke vragen"),
        description=_l(
            "Meestal de nieuwste: dan krijgt de ronde de vragen zoals ze zijn op de dag dat ze "
            "opengaat, met alle veranderingen tot dan. Kies een vaste versie als de ronde precies "
            "die vragen moet hebben. Een volgende ronde neemt weer de nieuwste versie."
        ),
        default=LATEST_VERSION,
        validate_choice=True,
        invalid_choice_message=NOT_A_CHOICE,
    )

    def __init__(
        self,
        *args: Any,
        today: Any = None,
        versions: Iterable[SurveyVersion] = (),
        languages: Iterable[tuple[str, str]] = (),
        ticked: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        """`languages`: (code, label) of the languages the wave may offer besides Dutch;
        `ticked`: those ticked on a new form."""
        super().__init__(*args, **kwargs)
        self.today = today
        self.languages.choices = [SelectChoice("nl", _l("Nederlands (altijd)"))] + [
            SelectChoice(code, label) for code, label in languages
        ]
        if not self.is_submitted():
            self.languages.data = ["nl", *ticked]
        self.version.choices = [SelectChoice(LATEST_VERSION, _l("De nieuwste versie"))] + [
            SelectChoice(
                str(version.number),
                _l("Altijd versie %(number)s", number=version.number)
                if version.is_frozen
                else _l("Altijd versie %(number)s (nog niet gebruikt)", number=version.number),
            )
            for version in versions
        ]

    def fill_from(self, wave: SurveyWave) -> None:
        self.opens_on.data = wave.opens_on
        self.closes_on.data = wave.closes_on
        self.invite_pool.data = wave.invite_pool
        self.open_link.data = wave.open_link
        self.languages.data = list(wave.languages)
        self.recurrence.data = str(wave.recurrence_months or "")
        self.version.data = str(wave.version.number) if wave.version_pinned else LATEST_VERSION

    def validate_opens_on(self, field: DateField) -> None:
        if field.data is None:
            return
        if field.data.year < 2000 or field.data.year > 2999:
            raise ValidationError(_l("Vul een geldige datum in, zoals 15-03-2027."))
        if self.today is not None and field.data < self.today:
            raise ValidationError(_l("De eerste dag mag niet in het verleden liggen."))

    def validate_closes_on(self, field: DateField) -> None:
        if field.data is None:
            return
        if field.data.year < 2000 or field.data.year > 2999:
            raise ValidationError(_l("Vul een geldige datum in, zoals 15-03-2027."))
        if self.opens_on.data is not None and field.data < self.opens_on.data:
            raise ValidationError(_l("De laatste dag mag niet vóór de eerste dag liggen."))

    def validate_invite_pool(self, field: BooleanField) -> None:
        if not field.data and not self.open_link.data:
            raise ValidationError(
                _l(
                    "Kies hoe mensen de vragenlijst krijgen: een uitnodiging, een open link, of "
                    "allebei."
                )
            )

    def wave_fields(self) -> dict[str, Any]:
        """The arguments of operations.create_wave and update_wave but the version; call after
        validation."""
        return {
            "opens_on": self.opens_on.data,
            "closes_on": self.closes_on.data,
            "invite_pool": bool(self.invite_pool.data),
            "open_link": bool(self.open_link.data),
            "languages": ["nl", *[lang for lang in self.languages.data or [] if lang != "nl"]],
            "recurrence_months": int(self.recurrence.data) if self.recurrence.data else None,
        }

    def pinned_number(self) -> int | None:
        """The version number the ambassador pinned, or None for the latest; after validation."""
        data = self.version.data or LATEST_VERSION
        return None if data == LATEST_VERSION else int(data)
