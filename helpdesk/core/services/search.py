"""Full-text search over every ticket's messages, grouped by ticket, as the queue's rules allow.

The database answers (FTS5 bm25 or tsvector ts_rank_cd over our own terms, see search_index);
filters are plain SQL on tickets and messages, so they are always current.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, not_, or_, select
from sqlalchemy.orm import lazyload, load_only

from search_index.dates import DateRange
from search_index.queries import ParsedQuery, QueryError, parse_query
from search_index.snippets import Snippet, snippet

from ..db_session import DbSession
from ..models import Attachment, Message, Tag, Ticket, User, ticket_tags
from .search_matching import Row, matching_tickets
from .search_suggestions import SUGGEST_BELOW, suggested_query
from .tags import normalize_tag_name
from .visibility import visible_tickets_clause

__all__ = ["QueryError", "SearchFilters", "SearchResults", "SearchSort", "search_tickets"]


class SearchSort(enum.StrEnum):
    RELEVANCE = "relevance"  # best match first, the newest first among equals
    NEWEST = "newest"


@dataclass(frozen=True)
class SearchFilters:
    """The search page's filters; they narrow what the query's own ``lang:`` etc. say."""

    language: str | None = None  # also analyses the query in that language only
    status: str | None = None
    assignee_id: int | None = None
    requester: str | None = None  # part of the requester's address or name
    after: datetime | None = None
    before: datetime | None = None
    has_attachment: bool = False
    sort: SearchSort = SearchSort.RELEVANCE


@dataclass(frozen=True)
class TicketHit:
    ticket: Ticket
    message: Message | None
    score: float
    snippet: Snippet | None


@dataclass(frozen=True)
class SearchResults:
    hits: list[TicketHit]
    total: int
    page: int
    per_page: int
    query: ParsedQuery = field(repr=False)
    exact: bool = True  # False: ``total`` is a lower bound (a very common word, see
    # search_matching)
    suggestion: str | None = None  # a better spelt query that finds something ("did you mean")

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def search_tickets(
    session: DbSession,
    query_text: str,
    viewer: User | None,
    filters: SearchFilters | None = None,
    page: int = 1,
    per_page: int = 20,
) -> SearchResults:
    """Tickets whose messages match ``query_text``, one row per ticket with its best message and
    a highlighted snippet; only tickets ``viewer`` may see (None: the operator at the command
    line, who sees everything). Raises QueryError for a query that
    cannot be searched (``reason`` says why)."""
    filters = filters or SearchFilters()
    parsed = parse_query(query_text, filters.language)
    only = parsed.values("lang")
    if filters.language is None and len(only) == 1:  # "lang:fr" also means French words
        parsed = parse_query(query_text, only[0])
    page = max(1, page)
    clauses = _clauses(parsed, filters, viewer)
    if viewer is not None:
        clauses.append(visible_tickets_clause(viewer))
    if parsed.text is None:
        found, total = _filtered_only(session, clauses, page, per_page)
        return SearchResults(_hits(session, found, parsed), total, page, per_page, parsed)
    newest_first = filters.sort == SearchSort.NEWEST
    rows, complete = matching_tickets(session, parsed.text, clauses, newest_first, page * per_page)
    start = (page - 1) * per_page
    chosen: list[Row] = [(t, m, round(-rank, 4)) for t, m, rank in rows[start : start + per_page]]
    suggestion = None
    if page == 1 and len(rows) < SUGGEST_BELOW:
        language = filters.language or (only[0] if len(only) == 1 else None)
        suggestion = suggested_query(session, query_text, language, clauses)
    hits = _hits(session, chosen, parsed)
    return SearchResults(hits, len(rows), page, per_page, parsed, complete, suggestion)


def _filtered_only(
    session: DbSession, clauses: list[ColumnElement[bool]], page: int, per_page: int
) -> tuple[list[Row], int]:
    """Filters without words: the matching tickets, most recently updated first."""
    query = (
        select(Ticket.id, func.count().over())
        .where(*clauses)
        .order_by(Ticket.updated_at.desc(), Ticket.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    rows = session.execute(query).all()
    return [(row[0], None, 0.0) for row in rows], rows[0][1] if rows else 0


def _clauses(
    parsed: ParsedQuery, filters: SearchFilters, viewer: User | None
) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    for item in parsed.filters:
        clause = _filter_clause(item.name, item.values, viewer)
        clauses.append(not_(clause) if item.negated else clause)
    if filters.language:
        clauses.append(Ticket.language_code == filters.language)
    if filters.status:
        clauses.append(Ticket.status == filters.status)
    if filters.assignee_id is not None:
        clauses.append(Ticket.assignee_id == filters.assignee_id)
    if filters.requester:
        clauses.append(_requester_clause(filters.requester))
    if filters.has_attachment:
        clauses.append(_filter_clause("has", ("attachment",), viewer))
    dates = parsed.dates.narrow(DateRange(filters.after, filters.before))
    clauses += _date_clauses(dates, bool(parsed.text))
    return clauses


def _filter_clause(name: str, values: tuple[str, ...], viewer: User | None) -> ColumnElement[bool]:
    lowered = [value.lower() for value in values]
    if name == "lang":
        return Ticket.language_code.in_(lowered)
    if name == "status":
        return Ticket.status.in_(lowered)
    if name == "tag":
        tagged = select(ticket_tags.c.ticket_id).join(Tag, Tag.id == ticket_tags.c.tag_id)
        return Ticket.id.in_(tagged.where(Tag.name.in_([normalize_tag_name(v) for v in values])))
    if name == "has":
        if lowered != ["attachment"]:
            raise QueryError("unknown_value", f"has:{values[0]}")
        with_files = select(Message.ticket_id).join(Attachment, Attachment.message_id == Message.id)
        return Ticket.id.in_(with_files)
    return _assignee_clause(lowered, viewer)


def _assignee_clause(values: list[str], viewer: User | None) -> ColumnElement[bool]:
    """``assignee:me``, ``assignee:none``, or an address, its local part or a name."""
    clauses: list[ColumnElement[bool]] = []
    for value in values:
        if value == "me":
            clauses.append(Ticket.assignee_id == (viewer.id if viewer else None))
        elif value in ("none", "nobody"):
            clauses.append(Ticket.assignee_id.is_(None))
        else:
            people = select(User.id).where(
                or_(
                    func.lower(User.email) == value,
                    func.lower(User.email).startswith(value + "@", autoescape=True),
                    func.lower(User.name) == value,
                )
            )
            clauses.append(Ticket.assignee_id.in_(people))
    return or_(*clauses)


def _requester_clause(text: str) -> ColumnElement[bool]:
    from ..models import Contact

    pattern = text.strip().lower()
    people = select(Contact.id).where(
        or_(
            func.lower(Contact.email).contains(pattern, autoescape=True),
            func.lower(Contact.name).contains(pattern, autoescape=True),
        )
    )
    return Ticket.requester_id.in_(people)


def _date_clauses(dates: DateRange, on_messages: bool) -> list[ColumnElement[bool]]:
    """With words, the matching message's date; without, any message of the ticket."""
    bounds: list[ColumnElement[bool]] = []
    if dates.start is not None:
        bounds.append(Message.created_at >= dates.start)
    if dates.end is not None:
        bounds.append(Message.created_at < dates.end)
    if not bounds or on_messages:
        return bounds
    return [Ticket.id.in_(select(Message.ticket_id).where(and_(*bounds)))]


def _hits(session: DbSession, rows: Sequence[Row], parsed: ParsedQuery) -> list[TicketHit]:
    if not rows:
        return []
    tickets = {
        t.id: t for t in session.scalars(select(Ticket).where(Ticket.id.in_([r[0] for r in rows])))
    }
    message_ids = [r[1] for r in rows if r[1] is not None]
    messages = {
        m.id: m
        for m in session.scalars(
            select(Message)
            .where(Message.id.in_(message_ids))
            # A hit shows its text: what else a message has loads only if someone asks.
            .options(
                load_only(
                    Message.ticket_id,
                    Message.subject,
                    Message.text,
                    Message.quoted_text,
                    Message.created_at,
                ),
                lazyload(Message.attachments),
                lazyload(Message.outbox),
                lazyload(Message.author),
            )
        )
    }
    hits = []
    for ticket_id, message_id, score in rows:
        ticket = tickets[ticket_id]
        message = messages.get(message_id) if message_id is not None else None
        hits.append(TicketHit(ticket, message, score, _snippet(ticket, message, parsed)))
    return hits


def _snippet(ticket: Ticket, message: Message | None, parsed: ParsedQuery) -> Snippet | None:
    if message is None:
        return None
    for text in (message.text, message.subject, message.quoted_text, ticket.summary):
        found = snippet(text, ticket.language_code, parsed.terms)
        if found is not None:
            return found
    return None
