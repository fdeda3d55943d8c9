"""Summary, highlight, presence and the requester's earlier tickets."""

from datetime import timedelta

import pytest

from helpdesk.core.errors import HighlightReasonMissing
from helpdesk.core.models import EventKind, Role, TicketEvent, TicketView, utcnow
from helpdesk.core.services.coordination import (
    HighlightInput,
    set_highlight,
    set_summary,
)
from helpdesk.core.services.presence import mark_viewing, others_viewing
from helpdesk.core.services.requester_history import earlier_tickets
from helpdesk.core.unit_of_work import unit_of_work


def _events(session, kind):
    return session.query(TicketEvent).filter_by(kind=kind).order_by(TicketEvent.id).all()


def test_summary_is_saved_with_an_event_only_when_it_changes(session, create_ticket, make_user):
    ticket, liaison = create_ticket("ja"), make_user(languages=("ja",))
    with unit_of_work(session):
        assert set_summary(session, ticket, liaison, " Asks to move the July meeting. ")
    with unit_of_work(session):
        assert not set_summary(session, ticket, liaison, "Asks to move the July meeting.")
    assert ticket.summary == "Asks to move the July meeting."
    [event] = _events(session, EventKind.SUMMARY_CHANGED)
    assert event.actor_id == liaison.id
    assert event.data == {"summary": "Asks to move the July meeting.", "previous": ""}


def test_highlight_needs_a_reason_and_clearing_drops_it(session, create_ticket, make_user):
    ticket, liaison = create_ticket("ja"), make_user(languages=("ja",))
    with pytest.raises(HighlightReasonMissing), unit_of_work(session):
        set_highlight(session, ticket, liaison, HighlightInput(True, "  "))
    with unit_of_work(session):
        set_highlight(session, ticket, liaison, HighlightInput(True, "Press enquiry"))
    assert (ticket.highlighted, ticket.highlight_reason) == (True, "Press enquiry")
    with unit_of_work(session):
        set_highlight(session, ticket, liaison, HighlightInput(False, "ignored"))
    assert (ticket.highlighted, ticket.highlight_reason) == (False, "")
    events = _events(session, EventKind.HIGHLIGHT_CHANGED)
    assert [e.data for e in events] == [
        {"highlighted": True, "reason": "Press enquiry"},
        {"highlighted": False, "reason": ""},
    ]


def test_presence_lists_others_seen_in_the_last_minute(session, create_ticket, make_user):
    ticket = create_ticket("fr")
    me, alex, gone = (make_user(languages=("fr",), name=n) for n in ("Me", "Alex", "Gone"))
    now = utcnow()
    with unit_of_work(session):
        mark_viewing(session, ticket, me, now)
        mark_viewing(session, ticket, alex, now - timedelta(seconds=10))
        mark_viewing(session, ticket, gone, now - timedelta(minutes=5))
    with unit_of_work(session):
        mark_viewing(session, ticket, alex, now)  # a heartbeat updates the one row
    assert [u.name for u in others_viewing(session, ticket, me, now)] == ["Alex"]
    assert session.query(TicketView).count() == 3


def test_earlier_tickets_are_only_those_the_viewer_may_see(session, create_ticket, make_user):
    first_fr = create_ticket("fr", subject="Première question")
    russian = create_ticket("ru", sender=first_fr.requester.email, subject="Вопрос")
    current = create_ticket("fr", sender=first_fr.requester.email, subject="Deuxième question")
    assert current.requester_id == first_fr.requester_id == russian.requester_id
    liaison = make_user(languages=("fr",))
    coordinator = make_user(role=Role.COORDINATOR, languages=())
    assert [t.id for t in earlier_tickets(session, current, liaison)] == [first_fr.id]
    assert {t.id for t in earlier_tickets(session, current, coordinator)} == {
        first_fr.id,
        russian.id,
    }
