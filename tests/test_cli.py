from __future__ import annotations

import re

import pyotp
from flask import Flask
from sqlalchemy import func, select

from participatie.auth.models import User
from participatie.db import db
from tests.conftest import StaffAccount, login


def test_create_user_prints_an_initial_password(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "kp@example.org", "--role", "ketenpartner", "--organisation", "swa"]
    )
    assert result.exit_code == 0, result.output
    assert re.search(r"Initial password: \S{20,}", result.output)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "kp@example.org"))
        assert user.organisation.slug == "swa"


def test_create_user_refuses_bad_input(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert (
        runner.invoke(args=["create-user", "x@example.org", "--role", "ketenpartner"]).exit_code
        != 0
    )
    assert runner.invoke(args=["create-user", "x@example.org", "--role", "keizer"]).exit_code != 0
    assert (
        runner.invoke(
            args=["create-user", "x@example.org", "--role", "ketenpartner", "--organisation", "nee"]
        ).exit_code
        != 0
    )


def test_seed_demo_is_idempotent_and_demo_accounts_can_log_in(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == second.exit_code == 0
    assert first.output == second.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 3
    match = re.search(r"beheerder\s+(\S+)\s+password: (\S+)\s+TOTP secret: (\S+)", first.output)
    email, password, secret = match.groups()
    user_id = None
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
    client = app.test_client()
    response = login(client, StaffAccount(user_id, email, password, "beheerder", secret, "Bea"))
    assert response.headers["Location"] == "/medewerkers/"
    code = runner.invoke(args=["demo-code", email])
    assert code.output.strip() == pyotp.TOTP(secret).now()


def test_demo_code_refuses_real_accounts(app: Flask, create_user) -> None:
    account = create_user("beheerder")
    result = app.test_cli_runner().invoke(args=["demo-code", account.email])
    assert result.exit_code != 0
