"""The retention policy, applied once a day by a loop of its own (or of ``helpdesk serve``)."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from ..core.blob_stores import blob_stores
from ..core.services.privacy.retention import apply_retention
from ..core.unit_of_work import unit_of_work
from ..extensions import db

log = logging.getLogger(__name__)
DAY = 86400.0


def run_retention_worker(app: Flask, stop: threading.Event, interval: float = DAY) -> None:
    """Apply the policy now and then every ``interval`` seconds until ``stop``. A second
    process doing the same finds nothing left to purge: running twice is harmless."""
    while True:
        with app.app_context():
            try:
                with unit_of_work(db.session):
                    reports = apply_retention(db.session, blob_stores(app.config))
                purged = sum(r.raw_mails + r.attachments for r in reports)
                if purged:
                    log.info("retention purged %d raw mail(s) and attachment(s)", purged)
            except Exception:
                log.exception("retention not applied; trying again later")
            finally:
                db.session.remove()
        if stop.wait(interval):
            return
