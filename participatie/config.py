"""Configuration: defaults in code, then `instance/config.py`, then environment variables.

Every setting can be given as `PARTICIPATIE_<NAME>` in the environment. Values from the environment
are parsed by the type of the default (int, bool, float, list), so `PARTICIPATIE_K_THRESHOLD=12`
becomes the integer 12.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

DEFAULT_SECRET_KEY = "dev-only-change-me"  # noqa: S105 - the known default production refuses

ENV_PREFIX = "PARTICIPATIE_"


class Defaults:
    ENV = "development"  # development | testing | production
    SECRET_KEY = DEFAULT_SECRET_KEY
    DATABASE_URL = ""  # empty: SQLite file in the instance folder

    # Small-number protection (DESIGN invariant 2); never below the floor.
    K_THRESHOLD = 10
    K_THRESHOLD_FLOOR = 5

    # The interface: the languages the app has message catalogs for (Dutch is the source).
    LANGUAGES = ["nl", "en"]
    # Survey content: the languages a questionnaire's texts can be written in (Dutch always,
    # the others optional and falling back to Dutch per text), as two- or three-letter codes.
    # Parents in the region often read one of these better than Dutch.
    SURVEY_LANGUAGES = ["nl", "en", "ar", "tr", "pl", "uk", "ti", "so"]
    # The interface (buttons, errors, help now) of a survey in a language without a catalog.
    # English: someone who chose Polish or Arabic over Dutch more likely reads English than
    # Dutch, and English is the one other language every ambassador can check.
    SURVEY_INTERFACE_FALLBACK = "en"
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGE_COOKIE = "taal"

    SESSION_COOKIE_NAME = "participatie_sessie"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # forced on in production
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    REMEMBER_COOKIE_DURATION = 0
    WTF_CSRF_TIME_LIMIT = 4 * 3600

    # Staff login protection
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    TOTP_ISSUER = "Participatie"

    # Public forms: per (hashed) address, and per e-mail address for sign-in links.
    SIGNUP_RATE_LIMIT = "20 per hour"
    MANAGE_LINK_RATE_LIMIT = "10 per hour"
    MANAGE_LINK_PER_ADDRESS_LIMIT = "3 per 15 minutes"
    PARTICIPANT_SESSION_MINUTES = 60
    # Surveys: the open link is rate-limited per (hashed) address; a shared computer at a
    # neighbourhood event must still be able to take many answers.
    SURVEY_OPEN_LINK_RATE_LIMIT = "30 per hour"
    SURVEY_RELEASE_BATCH = 0  # held answers are released in batches of max(this, K_THRESHOLD)
    # How long a web process trusts its memory that a wave is open; the submission itself checks.
    SURVEY_WAVE_CACHE_SECONDS = 30
    # Held answers and drafts are encrypted at rest (surveys/sealing.py) with keys derived from
    # this, or from SECRET_KEY when empty. A key of its own lets SECRET_KEY change without
    # touching answers; changing either while answers are held makes those unreadable.
    SURVEY_SEALING_KEY = ""
    # Invitations and reminders go out only from this hour up to (not including) that hour,
    # local time (BABEL_DEFAULT_TIMEZONE): nobody gets a survey in the night. Waves still open
    # and close on their days; the scheduler sends what waited at its first run in the daytime.
    SURVEY_MAIL_FROM_HOUR = 9
    SURVEY_MAIL_UNTIL_HOUR = 20

    # Rate limits: memory by default, Redis in production (e.g. redis://127.0.0.1:6379/0)
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    REDIS_URL = ""

    # Mail: "file" writes .eml files to instance/outbox, "smtp" sends.
    MAIL_BACKEND = "file"
    MAIL_SENDER = "Participatie <noreply@participatie.example>"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 587
    MAIL_USE_STARTTLS = True
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_TIMEOUT = 10

    # Scheduler
    SCHEDULER_EXTRA_JOBS: list[str] = []  # "module:function@seconds" interval jobs
    SCHEDULER_TIMEZONE = "Europe/Amsterdam"

    # Retention
    AUDIT_RETENTION_DAYS = 730
    UNCONFIRMED_DAYS = 7  # sign-ups whose e-mail is not confirmed are deleted after this
    GUARDIAN_DAYS = 14  # under-16 sign-ups without a guardian's confirmation
    INACTIVE_MONTHS = 24  # then a "do you want to stay?" mail
    STAY_ANSWER_DAYS = 30  # no answer to that mail: deleted
    # What happens to allowances when a participant is deleted: "anonymise" keeps date and amount
    # without any link to the person (for the municipality's books); "delete" removes them.
    ALLOWANCE_ON_DELETE = "anonymise"

    # Group sessions: a freed place is offered for this long (shorter near the start, never
    # under the minimum); reminders go out this many days before; needs and guests' contact
    # details are deleted this many days after the session.
    GROUPSESSION_OFFER_HOURS = 48
    GROUPSESSION_OFFER_MIN_MINUTES = 60
    GROUPSESSION_REMINDER_DAYS = 2
    GROUPSESSION_NEEDS_DAYS = 7
    GROUPSESSION_GUEST_DAYS = 30

    # Volunteer allowance limits per calendar year (Dutch tax rules); a year that is not listed
    # uses the nearest earlier one. Amounts in euros.
    ALLOWANCE_LIMITS: dict = {
        2025: {"hour_21_plus": 5.60, "hour_under_21": 3.30, "month": 210, "year": 2100},
    }

    # Themes: the labelled answers the coder's learned layer is trained on besides the reviews
    # (a JSON-lines file; empty: the corpus shipped with the package).
    THEMES_TRAINING_CORPUS = ""

    # Behind a reverse proxy: number of proxies to trust for X-Forwarded-* headers.
    PROXY_FIX_HOPS = 0

    PUBLIC_BASE_URL = "http://127.0.0.1:5000"

    # Shown on every page under "help now": the municipality's number (14 + area code).
    HELP_NEIGHBOURHOOD_PHONE = "14 033"


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def _coerce(value: str, default: Any) -> Any:
    if isinstance(default, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    if isinstance(default, list):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def load_config(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the merged configuration: defaults < instance/config.py < environment < overrides."""
    config: dict[str, Any] = {
        name: getattr(Defaults, name) for name in dir(Defaults) if name.isupper()
    }
    instance_file = instance_path / "config.py"
    if instance_file.exists():
        namespace: dict[str, Any] = {}
        exec(compile(instance_file.read_text(), str(instance_file), "exec"), namespace)  # noqa: S102 - operator-owned config file
        config.update({k: v for k, v in namespace.items() if k.isupper()})
    for key, raw in os.environ.items():
        if key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX) :]
            config[name] = _coerce(raw, config.get(name, ""))
    config.update(overrides or {})
    return finalise(config, instance_path)


def finalise(config: dict[str, Any], instance_path: Path) -> dict[str, Any]:
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'participatie.db'}"
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["DATABASE_URL"])
    config["K_THRESHOLD"] = max(int(config["K_THRESHOLD"]), int(config["K_THRESHOLD_FLOOR"]))
    config["TESTING"] = config["ENV"] == "testing"
    if config["ENV"] == "production":
        if config["SECRET_KEY"] in {DEFAULT_SECRET_KEY, ""} or len(config["SECRET_KEY"]) < 32:
            raise ConfigError(
                "Refusing to start in production with the default or a short SECRET_KEY: "
                "set PARTICIPATIE_SECRET_KEY to a random string of at least 32 characters."
            )
        if config["SURVEY_SEALING_KEY"] and len(config["SURVEY_SEALING_KEY"]) < 32:
            raise ConfigError(
                "Refusing to start in production with a short SURVEY_SEALING_KEY: "
                "use a random string of at least 32 characters, or leave it empty."
            )
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
    if not 0 <= int(config["SURVEY_MAIL_FROM_HOUR"]) < int(config["SURVEY_MAIL_UNTIL_HOUR"]) <= 24:
        raise ConfigError(
            "SURVEY_MAIL_FROM_HOUR and SURVEY_MAIL_UNTIL_HOUR must be hours with "
            "0 <= from < until <= 24."
        )
    _check_languages(config)
    if config["REDIS_URL"] and config["RATELIMIT_STORAGE_URI"] == "memory://":
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]
    config["OUTBOX_PATH"] = str(instance_path / "outbox")
    return config


LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def _check_languages(config: dict[str, Any]) -> None:
    """Survey languages: Dutch first, the interface languages included, each a plain ISO 639
    code (it becomes a `lang` attribute and part of form values)."""
    interface = [str(code) for code in config["LANGUAGES"]]
    survey = [str(code).strip().lower() for code in config["SURVEY_LANGUAGES"]]
    wrong = [code for code in interface + survey if not LANGUAGE_CODE.match(code)]
    if wrong:
        raise ConfigError(
            f"Language codes must be two or three lowercase letters (ISO 639): {wrong}."
        )
    if config["SURVEY_INTERFACE_FALLBACK"] not in interface:
        raise ConfigError("SURVEY_INTERFACE_FALLBACK must be one of LANGUAGES.")
    config["SURVEY_LANGUAGES"] = list(dict.fromkeys(["nl", *survey, *interface]))


def normalise_database_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
