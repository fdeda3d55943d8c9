"""Median and 90th percentile response times per language, per liaison and overall, for a
period and the period before it.

SQL aggregates the stored per-ticket durations into a histogram of tenths of an hour (the
figures are shown to a tenth of an hour) per language, liaison and period: bounded rows, the
same on SQLite and PostgreSQL. The nearest-rank percentiles are then read off the sorted
histogram of each group, one query per measure for every grouping at once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import case, func, literal, select

from ...db_session import DbSession
from .sql import Query, floor_div
from .timelines import Scope, first_response_values, resolution_values

GroupBy = Literal["language", "assignee_id", "all"]
GROUPINGS: tuple[GroupBy, ...] = ("language", "assignee_id", "all")
TENTH_HOUR = 360  # seconds


@dataclass(frozen=True)
class Distribution:
    count: int = 0
    median_s: int | None = None
    p90_s: int | None = None


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    @property
    def previous(self) -> Period:
        return Period(self.start - (self.end - self.start), self.start)


@dataclass(frozen=True)
class ResponseTimes:
    """One group's figures: this period and the one before, first response and resolution."""

    key: Any
    first_response: Distribution
    first_response_before: Distribution
    resolution: Distribution
    resolution_before: Distribution


# (grouping, key, current period?) -> {tenths of an hour: tickets}
Histograms = dict[tuple[GroupBy, Any, bool], dict[int, int]]


def histograms(session: DbSession, values: Query, start: datetime) -> Histograms:
    """Tickets per tenth of an hour, per language, liaison and overall, in each period."""
    v = values.subquery()
    current = case((v.c.at >= start, literal(1)), else_=literal(0))
    tenths = floor_div(v.c.seconds + TENTH_HOUR / 2, literal(TENTH_HOUR))
    rows = session.execute(
        select(v.c.language, v.c.assignee_id, current, tenths, func.count()).group_by(
            v.c.language, v.c.assignee_id, current, tenths
        )
    )
    result: Histograms = defaultdict(lambda: defaultdict(int))
    for language, assignee, is_current, bucket, count in rows:
        for grouping, key in (("language", language), ("assignee_id", assignee), ("all", "*")):
            result[(grouping, key, bool(is_current))][max(bucket, 0)] += count  # type: ignore[index]
    return result


def distribution(histogram: dict[int, int]) -> Distribution:
    """Count, and the nearest-rank median (ceil(n/2)-th) and 90th percentile (ceil(9n/10)-th)."""
    n = sum(histogram.values())
    if n == 0:
        return Distribution()
    ranks = {"median": (n + 1) // 2, "p90": (9 * n + 9) // 10}
    found: dict[str, int] = {}
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        for name, rank in ranks.items():
            if name not in found and seen >= rank:
                found[name] = bucket * TENTH_HOUR
    return Distribution(n, found["median"], found["p90"])


def response_breakdown(
    session: DbSession, scope: Scope, period: Period
) -> dict[GroupBy, list[ResponseTimes]]:
    """Every grouping's rows (groups with tickets in either period, in key order, None last)."""
    both = period.previous.start, period.end
    first = histograms(session, first_response_values(scope, *both), period.start)
    resolved = histograms(session, resolution_values(scope, *both), period.start)
    result: dict[GroupBy, list[ResponseTimes]] = {}
    for grouping in GROUPINGS:
        keys = {key for g, key, _ in (*first, *resolved) if g == grouping}
        result[grouping] = [
            ResponseTimes(
                key,
                distribution(first.get((grouping, key, True), {})),
                distribution(first.get((grouping, key, False), {})),
                distribution(resolved.get((grouping, key, True), {})),
                distribution(resolved.get((grouping, key, False), {})),
            )
            for key in sorted(keys, key=lambda k: (k is None, str(k)))
        ]
    return result


def response_times(
    session: DbSession, scope: Scope, period: Period, group_by: GroupBy
) -> list[ResponseTimes]:
    """One grouping of ``response_breakdown``."""
    return response_breakdown(session, scope, period)[group_by]
