"""Everything the coordinators' dashboard shows, in one call: the same figures feed the page,
its CSV downloads and the digest."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime

from ...db_session import DbSession
from ...models import User
from .activity import LiaisonLoad, WeeklyVolume, liaison_loads, weekly_volume
from .backlog import Backlog, backlog, risk_breakdown
from .response_times import Period, ResponseTimes, response_breakdown
from .timelines import Scope
from .timings import refresh_timings

VOLUME_WEEKS = 12


@dataclass(frozen=True)
class DashboardFigures:
    now: datetime
    period: Period
    personal: bool  # a liaison's own figures only
    backlog: Backlog
    by_language: list[ResponseTimes]
    by_liaison: list[ResponseTimes]
    overall: ResponseTimes | None
    volume: WeeklyVolume
    liaisons: list[LiaisonLoad]

    @property
    def median_load(self) -> float:
        loads = [load.open_tickets for load in self.liaisons if not load.away]
        return statistics.median(loads) if loads else 0.0

    @property
    def most_loaded(self) -> LiaisonLoad | None:
        busy = [load for load in self.liaisons if load.overloaded(self.median_load)]
        return busy[0] if busy else None


def scope_for(viewer: User) -> Scope:
    """Coordinators and admins see every queue; a liaison only the tickets assigned to them."""
    return Scope() if viewer.sees_all_tickets else Scope(assignee_id=viewer.id)


def dashboard_figures(
    session: DbSession, viewer: User, period: Period, now: datetime
) -> DashboardFigures:
    """The dashboard for ``viewer``: a liaison gets their own figures and nobody else's. Brings
    the stored ticket timings up to date first (the caller commits them)."""
    refresh_timings(session)
    scope = scope_for(viewer)
    personal = not viewer.sees_all_tickets
    risk = risk_breakdown(session, scope, now)
    times = response_breakdown(session, scope, period)
    overall = times["all"]
    return DashboardFigures(
        now=now,
        period=period,
        personal=personal,
        backlog=backlog(session, scope, now, risk.by_language()),
        by_language=times["language"],
        by_liaison=times["assignee_id"],
        overall=overall[0] if overall else None,
        volume=weekly_volume(session, scope, now, VOLUME_WEEKS),
        liaisons=liaison_loads(
            session, risk.by_assignee(), now, only=viewer.id if personal else None
        ),
    )
