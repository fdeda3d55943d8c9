"""The ``helpdesk`` command: thin wrappers that parse arguments and call services."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from .blobs_cli import BLOB_COMMANDS
from .core.models import Role
from .core.services.audit import set_audit_origin
from .core.services.users import NewUser, UserError, create_user
from .core.unit_of_work import unit_of_work
from .database import prepare_database
from .errors import describe
from .extensions import db
from .mail_cli import MAIL_COMMANDS
from .privacy_cli import PRIVACY_COMMANDS
from .report_cli import REPORT_COMMANDS
from .search_cli import SEARCH_COMMANDS
from .templates_cli import TEMPLATE_COMMANDS


def _create_app() -> Flask:
    from . import create_app
    from .observability import configure_logging

    app = create_app()
    configure_logging(app.config["LOG_FORMAT"])
    set_audit_origin(None, "cli")  # what a command does is audited as done from the console
    return app


@click.group(
    cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False
)
@click.version_option(package_name="helpdesk", prog_name="Polyglot Desk")
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
            raise click.ClickException(describe(error)) from error
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
        raise click.ClickException(describe(error)) from error
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


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """Write a consistent backup (database, raw mail, attachments) while the helpdesk runs."""
    from .backup import BackupError, create_backup

    try:
        summary = create_backup(current_app._get_current_object(), target)  # type: ignore[attr-defined]
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {target}: schema {summary.schema}, {summary.blobs}.")
    for name in summary.missing:
        click.echo(f"  missing from the blob store (named by the database): {name}", err=True)


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the configured database without asking.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database with a backup's and add its files (stop the helpdesk first)."""
    from .backup import BackupError, restore_backup

    if not yes:
        click.confirm("This replaces the whole configured database. Go on?", abort=True)
    try:
        summary = restore_backup(current_app._get_current_object(), source)  # type: ignore[attr-defined]
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Restored schema {summary.schema} and {summary.blobs}; upgraded to the current one."
    )


@click.group("worker")
def worker_group() -> None:
    """Run one background worker on its own (``serve`` runs them all in one process)."""


def _run_worker(role: str, target: Callable[..., None]) -> None:
    from .workers.runner import run_worker

    run_worker(current_app._get_current_object(), role, target)  # type: ignore[attr-defined]


@worker_group.command("outbox")
@click.option("--no-digests", is_flag=True, help="Leave the daily digests to another process.")
@with_appcontext
def outbox_worker_command(no_digests: bool) -> None:
    """Send queued replies (and queue the coordinators' daily digests) until SIGTERM."""
    from .workers.outbox import run_outbox_with_digests, run_outbox_worker

    _run_worker("outbox", run_outbox_worker if no_digests else run_outbox_with_digests)


@worker_group.command("ingest")
@with_appcontext
def ingest_worker_command() -> None:
    """Process stored mail (from `smtp-server --store-only`, retries, crashes) until SIGTERM."""
    from .workers.inbound import run_ingest_worker

    _run_worker("ingest", run_ingest_worker)


@worker_group.command("imap")
@with_appcontext
def imap_worker_command() -> None:
    """Poll the configured IMAP mailboxes until SIGTERM or Ctrl-C."""
    from .workers.imap import run_imap_pollers

    _run_worker("imap", run_imap_pollers)


@worker_group.command("retention")
@with_appcontext
def retention_worker_command() -> None:
    """Apply the mailboxes' retention policies once a day until SIGTERM."""
    from .workers.retention import run_retention_worker

    _run_worker("retention", run_retention_worker)


COMMANDS = [
    init_command,
    create_user_command,
    demo_command,
    serve_command,
    worker_group,
    backup_command,
    restore_command,
    *BLOB_COMMANDS,
    *MAIL_COMMANDS,
    *SEARCH_COMMANDS,
    *REPORT_COMMANDS,
    *PRIVACY_COMMANDS,
    *TEMPLATE_COMMANDS,
]


def register_commands(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


if __name__ == "__main__":
    main()
