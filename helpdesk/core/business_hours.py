"""Working-time arithmetic for SLA clocks: pure functions, no database.

A ``Schedule`` is a queue's working week in its own time zone. Each day's opening and closing
times are localised separately, so a daylight-saving change moves the UTC instants and never
the local ones; holidays and non-working days contribute nothing. A schedule with
``business_hours`` False counts every second (calendar hours)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Schedule:
    business_hours: bool = False
    timezone: str = "UTC"
    opens: time = time(9)
    closes: time = time(17)
    working_days: frozenset[int] = frozenset({1, 2, 3, 4, 5})  # ISO weekdays, Monday = 1
    holidays: frozenset[date] = field(default_factory=frozenset)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: date) -> bool:
        return day.isoweekday() in self.working_days and day not in self.holidays

    def opening_hours(self, day: date) -> tuple[datetime, datetime] | None:
        """That local day's working interval in UTC, or None when it is not worked."""
        if not self.is_working_day(day) or self.closes <= self.opens:
            return None
        zone = self.zone
        opens = datetime.combine(day, self.opens, zone).astimezone(UTC)
        closes = datetime.combine(day, self.closes, zone).astimezone(UTC)
        return opens, closes


def working_intervals(
    schedule: Schedule, first: date, last: date
) -> Iterator[tuple[datetime, datetime]]:
    """Every working interval of the local days ``first`` to ``last`` included, in order."""
    day = first
    while day <= last:
        hours = schedule.opening_hours(day)
        if hours is not None:
            yield hours
        day += DAY


def _local_day(schedule: Schedule, instant: datetime) -> date:
    return instant.astimezone(schedule.zone).date()


def working_seconds(schedule: Schedule, start: datetime, end: datetime) -> float:
    """Seconds of working time between two instants (0 when ``end`` is not after ``start``)."""
    if end <= start:
        return 0.0
    if not schedule.business_hours:
        return (end - start).total_seconds()
    total = 0.0
    for opens, closes in working_intervals(
        schedule, _local_day(schedule, start), _local_day(schedule, end)
    ):
        overlap = min(closes, end) - max(opens, start)
        total += max(overlap.total_seconds(), 0.0)
    return total


# No schedule is closed for this long: a loop that never finds working time stops here.
MAX_SEARCH_DAYS = 3660


def add_working_seconds(schedule: Schedule, start: datetime, seconds: float) -> datetime:
    """The instant at which ``seconds`` of working time have passed since ``start``."""
    if not schedule.business_hours:
        return start + timedelta(seconds=seconds)
    remaining = max(seconds, 0.0)
    day = _local_day(schedule, start)
    for _ in range(MAX_SEARCH_DAYS):
        hours = schedule.opening_hours(day)
        day += DAY
        if hours is None or hours[1] <= start:
            continue
        opens = max(hours[0], start)
        available = (hours[1] - opens).total_seconds()
        if remaining <= available:
            return opens + timedelta(seconds=remaining)
        remaining -= available
    raise ValueError("the schedule has no working time")
