"""Survey responses per second and their latency on PostgreSQL, beside a plain INSERT.

    .venv/bin/python bench/bench_surveys.py [--clients 50] [--seconds 20] [--warmup 5]

What it does, and undoes when it ends (also on Ctrl-C or an error):

1. creates a PostgreSQL database of its own, migrates it, adds a survey template of 25
   questions (the shipped parents' survey trimmed to 25, with one short open question added:
   single and multiple choice, agreement scales, yes/no, a grade, short and long text, and five
   conditional questions) and opens a wave of it with an open link;
2. runs the app under gunicorn (gunicorn.conf.py, production settings, only the open link's
   rate limit lifted) and lets N clients send complete responses as fast as they can: each GETs
   the survey's first page once, then POSTs complete responses (go=submit from the last
   section, all 25 answers with varied values, the open answers about 200 characters, each
   response its own form with its own send ticket; no cookie and no CSRF token, as the
   respondent pages need neither), each over a new connection as a reverse proxy opens them
   (`--connections keep-alive` keeps one connection per client). Each response goes to the
   holding area; every tenth one releases a shuffled batch (K_THRESHOLD), which codes the open
   answers with the theme coder inside that request;
3. runs the same load against bench/plain_app.py, a minimal Flask app on the same stack that
   stores the whole posted form as JSON with one INSERT: the ceiling;
4. prints responses, responses per second, p50/p95/p99 latency and errors for both and their
   ratio against the goal (70 % of the ceiling), checks the database (every 303 is one stored
   response with all 25 answers) and drops the database.

Any answer but a 303 to the thank-you page counts as an error. The exit status is 1 on errors or
a failed check, not when the goal is missed. The load generator runs on the same machine as the
server and takes part of its CPU.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import http.client
import json
import logging
import os
import random
import secrets
import signal
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import bench_signups as signups  # noqa: E402 - the shared load generator, servers and helpers
from bench_signups import ClientResults, create_database, drop_database, gunicorn  # noqa: E402

GOAL = 0.70  # of the plain INSERT's throughput
QUESTIONS = 25
# The parents' survey without these seven agreement questions and one open question; with
# `contact_word` (short text) added that leaves 25.
DROPPED = {
    "knows_next_step",
    "knows_rights",
    "knew_our_situation",
    "called_back",
    "help_fits",
    "story_told_once",
    "report_response",
    "tip_for_professionals",
}
SHORT_TEXT = {
    "code": "contact_word",
    "kind": "short_text",
    "required": False,
    "text": {
        "nl": "Welk woord past bij het contact met hulpverleners?",
        "en": "Which word fits the contact with professionals?",
    },
    "help": None,
    "options": [],
    "theme": None,
    "background": False,
    "condition": None,
}
# Answers that keep every conditional question shown, so each response has all 25 answers.
FIXED = {"role": "parent", "child_placed": "yes"}
CONDITION_MET = {"measure": ("ots", "guardianship", "dont_know")}
ALWAYS_CHOSEN = {"organisations": "veilig-thuis"}
AGREEMENT = ("1", "2", "3", "4", "5", "na")
YESNO = ("yes", "no")
WORDS = ("prettig", "afstandelijk", "wisselend", "goed", "moeizaam", "eerlijk", "snel", "traag")
SENTENCES = (
    "De jeugdbeschermer belde niet terug toen ik vragen had over de afspraken.",
    "Het wijkteam luisterde goed en nam de tijd voor ons gezin.",
    "Ik moest mijn verhaal steeds opnieuw vertellen aan een nieuwe hulpverlener.",
    "In het rapport stonden dingen die niet klopten, en dat is niet aangepast.",
    "De hulp kwam pas na maanden op gang, terwijl het thuis niet goed ging.",
    "Mijn kind zag de voogd bijna nooit en wist niet wie er over hem besliste.",
    "Ze legden duidelijk uit wat een ondertoezichtstelling betekent.",
    "Er waren te veel wisselingen van hulpverleners, elk half jaar iemand anders.",
    "Veilig Thuis vertelde niet wat er met onze melding ging gebeuren.",
    "Ik voelde me serieus genomen in het gesprek bij de Raad.",
)


def survey_spec() -> dict[str, Any]:
    """The benchmark's template: builtin.PARENTS trimmed to 25 questions, in the same format."""
    from participatie.surveys.builtin import PARENTS

    spec = copy.deepcopy(PARENTS)
    spec["slug"] = "bench-ervaringen"
    for section in spec["sections"]:
        section["questions"] = [q for q in section["questions"] if q["code"] not in DROPPED]
    spec["sections"][-1]["questions"].insert(1, copy.deepcopy(SHORT_TEXT))
    count = sum(len(section["questions"]) for section in spec["sections"])
    if count != QUESTIONS:
        raise RuntimeError(f"the benchmark survey has {count} questions, not {QUESTIONS}")
    return spec


# --- the load generator (runs in child processes: standard library only) --------------------


@dataclass(frozen=True)
class SurveyTarget:
    """What the clients do: GET `page` once, then POST complete responses to it in a loop."""

    label: str
    host: str
    port: int
    page: str  # /enquete/<key>, GET for the form and POST for the answers
    section_id: int  # the last section: the one a respondent sends the survey from
    # (code, kind, option values of single and multiple choice) of every question, in order
    questions: tuple[tuple[str, str, tuple[str, ...]], ...]
    keep_alive: bool  # False: a new connection per request, as from a reverse proxy

    @property
    def thanks(self) -> str:
        return f"{self.page}/bedankt"


def _long_text(rng: random.Random) -> str:
    """About 200 characters of open answer."""
    text = ""
    while len(text) < 190:
        text = f"{text} {rng.choice(SENTENCES)}".strip()
    return text[:220]


def answer_fields(target: SurveyTarget, rng: random.Random) -> list[tuple[str, str]]:
    """`a-<code>` fields of one complete response, with varied values."""
    fields: list[tuple[str, str]] = []
    for code, kind, options in target.questions:
        name = f"a-{code}"
        if code in FIXED:
            fields.append((name, FIXED[code]))
        elif kind == "multiple":
            always = ALWAYS_CHOSEN.get(code)
            others = [value for value in options if value != always]
            chosen = set(rng.sample(others, rng.randint(0, 2)))
            fields.extend((name, value) for value in options if value == always or value in chosen)
        elif kind == "single":
            fields.append((name, rng.choice(CONDITION_MET.get(code, options))))
        elif kind == "agreement":
            fields.append((name, rng.choice(AGREEMENT)))
        elif kind == "yesno":
            fields.append((name, rng.choice(YESNO)))
        elif kind == "grade":
            fields.append((name, str(rng.randint(1, 10))))
        elif kind == "short_text":
            fields.append((name, rng.choice(WORDS)))
        else:
            fields.append((name, _long_text(rng)))
    return fields


def form_body(target: SurveyTarget, rng: random.Random) -> bytes:
    fields = [
        ("section", str(target.section_id)),
        ("ticket", secrets.token_urlsafe(24)),  # one form, one response: each its own ticket
        *answer_fields(target, rng),
        ("website", ""),  # the honeypot, left empty as people do
        ("go", "submit"),
    ]
    return urllib.parse.urlencode(fields).encode()


def _survey_client(
    target: SurveyTarget,
    client: int,
    start_at: float,
    window: tuple[float, float],
    out: ClientResults,
) -> None:
    measure_from, measure_to = window
    while time.monotonic() < start_at and not signups._stopped():
        time.sleep(min(0.1, max(0.0, start_at - time.monotonic())))
    rng = random.Random(client)  # noqa: S311 - varied answers, not secrets
    connection = http.client.HTTPConnection(target.host, target.port, timeout=30)
    jar: dict[str, str] = {}
    try:
        response = signups._request(connection, "GET", target.page, jar)
        response.read()
        signups._cookies_from(response, jar)
        if response.status != 200:
            out.errors[f"page GET {response.status}"] += 1
            return
    except (OSError, http.client.HTTPException) as error:
        out.errors[f"page GET {type(error).__name__}"] += 1
        return
    # The redirect to the thank-you page is checked, not followed.
    while (started := time.monotonic()) < measure_to and not signups._stopped():
        body = form_body(target, rng)
        try:
            response = signups._request(
                connection, "POST", target.page, jar, body, target.keep_alive
            )
            response.read()
            status, location = response.status, response.getheader("Location") or ""
            if not target.keep_alive:
                connection.close()  # http.client opens a new one for the next request
            if status != 303:
                error = f"HTTP {status}"
            elif urllib.parse.urlsplit(location).path != target.thanks:
                error = "303 elsewhere than the thank-you page"
            else:
                error = ""
        except (OSError, http.client.HTTPException) as exc:
            error = type(exc).__name__
            connection.close()
            connection = http.client.HTTPConnection(target.host, target.port, timeout=30)
        latency = time.monotonic() - started
        if not error:
            out.successes_total += 1
        if started >= measure_from:
            out.latencies_ms.append(latency * 1000)
            if error:
                out.measured_errors += 1
            else:
                out.measured_ok += 1
        if error:
            out.errors[error] += 1
    connection.close()


def run_survey_clients(
    target: SurveyTarget, clients: list[int], start_at: float, window: tuple[float, float]
) -> ClientResults:
    """One load-generator process: a thread per client, each with its own connection."""
    results = [ClientResults() for _ in clients]
    threads = [
        threading.Thread(target=_survey_client, args=(target, client, start_at, window, result))
        for client, result in zip(clients, results, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = ClientResults()
    for result in results:
        total.merge(result)
    return total


# --- the database ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Survey:
    key: str
    section_id: int
    questions: tuple[tuple[str, str, tuple[str, ...]], ...]


def prepare_database(url: str, secret_key: str, instance: Path) -> Survey:
    """Migrate, add the reference data, the 25-question template and an open wave of it."""
    import flask_migrate

    from participatie import create_app
    from participatie.db import db
    from participatie.organisations.operations import ensure_reference_data
    from participatie.surveys import operations

    overrides = {"ENV": "production", "SECRET_KEY": secret_key, "DATABASE_URL": url}
    app = create_app(overrides, instance_path=str(instance))
    with app.app_context():
        flask_migrate.upgrade()
        ensure_reference_data()
        template = operations.create_template(survey_spec())
        today = operations.today()
        wave = operations.create_wave(
            None,
            template,
            opens_on=today,
            closes_on=today + timedelta(days=30),
            invite_pool=False,
            open_link=True,
            languages=["nl"],
        )
        operations.open_wave(None, wave)
        db.session.commit()
        version = wave.version
        survey = Survey(
            key=wave.public_key,
            section_id=version.sections[-1].id,
            questions=tuple(
                (
                    question.code,
                    question.kind,
                    tuple(str(option["value"]) for option in question.options),
                )
                for question in version.questions
            ),
        )
        db.session.remove()
        db.engine.dispose()
    return survey


def stored_responses(url: str, secret_key: str, instance: Path) -> tuple[int, int, int]:
    """(released responses, held submissions, those of either without all 25 answers).

    Held submissions are sealed: they are opened with the app's key, as the release does."""
    from sqlalchemy import select

    from participatie import create_app
    from participatie.db import db
    from participatie.surveys import sealing
    from participatie.surveys.models import PendingSubmission

    overrides = {"ENV": "production", "SECRET_KEY": secret_key, "DATABASE_URL": url}
    app = create_app(overrides, instance_path=str(instance))
    with app.app_context():
        held_rows = db.session.execute(
            select(PendingSubmission.wave_id, PendingSubmission.id, PendingSubmission.sealed)
        ).all()
        incomplete_held = sum(
            1
            for wave_id, hold_id, sealed in held_rows
            if len(sealing.open_held(wave_id, hold_id, sealed)[1]) != QUESTIONS
        )
        db.session.remove()
        db.engine.dispose()

    import psycopg

    with psycopg.connect(url) as connection:
        released = connection.execute("SELECT count(*) FROM survey_responses").fetchone()[0]
        incomplete = connection.execute(
            "SELECT count(*) FROM survey_responses r WHERE"
            " (SELECT count(DISTINCT question_id) FROM survey_answers a"
            "  WHERE a.response_id = r.id) <> %(n)s",
            {"n": QUESTIONS},
        ).fetchone()[0]
    return released, len(held_rows), incomplete + incomplete_held


def plain_rows(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SELECT count(*) FROM bench_plain_survey_responses").fetchone()[0]


def check_submission(port: int, target: SurveyTarget) -> None:
    """Fail early, with a clear message, when one response is not taken (no 303 to the
    thank-you page); it is stored, and counted in the check at the end."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    jar: dict[str, str] = {}
    try:
        response = signups._request(connection, "GET", target.page, jar)
        response.read()
        signups._cookies_from(response, jar)
        if response.status != 200:
            raise RuntimeError(f"GET {target.page} answered {response.status}")
        body = form_body(target, random.Random(-1))  # noqa: S311
        response = signups._request(connection, "POST", target.page, jar, body)
        text = response.read().decode("utf-8", "replace")
        location = response.getheader("Location") or ""
    finally:
        connection.close()
    if response.status != 303 or urllib.parse.urlsplit(location).path != target.thanks:
        raise RuntimeError(
            f"POST {target.page} answered {response.status} {location!r}, not a 303 to"
            f" {target.thanks}:\n{text[:2000]}"
        )


# --- reporting ---------------------------------------------------------------------------------


def _lost_note(result: ClientResults) -> str:
    """Requests the client gave up on (a timeout, a dropped connection) may still have been
    stored by the server after all."""
    lost = sum(count for kind, count in result.errors.items() if " " not in kind)
    return (
        f" ({lost} requests timed out or lost their connection; some may be stored)" if lost else ""
    )


APP_LABEL = "survey  POST /enquete/<key>"
PLAIN_LABEL = "plain INSERT  POST /enquete/<key>"


def report(rows: list[tuple[str, dict[str, Any]]], notes: list[str], failures: list[str]) -> None:
    header = (
        f"{'endpoint':<34} {'responses':>9} {'resp/s':>7} {'p50 ms':>7} {'p95 ms':>7}"
        f" {'p99 ms':>7} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for label, row in rows:
        print(
            f"{label:<34} {row['requests']:>9} {row['per_second']:>7.1f} {row['p50_ms']:>7.0f}"
            f" {row['p95_ms']:>7.0f} {row['p99_ms']:>7.0f} {row['errors']:>6}"
        )
    by_label = dict(rows)
    survey, plain = by_label.get(APP_LABEL), by_label.get(PLAIN_LABEL)
    if survey and plain and plain["per_second"]:
        ratio = survey["per_second"] / plain["per_second"]
        verdict = "met" if ratio >= GOAL else "NOT met"
        print(f"\nsurvey / plain throughput: {ratio:.0%} (goal {GOAL:.0%}: {verdict})")
        print(f"p95: survey {survey['p95_ms']:.0f} ms, plain {plain['p95_ms']:.0f} ms")
    if any(row["cpu_cores"] for _, row in rows):
        print("\nCPU during the measured window, in cores busy (app per response in ms):")
        for label, row in rows:
            cores = ", ".join(f"{name} {value:.2f}" for name, value in row["cpu_cores"].items())
            print(
                f"  {label.split()[0]:<8} {cores}; app {row['app_cpu_ms']:.1f} ms,"
                f" PostgreSQL {row['postgres_cpu_ms']:.1f} ms per response"
            )
    print()
    for label, row in rows:
        if row["error_kinds"]:
            print(f"errors ({label}): {row['error_kinds']}")
    for note in notes:
        print(note)
    for failure in failures:
        print(f"CHECK FAILED: {failure}")
    if not failures:
        print("Checks passed: no errors, and every 303 is one stored response with all answers.")


# --- main --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds (20)")
    parser.add_argument("--warmup", type=float, default=5, help="unmeasured seconds first (5)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4: 2 cores x 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (4)")
    parser.add_argument(
        "--client-processes",
        type=int,
        default=os.cpu_count() or 2,
        help="load-generator processes the clients are spread over (one per core)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "BENCH_POSTGRES_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="a database on the server to connect to for CREATE/DROP DATABASE",
    )
    parser.add_argument(
        "--only", choices=("survey", "plain"), help="run one endpoint instead of both"
    )
    parser.add_argument(
        "--connections",
        choices=("per-request", "keep-alive"),
        default="per-request",
        help="a new connection per request, as a reverse proxy opens them to gunicorn (default),"
        " or one keep-alive connection per client",
    )
    parser.add_argument(
        "--ratelimit-storage",
        default="memory://",
        help="the rate limiter's storage (memory://, as bench_signups.py; or redis://HOST:PORT/DB"
        " as in production)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--logs", type=Path, help="keep the gunicorn logs in this folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)  # keeps migration chatter out of the report
    signal.signal(signal.SIGTERM, signups._terminate)
    secret_key = secrets.token_urlsafe(36)  # 48 characters
    rows: list[tuple[str, dict[str, Any]]] = []
    notes: list[str] = []
    failures: list[str] = []
    with contextlib.ExitStack() as cleanup:
        workdir = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        logs = args.logs or workdir
        logs.mkdir(parents=True, exist_ok=True)
        database, url = create_database(args.postgres)
        cleanup.callback(drop_database, args.postgres, database)
        survey = prepare_database(url, secret_key, workdir / "instance")
        import plain_app

        plain_app.create_schema(url)

        base_env = {k: v for k, v in os.environ.items() if not k.startswith("PARTICIPATIE_")}
        base_env.update(
            PARTICIPATIE_WORKERS=str(args.workers),
            PARTICIPATIE_THREADS=str(args.threads),
        )
        app_env = {
            **base_env,
            "PARTICIPATIE_ENV": "production",
            "PARTICIPATIE_SECRET_KEY": secret_key,
            "PARTICIPATIE_DATABASE_URL": url,
            "PARTICIPATIE_RATELIMIT_STORAGE_URI": args.ratelimit_storage,
            "PARTICIPATIE_SURVEY_OPEN_LINK_RATE_LIMIT": "1000000 per hour",
        }
        processes = max(1, min(args.client_processes, args.clients))
        keep_alive = args.connections == "keep-alive"
        connections = (
            "one keep-alive connection per client" if keep_alive else "a new connection per request"
        )
        print(
            f"{args.clients} concurrent clients, {args.seconds:g} s measured after a"
            f" {args.warmup:g} s warm-up; gunicorn {args.workers} workers x {args.threads}"
            f" threads (gthread); PostgreSQL at {args.postgres.rsplit('@', 1)[-1]};"
            f" {connections}.\n"
            f"Each request sends one complete response of {QUESTIONS} questions. The load"
            f" generator ({processes} processes x ~{args.clients // processes} threads)"
            f" shares the machine's {os.cpu_count()} cores with the server.\n",
            flush=True,
        )
        page = f"/enquete/{survey.key}"

        def target(label: str, port: int) -> SurveyTarget:
            return SurveyTarget(
                label, "127.0.0.1", port, page, survey.section_id, survey.questions, keep_alive
            )

        if args.only in (None, "survey"):
            with gunicorn("app:app", app_env, logs / "gunicorn-app.log", []) as (port, pid):
                check_submission(port, target("survey", port))
                result, row = signups.measure(
                    target("survey", port), args, pid, database, run_survey_clients
                )
            rows.append((APP_LABEL, row))
            released, held, incomplete = stored_responses(url, secret_key, workdir / "instance")
            expected = result.successes_total + 1  # the check before the load
            notes.append(
                f"Survey: {released + held} responses stored ({released} released in batches,"
                f" {held} held) for {expected} successful submissions (warm-up and the"
                " first check included)."
            )
            if released + held != expected:
                failures.append(
                    f"{released + held} stored responses for {expected} successes"
                    + _lost_note(result)
                )
            if incomplete:
                failures.append(f"{incomplete} stored responses lack answers")

        if args.only in (None, "plain"):
            plain_env = {**base_env, "PLAIN_DATABASE_URL": url}
            log = logs / "gunicorn-plain.log"
            extra = ["--pythonpath", str(BENCH)]
            with gunicorn("plain_app:app", plain_env, log, extra) as (port, pid):
                check_submission(port, target("plain", port))
                result, row = signups.measure(
                    target("plain", port), args, pid, database, run_survey_clients
                )
            rows.append((PLAIN_LABEL, row))
            stored = plain_rows(url)
            expected = result.successes_total + 1
            notes.append(f"Plain: {stored} rows stored for {expected} successful submissions.")
            if stored != expected:
                failures.append(
                    f"{stored} plain rows for {expected} successes" + _lost_note(result)
                )

        for label, row in rows:
            if row["errors"] or row["error_kinds"]:
                failures.append(f"{label.split()[0]}: errors {row['error_kinds']}")

        report(rows, notes, failures)
        if args.json:
            by_label = dict(rows)
            survey_row, plain_row = by_label.get(APP_LABEL), by_label.get(PLAIN_LABEL)
            ratio = (
                survey_row["per_second"] / plain_row["per_second"]
                if survey_row and plain_row and plain_row["per_second"]
                else None
            )
            figures = {
                "clients": args.clients,
                "seconds": args.seconds,
                "warmup": args.warmup,
                "workers": args.workers,
                "threads": args.threads,
                "cores": os.cpu_count(),
                "questions": QUESTIONS,
                "results": {
                    label.split()[0]: {"endpoint": " ".join(label.split()[1:]), **row}
                    for label, row in rows
                },
                "ratio": ratio,
                "goal": GOAL,
                "goal_met": ratio is not None and ratio >= GOAL,
                "notes": notes,
                "failures": failures,
            }
            args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted; the benchmark database was dropped", file=sys.stderr)
        sys.exit(130)
