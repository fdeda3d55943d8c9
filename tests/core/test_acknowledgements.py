"""Automatic acknowledgements: in the requester's language, with the reference and the expected
response time; never for machine mail, never in a loop, never for a bulk import."""

from datetime import timedelta
from email import message_from_bytes
from email.policy import default

import pytest

from helpdesk.core.models import (
    Direction,
    EventKind,
    Language,
    Mailbox,
    Message,
    OutboxMail,
    Ticket,
    TicketEvent,
)
from helpdesk.core.services.reply_templates import variants_for_ticket
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.database import seed_acknowledgement_texts
from mail_ingest.pipeline import IngestContext, ingest_batch

from ..factories import make_mail, sample_mail


@pytest.fixture(autouse=True)
def acknowledgement_texts(session):
    with unit_of_work(session):
        seed_acknowledgement_texts()


def _acknowledgements(session, ticket_id):
    return (
        session.query(Message)
        .filter_by(ticket_id=ticket_id, direction=Direction.OUT, automatic=True)
        .all()
    )


def test_new_ticket_is_acknowledged_in_its_language(session, deliver, make_user):
    make_user(languages=("de",))
    with unit_of_work(session):
        session.get(Language, "de").sla_policy.first_response_hours = 48
    result = deliver(sample_mail("de"))
    ticket = session.get(Ticket, result.ticket_id)
    [ack] = _acknowledgements(session, ticket.id)
    assert ack.language_code == "de"
    assert ack.to == ticket.requester.email
    assert f"#{ticket.id}" in ack.text and "48 Stunden" in ack.text
    assert ticket.requester.display_name in ack.text
    assert ack.in_reply_to == ticket.messages[0].message_id
    mail = message_from_bytes(
        session.query(OutboxMail).filter_by(message_id=ack.id).one().content, policy=default
    )
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["X-Auto-Response-Suppress"] == "All"
    assert mail["Content-Language"] == "de"
    assert f"[#{ticket.id}]" in mail["Subject"]
    # an acknowledgement is not a response: the clock keeps running for the liaison
    assert ticket.first_response_at is None
    [event] = session.query(TicketEvent).filter_by(
        ticket_id=ticket.id, kind=EventKind.AUTO_ACKNOWLEDGED
    )
    assert event.data == {"sent": True} and event.message_id == ack.id
    # and the system text is not offered to liaisons as a reply template
    assert all(
        v.template.key != "auto_acknowledgement" for v in variants_for_ticket(session, ticket)
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
        {"X-Auto-Response-Suppress": "All"},
    ],
)
def test_machine_mail_is_never_acknowledged(session, deliver, headers):
    result = deliver(sample_mail("fr", extra_headers=headers))
    assert result.ticket_id is not None
    assert _acknowledgements(session, result.ticket_id) == []


def test_mailer_daemon_is_never_acknowledged(session, deliver):
    result = deliver(sample_mail("fr", sender="MAILER-DAEMON@mx.example.com"))
    assert _acknowledgements(session, result.ticket_id) == []


def test_at_most_three_acknowledgements_per_sender_and_day(session, deliver):
    results = [
        deliver(sample_mail("es", subject=f"Pregunta número {n}", sender="ana@example.com"))
        for n in range(5)
    ]
    acknowledged = [bool(_acknowledgements(session, r.ticket_id)) for r in results]
    assert acknowledged == [True, True, True, False, False]
    limited = (
        session.query(TicketEvent)
        .filter_by(ticket_id=results[3].ticket_id, kind=EventKind.AUTO_ACKNOWLEDGED)
        .one()
    )
    assert limited.data == {"sent": False, "reason": "rate_limited"}
    # another sender is not affected
    other = deliver(sample_mail("es", sender="luis@example.com"))
    assert _acknowledgements(session, other.ticket_id)
    # once the window has passed, the first sender is acknowledged again
    with unit_of_work(session):
        for message in session.query(Message).filter_by(to="ana@example.com", automatic=True):
            message.created_at -= timedelta(hours=25)
    later = deliver(sample_mail("es", subject="Otra pregunta", sender="ana@example.com"))
    assert _acknowledgements(session, later.ticket_id)


def test_a_reply_on_an_existing_ticket_is_not_acknowledged(session, create_ticket, deliver):
    ticket = create_ticket("pt")
    deliver(sample_mail("pt", subject=f"Re: {ticket.subject} [#{ticket.id}]"))
    assert len(_acknowledgements(session, ticket.id)) == 1


def test_queue_can_switch_acknowledgements_off(session, deliver):
    with unit_of_work(session):
        session.get(Language, "ru").auto_acknowledge = False
    result = deliver(sample_mail("ru"))
    assert _acknowledgements(session, result.ticket_id) == []


def test_mail_from_one_of_our_own_addresses_is_not_acknowledged(session, deliver):
    with unit_of_work(session):
        session.add(Mailbox(address="help@example.org"))
    result = deliver(sample_mail("en", sender="help@example.org"))
    assert _acknowledgements(session, result.ticket_id) == []


def test_triage_tickets_are_not_acknowledged(session, deliver):
    result = deliver(make_mail(subject="?", body="ok"))
    ticket = session.get(Ticket, result.ticket_id)
    assert ticket.language_code is None
    assert _acknowledgements(session, ticket.id) == []


def test_bulk_import_of_old_mail_answers_nobody(app, session):
    context = IngestContext.from_config(app.config, live=False)
    results = ingest_batch(session, context, [(sample_mail("ja"), "import")])
    assert results[0].ticket_id is not None
    assert _acknowledgements(session, results[0].ticket_id) == []
    assert session.query(OutboxMail).count() == 0


def test_no_reply_address_is_never_acknowledged(session, deliver):
    data = sample_mail("fr").replace(b"From: ", b"X-Old-From: ", 1)
    result = deliver(b"From: Hanna Virtanen\n" + data)
    ticket = session.get(Ticket, result.ticket_id)
    assert ticket.requester.email is None and ticket.language.auto_acknowledge
    assert _acknowledgements(session, ticket.id) == []
    assert session.query(OutboxMail).count() == 0
    # the same mail with its address is acknowledged
    assert _acknowledgements(session, deliver(sample_mail("fr", subject="Autre")).ticket_id)
