"""Store raw bytes, commit, then parse and record: the order that makes a crash lose nothing."""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    PROCESSING_LEASE,
    RawMailItem,
    claim_for_processing,
    claim_unprocessed_raw_mail,
    mark_failed,
    mark_failed_batch,
    mark_processed,
    store_raw_mail,
    store_raw_mail_batch,
)
from helpdesk.core.storage import BlobStore
from helpdesk.core.unit_of_work import unit_of_work

from .budget import InProcessParser, Parser, shared_parser
from .outcomes import ParseOutcome
from .parsing import dedup_key

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
    parser: Parser = field(default_factory=InProcessParser)

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
            parser=shared_parser(config["PARSE_TIMEOUT_SECONDS"], config["PARSE_MEMORY_MB"]),
        )


@dataclass(frozen=True)
class StoredMail:
    raw_mail_id: int
    fresh: bool  # still to be processed (False: a duplicate of mail already processed)


def store_incoming(
    session: DbSession,
    context: IngestContext,
    data: bytes,
    source: str,
    lease: timedelta | None = PROCESSING_LEASE,
) -> StoredMail:
    """Keep the bytes and commit: once this returns, the mail is safe and the sender may be told
    so. Raises only if they could not be stored (the sender must then keep the mail and retry).
    Processing is a separate step (``process_raw_mail``), never waited for here: by the caller,
    who holds the mail for ``lease``, or with no lease by the first ingest worker to look."""
    with unit_of_work(session):
        key = dedup_key(data)
        stored = store_raw_mail(session, context.raw_store, data, key, source, lease)
        raw_id, state = stored.raw_mail.id, stored.raw_mail.state
    return StoredMail(raw_id, fresh=not stored.duplicate or state == RawMailState.PENDING)


def ingest(session: DbSession, context: IngestContext, data: bytes, source: str) -> IngestResult:
    """Store, then process at once: for callers that want the outcome (imports, tests)."""
    stored = store_incoming(session, context, data, source)
    if not stored.fresh:
        return IngestResult(Outcome.DUPLICATE, stored.raw_mail_id)
    return process_raw_mail(session, context, stored.raw_mail_id, data)


# States from which a mail may be (re)processed: fresh, asked to retry, or quarantined.
PROCESSABLE = (RawMailState.PENDING, RawMailState.RETRY, RawMailState.FAILED)


def process_raw_mail(
    session: DbSession, context: IngestContext, raw_mail_id: int, data: bytes | None = None
) -> IngestResult:
    """Parse a stored raw mail (under the parser's budget, with no transaction open) and record
    it, unless another process already did; on any error, quarantine it with the reason."""
    with unit_of_work(session):  # a short read: nothing stays open while the mail is parsed
        raw = session.get(RawMail, raw_mail_id)
        if raw is None or raw.state not in PROCESSABLE:
            return IngestResult(Outcome.DUPLICATE, raw_mail_id)
        digest = raw.sha256
    if data is None:
        data = context.raw_store.get(digest)
    [outcome] = context.parser.parse_many([data])
    return _record_parsed(session, context, raw_mail_id, outcome)


def _record_parsed(
    session: DbSession, context: IngestContext, raw_mail_id: int, outcome: ParseOutcome
) -> IngestResult:
    """Record the parsed mail, or quarantine it with the reason. A unique row written by another
    thread or process at the same moment (the same new requester in two mails) is a race, not a
    fault of the mail: recorded again, it finds that row."""
    for attempt in range(1, RECORD_ATTEMPTS + 1):
        try:
            return _record_once(session, context, raw_mail_id, outcome)
        except IntegrityError as error:
            if attempt == RECORD_ATTEMPTS:
                return _quarantine(session, raw_mail_id, error)
            log.info("raw mail %s raced another writer; recording it again", raw_mail_id)
        except Exception as error:  # noqa: BLE001 - logged there; the mail stays, raw
            return _quarantine(session, raw_mail_id, error)
    raise AssertionError("unreachable")  # pragma: no cover


RECORD_ATTEMPTS = 3


def _record_once(
    session: DbSession, context: IngestContext, raw_mail_id: int, outcome: ParseOutcome
) -> IngestResult:
    """One short transaction: claim the mail, record it (or quarantine it with the reason it
    could not be parsed), mark it processed."""
    with unit_of_work(session):
        if not claim_for_processing(session, [raw_mail_id], PROCESSABLE):
            return IngestResult(Outcome.DUPLICATE, raw_mail_id)
        raw = session.get(RawMail, raw_mail_id)
        assert raw is not None
        if outcome.message is None:
            reason = outcome.error or "unreadable"
            mark_failed(raw, reason)
            return IngestResult(Outcome.FAILED, raw_mail_id, error=reason)
        result = record_inbound_message(session, outcome.message, context.inbound, raw.id)
        mark_processed(raw)
    outcome_kind = Outcome.CREATED if result.created else Outcome.THREADED
    return IngestResult(outcome_kind, raw_mail_id, result.ticket_id)


def _quarantine(session: DbSession, raw_mail_id: int, error: Exception) -> IngestResult:
    log.exception("could not record raw mail %s", raw_mail_id, exc_info=error)
    reason = f"{type(error).__name__}: {error}"
    with unit_of_work(session):
        raw = session.get(RawMail, raw_mail_id)
        assert raw is not None
        if raw.state in PROCESSABLE:
            mark_failed(raw, reason)
    return IngestResult(Outcome.FAILED, raw_mail_id, error=reason)


Work = list[tuple[int, int, ParseOutcome]]  # (position in the batch, raw mail id, parsed)


def ingest_batch(
    session: DbSession, context: IngestContext, items: list[tuple[bytes, str]]
) -> list[IngestResult]:
    """Bulk import of (bytes, source) pairs: ``prepare_batch`` then ``record_batch``."""
    return record_batch(session, context, prepare_batch(session, context, items))


@dataclass
class PreparedBatch:
    """A batch stored and parsed, waiting to be recorded (a bulk import records one batch while
    the next is parsed)."""

    results: list[IngestResult | None]  # duplicates (and everything, if stored one by one)
    work: Work = field(default_factory=list)


def prepare_batch(
    session: DbSession, context: IngestContext, items: list[tuple[bytes, str]]
) -> PreparedBatch:
    """One transaction stores the whole batch's raw mail (one disk sync); the batch is then
    parsed with no transaction open."""
    raw_items = [RawMailItem(data, dedup_key(data), source) for data, source in items]
    results: list[IngestResult | None] = [None] * len(items)
    try:
        with unit_of_work(session):
            stored = store_raw_mail_batch(session, context.raw_store, raw_items)
    except IntegrityError:  # another process stored some of these meanwhile
        return PreparedBatch([ingest(session, context, data, source) for data, source in items])
    todo: list[tuple[int, int]] = []  # (position in the batch, raw mail id)
    taken: set[int] = set()
    for index, entry in enumerate(stored):
        raw_id = entry.raw_mail_id
        if (entry.duplicate and entry.state != RawMailState.PENDING) or raw_id in taken:
            results[index] = IngestResult(Outcome.DUPLICATE, raw_id)
        else:
            taken.add(raw_id)
            todo.append((index, raw_id))
    outcomes = context.parser.parse_many([raw_items[index].data for index, _ in todo])
    work = [(index, raw_id, parsed) for (index, raw_id), parsed in zip(todo, outcomes, strict=True)]
    return PreparedBatch(results, work)


def record_batch(
    session: DbSession, context: IngestContext, prepared: PreparedBatch
) -> list[IngestResult]:
    """One short transaction records the parsed batch (lookups prefetched, each table written in
    a few statements). If anything unexpected breaks that, it is rolled back and recorded again
    one message at a time, so one bad mail never costs the others."""
    results = prepared.results
    try:
        with unit_of_work(session):
            _record_batch(session, context, prepared.work, results)
    except Exception:  # recorded one by one just below, each failure quarantined
        log.warning(
            "a batch of %d messages failed; recording them one by one",
            len(prepared.work),
            exc_info=True,
        )
        for index, raw_id, parsed in prepared.work:
            results[index] = _record_parsed(session, context, raw_id, parsed)
    return [result for result in results if result is not None]


def _record_batch(
    session: DbSession,
    context: IngestContext,
    work: Work,
    results: list[IngestResult | None],
) -> None:
    """Claim and record the parsed batch inside the caller's transaction; unparseable mail is
    quarantined, mail another process took meanwhile is a duplicate."""
    claimed = claim_for_processing(session, [raw_id for _, raw_id, _ in work], PROCESSABLE)
    to_record: list[tuple[int, InboundItem]] = []
    failed: dict[int, str] = {}
    for index, raw_id, parsed in work:
        if raw_id not in claimed:
            results[index] = IngestResult(Outcome.DUPLICATE, raw_id)
        elif parsed.message is None:
            failed[raw_id] = parsed.error or "unreadable"
            results[index] = IngestResult(Outcome.FAILED, raw_id, error=failed[raw_id])
        else:
            to_record.append((index, InboundItem(parsed.message, raw_id)))
    mark_failed_batch(session, failed)
    recorded = record_inbound_batch(session, [item for _, item in to_record], context.inbound)
    for (index, item), result in zip(to_record, recorded, strict=True):
        outcome = Outcome.CREATED if result.created else Outcome.THREADED
        assert item.raw_mail_id is not None
        results[index] = IngestResult(outcome, item.raw_mail_id, result.ticket_id)


def process_pending(
    session: DbSession,
    context: IngestContext,
    now: datetime | None = None,
    limit: int = 100,
    lease: timedelta = PROCESSING_LEASE,
) -> list[IngestResult]:
    """Claim (one short transaction) then process mail an admin asked to retry and mail stored
    but not processed: left for the ingest workers, or by a crash between the two steps (its
    claim expired; ``now`` in the future takes back every claim made before it, as at
    start-up). Claimed mail is processed here whatever other processes do meanwhile."""
    with unit_of_work(session):
        raw_ids = claim_unprocessed_raw_mail(session, limit, lease, expired_by=now)
    return [process_raw_mail(session, context, raw_id) for raw_id in raw_ids]
