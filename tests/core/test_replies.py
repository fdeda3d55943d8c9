"""Replies and notes: outbox rows, threading headers, statuses, safety of headers and templates."""

from email import message_from_bytes, policy

import pytest

from helpdesk.core.errors import DuplicateReply
from helpdesk.core.models import Direction, OutboxMail, OutboxState, Status
from helpdesk.core.services.outgoing_mail import MailSettings
from helpdesk.core.services.replies import ReplyError, ReplyInput, add_note, reply
from helpdesk.core.services.reply_templates import fill_placeholders, save_template
from helpdesk.core.unit_of_work import unit_of_work

from ..factories import make_mail

SETTINGS = MailSettings("help@example.org", "example.org")


def _reply(session, ticket, user, body="Merci, c'est noté.", status=Status.PENDING):
    with unit_of_work(session):
        return reply(session, ticket, user, ReplyInput(body, status), SETTINGS)


def test_reply_queues_one_mail_with_threading_headers(session, create_ticket, make_user):
    liaison = make_user(languages=("fr",))
    ticket = create_ticket("fr", message_id="<q1@example.com>")
    message = _reply(session, ticket, liaison)
    outbox = session.query(OutboxMail).one()
    assert outbox.state == OutboxState.QUEUED
    mail = message_from_bytes(outbox.content, policy=policy.default)
    assert mail["Message-ID"] == message.message_id
    assert mail["Message-ID"].endswith("@example.org>")
    assert mail["In-Reply-To"] == "<q1@example.com>"
    assert mail["References"] == "<q1@example.com>"
    assert f"[#{ticket.id}]" in mail["Subject"]
    assert mail["Subject"].startswith("Re: ")
    assert mail["Content-Language"] == "fr"
    assert mail.get_body(("plain",)).get_content().strip() == "Merci, c'est noté."
    assert ticket.first_response_at == message.created_at
    assert ticket.status == Status.PENDING


def test_reply_is_sent_from_the_address_the_requester_wrote_to(session, deliver, make_user):
    from helpdesk.core.models import Mailbox, Ticket

    with unit_of_work(session):
        session.add(Mailbox(address="fr@example.org", default_language_code="fr"))
    ticket = session.get(Ticket, deliver(make_mail(to="fr@example.org")).ticket_id)
    _reply(session, ticket, make_user())
    outbox = session.query(OutboxMail).one()
    assert outbox.mail_from == "fr@example.org"


def test_untrusted_subject_and_name_cannot_inject_headers(session, create_ticket, make_user):
    ticket = create_ticket("en", subject="Hello")
    with unit_of_work(session):
        ticket.subject = "Hello\r\nBcc: victim@example.net"
        ticket.requester.name = "Eve\nBcc: other@example.net"
    _reply(session, ticket, make_user(languages=("en",)))
    mail = message_from_bytes(session.query(OutboxMail).one().content, policy=policy.default)
    assert mail["Bcc"] is None
    assert "\n" not in mail["Subject"]


def test_empty_reply_is_refused_and_nothing_is_queued(session, create_ticket, make_user):
    ticket = create_ticket("fr")
    with pytest.raises(ReplyError):
        _reply(session, ticket, make_user(), body="   \n ")
    assert session.query(OutboxMail).count() == 0


def test_note_is_never_mailed(session, create_ticket, make_user):
    ticket = create_ticket("de")
    with unit_of_work(session):
        note = add_note(session, ticket, make_user(languages=("de",)), "Called them back.")
    assert note.direction == Direction.NOTE
    assert session.query(OutboxMail).count() == 0


def test_placeholders_fill_only_plain_names():
    body = "Hi {requester_name}, {ticket_ref}. {requester_name.__class__} {unknown}"
    filled = fill_placeholders(body, {"requester_name": "Ana", "ticket_ref": "#4"})
    assert filled == "Hi Ana, #4. {requester_name.__class__} {unknown}"


def test_template_variants_are_saved_per_language(session):
    with unit_of_work(session):
        template = save_template(
            session,
            "thanks",
            "Thanks",
            {"fr": ("Merci", "Bonjour {requester_name}"), "de": ("Danke", "Hallo")},
        )
    with unit_of_work(session):
        save_template(session, "thanks", "Thanks", {"fr": ("Merci", "Bonjour à vous")})
    assert {v.language_code: v.body for v in template.variants} == {
        "fr": "Bonjour à vous",
        "de": "Hallo",
    }


def test_apostrophe_addresses_can_be_answered(session, deliver, make_user):
    from helpdesk.core.models import Ticket

    ticket = session.get(Ticket, deliver(make_mail(sender="sean.o'brien@example.ie")).ticket_id)
    _reply(session, ticket, make_user(languages=(ticket.language_code,)))
    mail = message_from_bytes(session.query(OutboxMail).one().content, policy=policy.default)
    assert mail["To"].addresses[0].addr_spec == "sean.o'brien@example.ie"


def test_a_double_submitted_reply_is_sent_once(session, create_ticket, make_user):
    ticket = create_ticket("fr")
    liaison = make_user(languages=("fr",))
    _reply(session, ticket, liaison, body="Merci, c'est noté.")
    with pytest.raises(DuplicateReply):
        _reply(session, ticket, liaison, body="Merci, c'est noté.")
    _reply(session, ticket, liaison, body="Et une autre précision.")
    assert session.query(OutboxMail).count() == 2
