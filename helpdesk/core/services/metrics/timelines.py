"""Per-ticket durations from the event log, as SQL selects (one row per ticket).

What counts as a response is a REPLIED event: a reply mailed to the requester. Internal notes
(NOTE_ADDED) and automatic acknowledgements (AUTO_ACKNOWLEDGED) are other events and never
count. The resolution clock runs while the ticket is new or open: waiting on the requester
(pending) and the time between a resolution and a reopening do not count, and a ticket is
counted by its last resolution. A merged ticket's events live on the ticket it was merged into,
which is measured as one conversation; the merged one (``merged_into_id`` set) is left out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, select

from ...models import OPEN_STATUSES, EventKind, SlaPolicy, Status, Ticket, TicketEvent
from .sql import RUNNING_STATUSES, Query, epoch, event_status, worked

RESOLVED_STATUSES = (Status.RESOLVED, Status.CLOSED)


@dataclass(frozen=True)
class Scope:
    """Which tickets a figure covers: one language, one liaison's tickets, or all."""

    language: str | None = None
    assignee_id: int | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = [
            Ticket.merged_into_id.is_(None),
            Ticket.language_code.is_not(None),
        ]
        if self.language is not None:
            clauses.append(Ticket.language_code == self.language)
        if self.assignee_id is not None:
            clauses.append(Ticket.assignee_id == self.assignee_id)
        return clauses


def _clock(at: ColumnElement[float]) -> ColumnElement[float]:
    return worked(at, Ticket.language_code, SlaPolicy.business_hours)


def _with_policy(query: Query) -> Query:
    return query.join(SlaPolicy, SlaPolicy.language_code == Ticket.language_code)


def first_replies() -> Query:
    """Each ticket's first reply to the requester."""
    return (
        select(TicketEvent.ticket_id, func.min(TicketEvent.created_at).label("at"))
        .where(TicketEvent.kind == EventKind.REPLIED)
        .group_by(TicketEvent.ticket_id)
    )


def first_response_values(scope: Scope, start: datetime, end: datetime) -> Query:
    """Tickets opened in [start, end) and answered: working seconds to the first reply."""
    replies = first_replies().subquery()
    value = _clock(epoch(replies.c.at)) - _clock(epoch(Ticket.created_at))
    return _with_policy(
        select(
            Ticket.id.label("ticket_id"),
            Ticket.language_code.label("language"),
            Ticket.assignee_id.label("assignee_id"),
            value.label("seconds"),
            Ticket.created_at.label("at"),
        ).join(replies, replies.c.ticket_id == Ticket.id)
    ).where(*scope.clauses(), Ticket.created_at >= start, Ticket.created_at < end)


def running_times(tickets: Query, now: datetime) -> Query:
    """For the ticket ids ``tickets`` selects: working seconds spent new or open so far (an
    interval still running at ``now`` ends at ``now``)."""
    ids = tickets.subquery()
    status = event_status().label("status")
    timeline = _with_policy(
        select(
            TicketEvent.ticket_id,
            Ticket.language_code,
            SlaPolicy.business_hours,
            status,
            epoch(TicketEvent.created_at).label("start"),
            func.lead(epoch(TicketEvent.created_at))
            .over(
                partition_by=TicketEvent.ticket_id,
                order_by=(TicketEvent.created_at, TicketEvent.id),
            )
            .label("stop"),
        )
        .join(ids, ids.c.id == TicketEvent.ticket_id)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
    ).where(TicketEvent.kind.in_((EventKind.CREATED, EventKind.STATUS_CHANGED)))
    t = timeline.subquery()
    stop = func.coalesce(t.c.stop, literal(now.timestamp()))
    spent = worked(stop, t.c.language_code, t.c.business_hours) - worked(
        t.c.start, t.c.language_code, t.c.business_hours
    )
    counted = case((t.c.status.in_(RUNNING_STATUSES), spent), else_=literal(0.0))
    return select(t.c.ticket_id, func.sum(counted).label("seconds")).group_by(t.c.ticket_id)


def resolution_values(scope: Scope, start: datetime, end: datetime) -> Query:
    """Tickets whose last resolution fell in [start, end): working seconds spent new or open."""
    resolved = select(Ticket.id).where(
        *scope.clauses(),
        Ticket.status.in_(RESOLVED_STATUSES),
        Ticket.resolved_at >= start,
        Ticket.resolved_at < end,
    )
    times = running_times(resolved, end).subquery()
    return select(
        Ticket.id.label("ticket_id"),
        Ticket.language_code.label("language"),
        Ticket.assignee_id.label("assignee_id"),
        times.c.seconds.label("seconds"),
        Ticket.resolved_at.label("at"),
    ).join(times, times.c.ticket_id == Ticket.id)


def open_tickets(scope: Scope) -> Query:
    return select(Ticket.id).where(*scope.clauses(), Ticket.status.in_(OPEN_STATUSES))


def unanswered(ticket_id: Any) -> ColumnElement[bool]:
    replied = select(TicketEvent.id).where(
        TicketEvent.ticket_id == ticket_id, TicketEvent.kind == EventKind.REPLIED
    )
    return ~replied.exists()
