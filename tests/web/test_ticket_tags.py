"""Tags on the ticket page, and what a merged ticket's page says."""

from helpdesk.core.models import EventKind, Role, Ticket, TicketEvent
from helpdesk.core.services.merging import merge_tickets
from helpdesk.core.unit_of_work import unit_of_work


def test_liaison_adds_and_removes_a_tag(
    client, session, login_as, make_user, create_ticket, post_form
):
    ticket = create_ticket("fr")
    login_as(make_user(languages=("fr",)))
    url = f"/tickets/{ticket.id}"
    assert post_form(url, f"{url}/tags", {"name": "  Visa  Help "}).status_code == 302
    session.expire_all()
    assert [t.name for t in session.get(Ticket, ticket.id).tags] == ["visa help"]
    page = client.get(url).get_data(as_text=True)
    assert "<bdi>visa help</bdi>" in page
    post_form(url, f"{url}/tags", {"remove": "visa help"})
    session.expire_all()
    assert session.get(Ticket, ticket.id).tags == []
    kinds = [
        e.kind
        for e in session.query(TicketEvent).filter_by(ticket_id=ticket.id).order_by(TicketEvent.id)
    ]
    assert kinds[-2:] == [EventKind.TAGGED, EventKind.UNTAGGED]


def test_an_over_long_tag_is_refused(
    client, session, login_as, make_user, create_ticket, post_form
):
    ticket = create_ticket("fr")
    login_as(make_user(languages=("fr",)))
    url = f"/tickets/{ticket.id}"
    assert post_form(url, f"{url}/tags", {"name": "x" * 500}).status_code == 400
    assert session.get(Ticket, ticket.id).tags == []


def test_a_liaison_of_another_language_cannot_tag(client, login_as, make_user, create_ticket):
    ticket = create_ticket("fr")
    login_as(make_user(languages=("de",)))
    page = client.get("/queue/mine").get_data(as_text=True)
    from ..conftest import csrf_token

    response = client.post(
        f"/tickets/{ticket.id}/tags", data={"name": "x", "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 403


def test_merged_ticket_points_to_where_its_messages_went(
    client, session, login_as, make_user, create_ticket
):
    coordinator = make_user(Role.COORDINATOR, languages=("fr",))
    older, newer = create_ticket("fr"), create_ticket("fr", sender="other@example.com")
    with unit_of_work(session):
        merge_tickets(session, newer, older, coordinator)
    login_as(coordinator)
    page = client.get(f"/tickets/{newer.id}").get_data(as_text=True)
    assert "merged into another" in page
    assert f'href="/tickets/{older.id}"' in page
