"""Outbox bookkeeping: which mail is due, and what happened when it was sent."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

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
    """Lease up to ``limit`` due mails to the calling worker. Commit before sending.

    On PostgreSQL ``SKIP LOCKED`` keeps workers off each other's rows. Each lease is also a
    compare-and-set on the due time it was read with: SQLite reads outside the write lock, so
    two workers can pick the same row, and only the first one's update matches."""
    now = now or utcnow()
    due = (
        select(OutboxMail.id, OutboxMail.next_attempt_at)
        .where(OutboxMail.state.in_(CLAIMABLE), OutboxMail.next_attempt_at <= now)
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    leased = [
        mail_id
        for mail_id, due_at in session.execute(due).all()
        if lease_mail(session, mail_id, due_at, now + lease)
    ]
    if not leased:
        return []
    mails = select(OutboxMail).where(OutboxMail.id.in_(leased))
    return list(
        session.scalars(
            mails.order_by(OutboxMail.next_attempt_at, OutboxMail.id).execution_options(
                populate_existing=True
            )
        )
    )


CLAIMABLE = (OutboxState.QUEUED, OutboxState.SENDING)  # sending: a lease that ran out


def lease_mail(session: DbSession, mail_id: int, due_at: datetime, until: datetime) -> bool:
    """Take one mail if it is still as it was read; False if another worker was first."""
    taken = session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            OutboxMail.next_attempt_at == due_at,
            OutboxMail.state.in_(CLAIMABLE),
        )
        .values(state=OutboxState.SENDING, attempts=OutboxMail.attempts + 1, next_attempt_at=until)
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1  # type: ignore[attr-defined]


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
