"""The one path that records inbound mail: decisions in memory, rows in a few statements.

Threading, unknown senders, routing, reopening and one event per change are decided for each
message in order, from lookups prefetched once for the batch (``ThreadLookups``,
``RoutingLookups``); the rows are then written table by table (``bulk_sql``), at a fraction of
the ORM's per-object cost. A single message is a batch of one. A bounce (rare) is handed to
the ORM service in its place in the sequence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..bulk_sql import PendingRows, Row
from ..db_session import DbSession
from ..inbound_mail import InboundMessage
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
from .events import event_columns
from .inbound_lookups import ContactRow, ThreadLookups, TicketRow, threading_ids
from .inbound_rules import (
    InboundContext,
    Routing,
    attachment_values,
    message_values,
    record_bounce,
    routing_for,
    ticket_subject,
)
from .routing import RoutingLookups, routed_event_data
from .tickets import status_columns

WRITE_ORDER = (Contact, Ticket, Message, Attachment, TicketEvent, RawMail)


@dataclass(frozen=True)
class Recorded:
    """What recording one message did, as rows the recorder writes by ``finish``."""

    ticket: TicketRow
    message: Row
    created: bool  # True when the message opened a new ticket


@dataclass
class InboundRecorder:
    """Records a batch of messages in order; ``finish`` writes whatever is still pending."""

    session: DbSession
    context: InboundContext
    batch: list[InboundMessage]
    rows: PendingRows = field(
        default_factory=lambda: PendingRows(WRITE_ORDER, leaves=(Attachment, TicketEvent))
    )
    attachments_written: bool = False

    def __post_init__(self) -> None:
        self.lookups = ThreadLookups.prefetch(self.session, self.batch, self.rows)
        self.routing = RoutingLookups(self.session)

    def record(self, inbound: InboundMessage, raw_mail_id: int | None) -> Recorded:
        """Thread ``inbound`` into the ticket it answers or open a routed ticket for it. A
        pending or resolved ticket that receives a reply is reopened; machine mail never
        reopens anything and never counts as the requester writing back."""
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
            self.lookups.write()
            record_bounce(self.session, inbound.bounce)
            self.session.flush()
        if not inbound.automatic:
            self.rows.change(Ticket, ticket, last_requester_message_at=message.values["created_at"])
            if not created and ticket.status != Status.OPEN:
                self._reopen(ticket)
        if raw_mail_id is not None:
            self.rows.change(RawMail, Row(id=raw_mail_id), message_id=message)
        return Recorded(ticket, message, created)

    def finish(self) -> None:
        self.lookups.write()
        if self.attachments_written:
            self.context.attachments.sync_all()

    def _open_ticket(self, inbound: InboundMessage) -> tuple[TicketRow, Row]:
        """A new ticket, routed; its CREATED event will point at the first message."""
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
        """Into the decided language's queue and, if the queue assigns, to a liaison who
        speaks it; one ROUTED event keeps the evidence. The requester's language follows."""
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
        """A reply brings a pending or resolved ticket back: ``change_status``'s rule."""
        previous = ticket.status
        ticket.status = Status.OPEN
        self.rows.change(Ticket, ticket, **status_columns(Status.OPEN, None))
        self._event(ticket, EventKind.STATUS_CHANGED, None, status=Status.OPEN, previous=previous)

    def _event(self, ticket: TicketRow, kind: EventKind, message: Row | None, **data: Any) -> Row:
        """``record_event`` by the system: the event, and the ticket's updated_at."""
        values = {**event_columns(kind, data), "ticket_id": ticket, "actor_id": None}
        values["message_id"] = message
        self.rows.change(Ticket, ticket, updated_at=values["created_at"])
        return self.rows.add(TicketEvent, Row(values=values))
