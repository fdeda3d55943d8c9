"""Mail commands: import, inspect, reprocess, and the SMTP/LMTP listener on its own."""

from __future__ import annotations

import json
import sys
import threading
from dataclasses import asdict
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from mail_ingest.files import count_messages, iter_mail
from mail_ingest.inspection import inspect_message
from mail_ingest.parsing import MailParseError, parse_message
from mail_ingest.pipeline import IngestContext, process_raw_mail

from .core.models import RawMail, RawMailState
from .core.services.raw_mail import failed_raw_mail_ids
from .core.services.routing_explanation import explain_routing
from .extensions import db
from .workers.inbound import InboundProcessing, make_listener


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined]


@click.command("import-mail")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with the counts.")
@with_appcontext
def import_mail_command(paths: tuple[Path, ...], as_json: bool) -> None:
    """Import .eml files, directories of them, mbox files and Maildirs."""
    from .mail_import import import_mail

    show_progress = not as_json and sys.stderr.isatty()
    total = count_messages(list(paths)) if show_progress else 0
    with click.progressbar(
        length=total, label="Importing", file=sys.stderr, hidden=not show_progress
    ) as bar:
        summary = import_mail(_app(), list(paths), progress=bar.update)
    click.echo(json.dumps(summary.as_dict(), ensure_ascii=False) if as_json else summary.describe())


@click.command("inspect-mail")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per message and line.")
def inspect_mail_command(paths: tuple[Path, ...], as_json: bool) -> None:
    """Show what the ingester makes of each message, storing nothing."""
    for source, data in iter_mail(list(paths)):
        report = inspect_message(source, data)
        if as_json:
            click.echo(json.dumps(asdict(report), ensure_ascii=False))
        else:
            click.echo(report.describe())


@click.command("explain-routing")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per message and line.")
@with_appcontext
def explain_routing_command(paths: tuple[Path, ...], as_json: bool) -> None:
    """Where each message would be routed, by which rule, and to whom; stores nothing."""
    for source, data in iter_mail(list(paths)):
        try:
            parsed = parse_message(data)
        except MailParseError as error:
            report: dict[str, object] = {"file": source, "error": str(error)}
        else:
            explanation = explain_routing(db.session, parsed)
            report = {
                "file": source,
                "language": explanation.language,
                "confidence": explanation.confidence,
                "rule": explanation.rule,
                "queue": explanation.queue,
                "detected": explanation.detected,
                "hints": explanation.hints,
                "liaison": explanation.liaison,
                "error": None,
            }
        if as_json:
            click.echo(json.dumps(report, ensure_ascii=False))
        elif report["error"]:
            click.echo(f"{source}: cannot be processed: {report['error']}")
        else:
            click.echo(
                f"{source}: queue {report['queue']} by rule {report['rule']} "
                f"(detected {report['detected']}, confidence {report['confidence']}), "
                f"liaison {report['liaison'] or 'none available'}"
            )


@click.command("reprocess")
@click.argument("ids", nargs=-1, type=int)
@click.option("--failed", "all_failed", is_flag=True, help="Every message in quarantine.")
@with_appcontext
def reprocess_command(ids: tuple[int, ...], all_failed: bool) -> None:
    """Process quarantined mail again (after a fix); prints the outcome of each."""
    if all_failed:
        ids = tuple(failed_raw_mail_ids(db.session))
    if not ids:
        raise click.UsageError("name raw mail ids, or use --failed")
    context = IngestContext.from_config(current_app.config)
    for raw_id in ids:
        raw = db.session.get(RawMail, raw_id)
        if raw is None or raw.state == RawMailState.PROCESSED:
            click.echo(
                f"{raw_id}: {'no such raw mail' if raw is None else 'already processed'}", err=True
            )
            continue
        result = process_raw_mail(db.session, context, raw_id)
        detail = f"ticket #{result.ticket_id}" if result.ticket_id else result.error
        click.echo(f"{raw_id}: {result.outcome} ({detail})")


@click.command("smtp-server")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=2525, show_default=True, type=int)
@click.option("--lmtp", is_flag=True, help="Speak LMTP, for Postfix or Dovecot to hand mail over.")
@click.option(
    "--store-only",
    is_flag=True,
    help="Only store mail; `helpdesk worker ingest` processes (any number) process it.",
)
@with_appcontext
def smtp_server_command(host: str, port: int, lmtp: bool, store_only: bool) -> None:
    """Only the inbound SMTP (or LMTP) listener and the processing of what it stores, until
    interrupted."""
    app, stop = _app(), threading.Event()
    processing = InboundProcessing(app, store_only=store_only)
    controller = make_listener(app, processing, host, port, lmtp=lmtp)
    threads = processing.threads(stop)
    controller.start()
    for thread in threads:
        thread.start()
    click.echo(f"{'LMTP' if lmtp else 'SMTP'} listener on {host}:{port}")
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
        stop.set()
        for thread in threads:
            thread.join(timeout=30)


MAIL_COMMANDS = [
    import_mail_command,
    inspect_mail_command,
    explain_routing_command,
    reprocess_command,
    smtp_server_command,
]
