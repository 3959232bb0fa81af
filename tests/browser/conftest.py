"""A live server with demo data and a real Chromium driven by Playwright."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from participatie import create_app
from participatie.db import db
from tests.conftest import base_config, migrate_database
from tests.support.databases import skip_or_fail

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{folder / 'live.db'}"
    migrate_database(url, folder)
    # Many sign-ins from one address in a minute: the login limit would stop the crawl.
    config = base_config(url, MAIL_BACKEND="file", LOGIN_RATE_LIMIT="1000 per minute")
    app = create_app(config, instance_path=str(folder))
    with app.app_context():
        from participatie.demo import seed_demo

        seed_demo()
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        skip_or_fail("REQUIRE_BROWSER", "Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server: str):  # type: ignore[no-untyped-def]
    contexts = []

    def factory(language: str = "nl", javascript: bool = True):  # type: ignore[no-untyped-def]
        context = browser.new_context(
            base_url=live_server, java_script_enabled=javascript, locale=language
        )
        context.add_cookies([{"name": "taal", "value": language, "url": live_server}])
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        context.close()
