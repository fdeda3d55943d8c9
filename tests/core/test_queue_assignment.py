"""Who gets a new ticket: per-queue strategy, round robin among equals, away liaisons, and what
a person's language correction does."""

from datetime import timedelta

import pytest

from helpdesk.core.errors import LanguageNotOffered, ReturnDateInPast
from helpdesk.core.models import (
    AssignmentStrategy,
    Contact,
    EventKind,
    Language,
    Status,
    TicketEvent,
    utcnow,
)
from helpdesk.core.services.routing import choose_liaison, correct_language
from helpdesk.core.services.tickets import change_status
from helpdesk.core.services.users import set_away
from helpdesk.core.unit_of_work import unit_of_work

from ..factories import sample_mail


def _events(session, ticket, kind):
    return session.query(TicketEvent).filter_by(ticket_id=ticket.id, kind=kind).all()


def test_equally_loaded_liaisons_take_turns(session, make_user, create_ticket):
    """Each ticket is resolved at once, so all three are always equally loaded: the next one
    goes to whoever waited longest, not always to the same person."""
    liaisons = [make_user(languages=("es",)) for _ in range(3)]
    order = []
    for _ in range(6):
        ticket = create_ticket("es")
        order.append(ticket.assignee_id)
        with unit_of_work(session):
            change_status(session, ticket, Status.RESOLVED, None)
    ids = [user.id for user in liaisons]
    assert order == ids + ids


def test_unassigned_queue_leaves_tickets_for_liaisons_to_claim(session, make_user, create_ticket):
    make_user(languages=("ru",))
    with unit_of_work(session):
        session.get(Language, "ru").assignment_strategy = AssignmentStrategy.UNASSIGNED
    ticket = create_ticket("ru")
    assert ticket.language_code == "ru"
    assert ticket.assignee is None
    assert choose_liaison(session, "ru") is None
    # the other queues still assign
    make_user(languages=("de",))
    assert create_ticket("de").assignee is not None


def test_away_liaison_gets_nothing_until_the_return_date(session, make_user, create_ticket):
    present = make_user(languages=("pt",))
    away = make_user(languages=("pt",))
    with unit_of_work(session):
        set_away(away, True, utcnow() + timedelta(days=3), utcnow())
    assert {create_ticket("pt").assignee_id for _ in range(3)} == {present.id}
    with unit_of_work(session):  # the return date has come
        away.away_until = utcnow() - timedelta(minutes=1)
    assert create_ticket("pt").assignee_id == away.id


def test_away_without_return_date_lasts_until_switched_off(session, make_user, create_ticket):
    liaison = make_user(languages=("hi",))
    with unit_of_work(session):
        set_away(liaison, True, None, utcnow())
    assert create_ticket("hi").assignee is None
    with unit_of_work(session):
        set_away(liaison, False, None, utcnow())
    assert create_ticket("hi").assignee_id == liaison.id


def test_a_return_date_in_the_past_is_refused(make_user):
    liaison = make_user()
    with pytest.raises(ReturnDateInPast):
        set_away(liaison, True, utcnow() - timedelta(hours=1), utcnow())


def test_replies_keep_the_ticket_with_its_liaison(session, make_user, create_ticket, deliver):
    first = make_user(languages=("fr",))
    ticket = create_ticket("fr")
    assert ticket.assignee_id == first.id
    make_user(languages=("fr",))  # now someone has fewer tickets
    message_id = ticket.messages[0].message_id
    result = deliver(sample_mail("fr", subject=f"Re: {ticket.subject}", in_reply_to=message_id))
    assert result.ticket_id == ticket.id
    session.refresh(ticket)
    assert ticket.assignee_id == first.id


def test_correcting_the_language_reroutes_and_teaches_the_requester(
    session, make_user, create_ticket
):
    french = make_user(languages=("fr",))
    spanish = make_user(languages=("es",))
    coordinator = make_user(languages=("fr", "es"))
    ticket = create_ticket("fr")
    assert ticket.assignee_id == french.id
    with unit_of_work(session):
        correct_language(session, ticket, "es", coordinator)
    assert ticket.language_code == "es"
    assert ticket.routing_rule == "corrected"
    assert ticket.assignee_id == spanish.id
    [changed] = _events(session, ticket, EventKind.LANGUAGE_CHANGED)
    assert changed.data == {"language": "es", "previous": "fr"}
    assert changed.actor_id == coordinator.id
    [assigned] = _events(session, ticket, EventKind.ASSIGNED)
    assert assigned.data["assignee_id"] == spanish.id
    requester = session.get(Contact, ticket.requester_id)
    assert requester.language_code == "es"


def test_a_liaison_who_speaks_the_corrected_language_keeps_the_ticket(
    session, make_user, create_ticket
):
    bilingual = make_user(languages=("fr", "pt"))
    make_user(languages=("pt",))
    ticket = create_ticket("fr")
    assert ticket.assignee_id == bilingual.id
    with unit_of_work(session):
        correct_language(session, ticket, "pt", bilingual)
    assert ticket.assignee_id == bilingual.id
    assert _events(session, ticket, EventKind.ASSIGNED) == []


def test_correction_to_triage_unassigns(session, make_user, create_ticket):
    make_user(languages=("de",))
    ticket = create_ticket("de")
    with unit_of_work(session):
        correct_language(session, ticket, None, None)
    assert ticket.language_code is None and ticket.assignee is None


def test_correction_to_an_unknown_language_is_refused(session, create_ticket):
    ticket = create_ticket("de")
    with pytest.raises(LanguageNotOffered, match="xx"):
        correct_language(session, ticket, "xx", None)
    assert ticket.language_code == "de"


def test_a_corrected_requester_is_routed_by_that_language_next_time(
    session, make_user, create_ticket, deliver
):
    from helpdesk.core.models import Ticket

    ticket = create_ticket("fr")
    with unit_of_work(session):
        correct_language(session, ticket, "pt", None)
    # next time they write something too short to detect
    result = deliver(sample_mail("fr", subject="?", body="ok", message_id="<short@example.com>"))
    follow_up = session.get(Ticket, result.ticket_id)
    assert follow_up.id != ticket.id
    assert follow_up.language_code == "pt"
    assert follow_up.routing_rule == "requester_language"
