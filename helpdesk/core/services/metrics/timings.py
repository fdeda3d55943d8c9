"""Keeping ``ticket_timings`` in step with the event log: every event moves its ticket's
``updated_at``, so the tickets to read again are those that moved since the last refresh (and
any without a row: new installs, imports, a queue whose policy changed). One INSERT ... SELECT
per refresh, an upsert so two refreshes at once on PostgreSQL never collide."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select, true
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ...db_session import DbSession
from ...models import Ticket, TicketTiming
from .sql import Query
from .timelines import timings_of

# A transaction may commit events stamped a little before the last refresh saw the newest
# ones: tickets that moved in this window before it are read again each time.
OVERLAP = timedelta(minutes=5)
COLUMNS = ("first_response_s", "running_s", "running_since", "source_updated_at")


def refresh_timings(session: DbSession) -> None:
    """Bring ``ticket_timings`` up to date; cheap when little changed. Flushes, never commits."""
    latest = session.scalar(select(func.max(TicketTiming.source_updated_at)))
    missing = ~select(TicketTiming.ticket_id).where(TicketTiming.ticket_id == Ticket.id).exists()
    stale = select(Ticket.id)
    if latest is not None:
        stale = stale.where(Ticket.updated_at >= latest - OVERLAP)
        counts = session.execute(
            select(select(func.count(Ticket.id)).scalar_subquery(), func.count()).select_from(
                TicketTiming
            )
        ).one()
        if counts[0] != counts[1]:  # tickets no refresh has seen yet
            stale = select(Ticket.id).where((Ticket.updated_at >= latest - OVERLAP) | missing)
    _upsert(session, stale)


def forget_timings(session: DbSession, language: str) -> None:
    """A queue's policy changed: its tickets' clocks are read again at the next refresh."""
    ids = select(Ticket.id).where(Ticket.language_code == language)
    session.execute(delete(TicketTiming).where(TicketTiming.ticket_id.in_(ids)))


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
