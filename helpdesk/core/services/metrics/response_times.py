"""Median and 90th percentile response times per language or per liaison, for a period and
the period before it, from per-ticket durations (``timelines``) ranked in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, case, func, literal, select

from ...db_session import DbSession
from .sql import percentile_positions
from .timelines import Scope, first_response_values, resolution_values

GroupBy = Literal["language", "assignee_id", "all"]


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


def distributions(
    session: DbSession,
    values: Select,
    group_by: GroupBy,
    start: datetime,
) -> dict[tuple[Any, bool], Distribution]:
    """Count, median and p90 of ``values.seconds`` per group and per period (True: at or after
    ``start``), with one window-function query: the same figures on SQLite and PostgreSQL."""
    v = values.subquery()
    key = literal("*") if group_by == "all" else v.c[group_by]
    current = case((v.c.at >= start, literal(1)), else_=literal(0))
    partition = (key, current)
    ranked = select(
        key.label("key"),
        current.label("current"),
        v.c.seconds,
        func.row_number().over(partition_by=partition, order_by=v.c.seconds).label("rn"),
        func.count().over(partition_by=partition).label("n"),
    ).subquery()
    median, p90 = percentile_positions(ranked.c.n)
    rows = session.execute(
        select(
            ranked.c.key,
            ranked.c.current,
            ranked.c.n,
            func.max(case((ranked.c.rn == median, ranked.c.seconds))),
            func.max(case((ranked.c.rn == p90, ranked.c.seconds))),
        ).group_by(ranked.c.key, ranked.c.current, ranked.c.n)
    )
    return {
        (row[0], bool(row[1])): Distribution(int(row[2]), _seconds(row[3]), _seconds(row[4]))
        for row in rows
    }


def _seconds(value: float | None) -> int | None:
    return None if value is None else max(round(value), 0)


def response_times(
    session: DbSession, scope: Scope, period: Period, group_by: GroupBy
) -> list[ResponseTimes]:
    """Every group with tickets in either period, in key order (None last)."""
    both = period.previous.start, period.end
    first = distributions(session, first_response_values(scope, *both), group_by, period.start)
    resolved = distributions(session, resolution_values(scope, *both), group_by, period.start)
    keys = {key for key, _ in first} | {key for key, _ in resolved}
    empty = Distribution()
    return [
        ResponseTimes(
            key,
            first.get((key, True), empty),
            first.get((key, False), empty),
            resolved.get((key, True), empty),
            resolved.get((key, False), empty),
        )
        for key in sorted(keys, key=lambda k: (k is None, str(k)))
    ]
