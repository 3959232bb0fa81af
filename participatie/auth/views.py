"""Staff sign-in (password, then TOTP), two-factor setup, password change, sign-out."""

from __future__ import annotations

import io
import time
from typing import Any

import pyotp
import segno
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..db import db
from ..extensions import limiter
from ..security import is_safe_redirect
from . import operations
from .access import staff_required
from .forms import ChangePasswordForm, CodeForm, LoginForm
from .models import User

bp = Blueprint("auth", __name__, url_prefix="/medewerkers")

PENDING_KEY = "pending_login"
PENDING_SECONDS = 600


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _pending_user() -> User | None:
    """The user who passed the password step in this browser in the last ten minutes."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("uid"))
    if user is None or not user.is_active or user.session_nonce != pending.get("nonce"):
        return None
    return user


def _finish_login(user: User) -> Response:
    next_url = session.get("next_url")
    session.clear()  # a fresh session after sign-in: no fixation
    login_user(user)
    flash(_("U bent ingelogd."), "success")
    if user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return redirect(next_url if is_safe_redirect(next_url) else url_for("auth.dashboard"))


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("auth.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        result = operations.check_password(form.email.data or "", form.password.data or "")
        db.session.commit()
        if result.user is None:
            form.password.errors = [
                _(
                    "Inloggen lukt niet. Controleer uw e-mailadres en wachtwoord. Na %(count)s "
                    "mislukte pogingen kunt u %(minutes)s minuten niet inloggen.",
                    count=current_app.config["LOGIN_MAX_FAILURES"],
                    minutes=current_app.config["LOGIN_LOCK_MINUTES"],
                )
            ]
        else:
            next_url = request.args.get("next")
            session.clear()
            session[PENDING_KEY] = {
                "uid": result.user.id,
                "nonce": result.user.session_nonce,
                "at": time.time(),
            }
            if is_safe_redirect(next_url):
                session["next_url"] = next_url
            if result.user.has_totp:
                return redirect(url_for("auth.second_factor"))
            return redirect(url_for("auth.setup_totp"))
    return render_template("auth/login.html", form=form)


@bp.route("/inloggen/code", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def second_factor() -> Any:
    user = _pending_user()
    if user is None or not user.has_totp:
        flash(_("Log eerst in met uw e-mailadres en wachtwoord."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        accepted = operations.check_second_factor(user, form.code.data or "")
        db.session.commit()
        if accepted:
            return _finish_login(user)
        form.code.errors = [
            _(
                "Deze code klopt niet of is al gebruikt. Wacht op de volgende code en probeer het opnieuw."
            )
        ]
    return render_template("auth/second_factor.html", form=form)


@bp.route("/tweestaps", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def setup_totp() -> Any:
    user = _pending_user()
    if user is None or user.has_totp:
        return redirect(url_for("auth.login"))
    secret = operations.begin_totp_setup(user)
    db.session.commit()
    form = CodeForm()
    if form.validate_on_submit():
        accepted = operations.confirm_totp_setup(user, form.code.data or "")
        db.session.commit()
        if accepted:
            flash(_("Tweestapsverificatie staat aan."), "success")
            return _finish_login(user)
        form.code.errors = [_("Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat.")]
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render_template("auth/setup_totp.html", form=form, secret=grouped)


@bp.get("/tweestaps/qr.svg")
def setup_totp_qr() -> Response:
    user = _pending_user()
    if user is None or user.has_totp or not user.totp_secret:
        abort(404)
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["TOTP_ISSUER"]
    )
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer, kind="svg", scale=6, border=4, title=_("QR-code voor uw authenticator-app")
    )
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


@bp.post("/uitloggen")
@login_required
def logout() -> Response:
    operations.record_logout(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("U bent uitgelogd."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/wachtwoord", methods=["GET", "POST"])
@login_required
def change_password() -> Any:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            operations.change_password(
                current_user, form.current_password.data or "", form.new_password.data or ""
            )
        except operations.WrongPasswordError:
            form.current_password.errors = [_("Uw huidige wachtwoord klopt niet.")]
        except operations.WeakPasswordError:
            form.new_password.errors = [
                _("Dit wachtwoord is te makkelijk te raden. Kies een ander wachtwoord.")
            ]
        else:
            db.session.commit()
            login_user(
                current_user._get_current_object()
            )  # new session nonce: stay signed in here only
            flash(_("Uw wachtwoord is gewijzigd."), "success")
            return redirect(url_for("auth.dashboard"))
    return render_template("auth/change_password.html", form=form)


@bp.get("/")
@staff_required
def dashboard() -> str:
    return render_template("auth/dashboard.html")
