"""Tags: one per normalized name, every change in the event log."""

import pytest

from helpdesk.core.models import EventKind, Tag, TicketEvent
from helpdesk.core.services.tags import TagError, add_tag, normalize_tag_name, remove_tag
from helpdesk.core.unit_of_work import unit_of_work


def _tag_events(session, ticket):
    return [
        (event.kind, event.data["tag"])
        for event in session.query(TicketEvent)
        .filter(TicketEvent.ticket_id == ticket.id)
        .filter(TicketEvent.kind.in_([EventKind.TAGGED, EventKind.UNTAGGED]))
        .order_by(TicketEvent.id)
    ]


def test_names_are_normalized():
    assert normalize_tag_name("  Visa   HELP ") == "visa help"
    assert normalize_tag_name("Straße") == "strasse"


def test_same_tag_whatever_the_case_and_adding_twice_changes_nothing(
    session, make_user, create_ticket
):
    coordinator = make_user()
    first, second = create_ticket("fr"), create_ticket("de")
    with unit_of_work(session):
        add_tag(session, first, "Visa", coordinator)
        add_tag(session, first, " visa ", coordinator)
        add_tag(session, second, "VISA", coordinator)
    assert session.query(Tag).count() == 1
    assert [t.name for t in first.tags] == ["visa"] == [t.name for t in second.tags]
    assert _tag_events(session, first) == [(EventKind.TAGGED, "visa")]


def test_remove_tag_records_an_event_and_keeps_the_tag(session, make_user, create_ticket):
    liaison = make_user()
    ticket = create_ticket("fr")
    with unit_of_work(session):
        add_tag(session, ticket, "urgent", liaison)
    with unit_of_work(session):
        remove_tag(session, ticket, "Urgent", liaison)
        remove_tag(session, ticket, "never-there", liaison)
    assert ticket.tags == []
    assert session.query(Tag).count() == 1
    assert _tag_events(session, ticket) == [
        (EventKind.TAGGED, "urgent"),
        (EventKind.UNTAGGED, "urgent"),
    ]


@pytest.mark.parametrize("name", ["", "   ", "x" * 65])
def test_empty_or_long_names_are_refused(session, make_user, create_ticket, name):
    ticket = create_ticket("fr")
    with pytest.raises(TagError):
        add_tag(session, ticket, name, make_user())
