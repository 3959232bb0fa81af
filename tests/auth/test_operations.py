import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from participatie.auth import operations
from participatie.auth.models import User
from participatie.db import db
from participatie.organisations.models import Organisation


@pytest.mark.usefixtures("ctx")
def test_create_user_hashes_with_argon2_and_requires_password_change() -> None:
    user, password = operations.create_user(None, " Nieuw@Example.org ", "Nieuw", "ambassadeur")
    assert user.email == "nieuw@example.org"
    assert user.password_hash.startswith("$argon2id$")
    assert password not in user.password_hash
    assert user.must_change_password
    assert not user.has_totp


@pytest.mark.usefixtures("ctx")
def test_duplicate_email_is_refused_whatever_the_case() -> None:
    operations.create_user(None, "dubbel@example.org", "Een", "ambassadeur")
    with pytest.raises(operations.DuplicateEmailError):
        operations.create_user(None, "DUBBEL@example.org", "Twee", "beheerder")


@pytest.mark.usefixtures("ctx")
def test_ketenpartner_needs_an_organisation() -> None:
    with pytest.raises(operations.MissingOrganisationError):
        operations.create_user(None, "kp@example.org", "KP", "ketenpartner")
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == "swa"))
    user, _ = operations.create_user(None, "kp@example.org", "KP", "ketenpartner", organisation)
    assert user.organisation.slug == "swa"


@pytest.mark.usefixtures("ctx")
def test_database_refuses_ketenpartner_without_organisation() -> None:
    db.session.add(User(email="x@example.org", name="X", role="ketenpartner", password_hash="h"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.usefixtures("ctx")
def test_database_refuses_unknown_role() -> None:
    db.session.add(User(email="y@example.org", name="Y", role="superuser", password_hash="h"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.usefixtures("ctx")
def test_unknown_role_is_refused_by_operation() -> None:
    with pytest.raises(ValueError):
        operations.create_user(None, "z@example.org", "Z", "superuser")


@pytest.mark.usefixtures("ctx")
def test_reset_credentials_clears_two_factor_and_signs_out() -> None:
    admin, _ = operations.create_user(None, "admin@example.org", "A", "beheerder")
    user, _ = operations.create_user(None, "u@example.org", "U", "ambassadeur")
    user.totp_secret = "JBSWY3DPEHPK3PXP"
    nonce = user.session_nonce
    password = operations.reset_credentials(admin, user)
    assert user.totp_secret is None
    assert user.session_nonce != nonce
    assert user.must_change_password
    assert len(password) >= 20


@pytest.mark.usefixtures("ctx")
def test_admin_cannot_disable_themselves() -> None:
    admin, _ = operations.create_user(None, "admin@example.org", "A", "beheerder")
    with pytest.raises(operations.AccountError):
        operations.set_active(admin, admin, False)
