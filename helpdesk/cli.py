"""The ``helpdesk`` command: thin wrappers that parse arguments and call services."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from .core.models import Role
from .core.services.users import NewUser, UserError, create_user
from .core.unit_of_work import unit_of_work
from .database import prepare_database
from .extensions import db
from .mail_cli import MAIL_COMMANDS
from .report_cli import REPORT_COMMANDS


def _create_app() -> Flask:
    from . import create_app

    return create_app()


@click.group(
    cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False
)
def main() -> None:
    """Polyglot Desk: a multilingual correspondence helpdesk."""


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@click.command("init")
@click.option("--admin-email", help="Create this admin account if there is no user yet.")
@click.option("--admin-name", default="Administrator")
@with_appcontext
def init_command(admin_email: str | None, admin_name: str) -> None:
    """Create or upgrade the database and add the configured languages."""
    prepare_database()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")
    if admin_email:
        password = _read_password("Admin password")
        try:
            with unit_of_work(db.session):
                create_user(db.session, NewUser(admin_email, admin_name, password, Role.ADMIN))
        except UserError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Admin {admin_email} created.")


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.LIAISON.value)
@click.option("--languages", default="", help="Comma-separated language codes, e.g. fr,de")
@click.option("--name", default="")
@with_appcontext
def create_user_command(email: str, role: str, languages: str, name: str) -> None:
    """Create a staff account; the password comes from standard input unless it is a terminal."""
    password = _read_password("Password")
    codes = tuple(code.strip() for code in languages.split(",") if code.strip())
    try:
        with unit_of_work(db.session):
            user = create_user(db.session, NewUser(email, name, password, Role(role), codes))
    except UserError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role} {user.email}.")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Seed a living helpdesk: languages, staff, templates and tickets in ten languages."""
    from .demo import seed_demo

    accounts = seed_demo(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo("Demo accounts (email / password):")
    for email, password, description in accounts:
        click.echo(f"  {email:<28} {password:<24} {description}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--smtp-port", default=2525, show_default=True, type=int)
@with_appcontext
def serve_command(host: str, port: int, smtp_port: int) -> None:
    """Web, inbound SMTP, IMAP pollers and outbox worker, in one process."""
    from .workers.serve import serve

    serve(current_app._get_current_object(), host, port, smtp_port)  # type: ignore[attr-defined]


@click.group("worker")
def worker_group() -> None:
    """Run one background worker on its own (``serve`` runs them all in one process)."""


def _run_until_interrupted(target: Callable[..., None], *args: Any) -> None:
    import threading

    stop = threading.Event()
    try:
        target(*args, stop)
    except KeyboardInterrupt:
        stop.set()


@worker_group.command("outbox")
@with_appcontext
def outbox_worker_command() -> None:
    """Send queued replies until interrupted."""
    from .workers.outbox import run_outbox_worker

    _run_until_interrupted(run_outbox_worker, current_app._get_current_object())  # type: ignore[attr-defined]


@worker_group.command("ingest")
@with_appcontext
def ingest_worker_command() -> None:
    """Retry quarantined mail admins asked to retry, and finish mail left pending by a crash."""
    from .workers.inbound import run_ingest_worker

    _run_until_interrupted(run_ingest_worker, current_app._get_current_object())  # type: ignore[attr-defined]


@worker_group.command("imap")
@with_appcontext
def imap_worker_command() -> None:
    """Poll the configured IMAP mailboxes until interrupted."""
    from .workers.imap import run_imap_pollers

    _run_until_interrupted(run_imap_pollers, current_app._get_current_object())  # type: ignore[attr-defined]


COMMANDS = [
    init_command,
    create_user_command,
    demo_command,
    serve_command,
    worker_group,
    *MAIL_COMMANDS,
    *REPORT_COMMANDS,
]


def register_commands(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


if __name__ == "__main__":
    main()
