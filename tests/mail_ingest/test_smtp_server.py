"""The inbound SMTP listener against smtplib: accept, reject, size limit, storage failure."""

import smtplib
import threading

import pytest

from helpdesk.core.models import RawMail, Ticket
from helpdesk.workers.inbound import InboundProcessing
from mail_ingest.smtp_server import AcceptedRecipients, InboundHandler, make_controller

from ..conftest import _allowed_smtp_ports, free_port, wait_for
from ..factories import make_mail


@pytest.fixture
def processing(app):
    """Storing and processing as ``helpdesk serve`` wires them; the threads stop after the test."""
    stop = threading.Event()
    inbound = InboundProcessing(app)
    threads = inbound.threads(stop)
    for thread in threads:
        thread.start()
    yield inbound
    stop.set()
    for thread in threads:
        thread.join(timeout=30)


@pytest.fixture
def listener(processing):
    """Start the listener with a given deliver function; stopped after the test."""
    controllers = []

    def start(deliver=None, max_bytes=1_000_000):
        port = free_port()
        _allowed_smtp_ports.add(port)
        handler = InboundHandler(
            deliver or processing.deliver,
            AcceptedRecipients(["help@example.org"], ["lists.example.org"]),
        )
        controller = make_controller(handler, "127.0.0.1", port, max_bytes=max_bytes)
        controller.start()
        controllers.append(controller)
        return port

    yield start
    for controller in controllers:
        controller.stop()


def _send(port, data, to="help@example.org"):
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        return client.sendmail("someone@example.com", [to], data)


def test_accepted_mail_is_stored_before_250_and_processed_after(listener, session):
    port = listener()
    assert _send(port, make_mail(subject="Via SMTP")) == {}
    assert session.query(RawMail).count() == 1
    wait_for(lambda: session.query(Ticket).count() == 1)
    assert session.query(Ticket).one().subject == "Via SMTP"


def test_a_whole_domain_can_be_accepted(listener, session):
    port = listener()
    _send(port, make_mail(), to="anything@lists.example.org")
    assert session.query(RawMail).count() == 1


def test_unknown_recipient_is_refused_never_relayed(listener, session):
    port = listener()
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _send(port, make_mail(), to="victim@elsewhere.example")
    assert refused.value.recipients["victim@elsewhere.example"][0] == 550
    assert session.query(RawMail).count() == 0


def test_oversized_mail_is_refused_with_552(listener, session):
    port = listener(max_bytes=10_000)
    with pytest.raises(smtplib.SMTPResponseException) as error:
        _send(port, make_mail(body="x" * 50_000))
    assert error.value.smtp_code == 552
    assert session.query(RawMail).count() == 0


def test_storage_failure_answers_451_and_writes_nothing(listener, session):
    def broken_storage(data, source):
        raise OSError("disk full")

    port = listener(deliver=broken_storage)
    with pytest.raises(smtplib.SMTPDataError) as error:
        _send(port, make_mail())
    assert error.value.smtp_code == 451
    assert session.query(RawMail).count() == 0


def test_lmtp_mode_for_postfix_and_dovecot(app, session, processing):
    port = free_port()
    _allowed_smtp_ports.add(port)
    handler = InboundHandler(
        processing.deliver,
        AcceptedRecipients(["help@example.org", "fr@example.org"]),
        lmtp=True,
    )
    controller = make_controller(handler, "127.0.0.1", port, max_bytes=1_000_000, lmtp=True)
    controller.start()
    try:
        with smtplib.LMTP("127.0.0.1", port, timeout=10) as client:
            # LMTP answers DATA once per recipient; a missing answer would stall the sender.
            client.ehlo()  # LHLO in LMTP
            client.mail("a@example.com")
            client.rcpt("help@example.org")
            client.rcpt("fr@example.org")
            client.putcmd("data")
            assert client.getreply()[0] == 354
            client.send(make_mail().replace(b"\n", b"\r\n").replace(b"\r\r", b"\r") + b"\r\n.\r\n")
            assert [client.getreply()[0], client.getreply()[0]] == [250, 250]
    finally:
        controller.stop()
    assert session.query(RawMail).count() == 1
    wait_for(lambda: session.query(Ticket).count() == 1)


def test_what_is_stored_is_exactly_what_was_sent(listener, session, ingest_context):
    """smtplib stuffs the dots and the listener removes them: the raw mail is byte for byte."""
    port = listener()
    data = make_mail(body=".starts with a dot\n..two dots\nlast line\n.").replace(b"\n", b"\r\n")
    _send(port, data)
    raw = session.query(RawMail).one()
    assert ingest_context.raw_store.get(raw.sha256) == data
