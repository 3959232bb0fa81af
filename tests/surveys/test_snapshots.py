"""Frozen versions and open waves kept in memory per web process."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import update
from werkzeug.datastructures import MultiDict

from participatie.db import db
from participatie.surveys import answering, operations, snapshots
from participatie.surveys.models import SurveyTemplate, SurveyWave
from tests.surveys.conftest import as_form, small_answers


def test_a_snapshot_answers_every_question_as_the_stored_version_does(
    app: Flask, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    with app.app_context():
        stored = db.session.get_one(SurveyWave, wave.id).version
        frozen = snapshots.version(stored.id)
        assert [q.code for q in frozen.questions] == [q.code for q in stored.questions]
        assert [s.text("title", "en") for s in frozen.sections] == [
            s.text("title", "en") for s in stored.sections
        ]
        form = MultiDict(
            [(k, v) for k, vs in as_form(small_answers()).items() for v in _list(vs)]
            + [("a-role", "not-an-option"), ("a-unknown", "x")]
        )
        assert answering.read_form(frozen, form) == answering.read_form(stored, form)
        for organisations in (["swa"], ["veilig-thuis"]):
            answers = small_answers(organisations=organisations, veilig_thuis_clear="no")
            assert answering.shown_codes(frozen, answers) == answering.shown_codes(stored, answers)
            assert answering.keep_shown(frozen, answers) == answering.keep_shown(stored, answers)


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


def test_a_frozen_version_is_read_once_an_editable_one_every_time(
    app: Flask, open_wave: Callable[..., SurveyWave], small_template: int
) -> None:
    wave = open_wave()
    with app.app_context():
        version_id = db.session.get_one(SurveyWave, wave.id).version_id
        assert snapshots.version(version_id) is snapshots.version(version_id)
        template = db.session.get_one(SurveyTemplate, small_template)
        editable = operations.editable_version(None, template)
        db.session.commit()
        assert snapshots.version(editable.id) is not snapshots.version(editable.id)


def test_conditions_hide_what_depends_on_a_hidden_question(app: Flask) -> None:
    """A question whose condition question is hidden is hidden too, even with a stale answer."""
    first = snapshots.Question(
        1, 0, "contact", "yesno", True, {"nl": "a"}, {}, (), None, False, None, ()
    )
    second = snapshots.Question(
        2, 1, "which", "single", True, {"nl": "b"}, {}, (), None, False, "contact", ("yes",)
    )
    third = snapshots.Question(
        3, 2, "clear", "yesno", True, {"nl": "c"}, {}, (), None, False, "which", ("vt",)
    )
    version = snapshots.Version(
        id=1, sections=(snapshots.Section(1, 0, {}, {}, (first, second, third)),)
    )
    assert answering.shown_codes(version, {"contact": "yes", "which": "vt"}) == {
        "contact",
        "which",
        "clear",
    }
    stale = {"contact": "no", "which": "vt", "clear": "yes"}
    assert answering.shown_codes(version, stale) == {"contact"}
    assert answering.keep_shown(version, stale) == {"contact": "no"}


def test_an_open_wave_is_trusted_for_a_while_then_read_again(
    app: Flask, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    with app.app_context():
        assert snapshots.open_wave(wave.public_key) is not None
        db.session.execute(
            update(SurveyWave).where(SurveyWave.id == wave.id).values(status="closed")
        )
        db.session.commit()
        assert snapshots.open_wave(wave.public_key) is not None  # still in memory
        app.config["SURVEY_WAVE_CACHE_SECONDS"] = 0
        assert snapshots.open_wave(wave.public_key) is None  # read again: closed
        assert snapshots.open_wave("unknown-key") is None
