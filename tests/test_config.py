from pathlib import Path

import pytest

from participatie import create_app
from participatie.config import DEFAULT_SECRET_KEY, ConfigError, load_config, normalise_database_url


def test_defaults_use_sqlite_in_instance_folder(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'participatie.db'}"
    assert config["K_THRESHOLD"] == 10
    assert config["MAIL_BACKEND"] == "file"


def test_instance_file_overrides_defaults_and_environment_overrides_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config.py").write_text("K_THRESHOLD = 12\nMAIL_BACKEND = 'smtp'\n")
    config = load_config(tmp_path)
    assert config["K_THRESHOLD"] == 12
    assert config["MAIL_BACKEND"] == "smtp"

    monkeypatch.setenv("PARTICIPATIE_K_THRESHOLD", "15")
    monkeypatch.setenv("PARTICIPATIE_MAIL_USE_STARTTLS", "false")
    monkeypatch.setenv("PARTICIPATIE_DATABASE_URL", "postgresql://u@db.example/p")
    config = load_config(tmp_path)
    assert config["K_THRESHOLD"] == 15
    assert config["MAIL_USE_STARTTLS"] is False
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/p"


def test_k_threshold_never_below_floor(tmp_path: Path) -> None:
    assert load_config(tmp_path, {"K_THRESHOLD": 2})["K_THRESHOLD"] == 5


@pytest.mark.parametrize("secret", [DEFAULT_SECRET_KEY, "", "short-secret"])
def test_production_refuses_default_or_short_secret_key(tmp_path: Path, secret: str) -> None:
    with pytest.raises(ConfigError):
        create_app({"ENV": "production", "SECRET_KEY": secret}, instance_path=str(tmp_path))


def test_production_sets_secure_cookies(tmp_path: Path) -> None:
    app = create_app({"ENV": "production", "SECRET_KEY": "x" * 40}, instance_path=str(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_redis_url_becomes_rate_limit_storage(tmp_path: Path) -> None:
    config = load_config(tmp_path, {"REDIS_URL": "redis://127.0.0.1:6379/3"})
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"


def test_postgres_urls_use_psycopg3_driver() -> None:
    assert normalise_database_url("postgres://a@b/c") == "postgresql+psycopg://a@b/c"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_survey_languages_start_with_dutch_and_include_the_interface_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(tmp_path)
    assert config["SURVEY_LANGUAGES"] == ["nl", "en", "ar", "tr", "pl", "uk", "ti", "so"]
    assert config["SURVEY_INTERFACE_FALLBACK"] == "en"
    monkeypatch.setenv("PARTICIPATIE_SURVEY_LANGUAGES", "ar, FA ,pl")
    assert load_config(tmp_path)["SURVEY_LANGUAGES"] == ["nl", "ar", "fa", "pl", "en"]


@pytest.mark.parametrize(
    "changes",
    [
        {"SURVEY_LANGUAGES": ["nl", "ar-MA"]},
        {"SURVEY_LANGUAGES": ["nl", '"><script>']},
        {"SURVEY_LANGUAGES": ["nl", ""]},
        {"SURVEY_INTERFACE_FALLBACK": "ar"},
    ],
)
def test_odd_survey_language_settings_are_refused(tmp_path: Path, changes: dict) -> None:
    with pytest.raises(ConfigError):
        load_config(tmp_path, changes)
