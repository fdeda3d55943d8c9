"""Ticket lifecycle: assignment and status changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..db_session import DbSession
from ..errors import AlreadyAssigned, AssigneeInactive, QueueNotWorked
from ..errors import TicketError as TicketError
from ..models import EventKind, Status, Ticket, User, utcnow
from .events import record_event


def assign(session: DbSession, ticket: Ticket, assignee: User | None, actor: User | None) -> None:
    """Give the ticket to ``assignee`` (None: back to the language queue)."""
    if assignee is not None and not assignee.active:
        raise AssigneeInactive(assignee.name)
    if ticket.assignee_id == (assignee.id if assignee else None):
        return
    previous = ticket.assignee_id
    ticket.assignee = assignee
    record_event(
        session,
        ticket,
        EventKind.ASSIGNED,
        actor,
        assignee_id=assignee.id if assignee else None,
        previous_assignee_id=previous,
    )


def change_status(session: DbSession, ticket: Ticket, status: Status, actor: User | None) -> None:
    """Move to ``status``; resolving stamps resolved_at, reopening clears it."""
    status = Status(status)
    if ticket.status == status:
        return
    previous = ticket.status
    for column, value in status_columns(status, ticket.resolved_at).items():
        setattr(ticket, column, value)
    record_event(session, ticket, EventKind.STATUS_CHANGED, actor, status=status, previous=previous)


def status_columns(status: Status, resolved_at: datetime | None) -> dict[str, Any]:
    """The columns a move to ``status`` sets (the one rule, for the ORM and the recorder alike):
    resolving stamps resolved_at once, anything else clears it."""
    if status in (Status.RESOLVED, Status.CLOSED):
        return {"status": status, "resolved_at": resolved_at or utcnow()}
    return {"status": status, "resolved_at": None}


def claim(session: DbSession, ticket: Ticket, liaison: User) -> None:
    """A liaison takes an unassigned ticket from a queue they work."""
    if ticket.assignee_id is not None:
        raise AlreadyAssigned()
    if ticket.language_code is not None and ticket.language_code not in liaison.language_codes:
        raise QueueNotWorked(ticket.language_code)
    assign(session, ticket, liaison, liaison)
