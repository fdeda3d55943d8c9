"""Requesters without an address: replies refused with a typed error, and setting the address."""

import pytest

from helpdesk.core.errors import (
    NotPermitted,
    RequesterAddressAlreadySet,
    RequesterAddressInvalid,
    RequesterAddressIsOurs,
)
from helpdesk.core.models import (
    Contact,
    EventKind,
    Mailbox,
    Message,
    OutboxMail,
    Role,
    Ticket,
    TicketEvent,
)
from helpdesk.core.services.outgoing_mail import MailSettings
from helpdesk.core.services.replies import NoReplyAddressError, ReplyInput, add_note, reply
from helpdesk.core.services.requesters import (
    RequesterAddressError,
    set_requester_address,
)
from helpdesk.core.unit_of_work import unit_of_work

from ..factories import sample_mail

SETTINGS = MailSettings("help@example.org", "example.org")


@pytest.fixture
def no_address_ticket(deliver, session):
    data = sample_mail("fr").replace(b"From: ", b"X-Was-From: ", 1)
    return session.get(Ticket, deliver(b"From: Hanna Virtanen\n" + data).ticket_id)


def test_reply_to_no_address_raises_a_typed_error_and_queues_nothing(
    session, make_user, no_address_ticket
):
    liaison = make_user(languages=("fr",))
    with pytest.raises(NoReplyAddressError) as raised, unit_of_work(session):
        reply(session, no_address_ticket, liaison, ReplyInput("Bonjour."), SETTINGS)
    assert raised.value.ticket_id == no_address_ticket.id
    assert session.query(OutboxMail).count() == 0
    with unit_of_work(session):
        add_note(session, no_address_ticket, liaison, "Pas d'adresse.")
    assert session.query(Message).filter_by(direction="note").count() == 1


def test_setting_the_address_gives_it_to_the_requester(session, make_user, no_address_ticket):
    coordinator = make_user(role=Role.COORDINATOR)
    requester_id = no_address_ticket.requester.id
    with unit_of_work(session):
        contact = set_requester_address(
            session, no_address_ticket, coordinator, " Hanna@Example.FI "
        )
    assert (contact.id, contact.email) == (requester_id, "hanna@example.fi")
    [event] = session.query(TicketEvent).filter_by(kind=EventKind.REQUESTER_CHANGED).all()
    assert event.actor_id == coordinator.id
    assert event.data == {
        "address": "hanna@example.fi",
        "previous_contact_id": requester_id,
        "contact_id": requester_id,
    }
    # from now on, mail from that address on this ticket is the requester's
    with unit_of_work(session):
        reply(session, no_address_ticket, coordinator, ReplyInput("Bonjour."), SETTINGS)
    assert session.query(OutboxMail).one().recipients == "hanna@example.fi"


def test_an_address_a_contact_has_makes_it_the_requester(
    session, make_user, create_ticket, no_address_ticket
):
    known = create_ticket("de", sender="hanna@example.fi", sender_name="").requester
    previous = no_address_ticket.requester
    with unit_of_work(session):
        contact = set_requester_address(
            session, no_address_ticket, make_user(role=Role.ADMIN), "hanna@example.fi"
        )
    assert contact.id == known.id and no_address_ticket.requester_id == known.id
    assert (known.name, known.language_code) == ("Hanna Virtanen", "de")
    assert previous.email is None  # the stranger's contact is left as it was
    assert session.query(Contact).filter_by(email="hanna@example.fi").count() == 1


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("not an address", RequesterAddressInvalid),
        ("hanna@", RequesterAddressInvalid),
        ("hanna@example.test", RequesterAddressInvalid),  # reserved: no mail server takes it
        ("help@example.org", RequesterAddressIsOurs),
    ],
)
def test_bad_addresses_are_refused_with_the_problem(
    session, make_user, no_address_ticket, address, problem
):
    with unit_of_work(session):
        session.add(Mailbox(address="help@example.org"))
    with pytest.raises(RequesterAddressError) as raised, unit_of_work(session):
        set_requester_address(session, no_address_ticket, make_user(role=Role.ADMIN), address)
    assert type(raised.value) is problem
    session.expire_all()
    assert session.get(Ticket, no_address_ticket.id).requester.email is None


def test_only_address_less_requesters_and_only_coordinators(
    session, make_user, create_ticket, no_address_ticket
):
    with pytest.raises(NotPermitted):
        set_requester_address(
            session, no_address_ticket, make_user(languages=("fr",)), "hanna@example.fi"
        )
    ticket = create_ticket("fr")
    with pytest.raises(RequesterAddressError) as raised:
        set_requester_address(session, ticket, make_user(role=Role.ADMIN), "other@example.fi")
    assert isinstance(raised.value, RequesterAddressAlreadySet)
