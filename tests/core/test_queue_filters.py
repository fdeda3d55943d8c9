"""Queue filters and sort orders, on the service."""

from datetime import timedelta

from helpdesk.core.models import Role, Status, utcnow
from helpdesk.core.services.queues import (
    NO_LANGUAGE,
    NOBODY,
    QueueFilters,
    QueueSort,
    QueueView,
    list_queue,
    queue_counts,
)
from helpdesk.core.services.tags import add_tag
from helpdesk.core.unit_of_work import unit_of_work


def _ids(session, user, view=QueueView.ALL, sort=QueueSort.WAITING, **filters):
    page = list_queue(session, user, view, QueueFilters(**filters), sort)
    return [ticket.id for ticket in page.tickets]


def test_filters_narrow_the_view(session, make_user, create_ticket):
    coordinator = make_user(Role.COORDINATOR, languages=())
    liaison = make_user(languages=("de",))  # new German tickets go to this liaison
    french, german, spanish = create_ticket("fr"), create_ticket("de"), create_ticket("es")
    with unit_of_work(session):
        french.language_code = None  # in triage
        spanish.status = Status.PENDING
        spanish.first_response_at = utcnow()
        spanish.created_at = utcnow() - timedelta(days=4)
        add_tag(session, german, "Visa", coordinator)

    assert _ids(session, coordinator) == [french.id, german.id, spanish.id]
    assert _ids(session, coordinator, language="de") == [german.id]
    assert _ids(session, coordinator, language=NO_LANGUAGE) == [french.id]
    assert _ids(session, coordinator, assignee_id=liaison.id) == [german.id]
    assert _ids(session, coordinator, assignee_id=NOBODY) == [french.id, spanish.id]
    assert _ids(session, coordinator, tag="VISA ") == [german.id]
    assert _ids(session, coordinator, tag="unknown") == []
    assert _ids(session, coordinator, status=Status.PENDING) == [spanish.id]
    assert _ids(session, coordinator, older_than=timedelta(days=3)) == [spanish.id]
    assert _ids(session, coordinator, needs_first_response=True) == [french.id, german.id]


def test_status_filter_reaches_closed_tickets_but_waiting_stays_pending(
    session, make_user, create_ticket
):
    coordinator = make_user(Role.COORDINATOR, languages=())
    done, pending = create_ticket("fr"), create_ticket("fr")
    with unit_of_work(session):
        done.status = Status.RESOLVED
        pending.status = Status.PENDING
    assert _ids(session, coordinator) == [pending.id]
    assert _ids(session, coordinator, status=Status.RESOLVED) == [done.id]
    assert _ids(session, coordinator, QueueView.WAITING) == [pending.id]
    assert _ids(session, coordinator, QueueView.WAITING, status=Status.RESOLVED) == []


def test_filters_never_widen_what_a_liaison_sees(session, make_user, create_ticket):
    liaison = make_user(languages=("fr",))
    create_ticket("de")
    french = create_ticket("fr")
    assert _ids(session, liaison, QueueView.MINE, language="de") == []
    assert _ids(session, liaison, QueueView.MINE, status=Status.NEW) == [french.id]


def test_sort_orders(session, make_user, create_ticket):
    coordinator = make_user(Role.COORDINATOR, languages=())
    now = utcnow()
    a, b, c = create_ticket("fr"), create_ticket("fr"), create_ticket("fr")
    with unit_of_work(session):
        # a: opened first, answered last; c: opened last, waiting longest.
        a.created_at, a.last_requester_message_at = now - timedelta(days=3), now
        b.created_at, b.last_requester_message_at = (
            now - timedelta(days=2),
            now - timedelta(hours=5),
        )
        c.created_at, c.last_requester_message_at = now - timedelta(days=1), now - timedelta(days=1)
    assert _ids(session, coordinator) == [c.id, b.id, a.id]
    assert _ids(session, coordinator, sort=QueueSort.LATEST_MESSAGE) == [a.id, b.id, c.id]
    assert _ids(session, coordinator, sort=QueueSort.NEWEST) == [c.id, b.id, a.id]
    assert _ids(session, coordinator, sort=QueueSort.OLDEST) == [a.id, b.id, c.id]


def test_counts_per_view_in_one_go(session, make_user, create_ticket):
    liaison = make_user(languages=("fr",))
    coordinator = make_user(Role.COORDINATOR, languages=("fr",))
    mine = create_ticket("fr")  # routed to the only French liaison
    unassigned, waiting = create_ticket("de"), create_ticket("fr")
    with unit_of_work(session):
        unassigned.language_code = "fr"
        unassigned.assignee = None
        waiting.status = Status.PENDING
    assert mine.assignee_id == liaison.id
    assert queue_counts(session, liaison) == {
        QueueView.MINE: 2,
        QueueView.MY_LANGUAGES: 1,
        QueueView.WAITING: 1,
    }
    assert queue_counts(session, coordinator) == {
        QueueView.MINE: 0,
        QueueView.MY_LANGUAGES: 1,
        QueueView.WAITING: 1,
        QueueView.ALL: 3,
    }
