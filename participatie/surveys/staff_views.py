"""Staff pages for surveys: templates, the question builder, preview, and waves.

Texts are typed in Dutch with the question; every other language of the template on the same
pages with `?taal=<code>` (the language chooser): one field per Dutch text, the Dutch beside it.

Only cliëntambassadeurs and administrators. Every POST validates its form (CSRF included), calls
one operation, commits, flashes and redirects with 303. The wave page shows how far a wave is
(invitations sent and used, responses released) with the results' small-number protection
(`queries.participation`, DESIGN invariant 2) — never anything per person, and never how many
answers wait to be released (that would show when people answered).
"""

from __future__ import annotations

import io
from typing import Any

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select

from ..auth.access import roles_required
from ..auth.models import Role
from ..db import db
from ..i18n import (
    LANGUAGE_LABELS,
    current_locale,
    has_interface,
    in_order,
    interface_language,
    language_label,
)
from ..mail import external_url
from . import answering, builder, operations, queries, translations
from .builder import BuilderError
from .models import (
    QuestionKind,
    SurveyQuestion,
    SurveySection,
    SurveyTemplate,
    SurveyVersion,
    SurveyWave,
    WaveStatus,
)
from .results import shown_count
from .staff_forms import (
    AUDIENCE_LABELS,
    KIND_LABELS,
    RECURRENCE_LABELS,
    STATUS_LABELS,
    ConfirmForm,
    MoveForm,
    NewTemplateForm,
    QuestionForm,
    SectionForm,
    TemplateTextsForm,
    Translatable,
    TranslationForm,
    WaveForm,
    dutch,
    translation_form,
)

bp = Blueprint("surveys_staff", __name__, url_prefix="/enquetes")

staff = roles_required(Role.AMBASSADEUR, Role.BEHEERDER)


# --- small helpers ---------------------------------------------------------------------------------


def _to_template(template: SurveyTemplate | int) -> Any:
    template_id = template if isinstance(template, int) else template.id
    return redirect(url_for("surveys_staff.template", template_id=template_id), code=303)


def _to_wave(wave: SurveyWave) -> Any:
    return redirect(url_for("surveys_staff.wave", wave_id=wave.id), code=303)


def _status() -> int:
    return 200 if request.method == "GET" else 400


def _labels() -> dict[str, Any]:
    return {
        "kind": KIND_LABELS,
        "audience": AUDIENCE_LABELS,
        "status": STATUS_LABELS,
        "recurrence": {int(key): label for key, label in RECURRENCE_LABELS.items() if key},
        "language": LANGUAGE_LABELS,
    }


def _render(page: str, status: int = 200, **context: Any) -> Any:
    return render_template(f"surveys/{page}", labels=_labels(), **context), status


# --- languages -------------------------------------------------------------------------------------


def _languages(template: SurveyTemplate) -> list[str]:
    """The template's languages that are (still) configured, Dutch first."""
    return in_order(template.languages or ["nl"])


def _language(template: SurveyTemplate) -> str:
    """The language a page shows the texts in (`?taal=`): one of the template's, else Dutch."""
    chosen = request.args.get("taal")
    return chosen if isinstance(chosen, str) and chosen in _languages(template) else "nl"


def _language_links(
    template: SurveyTemplate, current: str, endpoint: str, **values: Any
) -> list[dict[str, Any]]:
    """The language chooser of a builder page: the same page in each of the template's
    languages, with how many texts each still lacks."""
    covered = translations.coverages(template, template.latest_version, _languages(template))
    return [
        {
            "code": code,
            "label": language_label(code),
            "url": url_for(endpoint, **values, **({"taal": code} if code != "nl" else {})),
            "current": code == current,
            "coverage": covered.get(code),
        }
        for code in _languages(template)
    ]


def _name(code: str) -> str:
    """A language's name in the interface language, e.g. "Arabisch"."""
    return str(LANGUAGE_LABELS.get(code, code))


def _language_error(template: SurveyTemplate) -> Any:
    flash(
        _("Deze taal heeft de vragenlijst niet (meer). Kies een van de talen hieronder."), "error"
    )
    return _to_template(template)


def _translate(
    items: list[Translatable], language: str, page: str, **context: Any
) -> tuple[TranslationForm, Any]:
    """The form with `items` in `language`, and how to show it (None when it was sent and is
    valid: the caller saves)."""
    form = translation_form(language, items)
    if form.validate_on_submit():
        return form, None
    return form, _render(page, _status(), form=form, language=language, **context)


def _theme_choices(current: str | None = None) -> list[tuple[str, str]]:
    """(slug, Dutch label) of the active codebook; a theme no longer active stays choosable for
    the question that has it."""
    from ..themes.queries import active_codebook

    themes = [(spec.slug, spec.label_nl) for spec in active_codebook()]
    if current and current not in {slug for slug, _label in themes}:
        themes.append((current, _("%(slug)s (niet meer actief)", slug=current)))
    return themes


def _builder_message(error: BuilderError) -> str:
    codes = ", ".join(error.codes)
    if error.reason == "stale":
        return _(
            "Deze vragenlijst is intussen veranderd. Kijk de vragen opnieuw na en probeer het "
            "nog eens."
        )
    if error.reason == "code_taken":
        return _("Een andere vraag heeft deze code al. Kies een andere code.")
    if error.reason == "condition_invalid":
        return _(
            "De voorwaarde klopt niet. Kies een eerdere vraag met vaste antwoorden, en antwoorden "
            "die bij die vraag horen."
        )
    if error.reason == "condition_order":
        return _(
            "Dat kan niet: dan komt een vraag vóór de vraag waar haar voorwaarde naar kijkt "
            "(%(codes)s). Pas eerst die voorwaarde aan.",
            codes=codes,
        )
    return _(
        "Dat kan niet: deze vragen hebben een voorwaarde die hiervan afhangt: %(codes)s. Pas eerst "
        "die voorwaarden aan.",
        codes=codes,
    )


def _is_latest(version: SurveyVersion) -> bool:
    return version is version.template.latest_version


def _stale(template_id: int) -> Any:
    flash(_builder_message(BuilderError("stale")), "error")
    return _to_template(template_id)


def condition_words(question: SurveyQuestion, by_code: dict[str, SurveyQuestion]) -> str:
    """A question's condition in words, for staff (Dutch labels)."""
    if not question.condition_code:
        return ""
    source = by_code.get(question.condition_code)
    if source is None:
        return _(
            "Alleen tonen na vraag %(code)s, maar die vraag is er niet meer.",
            code=question.condition_code,
        )
    labels = {option.value: option.label for option in answering.options_for(source, "nl")}
    answers = _(" of ").join(
        f"‘{labels.get(value, value)}’" for value in question.condition_values or []
    )
    return _(
        "Alleen tonen als bij %(code)s (‘%(question)s’) is gekozen: %(answers)s.",
        code=source.code,
        question=source.label("nl"),
        answers=answers,
    )


def open_link(wave: SurveyWave) -> str:
    """The wave's open link as printed on flyers: built on PUBLIC_BASE_URL, not on the address
    this page happens to be served from."""
    return external_url("surveys.start", key=wave.public_key)


# --- overview and templates ------------------------------------------------------------------------


@bp.get("/")
@staff
def templates() -> Any:
    all_templates = db.session.scalars(select(SurveyTemplate).order_by(SurveyTemplate.id)).all()
    wave_counts = dict(
        db.session.execute(
            select(SurveyWave.template_id, func.count()).group_by(SurveyWave.template_id)
        ).all()
    )
    waves = db.session.scalars(
        select(SurveyWave).order_by(SurveyWave.opens_on.desc(), SurveyWave.id.desc())
    ).all()
    return _render(
        "staff_templates.html",
        templates=[template for template in all_templates if not template.is_archived],
        archived=[template for template in all_templates if template.is_archived],
        wave_counts=wave_counts,
        waves=waves,
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@staff
def create_template() -> Any:
    form = NewTemplateForm()
    if form.validate_on_submit():
        template = builder.create_template(
            current_user,
            title=dutch(form.title_nl.data),
            audience=form.audience.data or "",
            languages=form.chosen_languages(),
        )
        db.session.commit()
        flash(_("De vragenlijst is gemaakt. Voeg nu onderdelen en vragen toe."), "success")
        return _to_template(template)
    return _render("staff_template_new.html", _status(), form=form)


@bp.get("/sjablonen/<int:template_id>")
@staff
def template(template_id: int) -> Any:
    survey = db.get_or_404(SurveyTemplate, template_id)
    version = survey.latest_version
    by_code = {question.code: question for question in version.questions}
    waves = db.session.scalars(
        select(SurveyWave).where(SurveyWave.template_id == survey.id).order_by(SurveyWave.number)
    ).all()
    language = _language(survey)
    return _render(
        "staff_template.html",
        template=survey,
        version=version,
        conditions={code: condition_words(q, by_code) for code, q in by_code.items()},
        waves=waves,
        theme_labels=dict(_theme_choices()),
        language=language,
        language_links=_language_links(
            survey, language, "surveys_staff.template", template_id=survey.id
        ),
    )


@bp.route("/sjablonen/<int:template_id>/teksten", methods=["GET", "POST"])
@staff
def edit_texts(template_id: int) -> Any:
    survey = db.get_or_404(SurveyTemplate, template_id)
    language = _language(survey)
    links = _language_links(survey, language, "surveys_staff.edit_texts", template_id=survey.id)
    if language != "nl":
        return _translate_texts(survey, language, links)
    form = TemplateTextsForm()
    if request.method == "GET":
        form.fill_from(survey)
    if form.validate_on_submit():
        builder.update_template(
            current_user,
            survey,
            title=dutch(form.title_nl.data),
            description=dutch(form.description_nl.data),
            feedback_text=dutch(form.feedback_nl.data),
            audience=form.audience.data or "",
            estimated_minutes=form.estimated_minutes.data or 10,
            languages=form.chosen_languages(),
        )
        db.session.commit()
        flash(_("De teksten zijn opgeslagen."), "success")
        return _to_template(survey)
    return _render("staff_texts.html", _status(), form=form, template=survey, language_links=links)


def _answer_items(survey: SurveyTemplate, language: str) -> dict[str, Translatable]:
    """The worded fixed answers the latest version asks, by key, in a language the app has no
    translation of (in an interface language the app's own translation is used)."""
    if has_interface(language):
        return {}
    dutch_labels = {
        answering.answer_label_key(kind, value): label
        for kind, options in answering.WORDED_OPTIONS.items()
        for value, label in options
    }
    kinds = {
        QuestionKind.AGREEMENT.value: _("Eens of oneens"),
        QuestionKind.YESNO.value: _("Ja of nee"),
    }
    labels = survey.answer_labels or {}
    items = {}
    for number, key in enumerate(translations.used_answer_keys(survey.latest_version)):
        with force_locale("nl"):
            source = str(dutch_labels[key])
        kind = key.split(":", 1)[0]
        place = sum(1 for other in items if other.startswith(f"{kind}:")) + 1
        items[key] = Translatable(
            name=f"answer_{number}",
            label=_("%(kind)s: antwoord %(number)s", kind=kinds[kind], number=place),
            dutch=source,
            current=labels.get(key, {}).get(language, ""),
        )
    return items


def _translate_texts(survey: SurveyTemplate, language: str, links: list[dict[str, Any]]) -> Any:
    items = [
        Translatable(
            "title", _("Titel"), survey.title.get("nl", ""), survey.title.get(language, "")
        ),
        Translatable(
            "description",
            _("Uitleg vooraf"),
            (survey.description or {}).get("nl", ""),
            (survey.description or {}).get(language, ""),
            long=True,
        ),
        Translatable(
            "feedback",
            _("Wat we met eerdere antwoorden deden"),
            (survey.feedback_text or {}).get("nl", ""),
            (survey.feedback_text or {}).get(language, ""),
            long=True,
        ),
    ]
    answers = _answer_items(survey, language)
    form, page = _translate(
        [item for item in items if item.dutch or item.current] + list(answers.values()),
        language,
        "staff_texts_translate.html",
        template=survey,
        language_links=links,
        answer_names=[item.name for item in answers.values()],
        interface=_name(interface_language(language)),
    )
    if page is not None:
        return page
    typed = form.typed()
    try:
        builder.translate_template(
            current_user,
            survey,
            language,
            title=typed.get("title", ""),
            description=typed.get("description", ""),
            feedback_text=typed.get("feedback", ""),
            answer_labels={key: typed[item.name] for key, item in answers.items()},
        )
    except BuilderError:  # the language was taken off meanwhile
        db.session.rollback()
        return _language_error(db.get_or_404(SurveyTemplate, survey.id))
    db.session.commit()
    flash(_("De teksten in het %(language)s zijn opgeslagen.", language=_name(language)), "success")
    return redirect(url_for("surveys_staff.template", template_id=survey.id, taal=language), 303)


@bp.route("/sjablonen/<int:template_id>/archiveren", methods=["GET", "POST"])
@staff
def archive_template(template_id: int) -> Any:
    survey = db.get_or_404(SurveyTemplate, template_id)
    if survey.is_archived:
        flash(_("Deze vragenlijst is al gearchiveerd."), "error")
        return _to_template(survey)
    form = ConfirmForm()
    planned = builder.planned_waves(survey)
    if form.validate_on_submit() and not planned:
        try:
            builder.archive_template(current_user, survey)
        except BuilderError:  # a wave was planned meanwhile: the page lists it now
            db.session.rollback()
            return redirect(url_for("surveys_staff.archive_template", template_id=template_id))
        db.session.commit()
        flash(_("De vragenlijst is gearchiveerd."), "success")
        return _to_template(template_id)
    waves = db.session.scalars(
        select(SurveyWave).where(SurveyWave.template_id == survey.id).order_by(SurveyWave.number)
    ).all()
    return _render(
        "staff_template_archive.html",
        template=survey,
        form=form,
        planned=planned,
        open_waves=[wave for wave in waves if wave.is_open],
        recurring=[wave for wave in waves if wave.recurrence_months and not wave.next_wave_planned],
    )


@bp.post("/sjablonen/<int:template_id>/terugzetten")
@staff
def restore_template(template_id: int) -> Any:
    survey = db.get_or_404(SurveyTemplate, template_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not survey.is_archived:
        flash(_("Deze vragenlijst is niet gearchiveerd."), "error")
        return _to_template(survey)
    builder.restore_template(current_user, survey)
    db.session.commit()
    flash(_("De vragenlijst is teruggezet. U kunt weer rondes plannen."), "success")
    return _to_template(survey)


@bp.get("/sjablonen/<int:template_id>/voorbeeld")
@staff
def preview(template_id: int) -> Any:
    survey = db.get_or_404(SurveyTemplate, template_id)
    locale = _language(survey)
    version = survey.latest_version
    by_code = {question.code: question for question in version.questions}
    conditions = {code: condition_words(q, by_code) for code, q in by_code.items()}
    # The questionnaire as the respondent sees it: its texts in `locale`, the fixed texts in
    # the interface language a respondent gets with it (English for Arabic).
    outer_language = current_locale()
    with force_locale(interface_language(locale)):
        body = render_template(
            "surveys/staff_preview_body.html",
            template=survey,
            version=version,
            locale=locale,
            outer_language=outer_language,
            conditions=conditions,
        )
    return _render(
        "staff_preview.html",
        template=survey,
        locale=locale,
        language_links=_language_links(
            survey, locale, "surveys_staff.preview", template_id=survey.id
        ),
        body=Markup(body),  # noqa: S704 - rendered by our own autoescaping template
    )


# --- sections --------------------------------------------------------------------------------------


def _section_texts(form: SectionForm) -> dict[str, dict[str, str]]:
    return {"title": dutch(form.title_nl.data), "intro": dutch(form.intro_nl.data)}


@bp.route("/sjablonen/<int:template_id>/onderdelen/nieuw", methods=["GET", "POST"])
@staff
def add_section(template_id: int) -> Any:
    survey = db.get_or_404(SurveyTemplate, template_id)
    form = SectionForm()
    if form.validate_on_submit():
        builder.add_section(current_user, survey, **_section_texts(form))
        db.session.commit()
        flash(_("Het onderdeel is toegevoegd."), "success")
        return _to_template(survey)
    return _render("staff_section_form.html", _status(), form=form, template=survey)


@bp.route("/onderdelen/<int:section_id>/bewerken", methods=["GET", "POST"])
@staff
def edit_section(section_id: int) -> Any:
    section = db.get_or_404(SurveySection, section_id)
    survey = section.version.template
    if not _is_latest(section.version):
        return _stale(survey.id)
    language = _language(survey)
    links = _language_links(survey, language, "surveys_staff.edit_section", section_id=section.id)
    if language != "nl":
        return _translate_section(section, language, links)
    form = SectionForm()
    if request.method == "GET":
        form.title_nl.data = section.title.get("nl", "")
        form.intro_nl.data = (section.intro or {}).get("nl", "")
    if form.validate_on_submit():
        builder.update_section(current_user, section, **_section_texts(form))
        db.session.commit()
        flash(_("Het onderdeel is opgeslagen."), "success")
        return _to_template(survey)
    return _render(
        "staff_section_form.html",
        _status(),
        form=form,
        template=survey,
        section=section,
        language_links=links,
    )


def _translated(template_id: int, language: str) -> Any:
    flash(_("De teksten in het %(language)s zijn opgeslagen.", language=_name(language)), "success")
    return redirect(url_for("surveys_staff.template", template_id=template_id, taal=language), 303)


def _translate_section(section: SurveySection, language: str, links: list[dict[str, Any]]) -> Any:
    survey = section.version.template
    intro = section.intro or {}
    items = [
        Translatable(
            "title", _("Titel"), section.title.get("nl", ""), section.title.get(language, "")
        ),
        Translatable(
            "intro", _("Inleiding"), intro.get("nl", ""), intro.get(language, ""), long=True
        ),
    ]
    form, page = _translate(
        [item for item in items if item.dutch or item.current],
        language,
        "staff_translate.html",
        template=survey,
        section=section,
        question=None,
        language_links=links,
    )
    if page is not None:
        return page
    typed = form.typed()
    try:
        builder.translate_section(
            current_user,
            section,
            language,
            title=typed.get("title", ""),
            intro=typed.get("intro", ""),
        )
    except BuilderError as error:
        db.session.rollback()
        if error.reason == "stale":
            return _stale(survey.id)
        return _language_error(db.get_or_404(SurveyTemplate, survey.id))
    db.session.commit()
    return _translated(survey.id, language)


@bp.post("/onderdelen/<int:section_id>/verplaatsen")
@staff
def move_section(section_id: int) -> Any:
    section = db.get_or_404(SurveySection, section_id)
    template_id = section.version.template_id
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        builder.move_section(current_user, section, form.direction.data or "")
    except BuilderError as error:
        db.session.rollback()
        flash(_builder_message(error), "error")
    else:
        db.session.commit()
        flash(_("Het onderdeel is verplaatst."), "success")
    return _to_template(template_id)


@bp.route("/onderdelen/<int:section_id>/verwijderen", methods=["GET", "POST"])
@staff
def delete_section(section_id: int) -> Any:
    section = db.get_or_404(SurveySection, section_id)
    template_id = section.version.template_id
    if not _is_latest(section.version):
        return _stale(template_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            builder.delete_section(current_user, section)
        except BuilderError as error:
            db.session.rollback()
            flash(_builder_message(error), "error")
        else:
            db.session.commit()
            flash(_("Het onderdeel en zijn vragen zijn verwijderd."), "success")
        return _to_template(template_id)
    codes = {question.code for question in section.questions}
    blocking = [
        question
        for question in section.version.questions
        if question.condition_code in codes and question.section is not section
    ]
    return _render(
        "staff_delete.html",
        template=section.version.template,
        form=form,
        section=section,
        question=None,
        blocking=blocking,
    )


# --- questions -------------------------------------------------------------------------------------


def _question_form(
    version: SurveyVersion, section: SurveySection, question: SurveyQuestion | None = None
) -> QuestionForm:
    """The form with the questions a condition may point at: for a new question all questions
    up to the end of its section, for an existing one those before it."""
    questions = version.questions
    if question is not None:
        earlier = questions[: questions.index(question)]
        taken = {q.code for q in questions if q is not question}
        current_theme = question.theme_slug
    else:
        last = version.sections.index(section)
        earlier = [q for s in version.sections[: last + 1] for q in s.questions]
        taken = {q.code for q in questions}
        current_theme = None
    return QuestionForm(earlier=earlier, taken_codes=taken, themes=_theme_choices(current_theme))


def _condition_sources(form: QuestionForm) -> list[tuple[SurveyQuestion, list[Any]]]:
    return [(q, answering.options_for(q, "nl")) for q in form.earlier.values()]


def _builder_error_on_form(form: QuestionForm, error: BuilderError) -> None:
    message = _builder_message(error)
    if error.reason == "code_taken":
        form.code.errors.append(message)
    elif error.reason == "condition_invalid":
        form.condition_values.errors.append(message)
    elif form.kind.data in builder.CHOICE_KINDS:
        form.options.errors.append(message)
    else:
        form.kind.errors.append(message)


@bp.route("/onderdelen/<int:section_id>/vragen/nieuw", methods=["GET", "POST"])
@staff
def add_question(section_id: int) -> Any:
    section = db.get_or_404(SurveySection, section_id)
    version = section.version
    if not _is_latest(version):
        return _stale(version.template_id)
    form = _question_form(version, section)
    if form.validate_on_submit():
        try:
            builder.add_question(current_user, section, form.question_data())
        except BuilderError as error:
            db.session.rollback()
            section = db.get_or_404(SurveySection, section_id)
            _builder_error_on_form(form, error)
        else:
            db.session.commit()
            flash(_("De vraag is toegevoegd."), "success")
            return _to_template(version.template_id)
    return _render(
        "staff_question_form.html",
        _status(),
        form=form,
        template=section.version.template,
        section=section,
        question=None,
        sources=_condition_sources(form),
    )


@bp.route("/vragen/<int:question_id>/bewerken", methods=["GET", "POST"])
@staff
def edit_question(question_id: int) -> Any:
    question = db.get_or_404(SurveyQuestion, question_id)
    version = question.section.version
    if not _is_latest(version):
        return _stale(version.template_id)
    language = _language(version.template)
    links = _language_links(
        version.template, language, "surveys_staff.edit_question", question_id=question.id
    )
    if language != "nl":
        return _translate_question(question, language, links)
    form = _question_form(version, question.section, question)
    if request.method == "GET":
        form.fill_from(question)
    if form.validate_on_submit():
        try:
            builder.update_question(current_user, question, form.question_data())
        except BuilderError as error:
            db.session.rollback()
            question = db.get_or_404(SurveyQuestion, question_id)
            _builder_error_on_form(form, error)
        else:
            db.session.commit()
            flash(_("De vraag is opgeslagen."), "success")
            return _to_template(version.template_id)
    return _render(
        "staff_question_form.html",
        _status(),
        form=form,
        template=question.section.version.template,
        section=question.section,
        question=question,
        sources=_condition_sources(form),
        language_links=links,
    )


def _translate_question(
    question: SurveyQuestion, language: str, links: list[dict[str, Any]]
) -> Any:
    survey = question.section.version.template
    help_texts = question.help or {}
    items = [
        Translatable(
            "text",
            _("Vraag"),
            question.text.get("nl", ""),
            question.text.get(language, ""),
            long=True,
        ),
        Translatable(
            "help",
            _("Uitleg bij de vraag"),
            help_texts.get("nl", ""),
            help_texts.get(language, ""),
            long=True,
        ),
    ]
    options = {}
    for number, option in enumerate(question.options or [], start=1):
        label = option.get("label") or {}
        # Named by value, not by place: an option added or moved meanwhile gets no other's text.
        options[str(option["value"])] = Translatable(
            f"option-{option['value']}",
            _("Antwoord %(number)s", number=number),
            label.get("nl", ""),
            label.get(language, ""),
        )
    form, page = _translate(
        [item for item in items if item.dutch or item.current] + list(options.values()),
        language,
        "staff_translate.html",
        template=survey,
        section=question.section,
        question=question,
        language_links=links,
    )
    if page is not None:
        return page
    typed = form.typed()
    try:
        builder.translate_question(
            current_user,
            question,
            language,
            text=typed.get("text", ""),
            help=typed.get("help", ""),
            option_labels={value: typed[item.name] for value, item in options.items()},
        )
    except BuilderError as error:
        db.session.rollback()
        if error.reason == "stale":
            return _stale(survey.id)
        return _language_error(db.get_or_404(SurveyTemplate, survey.id))
    db.session.commit()
    return _translated(survey.id, language)


@bp.post("/vragen/<int:question_id>/verplaatsen")
@staff
def move_question(question_id: int) -> Any:
    question = db.get_or_404(SurveyQuestion, question_id)
    template_id = question.section.version.template_id
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        builder.move_question(current_user, question, form.direction.data or "")
    except BuilderError as error:
        db.session.rollback()
        flash(_builder_message(error), "error")
    else:
        db.session.commit()
        flash(_("De vraag is verplaatst."), "success")
    return _to_template(template_id)


@bp.route("/vragen/<int:question_id>/verwijderen", methods=["GET", "POST"])
@staff
def delete_question(question_id: int) -> Any:
    question = db.get_or_404(SurveyQuestion, question_id)
    template_id = question.section.version.template_id
    if not _is_latest(question.section.version):
        return _stale(template_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            builder.delete_question(current_user, question)
        except BuilderError as error:
            db.session.rollback()
            flash(_builder_message(error), "error")
        else:
            db.session.commit()
            flash(_("De vraag is verwijderd."), "success")
        return _to_template(template_id)
    return _render(
        "staff_delete.html",
        template=question.section.version.template,
        form=form,
        section=None,
        question=question,
        blocking=builder.dependants(question),
    )


# --- waves -----------------------------------------------------------------------------------------


def _wave_languages(
    template: SurveyTemplate, wave: SurveyWave | None = None
) -> dict[str, translations.Coverage]:
    """The languages a wave of the template may offer besides Dutch — the template's, and those
    the wave offers already — with what each lacks in the questions the wave would get."""
    version = wave.version if wave is not None else template.latest_version
    if wave is None or (wave.status == WaveStatus.DRAFT.value and not wave.version_pinned):
        version = _latest_with_questions(template) or version  # what opening will take
    codes = in_order([*_languages(template), *(wave.languages if wave is not None else [])])
    return translations.coverages(template, version, codes)


def _latest_with_questions(template: SurveyTemplate) -> SurveyVersion | None:
    versions = operations.versions_with_questions(template)
    return versions[-1] if versions else None


def _coverage_label(coverage: translations.Coverage) -> str:
    name = language_label(coverage.language)
    if coverage.complete:
        return name
    return _(
        "%(language)s – %(missing)s van %(total)s teksten nog niet vertaald",
        language=name,
        missing=coverage.missing,
        total=coverage.total,
    )


def _wave_form(template: SurveyTemplate, wave: SurveyWave | None = None) -> WaveForm:
    covered = _wave_languages(template, wave)
    return WaveForm(
        today=operations.today(),
        versions=operations.versions_with_questions(template),
        languages=[(code, _coverage_label(coverage)) for code, coverage in covered.items()],
        ticked=[code for code, coverage in covered.items() if not coverage.empty],
    )


def _warn_untranslated(wave: SurveyWave) -> None:
    """Say which of the wave's languages still show Dutch texts, and how many."""
    covered = _wave_languages(wave.template, wave)
    for code in wave.languages:
        coverage = covered.get(code)
        if coverage is not None and not coverage.complete:
            flash(
                _(
                    "Let op: in het %(language)s zijn %(missing)s van de %(total)s teksten nog "
                    "niet vertaald. Wie de vragenlijst in het %(language)s invult, ziet daar de "
                    "Nederlandse tekst.",
                    language=_name(code),
                    missing=coverage.missing,
                    total=coverage.total,
                ),
                "warning",
            )


@bp.app_template_global("wave_language_coverage")
def wave_language_coverage(wave: SurveyWave) -> list[tuple[str, translations.Coverage | None]]:
    """The wave's languages with what each lacks, for its staff page."""
    covered = _wave_languages(wave.template, wave)
    return [(code, covered.get(code)) for code in wave.languages]


def _pinned_version(form: WaveForm, template: SurveyTemplate) -> SurveyVersion | None:
    number = form.pinned_number()
    if number is None:
        return None
    return next(version for version in template.versions if version.number == number)


def _wave_error(form: WaveForm, error: operations.SurveyError) -> None:
    if error.reason == "closes_before_opening":
        form.closes_on.errors.append(_("De laatste dag mag niet vóór de eerste dag liggen."))
    elif error.reason == "archived":  # archived by someone else meanwhile
        form.form_errors.append(
            _("Deze vragenlijst is gearchiveerd. Zet haar eerst terug om een ronde te plannen.")
        )
    else:
        form.version.errors.append(_("Kies een versie die vragen heeft."))


@bp.route("/sjablonen/<int:template_id>/ronde", methods=["GET", "POST"])
@staff
def create_wave(template_id: int) -> Any:
    survey = db.get_or_404(SurveyTemplate, template_id)
    if survey.is_archived:
        flash(
            _("Deze vragenlijst is gearchiveerd. Zet haar eerst terug om een ronde te plannen."),
            "error",
        )
        return _to_template(survey)
    has_questions = bool(operations.versions_with_questions(survey))
    form = _wave_form(survey)
    if not has_questions and request.method == "POST":
        flash(_("Deze vragenlijst heeft nog geen vragen. Voeg eerst vragen toe."), "error")
        return _to_template(survey)
    if form.validate_on_submit():
        try:
            wave = operations.create_wave(
                current_user,
                survey,
                **form.wave_fields(),
                version=_pinned_version(form, survey),
            )
        except operations.SurveyError as error:
            db.session.rollback()
            survey = db.get_or_404(SurveyTemplate, template_id)
            _wave_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "De ronde is gepland. Ze gaat vanzelf open op de eerste dag. U kunt haar ook "
                    "nu al openen."
                ),
                "success",
            )
            _warn_untranslated(wave)
            return _to_wave(wave)
    return _render(
        "staff_wave_form.html",
        400 if request.method == "POST" else 200,
        form=form,
        template=survey,
        wave=None,
        has_questions=has_questions,
    )


def _planned_or_back(wave: SurveyWave) -> Any:
    """None for a planned wave; otherwise the way back to its page with a message."""
    if wave.status == WaveStatus.DRAFT.value:
        return None
    flash(
        _("Deze ronde is al open of gesloten. Alleen een geplande ronde kan nog veranderen."),
        "error",
    )
    return _to_wave(wave)


@bp.route("/rondes/<int:wave_id>/wijzigen", methods=["GET", "POST"])
@staff
def edit_wave(wave_id: int) -> Any:
    survey_wave = db.get_or_404(SurveyWave, wave_id)
    back = _planned_or_back(survey_wave)
    if back is not None:
        return back
    survey = survey_wave.template
    form = _wave_form(survey, survey_wave)
    if request.method == "GET":
        form.fill_from(survey_wave)
    if form.validate_on_submit():
        try:
            changed = operations.update_wave(
                current_user,
                survey_wave,
                **form.wave_fields(),
                version=_pinned_version(form, survey),
            )
        except operations.SurveyError as error:
            db.session.rollback()
            survey_wave = db.get_or_404(SurveyWave, wave_id)
            if error.reason == "not_planned":
                return _planned_or_back(survey_wave)
            survey = survey_wave.template
            _wave_error(form, error)
        else:
            db.session.commit()
            flash(
                _("De ronde is gewijzigd.") if changed else _("Er was niets veranderd."),
                "success",
            )
            _warn_untranslated(survey_wave)
            return _to_wave(survey_wave)
    return _render(
        "staff_wave_form.html",
        _status(),
        form=form,
        template=survey,
        wave=survey_wave,
        has_questions=True,
    )


@bp.route("/rondes/<int:wave_id>/annuleren", methods=["GET", "POST"])
@staff
def cancel_wave(wave_id: int) -> Any:
    survey_wave = db.get_or_404(SurveyWave, wave_id)
    back = _planned_or_back(survey_wave)
    if back is not None:
        return back
    template_id = survey_wave.template_id
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            operations.cancel_wave(current_user, survey_wave)
        except operations.SurveyError:
            db.session.rollback()
            return _planned_or_back(db.get_or_404(SurveyWave, wave_id))
        db.session.commit()
        flash(_("De geplande ronde is geannuleerd."), "success")
        return _to_template(template_id)
    return _render("staff_wave_cancel.html", wave=survey_wave, form=form)


@bp.route("/rondes/<int:wave_id>/herhaling-stoppen", methods=["GET", "POST"])
@staff
def stop_recurrence(wave_id: int) -> Any:
    survey_wave = db.get_or_404(SurveyWave, wave_id)
    if survey_wave.recurrence_months and survey_wave.next_wave_planned:
        flash(
            _(
                "De volgende ronde is al gepland. Stop de herhaling bij die ronde, of annuleer haar."
            ),
            "error",
        )
        return _to_wave(survey_wave)
    if not survey_wave.recurrence_months:
        flash(_("Na deze ronde wordt geen nieuwe ronde meer gepland."), "error")
        return _to_wave(survey_wave)
    form = ConfirmForm()
    if form.validate_on_submit():
        operations.stop_recurrence(current_user, survey_wave)
        db.session.commit()
        flash(_("De herhaling is gestopt. Na deze ronde komt er geen nieuwe."), "success")
        return _to_wave(survey_wave)
    return _render("staff_wave_stop.html", wave=survey_wave, form=form)


def _mail_hours() -> dict[str, int]:
    config = current_app.config
    return {"start": config["SURVEY_MAIL_FROM_HOUR"], "end": config["SURVEY_MAIL_UNTIL_HOUR"]}


def _can_remind(wave: SurveyWave) -> bool:
    return wave.is_open and wave.invite_pool and wave.reminders_sent < 2


@bp.get("/rondes/<int:wave_id>")
@staff
def wave(wave_id: int) -> Any:
    survey_wave = db.get_or_404(SurveyWave, wave_id)
    results_url = None
    if "survey_results.wave" in current_app.view_functions:
        results_url = url_for("survey_results.wave", wave_id=survey_wave.id)
    next_wave = None
    if survey_wave.next_wave_planned:
        next_wave = db.session.scalar(
            select(SurveyWave)
            .where(
                SurveyWave.template_id == survey_wave.template_id,
                SurveyWave.number > survey_wave.number,
            )
            .order_by(SurveyWave.number)
            .limit(1)
        )
    return _render(
        "staff_wave.html",
        wave=survey_wave,
        next_wave=next_wave,
        can_stop_recurrence=bool(
            survey_wave.recurrence_months and not survey_wave.next_wave_planned
        ),
        mail_hours=_mail_hours(),
        participation=queries.participation(survey_wave),
        reminder_days=operations.reminder_days(survey_wave),
        open_link=open_link(survey_wave) if survey_wave.open_link else None,
        results_url=results_url,
        can_remind=_can_remind(survey_wave),
        form=ConfirmForm(),
    )


@bp.post("/rondes/<int:wave_id>/openen")
@staff
def open_wave(wave_id: int) -> Any:
    survey_wave = db.get_or_404(SurveyWave, wave_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if survey_wave.status != WaveStatus.DRAFT.value:
        flash(_("Deze ronde is al open of gesloten."), "error")
        return _to_wave(survey_wave)
    invited = operations.open_wave(current_user, survey_wave)
    db.session.commit()
    message = _("De ronde is open.")
    if survey_wave.invite_pool and survey_wave.invitations_sent:
        message += " " + ngettext(
            "%(num)s persoon kreeg een uitnodiging.",
            "%(num)s mensen kregen een uitnodiging.",
            invited,
        )
    elif survey_wave.invite_pool:
        message += " " + _(
            "De uitnodigingen gaan overdag weg, vanaf %(start)s:00 uur.", **_mail_hours()
        )
    flash(message, "success")
    return _to_wave(survey_wave)


@bp.post("/rondes/<int:wave_id>/herinneren")
@staff
def remind(wave_id: int) -> Any:
    survey_wave = db.get_or_404(SurveyWave, wave_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not _can_remind(survey_wave):
        flash(
            _(
                "Een herinnering kan alleen bij een open ronde met uitnodigingen, en hoogstens 2 keer."
            ),
            "error",
        )
        return _to_wave(survey_wave)
    if not operations.mail_hours_now():
        flash(
            _(
                "Herinneringen gaan alleen overdag weg, van %(start)s:00 tot %(end)s:00 uur. "
                "Probeer het dan opnieuw.",
                **_mail_hours(),
            ),
            "error",
        )
        return _to_wave(survey_wave)
    operations.send_reminders(survey_wave, current_user)
    db.session.commit()
    # Not how many: the invited minus the reminded are the people who answered, one by one.
    flash(_("De herinnering is verstuurd naar de mensen die nog niet hebben meegedaan."), "success")
    return _to_wave(survey_wave)


@bp.route("/rondes/<int:wave_id>/sluiten", methods=["GET", "POST"])
@staff
def close_wave(wave_id: int) -> Any:
    survey_wave = db.get_or_404(SurveyWave, wave_id)
    if not survey_wave.is_open:
        flash(_("Alleen een open ronde kan worden gesloten."), "error")
        return _to_wave(survey_wave)
    form = ConfirmForm()
    if form.validate_on_submit():
        k = queries.k_threshold()
        total = shown_count(operations.close_wave(current_user, survey_wave), k)
        db.session.commit()
        if total is None:  # fewer than k, or none: the same message
            message = _("De ronde is gesloten met minder dan %(k)s antwoorden.", k=k)
        else:
            message = _("De ronde is gesloten met %(num)s antwoorden.", num=total)
        flash(message, "success")
        return _to_wave(survey_wave)
    return _render(
        "staff_wave_close.html",
        wave=survey_wave,
        form=form,
    )


def _qr(wave_id: int) -> tuple[SurveyWave, segno.QRCode]:
    survey_wave = db.get_or_404(SurveyWave, wave_id)
    if not survey_wave.open_link:
        abort(404)
    return survey_wave, segno.make(open_link(survey_wave), error="m")


@bp.get("/rondes/<int:wave_id>/qr.svg")
@staff
def qr_svg(wave_id: int) -> Response:
    _wave, code = _qr(wave_id)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=6, border=4, title=_("QR-code van de open link"))
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


@bp.get("/rondes/<int:wave_id>/qr.png")
@staff
def qr_png(wave_id: int) -> Response:
    survey_wave, code = _qr(wave_id)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=10, border=4)
    filename = f"enquete-{survey_wave.template.slug}-ronde-{survey_wave.number}.png"
    return Response(
        buffer.getvalue(),
        mimetype="image/png",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
