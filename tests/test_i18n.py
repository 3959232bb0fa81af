import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "participatie" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def test_default_language_is_dutch(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "Ga direct naar de inhoud" in html


def test_accept_language_chooses_english(client: FlaskClient) -> None:
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Skip to main content" in html


def test_language_switch_is_remembered_in_a_cookie_and_beats_accept_language(
    client: FlaskClient,
) -> None:
    response = client.get("/taal/en?next=/privacy")
    assert response.status_code == 303
    assert response.headers["Location"] == "/privacy"
    html = client.get("/privacy", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert '<html lang="en">' in html
    client.get("/taal/nl?next=/")
    assert '<html lang="nl">' in client.get("/", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )


def test_language_switch_link_points_back_to_current_page(client: FlaskClient) -> None:
    html = client.get("/privacy").get_data(as_text=True)
    assert 'href="/taal/en?next=/privacy"' in html
    assert 'lang="en"' in html


def test_language_switch_refuses_unknown_language_and_open_redirect(client: FlaskClient) -> None:
    response = client.get("/taal/xx?next=https://evil.example")
    assert response.headers["Location"] == "/"
    assert "taal=" not in response.headers.get("Set-Cookie", "")


def test_english_catalog_is_complete_and_not_fuzzy() -> None:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    missing = [message.id for message in catalog if message.id and not message.string]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert not missing, f"untranslated: {missing[:5]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:5]}"


def test_catalog_covers_every_message_in_the_code(tmp_path: Path) -> None:
    """Fails when someone adds a translatable text without running `make update-translations`."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as handle:
        extracted = {message.id for message in read_po(handle) if message.id}
    with CATALOG.open("rb") as handle:
        translated = {message.id for message in read_po(handle) if message.id and message.string}
    untranslated = sorted(str(item) for item in extracted - translated)
    assert not untranslated, f"not in the English catalog: {untranslated[:5]}"


def test_every_default_survey_language_has_its_own_name_and_a_staff_name(
    client: FlaskClient,
) -> None:
    from participatie.i18n import LANGUAGE_LABELS, LANGUAGE_NAMES, RIGHT_TO_LEFT

    languages = client.application.config["SURVEY_LANGUAGES"]
    assert set(languages) <= set(LANGUAGE_NAMES) and set(languages) <= set(LANGUAGE_LABELS)
    assert LANGUAGE_NAMES["ar"] == "العربية" and LANGUAGE_NAMES["ti"] == "ትግርኛ"
    assert "ar" in RIGHT_TO_LEFT and not {"nl", "en", "tr", "pl", "uk", "ti", "so"} & RIGHT_TO_LEFT


def test_a_remembered_survey_language_without_a_catalog_shows_the_site_in_english(
    client: FlaskClient,
) -> None:
    """Someone who chose Arabic for a survey (the cookie) reads the rest of the site in the
    survey interface's fallback, not in Dutch."""
    client.set_cookie("taal", "ar")
    html = client.get("/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert '<html lang="en">' in html and "dir=" not in html.split(">", 2)[1]
    assert "Skip to main content" in html


def test_the_site_language_switch_offers_only_the_interface_languages(
    client: FlaskClient,
) -> None:
    response = client.get("/taal/ar?next=/privacy")
    assert response.status_code == 303
    assert "taal=" not in response.headers.get("Set-Cookie", "")
    assert "/taal/ar" not in client.get("/").get_data(as_text=True)
