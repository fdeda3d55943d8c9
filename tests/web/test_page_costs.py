"""The queries the pages a liaison opens all day cost, pinned: each of these pages runs on
every click of every liaison, so a query more is a choice (docs/scaling.md, bench/load.py)."""

from __future__ import annotations

from helpdesk.core.models import Ticket
from helpdesk.core.services.tickets import assign
from helpdesk.core.unit_of_work import unit_of_work


def _mine(session, liaison, tickets: list[Ticket]) -> None:
    with unit_of_work(session):
        for ticket in tickets:
            assign(session, ticket, liaison, liaison)


def test_my_queue_costs_nine_queries_whatever_its_size(
    client, session, login_as, make_user, create_ticket, count_queries
):
    liaison = make_user(languages=("fr", "de"))
    _mine(session, liaison, [create_ticket("fr")])
    login_as(liaison)
    with count_queries() as small:
        assert client.get("/queue/mine").status_code == 200
    _mine(session, liaison, [create_ticket(code) for code in ("fr", "de", "fr", "de")])
    with count_queries() as large:
        page = client.get("/queue/mine").get_data(as_text=True)
    assert page.count('href="/tickets/') >= 5
    # the user, their languages, the view's count and page, the rows' languages and tags, the
    # tabs' counts, the page's SLA badges (and the language list of the filters)
    assert small.count == large.count == 9


def test_ticket_page_looks_up_related_terms_once(
    client, session, login_as, make_user, create_ticket, count_queries
):
    liaison = make_user(languages=("fr",))
    ticket_id = create_ticket("fr").id
    create_ticket("fr", subject="Une autre question")
    login_as(liaison)
    counts = []
    for _ in range(2):
        with count_queries() as counter:
            assert client.get(f"/tickets/{ticket_id}").status_code == 200
        counts.append(counter.count)
    # the second view reuses the ticket's distinctive terms: no looking up of the index's size
    # and vocabulary (one query on PostgreSQL, one per term on SQLite)
    assert counts[1] < counts[0]
    assert counts[1] == 19


def test_ticket_page_in_another_language_is_still_translated(
    client, session, login_as, make_user, create_ticket
):
    liaison = make_user(languages=("fr",))
    with unit_of_work(session):
        liaison.locale = "fr"
    ticket = create_ticket("fr")
    login_as(liaison)
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert "Envoyer, laisser ouvert" in page
