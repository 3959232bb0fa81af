"""State changes for staff accounts: creating, signing in with two factors, passwords."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from .. import clock
from ..audit.operations import record
from ..db import db
from ..mail import send_template
from ..organisations.models import Organisation
from ..security import (
    generate_password,
    hash_password,
    new_totp_secret,
    totp_accepts,
    verify_password,
)
from .models import Role, User, new_session_nonce

logger = logging.getLogger(__name__)

COMMON_PASSWORDS = {
    "wachtwoord123",
    "welkom123456",
    "password1234",
    "123456789012",
    "qwertyuiopas",
    "participatie",
    "amersfoort123",
    "wachtwoord1234",
}


class AccountError(ValueError):
    """Base for account errors that a form can show."""


class DuplicateEmailError(AccountError):
    pass


class MissingOrganisationError(AccountError):
    pass


class WrongPasswordError(AccountError):
    pass


class WeakPasswordError(AccountError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(
    actor: User | None,
    email: str,
    name: str,
    role: str,
    organisation: Organisation | None = None,
    password: str | None = None,
) -> tuple[User, str]:
    """Create a staff account with an initial password that must be changed at first login.

    Returns the user and the initial password (generated when not given). Raises
    DuplicateEmailError when the address is taken and MissingOrganisationError when a
    ketenpartner has no organisation.
    """
    role = Role(role)
    if role is Role.KETENPARTNER and organisation is None:
        raise MissingOrganisationError(email)
    if find_by_email(email) is not None:
        raise DuplicateEmailError(email)
    initial_password = password or generate_password()
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        role=role.value,
        organisation_id=organisation.id if organisation else None,
        password_hash=hash_password(initial_password),
        must_change_password=True,
    )
    db.session.add(user)
    db.session.flush()
    record(actor, "user.create", "user", user.id, role=role.value)
    logger.info("user created id=%s role=%s", user.id, role.value)
    return user, initial_password


@dataclass
class LoginResult:
    user: User | None
    locked: bool = False


def _register_failure(user: User, now: datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
        user.failed_logins = 0
        record(None, "user.locked", "user", user.id)
        logger.info("user locked id=%s", user.id)
        send_template(
            user.email,
            "account_locked",
            name=user.name,
            minutes=current_app.config["LOGIN_LOCK_MINUTES"],
        )


def is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def check_password(email: str, password: str) -> LoginResult:
    """First login step. Counts failures and locks the account after too many.

    Returns LoginResult(user) on success; LoginResult(None) otherwise, with `locked` set
    when the account exists and is locked (the view shows the same text either way).
    """
    now = clock.now()
    user = find_by_email(email)
    if user is None or not user.is_active:
        verify_password(None, password)  # same work, same timing
        return LoginResult(None)
    if is_locked(user, now):
        return LoginResult(None, locked=True)
    if not verify_password(user.password_hash, password):
        _register_failure(user, now)
        db.session.flush()
        return LoginResult(None, locked=is_locked(user, now))
    return LoginResult(user)


def check_second_factor(user: User, code: str) -> bool:
    """Second login step: a TOTP code that was not used before. Failures count towards the lock."""
    now = clock.now()
    if not user.is_active or is_locked(user, now) or not user.totp_secret:
        return False
    step = totp_accepts(user.totp_secret, code, user.totp_last_step, now.timestamp())
    if step is None:
        _register_failure(user, now)
        db.session.flush()
        return False
    user.totp_last_step = step
    complete_login(user, now)
    return True


def begin_totp_setup(user: User) -> str:
    """Give a user without confirmed two-factor a secret to scan. Returns the secret."""
    if user.has_totp:
        raise AccountError("two-factor already set up")
    if not user.totp_secret:
        user.totp_secret = new_totp_secret()
        db.session.flush()
    return user.totp_secret


def confirm_totp_setup(user: User, code: str) -> bool:
    """Finish two-factor setup with a first valid code; this also completes the login."""
    now = clock.now()
    if user.has_totp or not user.totp_secret:
        return False
    step = totp_accepts(user.totp_secret, code, None, now.timestamp())
    if step is None:
        _register_failure(user, now)
        db.session.flush()
        return False
    user.totp_confirmed_at = now
    user.totp_last_step = step
    record(user, "user.totp_confirmed", "user", user.id)
    complete_login(user, now)
    return True


def complete_login(user: User, now: datetime) -> None:
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    record(user, "user.login", "user", user.id)
    db.session.flush()


def record_logout(user: User) -> None:
    record(user, "user.logout", "user", user.id)


def validate_new_password(user: User, new_password: str) -> None:
    lowered = new_password.lower()
    if lowered in COMMON_PASSWORDS or lowered == user.email or len(set(lowered)) < 5:
        raise WeakPasswordError("too weak")


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password and sign out other sessions.

    Raises WrongPasswordError when the current password is wrong and WeakPasswordError for a
    guessable new one.
    """
    if not verify_password(user.password_hash, current_password):
        raise WrongPasswordError("wrong current password")
    validate_new_password(user, new_password)
    if verify_password(user.password_hash, new_password):
        raise WeakPasswordError("same as before")
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.session_nonce = new_session_nonce()
    record(user, "user.password_changed", "user", user.id)
    db.session.flush()


def set_active(actor: User, user: User, active: bool) -> None:
    """Enable or disable an account; disabling signs it out everywhere at once."""
    if actor.id == user.id and not active:
        raise AccountError("cannot disable yourself")
    user.is_active = active
    user.session_nonce = new_session_nonce()
    record(actor, "user.enable" if active else "user.disable", "user", user.id)
    db.session.flush()


def reset_credentials(actor: User, user: User) -> str:
    """New initial password and fresh two-factor setup, for someone who lost access."""
    password = generate_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.failed_logins = 0
    user.locked_until = None
    user.session_nonce = new_session_nonce()
    record(actor, "user.reset_credentials", "user", user.id)
    db.session.flush()
    return password
