"""The outbox: delivery over real SMTP, retries with backoff, permanent failures, the folder."""

from datetime import timedelta
from email import message_from_bytes, policy

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.core.models import EventKind, OutboxMail, OutboxState, TicketEvent, utcnow
from helpdesk.core.services.outbox import claim_due_mail, lease_mail
from helpdesk.core.services.outgoing_mail import MailSettings
from helpdesk.core.services.replies import ReplyInput, reply
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.extensions import db
from helpdesk.workers.outbox import deliver_due
from helpdesk.workers.transports import FolderTransport, SMTPTransport


def _queue_reply(session, create_ticket, make_user):
    ticket = create_ticket("es")
    with unit_of_work(session):
        reply(
            session,
            ticket,
            make_user(languages=("es",)),
            ReplyInput("Gracias."),
            MailSettings("help@example.org", "example.org"),
        )
    return session.query(OutboxMail).one()


def _smtp(sink):
    return SMTPTransport(sink.host, sink.port, "none", "", "", timeout=5)


def test_queued_reply_is_delivered_once_over_smtp(session, create_ticket, make_user, smtp_sink):
    mail = _queue_reply(session, create_ticket, make_user)
    assert deliver_due(session, _smtp(smtp_sink), max_attempts=3) == 1
    assert deliver_due(session, _smtp(smtp_sink), max_attempts=3) == 0
    session.refresh(mail)
    assert mail.state == OutboxState.SENT
    assert mail.delivered_to == f"smtp:{smtp_sink.host}:{smtp_sink.port}"
    [received] = smtp_sink.handler.messages
    assert received["Message-ID"] == mail.message.message_id
    assert smtp_sink.handler.envelopes == [("help@example.org", [mail.recipients])]


def test_temporary_failure_retries_later_with_the_same_message_id(
    session, create_ticket, make_user, smtp_sink
):
    mail = _queue_reply(session, create_ticket, make_user)
    smtp_sink.handler.replies.append("451 4.3.0 try later")
    deliver_due(session, _smtp(smtp_sink), max_attempts=3)
    session.refresh(mail)
    assert mail.state == OutboxState.QUEUED
    assert mail.next_attempt_at > utcnow() + timedelta(seconds=20)
    assert "451" in mail.last_error
    with unit_of_work(session):
        mail.next_attempt_at = utcnow()
    deliver_due(session, _smtp(smtp_sink), max_attempts=3)
    session.refresh(mail)
    assert mail.state == OutboxState.SENT
    assert smtp_sink.handler.messages[0]["Message-ID"] == mail.message.message_id


def test_permanent_failure_is_recorded_on_the_ticket(session, create_ticket, make_user, smtp_sink):
    mail = _queue_reply(session, create_ticket, make_user)
    smtp_sink.handler.replies.append("550 5.1.1 no such user")
    deliver_due(session, _smtp(smtp_sink), max_attempts=3)
    session.refresh(mail)
    assert mail.state == OutboxState.FAILED
    event = session.query(TicketEvent).filter_by(kind=EventKind.DELIVERY_FAILED).one()
    assert event.ticket_id == mail.message.ticket_id
    assert "550" in event.data["error"]


def test_unreachable_server_leaves_the_reply_queued(
    session, create_ticket, make_user, closed_smtp_port
):
    mail = _queue_reply(session, create_ticket, make_user)
    transport = SMTPTransport("127.0.0.1", closed_smtp_port, "none", "", "", timeout=5)
    deliver_due(session, transport, max_attempts=3)
    session.refresh(mail)
    assert mail.state == OutboxState.QUEUED
    assert mail.attempts == 1
    assert "refused" in mail.last_error.lower()


def test_a_stalled_claim_is_taken_again_after_the_lease(session, create_ticket, make_user):
    mail = _queue_reply(session, create_ticket, make_user)
    with unit_of_work(session):
        assert claim_due_mail(session) == [mail]  # a worker claims it, then dies
    with unit_of_work(session):
        assert claim_due_mail(session) == []
        assert claim_due_mail(session, now=utcnow() + timedelta(minutes=6)) == [mail]
    assert mail.attempts == 2


def test_two_workers_that_read_the_same_due_mail_lease_it_once(
    app, session, create_ticket, make_user
):
    """SQLite reads outside the write lock: both workers see the mail due; one lease holds."""
    mail = _queue_reply(session, create_ticket, make_user)
    other = Session(db.engine)
    try:
        seen_by_both = other.execute(select(OutboxMail.next_attempt_at)).scalar_one()
        with unit_of_work(session):
            assert claim_due_mail(session) == [mail]  # the first worker
        with unit_of_work(other):  # the second, acting on what it read before
            assert not lease_mail(other, mail.id, seen_by_both, utcnow() + timedelta(minutes=5))
    finally:
        other.close()
    session.refresh(mail)
    assert mail.attempts == 1


def test_without_smtp_host_mail_is_written_to_a_folder(session, create_ticket, make_user, tmp_path):
    mail = _queue_reply(session, create_ticket, make_user)
    deliver_due(session, FolderTransport(tmp_path / "out"), max_attempts=3)
    session.refresh(mail)
    written = tmp_path / "out" / f"outbox-{mail.id}.eml"
    assert mail.delivered_to == f"file:{written}"
    parsed = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert parsed["Message-ID"] == mail.message.message_id


def test_multipart_reply_with_attachment_survives_a_temporary_failure(
    app, session, create_ticket, make_user, smtp_sink
):
    from helpdesk.core.blob_stores import blob_store
    from helpdesk.core.services.outgoing_mail import OutgoingAttachment

    ticket = create_ticket("ar")
    with unit_of_work(session):
        reply(
            session,
            ticket,
            make_user(languages=("ar",)),
            ReplyInput(
                "شكرا لرسالتك",
                attachments=(OutgoingAttachment.cleaned("جدول.pdf", "application/pdf", b"%PDF"),),
            ),
            MailSettings("help@example.org", "example.org"),
            blob_store(app.config, "attachments"),
        )
    mail = session.query(OutboxMail).one()
    smtp_sink.handler.replies.append("452 4.3.1 insufficient system storage")
    deliver_due(session, _smtp(smtp_sink), max_attempts=3)
    session.refresh(mail)
    assert (mail.state, smtp_sink.handler.messages) == (OutboxState.QUEUED, [])
    with unit_of_work(session):
        mail.next_attempt_at = utcnow()
    deliver_due(session, _smtp(smtp_sink), max_attempts=3)
    session.refresh(mail)
    assert mail.state == OutboxState.SENT and mail.attempts == 2
    [received] = smtp_sink.handler.messages
    assert received["Message-ID"] == mail.message.message_id
    assert received.get_content_type() == "multipart/mixed"
    assert received["Content-Language"] == "ar"
    assert received.get_body(("plain",)).get_content().strip() == "شكرا لرسالتك"
    assert 'dir="rtl"' in received.get_body(("html",)).get_content()
    [attachment] = received.iter_attachments()
    assert (attachment.get_filename(), attachment.get_content()) == ("جدول.pdf", b"%PDF")


def test_temporary_failures_until_the_last_attempt_fail_the_mail_on_the_ticket(
    session, create_ticket, make_user, smtp_sink
):
    mail = _queue_reply(session, create_ticket, make_user)
    smtp_sink.handler.replies.extend(["421 4.4.2 timeout", "450 4.2.0 mailbox busy"])
    deliver_due(session, _smtp(smtp_sink), max_attempts=2)
    session.refresh(mail)
    assert mail.state == OutboxState.QUEUED
    with unit_of_work(session):
        mail.next_attempt_at = utcnow()
    deliver_due(session, _smtp(smtp_sink), max_attempts=2)
    session.refresh(mail)
    assert mail.state == OutboxState.FAILED
    assert "450" in mail.last_error
    event = session.query(TicketEvent).filter_by(kind=EventKind.DELIVERY_FAILED).one()
    assert event.message_id == mail.message.id
    assert smtp_sink.handler.messages == []
