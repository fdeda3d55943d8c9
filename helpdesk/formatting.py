"""Dates, times, ages and numbers in the reader's locale and time zone: the template filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from babel import dates, numbers
from flask import Flask
from flask_babel import get_locale, get_timezone

Width = Literal["full", "long", "medium", "short"]
Span = Literal["narrow", "short", "medium", "long"]


def _locale() -> str:
    return str(get_locale() or "en")


def _local(value: datetime) -> datetime:
    """The instant in the reader's zone (stored datetimes are UTC, aware or not)."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(get_timezone())


def format_when(value: datetime | None, width: Width = "medium") -> str:
    """Date and time to the minute ("Jan 2, 2026, 12:04 PM", "2026/01/02 12:04"); ``full``
    adds seconds and the zone's name, for tooltips."""
    if value is None:
        return ""
    locale, local = _locale(), _local(value)
    if width == "full":
        return dates.format_datetime(local, "full", tzinfo=local.tzinfo, locale=locale)
    day = dates.format_date(local, width, locale=locale)
    clock = dates.format_time(local, "short", tzinfo=local.tzinfo, locale=locale)
    glue = str(dates.get_datetime_format(width, locale=locale)).replace("'", "")
    return glue.replace("{0}", clock).replace("{1}", day)


def format_day(value: date | datetime | None, width: Width = "medium") -> str:
    """A calendar day; a datetime is first moved to the reader's zone (its day may differ)."""
    if value is None:
        return ""
    day = _local(value).date() if isinstance(value, datetime) else value
    return dates.format_date(day, width, locale=_locale())


def format_clock(value: datetime | None, width: Width = "short") -> str:
    """The time of day in the reader's zone ("12:04", "午後0:04")."""
    if value is None:
        return ""
    local = _local(value)
    return dates.format_time(local, width, tzinfo=local.tzinfo, locale=_locale())


def format_age(value: datetime | None, now: datetime, width: Span = "short") -> str:
    """How long ago ("3 hr. ago", "3 時間前") or, for a future instant, how soon ("in 2 days")."""
    if value is None:
        return ""
    return dates.format_timedelta(
        value - now, add_direction=True, format=width, threshold=1.5, locale=_locale()
    )


def format_duration(value: timedelta | float | None, width: Span = "long") -> str:
    """A length of time without direction ("3 hours"); a number is taken as seconds."""
    if value is None:
        return ""
    span = value if isinstance(value, timedelta) else timedelta(seconds=value)
    return dates.format_timedelta(span, format=width, threshold=1.5, locale=_locale())


def format_number(value: float | None, digits: int = 1) -> str:
    """A number with at most ``digits`` decimals and the locale's separators."""
    if value is None:
        return ""
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    return numbers.format_decimal(value, format=pattern, locale=_locale())


def format_percent(value: float | None, digits: int = 0) -> str:
    """A fraction (0.42) as a percentage in the locale's way ("42 %", "%٤٢")."""
    if value is None:
        return ""
    pattern = None if not digits else "#,##0." + "0" * digits + "%"
    return numbers.format_percent(value, format=pattern, locale=_locale())


def iso_utc(value: datetime) -> str:
    """For machines (``<time datetime>``, exports): ISO 8601 in UTC, whoever reads the page."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds")


FILTERS: dict[str, Any] = {
    "when": format_when,
    "day": format_day,
    "clock": format_clock,
    "age": format_age,
    "duration": format_duration,
    "number": format_number,
    "percent": format_percent,
    "iso_utc": iso_utc,
}


def is_day(value: object) -> bool:
    """``value is day`` in a template: a table cell to show as a date (exports keep ISO)."""
    return isinstance(value, date)


def init_formatting(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.tests["day"] = is_day
