"""The pipeline: raw first, duplicates once, failures quarantined, crashes recovered."""

from datetime import timedelta
from pathlib import Path

from helpdesk.core.models import Message, RawMail, RawMailState, Ticket, utcnow
from helpdesk.core.services.raw_mail import store_raw_mail
from helpdesk.core.unit_of_work import unit_of_work
from mail_ingest.parsing import dedup_key
from mail_ingest.pipeline import Outcome, process_pending

from ..factories import make_mail, sample_mail

HOSTILE = sorted((Path(__file__).parents[1] / "data" / "mail").glob("*.eml"))


def test_raw_bytes_are_kept_exactly(session, deliver, ingest_context):
    data = make_mail(body="Olá, tudo bem?")
    result = deliver(data)
    raw = session.get(RawMail, result.raw_mail_id)
    assert raw.state == RawMailState.PROCESSED
    assert ingest_context.raw_store.get(raw.sha256) == data
    assert raw.message_id == session.query(Message).one().id


def test_the_same_message_twice_is_stored_once(session, deliver):
    data = make_mail(message_id="<twice@example.com>")
    assert deliver(data, "imap").outcome == Outcome.CREATED
    assert deliver(data, "smtp").outcome == Outcome.DUPLICATE
    assert session.query(RawMail).count() == 1
    assert session.query(Ticket).count() == 1


def test_unparseable_mail_is_kept_and_quarantined(session, deliver, ingest_context):
    data = b"not mail: no header at all\r\n"
    result = deliver(data)
    assert result.outcome == Outcome.FAILED
    raw = session.get(RawMail, result.raw_mail_id)
    assert raw.state == RawMailState.FAILED
    assert "not a mail message" in raw.error
    assert ingest_context.raw_store.get(raw.sha256) == data
    assert session.query(Ticket).count() == 0


def test_failure_while_recording_rolls_back_and_quarantines(
    session, deliver, ingest_context, monkeypatch
):
    def explode(*args, **kwargs):
        raise RuntimeError("database fell over")

    monkeypatch.setattr("mail_ingest.pipeline.record_inbound_message", explode)
    result = deliver(make_mail())
    assert result.outcome == Outcome.FAILED
    assert "database fell over" in result.error
    assert session.query(Ticket).count() == 0
    assert session.get(RawMail, result.raw_mail_id).state == RawMailState.FAILED


def test_mail_stored_before_a_crash_is_processed_on_recovery(session, ingest_context, deliver):
    data = make_mail(message_id="<crash@example.com>")
    with unit_of_work(session):  # the process stored the raw mail, then died
        store_raw_mail(session, ingest_context.raw_store, data, dedup_key(data), "smtp")
    assert session.query(Ticket).count() == 0
    assert process_pending(session, ingest_context) == []  # too fresh: maybe still in progress
    [result] = process_pending(session, ingest_context, now=utcnow() + timedelta(minutes=3))
    assert result.outcome == Outcome.CREATED
    assert session.query(Ticket).count() == 1
    # and if the same mail is delivered again (the sender retried), it is not doubled
    assert deliver(data).outcome == Outcome.DUPLICATE


def test_hostile_corpus_loses_nothing(session, deliver, ingest_context):
    results = [deliver(path.read_bytes(), f"file:{path.name}") for path in HOSTILE]
    assert session.query(RawMail).count() == len(HOSTILE)
    for path, result in zip(HOSTILE, results, strict=True):
        raw = session.get(RawMail, result.raw_mail_id)
        assert ingest_context.raw_store.get(raw.sha256) == path.read_bytes()
        assert raw.state in (RawMailState.PROCESSED, RawMailState.FAILED)
        assert (raw.state == RawMailState.FAILED) == (result.outcome == Outcome.FAILED)


def test_a_stored_mail_is_recorded_once_however_often_it_is_processed(
    session, deliver, ingest_context
):
    from mail_ingest.pipeline import process_raw_mail

    data = make_mail(message_id="<once@example.com>")
    with unit_of_work(session):  # stored by one path, which is still busy with it...
        stored = store_raw_mail(session, ingest_context.raw_store, data, dedup_key(data), "smtp")
    raw_id = stored.raw_mail.id
    first = process_raw_mail(session, ingest_context, raw_id, data)
    # ...while the same mail arrives by IMAP, a retry loop finds it, an admin reprocesses it
    results = [
        deliver(data, "imap"),
        process_raw_mail(session, ingest_context, raw_id, data),
        *process_pending(session, ingest_context, now=utcnow() + timedelta(days=1)),
    ]
    assert first.outcome == Outcome.CREATED
    assert [r.outcome for r in results] == [Outcome.DUPLICATE, Outcome.DUPLICATE]
    assert session.query(Ticket).count() == 1
    assert session.query(Message).count() == 1


def test_nul_bytes_anywhere_are_stored_and_processed(session, deliver, ingest_context):
    """PostgreSQL refuses NUL in text: the mail must still be kept, and become a ticket."""
    data = (
        b"From: Nul <a@example.com>\r\nSubject: bad\x00subject\r\n"
        b"Message-ID: <a\x00b@example.com>\r\n\r\nbody with a \x00 in it"
    )
    result = deliver(data)
    raw = session.get(RawMail, result.raw_mail_id)
    assert ingest_context.raw_store.get(raw.sha256) == data
    assert result.outcome == Outcome.CREATED
    ticket = session.get(Ticket, result.ticket_id)
    assert "\x00" not in ticket.subject and "\x00" not in ticket.messages[0].text


def _without_address(data: bytes, from_line: bytes = b"From: Hanna Virtanen") -> bytes:
    head, _, body = data.partition(b"\n\n")
    lines = [line for line in head.split(b"\n") if not line.startswith(b"From:")]
    return b"\n".join([from_line, *lines]) + b"\n\n" + body


def test_mail_with_no_address_is_a_ticket_with_no_reply_address(session, deliver):
    from helpdesk.core.models import Contact, Direction

    first = deliver(_without_address(sample_mail("fr")))
    second = deliver(_without_address(sample_mail("fr", subject="Autre"), b"From: <>"))
    assert [first.outcome, second.outcome] == [Outcome.CREATED, Outcome.CREATED]
    ticket = session.get(Ticket, first.ticket_id)
    assert ticket.language_code == "fr" and ticket.messages[0].from_email == ""
    assert (ticket.requester.email, ticket.requester.name) == (None, "Hanna Virtanen")
    assert not ticket.requester.has_address
    # strangers are never lumped together in one contact
    other = session.get(Ticket, second.ticket_id).requester
    assert other.id != ticket.requester.id and other.email is None
    assert session.query(Contact).filter(Contact.email.is_(None)).count() == 2
    assert session.get(RawMail, first.raw_mail_id).state == RawMailState.PROCESSED
    # a later message without an address proves nothing about who wrote it
    again = deliver(_without_address(sample_mail("fr", subject=f"Re: [#{ticket.id}] suite")))
    assert again.ticket_id == ticket.id
    inbound = [m for m in ticket.messages if m.direction == Direction.IN]
    assert [m.unknown_sender for m in inbound] == [False, True]
