"""Recording a batch of inbound mail in a few multi-row statements: the bulk import's path.

The decisions are ``record_inbound_message``'s (threading, unknown senders, routing, reopening,
one event per change), taken in memory from lookups prefetched once for the batch; the rows are
then written table by table (``bulk_sql``), at a fraction of the ORM's per-object cost. A bounce
(rare) is handed to the ORM service in its place in the sequence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..bulk_sql import PendingRows, Row
from ..db_session import DbSession
from ..models import (
    Attachment,
    Contact,
    EventKind,
    Message,
    RawMail,
    Status,
    Ticket,
    TicketEvent,
    utcnow,
)
from .bulk_lookups import BulkLookups, ContactRow, TicketRow
from .inbound import (
    InboundContext,
    InboundMessage,
    Routing,
    attachment_values,
    message_values,
    record_bounce,
    routing_for,
    threading_ids,
    ticket_subject,
)
from .inbound_lookups import InboundLookups
from .routing import routed_event_data

WRITE_ORDER = (Contact, Ticket, Message, Attachment, TicketEvent, RawMail)


@dataclass(frozen=True)
class BulkInboundItem:
    inbound: InboundMessage
    raw_mail_id: int | None = None


@dataclass(frozen=True)
class RecordedInbound:
    ticket_id: int
    message_id: int
    created: bool  # True when the message opened a new ticket


def record_inbound_batch(
    session: DbSession, items: list[BulkInboundItem], context: InboundContext
) -> list[RecordedInbound]:
    """``record_inbound_message`` for each item, in order, with the same tickets, messages and
    events as recording them one by one would give; the caller commits."""
    recorder = _BatchRecorder(session, context, [item.inbound for item in items])
    recorded = [recorder.record(item.inbound, item.raw_mail_id) for item in items]
    recorder.finish()
    return [
        RecordedInbound(_id(ticket), _id(message), created) for ticket, message, created in recorded
    ]


def _id(row: Row) -> int:
    assert row.id is not None, "written by finish()"
    return row.id


@dataclass
class _BatchRecorder:
    session: DbSession
    context: InboundContext
    batch: list[InboundMessage]
    rows: PendingRows = field(
        default_factory=lambda: PendingRows(WRITE_ORDER, leaves=(Attachment, TicketEvent))
    )
    attachments_written: bool = False

    def __post_init__(self) -> None:
        self.lookups = BulkLookups.prefetch(self.session, self.batch, self.rows)
        self.routing = InboundLookups(self.session)  # mailboxes and liaison loads

    def record(self, inbound: InboundMessage, raw_mail_id: int | None) -> tuple[Row, Row, bool]:
        ticket = self.lookups.ticket_for(threading_ids(inbound), inbound.subject)
        created = ticket is None
        created_event = None
        if ticket is None:
            ticket, created_event = self._open_ticket(inbound)
        known_sender = created or self.lookups.sender_known(ticket, inbound.from_email)
        message = self._add_message(ticket, inbound, unknown_sender=not known_sender)
        if known_sender:
            ticket.senders.add(inbound.from_email.lower())
        self.lookups.remember(inbound.message_id, ticket)
        if created_event is not None:
            created_event.values["message_id"] = message
        else:
            self._event(ticket, EventKind.MESSAGE_RECEIVED, message)
        if inbound.bounce:  # through the ORM service, after everything before it
            self.write()
            record_bounce(self.session, inbound.bounce)
            self.session.flush()
        if not inbound.automatic:  # an out-of-office reply is not the requester coming back
            self.rows.change(Ticket, ticket, last_requester_message_at=message.values["created_at"])
            if not created and ticket.status != Status.OPEN:
                self._reopen(ticket)
        if raw_mail_id is not None:
            self.rows.change(RawMail, Row(id=raw_mail_id), message_id=message)
        return ticket, message, created

    def write(self) -> None:
        self.lookups.write()

    def finish(self) -> None:
        self.write()
        if self.attachments_written:
            self.context.attachments.sync_all()

    def _open_ticket(self, inbound: InboundMessage) -> tuple[TicketRow, Row]:
        requester = self.lookups.contact(inbound.from_email, inbound.from_name)
        mailbox = self.routing.mailbox_for(inbound.to)
        now = utcnow()
        ticket = self.lookups.new_ticket(
            requester,
            subject=ticket_subject(inbound),
            requester_id=requester,
            mailbox_id=mailbox.id if mailbox else None,
            status=Status.NEW,
            created_at=now,
            updated_at=now,
            last_requester_message_at=now,
            resolved_at=None,
        )
        created_event = self._event(ticket, EventKind.CREATED, None, source="mail")
        detector = self.context.detector_for(self.routing.served_languages())
        self._route(ticket, requester, routing_for(inbound, detector, mailbox, requester))
        return ticket, created_event

    def _route(self, ticket: TicketRow, requester: ContactRow, routing: Routing) -> None:
        """As ``route_ticket`` with the batch's liaison loads, plus the requester's language."""
        decision = routing.decision
        liaison = None
        if decision.language is not None:
            liaison = self.routing.choose_liaison(decision.language)
        ticket.language_code = decision.language
        self.rows.change(
            Ticket,
            ticket,
            language_code=decision.language,
            language_confidence=decision.confidence,
            routing_rule=decision.rule,
            assignee_id=liaison.id if liaison else None,
        )
        if liaison is not None:
            liaison.last_assigned_at = utcnow()  # an ORM object: written with the commit
        self._event(ticket, EventKind.ROUTED, None, **routed_event_data(decision, liaison))
        if ticket.language_code and requester.language_code is None:
            requester.language_code = ticket.language_code
            self.rows.change(Contact, requester, language_code=ticket.language_code)

    def _add_message(self, ticket: TicketRow, inbound: InboundMessage, unknown_sender: bool) -> Row:
        values = message_values(inbound, ticket.language_code)
        values.update(ticket_id=ticket, unknown_sender=unknown_sender)
        message = self.rows.add(Message, Row(values=values))
        for part in inbound.attachments:
            values = attachment_values(part, self.context.attachments, fsync=False)
            self.rows.add(Attachment, Row(values={**values, "message_id": message}))
            self.attachments_written = True
        return message

    def _reopen(self, ticket: TicketRow) -> None:
        """``change_status(ticket, OPEN)``: a reply brings a pending or resolved ticket back."""
        previous = ticket.status
        ticket.status = Status.OPEN
        self.rows.change(Ticket, ticket, status=Status.OPEN, resolved_at=None)
        self._event(ticket, EventKind.STATUS_CHANGED, None, status=Status.OPEN, previous=previous)

    def _event(self, ticket: TicketRow, kind: EventKind, message: Row | None, **data: Any) -> Row:
        """``record_event`` by the system: the event, and the ticket's updated_at."""
        now = utcnow()
        self.rows.change(Ticket, ticket, updated_at=now)
        values = {
            "ticket_id": ticket,
            "kind": kind,
            "actor_id": None,
            "message_id": message,
            "data": data,
            "created_at": now,
        }
        return self.rows.add(TicketEvent, Row(values=values))
