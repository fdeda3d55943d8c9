"""Keeping ``ticket_timings`` in step with the event log: every event moves its ticket's
``updated_at``, so the tickets to read again are those that moved since the last refresh and
those newer than any it has seen. One INSERT ... SELECT each, an upsert so two refreshes at
once on PostgreSQL never collide."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, or_, select, true
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ...db_session import DbSession
from ...models import Ticket, TicketTiming
from .sql import Query
from .timelines import timings_of

# A transaction may commit events stamped a little before the newest ones the last refresh
# saw: tickets that moved in this window before it are read again each time.
OVERLAP = timedelta(minutes=5)
COLUMNS = (
    "first_response_s",
    "running_s",
    "running_since",
    "source_updated_at",
    "language_code",
    "assignee_id",
    "opened_at",
    "resolved_at",
)


def refresh_timings(session: DbSession) -> None:
    """Bring ``ticket_timings`` up to date; cheap when little changed. Flushes, never commits."""
    # Two statements: each is one index lookup, where one with both aggregates is a scan.
    latest = session.scalar(select(func.max(TicketTiming.source_updated_at)))
    newest_id = session.scalar(select(func.max(TicketTiming.ticket_id)))
    if latest is None:
        _upsert(session, select(Ticket.id))
        return
    moved = (
        select(Ticket.id)
        .outerjoin(TicketTiming, TicketTiming.ticket_id == Ticket.id)
        .where(
            Ticket.updated_at >= latest - OVERLAP,
            or_(
                TicketTiming.source_updated_at.is_(None),
                TicketTiming.source_updated_at != Ticket.updated_at,
            ),
        )
    )
    _upsert(session, moved)
    _upsert(session, select(Ticket.id).where(Ticket.id > newest_id))


def recompute_timings(session: DbSession, language: str) -> None:
    """A queue's policy changed: read its tickets' clocks again, now."""
    _upsert(session, select(Ticket.id).where(Ticket.language_code == language))


def _upsert(session: DbSession, tickets: Query) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(TicketTiming).from_select(
        ["ticket_id", *COLUMNS], timings_of(tickets).where(true())
    )
    statement = statement.on_conflict_do_update(
        index_elements=["ticket_id"],
        set_={column: statement.excluded[column] for column in COLUMNS},
    )
    session.execute(statement)
