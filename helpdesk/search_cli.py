"""Search commands: ``search``, ``reindex`` and ``check-index`` (thin: the services do the work)."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext

from .core.services.search import QueryError, SearchFilters, TicketHit, search_tickets
from .core.services.search_maintenance import (
    IndexDifferences,
    compare_range,
    id_ranges,
    optimise_index,
    reindex_range,
    repair,
)
from .core.unit_of_work import unit_of_work
from .extensions import db


@click.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--lang", help="Only tickets in this language (and its analysis only).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per ticket and line.")
@with_appcontext
def search_command(query: tuple[str, ...], lang: str | None, limit: int, as_json: bool) -> None:
    """Search every ticket's messages (the operator sees all tickets), best first."""
    try:
        results = search_tickets(
            db.session, " ".join(query), None, SearchFilters(language=lang), per_page=limit
        )
    except QueryError as error:
        raise click.ClickException(f"cannot search this: {error.reason} {error.detail}") from error
    for hit in results.hits:
        click.echo(json.dumps(_as_dict(hit), ensure_ascii=False) if as_json else _describe(hit))
    if not as_json:
        click.echo(f"{results.total} ticket(s)", err=True)


def _as_dict(hit: TicketHit) -> dict[str, object]:
    return {
        "ticket": hit.ticket.id,
        "subject": hit.ticket.subject,
        "language": hit.ticket.language_code,
        "status": hit.ticket.status,
        "score": hit.score,
        "snippet": hit.snippet.text if hit.snippet else "",
        "message": hit.message.id if hit.message else None,
    }


def _describe(hit: TicketHit) -> str:
    head = f"#{hit.ticket.id} [{hit.ticket.language_code or '--'}] {hit.ticket.status:<8} "
    snippet = f"\n    {hit.snippet.text}" if hit.snippet else ""
    return f"{head}{hit.ticket.subject}  ({hit.score:g}){snippet}"


@click.command("reindex")
@click.option("--chunk", default=1000, show_default=True, type=click.IntRange(1, 100_000))
@with_appcontext
def reindex_command(chunk: int) -> None:
    """Rebuild every message's postings, one transaction per chunk: search keeps answering."""
    ranges = list(id_ranges(db.session, chunk))
    db.session.rollback()  # no transaction held open across the whole run
    total = sum(r.messages for r in ranges)
    indexed = 0
    with click.progressbar(
        length=total, label="Reindexing", file=sys.stderr, hidden=not sys.stderr.isatty()
    ) as bar:
        for ids in ranges:
            with unit_of_work(db.session):
                indexed += reindex_range(db.session, ids)
            bar.update(ids.messages)
    with unit_of_work(db.session):
        optimise_index(db.session)
    click.echo(f"Reindexed {indexed} message(s).")


@click.command("check-index")
@click.option("--dry-run", is_flag=True, help="Report differences without repairing them.")
@with_appcontext
def check_index_command(dry_run: bool) -> None:
    """Compare messages with their postings; repair what differs (exit 1 if any did)."""
    found = IndexDifferences()
    for ids in list(id_ranges(db.session, 1000)):
        with unit_of_work(db.session):
            differences = compare_range(db.session, ids)
            if differences and not dry_run:
                repair(db.session, differences)
        found.add(differences)
    verb = "found" if dry_run else "repaired"
    click.echo(
        f"{len(found.missing)} missing, {len(found.stale)} stale, "
        f"{len(found.orphans)} orphan posting(s) {verb}."
    )
    if found:
        click.get_current_context().exit(1)


SEARCH_COMMANDS = [search_command, reindex_command, check_index_command]
