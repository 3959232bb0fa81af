"""Every page the app renders passes axe-core in Dutch and English, in a real Chromium.

The test signs in as each role and follows every same-site link it finds, so new pages are
checked as soon as they are linked. Pages behind forms (errors, two-factor setup) are visited
on purpose.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from participatie.demo import DEMO_ACCOUNTS
from tests.conftest import StaffAccount, fresh_code

pytestmark = pytest.mark.browser

SKIP_PREFIXES = ("/taal/", "/static/", "/favicon", "/healthz", "/medewerkers/tweestaps/qr.svg")
SKIP_SUFFIXES = (".csv", ".xlsx", ".json", ".ics", ".svg", ".png")
PER_PATTERN = 2  # pages of one shape (e.g. /poule/<id>) checked per crawl
axe = Axe()


def demo_account(role: str, live_app) -> StaffAccount:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from participatie.auth.models import User
    from participatie.db import db

    account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
    with live_app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == account.email))
    return StaffAccount(
        user_id, account.email, account.password, role, account.totp_secret, account.name
    )


def sign_in(page, account: StaffAccount) -> None:  # type: ignore[no-untyped-def]
    page.goto("/medewerkers/inloggen")
    page.fill("#email", account.email)
    page.fill("#password", account.password)
    page.click("button[type=submit]")
    page.fill("#code", fresh_code(account))
    page.click("main button[type=submit]")
    page.wait_for_url("**/medewerkers/")


def assert_accessible(page, label: str) -> None:  # type: ignore[no-untyped-def]
    results = axe.run(page)
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"


def crawl(
    page,
    live_server: str,
    start: list[str],
    label: str,
    limit: int = 80,
    language: str | None = None,
) -> list[str]:  # type: ignore[no-untyped-def]
    import re
    from collections import Counter

    seen: list[str] = []
    shapes: Counter[str] = Counter()
    queue = list(start)
    host = urlparse(live_server).netloc
    while queue and len(seen) < limit:
        path = queue.pop(0)
        shape = re.sub(r"\d+", "N", path.split("?")[0]) + ("?" if "?" in path else "")
        # The start pages are always checked; of the pages found, a few per shape.
        if path in seen or (shapes[shape] >= PER_PATTERN and path not in start):
            continue
        shapes[shape] += 1
        response = page.goto(path)
        assert response is not None and response.status < 400, (
            f"{path} gave {response and response.status}"
        )
        seen.append(path)
        assert page.locator("h1").count() == 1, f"{path} should have exactly one h1"
        assert_accessible(page, f"{label} {path}")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parsed = urlparse(href)
            if parsed.scheme not in ("http", "https") or parsed.netloc != host:
                continue
            target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            # A link that switches the language (it also sets the cookie) would turn the rest
            # of this crawl into the other language's: the other crawl checks those pages.
            switches = language is not None and any(
                key == "taal" and value != language for key, value in parse_qsl(parsed.query)
            )
            if (
                switches
                or target.startswith(SKIP_PREFIXES)
                or parsed.path.endswith(SKIP_SUFFIXES)
                or target in seen
                or target in queue
            ):
                continue
            queue.append(target)
    return seen


def survey_pages(live_app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Paths of the demo's survey pages: the respondent's first page of the open wave, and the
    staff pages of a template and of an open, a closed and a planned wave."""
    from sqlalchemy import select

    from participatie.db import db
    from participatie.surveys.models import SurveyWave

    with live_app.app_context():
        waves = {
            wave.status: wave
            for wave in db.session.scalars(select(SurveyWave).order_by(SurveyWave.id.desc()))
        }
        return {
            "respondent": f"/enquete/{waves['open'].public_key}",
            "overview": "/enquetes/",
            "template": f"/enquetes/sjablonen/{waves['open'].template_id}",
            "open wave": f"/enquetes/rondes/{waves['open'].id}",
            "closed wave": f"/enquetes/rondes/{waves['closed'].id}",
            "planned wave": f"/enquetes/rondes/{waves['draft'].id}",
        }


@pytest.mark.parametrize("language", ["nl", "en"])
def test_public_pages_pass_axe(new_context, live_server: str, live_app, language: str) -> None:  # type: ignore[no-untyped-def]
    page = new_context(language).new_page()
    external: list[str] = []
    page.on(
        "request",
        lambda request: (
            external.append(request.url)
            if urlparse(request.url).netloc != urlparse(live_server).netloc
            else None
        ),
    )
    respondent = survey_pages(live_app)["respondent"]
    seen = crawl(page, live_server, ["/", respondent], f"[{language}]", language=language)
    assert {"/", "/hulp", "/privacy", "/toegankelijkheid", "/medewerkers/inloggen"} <= set(seen)
    paths = {path.split("?", 1)[0] for path in seen}
    assert {respondent, "/enquete/verder"} <= paths, "the respondent's pages were not checked"
    assert page.evaluate("document.documentElement.lang") == language
    assert external == [], f"requests to other hosts: {external}"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_error_pages_pass_axe(new_context, language: str) -> None:  # type: ignore[no-untyped-def]
    page = new_context(language).new_page()
    response = page.goto("/bestaat-niet")
    assert response.status == 404
    assert_accessible(page, "404")
    page.goto("/medewerkers/inloggen")
    page.fill("#email", "iemand@example.org")
    page.click("button[type=submit]")
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.input_value("#email") == "iemand@example.org"
    assert_accessible(page, "login with errors")


@pytest.mark.parametrize("role", ["beheerder", "ambassadeur", "ketenpartner"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_staff_pages_pass_axe(
    new_context, live_server: str, live_app, role: str, language: str
) -> None:  # type: ignore[no-untyped-def]
    page = new_context(language).new_page()
    account = demo_account(role, live_app)
    sign_in(page, account)
    start = ["/medewerkers/", "/medewerkers/wachtwoord"]
    surveys = survey_pages(live_app)
    staff_surveys = [path for name, path in surveys.items() if name != "respondent"]
    if role != "ketenpartner":  # chain partners see survey results only, not these pages
        start += staff_surveys
    seen = crawl(page, live_server, start, f"[{language} {role}]", limit=100, language=language)
    if role != "ketenpartner":
        assert set(staff_surveys) <= set(seen), "the staff survey pages were not checked"
        # Pages one link further: planning, changing and stopping waves, archiving.
        assert any(path.endswith("/ronde") for path in seen)
        assert any(path.endswith("/wijzigen") and "/rondes/" in path for path in seen)
        assert any(path.endswith("/herhaling-stoppen") for path in seen)
        assert any(path.endswith("/archiveren") for path in seen)
    if role == "beheerder":
        assert {
            "/beheer/gebruikers",
            "/beheer/organisaties",
            "/beheer/gemeenten",
            "/beheer/logboek",
            "/beheer/gebruikers/nieuw",
        } <= set(seen)
        page.goto("/beheer/gebruikers/nieuw")
        page.click("main button[type=submit]")
        expect(page.locator(".error-summary")).to_be_visible()
        assert_accessible(page, "new user with errors")


def test_first_login_two_factor_setup_in_the_browser(new_context, live_app) -> None:  # type: ignore[no-untyped-def]
    import re

    import pyotp

    from participatie.auth.operations import create_user
    from participatie.db import db

    with live_app.app_context():
        _, password = create_user(None, "nieuw.browser@example.org", "Nieuw", "ambassadeur")
        db.session.commit()
    for language in ("nl", "en"):
        page = new_context(language).new_page()
        page.goto("/medewerkers/inloggen")
        page.fill("#email", "nieuw.browser@example.org")
        page.fill("#password", password)
        page.click("main button[type=submit]")
        page.wait_for_url("**/medewerkers/tweestaps")
        qr = page.locator("img.qr")
        assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
        assert_accessible(page, f"two-factor setup [{language}]")
    secret = re.sub(r"\s", "", page.locator(".secret").inner_text())
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("main button[type=submit]")
    page.wait_for_url("**/medewerkers/wachtwoord")
    assert_accessible(page, "first password change")


def test_login_and_language_switch_work_without_javascript(new_context, live_app) -> None:  # type: ignore[no-untyped-def]
    page = new_context("nl", javascript=False).new_page()
    account = demo_account("ambassadeur", live_app)
    sign_in(page, account)
    assert "Welkom" in page.locator("h1").inner_text()
    page.click("text=English")
    assert "Welcome" in page.locator("h1").inner_text()
    page.click("text=Log out")
    page.wait_for_url("**/medewerkers/inloggen")
    assert "Staff login" in page.locator("h1").inner_text()
