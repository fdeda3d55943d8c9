"""Merging tickets: the conversation moves into one ticket, and mail keeps threading into it."""

from email.message import EmailMessage

import pytest

from helpdesk.core.models import Attachment, EventKind, Message, Role, Status, Ticket, TicketEvent
from helpdesk.core.services.merging import MergeError, merge_into_older, merge_tickets
from helpdesk.core.services.permissions import NotPermitted
from helpdesk.core.unit_of_work import unit_of_work

from ..factories import make_mail


def _mail_with_attachment(subject: str, message_id: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = "ana@example.com"
    mail["To"] = "help@example.org"
    mail["Subject"] = subject
    mail["Message-ID"] = message_id
    mail.set_content("Here is the form I mentioned, filled in.")
    mail.add_attachment(b"%PDF-1.4 form", maintype="application", subtype="pdf", filename="f.pdf")
    return mail.as_bytes()


@pytest.fixture
def two_tickets(session, deliver):
    older = session.get(Ticket, deliver(make_mail(message_id="<older@example.com>")).ticket_id)
    newer_id = deliver(_mail_with_attachment("Form", "<newer@example.com>")).ticket_id
    newer = session.get(Ticket, newer_id)
    assert older.id != newer.id
    return older, newer


def test_merge_moves_messages_attachments_and_events(session, make_user, two_tickets):
    older, newer = two_tickets
    coordinator = make_user(Role.COORDINATOR, languages=())
    newer_event_ids = {e.id for e in session.query(TicketEvent).filter_by(ticket_id=newer.id)}
    with unit_of_work(session):
        target = merge_into_older(session, newer, older, coordinator)
    assert target is older
    assert [m.message_id for m in older.messages] == ["<older@example.com>", "<newer@example.com>"]
    [attachment] = session.query(Attachment).all()
    assert attachment.message.ticket_id == older.id
    moved = session.query(TicketEvent).filter(TicketEvent.id.in_(newer_event_ids))
    assert {e.ticket_id for e in moved} == {older.id}
    assert newer.status == Status.CLOSED and newer.merged_into_id == older.id
    source_events = session.query(TicketEvent).filter_by(ticket_id=newer.id).all()
    assert {(e.kind, e.data.get("into")) for e in source_events} >= {(EventKind.MERGED, older.id)}
    assert (
        session.query(TicketEvent)
        .filter_by(ticket_id=older.id, kind=EventKind.MERGED)
        .one()
        .data["source"]
        == newer.id
    )
    assert session.query(Message).filter_by(ticket_id=newer.id).count() == 0


def test_mail_for_the_merged_ticket_lands_in_the_target(session, deliver, make_user, two_tickets):
    older, newer = two_tickets
    with unit_of_work(session):
        merge_tickets(session, newer, older, make_user(Role.ADMIN, languages=()))
    by_header = deliver(make_mail(subject="Re: Form", in_reply_to="<newer@example.com>"))
    by_subject = deliver(make_mail(subject=f"Again [#{newer.id}]", message_id="<s@example.com>"))
    assert by_header.ticket_id == older.id
    assert by_subject.ticket_id == older.id
    assert newer.status == Status.CLOSED  # the reply did not reopen the merged ticket


def test_merge_is_for_coordinators_and_never_into_itself(session, make_user, two_tickets):
    older, newer = two_tickets
    with pytest.raises(NotPermitted):
        merge_tickets(session, newer, older, make_user(languages=("en",)))
    coordinator = make_user(Role.COORDINATOR, languages=())
    with pytest.raises(MergeError):
        merge_tickets(session, older, older, coordinator)
    with unit_of_work(session):
        merge_tickets(session, newer, older, coordinator)
    with pytest.raises(MergeError):
        merge_tickets(session, newer, older, coordinator)


def test_a_bulk_import_follows_merges_too(app, session, make_user, two_tickets):
    from mail_ingest.pipeline import IngestContext, ingest_batch

    older, newer = two_tickets
    with unit_of_work(session):
        merge_tickets(session, newer, older, make_user(Role.ADMIN, languages=()))
    context = IngestContext.from_config(app.config, live=False)
    results = ingest_batch(
        session,
        context,
        [
            (make_mail(subject="Re: Form", in_reply_to="<newer@example.com>"), "import"),
            (make_mail(subject=f"Again [#{newer.id}]", message_id="<s2@example.com>"), "import"),
        ],
    )
    assert [r.ticket_id for r in results] == [older.id, older.id]
