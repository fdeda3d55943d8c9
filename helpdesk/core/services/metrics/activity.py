"""Volume per week per language, and each liaison's load and presence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, func, literal, select

from ...db_session import DbSession
from ...models import OPEN_STATUSES, Role, Ticket, TicketTiming, User
from ..sla import SlaState
from .timelines import Scope

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class WeeklyVolume:
    weeks: list[date]  # each week's Monday, oldest first
    counts: dict[str, list[int]]  # language -> tickets opened each week


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_volume(session: DbSession, scope: Scope, now: datetime, weeks: int) -> WeeklyVolume:
    """Tickets opened per ISO week (UTC) and language, over the last ``weeks`` weeks; read from
    the stored timings' index, weeks told apart by comparisons (no date functions per row)."""
    first = week_start(now.astimezone(UTC).date()) - WEEK * (weeks - 1)
    starts = [datetime.combine(first + WEEK * n, time(), UTC) for n in range(weeks)]
    opened = TicketTiming.opened_at
    week = case(
        *((opened < start, literal(n - 1)) for n, start in enumerate(starts[1:], 1)),
        else_=literal(weeks - 1),
    )
    rows = session.execute(
        select(TicketTiming.language_code, week, func.count())
        .where(*scope.timing_clauses(), opened >= starts[0])
        .group_by(TicketTiming.language_code, week)
    )
    counts: dict[str, list[int]] = {}
    for language, index, count in rows:
        counts.setdefault(language or "", [0] * weeks)[index] = count
    return WeeklyVolume([first + WEEK * n for n in range(weeks)], dict(sorted(counts.items())))


@dataclass(frozen=True)
class LiaisonLoad:
    user_id: int
    name: str
    languages: list[str]
    open_tickets: int
    at_risk: int
    breached: int
    away: bool
    away_until: datetime | None

    def overloaded(self, median_load: float) -> bool:
        """Half as many again as the median liaison, and at least a few tickets."""
        return self.open_tickets >= max(5, 1.5 * median_load)


def liaison_loads(
    session: DbSession,
    states: dict[int | None, dict[str, int]],
    now: datetime,
    only: int | None = None,
) -> list[LiaisonLoad]:
    """Active liaisons (or just ``only``), heaviest first, with their open tickets and the
    at-risk and breached counts ``states`` (assignee -> state -> count) gives."""
    counts = (
        select(Ticket.assignee_id, func.count().label("n"))
        .where(Ticket.status.in_(OPEN_STATUSES))  # a merged ticket is closed
        .group_by(Ticket.assignee_id)
        .subquery()
    )
    query = (
        select(User, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.assignee_id == User.id)
        .where(User.active, User.role == Role.LIAISON)
    )
    if only is not None:
        query = query.where(User.id == only)
    loads = []
    for user, n in session.execute(query):
        mine = states.get(user.id, {})
        loads.append(
            LiaisonLoad(
                user.id,
                user.name,
                sorted(user.language_codes),
                n,
                mine.get(SlaState.DUE_SOON.value, 0),
                mine.get(SlaState.BREACHED.value, 0),
                user.is_away(now),
                user.away_until if user.is_away(now) else None,
            )
        )
    return sorted(loads, key=lambda load: (-load.open_tickets, load.name))
