"""The engagement report the core team asks for, per language and period: who wrote, how fast
we answered, what they wrote about (shared concerns and individual ones), and the feedback
liaisons highlighted, with their English summaries. One service for the page, Markdown, CSV
and the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import aliased

from ...db_session import DbSession
from ...models import EventKind, Tag, Ticket, TicketEvent, ticket_tags
from .response_times import Distribution, Period, response_times
from .timelines import Scope
from .timings import refresh_timings

TOP_TAGS = 10
# A concern raised by this many different correspondents is widespread; by one, individual.
WIDESPREAD_MIN_CORRESPONDENTS = 3
MAX_HIGHLIGHTS = 50


@dataclass(frozen=True)
class TagCount:
    name: str
    tickets: int
    correspondents: int


@dataclass(frozen=True)
class HighlightedFeedback:
    ticket_id: int
    subject: str
    reason: str
    summary: str


@dataclass
class Engagement:
    language: str
    tickets: int = 0
    correspondents: int = 0
    new_correspondents: int = 0
    returning_correspondents: int = 0
    first_response: Distribution = field(default_factory=Distribution)
    resolution: Distribution = field(default_factory=Distribution)
    top_tags: list[TagCount] = field(default_factory=list)
    widespread: list[TagCount] = field(default_factory=list)
    individual: list[TagCount] = field(default_factory=list)
    highlights: list[HighlightedFeedback] = field(default_factory=list)


def period_of_days(first: date, last: date) -> Period:
    """The days ``first`` to ``last`` included, in UTC."""
    return Period(
        datetime.combine(first, time(), UTC),
        datetime.combine(last + timedelta(days=1), time(), UTC),
    )


def _in_period(scope: Scope, period: Period) -> list[Any]:
    return [*scope.clauses(), Ticket.created_at >= period.start, Ticket.created_at < period.end]


def engagement_report(session: DbSession, period: Period, languages: list[str]) -> list[Engagement]:
    """One entry per language in ``languages``, in that order, for tickets opened in the period.
    Brings the stored ticket timings up to date first (the caller commits them)."""
    refresh_timings(session)
    wanted = {code: Engagement(code) for code in languages}
    scope = Scope(language=languages[0]) if len(languages) == 1 else Scope()
    _count_correspondents(session, scope, period, wanted)
    for row in response_times(session, scope, period, "language", compare=False):
        if row.key in wanted:
            wanted[row.key].first_response = row.first_response
            wanted[row.key].resolution = row.resolution
    _tags(session, scope, period, wanted)
    _highlights(session, scope, period, wanted)
    return list(wanted.values())


def _count_correspondents(
    session: DbSession, scope: Scope, period: Period, wanted: dict[str, Engagement]
) -> None:
    """Tickets, correspondents, and which of them wrote to us for the first time (any language)."""
    earlier = aliased(Ticket)
    wrote_before = (
        select(earlier.id)
        .where(
            earlier.requester_id == Ticket.requester_id,
            earlier.created_at < period.start,
            earlier.merged_into_id.is_(None),
        )
        .exists()
    )
    is_new = ~wrote_before
    rows = session.execute(
        select(
            Ticket.language_code,
            func.count(),
            func.count(distinct(Ticket.requester_id)),
            func.count(distinct(case((is_new, Ticket.requester_id)))),
        )
        .where(*_in_period(scope, period))
        .group_by(Ticket.language_code)
    )
    for language, tickets, people, new in rows:
        if language in wanted:
            entry = wanted[language]
            entry.tickets, entry.correspondents = tickets, people
            entry.new_correspondents, entry.returning_correspondents = new, people - new


def _tags(session: DbSession, scope: Scope, period: Period, wanted: dict[str, Engagement]) -> None:
    rows = session.execute(
        select(
            Ticket.language_code,
            Tag.name,
            func.count(distinct(Ticket.id)),
            func.count(distinct(Ticket.requester_id)),
        )
        .join(ticket_tags, ticket_tags.c.ticket_id == Ticket.id)
        .join(Tag, Tag.id == ticket_tags.c.tag_id)
        .where(*_in_period(scope, period))
        .group_by(Ticket.language_code, Tag.name)
    )
    counts: dict[str, list[TagCount]] = {}
    for language, name, tickets, people in rows:
        counts.setdefault(language or "", []).append(TagCount(name, tickets, people))
    for language, tags in counts.items():
        if language not in wanted:
            continue
        tags.sort(key=lambda t: (-t.tickets, -t.correspondents, t.name))
        entry = wanted[language]
        entry.top_tags = tags[:TOP_TAGS]
        entry.widespread = [t for t in tags if t.correspondents >= WIDESPREAD_MIN_CORRESPONDENTS]
        entry.individual = [t for t in tags if t.correspondents == 1]


def _highlights(
    session: DbSession, scope: Scope, period: Period, wanted: dict[str, Engagement]
) -> None:
    """Tickets still highlighted whose highlight was set during the period."""
    flagged = select(TicketEvent.ticket_id).where(
        TicketEvent.kind == EventKind.HIGHLIGHT_CHANGED,
        TicketEvent.created_at >= period.start,
        TicketEvent.created_at < period.end,
    )
    tickets = session.execute(
        select(
            Ticket.id, Ticket.language_code, Ticket.subject, Ticket.highlight_reason, Ticket.summary
        )
        .where(*scope.clauses(), Ticket.highlighted, Ticket.id.in_(flagged))
        .order_by(Ticket.language_code, Ticket.id)
    )
    for ticket_id, language, subject, reason, summary in tickets:
        entry = wanted.get(language or "")
        if entry is not None and len(entry.highlights) < MAX_HIGHLIGHTS:
            entry.highlights.append(HighlightedFeedback(ticket_id, subject, reason, summary))
