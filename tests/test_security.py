import logging
import re
from pathlib import Path

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from participatie.security import LogScrubFilter, is_safe_redirect, redact_secrets
from tests.conftest import login


@pytest.mark.parametrize("path", ["/", "/medewerkers/inloggen", "/bestaat-niet", "/healthz"])
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "default-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_session_cookie_is_httponly_and_samesite(client: FlaskClient, create_user) -> None:
    account = create_user("beheerder")
    result = login(client, account)
    cookie = next(
        value
        for key, value in result.headers.items()
        if key == "Set-Cookie" and value.startswith("participatie_sessie=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_form_without_csrf_token_gets_friendly_translated_page(client: FlaskClient) -> None:
    dutch = client.post("/medewerkers/inloggen", data={"email": "a@b.nl", "password": "x"})
    assert dutch.status_code == 400
    assert "Het formulier is verlopen" in dutch.get_data(as_text=True)
    english = client.post(
        "/medewerkers/inloggen",
        data={"email": "a@b.nl", "password": "x"},
        headers={"Accept-Language": "en"},
    )
    assert "The form has expired" in english.get_data(as_text=True)


def test_no_template_has_inline_script_style_or_external_asset() -> None:
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    for template in templates.rglob("*.html"):
        text = template.read_text()
        assert "<script" not in text, template
        assert "style=" not in text, template
        assert "<style" not in text, template
        # Not even links: nothing on a page points the browser at another host.
        assert not re.search(r'(src|href|action)="(https?:)?//', text), template


def test_ip_addresses_are_removed_from_log_records() -> None:
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - [23/Nov/2026 10:36:06] "GET / HTTP/1.1" 200 -',
        ("203.0.113.7",),
        None,
    )
    LogScrubFilter().filter(record)
    message = record.getMessage()
    assert "203.0.113.7" not in message
    assert "10:36:06" in message
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "from 2001:db8::1 and ::1", (), None)
    LogScrubFilter().filter(record)
    assert "2001:db8" not in record.getMessage()


def test_application_logs_hold_no_ip_address(
    client: FlaskClient, create_user, caplog: pytest.LogCaptureFixture
) -> None:
    account = create_user("beheerder")
    caplog.set_level(logging.DEBUG)
    environ = {"REMOTE_ADDR": "198.51.100.23"}
    client.get("/", environ_base=environ)
    client.post(
        "/medewerkers/inloggen", data={"email": "x@y.nl", "password": "p"}, environ_base=environ
    )
    login(client, account)
    assert caplog.records, "expected the app to log something"
    assert all("198.51.100.23" not in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/beheer", True),
        ("//evil.example", False),
        ("https://evil.example", False),
        ("/\\evil", False),
        (None, False),
        ("beheer", False),
    ],
)
def test_redirect_targets_must_be_local(target: object, safe: bool) -> None:
    assert is_safe_redirect(target) is safe


def test_login_redirects_only_to_local_next(client: FlaskClient, create_user) -> None:
    from tests.conftest import fresh_code, post_form

    account = create_user("beheerder")
    post_form(
        client,
        "/medewerkers/inloggen?next=https://evil.example/",
        {"email": account.email, "password": account.password},
    )
    response = post_form(client, "/medewerkers/inloggen/code", {"code": fresh_code(account)})
    assert response.headers["Location"] == "/medewerkers/"


def test_rate_limit_keys_hold_no_ip_address(app: Flask) -> None:
    from participatie.security import anonymous_client_key

    with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.44"}):
        key = anonymous_client_key()
    assert "192.0.2.44" not in key
    assert re.fullmatch(r"[0-9a-f]{24}", key)


def test_rate_limits_can_live_in_redis(database_url: str, instance_path, smtp_server) -> None:
    """Several gunicorn workers share one Redis; the limit then holds across all of them."""
    import redis

    from participatie import create_app
    from tests.conftest import base_config, post_form
    from tests.support.databases import skip_or_fail

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.exceptions.ConnectionError:
        skip_or_fail("REQUIRE_REDIS", "Redis is not reachable on 127.0.0.1:6379")
    config = base_config(database_url, REDIS_URL=url, LOGIN_RATE_LIMIT="2 per minute")
    workers = [create_app(config, instance_path=str(instance_path)) for _ in range(2)]
    statuses = []
    for worker in workers * 2:  # alternate between two "workers"
        client = worker.test_client()
        response = post_form(
            client, "/medewerkers/inloggen", {"email": "a@example.org", "password": "x"}
        )
        statuses.append(response.status_code)
    assert statuses == [200, 200, 429, 429]
    assert redis.Redis.from_url(url).keys("*")
    redis.Redis.from_url(url).flushdb()


# Secrets as they appear in links: a survey invitation token, a resume code, a sign-in token.
INVITATION_TOKEN = "Zx9-geheimeUitnodigingToken_4kQ"
RESUME_CODE = "QRST-UVWX-YZ23"
SIGN_IN_TOKEN = "mijnGegevensToken-7788_abc"
SECRET_REQUESTS = [
    f"/enquete/uitnodiging/{INVITATION_TOKEN}",
    f"/enquete/verder/{RESUME_CODE}",
    f"/enquete/verder/{RESUME_CODE.replace('-', '%20')}",
    f"/taal/en?next=/enquete/uitnodiging/{INVITATION_TOKEN}",
    f"/taal/en?next=%2Fenquete%2Fverder%2F{RESUME_CODE}",
    f"/mijn-gegevens/link/{SIGN_IN_TOKEN}",
    f"/meedoen/bevestigen/{SIGN_IN_TOKEN}",
    f"/meedoen/toestemming-ouder/{SIGN_IN_TOKEN}",
    f"/mijn-gegevens/blijven/{SIGN_IN_TOKEN}",
    f"/bijeenkomsten/aanmelding/{SIGN_IN_TOKEN}",
    f"/enquete//uitnodiging/{INVITATION_TOKEN}",
    "/poule/?zoek=Jansen",
]
SECRETS = [INVITATION_TOKEN, RESUME_CODE, "QRST", "YZ23", SIGN_IN_TOKEN, "Jansen"]


def _leaks(lines: list[str]) -> list[str]:
    return [secret for secret in SECRETS if any(secret in line for line in lines)]


def test_secrets_in_paths_and_query_values_are_removed_from_log_records() -> None:
    for path in SECRET_REQUESTS:
        record = logging.LogRecord(
            "gunicorn.access", logging.INFO, __file__, 1, '"GET %s HTTP/1.1" 200', (path,), None
        )
        LogScrubFilter().filter(record)
        message = record.getMessage()
        assert not _leaks([message]), message
        assert message.startswith('"GET /') and message.endswith('HTTP/1.1" 200'), message
        assert "[redacted]" in message
    # What is no secret stays readable for whoever reads the log.
    for harmless in ("/enquete/verder", "/enquete/AbC123/bedankt", "/taal/en", "/poule/?status=x"):
        assert redact_secrets(f"GET {harmless} HTTP/1.1") == f"GET {harmless} HTTP/1.1"


def test_every_route_with_a_token_or_code_in_its_path_is_redacted_in_logs(app: Flask) -> None:
    """A new route with a secret in its path must be added to SECRET_PATH_PREFIXES."""
    # /taal/<code> takes a language code, which is no secret.
    not_secret = {"i18n.switch_language"}
    checked = 0
    for rule in app.url_map.iter_rules():
        secret_arguments = rule.arguments & {"token", "code"}
        if not secret_arguments or rule.endpoint in not_secret:
            continue
        values = {name: "x" for name in rule.arguments} | {
            name: "SecretValue123" for name in secret_arguments
        }
        with app.test_request_context():
            path = url_for(rule.endpoint, **values)
        assert "SecretValue123" not in redact_secrets(f"GET {path} HTTP/1.1"), rule.rule
        checked += 1
    assert checked >= 7


def test_access_log_of_a_real_server_holds_no_client_address_and_no_secret(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    import http.client
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    caplog.set_level(logging.INFO, logger="werkzeug")
    try:
        for path in ["/privacy", *SECRET_REQUESTS]:
            # Connect from another loopback address so the log would show a "client" address.
            connection = http.client.HTTPConnection(
                "127.0.0.1", server.server_port, source_address=("127.0.0.5", 0), timeout=5
            )
            connection.request("GET", path)
            status = connection.getresponse().status
            assert status < 500, (path, status)
            connection.close()
    finally:
        server.shutdown()
        thread.join(timeout=5)
    access_lines = [r.getMessage() for r in caplog.records if "HTTP/1.1" in r.getMessage()]
    assert any("GET /privacy" in line for line in access_lines), "the server should log requests"
    assert len(access_lines) == len(SECRET_REQUESTS) + 1, access_lines
    assert all("127.0.0.5" not in line for line in access_lines)
    assert not _leaks(access_lines), access_lines
    assert any("/enquete/uitnodiging/[redacted]" in line for line in access_lines)


def test_gunicorn_access_log_holds_no_client_address_and_no_secret(
    sqlite_url: str, tmp_path: Path
) -> None:
    """gunicorn as in production (gunicorn.conf.py), its access and error log read from its
    output."""
    import http.client
    import os
    import socket
    import subprocess
    import sys
    import time

    root = Path(__file__).resolve().parent.parent
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PARTICIPATIE_")},
        "PARTICIPATIE_ENV": "testing",
        "PARTICIPATIE_DATABASE_URL": sqlite_url,
        "PARTICIPATIE_SECRET_KEY": "x" * 40,
        "PARTICIPATIE_BIND": f"127.0.0.1:{port}",
        "PARTICIPATIE_WORKERS": "1",
        "PARTICIPATIE_THREADS": "2",
        "PYTHONPATH": str(root),
    }
    output = tmp_path / "gunicorn.log"
    with output.open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:app"],
            cwd=root,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    connection.request("GET", "/healthz")
                    if connection.getresponse().status == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, output.read_text()
                assert server.poll() is None, output.read_text()
                time.sleep(0.2)
            for path in SECRET_REQUESTS:
                connection = http.client.HTTPConnection(
                    "127.0.0.1", port, source_address=("127.0.0.6", 0), timeout=5
                )
                connection.request("GET", path)
                assert connection.getresponse().status < 500, path
                connection.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    lines = output.read_text().splitlines()
    access_lines = [line for line in lines if "HTTP/1.1" in line]
    assert len(access_lines) >= len(SECRET_REQUESTS), lines
    assert not _leaks(lines), lines
    assert all("127.0.0.6" not in line for line in lines)
    assert any("/enquete/uitnodiging/[redacted]" in line for line in access_lines), lines
