"""One worker as a process of its own: a clean stop on SIGTERM (systemd, container engines) or
Ctrl-C, and a heartbeat that readiness checks read while it runs and that it takes back when
it stops cleanly."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType

from flask import Flask

from ..core.services.heartbeats import beat, forget, worker_name
from ..core.unit_of_work import unit_of_work
from ..extensions import db

log = logging.getLogger(__name__)
Worker = Callable[[Flask, threading.Event], None]


def run_worker(app: Flask, role: str, target: Worker) -> None:
    """Run ``target(app, stop)`` until SIGTERM or SIGINT sets ``stop``; then wait for it."""
    stop = threading.Event()
    if app.config["WORKER_NICE"] > 0:
        os.nice(app.config["WORKER_NICE"])  # its parser processes inherit it

    def on_signal(signum: int, frame: FrameType | None) -> None:
        log.info("%s worker stopping (signal %d)", role, signum)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    name = worker_name(role)
    heart = threading.Thread(target=keep_beating, args=(app, name, role, stop), name="heartbeat")
    heart.start()
    try:
        target(app, stop)
    finally:
        stop.set()
        heart.join(timeout=10)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("%s worker stopped", role)


def keep_beating(app: Flask, name: str, role: str, stop: threading.Event) -> None:
    """Beat until ``stop``, then say goodbye; a database hiccup skips a beat, nothing more."""
    while True:
        _with_session(app, lambda: beat(db.session, name, role))
        if stop.wait(app.config["HEARTBEAT_SECONDS"]):
            break
    _with_session(app, lambda: forget(db.session, name))


def _with_session(app: Flask, action: Callable[[], None]) -> None:
    with app.app_context():
        try:
            with unit_of_work(db.session):
                action()
        except Exception:
            log.warning("heartbeat not recorded", exc_info=True)
        finally:
            db.session.remove()
