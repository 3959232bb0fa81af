"""Who may see what: the login manager, role checks, and the forced first-login steps."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..db import db
from ..extensions import login_manager
from .models import Role, User

F = TypeVar("F", bound=Callable[..., Any])

ALL_STAFF = (Role.BEHEERDER, Role.AMBASSADEUR, Role.KETENPARTNER)

# Endpoints a signed-in user who must still change their password may reach.
_FIRST_LOGIN_ENDPOINTS = {"auth.change_password", "auth.logout", "static", "i18n.switch_language"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    identifier, _, nonce = user_id.partition(":")
    if not identifier.isdigit():
        return None
    user = db.session.get(User, int(identifier))
    if user is None or not user.is_active or user.session_nonce != nonce or not user.has_totp:
        return None
    return user


def roles_required(*roles: str) -> Callable[[F], F]:
    """Signed in with two factors and holding one of `roles`; otherwise login page or 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


staff_required = roles_required(*ALL_STAFF)


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in om deze pagina te zien.")
    login_manager.login_message_category = "info"
    # No "strong" protection: it hashes the IP address into the session and logs people out
    # when their mobile network changes. The session nonce on the user does the revoking.
    login_manager.session_protection = None

    @app.before_request
    def force_first_login_steps() -> Any:
        if (
            current_user.is_authenticated
            and current_user.must_change_password
            and request.endpoint not in _FIRST_LOGIN_ENDPOINTS
        ):
            return redirect(url_for("auth.change_password"))
        return None

    @app.context_processor
    def role_context() -> dict[str, Any]:
        return {"Role": Role, "role_label": role_label}


ROLE_LABELS = {
    Role.BEHEERDER.value: _l("Beheerder"),
    Role.AMBASSADEUR.value: _l("Cliëntambassadeur"),
    Role.KETENPARTNER.value: _l("Ketenpartner"),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))
