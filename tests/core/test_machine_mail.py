"""Machine mail threads in without waking the ticket; bounces fail the reply they report on."""

import json

import pytest

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


def qmail_bounce(original_message_id: str) -> bytes:
    """A text bounce (no DSN part), the returned mail's headers quoted in the text."""
    return (
        "From: MAILER-DAEMON@mail.example.net\r\nTo: help@example.org\r\n"
        "Subject: failure notice\r\nMessage-ID: <bounce-2@mail.example.net>\r\n\r\n"
        "Hi. This is the qmail-send program at mail.example.net.\r\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\r\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\r\n\r\n"
        "<requester@example.com>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n\r\n"
        "--- Below this line is a copy of the message.\r\n\r\n"
        "From: help@example.org\r\nTo: requester@example.com\r\n"
        f"Message-ID: {original_message_id}\r\nSubject: Re: Question\r\n\r\nWe will help.\r\n"
    ).encode()


def vendor_bounce(original_message_id: str) -> bytes:
    """A gateway's bounce written as a reply ("RE: ...: non remis"), from an ordinary address."""
    return (
        "From: gateway.notices@example.net\r\nTo: help@example.org\r\n"
        "Subject: RE: Re: Question : non remis\r\nMessage-ID: <ndr-3@example.net>\r\n"
        f"In-Reply-To: {original_message_id}\r\n\r\n"
        "***********************************************\r\n"
        "Votre message n'a pas pu etre delivre a\r\nrequester@example.com\r\n\r\n"
        "***********************************************\r\n"
        "Your message could not be delivered to\r\nrequester@example.com\r\n\r\n"
        "***********************************************\r\n"
    ).encode()


def ses_notice(original_message_id: str) -> bytes:
    """Amazon SES's bounce notification, delivered by SNS as JSON."""
    notice = {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": "Permanent",
            "bounceSubType": "General",
            "bouncedRecipients": [{"emailAddress": "requester@example.com"}],
        },
        "mail": {"commonHeaders": {"messageId": original_message_id}},
    }
    envelope = {"Type": "Notification", "Message": json.dumps(notice)}
    return (
        "From: AWS Notifications <no-reply@sns.amazonaws.com>\r\nTo: help@example.org\r\n"
        "Subject: AWS Notification Message\r\nMessage-ID: <sns-4@amazonses.com>\r\n"
        f"Content-Type: text/plain; charset=UTF-8\r\n\r\n{json.dumps(envelope)}\r\n"
    ).encode()


@pytest.mark.parametrize(
    "bounce", [qmail_bounce, vendor_bounce, ses_notice], ids=lambda f: f.__name__
)
def test_a_non_standard_bounce_fails_the_reply_it_reports_on(session, deliver, make_user, bounce):
    ticket, sent = _answered_ticket(session, deliver, make_user)
    result = deliver(bounce(sent.message_id))
    assert result.ticket_id == ticket.id
    outbox = session.query(OutboxMail).one()
    assert outbox.state == OutboxState.FAILED
    assert outbox.last_error.startswith("bounced: ")
    assert ticket.messages[-1].automatic
    assert ticket.status == Status.PENDING
    assert session.query(TicketEvent).filter_by(kind=EventKind.DELIVERY_FAILED).count() == 1


def test_a_complaint_report_is_machine_mail_and_fails_nothing(session, deliver, make_user):
    ticket, sent = _answered_ticket(session, deliver, make_user)
    arf = (
        "From: feedback@fbl.example.net\r\nTo: help@example.org\r\n"
        "Subject: Abuse report\r\nMessage-ID: <arf-5@fbl.example.net>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=feedback-report; boundary="F"\r\n\r\n'
        "--F\r\nContent-Type: text/plain\r\n\r\nThis is an email abuse report.\r\n"
        "--F\r\nContent-Type: message/feedback-report\r\n\r\n"
        "Feedback-Type: abuse\r\nUser-Agent: Example-FBL/1.0\r\nVersion: 1\r\n"
        "--F\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: help@example.org\r\nTo: requester@example.com\r\nMessage-ID: {sent.message_id}\r\n"
        "--F--\r\n"
    ).encode()
    deliver(arf)
    assert session.query(OutboxMail).one().state != OutboxState.FAILED
    assert ticket.status == Status.PENDING
