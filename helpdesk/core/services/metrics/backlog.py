"""The open backlog now: by language and age, who waits longest, what is at risk or in breach."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select

from ...db_session import DbSession
from ...models import OPEN_STATUSES, SlaPolicy, Status, Ticket, TicketTiming
from ..sla import DUE_SOON_FRACTION, SlaState
from .sql import Query, epoch, worked
from .timelines import Scope, timings_of

# Age buckets of an open ticket, by when it was opened: (key, upper bound).
AGE_BUCKETS: tuple[tuple[str, timedelta | None], ...] = (
    ("under_1d", timedelta(days=1)),
    ("1d_3d", timedelta(days=3)),
    ("3d_7d", timedelta(days=7)),
    ("over_7d", None),
)


@dataclass(frozen=True)
class LanguageBacklog:
    language: str
    buckets: dict[str, int]
    total: int
    waiting: int  # open or new: the next move is ours
    oldest_waiting_since: datetime | None  # the requester who has waited longest wrote then
    at_risk: int = 0
    breached: int = 0


@dataclass(frozen=True)
class Backlog:
    languages: list[LanguageBacklog] = field(default_factory=list)

    @property
    def longest_waiting(self) -> LanguageBacklog | None:
        waiting = [b for b in self.languages if b.oldest_waiting_since is not None]
        return min(waiting, key=lambda b: b.oldest_waiting_since) if waiting else None  # type: ignore[arg-type, return-value]


def _bucket_counts(now: datetime) -> list[Any]:
    columns, lower = [], None
    for key, upper in AGE_BUCKETS:
        conditions = []
        if upper is not None:
            conditions.append(Ticket.created_at > now - upper)
        if lower is not None:
            conditions.append(Ticket.created_at <= now - lower)
        columns.append(func.count(case((and_(*conditions), 1))).label(key))
        lower = upper
    return columns


def backlog(
    session: DbSession, scope: Scope, now: datetime, risk: dict[str, tuple[int, int]]
) -> Backlog:
    """Open tickets per language and age bucket, with the at-risk and breached counts ``risk``
    gives per language (see ``risk_breakdown``)."""
    waiting = Ticket.status.in_((Status.NEW, Status.OPEN))
    rows = session.execute(
        select(
            Ticket.language_code,
            *_bucket_counts(now),
            func.count(),
            func.count(case((waiting, 1))),
            func.min(case((waiting, Ticket.last_requester_message_at))),
        )
        .where(*scope.clauses(), Ticket.status.in_(OPEN_STATUSES))
        .group_by(Ticket.language_code)
    ).all()
    keys = [key for key, _ in AGE_BUCKETS]
    languages = []
    for row in rows:
        at_risk, breached = risk.get(row[0], (0, 0))
        buckets = dict(zip(keys, row[1 : 1 + len(keys)], strict=True))
        total, waiting_count, oldest = row[1 + len(keys) :]
        languages.append(
            LanguageBacklog(row[0], buckets, total, waiting_count, oldest, at_risk, breached)
        )
    languages.sort(key=lambda b: b.language)
    return Backlog(languages)


def _state(timing: Any, now: datetime) -> ColumnElement[str]:
    """Breached once either target is used up (the first response while unanswered; resolution
    counting only new and open time), due soon in the last quarter of either."""
    business = SlaPolicy.business_hours
    clock_now = worked(literal(now.timestamp()), Ticket.language_code, business)
    since_opened = clock_now - worked(epoch(Ticket.created_at), Ticket.language_code, business)
    running_now = timing.c.running_s + case(
        (
            timing.c.running_since.is_not(None),
            clock_now - worked(timing.c.running_since, Ticket.language_code, business),
        ),
        else_=literal(0.0),
    )
    waiting_first = timing.c.first_response_s.is_(None)

    def used(fraction: float) -> ColumnElement[bool]:
        return or_(
            and_(waiting_first, since_opened >= SlaPolicy.first_response_hours * 3600 * fraction),
            running_now >= SlaPolicy.resolution_hours * 3600.0 * fraction,
        )

    return case(
        (used(1.0), literal(SlaState.BREACHED.value)),
        (used(1 - DUE_SOON_FRACTION), literal(SlaState.DUE_SOON.value)),
        else_=literal(SlaState.OK.value),
    )


def sla_states(scope: Scope, now: datetime, ids: list[int] | None = None) -> Query:
    """Each open ticket's state against its queue's policy (``_state``). Columns: ticket_id,
    language, assignee_id, state. With ``ids`` (a page of the queue), those tickets' clocks
    are read from their events directly; without, from ``ticket_timings``, which the caller
    refreshes first (``timings.refresh_timings``)."""
    page: list[ColumnElement[bool]] = []
    if ids is None:
        timing: Any = TicketTiming.__table__
    else:
        timing = timings_of(select(Ticket.id).where(Ticket.id.in_(ids))).subquery()
        # Said of the outer tickets too, so the planner starts from the page's few rows rather
        # than joining every open ticket to them (measured: 13 ms of 14 at 800 open tickets).
        page.append(Ticket.id.in_(ids))
    query = (
        select(
            Ticket.id.label("ticket_id"),
            Ticket.language_code.label("language"),
            Ticket.assignee_id.label("assignee_id"),
            _state(timing, now).label("state"),
        )
        .join(timing, timing.c.ticket_id == Ticket.id)
        .join(SlaPolicy, SlaPolicy.language_code == Ticket.language_code)
        .where(*scope.clauses(), Ticket.status.in_(OPEN_STATUSES), *page)
    )
    return query


@dataclass(frozen=True)
class RiskBreakdown:
    """Open tickets at risk (due soon) and in breach, by language and by assignee."""

    counts: dict[tuple[str, int | None, str], int]

    def by_language(self) -> dict[str, tuple[int, int]]:
        result: dict[str, tuple[int, int]] = {}
        for (language, _, state), n in self.counts.items():
            at_risk, breached = result.get(language, (0, 0))
            if state == SlaState.BREACHED:
                breached += n
            else:
                at_risk += n
            result[language] = (at_risk, breached)
        return result

    def by_assignee(self) -> dict[int | None, dict[str, int]]:
        result: dict[int | None, dict[str, int]] = {}
        for (_, assignee, state), n in self.counts.items():
            mine = result.setdefault(assignee, {})
            mine[state] = mine.get(state, 0) + n
        return result


def risk_breakdown(session: DbSession, scope: Scope, now: datetime) -> RiskBreakdown:
    """One query over the open backlog's SLA states."""
    states = sla_states(scope, now).subquery()
    rows = session.execute(
        select(states.c.language, states.c.assignee_id, states.c.state, func.count())
        .where(states.c.state != SlaState.OK.value)
        .group_by(states.c.language, states.c.assignee_id, states.c.state)
    )
    return RiskBreakdown({(row[0], row[1], row[2]): row[3] for row in rows})
