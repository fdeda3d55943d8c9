"""IMAP pollers bound to the app: one thread per mailbox, kept in step with the configuration."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from mail_ingest.imap import Deliver, ImapMailbox, poll_forever

from ..core.services.imap_accounts import imap_configs
from ..core.services.imap_checkpoints import load_checkpoint, save_checkpoint
from ..core.services.mailboxes import ensure_mailbox
from ..core.services.secret_box import SecretBox
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
    """The IMAP supervisor thread (not started), which runs one poller per mailbox, each handing
    what it reads to ``deliver`` (which stores it; processing comes after). A bad entry in
    HELPDESK_IMAP_MAILBOXES fails here, at once; mailboxes set in the browser are re-read while
    it runs."""
    for entry in app.config["IMAP_MAILBOXES"]:
        ImapMailbox.from_config(entry)
    register_imap_addresses(app)
    supervisor = ImapSupervisor(app, deliver, DatabaseCheckpoints(app))
    return [threading.Thread(target=supervisor.run, args=(stop,), name="imap")]


def wanted_mailboxes(app: Flask) -> set[ImapMailbox]:
    """The mailboxes to read now: the environment's and the browser's (a bad one is logged)."""
    with app.app_context():
        try:
            entries = imap_configs(db.session, app.config, SecretBox(app.config["SECRETS_KEY"]))
        finally:
            db.session.remove()
    boxes = set()
    for entry in entries:
        try:
            boxes.add(ImapMailbox.from_config(entry))
        except (KeyError, ValueError) as error:
            log.error("IMAP mailbox %s@%s skipped: %s", entry.get("user"), entry.get("host"), error)
    return boxes


class ImapSupervisor:
    """Keeps one poller thread per wanted mailbox, re-reading the list every
    IMAP_RELOAD_SECONDS: an added mailbox gets a poller, a changed one (new password, folder…)
    a fresh one, a removed one is stopped. Each poller has its own stop event."""

    def __init__(self, app: Flask, deliver: Deliver, checkpoints: DatabaseCheckpoints) -> None:
        self.app, self.deliver, self.checkpoints = app, deliver, checkpoints
        self.running: dict[ImapMailbox, tuple[threading.Thread, threading.Event]] = {}
        self.started: list[threading.Thread] = []

    def reconcile(self, wanted: set[ImapMailbox]) -> None:
        for box in [box for box in self.running if box not in wanted]:
            _thread, box_stop = self.running.pop(box)
            log.info("IMAP %s removed or changed: stopping its poller", box.key)
            box_stop.set()
        for box in wanted - set(self.running):
            box_stop = threading.Event()
            thread = threading.Thread(
                target=poll_while_leading,
                name=f"imap {box.key}",
                args=(self.app, box, self.deliver, self.checkpoints, box_stop),
            )
            thread.start()
            self.running[box] = (thread, box_stop)
            self.started = [t for t in self.started if t.is_alive()] + [thread]

    def run(self, stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                try:
                    self.reconcile(wanted_mailboxes(self.app))
                except Exception:
                    log.exception("IMAP mailboxes not re-read; trying again")
                stop.wait(self.app.config["IMAP_RELOAD_SECONDS"])
        finally:
            self.reconcile(set())
            for thread in self.started:
                thread.join(timeout=30)


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
