"""Collision care: who else has a ticket open, and what arrived since a liaison last looked."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..db_session import DbSession
from ..models import Message, Ticket, TicketView, User, utcnow

# The page sends a heartbeat every 20 s; two missed beats and the person has left.
PRESENT_FOR = timedelta(seconds=60)


def mark_viewing(
    session: DbSession, ticket: Ticket, user: User, now: datetime | None = None
) -> None:
    """Record that ``user`` has ``ticket`` open. Not a change to the ticket, so no event: the
    audit log would otherwise fill with heartbeats. Safe when two requests race to insert."""
    now = now or utcnow()
    updated = session.execute(
        update(TicketView)
        .where(TicketView.ticket_id == ticket.id, TicketView.user_id == user.id)
        .values(seen_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(updated, "rowcount", 0):
        return
    try:
        with session.begin_nested():
            session.add(TicketView(ticket_id=ticket.id, user_id=user.id, seen_at=now))
    except IntegrityError:  # the other request inserted it first; its time is as good as ours
        pass


def others_viewing(
    session: DbSession, ticket: Ticket, user: User, now: datetime | None = None
) -> list[User]:
    """Staff other than ``user`` who had the ticket open within the last minute."""
    since = (now or utcnow()) - PRESENT_FOR
    views = session.scalars(
        select(TicketView)
        .where(
            TicketView.ticket_id == ticket.id,
            TicketView.user_id != user.id,
            TicketView.seen_at >= since,
        )
        .order_by(TicketView.seen_at.desc())
    )
    return [view.user for view in views]


def messages_since(
    session: DbSession, ticket: Ticket, seen_message_id: int | None, user: User
) -> list[Message]:
    """Messages on ``ticket`` newer than the one ``user`` last saw, not written by ``user``:
    what a reply written from that view has not taken into account."""
    if seen_message_id is None:
        return []
    return list(
        session.scalars(
            select(Message)
            .where(
                Message.ticket_id == ticket.id,
                Message.id > seen_message_id,
                (Message.author_id != user.id) | Message.author_id.is_(None),
            )
            .order_by(Message.id)
        )
    )


def newest_message_id(ticket: Ticket) -> int | None:
    """The id the composer carries, from the thread already loaded for the page."""
    return max((message.id for message in ticket.messages), default=None)
