"""Command-line interface: `flask create-user`, `flask seed-demo`, `flask scheduler run`, …

Each command is one unit of work: it commits once at the end, or rolls back on error.
"""

from __future__ import annotations

import click
import pyotp
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from .db import db, unit_of_work
from .themes.cli import themes_group


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(seed_reference_command)
    app.cli.add_command(demo_code_command)
    app.cli.add_command(scheduler_group)
    app.cli.add_command(themes_group)


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role", required=True, type=click.Choice(["beheerder", "ambassadeur", "ketenpartner"])
)
@click.option("--name", default=None, help="Display name (default: the part before @).")
@click.option("--organisation", default=None, help="Organisation slug; required for ketenpartner.")
@with_appcontext
def create_user_command(email: str, role: str, name: str | None, organisation: str | None) -> None:
    """Create a staff account and print its initial password (to be changed at first login)."""
    from .auth.operations import AccountError, create_user
    from .organisations.models import Organisation

    organisation_obj = None
    if organisation:
        organisation_obj = db.session.scalar(
            select(Organisation).where(Organisation.slug == organisation)
        )
        if organisation_obj is None:
            slugs = ", ".join(db.session.scalars(select(Organisation.slug)))
            raise click.BadParameter(
                f"unknown organisation; known: {slugs}", param_hint="--organisation"
            )
    try:
        with unit_of_work():
            user, password = create_user(
                None, email, name or email.split("@")[0], role, organisation_obj
            )
    except AccountError as error:
        raise click.ClickException(f"{type(error).__name__}: {error}") from error
    click.echo(f"Created {role} {user.email}")
    click.echo(f"Initial password: {password}")
    click.echo("At first login the user sets up two-factor authentication and a new password.")


@click.command("seed-reference")
@with_appcontext
def seed_reference_command() -> None:
    """Add the chain organisations, region municipalities and codebook themes that are missing."""
    from .organisations.operations import ensure_reference_data
    from .themes.operations import ensure_codebook

    with unit_of_work():
        ensure_reference_data()
        ensure_codebook()
    click.echo("Reference data is present.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Fill the database with made-up demo data (idempotent). Refused in production."""
    from .demo import seed_demo

    if current_app.config["ENV"] == "production":
        raise click.ClickException("seed-demo is not for production")
    with unit_of_work():
        accounts = seed_demo()
    click.echo(
        "Demo data is present. Demo accounts (two-factor secret for your authenticator app):"
    )
    for account in accounts:
        click.echo(
            f"  {account.role.value:<13} {account.email:<36} password: {account.password:<24} "
            f"TOTP secret: {account.totp_secret}"
        )
    click.echo("Current code for a demo account: flask --app app demo-code EMAIL")


@click.command("demo-code")
@click.argument("email")
@with_appcontext
def demo_code_command(email: str) -> None:
    """Print the current two-factor code of a demo account (not in production)."""
    from .auth.models import User
    from .demo import is_demo_account

    if current_app.config["ENV"] == "production" or not is_demo_account(email):
        raise click.ClickException("only for demo accounts outside production")
    user = db.session.scalar(select(User).where(User.email == email.lower()))
    if user is None or not user.totp_secret:
        raise click.ClickException("no such demo account; run flask seed-demo")
    click.echo(pyotp.TOTP(user.totp_secret).now())


@click.group("scheduler")
def scheduler_group() -> None:
    """Scheduled jobs."""


@scheduler_group.command("run")
@click.option("--max-seconds", type=float, default=None, help="Stop after this long (for tests).")
@with_appcontext
def scheduler_run(max_seconds: float | None) -> None:
    """Run the job scheduler in this process until interrupted."""
    from .scheduler import run_forever

    run_forever(current_app._get_current_object(), max_seconds=max_seconds)  # type: ignore[attr-defined]


@scheduler_group.command("list")
@with_appcontext
def scheduler_list() -> None:
    """Show the registered jobs and when each last started."""
    from .scheduler import lease_overview, registered_jobs

    leases = {lease.job_id: lease for lease in lease_overview()}
    for job in registered_jobs(current_app._get_current_object()):  # type: ignore[attr-defined]
        lease = leases.get(job.id)
        last = lease.last_started_at.isoformat() if lease and lease.last_started_at else "never"
        click.echo(f"{job.id:<40} {job.trigger:<8} {job.trigger_args} last started: {last}")
