"""Survey operations: versions, waves, invitations, reminders, the holding area and release."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.engine.url import make_url

from participatie import clock
from participatie.db import db
from participatie.participants.operations import delete_participant
from participatie.surveys import operations, sealing
from participatie.surveys.models import (
    PendingSubmission,
    SurveyAnswer,
    SurveyDraft,
    SurveyInvitation,
    SurveyResponse,
    SurveyTemplate,
    SurveyVersion,
    SurveyWave,
    WaveStatus,
)
from tests.support.smtp import SMTPServer
from tests.surveys.conftest import Respondent, small_answers


def _count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _wave(wave_id: int) -> SurveyWave:
    return db.session.get_one(SurveyWave, wave_id)


def _invite_link(smtp: SMTPServer, message_index: int = -1) -> str:
    links = [link for link in smtp.links_in(smtp.messages[message_index]) if "/enquete/" in link]
    assert links, smtp.text_of(smtp.messages[message_index])
    return links[0]


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def _link_hashes() -> dict[int, str]:
    rows = db.session.execute(select(SurveyInvitation.id, SurveyInvitation.token_hash))
    return {invitation_id: token_hash for invitation_id, token_hash in rows}


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


# --- Versions ----------------------------------------------------------------------------------


def test_opening_a_wave_freezes_its_version_and_edits_go_to_a_new_one(
    app: Flask, small_template: int, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    with app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        assert template.latest_version.is_frozen
        fresh = operations.editable_version(None, template)
        fresh.sections[0].questions[0].text = {"nl": "Veranderd"}
        db.session.commit()
        assert fresh.number == 2
        assert [q.code for q in fresh.questions] == [
            q.code for q in _wave(wave.id).version.questions
        ]
        frozen = db.session.get_one(SurveyVersion, wave.version_id)
        assert frozen.sections[0].questions[0].text["nl"] == "Wie bent u?"
        # A wave planned now takes the new version; the open wave keeps its own.
        later = operations.create_wave(
            None, template, opens_on=operations.today(), closes_on=operations.today()
        )
        assert later.version_id == fresh.id != wave.version_id
        # An unfrozen version is edited in place, not copied again.
        assert operations.editable_version(None, template).id == fresh.id


def test_builtin_templates_are_seeded_once(app: Flask) -> None:
    with app.app_context():
        assert operations.ensure_builtin_templates() == 2
        assert operations.ensure_builtin_templates() == 0
        db.session.commit()
        templates = db.session.scalars(select(SurveyTemplate)).all()
        assert {t.audience for t in templates} == {"parents", "young_people"}
        assert all(t.latest_version.questions for t in templates)


# --- Holding area and release ------------------------------------------------------------------


def test_answers_wait_in_the_holding_area_until_a_full_batch_is_released(
    app: Flask, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    with app.app_context():
        k = app.config["K_THRESHOLD"]
        for number in range(k - 1):
            operations.submit(wave.id, small_answers(overall_grade=str(number % 10 + 1)), "nl")
            db.session.commit()
        assert _count(PendingSubmission) == k - 1
        assert _count(SurveyResponse) == 0
        assert operations.release_due() == 0  # fewer than k wait: nothing is released
        operations.submit(wave.id, small_answers(), "en")
        db.session.commit()
        assert _count(SurveyResponse) == 0  # a submission itself never releases
        assert operations.release_due() == k
        db.session.commit()
        assert _count(PendingSubmission) == 0
        assert _count(SurveyResponse) == k
        # One row per ticked option, a number for the grade, text for the open answer.
        grades = db.session.scalars(
            select(SurveyAnswer.number).where(SurveyAnswer.number.is_not(None))
        )
        assert sorted(grades) == sorted([n % 10 + 1 for n in range(k - 1)] + [7])


def test_closing_releases_what_is_held_and_mails_the_ambassadors(
    app: Flask,
    open_wave: Callable[..., SurveyWave],
    create_user: Callable[..., Any],
    smtp: SMTPServer,
) -> None:
    create_user(role="ambassadeur", email="amb@example.org")
    wave = open_wave()
    with app.app_context():
        for _ in range(3):
            operations.submit(wave.id, small_answers(), "nl")
        db.session.commit()
        smtp.clear()
        assert operations.close_wave(None, _wave(wave.id)) == 3
        db.session.commit()
        assert _wave(wave.id).status == WaveStatus.CLOSED.value
        assert _count(PendingSubmission) == 0
        assert _count(SurveyResponse) == 3
        with pytest.raises(operations.WaveNotOpen):
            operations.submit(wave.id, small_answers(), "nl")
    messages = smtp.wait_for(1)
    assert [m["To"] for m in messages] == ["amb@example.org"]
    body = smtp.text_of(messages[0])
    assert "minder dan" in body  # 3 < k: no figures, not even in the summary
    assert "3 " not in body.split("gesloten", 1)[1]


def test_open_answers_are_scrubbed_and_coded_when_released(
    app: Flask, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    raw = (
        "Mevrouw Jansen van het wijkteam belde nooit terug, bel mij op 06-12345678 of mail "
        "piet.puk@example.org. Ik wist niet wie verantwoordelijk was."
    )
    with app.app_context():
        operations.submit(wave.id, small_answers(should_change=raw, nickname="Kees"), "nl")
        operations.close_wave(None, _wave(wave.id))
        db.session.commit()
        texts = db.session.scalars(select(SurveyAnswer).where(SurveyAnswer.text.is_not(None))).all()
        stored = " ".join(answer.text or "" for answer in texts)
        for secret in ("Jansen", "06-12345678", "piet.puk", "Kees"):
            assert secret not in stored
        assert "[telefoon]" in stored and "[e-mail]" in stored
        long_answer = next(a for a in texts if a.text and "[telefoon]" in a.text)
        assert long_answer.text_language == "nl"
        assert long_answer.sentiment == -1
        assert {theme["slug"] for theme in long_answer.themes} & {"continuity", "roles"}
        # Nothing of the raw text is left anywhere: the holding area is empty.
        assert _count(PendingSubmission) == 0


def test_concurrent_submissions_and_releases_store_every_answer_once(
    app: Flask, open_wave: Callable[..., SurveyWave]
) -> None:
    """Submissions keep arriving while two scheduler processes release at the same moment: no
    deadlock, nothing released twice, nothing lost."""
    from participatie.db import run_in_transaction

    wave = open_wave()
    k = app.config["K_THRESHOLD"]
    with app.app_context():
        for _ in range(2 * k):
            operations.submit(wave.id, small_answers(), "nl")
        db.session.commit()
    workers = 6
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def work(number: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                for _ in range(3):
                    if number % 3 == 0:
                        run_in_transaction(operations.release_due)
                    else:
                        run_in_transaction(
                            lambda: operations.submit(wave.id, small_answers(), "nl")
                        )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    with app.app_context():
        total = 2 * k + 3 * (workers - workers // 3)
        assert _count(SurveyResponse) + _count(PendingSubmission) == total
        assert _count(SurveyResponse) >= 2 * k  # the two full batches were released
        operations.close_wave(None, _wave(wave.id))
        db.session.commit()
        assert _count(SurveyResponse) == total
        assert _count(PendingSubmission) == 0


def test_closing_waits_for_a_submission_in_progress_and_refuses_later_ones(
    app: Flask, open_wave: Callable[..., SurveyWave]
) -> None:
    """An answer being stored while the wave closes is released with it, and one sent after
    closing began is refused: none is left behind in the holding area of a closed wave."""
    wave = open_wave()
    stored = threading.Event()
    release_submission = threading.Event()
    closed = threading.Event()
    outcomes: dict[str, Any] = {}

    def submit_slowly() -> None:
        with app.app_context():
            operations.submit(wave.id, small_answers(), "nl")
            stored.set()
            release_submission.wait(timeout=30)
            db.session.commit()

    def close() -> None:
        with app.app_context():
            outcomes["responses"] = operations.close_wave(None, _wave(wave.id))
            db.session.commit()
            closed.set()

    submitting = threading.Thread(target=submit_slowly)
    submitting.start()
    assert stored.wait(timeout=30)
    closing = threading.Thread(target=close)
    closing.start()
    assert not closed.wait(timeout=1.0)  # closing waits for the submission's transaction
    release_submission.set()
    submitting.join(timeout=30)
    closing.join(timeout=30)
    assert outcomes["responses"] == 1
    with app.app_context():
        assert _count(SurveyResponse) == 1
        assert _count(PendingSubmission) == 0
        with pytest.raises(operations.WaveNotOpen):
            operations.submit(wave.id, small_answers(), "nl")
        db.session.rollback()


def test_held_answers_are_sealed_padded_and_bound_to_their_row(
    app: Flask, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    other = open_wave()
    with app.app_context():
        operations.submit(wave.id, small_answers(should_change="Kort."), "nl")
        operations.submit(wave.id, small_answers(should_change="Héél lang. " * 180), "en")
        db.session.commit()
        rows = db.session.execute(select(PendingSubmission.id, PendingSubmission.sealed)).all()
        sealed = [bytes(value) for _, value in rows]
        for value in sealed:
            for plain in (b"parent", b"swa", b"Kort", b"lang", b"should_change", b'"en"', b'"nl"'):
                assert plain not in value
        # A short and a 2,000-character answer look the same from the outside.
        assert len(sealed[0]) == len(sealed[1])
        assert sealing.padded_size(10) == sealing.padded_size(3000) < sealing.padded_size(5000)
        # Only the release opens them, and only for their own row and wave.
        hold_id, value = rows[0]
        assert sealing.open_held(wave.id, hold_id, value)[1]["role"] == "parent"
        with pytest.raises(sealing.Unreadable):
            sealing.open_held(other.id, hold_id, value)
        with pytest.raises(sealing.Unreadable):
            sealing.open_held(wave.id, rows[1][0], value)


def test_held_answers_that_do_not_open_stay_held_and_never_make_a_batch_below_k(
    app: Flask, open_wave: Callable[..., SurveyWave], caplog: pytest.LogCaptureFixture
) -> None:
    """A changed sealing key must not lose answers, nor release a batch smaller than k."""
    wave = open_wave()
    k = app.config["K_THRESHOLD"]
    with app.app_context():
        for _ in range(k - 1):
            operations.submit(wave.id, small_answers(), "nl")
        app.config["SURVEY_SEALING_KEY"] = "another-key-that-is-long-enough-for-production"
        operations.submit(wave.id, small_answers(), "nl")  # sealed with another key
        app.config["SURVEY_SEALING_KEY"] = ""
        db.session.commit()
        assert operations.pending_count(wave.id) == k
        assert operations.release_due() == 0  # k - 1 that open are not a batch
        db.session.commit()
        assert "do not open" in caplog.text
        assert _count(SurveyResponse) == 0 and _count(PendingSubmission) == k
        assert operations.close_wave(None, _wave(wave.id)) == k - 1
        db.session.commit()
        assert _count(PendingSubmission) == 1  # kept, to be released with the old key
        app.config["SURVEY_SEALING_KEY"] = "another-key-that-is-long-enough-for-production"
        assert operations.release_pending(wave.id, force=True) == 1
        db.session.commit()
        app.config["SURVEY_SEALING_KEY"] = ""
        assert _count(SurveyResponse) == k and _count(PendingSubmission) == 0


def test_a_release_stores_the_shuffled_batch_and_rewrites_the_invitations_in_id_order(
    app: Flask,
    open_wave: Callable[..., SurveyWave],
    create_participant: Callable[..., int],
    smtp: SMTPServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    k = app.config["K_THRESHOLD"]
    for number in range(k):
        create_participant(display_name=f"Lid{number}")
    wave = open_wave(invite_pool=True, open_link=False)
    smtp.wait_for(k)
    tokens = [_token(_invite_link(smtp, i)) for i in range(k)]
    shuffled: list[list[Any]] = []

    class Reversing:
        def shuffle(self, batch: list[Any]) -> None:
            batch.reverse()
            shuffled.append(list(batch))

    rewritten: list[int] = []
    rewrite = operations.rewrite_invitations
    monkeypatch.setattr(operations, "_shuffler", Reversing())
    monkeypatch.setattr(
        operations,
        "rewrite_invitations",
        lambda wave_id: (rewritten.append(wave_id), rewrite(wave_id)),
    )
    with app.app_context():
        # Links used in the reverse order of sending, with recognisable grades.
        for number, token in enumerate(reversed(tokens)):
            operations.submit(
                wave.id, small_answers(overall_grade=str(number + 1)), "nl", invitation_token=token
            )
            db.session.commit()
        assert operations.release_due() == k
        db.session.commit()
        assert rewritten == [wave.id]
        position = "rowid" if db.engine.dialect.name == "sqlite" else "ctid"
        stored = db.session.scalars(
            select(SurveyAnswer.number)
            .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
            .where(SurveyAnswer.number.is_not(None))
            .order_by(text(f"survey_responses.{position}"))
        ).all()
        assert stored == [int(answers["overall_grade"]) for _, answers in shuffled[0]]
        invitations = db.session.scalars(
            text(f"SELECT id FROM survey_invitations ORDER BY {position}")
        ).all()
        assert invitations == sorted(invitations)


# PostgreSQL only: SQLite has no CLUSTER, its rows stay in id order in place.
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_release_does_not_wait_long_for_a_busy_invitations_table(
    app: Flask,
    open_wave: Callable[..., SurveyWave],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """CLUSTER needs the invitations table to itself; when a long transaction holds it, the
    release rewrites the invitations row by row instead of making every link wait."""
    wave = open_wave()
    k = app.config["K_THRESHOLD"]
    monkeypatch.setattr(operations, "REWRITE_LOCK_TIMEOUT", "200ms")
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        for _ in range(k):
            operations.submit(wave.id, small_answers(), "nl")
        db.session.commit()
        with db.engine.connect() as reader:
            reader.execute(text("SELECT count(*) FROM survey_invitations"))  # holds the table
            assert operations.release_due() == k
            db.session.commit()
        assert "not clustered" in caplog.text
        assert _count(SurveyResponse) == k
        # The lock timeout was for CLUSTER only.
        assert db.session.scalar(text("SHOW lock_timeout")) == "0"


def test_release_and_wave_jobs_wipe_storage_after_releasing_or_closing(
    app: Flask, open_wave: Callable[..., SurveyWave], monkeypatch: pytest.MonkeyPatch
) -> None:
    from participatie.surveys import tasks

    wiped: list[tuple[str, ...]] = []
    wipe = tasks._wipe
    monkeypatch.setattr(tasks, "_wipe", lambda tables: (wiped.append(tables), wipe(tables)))
    wave = open_wave()
    k = app.config["K_THRESHOLD"]
    with app.app_context():
        assert tasks.release_due() == 0
        assert wiped == []
        for _ in range(k):
            operations.submit(wave.id, small_answers(), "nl")
        db.session.commit()
        assert tasks.release_due() == k
        assert wiped == [("survey_pending_submissions",)]
        if db.engine.dialect.name == "sqlite":
            database = make_url(str(db.engine.url)).database
            assert Path(f"{database}-wal").stat().st_size == 0
        assert tasks.run_waves()["closed"] == 0
        assert len(wiped) == 1
        with clock.frozen_at(clock.now() + timedelta(days=15)):  # past the closing day
            assert tasks.run_waves()["closed"] == 1
        assert wiped[-1] == tasks.COMPACTED_TABLES
        assert {"survey_responses", "survey_answers", "survey_invitations"} <= set(wiped[-1])


# --- Invitations -------------------------------------------------------------------------------


@pytest.fixture
def pool(create_participant: Callable[..., int]) -> dict[str, int]:
    return {
        "consented": create_participant(display_name="Anna"),
        "consented_en": create_participant(display_name="Bram", locale="en"),
        "no_consent": create_participant(display_name="Cas", consents=("pool",)),
        "paused": create_participant(display_name="Dirk", status="paused"),
        "young": create_participant(display_name="Eva", role="young_person", age_band="18-20"),
    }


def test_opening_invites_consenting_pool_members_of_the_audience_once(
    app: Flask, pool: dict[str, int], open_wave: Callable[..., SurveyWave], smtp: SMTPServer
) -> None:
    wave = open_wave(invite_pool=True)
    messages = smtp.wait_for(2)
    assert sorted(m["To"] for m in messages) == sorted(
        ["deelnemer1@example.org", "deelnemer2@example.org"]
    )
    english = next(m for m in messages if m["To"] == "deelnemer2@example.org")
    assert "Tell us about your experience" in english["Subject"]
    with app.app_context():
        invited = set(db.session.scalars(select(SurveyInvitation.participant_id)))
        assert invited == {pool["consented"], pool["consented_en"]}
        assert operations.invite_pool(_wave(wave.id)) == 0  # nobody twice
        # The link's token is not stored, only its hash.
        token = _token(_invite_link(smtp))
        assert token not in str(db.session.scalars(select(SurveyInvitation.token_hash)).all())


def test_an_invitation_gives_exactly_one_response(
    app: Flask, pool: dict[str, int], open_wave: Callable[..., SurveyWave], smtp: SMTPServer
) -> None:
    wave = open_wave(invite_pool=True, open_link=False)
    smtp.wait_for(2)
    token = _token(_invite_link(smtp, 0))
    with app.app_context():
        operations.submit(wave.id, small_answers(), "nl", invitation_token=token)
        db.session.commit()
        with pytest.raises(operations.AlreadyUsed):
            operations.submit(wave.id, small_answers(), "nl", invitation_token=token)
        db.session.rollback()
        with pytest.raises(operations.AlreadyUsed):
            operations.submit(wave.id, small_answers(), "nl", invitation_token="guess")
        db.session.rollback()
        assert _count(PendingSubmission) == 1
        used = db.session.scalars(select(SurveyInvitation.is_used)).all()
        assert sorted(used) == [False, True]


def test_one_invitation_used_at_the_same_moment_gives_one_response(
    app: Flask, pool: dict[str, int], open_wave: Callable[..., SurveyWave], smtp: SMTPServer
) -> None:
    from participatie.db import run_in_transaction

    wave = open_wave(invite_pool=True, open_link=False)
    smtp.wait_for(2)
    token = _token(_invite_link(smtp, 0))
    attempts = 8
    barrier = threading.Barrier(attempts)
    outcomes: list[str] = []

    def use_link() -> None:
        with app.app_context():
            barrier.wait()
            try:
                run_in_transaction(
                    lambda: operations.submit(
                        wave.id, small_answers(), "nl", invitation_token=token
                    )
                )
                outcomes.append("stored")
            except operations.AlreadyUsed:
                db.session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=use_link) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * (attempts - 1) + ["stored"]
    with app.app_context():
        assert _count(PendingSubmission) == 1


def test_saving_for_later_uses_the_invitation_and_the_code_submits_once(
    app: Flask, pool: dict[str, int], open_wave: Callable[..., SurveyWave], smtp: SMTPServer
) -> None:
    wave = open_wave(invite_pool=True, open_link=False)
    smtp.wait_for(2)
    token = _token(_invite_link(smtp, 0))
    with app.app_context():
        code = operations.save_draft(wave.id, {"role": "parent"}, "nl", invitation_token=token)
        db.session.commit()
        assert db.session.scalar(select(SurveyInvitation.is_used).where(SurveyInvitation.is_used))
        draft = operations.find_draft(code.lower().replace("-", " "))
        assert draft is not None and draft.answers == {"role": "parent"}
        assert draft.language == "nl" and draft.wave_id == wave.id
        # The draft knows nothing of the invitation or the person, and without the code
        # nothing of the answers either.
        assert set(SurveyDraft.__table__.columns.keys()) == {
            "code_hash",
            "wave_id",
            "sealed",
            "expires_on",
        }
        assert operations.find_draft("ABCD-EFGH-JKLM") is None
        with pytest.raises(operations.AlreadyUsed):
            operations.save_draft(wave.id, {}, "nl", invitation_token=token)
        db.session.rollback()
        operations.submit(wave.id, small_answers(), "nl", resume_code=code)
        db.session.commit()
        assert _count(SurveyDraft) == 0
        with pytest.raises(operations.AlreadyUsed):
            operations.submit(wave.id, small_answers(), "nl", resume_code=code)


def test_a_draft_opens_only_with_its_code_and_the_server_key(
    app: Flask, open_wave: Callable[..., SurveyWave]
) -> None:
    wave = open_wave()
    with app.app_context():
        code = operations.save_draft(wave.id, {"role": "parent"}, "en")
        again = operations.save_draft(wave.id, {"role": "other"}, "nl", resume_code=code.lower())
        db.session.commit()
        assert again == code
        draft = db.session.scalars(select(SurveyDraft)).one()
        # Stored under a keyed hash, sealed with a key from the code: nothing readable.
        assert draft.code_hash != operations._hash(code)
        assert b"other" not in bytes(draft.sealed) and b"role" not in bytes(draft.sealed)
        opened = operations.find_draft(code)
        assert opened is not None and (opened.language, opened.answers) == ("nl", {"role": "other"})
        with pytest.raises(sealing.Unreadable):
            sealing.open_draft("ABCD-EFGH-JKLM", wave.id, draft.sealed)
        # Another server key: the draft is not found (and nothing breaks).
        app.config["SURVEY_SEALING_KEY"] = "another-key-that-is-long-enough-for-production"
        assert operations.find_draft(code) is None
        app.config["SURVEY_SEALING_KEY"] = ""
        # A changed row does not open.
        draft.sealed = bytes(draft.sealed)[:-1] + bytes([bytes(draft.sealed)[-1] ^ 1])
        db.session.commit()
        assert operations.find_draft(code) is None


def test_reminders_go_twice_at_most_to_unused_invitations_with_the_same_link(
    app: Flask, pool: dict[str, int], open_wave: Callable[..., SurveyWave], smtp: SMTPServer
) -> None:
    wave = open_wave(invite_pool=True, open_link=False)
    smtp.wait_for(2)
    first_links = {m["To"]: _token(_invite_link(smtp, i)) for i, m in enumerate(smtp.messages)}
    with app.app_context():
        operations.submit(
            wave.id,
            small_answers(),
            "nl",
            invitation_token=first_links["deelnemer1@example.org"],
        )
        db.session.commit()
        hashes = _link_hashes()
        smtp.clear()
        assert operations.send_reminders(_wave(wave.id)) == 1
        db.session.commit()
        reminder = smtp.wait_for(1)[0]
        assert reminder["To"] == "deelnemer2@example.org"
        assert "This is the same link as in the first email" in smtp.text_of(reminder)  # Bram: en
        # The reminder carries the link of the invitation; nothing about the link changed.
        assert _token(_invite_link(smtp, 0)) == first_links["deelnemer2@example.org"]
        assert _link_hashes() == hashes
        smtp.clear()
        assert operations.send_reminders(_wave(wave.id)) == 1
        db.session.commit()
        assert _token(_invite_link(smtp, 0)) == first_links["deelnemer2@example.org"]
        assert operations.send_reminders(_wave(wave.id)) == 0
        assert _wave(wave.id).reminders_sent == 2
        # The link works after both reminders, once.
        operations.submit(
            wave.id, small_answers(), "nl", invitation_token=first_links["deelnemer2@example.org"]
        )
        db.session.commit()
        with pytest.raises(operations.AlreadyUsed):
            operations.submit(
                wave.id,
                small_answers(),
                "nl",
                invitation_token=first_links["deelnemer2@example.org"],
            )
        db.session.rollback()
    # Nothing on the invitation records when or whether it was reminded.
    assert set(SurveyInvitation.__table__.columns.keys()) == {
        "id",
        "wave_id",
        "participant_id",
        "token_hash",
        "link_seed",
        "is_used",
    }


@pytest.mark.parametrize("step", ["submit", "save"])
def test_a_reminder_sent_while_someone_answers_keeps_their_answers(
    app: Flask,
    pool: dict[str, int],
    open_wave: Callable[..., SurveyWave],
    smtp: SMTPServer,
    step: str,
) -> None:
    """Someone is halfway through the survey from their invitation when the reminder goes out:
    sending (or saving) still works, the reminder's link is the one they are using, and once
    used the link stays used — also for a reminder that comes later."""
    wave = open_wave(invite_pool=True, open_link=False)
    smtp.wait_for(2)
    links = {m["To"]: _invite_link(smtp, i) for i, m in enumerate(smtp.messages)}
    link = links["deelnemer1@example.org"]
    person = Respondent(app.test_client(), wave, start_url=_path(link))
    person.press("start").press("next", role="parent", organisations=["swa"])
    person.press("next", knows_responsible="4", overall_grade="7")
    smtp.clear()
    with app.app_context():
        assert operations.send_reminders(_wave(wave.id)) == 2  # nobody has sent anything yet
        db.session.commit()
    smtp.wait_for(2)
    reminders = {m["To"]: _invite_link(smtp, i) for i, m in enumerate(smtp.messages)}
    assert reminders == links
    if step == "submit":
        person.press("submit", should_change="Vaker bellen.")
        assert person.status == 303, person.html
    else:
        person.press("save", should_change="Vaker bellen.")
        assert person.status == 200 and 'id="resume-code"' in person.html, person.html
    with app.app_context():
        assert _count(PendingSubmission) + _count(SurveyDraft) == 1
        smtp.clear()
        assert operations.send_reminders(_wave(wave.id)) == 1  # only the other person
        db.session.commit()
    assert [m["To"] for m in smtp.wait_for(1)] == ["deelnemer2@example.org"]
    used = app.test_client().get(_path(link))
    assert used.status_code == 410 and "Deze link is al gebruikt" in used.text
    # The other person's reminder link works.
    other = reminders["deelnemer2@example.org"]
    other_person = Respondent(app.test_client(), wave, start_url=_path(other))
    other_person.press("start").press("next", role="parent", organisations=["swa"])
    other_person.press("next", knows_responsible="2", overall_grade="5")
    other_person.press("submit")
    assert other_person.status == 303, other_person.html


def test_an_invitation_from_before_stable_links_gets_the_stable_link_with_its_reminder(
    app: Flask, pool: dict[str, int], open_wave: Callable[..., SurveyWave], smtp: SMTPServer
) -> None:
    """Invitations sent before the migration to derived links keep their first link until the
    next reminder, which moves them to the derived link (the first one cannot be sent again)."""
    wave = open_wave(invite_pool=True, open_link=False)
    smtp.wait_for(2)
    with app.app_context():
        invitation = db.session.scalars(select(SurveyInvitation)).first()
        assert invitation is not None
        invitation.token_hash = operations._hash("a-random-link-from-before")
        db.session.commit()
        assert operations.find_invitation("a-random-link-from-before") is not None
        smtp.clear()
        assert operations.send_reminders(_wave(wave.id)) == 2
        db.session.commit()
        sent = {_token(link) for link in (_invite_link(smtp, i) for i in range(2))}
        assert operations.invitation_token(invitation) in sent
        assert operations.find_invitation(operations.invitation_token(invitation)) is not None


def test_deleting_a_participant_removes_invitations_and_keeps_anonymous_answers(
    app: Flask, pool: dict[str, int], open_wave: Callable[..., SurveyWave], smtp: SMTPServer
) -> None:
    wave = open_wave(invite_pool=True, open_link=False)
    smtp.wait_for(2)
    token = _token(_invite_link(smtp, 0))
    with app.app_context():
        operations.submit(wave.id, small_answers(), "nl", invitation_token=token)
        operations.close_wave(None, _wave(wave.id))
        db.session.commit()
        from participatie.participants.models import Participant

        delete_participant(db.session.get_one(Participant, pool["consented"]))
        db.session.commit()
        assert _count(SurveyInvitation, SurveyInvitation.participant_id == pool["consented"]) == 0
        assert _count(SurveyResponse) == 1


# --- The scheduler's work ----------------------------------------------------------------------


def test_a_quarterly_wave_opens_closes_and_plans_the_next_by_itself(
    app: Flask, small_template: int, pool: dict[str, int], smtp: SMTPServer
) -> None:
    start = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    with clock.frozen_at(start), app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        day = operations.today()
        wave = operations.create_wave(
            None,
            template,
            opens_on=day + timedelta(days=1),
            closes_on=day + timedelta(days=21),
            recurrence_months=3,
        )
        db.session.commit()
        wave_id = wave.id
        assert operations.run_waves()["opened"] == 0
        clock.advance(timedelta(days=1))
        assert operations.run_waves()["opened"] == 1
        db.session.commit()
        assert len(smtp.wait_for(2)) == 2
        clock.advance(timedelta(days=7))
        assert operations.run_waves()["reminded"] == 2
        db.session.commit()
        assert operations.run_waves()["reminded"] == 0  # the same reminder never twice
        clock.advance(timedelta(days=7))
        assert operations.run_waves()["reminded"] == 2
        clock.advance(timedelta(days=7))
        done = operations.run_waves()
        db.session.commit()
        assert done["closed"] == 1 and done["planned"] == 1
        waves = db.session.scalars(select(SurveyWave).order_by(SurveyWave.id)).all()
        assert [w.status for w in waves] == ["closed", "draft"]
        following = waves[1]
        assert following.opens_on == operations.add_months(_wave(wave_id).opens_on, 3)
        assert following.recurrence_months == 3 and following.number == 2
        assert operations.run_waves()["planned"] == 0
        clock.advance(following.opens_on - operations.today())
        assert operations.run_waves()["opened"] == 1
        db.session.commit()
        assert _wave(following.id).status == WaveStatus.OPEN.value


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2027-01-31", 1, "2027-02-28"),
        ("2027-11-15", 3, "2028-02-15"),
        ("2028-11-30", 3, "2029-02-28"),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_the_month(
    day: str, months: int, expected: str
) -> None:
    from datetime import date

    assert operations.add_months(date.fromisoformat(day), months) == date.fromisoformat(expected)


def test_create_wave_refuses_a_closing_day_before_the_opening_day(
    app: Flask, small_template: int
) -> None:
    with app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        day = operations.today()
        with pytest.raises(operations.SurveyError):
            operations.create_wave(None, template, opens_on=day, closes_on=day - timedelta(days=1))


def test_spec_copies_are_independent(app: Flask, small_template: int) -> None:
    """Copying a version deep-copies options, so editing one never changes the other."""
    with app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        original = template.latest_version
        original.is_frozen = True
        fresh = operations.editable_version(None, template)
        options = copy.deepcopy(fresh.sections[0].questions[0].options)
        options[0]["label"]["nl"] = "Ouder of verzorger"
        fresh.sections[0].questions[0].options = options
        db.session.commit()
        assert original.sections[0].questions[0].options[0]["label"]["nl"] == "Ouder"


# --- Planned waves take the latest questions -------------------------------------------------


def _edit_first_question(template: SurveyTemplate, text: str) -> SurveyVersion:
    version = operations.editable_version(None, template)
    version.sections[0].questions[0].text = {"nl": text}
    db.session.flush()
    return version


def test_a_planned_wave_opens_with_the_edits_made_after_it_was_planned(
    app: Flask, small_template: int, open_wave: Callable[..., SurveyWave]
) -> None:
    """The audit's case: wave 1 froze version 1, the next wave was planned with version 1, and
    the ambassador's edits went to version 2. The next wave must open with version 2."""
    first = open_wave()
    with app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        day = operations.today()
        planned = operations.create_wave(
            None, template, opens_on=day + timedelta(days=90), closes_on=day + timedelta(days=110)
        )
        assert planned.version_id == first.version_id and not planned.version_pinned
        edited = _edit_first_question(template, "Wie ben je?")
        db.session.commit()
        operations.open_wave(None, planned)
        db.session.commit()
        assert planned.version_id == edited.id != first.version_id
        assert _wave(planned.id).version.is_frozen
        assert _wave(planned.id).version.questions[0].text["nl"] == "Wie ben je?"
        # The open wave keeps its own questions.
        assert _wave(first.id).version.questions[0].text["nl"] == "Wie bent u?"


def test_a_pinned_version_is_kept_when_the_wave_opens(app: Flask, small_template: int) -> None:
    with app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        first_version = template.latest_version
        day = operations.today()
        wave = operations.create_wave(
            None, template, opens_on=day, closes_on=day, version=first_version
        )
        assert wave.version_pinned
        _edit_first_question(template, "Veranderd")  # edits version 1 in place: not frozen yet
        first_version.is_frozen = True
        second = _edit_first_question(template, "Nog eens veranderd")
        assert second.number == 2
        operations.open_wave(None, wave)
        db.session.commit()
        assert _wave(wave.id).version_id == first_version.id


def test_opening_skips_a_latest_version_without_questions(app: Flask, small_template: int) -> None:
    from participatie.surveys import builder

    with app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        template.latest_version.is_frozen = True
        day = operations.today()
        wave = operations.create_wave(None, template, opens_on=day, closes_on=day)
        fresh = operations.editable_version(None, template)
        for section in reversed(list(fresh.sections)):  # conditions point backwards
            builder.delete_section(None, section)
        assert template.latest_version.number == 2 and not template.latest_version.questions
        operations.open_wave(None, wave)
        db.session.commit()
        assert _wave(wave.id).version.number == 1


def test_a_version_of_another_template_or_without_questions_cannot_be_pinned(
    app: Flask, small_template: int
) -> None:
    with app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        other = operations.create_template({"slug": "leeg", "title": {"nl": "Leeg"}})
        day = operations.today()
        for version in (other.latest_version,):
            with pytest.raises(operations.SurveyError) as refused:
                operations.create_wave(None, template, opens_on=day, closes_on=day, version=version)
            assert refused.value.reason == "version_unknown"
        with pytest.raises(operations.SurveyError) as refused:
            operations.create_wave(None, other, opens_on=day, closes_on=day)
        assert refused.value.reason == "no_questions"


def test_a_recurring_wave_plans_an_unpinned_successor_that_gets_later_edits(
    app: Flask, small_template: int
) -> None:
    start = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    with clock.frozen_at(start), app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        day = operations.today()
        wave = operations.create_wave(
            None,
            template,
            opens_on=day,
            closes_on=day + timedelta(days=14),
            invite_pool=False,
            open_link=True,
            recurrence_months=3,
            version=template.latest_version,
        )
        operations.run_waves()
        clock.advance(timedelta(days=15))
        assert operations.run_waves()["planned"] == 1
        db.session.commit()
        following = db.session.scalars(select(SurveyWave).where(SurveyWave.id != wave.id)).one()
        assert not following.version_pinned
        edited = _edit_first_question(template, "Wie ben je?")
        db.session.commit()
        clock.advance(following.opens_on - operations.today())
        assert operations.run_waves()["opened"] == 1
        db.session.commit()
        assert _wave(following.id).version_id == edited.id
        assert _wave(wave.id).version_id != edited.id


# --- Changing, cancelling and stopping planned waves --------------------------------------------


def _audit_actions(object_id: int) -> list[str]:
    from participatie.audit.models import AuditEvent

    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "survey_wave", AuditEvent.object_id == str(object_id))
            .order_by(AuditEvent.id)
        )
    )


def test_update_wave_changes_a_planned_wave_and_refuses_an_open_one(
    app: Flask, small_template: int
) -> None:
    with app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        day = operations.today()
        wave = operations.create_wave(None, template, opens_on=day, closes_on=day)
        changed = operations.update_wave(
            None,
            wave,
            opens_on=day + timedelta(days=3),
            closes_on=day + timedelta(days=30),
            invite_pool=False,
            open_link=True,
            languages=["en"],
            recurrence_months=3,
            version=template.latest_version,
        )
        db.session.commit()
        assert set(changed) == {
            "opens_on",
            "closes_on",
            "invite_pool",
            "open_link",
            "recurrence_months",
            "version_pinned",
        }
        wave = _wave(wave.id)
        assert wave.languages == ["nl", "en"] and wave.recurrence_months == 3
        assert wave.version_pinned and wave.opens_on == day + timedelta(days=3)
        with pytest.raises(operations.SurveyError) as refused:
            operations.update_wave(
                None,
                wave,
                opens_on=day,
                closes_on=day - timedelta(days=1),
                invite_pool=True,
                open_link=True,
                languages=["nl"],
                recurrence_months=None,
            )
        assert refused.value.reason == "closes_before_opening"
        operations.open_wave(None, wave)
        with pytest.raises(operations.SurveyError) as refused:
            operations.update_wave(
                None,
                wave,
                opens_on=day,
                closes_on=day,
                invite_pool=True,
                open_link=True,
                languages=["nl"],
                recurrence_months=None,
            )
        assert refused.value.reason == "not_planned"
        db.session.commit()
        assert _audit_actions(wave.id) == [
            "survey_wave.created",
            "survey_wave.updated",
            "survey_wave.opened",
        ]


def test_cancelling_a_planned_successor_ends_the_series(app: Flask, small_template: int) -> None:
    with app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        day = operations.today()
        wave = operations.create_wave(
            None,
            template,
            opens_on=day,
            closes_on=day,
            invite_pool=False,
            open_link=True,
            recurrence_months=3,
        )
        operations.open_wave(None, wave)
        operations.close_wave(None, wave)
        following = operations.plan_next_wave(wave)
        assert following is not None
        following_id = following.id
        operations.cancel_wave(None, following)
        db.session.commit()
        assert db.session.get(SurveyWave, following_id) is None
        assert operations.run_waves()["planned"] == 0
        assert _audit_actions(following_id)[-1] == "survey_wave.cancelled"
        with pytest.raises(operations.SurveyError) as refused:
            operations.cancel_wave(None, _wave(wave.id))
        assert refused.value.reason == "not_planned"


def test_stopping_the_recurrence_of_an_open_wave_plans_nothing_after_it(
    app: Flask, small_template: int
) -> None:
    with app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        day = operations.today()
        wave = operations.create_wave(
            None, template, opens_on=day, closes_on=day, open_link=True, recurrence_months=6
        )
        operations.open_wave(None, wave)
        assert operations.stop_recurrence(None, wave) is True
        assert operations.stop_recurrence(None, wave) is False  # nothing left to stop
        operations.close_wave(None, wave)
        db.session.commit()
        assert operations.run_waves()["planned"] == 0
        assert wave.recurrence_months is None
        assert "survey_wave.recurrence_stopped" in _audit_actions(wave.id)


def test_the_recurrence_of_a_wave_whose_successor_is_planned_is_stopped_there(
    app: Flask, small_template: int
) -> None:
    with app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        day = operations.today()
        wave = operations.create_wave(
            None, template, opens_on=day, closes_on=day, open_link=True, recurrence_months=1
        )
        operations.open_wave(None, wave)
        operations.close_wave(None, wave)
        following = operations.plan_next_wave(wave)
        assert following is not None
        assert operations.stop_recurrence(None, wave) is False
        assert operations.stop_recurrence(None, following) is True


def test_archiving_needs_no_planned_waves_and_stops_recurrence(
    app: Flask, small_template: int
) -> None:
    from participatie.surveys import builder

    with app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        day = operations.today()
        running = operations.create_wave(
            None, template, opens_on=day, closes_on=day, open_link=True, recurrence_months=3
        )
        operations.open_wave(None, running)
        planned = operations.create_wave(
            None, template, opens_on=day + timedelta(days=5), closes_on=day + timedelta(days=9)
        )
        with pytest.raises(builder.BuilderError) as refused:
            builder.archive_template(None, template)
        assert refused.value.reason == "planned_waves"
        operations.cancel_wave(None, planned)
        assert builder.archive_template(None, template) == [running.id]
        db.session.commit()
        assert template.is_archived and _wave(running.id).recurrence_months is None
        assert _wave(running.id).status == WaveStatus.OPEN.value  # it runs to its last day
        with pytest.raises(operations.SurveyError) as refused:
            operations.create_wave(None, template, opens_on=day, closes_on=day)
        assert refused.value.reason == "archived"
        builder.restore_template(None, template)
        # The cancelled wave never ran: its number is free again.
        assert operations.create_wave(None, template, opens_on=day, closes_on=day).number == 2


def test_no_next_wave_is_planned_for_an_archived_template(app: Flask, small_template: int) -> None:
    with app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        day = operations.today()
        wave = operations.create_wave(
            None, template, opens_on=day, closes_on=day, open_link=True, recurrence_months=3
        )
        operations.open_wave(None, wave)
        operations.close_wave(None, wave)
        template.is_archived = True  # archived by hand in the database: the planner checks too
        assert operations.plan_next_wave(wave) is None
        assert _count(SurveyWave) == 1


# --- Mail to participants only in the daytime --------------------------------------------------


def _amsterdam(day: str, hour: int, minute: int = 20) -> datetime:
    from zoneinfo import ZoneInfo

    local = datetime.fromisoformat(day).replace(
        hour=hour, minute=minute, tzinfo=ZoneInfo("Europe/Amsterdam")
    )
    return local.astimezone(UTC)


def test_a_wave_opened_at_night_invites_and_reminds_only_in_the_daytime(
    app: Flask, small_template: int, pool: dict[str, int], smtp: SMTPServer
) -> None:
    app.config.update(SURVEY_MAIL_FROM_HOUR=9, SURVEY_MAIL_UNTIL_HOUR=20)
    with clock.frozen_at(_amsterdam("2027-03-01", 0)), app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        wave = operations.create_wave(
            None,
            template,
            opens_on=operations.today(),
            closes_on=operations.today() + timedelta(days=21),
        )
        db.session.commit()
        done = operations.run_waves()  # the hourly job at 00:20: the wave opens, nobody is mailed
        db.session.commit()
        assert done["opened"] == 1 and done["invited"] == 0
        assert _wave(wave.id).status == "open" and not _wave(wave.id).invitations_sent
        assert _count(SurveyInvitation) == 0
        clock.advance(timedelta(hours=8))  # 08:20
        assert operations.run_waves()["invited"] == 0
        assert smtp.wait_for(1, timeout=0.3) == []
        clock.advance(timedelta(hours=1))  # 09:20
        assert operations.run_waves()["invited"] == 2
        db.session.commit()
        assert len(smtp.wait_for(2)) == 2
        assert operations.run_waves()["invited"] == 0  # once
        smtp.clear()
        # The first reminder is due on day 7; at 00:20 it waits, at 09:20 it goes.
        clock.advance(timedelta(days=7, hours=-9))
        assert operations.run_waves()["reminded"] == 0
        clock.advance(timedelta(hours=9))
        assert operations.run_waves()["reminded"] == 2
        db.session.commit()
        # The second is due on day 14; at 20:20 it is evening again, so it waits for the morning.
        clock.advance(timedelta(days=7, hours=11))
        assert operations.run_waves()["reminded"] == 0
        clock.advance(timedelta(hours=13))
        assert operations.run_waves()["reminded"] == 2
        db.session.commit()
        # Closing does not wait for the daytime: 00:20 after the last day.
        clock.advance(timedelta(days=6, hours=15))
        assert operations.run_waves()["closed"] == 1


def test_opening_in_the_daytime_invites_at_once(
    app: Flask, small_template: int, pool: dict[str, int], smtp: SMTPServer
) -> None:
    app.config.update(SURVEY_MAIL_FROM_HOUR=9, SURVEY_MAIL_UNTIL_HOUR=20)
    with clock.frozen_at(_amsterdam("2027-03-01", 19, 59)), app.app_context():
        template = db.session.get_one(SurveyTemplate, small_template)
        day = operations.today()
        wave = operations.create_wave(None, template, opens_on=day, closes_on=day)
        assert operations.open_wave(None, wave) == 2
        assert wave.invitations_sent
        assert operations.send_invitations(wave) == 0


@pytest.mark.parametrize(("start", "end"), [(20, 9), (9, 9), (-1, 20), (9, 25)])
def test_mail_hours_must_be_a_window_within_the_day(tmp_path: Any, start: int, end: int) -> None:
    from participatie.config import ConfigError, load_config

    with pytest.raises(ConfigError):
        load_config(tmp_path, {"SURVEY_MAIL_FROM_HOUR": start, "SURVEY_MAIL_UNTIL_HOUR": end})
