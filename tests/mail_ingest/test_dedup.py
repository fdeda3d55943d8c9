"""One message, one record: the same mail twice (or by two transports) is a duplicate; a
different mail reusing a Message-ID is a message of its own."""

import pytest

from helpdesk.core.models import Message, RawMail, Ticket
from mail_ingest.dedup import dedup_key
from mail_ingest.pipeline import Outcome, ingest_batch

from ..factories import make_mail

HEADERS = (
    b"From: Ana Souza <ana@example.com>\r\n"
    b"To: help@example.org\r\n"
    b"Subject: Inscri\xc3\xa7\xc3\xa3o\r\n"
    b"Date: Tue, 03 Mar 2026 09:15:00 -0300\r\n"
    b"Message-ID: <reused@gateway.example>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
)
BODY = "Olá, preciso de ajuda com a inscrição.\r\nObrigada,\r\nAna\r\n".encode()


def _by_smtp(headers: bytes = HEADERS, body: bytes = BODY) -> bytes:
    """What our SMTP listener receives: the sender's relay added its own trace."""
    return b"Received: from mx.example.com by desk; Tue, 03 Mar 2026 12:15:02 +0000\r\n" + (
        headers + b"\r\n" + body
    )


def _by_imap(headers: bytes = HEADERS, body: bytes = BODY) -> bytes:
    """The same mail fetched from a mailbox: another relay's trace, delivery headers, LF."""
    trace = (
        b"Return-Path: <ana@example.com>\r\n"
        b"Delivered-To: help@example.org\r\n"
        b"X-Original-To: help@example.org\r\n"
        b"Received: from mx2.example.com by imap.example.org; Tue, 03 Mar 2026 12:15:09 +0000\r\n"
        b"Received: from mx.example.com by mx2; Tue, 03 Mar 2026 12:15:05 +0000\r\n"
    )
    return (trace + headers + b"\r\n" + body + b"\r\n").replace(b"\r\n", b"\n")


def test_the_same_mail_by_two_transports_is_one_message(session, deliver):
    assert dedup_key(_by_smtp()) == dedup_key(_by_imap())
    assert deliver(_by_smtp(), "smtp").outcome == Outcome.CREATED
    assert deliver(_by_imap(), "imap").outcome == Outcome.DUPLICATE
    assert session.query(Message).count() == 1


def test_an_identical_resend_is_a_duplicate(session, deliver):
    data = make_mail(message_id="<again@example.com>")
    assert deliver(data).outcome == Outcome.CREATED
    assert deliver(data).outcome == Outcome.DUPLICATE
    assert (session.query(RawMail).count(), session.query(Message).count()) == (1, 1)


@pytest.mark.parametrize(
    "change",
    [
        lambda h, b: (h, b.replace(b"Obrigada", b"Obrigada de novo")),
        lambda h, b: (h.replace(b"Subject: Inscri", b"Subject: Re: Inscri"), b),
        lambda h, b: (h.replace(b"09:15:00", b"09:47:00"), b),
    ],
    ids=["body", "subject", "date"],
)
def test_a_different_mail_reusing_a_message_id_is_kept(session, deliver, change):
    first = deliver(_by_smtp())
    second = deliver(_by_smtp(*change(HEADERS, BODY)))
    assert second.outcome != Outcome.DUPLICATE
    messages = session.query(Message).order_by(Message.id).all()
    assert [m.message_id for m in messages] == ["<reused@gateway.example>"] * 2
    assert len({first.raw_mail_id, second.raw_mail_id}) == 2


def test_both_mails_under_one_message_id_thread_like_any_other(session, deliver):
    """A gateway's resend keeps its threading headers: both land on the ticket they answer,
    and a later reply to the shared Message-ID finds that ticket."""
    opened = deliver(make_mail(message_id="<start@example.com>"))
    answer = b"In-Reply-To: <start@example.com>\r\n" + HEADERS
    deliver(_by_smtp(answer))
    deliver(_by_smtp(answer, BODY + b"P.S. the form number is 42.\r\n"))
    reply = make_mail(in_reply_to="<reused@gateway.example>", body="And one more thing.")
    deliver(reply)
    assert session.query(Ticket).count() == 1
    assert {m.ticket_id for m in session.query(Message)} == {opened.ticket_id}
    assert session.query(Message).count() == 4


def test_bulk_import_keeps_both_and_drops_the_copy(session, ingest_context):
    changed = _by_smtp(body=BODY + b"--\r\nsent again, edited\r\n")
    items = [(_by_smtp(), "a.eml"), (_by_imap(), "b.eml"), (changed, "c.eml")]
    outcomes = [r.outcome for r in ingest_batch(session, ingest_context, items)]
    assert outcomes.count(Outcome.DUPLICATE) == 1
    assert outcomes[1] == Outcome.DUPLICATE
    assert session.query(Message).count() == 2


def test_mail_without_a_message_id_by_two_transports_is_one_message():
    no_id = HEADERS.replace(b"Message-ID: <reused@gateway.example>\r\n", b"")
    assert dedup_key(_by_smtp(no_id)) == dedup_key(_by_imap(no_id))
    assert dedup_key(_by_smtp(no_id)).startswith("<> ")
    assert dedup_key(_by_smtp(no_id)) != dedup_key(_by_smtp(no_id, b"other"))


def test_a_key_fits_its_column_whatever_the_message_id():
    long_id = b"<" + b"x" * 2000 + b"@example.com>"
    data = HEADERS.replace(b"<reused@gateway.example>", long_id) + b"\r\n" + BODY
    key = dedup_key(data)
    assert len(key) <= 998 and " " in key
