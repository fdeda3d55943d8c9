"""The first-response badge: ok, due soon (last quarter of the promise), breached, answered."""

from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.core.models import Language
from helpdesk.core.services.sla import SlaState, first_response_sla, ticket_first_response_sla

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("elapsed", "state"),
    [
        (timedelta(0), SlaState.OK),
        (timedelta(hours=17, minutes=59), SlaState.OK),
        (timedelta(hours=18), SlaState.DUE_SOON),  # 24 h promise: the last 6 h
        (timedelta(hours=23, minutes=59), SlaState.DUE_SOON),
        (timedelta(hours=24), SlaState.BREACHED),
        (timedelta(days=9), SlaState.BREACHED),
    ],
)
def test_state_follows_the_time_left(elapsed, state):
    sla = first_response_sla(OPENED, None, 24, OPENED + elapsed)
    assert sla is not None
    assert sla.state == state
    assert sla.due_at == OPENED + timedelta(hours=24)


def test_the_quarter_scales_with_the_promise():
    assert first_response_sla(OPENED, None, 4, OPENED + timedelta(hours=2, minutes=59)).state == (
        SlaState.OK
    )
    assert first_response_sla(OPENED, None, 4, OPENED + timedelta(hours=3)).state == (
        SlaState.DUE_SOON
    )


def test_an_answered_ticket_has_no_first_response_badge():
    late_answer = OPENED + timedelta(days=3)
    assert first_response_sla(OPENED, late_answer, 24, OPENED + timedelta(days=5)) is None


def test_ticket_uses_its_queue_promise_and_triage_the_default(session, create_ticket):
    ticket = create_ticket("de")
    session.get(Language, "de").sla_policy.first_response_hours = 2
    opened = ticket.created_at
    sla = ticket_first_response_sla(ticket, opened + timedelta(hours=3))
    assert sla is not None and sla.state == SlaState.BREACHED
    ticket.language = None
    sla = ticket_first_response_sla(ticket, opened + timedelta(hours=3))
    assert sla is not None and sla.state == SlaState.OK  # 24 h by default
