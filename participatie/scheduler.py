"""Scheduled jobs: APScheduler with its job store in the database.

Jobs are plain functions in each module's `tasks.py`, listed in `registered_jobs()`. One
`flask scheduler run` process runs them. Should a second one run by mistake (or during a
deploy), a lease row per job in `scheduler_leases` makes it harmless: before a job runs, its
process claims the lease with one atomic UPDATE that only succeeds when the previous run started
longer ago than the job's minimum gap, so each firing runs once across all processes.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from sqlalchemy import (
    Column,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    Unicode,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from . import clock
from .db import db, unit_of_work

logger = logging.getLogger(__name__)

JOBSTORE_TABLE = "apscheduler_jobs"

# APScheduler's own job store table, declared here too so migrations own its schema.
apscheduler_jobs = Table(
    JOBSTORE_TABLE,
    db.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
    comment="APScheduler job store: pickled job definitions, no personal data",
)


class SchedulerLease(db.Model):
    __tablename__ = "scheduler_leases"

    job_id: Mapped[str] = mapped_column(String(191), primary_key=True)
    last_started_at: Mapped[datetime | None]
    holder: Mapped[str | None] = mapped_column(String(120), comment="host:pid of the last runner")
    run_count: Mapped[int] = mapped_column(Integer, default=0)


@dataclass(frozen=True)
class ScheduledJob:
    id: str
    func: str  # "package.module:function"
    trigger: str  # "interval" or "cron"
    trigger_args: dict[str, Any] = field(default_factory=dict)
    min_gap: timedelta = timedelta(minutes=30)


def registered_jobs(app: Flask) -> list[ScheduledJob]:
    jobs = [
        ScheduledJob(
            "audit.purge_expired_events",
            "participatie.audit.tasks:purge_expired_events",
            "cron",
            {"hour": 3, "minute": 15},
            min_gap=timedelta(hours=1),
        ),
        ScheduledJob(
            "participants.purge_unconfirmed",
            "participatie.participants.tasks:purge_unconfirmed",
            "cron",
            {"minute": 5},
            min_gap=timedelta(minutes=30),
        ),
        ScheduledJob(
            "participants.ask_inactive_to_stay",
            "participatie.participants.tasks:ask_inactive_to_stay",
            "cron",
            {"hour": 10, "minute": 0},
            min_gap=timedelta(hours=1),
        ),
        ScheduledJob(
            "groupsessions.expire_offers",
            "participatie.groupsessions.tasks:expire_offers",
            "interval",
            {"minutes": 10},
            min_gap=timedelta(minutes=5),
        ),
        ScheduledJob(
            "groupsessions.send_reminders",
            "participatie.groupsessions.tasks:send_reminders",
            "interval",
            {"minutes": 30},
            min_gap=timedelta(minutes=15),
        ),
        ScheduledJob(
            "groupsessions.purge_needs",
            "participatie.groupsessions.tasks:purge_needs",
            "cron",
            {"hour": 4, "minute": 45},
            min_gap=timedelta(hours=1),
        ),
        ScheduledJob(
            "participants.delete_without_stay_answer",
            "participatie.participants.tasks:delete_without_stay_answer",
            "cron",
            {"hour": 4, "minute": 30},
            min_gap=timedelta(hours=1),
        ),
        ScheduledJob(
            "surveys.run_waves",
            "participatie.surveys.tasks:run_waves",
            "cron",
            {"minute": 20},
            min_gap=timedelta(minutes=30),
        ),
        ScheduledJob(
            "themes.learn_from_reviews",
            "participatie.themes.tasks:learn_from_reviews",
            "cron",
            {"hour": 3, "minute": 50},
            min_gap=timedelta(hours=1),
        ),
        ScheduledJob(
            "surveys.release_batches",
            "participatie.surveys.tasks:release_due",
            "interval",
            {"minutes": 1},
            min_gap=timedelta(seconds=30),
        ),
        ScheduledJob(
            "surveys.compact_storage",
            "participatie.surveys.tasks:compact_storage",
            "cron",
            {"hour": 2, "minute": 40},
            min_gap=timedelta(hours=1),
        ),
    ]
    for spec in app.config["SCHEDULER_EXTRA_JOBS"]:
        reference, _, seconds_text = spec.partition("@")
        seconds = float(seconds_text or 60)
        jobs.append(
            ScheduledJob(
                f"extra.{reference}",
                reference,
                "interval",
                {"seconds": seconds},
                min_gap=timedelta(seconds=seconds / 2),
            )
        )
    return jobs


def resolve(reference: str) -> Callable[[], Any]:
    module_name, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(job: ScheduledJob, holder: str) -> bool:
    """Take the job's lease if its last run started at least `min_gap` ago. Commits."""
    now = clock.now()
    if db.session.get(SchedulerLease, job.id) is None:
        try:
            with db.session.begin_nested():
                db.session.add(SchedulerLease(job_id=job.id, run_count=0))
        except IntegrityError:
            pass  # the other process inserted it first
    result = db.session.execute(
        update(SchedulerLease)
        .where(
            SchedulerLease.job_id == job.id,
            or_(
                SchedulerLease.last_started_at.is_(None),
                SchedulerLease.last_started_at <= now - job.min_gap,
            ),
        )
        .values(last_started_at=now, holder=holder, run_count=SchedulerLease.run_count + 1)
    )
    db.session.commit()
    return result.rowcount == 1


def run_claimed(app: Flask, job: ScheduledJob) -> bool:
    """Run one job if this process wins its lease. Returns whether it ran."""
    with app.app_context():
        if not claim(job, holder_name()):
            logger.info("job skipped, another process has it job=%s", job.id)
            return False
        logger.info("job started job=%s", job.id)
        try:
            with unit_of_work():
                resolve(job.func)()
        except Exception:
            logger.exception("job failed job=%s", job.id)
            return True
        logger.info("job finished job=%s", job.id)
        return True


# The scheduler process keeps its app here: APScheduler stores jobs by textual reference to
# `run_job`, so the stored state holds no application objects.
_state: dict[str, Any] = {}


def run_job(job_id: str) -> None:
    app: Flask = _state["app"]
    jobs = {job.id: job for job in registered_jobs(app)}
    if job_id not in jobs:
        logger.warning("stored job no longer registered job=%s", job_id)
        return
    run_claimed(app, jobs[job_id])


def create_scheduler(app: Flask) -> BackgroundScheduler:
    _state["app"] = app
    with app.app_context():
        engine = db.engine
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBSTORE_TABLE)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 600},
        timezone=app.config["SCHEDULER_TIMEZONE"],
    )
    registered = registered_jobs(app)
    for job in registered:
        scheduler.add_job(
            "participatie.scheduler:run_job",
            trigger=job.trigger,
            args=[job.id],
            id=job.id,
            name=job.id,
            replace_existing=True,
            **job.trigger_args,
        )
    return scheduler


def remove_unregistered(scheduler: BackgroundScheduler, app: Flask) -> None:
    known = {job.id for job in registered_jobs(app)}
    for stored in scheduler.get_jobs():
        if stored.id not in known and not stored.id.startswith("extra."):
            stored.remove()


def run_forever(app: Flask, max_seconds: float | None = None) -> None:
    """Run the scheduler in this process until SIGINT/SIGTERM (or `max_seconds`)."""
    stop = threading.Event()

    def _stop(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    scheduler = create_scheduler(app)
    scheduler.start()
    remove_unregistered(scheduler, app)
    logger.info("scheduler started holder=%s jobs=%s", holder_name(), len(scheduler.get_jobs()))
    stop.wait(timeout=max_seconds)
    scheduler.shutdown(wait=True)
    logger.info("scheduler stopped holder=%s", holder_name())


def lease_overview() -> list[SchedulerLease]:
    return list(db.session.scalars(select(SchedulerLease).order_by(SchedulerLease.job_id)))
