"""Writing the ticket event log."""

from __future__ import annotations

from typing import Any

from ..db_session import DbSession
from ..models import EventKind, Message, Ticket, TicketEvent, User, utcnow


def record_event(
    session: DbSession,
    ticket: Ticket,
    kind: EventKind,
    actor: User | None,
    *,
    message: Message | None = None,
    **data: Any,
) -> TicketEvent:
    """Append one event; ``actor`` None means the system did it, ``message`` what it was about."""
    event = TicketEvent(
        ticket=ticket, kind=kind, actor=actor, message=message, data=data, created_at=utcnow()
    )
    session.add(event)
    ticket.updated_at = event.created_at
    return event
