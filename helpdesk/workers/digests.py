"""The coordinators' daily digest, queued by whichever process runs the outbox: once an hour it
asks who has not had today's; each coordinator gets one a day however often it asks."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from ..dashboard.digests import send_daily_digests
from ..extensions import db

log = logging.getLogger(__name__)


def run_digest_worker(app: Flask, stop: threading.Event, interval: float = 3600.0) -> None:
    while True:
        with app.app_context():
            try:
                queued = send_daily_digests(app)
                if queued:
                    log.info("queued %d daily digest(s)", queued)
            except Exception:
                log.exception("daily digests not queued; trying again later")
            finally:
                db.session.remove()
        if stop.wait(interval):
            return
