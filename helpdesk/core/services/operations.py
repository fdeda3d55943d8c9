"""Figures an operator watches, read from the database so every process reports the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..db_session import DbSession
from ..models import OPEN_STATUSES, OutboxMail, RawMail, Ticket, utcnow


@dataclass(frozen=True)
class QueueDepth:
    language: str  # "triage" for tickets with no language yet
    open_tickets: int
    oldest_waiting_seconds: float  # since the requester last wrote, on the longest-waiting one


@dataclass(frozen=True)
class OperationsSnapshot:
    raw_mail_by_state: dict[str, int]
    outbox_by_state: dict[str, int]
    queues: list[QueueDepth]


def operations_snapshot(session: DbSession, now: datetime | None = None) -> OperationsSnapshot:
    """Three grouped queries, whatever the size of the helpdesk."""
    now = now or utcnow()
    raw = dict(session.execute(select(RawMail.state, func.count()).group_by(RawMail.state)).all())
    outbox = dict(
        session.execute(select(OutboxMail.state, func.count()).group_by(OutboxMail.state)).all()
    )
    rows = session.execute(
        select(
            Ticket.language_code,
            func.count(),
            func.min(Ticket.last_requester_message_at),
        )
        .where(Ticket.status.in_(OPEN_STATUSES), Ticket.merged_into_id.is_(None))
        .group_by(Ticket.language_code)
    )
    queues = [
        QueueDepth(language or "triage", count, max(0.0, (now - oldest).total_seconds()))
        for language, count, oldest in rows
    ]
    return OperationsSnapshot(
        {str(k): v for k, v in raw.items()},
        {str(k): v for k, v in outbox.items()},
        sorted(queues, key=lambda q: q.language),
    )
