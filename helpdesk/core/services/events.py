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
    event = TicketEvent(ticket=ticket, actor=actor, message=message, **event_columns(kind, data))
    session.add(event)
    ticket.updated_at = event.created_at
    return event


def event_columns(kind: EventKind, data: dict[str, Any]) -> dict[str, Any]:
    """An event's own columns, for the ORM and the inbound recorder alike; the ticket's
    updated_at becomes the event's time."""
    return {"kind": kind, "data": data, "created_at": utcnow()}
