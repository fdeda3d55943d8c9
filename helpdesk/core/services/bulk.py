"""Bulk actions on the queue: one change applied to many tickets, each with its own event."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..db_session import DbSession
from ..models import Status, Ticket, User
from .permissions import require_oversight
from .tags import add_tag, get_or_create_tag
from .tickets import assign, change_status


def tickets_by_ids(session: DbSession, ids: Iterable[int]) -> list[Ticket]:
    """The tickets that exist among ``ids``, oldest first, tags loaded, in two queries."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.id.in_(wanted))
            .options(selectinload(Ticket.tags))
            .order_by(Ticket.created_at, Ticket.id)
        ).all()
    )


def bulk_assign(
    session: DbSession, tickets: list[Ticket], assignee: User | None, actor: User
) -> int:
    """Give every ticket to ``assignee`` (None: back to its language queue); returns how many
    changed hands. Only coordinators and admins may."""
    require_oversight(actor)
    target = assignee.id if assignee else None
    changed = [ticket for ticket in tickets if ticket.assignee_id != target]
    for ticket in changed:
        assign(session, ticket, assignee, actor)
    return len(changed)


def bulk_change_status(
    session: DbSession, tickets: list[Ticket], status: Status, actor: User
) -> int:
    """Move every ticket to ``status``; returns how many changed. Coordinators and admins only."""
    require_oversight(actor)
    changed = [ticket for ticket in tickets if ticket.status != status]
    for ticket in changed:
        change_status(session, ticket, status, actor)
    return len(changed)


def bulk_add_tag(session: DbSession, tickets: list[Ticket], name: str, actor: User) -> int:
    """Put one tag on every ticket; returns how many did not have it yet. Coordinators and
    admins only."""
    require_oversight(actor)
    tag = get_or_create_tag(session, name)
    changed = [ticket for ticket in tickets if tag not in ticket.tags]
    for ticket in changed:
        add_tag(session, ticket, tag.name, actor)
    return len(changed)
