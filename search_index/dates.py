"""Date filters: ``2024``, ``2024-03`` or ``2024-03-15`` name a whole period (UTC)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


@dataclass(frozen=True)
class DateRange:
    """From ``start`` (inclusive) to ``end`` (exclusive); None leaves that side open."""

    start: datetime | None = None
    end: datetime | None = None

    def __bool__(self) -> bool:
        return self.start is not None or self.end is not None

    def narrow(self, other: DateRange) -> DateRange:
        starts = [d for d in (self.start, other.start) if d is not None]
        ends = [d for d in (self.end, other.end) if d is not None]
        return DateRange(max(starts) if starts else None, min(ends) if ends else None)


def period(text: str) -> tuple[datetime, datetime]:
    """The first instant of the period ``text`` names and the first instant after it."""
    from .queries import QueryError

    match = _DATE.match(text.strip())
    if not match:
        raise QueryError("bad_date", text)
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        start = datetime(year or 1, month or 1, day or 1, tzinfo=UTC)
    except ValueError as error:
        raise QueryError("bad_date", text) from error
    if day is not None:
        end = datetime.fromordinal(start.toordinal() + 1).replace(tzinfo=UTC)
    elif month is not None:
        end = start.replace(year=start.year + (month == 12), month=month % 12 + 1)
    else:
        end = start.replace(year=start.year + 1)
    return start, end


def parse_date_range(
    start: str | None, end: str | None, start_excluded: bool, end_excluded: bool
) -> DateRange:
    """``[a TO b]`` covers both periods whole; ``>a`` starts after a's period, ``<b`` ends
    before b's."""
    first = last = None
    if start:
        begin, after = period(start)
        first = after if start_excluded else begin
    if end:
        begin, after = period(end)
        last = begin if end_excluded else after
    return DateRange(first, last)
