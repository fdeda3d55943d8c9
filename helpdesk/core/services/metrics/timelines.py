"""Per-ticket durations from the event log, as SQL selects (one row per ticket).

What counts as a response is a REPLIED event: a reply mailed to the requester. Internal notes
(NOTE_ADDED) and automatic acknowledgements (AUTO_ACKNOWLEDGED) are other events and never
count. The resolution clock runs while the ticket is new or open: waiting on the requester
(pending) and the time between a resolution and a reopening do not count, and a ticket is
counted by its last resolution. A merged ticket's events live on the ticket it was merged into,
which is measured as one conversation; the merged one (``merged_into_id`` set) is left out.

Each ticket's clocks are read from its events by ``timings_of`` (SQL) and kept in
``ticket_timings`` (``timings.refresh_timings``); figures aggregate those stored rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, select

from ...models import (
    OPEN_STATUSES,
    EventKind,
    SlaPolicy,
    Status,
    Ticket,
    TicketEvent,
    TicketTiming,
)
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

    def timing_clauses(self) -> list[ColumnElement[bool]]:
        """The same, on the stored timings (language None: left out of the figures)."""
        clauses: list[ColumnElement[bool]] = [TicketTiming.language_code.is_not(None)]
        if self.language is not None:
            clauses.append(TicketTiming.language_code == self.language)
        if self.assignee_id is not None:
            clauses.append(TicketTiming.assignee_id == self.assignee_id)
        return clauses


def _with_policy(query: Query) -> Query:
    return query.join(SlaPolicy, SlaPolicy.language_code == Ticket.language_code)


def first_reply_at() -> Any:
    """The ticket's first reply to the requester (one index lookup per ticket)."""
    return (
        select(func.min(TicketEvent.created_at))
        .where(TicketEvent.ticket_id == Ticket.id, TicketEvent.kind == EventKind.REPLIED)
        .correlate(Ticket)
        .scalar_subquery()
    )


def _first_responses(ids: Any) -> Query:
    opened = _with_policy(
        select(
            Ticket.id,
            Ticket.language_code,
            SlaPolicy.business_hours,
            Ticket.created_at,
            Ticket.updated_at,
            Ticket.assignee_id,
            case((and_(*Scope().clauses()), Ticket.language_code)).label("counted_language"),
            case((Ticket.status.in_(RESOLVED_STATUSES), Ticket.resolved_at)).label("resolved_at"),
            first_reply_at().label("replied_at"),
        ).where(Ticket.id.in_(select(ids.c.id)))
    ).subquery()
    value = worked(epoch(opened.c.replied_at), opened.c.language_code, opened.c.business_hours)
    value = value - worked(
        epoch(opened.c.created_at), opened.c.language_code, opened.c.business_hours
    )
    return select(
        opened.c.id,
        case((opened.c.replied_at.is_(None), None), else_=value).label("first_response_s"),
        opened.c.updated_at,
        opened.c.counted_language,
        opened.c.assignee_id,
        opened.c.created_at,
        opened.c.resolved_at,
    )


def _running(ids: Any) -> Query:
    """Working seconds spent new or open in finished intervals, and since when the clock has
    been running if the last interval is still open."""
    timeline = _with_policy(
        select(
            TicketEvent.ticket_id,
            Ticket.language_code,
            SlaPolicy.business_hours,
            event_status().label("status"),
            epoch(TicketEvent.created_at).label("start"),
            func.lead(epoch(TicketEvent.created_at))
            .over(
                partition_by=TicketEvent.ticket_id,
                order_by=(TicketEvent.created_at, TicketEvent.id),
            )
            .label("stop"),
        )
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(
            TicketEvent.ticket_id.in_(select(ids.c.id)),
            TicketEvent.kind.in_((EventKind.CREATED, EventKind.STATUS_CHANGED)),
        )
    ).subquery()
    t = timeline
    spent = worked(t.c.stop, t.c.language_code, t.c.business_hours) - worked(
        t.c.start, t.c.language_code, t.c.business_hours
    )
    running = t.c.status.in_(RUNNING_STATUSES)
    return select(
        t.c.ticket_id,
        func.coalesce(
            func.sum(case((and_(running, t.c.stop.is_not(None)), spent), else_=literal(0.0))),
            0.0,
        ).label("running_s"),
        func.max(case((and_(running, t.c.stop.is_(None)), t.c.start))).label("running_since"),
    ).group_by(t.c.ticket_id)


def timings_of(tickets: Query) -> Query:
    """Each of the tickets ``tickets`` selects (by id), read from its events, in the columns of
    ``TicketTiming`` (``TIMING_COLUMNS``)."""
    ids = tickets.subquery()
    first = _first_responses(ids).subquery()
    running = _running(ids).subquery()
    return select(
        first.c.id.label("ticket_id"),
        first.c.first_response_s,
        func.coalesce(running.c.running_s, 0.0).label("running_s"),
        running.c.running_since,
        first.c.updated_at.label("source_updated_at"),
        first.c.counted_language.label("language_code"),
        first.c.assignee_id,
        first.c.created_at.label("opened_at"),
        first.c.resolved_at,
    ).outerjoin(running, running.c.ticket_id == first.c.id)


def first_response_values(scope: Scope, start: datetime, end: datetime) -> Query:
    """Tickets opened in [start, end) and answered: working seconds to the first reply."""
    t = TicketTiming
    return select(
        t.ticket_id,
        t.language_code.label("language"),
        t.assignee_id,
        t.first_response_s.label("seconds"),
        t.opened_at.label("at"),
    ).where(
        *scope.timing_clauses(),
        t.opened_at >= start,
        t.opened_at < end,
        t.first_response_s.is_not(None),
    )


def resolution_values(scope: Scope, start: datetime, end: datetime) -> Query:
    """Tickets whose last resolution fell in [start, end): working seconds spent new or open."""
    t = TicketTiming
    return select(
        t.ticket_id,
        t.language_code.label("language"),
        t.assignee_id,
        t.running_s.label("seconds"),
        t.resolved_at.label("at"),
    ).where(*scope.timing_clauses(), t.resolved_at >= start, t.resolved_at < end)


def open_tickets(scope: Scope) -> Query:
    return select(Ticket.id).where(*scope.clauses(), Ticket.status.in_(OPEN_STATUSES))
