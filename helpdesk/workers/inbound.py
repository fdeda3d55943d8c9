"""Binding the ingest pipeline to the app: one ``deliver(bytes, source)`` for every transport."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from mail_ingest.pipeline import (
    IngestContext,
    IngestResult,
    ingest,
    ingest_batch,
    process_pending,
)
from mail_ingest.smtp_server import AcceptedRecipients

from ..core.models import Mailbox, utcnow
from ..extensions import db

Deliver = Callable[[bytes, str], IngestResult]
log = logging.getLogger(__name__)


def make_deliver(app: Flask) -> Deliver:
    """A thread-safe callable that stores, commits and processes one message."""
    context = IngestContext.from_config(app.config)

    def deliver(data: bytes, source: str) -> IngestResult:
        with app.app_context():
            try:
                return ingest(db.session, context, data, source)
            finally:
                db.session.remove()

    return deliver


def make_bulk_deliver(app: Flask) -> Callable[[list[tuple[bytes, str]]], list[IngestResult]]:
    """Like ``make_deliver`` for a batch of (bytes, source): for bulk imports."""
    context = IngestContext.from_config(app.config, live=False)

    def deliver_batch(items: list[tuple[bytes, str]]) -> list[IngestResult]:
        with app.app_context():
            try:
                return ingest_batch(db.session, context, items)
            finally:
                db.session.remove()

    return deliver_batch


def recover_pending(app: Flask) -> int:
    """At start-up: process every mail a previous run stored but did not get to process."""
    with app.app_context():
        try:
            context = IngestContext.from_config(app.config)
            return len(process_pending(db.session, context, now=utcnow() + timedelta(days=1)))
        finally:
            db.session.remove()


def run_ingest_worker(app: Flask, stop: threading.Event, interval: float = 5.0) -> None:
    """Retry what admins asked to retry, and finish mail a crashed process left pending."""
    context = IngestContext.from_config(app.config)
    while not stop.wait(interval):
        with app.app_context():
            try:
                process_pending(db.session, context)
            except Exception:
                log.exception("ingest worker iteration failed")
            finally:
                db.session.remove()


def accepted_recipients(app: Flask) -> AcceptedRecipients:
    """Configured addresses and domains, plus every mailbox known to the database."""
    with app.app_context():
        known = db.session.scalars(select(Mailbox.address)).all()
    return AcceptedRecipients(
        [*app.config["INBOUND_ADDRESSES"], *known], app.config["INBOUND_DOMAINS"]
    )
