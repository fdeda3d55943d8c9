"""IMAP pollers bound to the app: one thread per configured mailbox."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from mail_ingest.imap import Deliver, ImapMailbox, poll_forever

from ..core.services.imap_checkpoints import load_checkpoint, save_checkpoint
from ..core.services.mailboxes import ensure_mailbox
from ..core.unit_of_work import unit_of_work
from ..extensions import db
from .inbound import InboundProcessing
from .leadership import MailboxLease

log = logging.getLogger(__name__)


class DatabaseCheckpoints:
    """Checkpoints kept in the database, each save committed on its own."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def load(self, key: str) -> tuple[int | None, int]:
        with self.app.app_context():
            try:
                return load_checkpoint(db.session, key)
            finally:
                db.session.remove()

    def save(self, key: str, uidvalidity: int, last_uid: int) -> None:
        with self.app.app_context():
            try:
                with unit_of_work(db.session):
                    save_checkpoint(db.session, key, uidvalidity, last_uid)
            finally:
                db.session.remove()


def register_imap_addresses(app: Flask) -> None:
    """Each IMAP mailbox's address (``address``, else its user name when that is an address)
    becomes a mailbox with the configured ``language``, so the mail delivered to it gets that
    language as its routing hint."""
    with app.app_context():
        try:
            with unit_of_work(db.session):
                for entry in app.config["IMAP_MAILBOXES"]:
                    address = entry.get("address") or entry.get("user", "")
                    if "@" in address:
                        ensure_mailbox(db.session, address, entry.get("language"))
        finally:
            db.session.remove()


def imap_threads(app: Flask, stop: threading.Event, deliver: Deliver) -> list[threading.Thread]:
    """One poller thread per configured mailbox (not started), each handing what it reads to
    ``deliver`` (which stores it; processing comes after); a bad entry fails here, at once."""
    boxes = [ImapMailbox.from_config(entry) for entry in app.config["IMAP_MAILBOXES"]]
    register_imap_addresses(app)
    checkpoints = DatabaseCheckpoints(app)
    threads = []
    for box in boxes:
        threads.append(
            threading.Thread(
                target=poll_while_leading,
                name=f"imap {box.key}",
                args=(app, box, deliver, checkpoints, stop),
            )
        )
    return threads


def poll_while_leading(
    app: Flask,
    box: ImapMailbox,
    deliver: Deliver,
    checkpoints: DatabaseCheckpoints,
    stop: threading.Event,
) -> None:
    """Poll ``box`` once this process holds its lease; until then stand by and try again, so
    a second ``helpdesk worker imap`` takes over when the first dies, and never polls beside it."""
    with app.app_context():
        lease = MailboxLease(db.engine, app.config["DATA_DIR"] / "locks", box.key)
    standing_by = False
    try:
        while not stop.is_set():
            if lease.acquire():
                log.info("polling %s", box.key)
                poll_forever(box, deliver, checkpoints, stop, app.config["IMAP_POLL_SECONDS"])
                return
            if not standing_by:
                log.info("standing by for %s: another process polls it", box.key)
                standing_by = True
            stop.wait(app.config["IMAP_STANDBY_SECONDS"])
    finally:
        lease.release()


def run_imap_pollers(app: Flask, stop: threading.Event) -> None:
    """The pollers on their own (``helpdesk worker imap``), with their processing threads."""
    processing = InboundProcessing(app)
    threads = [*imap_threads(app, stop, processing.deliver), *processing.threads(stop)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
