"""Outbox bookkeeping: which mail is due, and what happened when it was sent."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select

from ..db_session import DbSession
from ..models import EventKind, OutboxMail, OutboxState, utcnow
from .events import record_event

# A claimed mail not recorded as sent within the lease is claimed again: a worker that died
# mid-send is replaced, and the mail goes out with the same bytes and Message-ID.
SEND_LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)


def claim_due_mail(
    session: DbSession,
    limit: int = 20,
    now: datetime | None = None,
    lease: timedelta = SEND_LEASE,
) -> list[OutboxMail]:
    """Lease up to ``limit`` due mails to the calling worker (``SKIP LOCKED``: workers never
    wait for each other's rows). Commit before sending."""
    now = now or utcnow()
    query = (
        select(OutboxMail)
        .where(
            or_(OutboxMail.state == OutboxState.QUEUED, OutboxMail.state == OutboxState.SENDING),
            OutboxMail.next_attempt_at <= now,
        )
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    mails = list(session.scalars(query))
    for mail in mails:
        mail.state = OutboxState.SENDING
        mail.attempts += 1
        mail.next_attempt_at = now + lease
    session.flush()
    return mails


def mark_sent(session: DbSession, mail: OutboxMail, delivered_to: str) -> None:
    mail.state = OutboxState.SENT
    mail.sent_at = utcnow()
    mail.delivered_to = delivered_to
    mail.last_error = None


def mark_attempt_failed(
    session: DbSession, mail: OutboxMail, error: str, *, permanent: bool, max_attempts: int
) -> None:
    """Retry later with exponential backoff, or give up and say so on the ticket."""
    if permanent or mail.attempts >= max_attempts:
        _give_up(session, mail, error)
        return
    mail.last_error = error[:2000]
    mail.state = OutboxState.QUEUED
    backoff = min(timedelta(seconds=30 * 2 ** (mail.attempts - 1)), MAX_BACKOFF)
    mail.next_attempt_at = utcnow() + backoff


def mark_bounced(session: DbSession, mail: OutboxMail, reason: str) -> None:
    """A bounce arrived for mail we sent: it failed, whatever the SMTP server said at the time."""
    if mail.state != OutboxState.FAILED:
        _give_up(session, mail, f"bounced: {reason}")


def _give_up(session: DbSession, mail: OutboxMail, error: str) -> None:
    """The mail will not be delivered: record why, and say so on the ticket (if it has one)."""
    mail.state = OutboxState.FAILED
    mail.last_error = error[:2000]
    if mail.message is None:
        return
    record_event(
        session,
        mail.message.ticket,
        EventKind.DELIVERY_FAILED,
        None,
        message=mail.message,
        error=mail.last_error,
    )
