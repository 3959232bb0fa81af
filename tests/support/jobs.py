"""A job the scheduler tests register through PARTICIPATIE_SCHEDULER_EXTRA_JOBS."""

from participatie.audit.operations import record


def record_run() -> None:
    record(None, "test.scheduler_probe")
