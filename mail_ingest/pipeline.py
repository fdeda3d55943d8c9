"""Store raw bytes, commit, then parse and record: the order that makes a crash lose nothing."""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from helpdesk.core.db_session import DbSession
from helpdesk.core.models import RawMail, RawMailState
from helpdesk.core.services.inbound import InboundContext, record_inbound_message
from helpdesk.core.services.language_detection import get_detector
from helpdesk.core.services.raw_mail import (
    mark_failed,
    mark_processed,
    store_raw_mail,
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
    def from_config(cls, config: Mapping[str, Any]) -> IngestContext:
        return cls(
            raw_store=BlobStore(config["RAW_MAIL_DIR"]),
            inbound=InboundContext(
                attachments=BlobStore(config["ATTACHMENTS_DIR"]),
                detector=get_detector(config["LANGUAGES"]),
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


def process_raw_mail(
    session: DbSession, context: IngestContext, raw_mail_id: int, data: bytes | None = None
) -> IngestResult:
    """Parse a stored raw mail and record it; on any error, quarantine it with the reason."""
    raw = session.get(RawMail, raw_mail_id)
    assert raw is not None
    if data is None:
        data = context.raw_store.get(raw.sha256)
    try:
        parsed = parse_message(data)
        with unit_of_work(session):
            result = record_inbound_message(session, parsed.to_inbound(), context.inbound, raw)
            mark_processed(raw)
            ticket_id = result.ticket.id
        outcome = Outcome.CREATED if result.created else Outcome.THREADED
        return IngestResult(outcome, raw_mail_id, ticket_id)
    except Exception as error:
        reason = (
            str(error) if isinstance(error, MailParseError) else f"{type(error).__name__}: {error}"
        )
        if not isinstance(error, MailParseError):
            log.exception("could not process raw mail %s", raw_mail_id)
        with unit_of_work(session):
            raw = session.get(RawMail, raw_mail_id)
            assert raw is not None
            mark_failed(raw, reason)
        return IngestResult(Outcome.FAILED, raw_mail_id, error=reason)


def process_pending(
    session: DbSession, context: IngestContext, now: datetime | None = None
) -> list[IngestResult]:
    """Mail an admin asked to retry, and mail stored but never processed (a crash between the
    two steps; ``now`` in the future takes every pending mail, as at start-up)."""
    raws = unprocessed_raw_mail(session, now=now)
    return [process_raw_mail(session, context, raw.id) for raw in raws]
