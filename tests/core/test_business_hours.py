"""Working-time arithmetic: weekends, holidays, time zones and daylight-saving changes."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpdesk.core.business_hours import Schedule, add_working_seconds, working_seconds

PARIS = ZoneInfo("Europe/Paris")
HOUR = 3600.0
# Paris, 09:00-17:00, Monday to Friday; 2026-12-25 (a Friday) is a holiday.
OFFICE = Schedule(
    business_hours=True,
    timezone="Europe/Paris",
    opens=time(9),
    closes=time(17),
    holidays=frozenset({date(2026, 12, 25)}),
)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


def test_calendar_hours_count_every_second():
    start = datetime(2026, 3, 6, 22, tzinfo=UTC)
    assert working_seconds(Schedule(), start, start + timedelta(days=2)) == 48 * HOUR
    assert add_working_seconds(Schedule(), start, 5 * HOUR) == start + timedelta(hours=5)


def test_a_weekend_counts_nothing():
    friday_4pm, monday_10am = paris(2026, 3, 6, 16), paris(2026, 3, 9, 10)
    assert working_seconds(OFFICE, friday_4pm, monday_10am) == 2 * HOUR
    assert add_working_seconds(OFFICE, friday_4pm, 2 * HOUR) == monday_10am


def test_time_outside_the_day_counts_nothing():
    evening, next_morning = paris(2026, 3, 10, 20), paris(2026, 3, 11, 8)
    assert working_seconds(OFFICE, evening, next_morning) == 0
    # Mail at night: the clock starts at opening time.
    assert add_working_seconds(OFFICE, evening, HOUR) == paris(2026, 3, 11, 10)


def test_a_holiday_counts_nothing():
    thursday_4pm, monday_10am = paris(2026, 12, 24, 16), paris(2026, 12, 28, 10)
    assert working_seconds(OFFICE, thursday_4pm, monday_10am) == 2 * HOUR
    assert add_working_seconds(OFFICE, thursday_4pm, 2 * HOUR) == monday_10am


def test_daylight_saving_change_keeps_local_opening_hours():
    # Paris moves to summer time on Sunday 2026-03-29: Friday 17:00 is 16:00 UTC, Monday
    # 09:00 is 07:00 UTC. A week of working time is 5 x 8 hours either side of the change.
    friday, monday = paris(2026, 3, 27, 16), paris(2026, 3, 30, 10)
    assert friday == datetime(2026, 3, 27, 15, tzinfo=UTC)
    assert monday == datetime(2026, 3, 30, 8, tzinfo=UTC)
    assert working_seconds(OFFICE, friday, monday) == 2 * HOUR
    week = working_seconds(OFFICE, paris(2026, 3, 23, 9), paris(2026, 3, 30, 9))
    assert week == 40 * HOUR
    assert add_working_seconds(OFFICE, friday, 2 * HOUR) == monday
    # And back to winter time on 2026-10-25.
    assert working_seconds(OFFICE, paris(2026, 10, 23, 16), paris(2026, 10, 26, 10)) == 2 * HOUR


def test_long_targets_span_many_days():
    monday_9am = paris(2026, 3, 2, 9)
    due = add_working_seconds(OFFICE, monday_9am, 24 * HOUR)  # three working days
    assert due == paris(2026, 3, 4, 17)
    assert working_seconds(OFFICE, monday_9am, due) == 24 * HOUR


def test_a_time_zone_with_a_half_hour_offset():
    delhi = Schedule(business_hours=True, timezone="Asia/Kolkata")
    start = datetime(2026, 3, 2, 3, 30, tzinfo=UTC)  # 09:00 in Delhi
    assert add_working_seconds(delhi, start, 8 * HOUR) == datetime(2026, 3, 2, 11, 30, tzinfo=UTC)


def test_end_before_start_is_zero_and_no_working_time_is_refused():
    start = paris(2026, 3, 2, 10)
    assert working_seconds(OFFICE, start, start - timedelta(hours=1)) == 0
    never = Schedule(business_hours=True, working_days=frozenset())
    with pytest.raises(ValueError, match="no working time"):
        add_working_seconds(never, start, HOUR)
