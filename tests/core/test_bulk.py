"""Bulk actions: each ticket gets its own event; only coordinators and admins may."""

import pytest

from helpdesk.core.models import EventKind, Role, Status, TicketEvent
from helpdesk.core.services.bulk import (
    bulk_add_tag,
    bulk_assign,
    bulk_change_status,
    tickets_by_ids,
)
from helpdesk.core.services.permissions import NotPermitted
from helpdesk.core.unit_of_work import unit_of_work


def _events(session, kind):
    return session.query(TicketEvent).filter_by(kind=kind).order_by(TicketEvent.id).all()


def test_coordinator_reassigns_several_tickets(session, make_user, create_ticket):
    first_liaison = make_user(languages=("fr",))
    second_liaison = make_user(languages=("de",))
    coordinator = make_user(Role.COORDINATOR, languages=())
    tickets = [create_ticket("fr"), create_ticket("fr")]
    assert {t.assignee_id for t in tickets} == {first_liaison.id}
    with unit_of_work(session):
        changed = bulk_assign(session, tickets, second_liaison, coordinator)
    assert changed == 2
    assert {t.assignee_id for t in tickets} == {second_liaison.id}
    events = [e for e in _events(session, EventKind.ASSIGNED) if e.actor_id == coordinator.id]
    assert sorted(e.ticket_id for e in events) == sorted(t.id for t in tickets)
    assert all(e.data["previous_assignee_id"] == first_liaison.id for e in events)

    with unit_of_work(session):
        assert bulk_assign(session, tickets, None, coordinator) == 2
    assert {t.assignee_id for t in tickets} == {None}


def test_bulk_status_and_tag_skip_tickets_already_there(session, make_user, create_ticket):
    admin = make_user(Role.ADMIN, languages=())
    tickets = [create_ticket("es"), create_ticket("pt")]
    with unit_of_work(session):
        tickets[0].status = Status.PENDING
    with unit_of_work(session):
        assert bulk_change_status(session, tickets, Status.PENDING, admin) == 1
        assert bulk_add_tag(session, tickets, "Press", admin) == 2
        assert bulk_add_tag(session, tickets, "press", admin) == 0
    assert {t.status for t in tickets} == {Status.PENDING}
    assert [[tag.name for tag in t.tags] for t in tickets] == [["press"], ["press"]]
    assert len(_events(session, EventKind.TAGGED)) == 2


def test_liaisons_may_not_act_in_bulk(session, make_user, create_ticket):
    liaison = make_user(languages=("fr",))
    ticket = create_ticket("fr")
    for action in (
        lambda: bulk_assign(session, [ticket], None, liaison),
        lambda: bulk_change_status(session, [ticket], Status.CLOSED, liaison),
        lambda: bulk_add_tag(session, [ticket], "x", liaison),
    ):
        with pytest.raises(NotPermitted):
            action()
    session.rollback()
    assert ticket.assignee_id == liaison.id and ticket.status == Status.NEW and ticket.tags == []


def test_tickets_by_ids_ignores_unknown_ids(session, create_ticket):
    newer_first = [create_ticket("fr"), create_ticket("de")][::-1]
    found = tickets_by_ids(session, [t.id for t in newer_first] + [999_999])
    assert found == newer_first[::-1]
