"""``helpdesk report`` and ``helpdesk send-digests``: the engagement report and the daily
digests from the command line, with the same services as the dashboard."""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from .core.services.languages import active_languages
from .core.services.metrics.engagement import engagement_report, period_of_days
from .core.unit_of_work import unit_of_work
from .extensions import db


def _date(value: str, name: str) -> datetime:
    try:
        return datetime.strptime(value, "%Y-%m-%d")
    except ValueError as error:
        raise click.BadParameter(
            f"{value!r} is not a date like 2026-01-31", param_hint=name
        ) from error


@click.command("report")
@click.option("--language", help="One language code; all languages side by side without it.")
@click.option("--from", "start", required=True, help="First day, e.g. 2026-01-01")
@click.option("--to", "end", required=True, help="Last day (included), e.g. 2026-03-31")
@click.option("--format", "fmt", type=click.Choice(["md", "csv"]), default="md", show_default=True)
@with_appcontext
def report_command(language: str | None, start: str, end: str, fmt: str) -> None:
    """The engagement report for a period, as Markdown or CSV on standard output."""
    from .dashboard.report_formats import report_csv, report_markdown

    first, last = _date(start, "--from").date(), _date(end, "--to").date()
    if last < first:
        raise click.BadParameter("the last day comes before the first", param_hint="--to")
    codes = [lang.code for lang in active_languages(db.session)]
    if language is not None and language not in codes:
        raise click.BadParameter(f"no active language {language!r}", param_hint="--language")
    period = period_of_days(first, last)
    with unit_of_work(db.session):
        entries = engagement_report(db.session, period, [language] if language else codes)
    text = report_markdown(entries, period) if fmt == "md" else report_csv(entries)
    click.echo(text, nl=False)


@click.command("send-digests")
@with_appcontext
def send_digests_command() -> None:
    """Queue today's digest for each coordinator who has not had it (run it daily, or hourly:
    a coordinator gets one a day)."""
    from .dashboard.digests import send_daily_digests

    count = send_daily_digests(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"{count} digest(s) queued.")


REPORT_COMMANDS = [report_command, send_digests_command]
