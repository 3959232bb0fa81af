"""Sign-up throughput and latency of group sessions on PostgreSQL, beside a plain INSERT.

    .venv/bin/python bench/bench_signups.py [--clients 100] [--seconds 20] [--warmup 3]

What it does, and undoes when it ends (also on Ctrl-C or an error):

1. creates a PostgreSQL database of its own, migrates it and adds one published group session
   with 100 places (`--capacity`): the first 100 sign-ups get a place, the rest go to the
   waiting list, as for a popular session. Every sign-up starts with the conditional UPDATE of
   that session's row, which serialises sign-ups while places are left;
2. starts a local SMTP sink, so the app sends its confirmation mails over real SMTP;
3. runs the app under gunicorn (gunicorn.conf.py, production settings) and lets N clients sign
   up as guests as fast as they can: each GETs the session page once for its session cookie and
   CSRF token, then POSTs sign-ups with unique e-mail addresses, each over a new connection as
   a reverse proxy in front of gunicorn opens them (`--connections keep-alive` keeps one
   connection per client instead; gunicorn then spreads the clients unevenly over its workers);
4. runs the same load against bench/plain_app.py, a minimal Flask app on the same stack that
   stores the same fields with one INSERT: the ceiling;
5. prints requests, requests per second, p50/p95/p99 latency and errors for both, checks the
   database (every success is a registration, no overbooking) and drops the database.

The load generator runs on the same machine as the server and takes part of its CPU.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import json
import logging
import multiprocessing
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
SUCCESS = {302, 303}
GUEST_FIELDS = ("name", "email", "consent", "need_support", "need_dietary", "csrf_token")
NEEDS = {"support": "Hulp bij het lezen van papieren", "dietary": "Vegetarisch"}

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


# --- the load generator (runs in child processes: standard library only) --------------------


@dataclass(frozen=True)
class Target:
    """What the clients do: GET `page` once, then POST to `action` in a loop."""

    label: str
    host: str
    port: int
    page: str
    action: str
    kind: str  # "signup" (CSRF token, session cookie, guest form) or "plain"
    session_id: int
    keep_alive: bool  # False: a new connection per request, as from a reverse proxy


@dataclass
class ClientResults:
    latencies_ms: list[float] = field(default_factory=list)  # requests started in the window
    measured_ok: int = 0
    measured_errors: int = 0
    successes_total: int = 0  # warm-up included: each one must be a row in the database
    errors: Counter[str] = field(default_factory=Counter)

    def merge(self, other: ClientResults) -> None:
        self.latencies_ms.extend(other.latencies_ms)
        self.measured_ok += other.measured_ok
        self.measured_errors += other.measured_errors
        self.successes_total += other.successes_total
        self.errors.update(other.errors)


def _cookies_from(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    """Keep name=value of every Set-Cookie, ignoring Secure: the app runs in production mode,
    which marks its cookies Secure, and the benchmark talks plain HTTP on 127.0.0.1."""
    for header in response.msg.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if value and "max-age=0" not in header.lower():
            jar[name.strip()] = value
        else:
            jar.pop(name.strip(), None)


def _request(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    jar: dict[str, str],
    body: bytes | None = None,
    keep_alive: bool = True,
) -> http.client.HTTPResponse:
    headers = {"Accept-Language": "nl", "User-Agent": "participatie-bench"}
    if not keep_alive:
        headers["Connection"] = "close"
    if jar:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in jar.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    return connection.getresponse()


def _form_body(target: Target, client: int, number: int, csrf_token: str) -> bytes:
    email = f"bench-{client}-{number}@example.org"
    name = f"Bench {client}-{number}"
    if target.kind == "plain":
        fields = {
            "session_id": str(target.session_id),
            "name": name,
            "email": email,
            "needs": "; ".join(NEEDS.values()),
        }
    else:
        fields = {
            "csrf_token": csrf_token,
            "name": name,
            "email": email,
            "phone": "",
            "consent": "y",
            "website": "",
            **{f"need_{key}": value for key, value in NEEDS.items()},
        }
    return urllib.parse.urlencode(fields).encode()


# Set by the parent on Ctrl-C or an error: the clients stop after their current request.
_stop: Any = None


def _init_load_process(stop: Any) -> None:
    global _stop  # one event per load-generator process, set once at its start
    _stop = stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and cleans up


def _stopped() -> bool:
    return _stop is not None and _stop.is_set()


def _client(
    target: Target, client: int, start_at: float, window: tuple[float, float], out: ClientResults
) -> None:
    measure_from, measure_to = window
    while time.monotonic() < start_at and not _stopped():
        time.sleep(min(0.1, max(0.0, start_at - time.monotonic())))
    connection = http.client.HTTPConnection(target.host, target.port, timeout=30)
    jar: dict[str, str] = {}
    csrf_token = ""
    try:
        response = _request(connection, "GET", target.page, jar)
        page = response.read().decode("utf-8", "replace")
        _cookies_from(response, jar)
        if response.status != 200:
            out.errors[f"page GET {response.status}"] += 1
            return
        if target.kind == "signup":
            match = _CSRF.search(page)
            if not match:
                out.errors["no CSRF token on the page"] += 1
                return
            csrf_token = html.unescape(match.group(1) or match.group(2))
    except (OSError, http.client.HTTPException) as error:
        out.errors[f"page GET {type(error).__name__}"] += 1
        return
    # The session cookie from the GET holds the CSRF secret. Cookies set by a POST (the outcome
    # for the page the browser would be sent to) are not sent back: the benchmark measures the
    # POST and does not follow the redirect.
    number = 0
    while (started := time.monotonic()) < measure_to and not _stopped():
        number += 1
        body = _form_body(target, client, number, csrf_token)
        try:
            response = _request(connection, "POST", target.action, jar, body, target.keep_alive)
            response.read()
            status = response.status
            if not target.keep_alive:
                connection.close()  # http.client opens a new one for the next request
            error = "" if status in SUCCESS else f"HTTP {status}"
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


def run_clients(
    target: Target, clients: list[int], start_at: float, window: tuple[float, float]
) -> ClientResults:
    """One load-generator process: a thread per client, each with its own connection."""
    results = [ClientResults() for _ in clients]
    threads = [
        threading.Thread(target=_client, args=(target, client, start_at, window, result))
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


def run_load(
    target: Any, args: argparse.Namespace, cpu: CpuMeter, runner: Any = None
) -> ClientResults:
    """Spread the clients over load-generator processes; each runs `runner(target, clients,
    start_at, window)` (run_clients by default; bench_surveys.py passes its own)."""
    runner = runner or run_clients
    processes = max(1, min(args.client_processes, args.clients))
    groups = [list(range(index, args.clients, processes)) for index in range(processes)]
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    with ProcessPoolExecutor(
        max_workers=processes,
        mp_context=context,
        initializer=_init_load_process,
        initargs=(stop,),
    ) as pool:
        # Spawned processes need a moment to start; every client starts at the same instant.
        start_at = time.monotonic() + 2.0
        window = (start_at + args.warmup, start_at + args.warmup + args.seconds)
        futures = [pool.submit(runner, target, group, start_at, window) for group in groups]
        try:
            time.sleep(max(0.0, window[0] - time.monotonic()))
            cpu.start()
            time.sleep(max(0.0, window[1] - time.monotonic()))
            cpu.stop()
            total = ClientResults()
            for future in futures:
                total.merge(future.result())
        except BaseException:
            stop.set()  # so leaving the pool does not wait for the rest of the window
            raise
    return total


# --- where the CPU went (Linux /proc; figures are left out elsewhere) ------------------------


class CpuMeter:
    """CPU time over the measured window: the app's gunicorn processes, the PostgreSQL backends
    of the benchmark database, the load generator (with the SMTP sink), and everything else on
    the machine (other work that shares the cores)."""

    TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def __init__(self, server_pid: int, backends: Any) -> None:
        self.server_pid = server_pid
        self.backends = backends  # () -> PostgreSQL backend pids of the benchmark database
        self.before: tuple[float, float, dict[int, tuple[int, float]]] | None = None
        self.used: dict[str, float] = {}
        self.seconds = 0.0

    @staticmethod
    def _processes() -> dict[int, tuple[int, float]]:
        """{pid: (parent pid, CPU seconds)} of every process."""
        table = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                table[int(entry.name)] = (
                    int(fields[1]),
                    (int(fields[11]) + int(fields[12])) / CpuMeter.TICK,
                )
        return table

    @staticmethod
    def _descendants(root: int, table: dict[int, tuple[int, float]]) -> set[int]:
        found = {root}
        while True:
            more = {pid for pid, (parent, _) in table.items() if parent in found} - found
            if not more:
                return found
            found |= more

    @staticmethod
    def _machine_busy() -> float:
        with Path("/proc/stat").open() as stat:
            ticks = [int(value) for value in stat.readline().split()[1:]]
        return (sum(ticks) - ticks[3] - ticks[4]) / CpuMeter.TICK  # all but idle and iowait

    def start(self) -> None:
        with contextlib.suppress(OSError):
            self.before = (time.monotonic(), self._machine_busy(), self._processes())

    def stop(self) -> None:
        if not self.before:
            return
        with contextlib.suppress(OSError):
            started, busy, before = self.before
            table = self._processes()
            self.seconds = time.monotonic() - started
            server = self._descendants(self.server_pid, table)
            groups = {
                "app": server,
                "postgres": set(self.backends()),
                "load generator": self._descendants(os.getpid(), table) - server,
            }
            # A process that started inside the window counts from zero.
            self.used = {
                name: sum(
                    table[pid][1] - before.get(pid, (0, 0.0))[1] for pid in pids if pid in table
                )
                for name, pids in groups.items()
            }
            self.used["machine"] = self._machine_busy() - busy
            self.used["other"] = self.used["machine"] - sum(self.used[name] for name in groups)

    def cores(self, name: str) -> float:
        return self.used.get(name, 0.0) / self.seconds if self.seconds else 0.0


# --- the servers around it -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailSink:
    """An SMTP server that accepts and counts every message, and keeps none."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.count = 0
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 Message accepted"

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def _log_tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@contextlib.contextmanager
def gunicorn(
    app: str, env: dict[str, str], log: Path, extra: list[str]
) -> Iterator[tuple[int, int]]:
    """Run `gunicorn -c gunicorn.conf.py APP` on a free port; yield the port and the master's
    pid once /healthz or / answers 200. Stopped (the whole process group it leads) when the block ends."""
    port = free_port()
    env = {**env, "PARTICIPATIE_BIND": f"127.0.0.1:{port}"}
    command = [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", *extra]
    command.append(app)
    with log.open("ab") as output:
        # Our own gunicorn, started from the venv with a fixed argument list.
        process = subprocess.Popen(  # noqa: S603 - fixed command, no shell, no outside input
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        wait_until_up(port, process, log)
        yield port, process.pid
    finally:
        stop_process_group(process)


def wait_until_up(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{_log_tail(log)}")
        for path in ("/healthz", "/"):
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                try:
                    connection.request("GET", path)
                    if connection.getresponse().status == 200:
                        return
                finally:
                    connection.close()
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port} in time:\n{_log_tail(log)}")


def stop_process_group(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    # The group gunicorn leads (start_new_session): the master and the workers it forked.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- the database ------------------------------------------------------------------------------


def create_database(admin_dsn: str) -> tuple[str, str]:
    import psycopg

    name = f"participatie_bench_{secrets.token_hex(5)}"
    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')  # a name we generated, not input
    return name, f"{admin_dsn.rsplit('/', 1)[0]}/{name}"


def drop_database(admin_dsn: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare_database(url: str, secret_key: str, instance: Path, capacity: int) -> int:
    """Migrate, add the reference data and one published session; return the session's id."""
    import flask_migrate

    from participatie import clock, create_app
    from participatie.db import db
    from participatie.groupsessions.models import GroupSession
    from participatie.organisations.operations import ensure_reference_data

    overrides = {"ENV": "production", "SECRET_KEY": secret_key, "DATABASE_URL": url}
    app = create_app(overrides, instance_path=str(instance))
    with app.app_context():
        flask_migrate.upgrade()
        ensure_reference_data()
        starts_at = clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=10)
        session = GroupSession(
            kind="group_conversation",
            title_nl="Groepsgesprek (benchmark)",
            description_nl="Een bijeenkomst voor de benchmark van aanmeldingen.",
            audience="both",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            location_name="Stadhuis",
            location_address="Stadhuisplein 1, Amersfoort",
            capacity=capacity,
            taken=0,
            status="published",
            languages=["nl"],
            questions=list(NEEDS),
        )
        db.session.add(session)
        db.session.commit()
        session_id = session.id
        db.session.remove()
        db.engine.dispose()
    return session_id


def registrations(url: str, session_id: int) -> tuple[dict[str, int], int, int]:
    """({status: count}, taken, capacity) of the session."""
    import psycopg

    with psycopg.connect(url) as connection:
        counts = dict(
            connection.execute(
                "SELECT status, count(*) FROM group_session_registrations"
                " WHERE session_id = %s GROUP BY status",
                (session_id,),
            ).fetchall()
        )
        taken, capacity = connection.execute(
            "SELECT taken, capacity FROM group_sessions WHERE id = %s", (session_id,)
        ).fetchone()
    return counts, taken, capacity


def plain_rows(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SELECT count(*) FROM bench_plain_signups").fetchone()[0]


def wait_for_signup_form(port: int, page: str) -> None:
    """Fail early, with a clear message, when the session page has no guest sign-up form."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", page, headers={"Accept-Language": "nl"})
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    missing = [name for name in GUEST_FIELDS if f'name="{name}"' not in text]
    if response.status != 200 or missing:
        raise RuntimeError(
            f"GET {page} answered {response.status}; the guest sign-up form lacks {missing}"
        )


# --- reporting ---------------------------------------------------------------------------------


def summary(result: ClientResults, seconds: float) -> dict[str, Any]:
    latencies = sorted(result.latencies_ms)
    if len(latencies) >= 2:
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
        p50, p95, p99 = cuts[49], cuts[94], cuts[98]
    else:
        p50 = p95 = p99 = latencies[0] if latencies else float("nan")
    requests = result.measured_ok + result.measured_errors
    return {
        "requests": requests,
        "ok": result.measured_ok,
        "errors": result.measured_errors,
        "per_second": result.measured_ok / seconds,
        "p50_ms": p50,
        "p95_ms": p95,
        "p99_ms": p99,
        "error_kinds": dict(result.errors),
    }


def report(rows: list[tuple[str, dict[str, Any]]], notes: list[str], failures: list[str]) -> None:
    header = (
        f"{'endpoint':<30} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}"
        f" {'p99 ms':>7} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for label, row in rows:
        print(
            f"{label:<30} {row['requests']:>8} {row['per_second']:>7.1f} {row['p50_ms']:>7.0f}"
            f" {row['p95_ms']:>7.0f} {row['p99_ms']:>7.0f} {row['errors']:>6}"
        )
    by_label = dict(rows)
    signup = next((row for label, row in rows if label.startswith("sign-up")), None)
    plain = by_label.get("plain INSERT  POST /signups")
    if signup and plain and plain["per_second"]:
        print(f"\nsign-up / plain throughput: {signup['per_second'] / plain['per_second']:.0%}")
    if any(row["cpu_cores"] for _, row in rows):
        print("\nCPU during the measured window, in cores busy (app per request in ms):")
        for label, row in rows:
            cores = ", ".join(f"{name} {value:.2f}" for name, value in row["cpu_cores"].items())
            print(
                f"  {label.split()[0]:<8} {cores}; app {row['app_cpu_ms']:.1f} ms,"
                f" PostgreSQL {row['postgres_cpu_ms']:.1f} ms per request"
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
        print("Checks passed: every success is stored once, and no session is overbooked.")


# --- main --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100, help="concurrent clients (100)")
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds (20)")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds first (3)")
    parser.add_argument("--capacity", type=int, default=100, help="places in the session (100)")
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
        "--only", choices=("signup", "plain"), help="run one endpoint instead of both"
    )
    parser.add_argument(
        "--connections",
        choices=("per-request", "keep-alive"),
        default="per-request",
        help="a new connection per request, as a reverse proxy opens them to gunicorn (default),"
        " or one keep-alive connection per client",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--logs", type=Path, help="keep the gunicorn logs in this folder")
    return parser.parse_args(argv)


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # clean up as for Ctrl-C


def backend_pids(admin_dsn: str, database: str) -> list[int]:
    import psycopg

    with psycopg.connect(admin_dsn) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,)
        ).fetchall()
    return [pid for (pid,) in rows]


def measure(
    target: Any, args: argparse.Namespace, server_pid: int, database: str, runner: Any = None
) -> tuple[ClientResults, dict[str, Any]]:
    cpu = CpuMeter(server_pid, lambda: backend_pids(args.postgres, database))
    result = run_load(target, args, cpu, runner)
    row = summary(result, args.seconds)
    row["cpu_cores"] = {name: round(cpu.cores(name), 2) for name in cpu.used}
    for name, key in (("app", "app_cpu_ms"), ("postgres", "postgres_cpu_ms")):
        row[key] = 1000 * cpu.used.get(name, 0.0) / row["ok"] if row["ok"] else float("nan")
    return result, row


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)  # keeps migration chatter out of the report
    signal.signal(signal.SIGTERM, _terminate)
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
        session_id = prepare_database(url, secret_key, workdir / "instance", args.capacity)
        sys.path.insert(0, str(BENCH))
        import plain_app

        plain_app.create_schema(url)
        mail = MailSink()
        mail.start()
        cleanup.callback(mail.stop)

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
            "PARTICIPATIE_MAIL_BACKEND": "smtp",
            "PARTICIPATIE_MAIL_SERVER": "127.0.0.1",
            "PARTICIPATIE_MAIL_PORT": str(mail.port),
            "PARTICIPATIE_MAIL_USE_STARTTLS": "false",
            "PARTICIPATIE_SIGNUP_RATE_LIMIT": "1000000 per minute",
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
            f"The load generator ({processes} processes x ~{args.clients // processes} threads)"
            f" shares the machine's {os.cpu_count()} cores with the server.\n",
            flush=True,
        )

        if args.only in (None, "signup"):
            page = f"/bijeenkomsten/{session_id}"
            with gunicorn("app:app", app_env, logs / "gunicorn-app.log", []) as (port, pid):
                wait_for_signup_form(port, page)
                target = Target(
                    "sign-up", "127.0.0.1", port, page, page, "signup", session_id, keep_alive
                )
                result, row = measure(target, args, pid, database)
            rows.append((f"sign-up  POST {page}", row))
            counts, taken, capacity = registrations(url, session_id)
            total = sum(counts.values())
            confirmed = counts.get("confirmed", 0)
            notes.append(
                f"Session capacity {capacity}: {confirmed} confirmed, {counts.get('waiting', 0)}"
                f" on the waiting list ({total} registrations, warm-up included);"
                f" {mail.count} mails sent over SMTP."
            )
            if total != result.successes_total:
                failures.append(f"{total} registrations for {result.successes_total} successes")
            if confirmed != min(capacity, total) or taken != confirmed or taken > capacity:
                failures.append(f"places: taken={taken} confirmed={confirmed} of {capacity}")
            if mail.count != total:
                notes.append(f"Note: {mail.count} mails for {total} sign-ups.")

        if args.only in (None, "plain"):
            plain_env = {**base_env, "PLAIN_DATABASE_URL": url}
            log = logs / "gunicorn-plain.log"
            extra = ["--pythonpath", str(BENCH)]
            with gunicorn("plain_app:app", plain_env, log, extra) as (port, pid):
                target = Target(
                    "plain", "127.0.0.1", port, "/", "/signups", "plain", session_id, keep_alive
                )
                result, row = measure(target, args, pid, database)
            rows.append(("plain INSERT  POST /signups", row))
            stored = plain_rows(url)
            if stored != result.successes_total:
                failures.append(f"{stored} plain rows for {result.successes_total} successes")

        report(rows, notes, failures)
        if args.json:
            figures = {
                "clients": args.clients,
                "seconds": args.seconds,
                "warmup": args.warmup,
                "workers": args.workers,
                "threads": args.threads,
                "cores": os.cpu_count(),
                "results": {
                    label.split()[0]: {"endpoint": " ".join(label.split()[1:]), **row}
                    for label, row in rows
                },
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
