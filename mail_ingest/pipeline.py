"""Store raw bytes, commit, then parse and record: the order that makes a crash lose nothing."""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from helpdesk.core.blob_stores import blob_store
from helpdesk.core.db_session import DbSession
from helpdesk.core.models import RawMail, RawMailState
from helpdesk.core.services.acknowledgements import AckPolicy
from helpdesk.core.services.inbound import (
    InboundContext,
    InboundItem,
    record_inbound_batch,
    record_inbound_message,
)
from helpdesk.core.services.outgoing_mail import MailSettings
from helpdesk.core.services.raw_mail import (
    RawMailItem,
    claim_for_processing,
    mark_failed,
    mark_failed_batch,
    mark_processed,
    store_raw_mail,
    store_raw_mail_batch,
    unprocessed_raw_mail,
)
from helpdesk.core.storage import BlobStore
from helpdesk.core.unit_of_work import unit_of_work

from .parsing import MailParseError, dedup_key, parse_message

log = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    CREATED = "created"  # opened a new ticket
    THREADED = "threaded"  # added to an existing ticket
    DUPLICATE = "duplicate"  # already stored earlier; nothing new
    FAILED = "failed"  # kept raw and quarantined with the reason


@dataclass(frozen=True)
class IngestResult:
    outcome: Outcome
    raw_mail_id: int
    ticket_id: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class IngestContext:
    raw_store: BlobStore
    inbound: InboundContext

    @classmethod
    def from_config(cls, config: Mapping[str, Any], live: bool = True) -> IngestContext:
        """``live``: mail arriving now, which new tickets acknowledge; a bulk import of old
        mail (``live=False``) must not answer anyone."""
        acknowledgements = AckPolicy(
            MailSettings(config["MAIL_FROM"], config["MAIL_DOMAIN"]),
            max_per_sender=config["AUTO_ACK_MAX_PER_SENDER"],
            window=timedelta(hours=config["AUTO_ACK_WINDOW_HOURS"]),
        )
        return cls(
            raw_store=blob_store(config, "raw"),
            inbound=InboundContext(
                attachments=blob_store(config, "attachments"),
                acknowledgements=acknowledgements if live else None,
            ),
        )


def ingest(session: DbSession, context: IngestContext, data: bytes, source: str) -> IngestResult:
    """Take one message. Raises only if the raw bytes could not be stored (the sender must then
    keep the mail and retry); every later failure is recorded on the raw mail instead."""
    with unit_of_work(session):
        stored = store_raw_mail(session, context.raw_store, data, dedup_key(data), source)
    raw = stored.raw_mail
    if stored.duplicate and raw.state != RawMailState.PENDING:
        return IngestResult(Outcome.DUPLICATE, raw.id)
    return process_raw_mail(session, context, raw.id, data)


# States from which a mail may be (re)processed: fresh, asked to retry, or quarantined.
PROCESSABLE = (RawMailState.PENDING, RawMailState.RETRY, RawMailState.FAILED)


def process_raw_mail(
    session: DbSession, context: IngestContext, raw_mail_id: int, data: bytes | None = None
) -> IngestResult:
    """Parse a stored raw mail and record it, unless another process already did; on any error,
    quarantine it with the reason."""
    raw = session.get(RawMail, raw_mail_id)
    assert raw is not None
    if data is None:
        data = context.raw_store.get(raw.sha256)
    try:
        with unit_of_work(session):
            if not claim_for_processing(session, [raw_mail_id], PROCESSABLE):
                return IngestResult(Outcome.DUPLICATE, raw_mail_id)
            return _record(session, context, raw, data)
    except Exception as error:
        log.exception("could not process raw mail %s", raw_mail_id)
        reason = f"{type(error).__name__}: {error}"
        with unit_of_work(session):
            raw = session.get(RawMail, raw_mail_id)
            assert raw is not None
            if raw.state in PROCESSABLE:
                mark_failed(raw, reason)
        return IngestResult(Outcome.FAILED, raw_mail_id, error=reason)


def _record(session: DbSession, context: IngestContext, raw: RawMail, data: bytes) -> IngestResult:
    """Parse and record one claimed mail inside the caller's transaction."""
    try:
        parsed = parse_message(data)
    except MailParseError as error:
        mark_failed(raw, str(error))
        return IngestResult(Outcome.FAILED, raw.id, error=str(error))
    result = record_inbound_message(session, parsed, context.inbound, raw.id)
    mark_processed(raw)
    outcome = Outcome.CREATED if result.created else Outcome.THREADED
    return IngestResult(outcome, raw.id, result.ticket_id)


def ingest_batch(
    session: DbSession, context: IngestContext, items: list[tuple[bytes, str]]
) -> list[IngestResult]:
    """Bulk import of (bytes, source) pairs: one transaction stores the whole batch's raw mail
    (one disk sync), one records it (lookups prefetched, each table written in a few
    statements). If anything unexpected breaks the batch, it is rolled back and taken again one
    message at a time, so one bad mail never costs the others."""
    raw_items = [RawMailItem(data, dedup_key(data), source) for data, source in items]
    results: list[IngestResult | None] = [None] * len(items)
    try:
        with unit_of_work(session):
            stored = store_raw_mail_batch(session, context.raw_store, raw_items)
    except IntegrityError:  # another process stored some of these meanwhile
        return [ingest(session, context, data, source) for data, source in items]
    work: list[tuple[int, int, bytes]] = []  # (position in the batch, raw mail id, bytes)
    taken: set[int] = set()
    for index, (item, entry) in enumerate(zip(raw_items, stored, strict=True)):
        raw_id = entry.raw_mail_id
        if (entry.duplicate and entry.state != RawMailState.PENDING) or raw_id in taken:
            results[index] = IngestResult(Outcome.DUPLICATE, raw_id)
        else:
            taken.add(raw_id)
            work.append((index, raw_id, item.data))
    try:
        with unit_of_work(session):
            _record_batch(session, context, work, results)
    except Exception:  # retried one by one just below, each failure quarantined
        log.warning(
            "a batch of %d messages failed; processing them one by one", len(work), exc_info=True
        )
        for index, raw_id, data in work:
            results[index] = process_raw_mail(session, context, raw_id, data)
    return [result for result in results if result is not None]


def _record_batch(
    session: DbSession,
    context: IngestContext,
    work: list[tuple[int, int, bytes]],
    results: list[IngestResult | None],
) -> None:
    """Claim, parse and record the batch inside the caller's transaction; unparseable mail is
    quarantined, mail another process took meanwhile is a duplicate."""
    claimed = claim_for_processing(session, [raw_id for _, raw_id, _ in work], PROCESSABLE)
    to_record: list[tuple[int, InboundItem]] = []
    failed: dict[int, str] = {}
    for index, raw_id, data in work:
        if raw_id not in claimed:
            results[index] = IngestResult(Outcome.DUPLICATE, raw_id)
            continue
        try:
            to_record.append((index, InboundItem(parse_message(data), raw_id)))
        except MailParseError as error:
            failed[raw_id] = str(error)
            results[index] = IngestResult(Outcome.FAILED, raw_id, error=str(error))
    mark_failed_batch(session, failed)
    recorded = record_inbound_batch(session, [item for _, item in to_record], context.inbound)
    for (index, item), result in zip(to_record, recorded, strict=True):
        outcome = Outcome.CREATED if result.created else Outcome.THREADED
        assert item.raw_mail_id is not None
        results[index] = IngestResult(outcome, item.raw_mail_id, result.ticket_id)


def process_pending(
    session: DbSession, context: IngestContext, now: datetime | None = None
) -> list[IngestResult]:
    """Mail an admin asked to retry, and mail stored but never processed (a crash between the
    two steps; ``now`` in the future takes every pending mail, as at start-up)."""
    raws = unprocessed_raw_mail(session, now=now)
    return [process_raw_mail(session, context, raw.id) for raw in raws]
