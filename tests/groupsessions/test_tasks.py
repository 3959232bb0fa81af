"""Scheduled jobs of group sessions, run by two real scheduler processes at once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from participatie import create_app
from participatie.db import db, run_in_transaction
from participatie.groupsessions import operations
from participatie.groupsessions.models import Registration
from participatie.scheduler import registered_jobs
from tests.conftest import base_config
from tests.support.databases import empty_all_tables

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def postgres_app(postgres_url: str, instance_path: Path) -> Iterator[Flask]:
    application = create_app(base_config(postgres_url), instance_path=str(instance_path))
    with application.app_context():
        from participatie.organisations.operations import ensure_reference_data

        ensure_reference_data()
        db.session.commit()
    yield application
    with application.app_context():
        tables = [table.name for table in reversed(db.metadata.sorted_tables)]
        db.engine.dispose()
    empty_all_tables(postgres_url, tables)


def test_session_jobs_are_registered(postgres_app: Flask) -> None:
    ids = {job.id for job in registered_jobs(postgres_app)}
    assert {
        "groupsessions.send_reminders",
        "groupsessions.expire_offers",
        "groupsessions.purge_needs",
    } <= ids


def test_reminders_go_out_once_when_two_scheduler_processes_run(
    postgres_url: str, postgres_app: Flask, smtp
) -> None:
    from datetime import timedelta

    from participatie import clock
    from participatie.groupsessions.models import GroupSession

    with postgres_app.app_context():
        starts = clock.now() + timedelta(days=1)
        session = GroupSession(
            kind="panel",
            title_nl="Panel",
            audience="both",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            capacity=10,
            taken=0,
            status="published",
            questions=[],
            languages=["nl"],
        )
        db.session.add(session)
        db.session.commit()
        for index in range(5):
            run_in_transaction(
                lambda i=index: operations.sign_up(
                    session.id,
                    operations.SignupData(
                        guest_name=f"G{i}", guest_email=f"herinner{i}@example.org"
                    ),
                )
            )
    smtp.clear()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PARTICIPATIE_")},
        "PARTICIPATIE_ENV": "testing",
        "PARTICIPATIE_DATABASE_URL": postgres_url,
        "PARTICIPATIE_SECRET_KEY": "x" * 40,
        "PARTICIPATIE_MAIL_BACKEND": "smtp",
        "PARTICIPATIE_MAIL_SERVER": "127.0.0.1",
        "PARTICIPATIE_MAIL_PORT": str(smtp.port),
        "PARTICIPATIE_MAIL_USE_STARTTLS": "false",
        "PARTICIPATIE_SCHEDULER_EXTRA_JOBS": "participatie.groupsessions.tasks:send_reminders@1",
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable,
        "-m",
        "flask",
        "--app",
        "app",
        "scheduler",
        "run",
        "--max-seconds",
        "5",
    ]
    processes = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=60)[0] for process in processes]
    assert all(process.returncode == 0 for process in processes), outputs
    messages = smtp.wait_for(5)
    recipients = Counter(message["X-Envelope-To"] for message in messages)
    assert recipients == Counter({f"herinner{i}@example.org": 1 for i in range(5)}), outputs
    with postgres_app.app_context():
        sent = db.session.scalars(select(Registration.reminder_sent_at)).all()
    assert all(moment is not None for moment in sent)
