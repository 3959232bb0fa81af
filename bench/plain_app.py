"""The ceiling for bench_signups.py and bench_surveys.py: a minimal Flask app that stores a
sign-up, or a survey response, in one INSERT.

No participatie code: no CSRF, no session cookie, no capacity check, no mail, no checking of
answers, no holding area. It runs on the same stack as the real app (gunicorn with
gunicorn.conf.py, the same PostgreSQL server, a SQLAlchemy Core engine with psycopg 3 and its
connection pool), so the gap between the two is what the app itself adds.

- `POST /signups`: the guest sign-up fields into `bench_plain_signups`;
- `GET /enquete/<key>`: a page with a hidden `csrf_token` field (a random value, never checked),
  so the survey clients post the same fields to both servers;
- `POST /enquete/<key>`: the whole posted form, every field, as one JSON value into
  `bench_plain_survey_responses`; answers 303 to /enquete/<key>/bedankt as the app does.

    PLAIN_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/DB \\
        .venv/bin/gunicorn -c gunicorn.conf.py --pythonpath bench plain_app:app

bench_signups.py creates the table (`create_schema`) before it starts the workers, so four
workers never race to create it.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime

from flask import Flask, redirect, request
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
)

metadata = MetaData()

plain_signups = Table(
    "bench_plain_signups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, nullable=False),
    Column("name", String(80), nullable=False),
    Column("email", String(254), nullable=False),
    Column("needs", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

plain_survey_responses = Table(
    "bench_plain_survey_responses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("survey_key", String(32), nullable=False),
    Column("form", JSON, nullable=False),  # {field: [values]}, as posted
    Column("created_at", DateTime, nullable=False),
)


def engine_for(url: str) -> Engine:
    """psycopg 3 with SQLAlchemy's default pool, as Flask-SQLAlchemy gives the real app."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    return create_engine(url, pool_pre_ping=False)


def create_schema(url: str) -> None:
    engine = engine_for(url)
    try:
        metadata.create_all(engine)
    finally:
        engine.dispose()


def create_app(url: str) -> Flask:
    app = Flask(__name__)
    engine = engine_for(url)

    @app.get("/")
    def page() -> str:
        return "<form method=post action=/signups><button>Aanmelden</button></form>"

    @app.post("/signups")
    def signup():  # type: ignore[no-untyped-def]
        form = request.form
        with engine.begin() as connection:
            connection.execute(
                insert(plain_signups).values(
                    session_id=int(form.get("session_id", "0")),
                    name=form.get("name", "")[:80],
                    email=form.get("email", "")[:254],
                    needs=form.get("needs", "")[:1000],
                    status="confirmed",
                    created_at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
        return redirect("/", code=303)

    @app.get("/enquete/<key>")
    def survey_page(key: str) -> str:
        token = secrets.token_urlsafe(66)  # about as long as the app's signed CSRF token
        return (
            f'<form method=post action="/enquete/{key}">'
            f'<input type="hidden" name="csrf_token" value="{token}">'
            "<button>Begin met de vragenlijst</button></form>"
        )

    @app.post("/enquete/<key>")
    def survey_answer(key: str):  # type: ignore[no-untyped-def]
        with engine.begin() as connection:
            connection.execute(
                insert(plain_survey_responses).values(
                    survey_key=key[:32],
                    form=request.form.to_dict(flat=False),
                    created_at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
        return redirect(f"/enquete/{key}/bedankt", code=303)

    return app


app = create_app(
    os.environ.get("PLAIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
)

if __name__ == "__main__":
    # `make bench` runs every bench/*.py; this one is a server the benchmarks start.
    print(
        "plain_app.py is the ceiling server of bench_signups.py and bench_surveys.py,"
        " not a benchmark: nothing to do"
    )
