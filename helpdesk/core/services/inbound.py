"""Recording an incoming message: thread it into its ticket, or open and route a new one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select

from ..db_session import DbSession
from ..inbound_mail import InboundAttachment, InboundBounce, InboundMessage
from ..models import (
    Attachment,
    Direction,
    EventKind,
    Mailbox,
    Message,
    RawMail,
    Status,
    Ticket,
    TicketEvent,
    utcnow,
)
from ..storage import BlobStore
from .acknowledgements import AckPolicy, acknowledge
from .events import record_event
from .inbound_lookups import InboundLookups
from .language_detection import Detection, LanguageDetector, get_detector
from .outbox import mark_bounced
from .routing import LanguageDecision, RoutingHints, decide_language, route_ticket
from .tickets import change_status


@dataclass(frozen=True)
class InboundResult:
    message: Message
    ticket: Ticket
    created: bool  # True when the message opened a new ticket


@dataclass(frozen=True)
class InboundContext:
    """The dependencies recording needs, injected by the caller. ``acknowledgements`` is None
    where requesters must not be answered automatically (a bulk import of old mail)."""

    attachments: BlobStore
    detector_for: Callable[[tuple[str, ...]], LanguageDetector] = get_detector
    acknowledgements: AckPolicy | None = None


def record_inbound_message(
    session: DbSession,
    inbound: InboundMessage,
    context: InboundContext,
    raw_mail: RawMail | None = None,
    lookups: InboundLookups | None = None,
) -> InboundResult:
    """Thread ``inbound`` into the ticket it answers or open a routed ticket for it. A resolved
    ticket that receives a reply is reopened; machine mail never reopens anything.

    A bulk import passes the ``lookups`` it prefetched for its batch and flushes once at the
    end; alone, the message gets lookups of its own and is flushed here."""
    alone = lookups is None
    if lookups is None:
        lookups = InboundLookups.prefetch(session, threading_ids(inbound), [inbound.from_email])
    with session.no_autoflush:
        ticket = lookups.ticket_for(threading_ids(inbound), inbound.subject)
        created = ticket is None
        created_event: TicketEvent | None = None
        if ticket is None:
            ticket, created_event = _open_ticket(session, inbound, context, lookups)
        known_sender = created or lookups.sender_known(ticket, inbound.from_email)
        message = _add_message(session, ticket, inbound, context)
        message.unknown_sender = not known_sender
        if known_sender:
            lookups.add_known_sender(ticket, inbound.from_email)
        lookups.remember(message, ticket)
        if created_event is not None:
            created_event.message = message
        else:
            record_event(session, ticket, EventKind.MESSAGE_RECEIVED, None, message=message)
        if inbound.bounce:
            record_bounce(session, inbound.bounce)
        if not inbound.automatic:  # an out-of-office reply is not the requester coming back
            ticket.last_requester_message_at = message.created_at
            if not created and ticket.status != Status.OPEN:
                change_status(session, ticket, Status.OPEN, None)
        if raw_mail is not None:
            raw_mail.message = message
    if alone:
        session.flush()
    if created and context.acknowledgements is not None and not inbound.automatic:
        acknowledge(session, ticket, message, context.acknowledgements)
    return InboundResult(message=message, ticket=ticket, created=created)


def threading_ids(inbound: InboundMessage) -> list[str]:
    """Message-IDs that may name the ticket, most telling first."""
    ids = [inbound.in_reply_to or "", *reversed(inbound.references)]
    if inbound.bounce and inbound.bounce.original_message_id:
        ids.insert(0, inbound.bounce.original_message_id)
    return [mid for mid in ids if mid]


def record_bounce(session: DbSession, bounce: InboundBounce) -> None:
    """Mark the outgoing mail the bounce reports on as failed, on its ticket."""
    if not bounce.original_message_id:
        return
    bounced = session.scalar(
        select(Message).where(
            Message.message_id == bounce.original_message_id, Message.direction == Direction.OUT
        )
    )
    if bounced is not None and bounced.outbox is not None:
        mark_bounced(session, bounced.outbox, bounce.reason)


def _open_ticket(
    session: DbSession, inbound: InboundMessage, context: InboundContext, lookups: InboundLookups
) -> tuple[Ticket, TicketEvent]:
    """A new ticket, routed; its CREATED event will point at the first message."""
    requester = lookups.contact(inbound.from_email, inbound.from_name)
    mailbox = lookups.mailbox_for(inbound.to)
    ticket = Ticket(
        subject=ticket_subject(inbound),
        requester=requester,
        mailbox=mailbox,
        status=Status.NEW,
        created_at=utcnow(),
    )
    session.add(ticket)
    created_event = record_event(session, ticket, EventKind.CREATED, None, source="mail")
    detector = context.detector_for(lookups.served_languages())
    routing = routing_for(inbound, detector, mailbox, requester)
    route_ticket(session, ticket, routing.decision, lookups.choose_liaison)
    if ticket.language_code and requester.language_code is None:
        requester.language_code = ticket.language_code
    return ticket, created_event


class Speaker(Protocol):
    """A requester as routing sees it: the language they wrote in before, if any."""

    @property
    def language_code(self) -> str | None: ...


@dataclass(frozen=True)
class Routing:
    """How a new ticket's language was decided: the evidence and the rule that used it."""

    detection: Detection
    hints: RoutingHints
    decision: LanguageDecision


def routing_for(
    inbound: InboundMessage,
    detector: LanguageDetector,
    mailbox: Mailbox | None,
    requester: Speaker | None,
) -> Routing:
    """Detection on the new text (quotes and signature already removed) and the sender's own
    subject, with the hints restricted to the languages the helpdesk serves."""
    served = set(detector.languages)

    def served_or_none(code: str | None) -> str | None:
        return code if code in served else None

    detection = detector.detect_message(inbound.subject, inbound.text)
    hints = RoutingHints(
        mailbox_language=served_or_none(mailbox.default_language_code if mailbox else None),
        requester_language=served_or_none(requester.language_code if requester else None),
        content_language=served_or_none(inbound.content_language),
    )
    return Routing(detection, hints, decide_language(detection, hints))


def ticket_subject(inbound: InboundMessage) -> str:
    return " ".join(inbound.subject.split())[:998] or "(no subject)"


def message_values(inbound: InboundMessage, language_code: str | None) -> dict[str, Any]:
    """The columns of the inbound Message row (both the single and the bulk path write them)."""
    return {
        "direction": Direction.IN,
        "message_id": inbound.message_id,
        "in_reply_to": inbound.in_reply_to,
        "references": " ".join(inbound.references),
        "from_email": inbound.from_email.lower(),
        "from_name": inbound.from_name,
        "to": ", ".join(inbound.to),
        "subject": inbound.subject,
        "text": inbound.text,
        "quoted_text": inbound.quoted_text,
        "html": inbound.html,
        "language_code": language_code,
        "automatic": inbound.automatic,
        "created_at": utcnow(),
    }


def attachment_values(
    part: InboundAttachment, store: BlobStore, *, fsync: bool = True
) -> dict[str, Any]:
    """Store the bytes and return the Attachment row's columns (a bulk import syncs once)."""
    return {
        "filename": part.filename,
        "content_type": part.content_type,
        "size": len(part.content),
        "sha256": store.put(part.content, fsync=fsync),
        "inline": part.inline,
        "content_id": part.content_id,
    }


def _add_message(
    session: DbSession, ticket: Ticket, inbound: InboundMessage, context: InboundContext
) -> Message:
    message = Message(ticket=ticket, **message_values(inbound, ticket.language_code))
    for part in inbound.attachments:
        message.attachments.append(Attachment(**attachment_values(part, context.attachments)))
    session.add(message)
    return message
