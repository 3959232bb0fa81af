from __future__ import annotations

import itertools
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from participatie import clock
from participatie.audit.models import AuditEvent
from participatie.db import db
from participatie.scheduler import (
    ScheduledJob,
    SchedulerLease,
    claim,
    create_scheduler,
    registered_jobs,
    run_claimed,
)

ROOT = Path(__file__).resolve().parent.parent
PROBE = ScheduledJob(
    "probe",
    "tests.support.jobs:record_run",
    "interval",
    {"seconds": 60},
    min_gap=timedelta(seconds=30),
)


def probe_runs(app: Flask) -> int:
    with app.app_context():
        return len(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "test.scheduler_probe")
            ).all()
        )


def test_lease_lets_one_claim_through_per_gap(app: Flask) -> None:
    with app.app_context(), clock.frozen_at(clock.now()):
        assert claim(PROBE, "a:1") is True
        assert claim(PROBE, "b:2") is False
        clock.advance(timedelta(seconds=29))
        assert claim(PROBE, "b:2") is False
        clock.advance(timedelta(seconds=2))
        assert claim(PROBE, "b:2") is True
        lease = db.session.get(SchedulerLease, "probe")
        assert lease.holder == "b:2"
        assert lease.run_count == 2


def test_run_claimed_runs_the_job_once_and_commits(app: Flask) -> None:
    with clock.frozen_at(clock.now()):
        assert run_claimed(app, PROBE) is True
        assert run_claimed(app, PROBE) is False
    assert probe_runs(app) == 1


def test_failing_job_rolls_back_its_work(app: Flask) -> None:
    job = ScheduledJob("failing", "tests.test_scheduler:_failing_job", "interval", {"seconds": 60})
    assert run_claimed(app, job) is True
    assert probe_runs(app) == 0


def _failing_job() -> None:
    from participatie.audit.operations import record

    record(None, "test.scheduler_probe")
    raise RuntimeError("the job breaks halfway")


def test_jobs_are_registered_with_a_database_jobstore(app: Flask) -> None:
    ids = {job.id for job in registered_jobs(app)}
    assert "audit.purge_expired_events" in ids
    scheduler = create_scheduler(app)
    scheduler.start(paused=True)
    try:
        assert {job.id for job in scheduler.get_jobs()} == ids
    finally:
        scheduler.shutdown(wait=False)
    with app.app_context():
        stored = db.session.execute(db.text("SELECT id FROM apscheduler_jobs")).scalars().all()
    assert set(stored) == ids


def test_audit_purge_job_deletes_only_expired_events(app: Flask) -> None:
    from participatie.audit.operations import record
    from participatie.audit.tasks import purge_expired_events

    with app.app_context():
        old = record(None, "old.event")
        old.occurred_at = clock.now() - timedelta(days=app.config["AUDIT_RETENTION_DAYS"] + 1)
        record(None, "new.event")
        db.session.commit()
        assert purge_expired_events() == 1
        db.session.commit()
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert actions == {"new.event"}


@pytest.fixture
def postgres_app(postgres_url: str, instance_path: Path):
    from participatie import create_app
    from tests.conftest import base_config
    from tests.support.databases import empty_all_tables

    application = create_app(base_config(postgres_url), instance_path=str(instance_path))
    yield application
    with application.app_context():
        tables = [table.name for table in reversed(db.metadata.sorted_tables)]
        db.engine.dispose()
    empty_all_tables(postgres_url, tables)


def test_two_scheduler_processes_run_each_job_once(postgres_url: str, postgres_app: Flask) -> None:
    """`flask scheduler run` twice on PostgreSQL: every firing of the job runs in one process."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PARTICIPATIE_")},
        "PARTICIPATIE_ENV": "testing",
        "PARTICIPATIE_DATABASE_URL": postgres_url,
        "PARTICIPATIE_SECRET_KEY": "x" * 40,
        "PARTICIPATIE_SCHEDULER_EXTRA_JOBS": "tests.support.jobs:record_run@1",
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
        "6",
    ]
    processes = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=60)[0] for process in processes]
    assert all(process.returncode == 0 for process in processes), outputs
    assert all("scheduler started" in output for output in outputs), outputs

    with postgres_app.app_context():
        times = sorted(
            db.session.scalars(
                select(AuditEvent.occurred_at).where(AuditEvent.action == "test.scheduler_probe")
            )
        )
        lease = db.session.get(SchedulerLease, "extra.tests.support.jobs:record_run")
        runs = lease.run_count
    # One-second interval for about six seconds: roughly six runs, not twelve.
    assert 3 <= len(times) <= 8, (len(times), outputs)
    assert runs == len(times)
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.5, gaps
    # Both processes tried: one of them was told the other had the lease.
    assert any("another process has it" in output for output in outputs), outputs
