"""A ticket whose requester has no address: the composer says why it cannot send, notes still
work, and a coordinator (not a liaison) sets the address on the requester card."""

import re

import pytest

from helpdesk.core.models import (
    Contact,
    Direction,
    EventKind,
    Message,
    OutboxMail,
    Role,
    Ticket,
    TicketEvent,
)

from ..conftest import csrf_token
from ..factories import sample_mail


def _seen_id(page: str) -> str:
    return re.search(r'name="seen_message_id" type="hidden" value="(\d+)"', page).group(1)


@pytest.fixture
def no_address_ticket(deliver, session):
    data = sample_mail("fr").replace(b"From: ", b"X-Was-From: ", 1)
    result = deliver(b"From: Hanna Virtanen\n" + data)
    ticket = session.get(Ticket, result.ticket_id)
    assert ticket.requester.email is None
    return ticket


def _compose(client, ticket, data):
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "seen_message_id": _seen_id(page), **data}
    return client.post(f"/tickets/{ticket.id}/reply", data=form)


def _set_address(client, ticket, address):
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    return client.post(
        f"/tickets/{ticket.id}/requester-address",
        data={"csrf_token": csrf_token(page), "address": address},
    )


def test_the_composer_says_why_it_cannot_send(client, make_user, login_as, no_address_ticket):
    login_as(make_user(languages=("fr",)))
    page = client.get(f"/tickets/{no_address_ticket.id}").get_data(as_text=True)
    assert "composer-no-address" in page and "replies cannot be sent" in page
    assert 'name="send"' not in page and 'name="send_resolve"' not in page
    assert 'name="note"' in page
    assert "no reply address" in page and "Hanna Virtanen" in page
    # a liaison gets no form to set it, only a hint
    assert "requester-address-form" not in page
    assert "A coordinator can set their address" in page


def test_a_reply_is_refused_while_a_note_is_saved(
    client, session, make_user, login_as, no_address_ticket
):
    login_as(make_user(languages=("fr",)))
    refused = _compose(client, no_address_ticket, {"body": "Bonjour Hanna.", "send": "1"})
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "Not sent: this requester has no address." in page
    assert "Bonjour Hanna." in page  # the text is kept, to save as a note
    assert session.query(OutboxMail).count() == 0
    assert session.query(Message).filter_by(direction=Direction.OUT).count() == 0
    noted = _compose(client, no_address_ticket, {"body": "Pas d'adresse.", "note": "1"})
    assert noted.status_code == 302
    assert session.query(Message).filter_by(direction=Direction.NOTE).one().text == (
        "Pas d'adresse."
    )


def test_a_coordinator_sets_the_address_and_can_then_reply(
    client, session, make_user, login_as, no_address_ticket
):
    login_as(make_user(role=Role.COORDINATOR))
    page = client.get(f"/tickets/{no_address_ticket.id}").get_data(as_text=True)
    assert "requester-address-form" in page
    response = _set_address(client, no_address_ticket, "Hanna.Virtanen@Example.FI")
    assert response.status_code == 302
    session.expire_all()
    ticket = session.get(Ticket, no_address_ticket.id)
    assert ticket.requester.email == "hanna.virtanen@example.fi"
    event = session.query(TicketEvent).filter_by(kind=EventKind.REQUESTER_CHANGED).one()
    assert event.data["address"] == "hanna.virtanen@example.fi"
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "now go to hanna.virtanen@example.fi" in follow
    assert 'name="send"' in follow and "composer-no-address" not in follow
    assert _compose(client, ticket, {"body": "Bonjour Hanna.", "send": "1"}).status_code == 302
    [mail] = session.query(OutboxMail).all()
    assert mail.recipients == "hanna.virtanen@example.fi"


def test_a_known_address_makes_that_contact_the_requester(
    client, session, make_user, login_as, create_ticket, no_address_ticket
):
    known = create_ticket("fr", sender="hanna@example.fi", sender_name="").requester
    login_as(make_user(role=Role.ADMIN))
    assert _set_address(client, no_address_ticket, "HANNA@example.fi").status_code == 302
    session.expire_all()
    ticket = session.get(Ticket, no_address_ticket.id)
    assert ticket.requester.id == known.id
    assert ticket.requester.name == "Hanna Virtanen"  # its empty name filled
    assert session.query(Contact).filter_by(email="hanna@example.fi").count() == 1


@pytest.mark.parametrize("address", ["not an address", "hanna@", "help@example.org", ""])
def test_a_bad_address_is_shown_again_with_the_reason(
    client, session, make_user, login_as, no_address_ticket, address
):
    from helpdesk.core.models import Mailbox
    from helpdesk.core.unit_of_work import unit_of_work

    with unit_of_work(session):
        session.add(Mailbox(address="help@example.org", default_language_code="fr"))
    login_as(make_user(role=Role.COORDINATOR))
    response = _set_address(client, no_address_ticket, address)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="field has-error"' in page and f'value="{address}"' in page
    if address == "help@example.org":
        assert "one of the helpdesk&#39;s own addresses" in page
    elif address:
        assert "not a valid email address" in page
    session.expire_all()
    assert session.get(Ticket, no_address_ticket.id).requester.email is None
    assert session.query(TicketEvent).filter_by(kind=EventKind.REQUESTER_CHANGED).count() == 0


def test_a_liaison_may_not_set_the_address(client, session, make_user, login_as, no_address_ticket):
    login_as(make_user(languages=("fr",)))
    page = client.get(f"/tickets/{no_address_ticket.id}").get_data(as_text=True)
    response = client.post(
        f"/tickets/{no_address_ticket.id}/requester-address",
        data={"csrf_token": csrf_token(page), "address": "hanna@example.fi"},
    )
    assert response.status_code == 403
    session.expire_all()
    assert session.get(Ticket, no_address_ticket.id).requester.email is None


def test_the_queue_marks_the_ticket(client, make_user, login_as, no_address_ticket):
    login_as(make_user(role=Role.COORDINATOR))
    page = client.get("/queue/all").get_data(as_text=True)
    row = page[page.index(f"/tickets/{no_address_ticket.id}") :][:2000]
    assert "Hanna Virtanen" in row and "no reply address" in row
