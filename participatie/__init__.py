"""Participatie: a safe, anonymous and recurring voice for parents and young people in the
youth-protection chain."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import load_config

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI."""
    app = Flask(
        __name__,
        instance_path=instance_path or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(load_config(Path(app.instance_path), overrides))
    app.jinja_env.add_extension("jinja2.ext.do")
    from . import urls

    urls.init_app(app)  # before blueprints: their <int:…> rules use the bounded converter
    configure_logging(app)
    init_extensions(app)
    register_blueprints(app)
    register_hooks(app)

    from . import cli

    cli.init_app(app)
    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    return app


def configure_logging(app: Flask) -> None:
    from .security import install_log_filters

    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    install_log_filters(app)


def init_extensions(app: Flask) -> None:
    from . import (
        i18n,
        models,  # noqa: F401 - registers every table on the metadata
    )
    from .db import db
    from .extensions import babel, csrf, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), compare_type=True)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)


def register_blueprints(app: Flask) -> None:
    from .admin.views import bp as admin_bp
    from .allowances.views import bp as allowances_bp
    from .auth.views import bp as auth_bp
    from .devtools.views import bp as devtools_bp
    from .groupsessions.staff_views import organise_bp
    from .groupsessions.views import bp as groupsessions_bp
    from .participants.views import bp as participants_bp
    from .participants.views import pool_bp
    from .public.views import bp as public_bp
    from .surveys.results_views import bp as survey_results_bp
    from .surveys.staff_views import bp as surveys_staff_bp
    from .surveys.views import bp as surveys_bp
    from .themes.views import bp as themes_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(allowances_bp)
    app.register_blueprint(devtools_bp)
    app.register_blueprint(groupsessions_bp)
    app.register_blueprint(organise_bp)
    app.register_blueprint(participants_bp)
    app.register_blueprint(pool_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(surveys_staff_bp)
    app.register_blueprint(survey_results_bp)
    app.register_blueprint(themes_bp)


def register_hooks(app: Flask) -> None:
    from . import errors
    from .auth import access
    from .security import set_security_headers

    app.after_request(set_security_headers)
    errors.init_app(app)
    access.init_app(app)
