"""The requester card: what else this person has written to us."""

from __future__ import annotations

from sqlalchemy import select

from ..db_session import DbSession
from ..models import Ticket, User
from .visibility import visible_tickets_clause


def earlier_tickets(
    session: DbSession, ticket: Ticket, viewer: User, limit: int = 10
) -> list[Ticket]:
    """The requester's other tickets that ``viewer`` may see, newest first."""
    return list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.requester_id == ticket.requester_id,
                Ticket.id != ticket.id,
                visible_tickets_clause(viewer),
            )
            .order_by(Ticket.created_at.desc(), Ticket.id.desc())
            .limit(limit)
        )
    )
