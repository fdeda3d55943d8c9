"""Median and 90th percentile response times per language, per liaison and overall, for a
period and the period before it.

SQL aggregates the stored per-ticket durations into a histogram of their values rounded to two
significant figures in hours (a tenth of an hour under 10 hours, an hour under 100, ten hours
above: how they are shown) and reads the nearest-rank percentiles off its running totals: one
statement per measure for every grouping, integer arithmetic throughout, so SQLite and
PostgreSQL give the same figures, and the histogram stays small however many tickets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Integer, String, case, cast, func, literal, select, union_all

from ...db_session import DbSession
from .sql import Query, floor_div
from .timelines import Scope, first_response_values, resolution_values

GroupBy = Literal["language", "assignee_id", "all"]
GROUPINGS: tuple[GroupBy, ...] = ("language", "assignee_id", "all")
# (below this many seconds, round to this many): two significant figures in hours.
ROUNDING = ((36_000, 360), (360_000, 3_600), (None, 36_000))


@dataclass(frozen=True)
class Distribution:
    count: int = 0
    median_s: int | None = None
    p90_s: int | None = None


EMPTY = Distribution()


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


Percentiles = dict[tuple[GroupBy, Any, bool], Distribution]


def rounded(seconds: Any) -> Any:
    """``seconds`` rounded as ``ROUNDING`` says, in whole seconds."""
    steps = [
        (seconds < limit, floor_div(seconds + step / 2, literal(step)) * step)
        for limit, step in ROUNDING
        if limit is not None
    ]
    last = ROUNDING[-1][1]
    return case(*steps, else_=floor_div(seconds + last / 2, literal(last)) * last)


def percentiles(
    session: DbSession, values: Query, start: datetime, groupings: tuple[GroupBy, ...] = GROUPINGS
) -> Percentiles:
    """Count, nearest-rank median (the ceil(n/2)-th value) and 90th percentile (ceil(9n/10)-th)
    per language, liaison and overall, in the period from ``start`` and the one before, in one
    statement: a histogram of rounded durations per language, liaison and period, summed per
    grouping, its running totals (a window over the histogram, not over the tickets) read at
    the two ranks."""
    v = values.subquery()
    current = case((v.c.at >= start, literal(1)), else_=literal(0)).label("current")
    rounded_s = rounded(v.c.seconds).label("rounded_s")
    # Only the dimensions asked for: every one multiplies the histogram's rows.
    dimensions = [v.c[g] for g in ("language", "assignee_id") if g in groupings]
    base = (
        select(*dimensions, current, rounded_s, func.count().label("n"))
        .group_by(*dimensions, current, rounded_s)
        .cte("histogram")
    )
    keys = {
        grouping: literal("*", String) if grouping == "all" else cast(base.c[grouping], String)
        for grouping in groupings
    }
    statements = [_ranked(base, grouping, key) for grouping, key in keys.items()]
    result: Percentiles = {}
    for grouping, key, is_current, n, median, p90 in session.execute(union_all(*statements)):
        if grouping == "assignee_id" and key is not None:
            key = int(key)
        result[(grouping, key, bool(is_current))] = Distribution(int(n), int(median), int(p90))
    return result


def _ranked(base: Any, grouping: str, key: Any) -> Query:
    histogram = (
        select(
            key.label("key"),
            base.c.current,
            base.c.rounded_s,
            cast(func.sum(base.c.n), Integer).label("n"),
        )
        .group_by(key, base.c.current, base.c.rounded_s)
        .subquery()
    )
    partition = (histogram.c.key, histogram.c.current)
    running = select(
        histogram.c.key,
        histogram.c.current,
        histogram.c.rounded_s,
        cast(
            func.sum(histogram.c.n).over(
                partition_by=partition, order_by=histogram.c.rounded_s, rows=(None, 0)
            ),
            Integer,
        ).label("seen"),
        # The same ordering, the whole partition: one sort serves both sums.
        cast(
            func.sum(histogram.c.n).over(
                partition_by=partition, order_by=histogram.c.rounded_s, rows=(None, None)
            ),
            Integer,
        ).label("total"),
    ).subquery()
    total, seen = running.c.total, running.c.seen
    return select(
        literal(grouping, String).label("grouping"),
        running.c.key,
        running.c.current,
        total,
        func.min(case((seen >= (total + 1) // 2, running.c.rounded_s))),
        func.min(case((seen >= (9 * total + 9) // 10, running.c.rounded_s))),
    ).group_by(running.c.key, running.c.current, total)


def response_breakdown(
    session: DbSession,
    scope: Scope,
    period: Period,
    groupings: tuple[GroupBy, ...] = GROUPINGS,
    compare: bool = True,
) -> dict[GroupBy, list[ResponseTimes]]:
    """Each grouping's rows (groups with tickets in either period, in key order, None last);
    the period before is left empty unless ``compare``."""
    span = (period.previous.start if compare else period.start), period.end
    first = percentiles(session, first_response_values(scope, *span), period.start, groupings)
    resolved = percentiles(session, resolution_values(scope, *span), period.start, groupings)
    result: dict[GroupBy, list[ResponseTimes]] = {}
    for grouping in groupings:
        keys = {key for g, key, _ in (*first, *resolved) if g == grouping}
        result[grouping] = [
            ResponseTimes(
                key,
                first.get((grouping, key, True), EMPTY),
                first.get((grouping, key, False), EMPTY),
                resolved.get((grouping, key, True), EMPTY),
                resolved.get((grouping, key, False), EMPTY),
            )
            for key in sorted(keys, key=lambda k: (k is None, str(k)))
        ]
    return result


def response_times(
    session: DbSession, scope: Scope, period: Period, group_by: GroupBy, compare: bool = True
) -> list[ResponseTimes]:
    """One grouping of ``response_breakdown``."""
    return response_breakdown(session, scope, period, (group_by,), compare)[group_by]
