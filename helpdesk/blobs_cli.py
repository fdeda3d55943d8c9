"""``helpdesk blobs migrate``: move raw mail and attachments to the other backend (thin: the
service copies and verifies)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from .core.blob_stores import BACKENDS, blob_stores
from .core.services.blob_migration import CopyReport, copy_blobs, named_blobs
from .core.unit_of_work import unit_of_work
from .extensions import db


@click.group("blobs")
def blobs_group() -> None:
    """Where raw mail and attachments are stored (HELPDESK_BLOB_STORE)."""


@blobs_group.command("migrate")
@click.option("--to", "target", type=click.Choice(BACKENDS), required=True)
@click.option("--chunk", default=500, show_default=True, type=click.IntRange(1, 100_000))
@with_appcontext
def migrate_command(target: str, chunk: int) -> None:
    """Copy every blob the database names into TARGET, verifying each; safe to run again
    (it resumes) and while the helpdesk runs. Then switch HELPDESK_BLOB_STORE."""
    source = next(backend for backend in BACKENDS if backend != target)
    blobs = named_blobs(db.session)
    db.session.rollback()  # no transaction held open across the whole run
    sources = blob_stores(current_app.config, source)
    targets = blob_stores(current_app.config, target)
    report = CopyReport()
    for start in range(0, len(blobs), chunk):
        with unit_of_work(db.session):
            report.add(copy_blobs(blobs[start : start + chunk], sources, targets))
        done = min(start + chunk, len(blobs))
        click.echo(f"{done}/{len(blobs)} blobs: {report.copied} copied", err=True)
    click.echo(
        f"{report.copied} blob(s) copied from {source} to {target}, {report.present} already there."
    )
    for name in report.missing:
        click.echo(f"  missing from the {source} store: {name}", err=True)
    for name in report.damaged:
        click.echo(f"  damaged (bytes do not match the name), not copied: {name}", err=True)
    if current_app.config["BLOB_STORE"] != target:
        click.echo(
            f"Now set HELPDESK_BLOB_STORE={target} for every process on every machine, restart "
            "them, and run this command once more for mail that arrived meanwhile."
        )
    if report.missing or report.damaged:
        click.get_current_context().exit(1)


BLOB_COMMANDS = [blobs_group]
