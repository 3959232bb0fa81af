"""The questionnaire builder: edits go to a new version once a wave froze one, order and
conditions stay consistent, and nothing changes when a change is refused."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import select

from participatie.audit.models import AuditEvent
from participatie.db import db
from participatie.surveys import builder
from participatie.surveys.builder import BuilderError, QuestionData
from participatie.surveys.models import SurveyQuestion, SurveyTemplate

BUILDER_SPEC: dict[str, Any] = {
    "slug": "bouwen",
    "audience": "parents",
    "title": {"nl": "Bouwen", "en": "Building", "ar": "بناء"},
    "sections": [
        {
            "title": {"nl": "Contact", "en": "Contact"},
            "questions": [
                {"code": "contact", "kind": "yesno", "text": {"nl": "Had u contact?"}},
                {
                    "code": "who",
                    "kind": "single",
                    "text": {"nl": "Met wie?", "en": "With whom?"},
                    "options": [
                        {"value": "swa", "label": {"nl": "Wijkteam", "pl": "Zespół"}},
                        {"value": "gi", "label": {"nl": "Jeugdbeschermer"}},
                    ],
                    "condition": {"code": "contact", "values": ["yes"]},
                },
            ],
        },
        {
            "title": {"nl": "Oordeel"},
            "questions": [
                {"code": "grade", "kind": "grade", "text": {"nl": "Welk cijfer?"}},
                {"code": "why", "kind": "long_text", "text": {"nl": "Waarom?"}, "required": False},
            ],
        },
    ],
}


def builder_template() -> SurveyTemplate:
    from participatie.surveys import operations

    template = operations.create_template(copy.deepcopy(BUILDER_SPEC))
    db.session.flush()
    return template


def codes(template: SurveyTemplate, number: int | None = None) -> list[list[str]]:
    """Question codes per section of a version (the latest by default), as stored."""
    db.session.expire_all()
    version = template.versions[-1] if number is None else template.versions[number - 1]
    return [[q.code for q in section.questions] for section in version.sections]


def question(template: SurveyTemplate, code: str) -> SurveyQuestion:
    return next(q for q in template.latest_version.questions if q.code == code)


def data_of(q: SurveyQuestion, **changes: Any) -> QuestionData:
    fields = {
        "code": q.code,
        "kind": q.kind,
        "text": dict(q.text),
        "is_required": q.is_required,
        "help": dict(q.help),
        "options": copy.deepcopy(q.options),
        "theme_slug": q.theme_slug,
        "is_background": q.is_background,
        "condition_code": q.condition_code,
        "condition_values": list(q.condition_values),
    }
    fields.update(changes)
    return QuestionData(**fields)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# --- versions ----------------------------------------------------------------------------------


def test_editing_a_frozen_version_makes_version_2_and_leaves_version_1_untouched(ctx) -> None:
    template = builder_template()
    template.latest_version.is_frozen = True
    frozen_grade = question(template, "grade")

    changed = builder.update_question(
        None, frozen_grade, data_of(frozen_grade, text={"nl": "Welk rapportcijfer geeft u?"})
    )

    db.session.expire_all()
    assert [v.number for v in template.versions] == [1, 2]
    first, second = template.versions
    assert first.is_frozen and not second.is_frozen
    assert changed.section.version is second
    assert next(q for q in first.questions if q.code == "grade").text == {"nl": "Welk cijfer?"}
    assert next(q for q in second.questions if q.code == "grade").text == {
        "nl": "Welk rapportcijfer geeft u?"
    }
    # Everything else was copied with the same codes and conditions.
    assert codes(template, 2) == codes(template, 1) == [["contact", "who"], ["grade", "why"]]
    assert next(q for q in second.questions if q.code == "who").condition_code == "contact"
    assert actions()[-2:] == ["survey_version.created", "survey_question.updated"]


def test_a_second_edit_goes_to_the_same_new_version(ctx) -> None:
    template = builder_template()
    template.latest_version.is_frozen = True
    builder.add_section(None, template, title={"nl": "Nieuw"}, intro={})
    builder.update_section(
        None, template.latest_version.sections[0], title={"nl": "Over contact"}, intro={}
    )
    db.session.expire_all()
    assert [v.number for v in template.versions] == [1, 2]
    assert [s.title["nl"] for s in template.versions[1].sections] == [
        "Over contact",
        "Oordeel",
        "Nieuw",
    ]
    assert [s.title["nl"] for s in template.versions[0].sections] == ["Contact", "Oordeel"]


def test_changing_a_question_of_an_older_version_is_refused_as_stale(ctx) -> None:
    template = builder_template()
    template.latest_version.is_frozen = True
    old_grade = question(template, "grade")
    builder.add_section(None, template, title={"nl": "Nieuw"}, intro={})
    with pytest.raises(BuilderError) as refused:
        builder.update_question(None, old_grade, data_of(old_grade, text={"nl": "Anders"}))
    assert refused.value.reason == "stale"
    with pytest.raises(BuilderError):
        builder.delete_section(None, template.versions[0].sections[0])


# --- questions ---------------------------------------------------------------------------------


def test_add_question_goes_to_the_end_of_its_section(ctx) -> None:
    template = builder_template()
    section = template.latest_version.sections[0]
    added = builder.add_question(
        None,
        section,
        QuestionData(
            code="helpful",
            kind="agreement",
            text={"nl": "Het hielp mij.", "en": ""},
            theme_slug="timely_care",
            condition_code="who",
            condition_values=["swa", "gi"],
        ),
    )
    assert codes(template) == [["contact", "who", "helpful"], ["grade", "why"]]
    assert added.position == 2 and added.text == {"nl": "Het hielp mij."}
    assert added.options == [] and added.theme_slug == "timely_care"
    assert actions()[-1] == "survey_question.added"


def test_add_question_with_a_code_in_use_is_refused(ctx) -> None:
    template = builder_template()
    with pytest.raises(BuilderError) as refused:
        builder.add_question(
            None,
            template.latest_version.sections[1],
            QuestionData(code="contact", kind="yesno", text={"nl": "Nog eens?"}),
        )
    assert refused.value.reason == "code_taken"
    assert codes(template) == [["contact", "who"], ["grade", "why"]]


@pytest.mark.parametrize(
    ("condition_code", "values"),
    [
        ("grade", ["7"]),  # a grade has fixed answers, but conditions work on choices only
        ("contact", ["maybe"]),  # not an answer of a yes/no question
        ("contact", []),  # no answer at all
        ("later", ["yes"]),  # does not exist (or comes later)
    ],
)
def test_add_question_with_a_condition_that_cannot_work_is_refused(
    ctx, condition_code: str, values: list[str]
) -> None:
    template = builder_template()
    with pytest.raises(BuilderError) as refused:
        builder.add_question(
            None,
            template.latest_version.sections[1],
            QuestionData(
                code="extra",
                kind="yesno",
                text={"nl": "Extra?"},
                condition_code=condition_code,
                condition_values=values,
            ),
        )
    assert refused.value.reason == "condition_invalid"
    assert codes(template) == [["contact", "who"], ["grade", "why"]]


def test_renaming_a_code_renames_it_in_the_conditions_that_point_at_it(ctx) -> None:
    template = builder_template()
    contact = question(template, "contact")
    builder.update_question(None, contact, data_of(contact, code="had_contact"))
    db.session.expire_all()
    assert question(template, "who").condition_code == "had_contact"


def test_changing_the_kind_of_a_question_a_condition_needs_is_refused(ctx) -> None:
    template = builder_template()
    contact = question(template, "contact")
    with pytest.raises(BuilderError) as refused:
        builder.update_question(None, contact, data_of(contact, kind="grade"))
    assert refused.value.reason == "condition_in_use"
    assert refused.value.codes == ("who",)
    db.session.rollback()
    assert question(template, "contact").kind == "yesno"


def test_editing_options_keeps_labels_in_languages_the_form_does_not_edit(ctx) -> None:
    template = builder_template()
    who = question(template, "who")
    options = [
        {"value": "swa", "label": {"nl": "Sociaal wijkteam", "en": "Neighbourhood team"}},
        {"value": "raad", "label": {"nl": "De Raad", "en": ""}},
    ]
    builder.update_question(None, who, data_of(who, options=options))
    db.session.expire_all()
    assert question(template, "who").options == [
        {
            "value": "swa",
            "label": {"pl": "Zespół", "nl": "Sociaal wijkteam", "en": "Neighbourhood team"},
        },
        {"value": "raad", "label": {"nl": "De Raad"}},
    ]


def test_options_are_dropped_when_the_kind_has_fixed_answers(ctx) -> None:
    template = builder_template()
    grade = question(template, "grade")
    builder.update_question(
        None,
        grade,
        data_of(grade, kind="agreement", options=[{"value": "x", "label": {"nl": "X"}}]),
    )
    db.session.expire_all()
    assert question(template, "grade").kind == "agreement"
    assert question(template, "grade").options == []


# --- order -------------------------------------------------------------------------------------


def test_move_question_within_a_section_and_across_sections(ctx) -> None:
    template = builder_template()
    builder.move_question(None, question(template, "why"), builder.UP)
    assert codes(template) == [["contact", "who"], ["why", "grade"]]
    builder.move_question(None, question(template, "why"), builder.UP)
    assert codes(template) == [["contact", "who", "why"], ["grade"]]
    builder.move_question(None, question(template, "why"), builder.DOWN)
    assert codes(template) == [["contact", "who"], ["why", "grade"]]
    # At the very start and end nothing moves.
    builder.move_question(None, question(template, "contact"), builder.UP)
    builder.move_question(None, question(template, "grade"), builder.DOWN)
    assert codes(template) == [["contact", "who"], ["why", "grade"]]
    positions = [[q.position for q in s.questions] for s in template.latest_version.sections]
    assert positions == [[0, 1], [0, 1]]


def test_moving_a_question_above_the_question_its_condition_needs_is_refused(ctx) -> None:
    template = builder_template()
    with pytest.raises(BuilderError) as refused:
        builder.move_question(None, question(template, "who"), builder.UP)
    assert refused.value.reason == "condition_order"
    with pytest.raises(BuilderError):
        builder.move_question(None, question(template, "contact"), builder.DOWN)
    assert codes(template) == [["contact", "who"], ["grade", "why"]]


def test_moving_in_a_frozen_version_moves_in_the_new_version_only(ctx) -> None:
    template = builder_template()
    template.latest_version.is_frozen = True
    builder.move_question(None, question(template, "why"), builder.UP)
    assert codes(template, 1) == [["contact", "who"], ["grade", "why"]]
    assert codes(template, 2) == [["contact", "who"], ["why", "grade"]]


def test_move_section_reorders_unless_a_condition_would_come_first(ctx) -> None:
    template = builder_template()
    builder.move_section(None, template.latest_version.sections[1], builder.UP)
    assert codes(template) == [["grade", "why"], ["contact", "who"]]
    assert [s.position for s in template.latest_version.sections] == [0, 1]

    builder.add_question(
        None,
        template.latest_version.sections[1],
        QuestionData(
            code="again",
            kind="yesno",
            text={"nl": "Nog eens?"},
            condition_code="contact",
            condition_values=["yes"],
        ),
    )
    builder.move_section(None, template.latest_version.sections[1], builder.UP)
    assert codes(template) == [["contact", "who", "again"], ["grade", "why"]]
    builder.move_question(None, question(template, "again"), builder.DOWN)
    assert codes(template) == [["contact", "who"], ["again", "grade", "why"]]
    with pytest.raises(BuilderError) as refused:
        builder.move_section(None, template.latest_version.sections[1], builder.UP)
    assert refused.value.reason == "condition_order"
    assert refused.value.codes == ("again",)


# --- deleting ------------------------------------------------------------------------------------


def test_deleting_a_question_another_questions_condition_needs_is_refused(ctx) -> None:
    template = builder_template()
    with pytest.raises(BuilderError) as refused:
        builder.delete_question(None, question(template, "contact"))
    assert refused.value.reason == "condition_in_use"
    assert refused.value.codes == ("who",)
    assert codes(template) == [["contact", "who"], ["grade", "why"]]

    who = question(template, "who")
    builder.update_question(None, who, data_of(who, condition_code=None, condition_values=[]))
    builder.delete_question(None, question(template, "contact"))
    assert codes(template) == [["who"], ["grade", "why"]]
    assert question(template, "who").position == 0
    assert actions()[-1] == "survey_question.deleted"


def test_deleting_a_section_deletes_its_questions_and_renumbers(ctx) -> None:
    template = builder_template()
    builder.add_section(None, template, title={"nl": "Derde"}, intro={"nl": "Tot slot."})
    builder.delete_section(None, template.latest_version.sections[1])
    db.session.expire_all()
    assert [s.title["nl"] for s in template.latest_version.sections] == ["Contact", "Derde"]
    assert [s.position for s in template.latest_version.sections] == [0, 1]
    remaining = db.session.scalars(select(SurveyQuestion.code)).all()
    assert sorted(remaining) == ["contact", "who"]


def test_deleting_a_section_whose_question_a_later_condition_needs_is_refused(ctx) -> None:
    template = builder_template()
    builder.add_question(
        None,
        template.latest_version.sections[1],
        QuestionData(
            code="again",
            kind="yesno",
            text={"nl": "Nog eens?"},
            condition_code="who",
            condition_values=["gi"],
        ),
    )
    with pytest.raises(BuilderError) as refused:
        builder.delete_section(None, template.latest_version.sections[0])
    assert refused.value.reason == "condition_in_use"
    assert refused.value.codes == ("again",)


# --- templates -----------------------------------------------------------------------------------


def test_create_template_makes_a_unique_slug_from_the_dutch_title(ctx) -> None:
    first = builder.create_template(
        None, title={"nl": "Ervaringen van ouders", "en": ""}, audience="parents"
    )
    second = builder.create_template(
        None, title={"nl": "Ervaringen van óúders!", "en": "Parents"}, audience="young_people"
    )
    assert first.slug == "ervaringen-van-ouders"
    assert second.slug == "ervaringen-van-ouders-2"
    assert first.title == {"nl": "Ervaringen van ouders"}
    assert second.audience == "young_people"
    assert [v.number for v in second.versions] == [1] and second.latest_version.sections == []
    assert actions()[-1] == "survey_template.created"


def test_update_template_keeps_other_languages_and_starts_no_version(ctx) -> None:
    template = builder_template()
    template.latest_version.is_frozen = True
    builder.update_template(
        None,
        template,
        title={"nl": "Bouwen 2", "en": ""},
        description={"nl": "Over bouwen.", "en": "About building."},
        feedback_text={"nl": "We deden iets.", "en": ""},
        audience="young_people",
        estimated_minutes=7,
    )
    db.session.expire_all()
    assert template.title == {"ar": "بناء", "nl": "Bouwen 2"}
    assert template.description == {"nl": "Over bouwen.", "en": "About building."}
    assert template.estimated_minutes == 7 and template.audience == "young_people"
    assert len(template.versions) == 1


@pytest.mark.parametrize(
    ("title", "slug"),
    [("Hoe gaat het?", "hoe-gaat-het"), ("   ", "vragenlijst"), ("Ça va — oké", "ca-va-oke")],
)
def test_slugify(title: str, slug: str) -> None:
    assert builder.slugify(title) == slug
