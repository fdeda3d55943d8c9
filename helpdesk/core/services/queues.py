"""The queue views liaisons work from."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import Select, func, select

from ..db_session import DbSession
from ..models import OPEN_STATUSES, Status, Ticket, User
from .visibility import visible_tickets_clause


class QueueView(enum.StrEnum):
    MINE = "mine"
    MY_LANGUAGES = "languages"  # unassigned tickets in the languages I speak
    WAITING = "waiting"  # pending: waiting on the requester
    ALL = "all"


@dataclass(frozen=True)
class QueuePage:
    tickets: list[Ticket]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def queue_query(user: User, view: QueueView) -> Select[Ticket]:
    """The tickets ``user`` sees in ``view``, unordered."""
    query = select(Ticket).where(visible_tickets_clause(user))
    if view == QueueView.MINE:
        return query.where(Ticket.assignee_id == user.id, Ticket.status.in_(OPEN_STATUSES))
    if view == QueueView.MY_LANGUAGES:
        return query.where(
            Ticket.assignee_id.is_(None),
            Ticket.status.in_(OPEN_STATUSES),
            Ticket.language_code.in_(user.language_codes),
        )
    if view == QueueView.WAITING:
        return query.where(Ticket.status == Status.PENDING)
    return query.where(Ticket.status.in_(OPEN_STATUSES))


def list_queue(
    session: DbSession, user: User, view: QueueView, page: int = 1, per_page: int = 50
) -> QueuePage:
    """Oldest waiting first: the requester who has waited longest is answered next."""
    query = queue_query(user, view)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, page)
    tickets = (
        session.scalars(
            query.order_by(Ticket.last_requester_message_at, Ticket.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
        .unique()
        .all()
    )
    return QueuePage(list(tickets), total, page, per_page)


def queue_counts(session: DbSession, user: User) -> dict[QueueView, int]:
    return {
        view: session.scalar(select(func.count()).select_from(queue_query(user, view).subquery()))
        or 0
        for view in QueueView
        if view != QueueView.ALL or user.sees_all_tickets
    }
