"""``helpdesk serve``: web, inbound SMTP, IMAP pollers and the outbox worker in one process."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

from flask import Flask
from werkzeug.serving import make_server

from mail_ingest.smtp_server import InboundHandler, make_controller

from .imap import imap_threads
from .inbound import accepted_recipients, make_deliver, recover_pending, run_ingest_worker
from .outbox import run_outbox_worker

log = logging.getLogger(__name__)


def serve(app: Flask, host: str, port: int, smtp_port: int) -> None:
    """Run until Ctrl-C or SIGTERM, then stop every part and wait for it."""
    stop = threading.Event()
    recovered = recover_pending(app)
    if recovered:
        log.info("processed %d stored messages left over from the last run", recovered)
    deliver = make_deliver(app)
    threads = [
        threading.Thread(target=run_outbox_worker, args=(app, stop), name="outbox"),
        threading.Thread(target=run_ingest_worker, args=(app, stop), name="ingest"),
    ]
    threads.extend(imap_threads(app, stop))
    smtp = make_controller(
        InboundHandler(deliver, accepted_recipients(app)),
        host,
        smtp_port,
        max_bytes=app.config["MAX_MESSAGE_BYTES"],
    )
    web = make_server(host, port, app, threaded=True)

    def shut_down(signum: int, frame: FrameType | None) -> None:
        stop.set()
        threading.Thread(target=web.shutdown, daemon=True).start()

    previous = {sig: signal.signal(sig, shut_down) for sig in (signal.SIGINT, signal.SIGTERM)}
    smtp.start()
    for thread in threads:
        thread.start()
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
