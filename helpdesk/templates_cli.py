"""``helpdesk templates export|import``: template texts to and from translators as PO files."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from .core.errors import DomainError
from .core.models import Language
from .core.services.template_exchange import ImportPlan, export_po, import_po, read_po
from .core.services.users import find_user_by_email
from .core.unit_of_work import unit_of_work
from .errors import describe
from .extensions import db


@click.group("templates")
def templates_group() -> None:
    """Reply template texts for translators."""


@templates_group.command("export")
@click.option("--language", "code", required=True, help="The language to translate into.")
@click.option("--missing", is_flag=True, help="Texts this language has not got yet.")
@click.option("--outdated", is_flag=True, help="Texts whose source changed since.")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_command(code: str, missing: bool, outdated: bool, target: Path) -> None:
    """Write a PO file; without --missing or --outdated, every template of the language,
    its text or an empty one."""
    language = db.session.get(Language, code)
    if language is None:
        raise click.ClickException(f"no language {code!r}")
    po = export_po(db.session, language, missing, outdated)
    po.save(str(target))
    click.echo(f"{len(po) // 2} templates written to {target}")


@templates_group.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and print what would change.")
@click.option("--actor", help="Email of the user to record as the translations' author.")
@with_appcontext
def import_command(source: Path, dry_run: bool, actor: str | None) -> None:
    """Import a translated PO file: all of it, or nothing when any entry is refused."""
    user = None
    if actor:
        user = find_user_by_email(db.session, actor)
        if user is None:
            raise click.ClickException(f"no user {actor!r}")
    try:
        po = read_po(source.read_bytes())
        with unit_of_work(db.session):
            plan = import_po(db.session, user, po, dry_run=dry_run)
    except DomainError as error:
        raise click.ClickException(describe(error)) from error
    _report(plan, dry_run)


def _report(plan: ImportPlan, dry_run: bool) -> None:
    verb = "would set" if dry_run else "set"
    for change in plan.changes:
        what = "new text" if change.text_changes else "unchanged, now current"
        click.echo(
            f"{verb} {change.template.key} [{plan.language_code}] "
            f"({change.state_before.value}): {what}"
        )
    click.echo(
        f"{len(plan.changes)} texts {'would be ' if dry_run else ''}imported; skipped "
        f"{plan.skipped_fuzzy} fuzzy and {plan.skipped_empty} empty entries"
    )


TEMPLATE_COMMANDS = [templates_group]
