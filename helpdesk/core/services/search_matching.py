"""Which tickets match a query, in order: the database's full-text index gives the newest
matching messages (a window of them, ranked), plain SQL joins them to their tickets, applies the
filters and the queue's visibility, and keeps each ticket's best message.

Ranking every message that holds a very common word is what costs, not finding the newest
ones, so the cost is that of a window whatever the size of the history.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select

from search_index.hits import count_matches, hits_statement, ranking_is_cheap
from search_index.queries import Node

from ..db_session import DbSession
from ..models import Message, Ticket
from .search_postings import dialect_of

Row = tuple[int, int | None, float]  # ticket id, its best message's id, rank (lower is better)

# The newest RANKED matching messages are ranked; when the page needs more tickets than they
# give (filters leave few, or a later page), the window widens eightfold, up to WIDEST.
RANKED = 1_000
WIDEST = 128_000


def matching_tickets(
    session: DbSession,
    node: Node,
    clauses: list[ColumnElement[bool]],
    newest_first: bool,
    needed: int,
) -> tuple[list[Row], bool]:
    """Each matching ticket once with its best message, best (or newest) first, and whether
    every matching message was seen (False: the tickets found are a lower bound). A query with
    a phrase is ranked on SQLite only when its matches fit in the window (see
    ``ranking_is_cheap``); more are given newest first."""
    dialect = dialect_of(session)
    cheap = ranking_is_cheap(dialect, node)
    window = RANKED
    while True:
        statement = hits_statement(dialect, node, window, cheap)
        rows, matched = _grouped_rows(session, statement, clauses, newest_first)
        if matched is None:  # the filters left nothing: how many did the index give?
            matched = count_matches(session, dialect, node, window)
        complete = matched < window
        if complete and rows and not cheap:
            statement = hits_statement(dialect, node, window, True)
            return _grouped_rows(session, statement, clauses, newest_first)[0], True
        if complete or len(rows) >= needed or window >= WIDEST:
            return rows, complete
        window *= 8


def _grouped_rows(
    session: DbSession, hits_query: Any, clauses: list[ColumnElement[bool]], newest_first: bool
) -> tuple[list[Row], int | None]:
    """Each visible, filtered hit's ticket once with its best message, in order; and how many
    messages the index gave (None when no row is left to say)."""
    hits = hits_query.subquery("hits")
    best_first = (hits.c.search_rank, Message.created_at.desc(), Message.id.desc())
    matches = (
        select(
            Message.ticket_id,
            Message.id.label("message_id"),
            Message.created_at,
            hits.c.search_rank.label("rank"),
            hits.c.matched,
            func.row_number().over(partition_by=Message.ticket_id, order_by=best_first).label("n"),
        )
        .join(hits, hits.c.message_id == Message.id)
        .join(Ticket, Ticket.id == Message.ticket_id)
        .where(*clauses)
        .subquery("matches")
    )
    order = (
        (matches.c.created_at.desc(), matches.c.rank)
        if newest_first
        else (matches.c.rank, matches.c.created_at.desc())
    )
    query = (
        select(matches.c.ticket_id, matches.c.message_id, matches.c.rank, matches.c.matched)
        .where(matches.c.n == 1)
        .order_by(*order, matches.c.ticket_id.desc())
    )
    result = session.execute(query).all()
    matched = int(result[0][3]) if result else None
    return [(row[0], row[1], float(row[2])) for row in result], matched
