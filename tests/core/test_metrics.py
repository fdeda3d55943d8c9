"""Response-time metrics from hand-built event logs: business hours across a weekend, a
holiday and a daylight-saving change; pending pauses; reopened and merged tickets; notes and
acknowledgements are not responses."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpdesk.core.models import Language, Role, Status
from helpdesk.core.services.merging import merge_tickets
from helpdesk.core.services.metrics.backlog import risk_breakdown, sla_states
from helpdesk.core.services.metrics.response_times import Period, response_times
from helpdesk.core.services.metrics.timelines import Scope
from helpdesk.core.services.metrics.timings import refresh_timings
from helpdesk.core.services.sla_policies import SlaSettings, save_policy
from helpdesk.core.unit_of_work import unit_of_work

from ..timelines import Timeline

PARIS = ZoneInfo("Europe/Paris")
HOUR = 3600
YEAR_2026 = Period(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


@pytest.fixture
def office_hours(session):
    """French queue: 09:00-17:00 Paris, Monday to Friday, Christmas off; 8 h / 16 h."""
    with unit_of_work(session):
        save_policy(
            session,
            session.get(Language, "fr"),
            SlaSettings(
                8, 16, True, "Europe/Paris", "09:00", "17:00", "12345", (date(2026, 12, 25),)
            ),
        )


def _figures(session, group_by="language", scope=None, period=YEAR_2026):
    with unit_of_work(session):
        refresh_timings(session)
    return {row.key: row for row in response_times(session, scope or Scope(), period, group_by)}


def test_business_hours_skip_a_weekend_a_holiday_and_a_dst_change(session, office_hours):
    with unit_of_work(session):
        Timeline(session, "fr", paris(2026, 3, 6, 16)).reply(paris(2026, 3, 9, 10))  # weekend
        Timeline(session, "fr", paris(2026, 12, 24, 16)).reply(paris(2026, 12, 28, 10))  # Xmas
        Timeline(session, "fr", paris(2026, 3, 27, 16)).reply(paris(2026, 3, 30, 10))  # DST
    french = _figures(session)["fr"].first_response
    assert (french.count, french.median_s, french.p90_s) == (3, 2 * HOUR, 2 * HOUR)


def test_notes_and_acknowledgements_are_not_responses(session, office_hours):
    with unit_of_work(session):
        (
            Timeline(session, "fr", paris(2026, 3, 2, 9))
            .acknowledged(paris(2026, 3, 2, 9, 0, 5))
            .note(paris(2026, 3, 2, 10))
            .reply(paris(2026, 3, 2, 12))
        )
        Timeline(session, "fr", paris(2026, 3, 3, 9)).acknowledged(paris(2026, 3, 3, 9)).note(
            paris(2026, 3, 3, 9, 30)
        )  # never answered: no first response at all
    french = _figures(session)["fr"].first_response
    assert (french.count, french.median_s) == (1, 3 * HOUR)


def test_pending_pauses_the_resolution_clock(session):
    opened = datetime(2026, 5, 4, 8, tzinfo=UTC)
    with unit_of_work(session):
        (
            Timeline(session, "de", opened)
            .reply(opened + timedelta(hours=2), Status.PENDING)
            .requester_wrote(opened + timedelta(hours=26))
            .status(opened + timedelta(hours=30), Status.RESOLVED)
        )
    german = _figures(session)["de"]
    assert german.first_response.median_s == 2 * HOUR
    assert (german.resolution.count, german.resolution.median_s) == (1, 6 * HOUR)


def test_a_reopened_ticket_counts_once_by_its_last_resolution(session):
    opened = datetime(2026, 5, 4, 8, tzinfo=UTC)
    with unit_of_work(session):
        (
            Timeline(session, "de", opened)
            .reply(opened + timedelta(hours=1), Status.RESOLVED)  # resolved 1 h in
            .requester_wrote(opened + timedelta(hours=50))  # reopened two days later
            .reply(opened + timedelta(hours=53), Status.RESOLVED)  # 3 more hours
        )
    resolution = _figures(session)["de"].resolution
    assert (resolution.count, resolution.median_s) == (1, 4 * HOUR)
    # Counted in the period of its last resolution, not its first.
    may_4 = Period(opened, opened + timedelta(hours=24))
    assert _figures(session, period=may_4)["de"].resolution.count == 0


def test_a_merged_ticket_is_one_conversation(session, make_user):
    coordinator = make_user(Role.COORDINATOR)
    opened = datetime(2026, 5, 4, 8, tzinfo=UTC)
    with unit_of_work(session):
        target = Timeline(session, "de", opened).ticket
        source = Timeline(session, "de", opened + timedelta(hours=1))
        source.reply(opened + timedelta(hours=3), Status.PENDING)
    with unit_of_work(session):
        merge_tickets(session, source.ticket, target, coordinator)
    first = _figures(session)["de"].first_response
    # The requester's first reply came 3 h after the conversation (the older ticket) opened.
    assert (first.count, first.median_s) == (1, 3 * HOUR)


def test_medians_and_90th_percentiles_per_language_liaison_and_period(session, make_user):
    camille, bruno = make_user(languages=("fr",)), make_user(languages=("fr",))
    start = datetime(2026, 6, 1, 6, tzinfo=UTC)
    with unit_of_work(session):
        for hours in range(1, 11):  # Camille: 1 h .. 10 h
            Timeline(session, "fr", start, camille).reply(start + timedelta(hours=hours))
        Timeline(session, "fr", start, bruno).reply(start + timedelta(hours=30))
        last_year = start - timedelta(days=365)
        Timeline(session, "fr", last_year, bruno).reply(last_year + timedelta(hours=7))
    french = _figures(session)["fr"]
    assert (french.first_response.count, french.first_response.median_s) == (11, 6 * HOUR)
    assert french.first_response.p90_s == 10 * HOUR
    assert (french.first_response_before.count, french.first_response_before.median_s) == (
        1,
        7 * HOUR,
    )
    liaisons = _figures(session, "assignee_id")
    mine = liaisons[camille.id].first_response
    assert (mine.count, mine.median_s, mine.p90_s) == (10, 5 * HOUR, 9 * HOUR)
    assert liaisons[bruno.id].first_response.median_s == 30 * HOUR
    only_camille = _figures(session, "assignee_id", Scope(assignee_id=camille.id))
    assert list(only_camille) == [camille.id]


def test_open_tickets_at_risk_and_in_breach_on_business_hours(session, office_hours):
    with unit_of_work(session):
        unanswered = Timeline(session, "fr", paris(2026, 3, 6, 16)).ticket  # Fri 16:00
        paused = Timeline(session, "fr", paris(2026, 3, 2, 9))
        paused.reply(paris(2026, 3, 2, 10), Status.PENDING)  # 1 h of resolution time, paused

    with unit_of_work(session):
        refresh_timings(session)

    def states(now):
        rows = session.execute(sla_states(Scope(), now)).all()
        return {row.ticket_id: row.state for row in rows}

    assert states(paris(2026, 3, 9, 12))[unanswered.id] == "ok"  # 4 working hours of 8
    assert states(paris(2026, 3, 9, 15))[unanswered.id] == "due_soon"  # 7 of 8
    assert states(paris(2026, 3, 10, 10))[unanswered.id] == "breached"  # 9 of 8
    # Pending for weeks: its resolution clock stopped at 1 h.
    assert states(paris(2026, 3, 30, 10))[paused.ticket.id] == "ok"
    breakdown = risk_breakdown(session, Scope(), paris(2026, 3, 10, 10))
    assert breakdown.by_language() == {"fr": (0, 1)}


def test_stored_timings_follow_new_tickets_and_policy_changes(session):
    with unit_of_work(session):
        Timeline(session, "de", paris(2026, 3, 6, 16)).reply(paris(2026, 3, 9, 10))
    assert _figures(session)["de"].first_response.median_s == 66 * HOUR  # calendar hours
    with unit_of_work(session):  # the queue now counts Berlin's working hours
        save_policy(
            session,
            session.get(Language, "de"),
            SlaSettings(8, 16, True, "Europe/Berlin", "09:00", "17:00", "12345"),
        )
    assert _figures(session)["de"].first_response.median_s == 2 * HOUR
    with unit_of_work(session):
        Timeline(session, "de", paris(2026, 3, 10, 9)).reply(paris(2026, 3, 10, 13))
    german = _figures(session)["de"].first_response
    assert (german.count, german.p90_s) == (2, 4 * HOUR)


def test_long_durations_are_rounded_to_two_significant_figures(session):
    opened = datetime(2026, 5, 4, 8, tzinfo=UTC)
    with unit_of_work(session):
        Timeline(session, "de", opened).reply(opened + timedelta(hours=37, minutes=25))
        Timeline(session, "es", opened).reply(opened + timedelta(hours=1, minutes=25))
        Timeline(session, "pt", opened).reply(opened + timedelta(hours=137))
    figures = _figures(session)
    assert figures["de"].first_response.median_s == 37 * HOUR
    assert figures["es"].first_response.median_s == 1.4 * HOUR
    assert figures["pt"].first_response.median_s == 140 * HOUR
