"""Setting a queue's SLA policy, and keeping its working calendar (for SQL metrics) in step."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, insert

from ..business_hours import Schedule, working_intervals
from ..db_session import DbSession
from ..errors import SlaPolicyError as SlaPolicyError
from ..models import Language, SlaCalendarDay, SlaPolicy
from .metrics.timings import recompute_timings
from .sla import default_policy

MAX_TARGET_HOURS = 24 * 90
# The calendar covers these local days; instants outside it count no working time.
CALENDAR_FIRST = date(2015, 1, 1)
CALENDAR_LAST = date(2045, 12, 31)


@dataclass(frozen=True)
class SlaSettings:
    first_response_hours: int
    resolution_hours: int
    business_hours: bool = False
    timezone: str = "UTC"
    opens_at: str = "09:00"
    closes_at: str = "17:00"
    working_days: str = "12345"
    holidays: tuple[date, ...] = field(default_factory=tuple)


def settings_of(policy: SlaPolicy) -> SlaSettings:
    return SlaSettings(
        policy.first_response_hours,
        policy.resolution_hours,
        policy.business_hours,
        policy.timezone,
        policy.opens_at,
        policy.closes_at,
        policy.working_days,
        tuple(date.fromisoformat(d) for d in policy.holidays or []),
    )


def _check(settings: SlaSettings) -> None:
    for name in ("first_response_hours", "resolution_hours"):
        if not 1 <= getattr(settings, name) <= MAX_TARGET_HOURS:
            raise SlaPolicyError(name, str(getattr(settings, name)), MAX_TARGET_HOURS)
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise SlaPolicyError("timezone", settings.timezone) from error
    try:
        opens, closes = (
            time.fromisoformat(settings.opens_at),
            time.fromisoformat(settings.closes_at),
        )
    except ValueError as error:
        raise SlaPolicyError("opens_at", settings.opens_at) from error
    if settings.business_hours and closes <= opens:
        raise SlaPolicyError("closes_at", settings.closes_at)
    days = settings.working_days
    if settings.business_hours and (not days or any(d not in "1234567" for d in days)):
        raise SlaPolicyError("working_days", days)


def save_policy(session: DbSession, language: Language, settings: SlaSettings) -> SlaPolicy:
    """Replace the queue's policy (checked first); a business-hours policy gets its working
    calendar rebuilt in the same transaction, so metrics never see a stale one."""
    _check(settings)
    policy = language.sla_policy
    if policy is None:
        policy = language.sla_policy = default_policy()
    policy.first_response_hours = settings.first_response_hours
    policy.resolution_hours = settings.resolution_hours
    policy.business_hours = settings.business_hours
    policy.timezone = settings.timezone
    policy.opens_at = settings.opens_at
    policy.closes_at = settings.closes_at
    policy.working_days = "".join(sorted(set(settings.working_days)))
    policy.holidays = sorted(day.isoformat() for day in set(settings.holidays))
    session.flush()
    rebuild_calendar(session, policy)
    recompute_timings(session, language.code)
    return policy


def rebuild_calendar(session: DbSession, policy: SlaPolicy) -> None:
    """The policy's working intervals with running totals; none for calendar hours."""
    session.execute(
        delete(SlaCalendarDay).where(SlaCalendarDay.language_code == policy.language_code)
    )
    if not policy.business_hours:
        return
    rows = list(calendar_rows(policy.language_code, policy.schedule()))
    for start in range(0, len(rows), 2000):
        session.execute(insert(SlaCalendarDay), rows[start : start + 2000])


def calendar_rows(code: str, schedule: Schedule) -> Iterator[dict[str, Any]]:
    worked = 0
    for opens, closes in working_intervals(schedule, CALENDAR_FIRST, CALENDAR_LAST):
        start, end = _epoch(opens), _epoch(closes)
        yield {
            "language_code": code,
            "day": opens.astimezone(schedule.zone).date(),
            "opens": start,
            "closes": end,
            "worked_before": worked,
        }
        worked += end - start


def _epoch(instant: datetime) -> int:
    return int(instant.astimezone(UTC).timestamp())
