"""Recording inbound mail: new tickets, threading, reopening, requesters."""

from helpdesk.core.models import Direction, EventKind, Status, Ticket, TicketEvent
from helpdesk.core.services.tickets import change_status
from helpdesk.core.unit_of_work import unit_of_work
from mail_ingest.pipeline import Outcome

from ..factories import make_mail, sample_mail


def test_new_mail_opens_a_ticket_with_requester_and_events(session, deliver):
    result = deliver(sample_mail("ja"))
    assert result.outcome == Outcome.CREATED
    ticket = session.get(Ticket, result.ticket_id)
    assert ticket.status == Status.NEW
    assert ticket.language_code == "ja"
    assert ticket.requester.language_code == "ja"
    assert [m.direction for m in ticket.messages] == [Direction.IN]
    events = {e.kind: e for e in session.query(TicketEvent).filter_by(ticket_id=ticket.id)}
    assert set(events) == {EventKind.CREATED, EventKind.ROUTED}
    assert events[EventKind.CREATED].message == ticket.messages[0]
    assert events[EventKind.ROUTED].data["language"] == "ja"


def test_reply_threads_by_in_reply_to(session, deliver):
    first = deliver(make_mail(message_id="<first@example.com>"))
    reply = deliver(make_mail(subject="Something else entirely", in_reply_to="<first@example.com>"))
    assert reply.outcome == Outcome.THREADED
    assert reply.ticket_id == first.ticket_id


def test_reply_threads_by_references_when_in_reply_to_is_unknown(session, deliver):
    first = deliver(make_mail(message_id="<root@example.com>"))
    reply = deliver(
        make_mail(
            subject="x",
            in_reply_to="<unknown@elsewhere>",
            references="<root@example.com> <unknown@elsewhere>",
        )
    )
    assert reply.ticket_id == first.ticket_id


def test_reply_threads_by_reference_in_subject(session, deliver):
    first = deliver(make_mail(subject="Question about volunteering"))
    reply = deliver(make_mail(subject=f"RE: Question about volunteering [#{first.ticket_id}]"))
    assert reply.outcome == Outcome.THREADED
    assert reply.ticket_id == first.ticket_id


def test_unknown_reference_in_subject_opens_a_new_ticket(session, deliver):
    result = deliver(make_mail(subject="Re: old thing [#999999]"))
    assert result.outcome == Outcome.CREATED


def test_reply_reopens_a_resolved_ticket(session, deliver):
    first = deliver(make_mail(message_id="<done@example.com>"))
    ticket = session.get(Ticket, first.ticket_id)
    with unit_of_work(session):
        change_status(session, ticket, Status.RESOLVED, None)
    assert ticket.resolved_at is not None
    deliver(make_mail(in_reply_to="<done@example.com>", body="Actually, one more thing."))
    session.refresh(ticket)
    assert ticket.status == Status.OPEN
    assert ticket.resolved_at is None


def test_same_requester_is_one_contact_whatever_the_case(session, deliver):
    a = deliver(make_mail(sender="Someone@Example.com"))
    b = deliver(make_mail(sender="someone@example.com"))
    assert (
        session.get(Ticket, a.ticket_id).requester_id
        == session.get(Ticket, b.ticket_id).requester_id
    )
