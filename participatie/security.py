"""Password hashing, TOTP, stable link tokens, response headers, rate-limit keys and log hygiene."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_COST"]
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-ish time check; with no hash it still does the work so timing reveals nothing."""
    hasher = _hasher()
    if not password_hash:
        hasher.hash(password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random initial password that is easy to type: four groups of letters and digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_accepts(secret: str, code: str, last_step: int | None, at: float) -> int | None:
    """Return the matched time step if `code` is valid at time `at` (one step of drift either
    way) and newer than `last_step`; None otherwise. Using the step blocks replay."""
    code = re.sub(r"\s+", "", code or "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    step_now = int(at // totp.interval)
    for step in (step_now - 1, step_now, step_now + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def derived_token(message: str) -> str:
    """A link token derived from `message` with the app's SECRET_KEY (HMAC-SHA256, url-safe).

    For links that must stay the same in every mail about one thing (a group-session
    registration, a survey invitation) while the database keeps only a hash of the token: the
    token is never stored, and a dump without the secret key yields no working link. The message
    names its purpose first ("group-registration:…", "survey-invitation:…"), so one message can
    never give another purpose's token. A new SECRET_KEY changes every such link."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def anonymous_client_key() -> str:
    """Rate-limit key: a keyed hash of the client address, so no IP address is ever stored."""
    address = request.remote_addr or "unknown"
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:24]


def set_security_headers(response: Response) -> Response:
    """The headers every response carries, unless a view set its own. (One pass over the
    headers already there: looking each one up raises and catches a KeyError per miss.)"""
    present = {name.lower() for name, _ in response.headers}
    wanted = dict(SECURITY_HEADERS)
    if current_app.config["ENV"] == "production":
        wanted["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint and not request.endpoint.endswith("static"):
        wanted["Cache-Control"] = "no-store"
    response.headers.extend(
        [(name, value) for name, value in wanted.items() if name.lower() not in present]
    )
    return response


# IPv4, full IPv6, and compressed IPv6 (which always holds "::", unlike a clock time).
_IP_PATTERN = re.compile(
    r"\b(?:\d{1,3}\.){3}\d{1,3}\b"
    r"|\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b"
    r"|(?:[0-9a-fA-F]{1,4})?(?::[0-9a-fA-F]{1,4})*::(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)?"
)


_LOOPBACK = {"127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 - a literal to compare, not a bind

# Routes whose last path segment is a secret: whoever reads it can answer someone's survey,
# continue their saved answers, cancel their place or manage their data. tests/test_security.py
# checks that every route with a `<token>` or `<code>` in its path is listed here.
SECRET_PATH_PREFIXES = (
    "/enquete/uitnodiging/",  # survey invitation
    "/enquete/verder/",  # resume code of saved survey answers
    "/bijeenkomsten/aanmelding/",  # group-session registration (confirm, cancel)
    "/meedoen/bevestigen/",  # e-mail confirmation of a pool sign-up
    "/meedoen/toestemming-ouder/",  # a guardian's consent
    "/mijn-gegevens/blijven/",  # "do you want to stay?"
    "/mijn-gegevens/link/",  # sign-in link to manage one's own data
)
# Query values that may hold a secret or personal data: `next` can carry any of the paths
# above (the language switch sends people back to where they were), `zoek` is a name staff
# searched the pool for, and `token`/`code` are never meant for a log either.
SECRET_QUERY_NAMES = ("next", "zoek", "token", "code")
REDACTED = "[redacted]"

_SLASH = r"(?:/|%2f)+"  # also doubled or percent-encoded: the route still matches those
_SECRET_PATH = re.compile(
    "("
    + "|".join(_SLASH.join(map(re.escape, prefix.split("/"))) for prefix in SECRET_PATH_PREFIXES)
    + ")"
    # The rest of the path, spaces included (a typed code), up to the query or the protocol.
    + r"(?:(?! HTTP/)[^?#\"'\r\n])+",
    re.IGNORECASE,
)
_SECRET_QUERY = re.compile(
    r"([?&;](?:" + "|".join(SECRET_QUERY_NAMES) + r')=)[^&;#\s"\']*', re.IGNORECASE
)


def redact_secrets(text: str) -> str:
    """`text` with the secret part of link paths and secret-bearing query values replaced."""
    if "/" not in text and "=" not in text:
        return text
    return _SECRET_QUERY.sub(rf"\g<1>{REDACTED}", _SECRET_PATH.sub(rf"\g<1>{REDACTED}", text))


def _scrub(match: re.Match[str]) -> str:
    # The server's own loopback address ("Running on http://127.0.0.1:5000") is nobody's data.
    return match.group(0) if match.group(0) in _LOOPBACK else "-"


def scrub_log_text(text: str) -> str:
    """A log line without client addresses, link tokens, resume codes or searched names."""
    return redact_secrets(_IP_PATTERN.sub(_scrub, text))


class LogScrubFilter(logging.Filter):
    """Removes client IP addresses (werkzeug's access log starts with one) and secrets in paths
    (access logs show the request line) from every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = scrub_log_text(message)
        if scrubbed != message:
            record.msg = scrubbed
            record.args = ()
        return True


def install_log_filters(app: Flask) -> None:
    log_filter = LogScrubFilter()
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error", "participatie", app.logger.name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, LogScrubFilter) for f in logger.filters):
            logger.addFilter(log_filter)
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, LogScrubFilter) for f in handler.filters):
            handler.addFilter(log_filter)


def is_safe_redirect(target: Any) -> bool:
    """Only same-site relative paths; blocks `//evil.example` and `https://…`."""
    return (
        isinstance(target, str)
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and "\n" not in target
    )


def csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas in text people typed themselves (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
