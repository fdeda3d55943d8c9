"""Binding the ingest pipeline to the app: transports store and answer, a processing worker
parses and records afterwards, so no message ever waits behind another one's processing."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta

from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from mail_ingest.pipeline import (
    IngestContext,
    IngestResult,
    PreparedBatch,
    StoredMail,
    ingest,
    prepare_batch,
    process_pending,
    process_raw_mail,
    record_batch,
    store_incoming,
)
from mail_ingest.smtp_server import AcceptedRecipients, InboundHandler, make_controller

from ..core.models import Mailbox, utcnow
from ..core.services.language_detection import get_detector
from ..core.services.raw_mail import PROCESSING_LEASE
from ..extensions import db

log = logging.getLogger(__name__)


def make_deliver(app: Flask) -> Callable[[bytes, str], IngestResult]:
    """Store, commit and process one message before returning its outcome: for callers that
    need the outcome at once (tests, one-off tools). Listeners use ``InboundProcessing``."""
    context = IngestContext.from_config(app.config)

    def deliver(data: bytes, source: str) -> IngestResult:
        with app.app_context():
            try:
                return ingest(db.session, context, data, source)
            finally:
                db.session.remove()

    return deliver


class BulkImporter:
    """A bulk import's two steps, each in its own session: ``prepare`` (store and parse a batch)
    and ``record``, so that one batch can be recorded while the next is parsed."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.context = IngestContext.from_config(app.config, live=False)

    def prepare(self, items: list[tuple[bytes, str]]) -> PreparedBatch:
        with self.app.app_context():
            try:
                return prepare_batch(db.session, self.context, items)
            finally:
                db.session.remove()

    def record(self, prepared: PreparedBatch) -> list[IngestResult]:
        with self.app.app_context():
            try:
                return record_batch(db.session, self.context, prepared)
            finally:
                db.session.remove()


class InboundProcessing:
    """``deliver`` stores and commits, then queues the mail; ``threads`` process the queue, and
    from time to time sweep the database for mail still pending (left by a crash, or stored by
    another process) or that an admin asked to retry. The first sweep takes every pending mail:
    the recovery at start-up, done in the background while the listeners already answer."""

    def __init__(
        self,
        app: Flask,
        sweep_seconds: float = 5.0,
        context: IngestContext | None = None,
        store_only: bool = False,
    ) -> None:
        self.app, self.sweep_seconds, self.store_only = app, sweep_seconds, store_only
        self.context = context or IngestContext.from_config(app.config)
        self.queue = Lanes()
        self._sweeping = threading.Lock()
        self._recovered = threading.Event()
        self.started = utcnow()

    def deliver(self, data: bytes, source: str) -> StoredMail:
        """Thread-safe; raises only if the mail could not be stored. ``store_only``: stored
        unclaimed, for ``helpdesk worker ingest`` processes to take."""
        lease = None if self.store_only else PROCESSING_LEASE
        with self.app.app_context():
            try:
                stored = store_incoming(db.session, self.context, data, source, lease)
            finally:
                db.session.remove()
        if stored.fresh and not self.store_only:
            self.queue.put(stored.raw_mail_id, len(data))
        return stored

    def threads(self, stop: threading.Event) -> list[threading.Thread]:
        """The processing threads (not started): ``INGEST_THREADS`` of them. With more than one,
        the first takes only small mail and never sweeps: however many large or hostile
        messages the others are busy with, ordinary mail keeps flowing."""
        if self.store_only:
            return []
        count = max(1, self.app.config["INGEST_THREADS"])
        lanes = [n == 0 and count > 1 for n in range(count)]  # small mail only?
        return [
            threading.Thread(target=self.run, args=(stop, small), name=f"ingest {n}")
            for n, small in enumerate(lanes)
        ]

    def run(self, stop: threading.Event, small_only: bool = False) -> None:
        """Process queued mail until ``stop``; sweep for pending mail every few seconds."""
        warm_up(self.app, self.context)
        next_sweep = time.monotonic()
        while not stop.is_set():
            if not small_only and time.monotonic() >= next_sweep:
                self._sweep()
                next_sweep = time.monotonic() + self.sweep_seconds
            raw_id = self.queue.get(small_only, timeout=0.5)
            if raw_id is not None:
                self._guarded(process_raw_mail, raw_id)

    def _sweep(self) -> None:
        if not self._sweeping.acquire(blocking=False):
            return  # another thread is sweeping; this one keeps to the queue
        try:
            if self._recovered.is_set():
                self._guarded(process_pending)
                return
            # Everything stored before we started is stale; what came since is in the queue.
            as_if = self.started + PROCESSING_LEASE
            while self._recover_some(as_if) >= PENDING_PER_SWEEP:
                pass
            self._recovered.set()
        finally:
            self._sweeping.release()

    def _recover_some(self, now: datetime) -> int:
        done = self._guarded(process_pending, now=now)
        return len(done) if isinstance(done, list) else 0

    def _guarded(self, step: Callable[..., object], *args: object, **kwargs: object) -> object:
        """Run one pipeline step; a failure (the database gone, no parser process) is logged and
        the mail stays pending for a later sweep."""
        with self.app.app_context():
            try:
                return step(db.session, self.context, *args, **kwargs)
            except Exception:
                log.exception("processing stored mail failed; it stays pending")
                return None
            finally:
                db.session.remove()


def warm_up(app: Flask, context: IngestContext) -> None:
    """Load what the first message would otherwise load while it holds the database's write
    lock (the language model takes seconds), and start a parser process."""
    try:
        get_detector(app.config["LANGUAGES"]).detect("warm up")
        context.parser.warm_up(1)
    except Exception:  # not fatal: the first message does it, or says why it cannot
        log.exception("could not warm up before the first mail")


class Lanes:
    """Queued raw mail ids in two lanes by size; small mail is always taken first."""

    SMALL = 1 << 20

    def __init__(self) -> None:
        self._ready = threading.Condition()
        self._small: deque[int] = deque()
        self._large: deque[int] = deque()

    def put(self, raw_id: int, size: int) -> None:
        with self._ready:
            (self._small if size <= self.SMALL else self._large).append(raw_id)
            self._ready.notify_all()

    def get(self, small_only: bool, timeout: float) -> int | None:
        """The next id (None after ``timeout`` with nothing for this thread)."""
        with self._ready:
            if not self._small and (small_only or not self._large):
                self._ready.wait(timeout)
            if self._small:
                return self._small.popleft()
            return self._large.popleft() if self._large and not small_only else None


PENDING_PER_SWEEP = 100  # what one ``process_pending`` call takes at most


def run_ingest_worker(app: Flask, stop: threading.Event) -> None:
    """``helpdesk worker ingest``: claim a few unprocessed mails at a time (stored by a
    ``--store-only`` listener, asked to retry, or left by a dead process), process them, and
    look again at once while there is work. Any number of these share the work; one killed
    holds its few claimed mails until their lease runs out, then another takes them."""
    context = IngestContext.from_config(app.config)
    lease = timedelta(seconds=app.config["INGEST_LEASE_SECONDS"])
    warm_up(app, context)
    while not stop.is_set():
        with app.app_context():
            try:
                done = process_pending(db.session, context, limit=INGEST_CLAIM, lease=lease)
            except Exception:  # the database gone: the claimed mail waits for its lease
                log.exception("ingest worker iteration failed")
                done = []
            finally:
                db.session.remove()
        if not done:
            stop.wait(app.config["INGEST_POLL_SECONDS"])


INGEST_CLAIM = 4  # mails a worker claims at a time: few, so a dead worker holds back few


def make_listener(
    app: Flask, processing: InboundProcessing, host: str, port: int, *, lmtp: bool = False
) -> Controller:
    """The SMTP (or LMTP) listener, not started: it answers 250 once a mail is stored."""
    handler = InboundHandler(processing.deliver, accepted_recipients(app), lmtp=lmtp)
    max_bytes = app.config["MAX_MESSAGE_BYTES"]
    return make_controller(handler, host, port, max_bytes=max_bytes, lmtp=lmtp)


def accepted_recipients(app: Flask) -> AcceptedRecipients:
    """Configured addresses and domains, plus every mailbox known to the database."""
    with app.app_context():
        known = db.session.scalars(select(Mailbox.address)).all()
    return AcceptedRecipients(
        [*app.config["INBOUND_ADDRESSES"], *known], app.config["INBOUND_DOMAINS"]
    )
