"""The outbox worker: claims due mail, sends it, records the result."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from flask import Flask

from ..core.db_session import DbSession
from ..core.models import OutboxMail
from ..core.services.outbox import SEND_LEASE, claim_due_mail, mark_attempt_failed, mark_sent
from ..core.services.secret_box import SecretBox
from ..core.services.settings import smtp_settings
from ..core.unit_of_work import unit_of_work
from ..extensions import db
from .transports import DeliveryError, Transport, transport_from_settings

log = logging.getLogger(__name__)


def deliver_due(
    session: DbSession, transport: Transport, max_attempts: int, lease: timedelta = SEND_LEASE
) -> int:
    """Send what is due now; returns how many mails were attempted. Each mail is claimed (and the
    claim committed) just before it is sent, one at a time, so its lease always outlasts the
    send and two workers never send the same mail."""
    attempted = 0
    while True:
        with unit_of_work(session):
            claimed = claim_due_mail(session, limit=1, lease=lease)
        if not claimed:
            return attempted
        attempted += 1
        _send(session, transport, claimed[0], max_attempts)


def _send(session: DbSession, transport: Transport, mail: OutboxMail, max_attempts: int) -> None:
    try:
        where = transport.send(
            mail.mail_from, mail.recipients.split(","), mail.content, f"outbox-{mail.id}"
        )
    except DeliveryError as error:
        with unit_of_work(session):
            mark_attempt_failed(
                session, mail, str(error), permanent=error.permanent, max_attempts=max_attempts
            )
        log.warning("outbox mail %s not delivered: %s", mail.id, error)
    else:
        with unit_of_work(session):
            mark_sent(session, mail, where)


def current_transport(app: Flask) -> Transport:
    """Built per batch from the settings as they are now: a change made in the browser is used
    from the next batch on, without a restart."""
    settings = smtp_settings(db.session, app.config, SecretBox(app.config["SECRETS_KEY"]))
    db.session.rollback()  # end the read: claims run in their own transactions
    return transport_from_settings(settings, app.config["OUTBOX_DIR"])


def deliver_batch(app: Flask) -> int:
    """One round of the worker (inside an app context): what is due, with today's settings."""
    lease = timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"])
    transport = current_transport(app)
    return deliver_due(db.session, transport, app.config["OUTBOX_MAX_ATTEMPTS"], lease)


def run_outbox_worker(app: Flask, stop: threading.Event) -> None:
    """Loop until ``stop``; a database hiccup is logged and retried, never fatal."""
    interval = app.config["OUTBOX_POLL_SECONDS"]
    while not stop.is_set():
        with app.app_context():
            try:
                busy = deliver_batch(app)
            except Exception:
                log.exception("outbox worker iteration failed")
                busy = 0
            finally:
                db.session.remove()
        if not busy:
            stop.wait(interval)


def run_outbox_with_digests(app: Flask, stop: threading.Event) -> None:
    """The outbox, with the daily digests queued beside it (they leave through it)."""
    from .digests import run_digest_worker

    digests = threading.Thread(target=run_digest_worker, args=(app, stop), name="digests")
    digests.start()
    try:
        run_outbox_worker(app, stop)
    finally:
        digests.join(timeout=30)
