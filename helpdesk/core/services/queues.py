"""The queue views liaisons work from: which tickets, filtered how, in what order."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, func, select, true
from sqlalchemy.orm import selectinload

from ..db_session import DbSession
from ..models import OPEN_STATUSES, Status, Tag, Ticket, User, ticket_tags, utcnow
from .metrics.backlog import sla_states
from .metrics.timelines import Scope
from .sla import SlaState
from .tags import normalize_tag_name
from .visibility import visible_tickets_clause


class QueueView(enum.StrEnum):
    MINE = "mine"
    MY_LANGUAGES = "languages"  # unassigned tickets in the languages I speak
    WAITING = "waiting"  # pending: waiting on the requester
    ALL = "all"


class QueueSort(enum.StrEnum):
    WAITING = "waiting"  # oldest last requester message first: who has waited longest
    NEWEST = "newest"  # most recently opened first
    OLDEST = "oldest"  # first opened first
    LATEST_MESSAGE = "latest_message"  # most recent requester message first


_ORDER = {
    QueueSort.WAITING: (Ticket.last_requester_message_at, Ticket.id),
    QueueSort.NEWEST: (Ticket.created_at.desc(), Ticket.id.desc()),
    QueueSort.OLDEST: (Ticket.created_at, Ticket.id),
    QueueSort.LATEST_MESSAGE: (Ticket.last_requester_message_at.desc(), Ticket.id.desc()),
}

NO_LANGUAGE = ""  # the language filter's value for tickets still in triage
NOBODY = 0  # the assignee filter's value for unassigned tickets


@dataclass(frozen=True)
class QueueFilters:
    """Narrowing a view; None means "any". ``status`` replaces the view's open statuses (so a
    coordinator can list resolved tickets), except in Waiting, which stays pending-only."""

    status: Status | None = None
    language: str | None = None  # a code, or NO_LANGUAGE
    assignee_id: int | None = None  # a user id, or NOBODY
    tag: str | None = None
    older_than: timedelta | None = None  # opened at least this long ago
    needs_first_response: bool = False
    sla_state: str | None = None  # "due_soon" or "breached" against the queue's SLA policy


@dataclass(frozen=True)
class QueuePage:
    tickets: list[Ticket]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _view_clause(user: User, view: QueueView) -> ColumnElement[bool]:
    if view == QueueView.MINE:
        return Ticket.assignee_id == user.id
    if view == QueueView.MY_LANGUAGES:
        return and_(Ticket.assignee_id.is_(None), Ticket.language_code.in_(user.language_codes))
    if view == QueueView.WAITING:
        return Ticket.status == Status.PENDING
    return true()


def _filter_clauses(filters: QueueFilters, now: datetime) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if filters.language is not None:
        clauses.append(
            Ticket.language_code.is_(None)
            if filters.language == NO_LANGUAGE
            else Ticket.language_code == filters.language
        )
    if filters.assignee_id is not None:
        clauses.append(
            Ticket.assignee_id.is_(None)
            if filters.assignee_id == NOBODY
            else Ticket.assignee_id == filters.assignee_id
        )
    if filters.tag:
        tagged = (
            select(ticket_tags.c.ticket_id)
            .join(Tag)
            .where(Tag.name == normalize_tag_name(filters.tag))
        )
        clauses.append(Ticket.id.in_(tagged))
    if filters.older_than is not None:
        clauses.append(Ticket.created_at <= now - filters.older_than)
    if filters.needs_first_response:
        clauses.append(Ticket.first_response_at.is_(None))
    if filters.sla_state:
        clauses.append(Ticket.id.in_(escalated_ids(now, filters.sla_state)))
    return clauses


def escalated_ids(now: datetime, state: str, ids: list[int] | None = None) -> Select[tuple[int]]:
    """Open tickets about to breach (``due_soon``) or in breach of their queue's SLA, by the
    dashboard's rule (``metrics.backlog.sla_states``); only among ``ids`` when given."""
    states = sla_states(Scope(), now, ids).subquery()
    return select(states.c.ticket_id).where(states.c.state == state)


def escalation_states(session: DbSession, ids: list[int], now: datetime) -> dict[int, str]:
    """For a page of tickets: the ones about to breach or in breach, and which (their clocks
    read from their events: nothing is written)."""
    if not ids:
        return {}
    states = sla_states(Scope(), now, ids).subquery()
    rows = session.execute(
        select(states.c.ticket_id, states.c.state).where(states.c.state != SlaState.OK.value)
    )
    return {ticket_id: state for ticket_id, state in rows}


def queue_query(
    user: User, view: QueueView, filters: QueueFilters | None = None, now: datetime | None = None
) -> Select[Ticket]:
    """The tickets ``user`` sees in ``view``, narrowed by ``filters``, unordered."""
    filters = filters or QueueFilters()
    statuses = (filters.status,) if filters.status else OPEN_STATUSES
    clauses = _filter_clauses(filters, now) if now is not None else []
    return select(Ticket).where(
        visible_tickets_clause(user),
        _view_clause(user, view),
        Ticket.status.in_(statuses),
        *clauses,
    )


def list_queue(
    session: DbSession,
    user: User,
    view: QueueView,
    filters: QueueFilters | None = None,
    sort: QueueSort = QueueSort.WAITING,
    page: int = 1,
    per_page: int = 50,
    now: datetime | None = None,
) -> QueuePage:
    """One page of a view; by default oldest waiting first, so the requester who has waited
    longest is answered next. Rows come with what the queue shows (language, requester,
    assignee, tags) in a fixed number of queries whatever the page size."""
    query = queue_query(user, view, filters, now or utcnow())
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, page)
    # Pick the page's ids on the tickets table alone (an index can answer it), then join what
    # the rows show to those few: joining first would join every matching ticket before the sort.
    page_ids = (
        query.with_only_columns(Ticket.id)
        .order_by(*_ORDER[sort])
        .offset((page - 1) * per_page)
        .limit(per_page)
        .subquery()
    )
    tickets = session.scalars(
        select(Ticket)
        .join(page_ids, Ticket.id == page_ids.c.id)
        .options(selectinload(Ticket.tags))
        .order_by(*_ORDER[sort])
    ).all()
    return QueuePage(list(tickets), total, page, per_page)


def queue_counts(session: DbSession, user: User) -> dict[QueueView, int]:
    """How many open tickets each of the user's views holds, in one query."""
    views = [view for view in QueueView if view != QueueView.ALL or user.sees_all_tickets]
    row = session.execute(
        select(*(func.count(case((_view_clause(user, view), 1))) for view in views)).where(
            visible_tickets_clause(user), Ticket.status.in_(OPEN_STATUSES)
        )
    ).one()
    return {view: count or 0 for view, count in zip(views, row, strict=True)}
