"""Machine mail threads in without waking the ticket; bounces fail the reply they report on."""

from helpdesk.core.models import (
    Direction,
    EventKind,
    OutboxMail,
    OutboxState,
    Status,
    Ticket,
    TicketEvent,
)
from helpdesk.core.services.outgoing_mail import MailSettings
from helpdesk.core.services.replies import ReplyInput, reply
from helpdesk.core.unit_of_work import unit_of_work

from ..factories import make_mail


def _answered_ticket(session, deliver, make_user):
    ticket = session.get(Ticket, deliver(make_mail(message_id="<q@example.com>")).ticket_id)
    with unit_of_work(session):
        sent = reply(
            session,
            ticket,
            make_user(languages=("en",)),
            ReplyInput("We will help."),
            MailSettings("help@example.org", "example.org"),
        )
    return ticket, sent


def dsn(original_message_id: str) -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mail.example.net>\r\n"
        "To: help@example.org\r\nReturn-Path: <>\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce-1@mail.example.net>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mail.example.net\r\n\r\n"
        "Final-Recipient: rfc822; requester@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        "From: help@example.org\r\nTo: requester@example.com\r\n"
        f"Message-ID: {original_message_id}\r\n"
        "Subject: Re: Question\r\n--B--\r\n"
    ).encode()


def test_bounce_fails_the_reply_and_lands_on_its_ticket(session, deliver, make_user):
    ticket, sent = _answered_ticket(session, deliver, make_user)
    result = deliver(dsn(sent.message_id))
    assert result.ticket_id == ticket.id
    outbox = session.query(OutboxMail).one()
    assert outbox.state == OutboxState.FAILED
    assert "5.1.1" in outbox.last_error
    bounce = ticket.messages[-1]
    assert bounce.direction == Direction.IN and bounce.automatic
    assert ticket.status == Status.PENDING  # a bounce is not the requester answering
    assert session.query(TicketEvent).filter_by(kind=EventKind.DELIVERY_FAILED).count() == 1


def test_out_of_office_threads_in_without_reopening(session, deliver, make_user):
    ticket, sent = _answered_ticket(session, deliver, make_user)
    waited_since = ticket.last_requester_message_at
    deliver(
        make_mail(
            subject="Automatic reply: Re: Question",
            in_reply_to=sent.message_id,
            extra_headers={"Auto-Submitted": "auto-replied"},
        )
    )
    session.refresh(ticket)
    assert len(ticket.messages) == 3 and ticket.messages[-1].automatic
    assert ticket.status == Status.PENDING
    assert ticket.last_requester_message_at == waited_since


def test_reply_from_someone_not_on_the_ticket_is_flagged(session, deliver, make_user):
    ticket, sent = _answered_ticket(session, deliver, make_user)
    deliver(make_mail(sender="stranger@example.net", in_reply_to=sent.message_id))
    deliver(make_mail(sender="requester@example.com", in_reply_to=sent.message_id))
    session.refresh(ticket)
    flags = [
        (m.from_email, m.unknown_sender) for m in ticket.messages if m.direction == Direction.IN
    ]
    assert flags == [
        ("requester@example.com", False),
        ("stranger@example.net", True),
        ("requester@example.com", False),
    ]
