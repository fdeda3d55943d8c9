"""Privacy commands: ``requester export|erase`` and ``retention report|apply|set`` (thin)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from .core.blob_stores import blob_stores
from .core.errors import DomainError
from .core.models import Mailbox
from .core.services.privacy.common import find_requester
from .core.services.privacy.erasure import erase_requester, erasure_plan
from .core.services.privacy.export import export_requester
from .core.services.privacy.retention import (
    MailboxRetention,
    apply_retention,
    retention_report,
    set_retention,
)
from .core.unit_of_work import unit_of_work
from .errors import describe
from .extensions import db


@click.group("requester")
def requester_group() -> None:
    """A requester's data: export it, or erase it."""


@requester_group.command("export")
@click.argument("email")
@click.argument("target", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_command(email: str, target: Path) -> None:
    """Write all of EMAIL's tickets, messages, attachments and raw mail to TARGET (a zip)."""
    try:
        with unit_of_work(db.session):
            contact = find_requester(db.session, email)
            with target.open("wb") as file:
                summary = export_requester(
                    db.session, blob_stores(current_app.config), contact, None, file
                )
    except DomainError as error:
        target.unlink(missing_ok=True)
        raise click.ClickException(describe(error)) from error
    click.echo(
        f"Exported {summary.tickets} ticket(s), {summary.messages} message(s), "
        f"{summary.attachments} attachment(s) and {summary.raw_mails} raw mail(s) to {target}."
    )
    if summary.missing_blobs:
        click.echo(f"  {summary.missing_blobs} file(s) were no longer stored.", err=True)


@requester_group.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Erase without asking.")
@with_appcontext
def erase_command(email: str, yes: bool) -> None:
    """Remove EMAIL's personal data everywhere; their tickets stay, anonymous, for statistics."""
    try:
        contact = find_requester(db.session, email)
        plan = erasure_plan(db.session, contact)
        if not yes:
            click.confirm(
                f"Erase requester #{plan.contact_id}: {plan.tickets} ticket(s) emptied, "
                f"{plan.messages} message(s), {plan.attachments} attachment(s), "
                f"{plan.raw_mails} raw mail(s). This cannot be undone. Go on?",
                abort=True,
            )
        with unit_of_work(db.session):
            erase_requester(
                db.session,
                blob_stores(current_app.config),
                contact,
                None,
                current_app.config["OUTBOX_DIR"],
            )
    except DomainError as error:
        raise click.ClickException(describe(error)) from error
    click.echo(f"Erased: the requester is now Erased requester #{plan.contact_id}.")


@click.group("retention")
def retention_group() -> None:
    """The retention policy: idle tickets closed, their raw mail and attachments purged."""


@retention_group.command("report")
@with_appcontext
def report_command() -> None:
    """What ``retention apply`` would do now, per mailbox with a policy (changes nothing)."""
    reports = retention_report(db.session)
    db.session.rollback()
    if not reports:
        click.echo("No mailbox has a retention period (helpdesk retention set ADDRESS MONTHS).")
    for report in reports:
        click.echo(_describe(report, "would"))


@retention_group.command("apply")
@click.option("--yes", is_flag=True, help="Apply without asking.")
@with_appcontext
def apply_command(yes: bool) -> None:
    """Close idle tickets and purge their raw mail and attachments, as the report says."""
    if not yes:
        click.confirm("Purge raw mail and attachments as the report says?", abort=True)
    with unit_of_work(db.session):
        reports = apply_retention(db.session, blob_stores(current_app.config))
    for report in reports:
        click.echo(_describe(report, "did"))


@retention_group.command("set")
@click.argument("address")
@click.argument("months")
@with_appcontext
def set_command(address: str, months: str) -> None:
    """Keep ADDRESS's raw mail and attachments MONTHS months after a ticket's last activity
    ('none': for ever)."""
    mailbox = db.session.scalar(select(Mailbox).where(Mailbox.address == address.lower()))
    if mailbox is None:
        raise click.ClickException(f"No mailbox {address}.")
    try:
        value = None if months.lower() == "none" else int(months)
        with unit_of_work(db.session):
            set_retention(db.session, mailbox, value, None)
    except ValueError as error:
        raise click.ClickException(f"{months} is not a number of months.") from error
    except DomainError as error:
        raise click.ClickException(describe(error)) from error
    click.echo(f"{mailbox.address}: retention {months}.")


def _describe(report: MailboxRetention, verb: str) -> str:
    return (
        f"{report.address} ({report.months} months, idle since before "
        f"{report.cutoff:%Y-%m-%d}): {verb} close {report.to_close} ticket(s); purge "
        f"{report.raw_mails} raw mail(s) ({report.raw_bytes} bytes) and "
        f"{report.attachments} attachment(s) ({report.attachment_bytes} bytes) "
        f"of {report.tickets} ticket(s)"
    )


PRIVACY_COMMANDS = [requester_group, retention_group]
