"""Forms of the theme pages: review decisions, a theme's texts and terms, merge, suggestions.

Indicator terms are typed one per line, optionally with a weight: `wachtlijst` or
`bellen ... terug = 0.4` (the pattern syntax is in `text/matching.py`; "=" never occurs in it).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, Regexp

from ..groupsessions.staff_forms import clean_text
from .models import ReviewDecision
from .operations import DEFAULT_WEIGHT, SLUG_PATTERN

MAX_TERMS = 300
STATUSES = ("open", "done", "all")


class TermsError(ValueError):
    pass


def parse_terms(text: str) -> dict[str, float]:
    """`pattern` or `pattern = weight` per line → {pattern: weight}. Raises TermsError."""
    from .text.matching import Pattern

    terms: dict[str, float] = {}
    for number, raw in enumerate(clean_text(text).split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        pattern, separator, weight_text = line.partition("=")
        pattern = " ".join(pattern.lower().split())
        weight = DEFAULT_WEIGHT
        if separator:
            try:
                weight = float(weight_text.strip().replace(",", "."))
            except ValueError:
                weight = -1.0
            if not 0 < weight <= 1:
                raise TermsError(
                    _l(
                        "Regel %(number)s: het gewicht moet een getal boven 0 en tot en met 1 zijn.",
                        number=number,
                    )
                )
        if len(pattern) > 120:
            raise TermsError(_l("Regel %(number)s is te lang.", number=number))
        try:
            Pattern.parse(pattern)
        except ValueError:
            raise TermsError(
                _l("Regel %(number)s is geen bruikbare term.", number=number)
            ) from None
        terms[pattern] = weight
    if len(terms) > MAX_TERMS:
        raise TermsError(_l("Gebruik hoogstens %(max)s termen per taal.", max=MAX_TERMS))
    return terms


def format_terms(terms: dict[str, float]) -> str:
    return "\n".join(
        pattern if weight == DEFAULT_WEIGHT else f"{pattern} = {weight:g}"
        for pattern, weight in terms.items()
    )


def _terms_valid(form: FlaskForm, field: Any) -> None:
    try:
        field.parsed = parse_terms(field.data or "")
    except TermsError as error:
        from wtforms.validators import ValidationError

        raise ValidationError(str(error.args[0])) from None


TERMS_HINT = _l(
    "Eén term per regel, in de grondvorm (bijvoorbeeld ‘wachtlijst’ of ‘vast contactpersoon’). "
    "Zet er ‘= 0,4’ achter voor een zwakke term die alleen telt samen met andere."
)


class ThemeForm(FlaskForm):
    label_nl = StringField(_l("Naam (Nederlands)"), validators=[DataRequired(), Length(max=200)])
    label_en = StringField(_l("Naam (Engels)"), validators=[Optional(), Length(max=200)])
    description_nl = TextAreaField(
        _l("Omschrijving (Nederlands)"), validators=[Optional(), Length(max=500)]
    )
    description_en = TextAreaField(
        _l("Omschrijving (Engels)"), validators=[Optional(), Length(max=500)]
    )
    terms_nl = TextAreaField(
        _l("Termen in Nederlandse antwoorden"),
        description=TERMS_HINT,
        validators=[Optional(), _terms_valid],
    )
    terms_en = TextAreaField(
        _l("Termen in Engelse antwoorden"),
        description=TERMS_HINT,
        validators=[Optional(), _terms_valid],
    )

    def terms(self) -> dict[str, dict[str, float]]:
        return {
            "nl": getattr(self.terms_nl, "parsed", None) or parse_terms(self.terms_nl.data or ""),
            "en": getattr(self.terms_en, "parsed", None) or parse_terms(self.terms_en.data or ""),
        }


class NewThemeForm(ThemeForm):
    slug = StringField(
        _l("Korte code"),
        description=_l(
            "Kleine letters, cijfers en liggende streepjes, bijvoorbeeld ‘wachttijd_rechter’. "
            "De code verandert nooit meer."
        ),
        validators=[
            DataRequired(),
            Length(max=40),
            Regexp(SLUG_PATTERN.pattern, message=_l("Gebruik kleine letters, cijfers en _.")),
        ],
    )


class MergeForm(FlaskForm):
    target = SelectField(
        _l("Samenvoegen met"),
        coerce=int,
        validators=[InputRequired(message=_l("Kies het thema waarin dit thema opgaat."))],
    )


class ConfirmForm(FlaskForm):
    """A button that changes state: only the CSRF token counts."""


class ReviewForm(FlaskForm):
    theme = StringField(validators=[DataRequired(), Length(max=40)])
    decision = HiddenField(validators=[AnyOf([d.value for d in ReviewDecision])])
    # Where to go back to: the filters of the list the decision was made on.
    back_wave = HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$")])
    back_theme = HiddenField(validators=[Optional(), Length(max=40)])
    back_status = HiddenField(validators=[Optional(), AnyOf(STATUSES)])
    back_page = HiddenField(validators=[Optional(), Regexp(r"^\d{1,6}$")])


class SuggestionForm(FlaskForm):
    lemmas = HiddenField(
        validators=[DataRequired(), Length(max=120), Regexp(r"^[^\W\d_]+( [^\W\d_]+){1,2}$")]
    )
    phrase = HiddenField(validators=[DataRequired(), Length(max=120)])
    language = HiddenField(validators=[AnyOf(["nl", "en"])])
