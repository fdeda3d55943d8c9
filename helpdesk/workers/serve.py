"""``helpdesk serve``: web, inbound SMTP, IMAP pollers, the outbox and retention workers in one
process."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

from aiosmtpd.controller import Controller
from flask import Flask
from werkzeug.serving import make_server

from ..core.services.heartbeats import worker_name
from .digests import run_digest_worker
from .imap import imap_threads
from .inbound import InboundProcessing, make_listener
from .outbox import run_outbox_worker
from .retention import run_retention_worker
from .runner import keep_beating

log = logging.getLogger(__name__)


def start_background(
    app: Flask, stop: threading.Event, host: str, smtp_port: int
) -> tuple[Controller, list[threading.Thread]]:
    """Start the SMTP listener and every worker thread. Nothing here waits for stored mail to be
    processed: mail left pending by the last run is recovered by the processing threads while
    the listener already answers."""
    processing = InboundProcessing(app)
    beat = (app, worker_name("serve"), "serve", stop)
    threads = [
        threading.Thread(target=keep_beating, args=beat, name="heartbeat"),
        threading.Thread(target=run_outbox_worker, args=(app, stop), name="outbox"),
        threading.Thread(target=run_digest_worker, args=(app, stop), name="digests"),
        threading.Thread(target=run_retention_worker, args=(app, stop), name="retention"),
        *processing.threads(stop),
        *imap_threads(app, stop, processing.deliver),
    ]
    smtp = make_listener(app, processing, host, smtp_port)
    smtp.start()
    for thread in threads:
        thread.start()
    return smtp, threads


def serve(app: Flask, host: str, port: int, smtp_port: int) -> None:
    """Run until Ctrl-C or SIGTERM, then stop every part and wait for it."""
    stop = threading.Event()
    web = make_server(host, port, app, threaded=True)

    def shut_down(signum: int, frame: FrameType | None) -> None:
        stop.set()
        threading.Thread(target=web.shutdown, daemon=True).start()

    previous = {sig: signal.signal(sig, shut_down) for sig in (signal.SIGINT, signal.SIGTERM)}
    smtp, threads = start_background(app, stop, host, smtp_port)
    print(
        f"Polyglot Desk is running at http://{host}:{port}/  (SMTP in on {host}:{smtp_port})",
        flush=True,
    )
    try:
        web.serve_forever()
    finally:
        stop.set()
        smtp.stop()
        for thread in threads:
            thread.join(timeout=30)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        print("Polyglot Desk stopped.", flush=True)
