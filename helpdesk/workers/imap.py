"""IMAP pollers bound to the app: one thread per configured mailbox."""

from __future__ import annotations

import threading

from flask import Flask

from mail_ingest.imap import ImapMailbox, poll_forever

from ..core.services.imap_checkpoints import load_checkpoint, save_checkpoint
from ..core.unit_of_work import unit_of_work
from ..extensions import db
from .inbound import make_deliver


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


def imap_threads(app: Flask, stop: threading.Event) -> list[threading.Thread]:
    deliver, checkpoints = make_deliver(app), DatabaseCheckpoints(app)
    threads = []
    for entry in app.config["IMAP_MAILBOXES"]:
        box = ImapMailbox.from_config(entry)
        threads.append(
            threading.Thread(
                target=poll_forever,
                name=f"imap {box.key}",
                args=(box, deliver, checkpoints, stop, app.config["IMAP_POLL_SECONDS"]),
            )
        )
    return threads


def run_imap_pollers(app: Flask, stop: threading.Event) -> None:
    threads = imap_threads(app, stop)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
