from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from participatie import create_app
from tests.conftest import base_config


@pytest.mark.parametrize("path", ["/", "/hulp", "/privacy", "/toegankelijkheid"])
def test_public_pages_render_with_one_h1_and_help_now(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'href="#inhoud"' in html  # skip link
    for help_line in ("0800-2000", "0800-0432", "112"):
        assert help_line in html


@pytest.mark.parametrize("path", ["/", "/hulp", "/privacy", "/toegankelijkheid"])
def test_public_pages_have_english_versions(client: FlaskClient, path: str) -> None:
    dutch = client.get(path, headers={"Accept-Language": "nl"}).get_data(as_text=True)
    english = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en">' in english
    assert '<html lang="nl">' in dutch
    assert dutch != english


def test_privacy_statement_explains_anonymity_and_rights(client: FlaskClient) -> None:
    html = client.get("/privacy").get_data(as_text=True).lower()
    for phrase in ("anoniem", "ip-adres", "verwijder", "autoriteit persoonsgegevens"):
        assert phrase in html


def test_healthz_reports_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_database_unreachable(tmp_path: Path) -> None:
    url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"
    app = create_app(base_config(url), instance_path=str(tmp_path))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] != "ok"


def test_favicon_is_served(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"


def test_404_page_is_translated(client: FlaskClient) -> None:
    dutch = client.get("/bestaat-niet")
    english = client.get("/bestaat-niet", headers={"Accept-Language": "en"})
    assert dutch.status_code == english.status_code == 404
    assert "Pagina niet gevonden" in dutch.get_data(as_text=True)
    assert "Page not found" in english.get_data(as_text=True)


def test_405_page_is_friendly(client: FlaskClient) -> None:
    response = client.post("/privacy")
    assert response.status_code == 405
    assert "<h1>" in response.get_data(as_text=True)


def test_500_page_is_translated_and_accessible(app: Flask) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/test-fout")
    def failing_view() -> str:
        raise RuntimeError("boom")

    client = app.test_client()
    dutch = client.get("/test-fout")
    english = client.get("/test-fout", headers={"Accept-Language": "en"})
    assert dutch.status_code == english.status_code == 500
    assert "Er ging iets mis aan onze kant" in dutch.get_data(as_text=True)
    assert "Something went wrong on our side" in english.get_data(as_text=True)
    assert "boom" not in dutch.get_data(as_text=True)
