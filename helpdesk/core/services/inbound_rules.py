"""The rules recording applies to one inbound message: its routing evidence and decision, the
columns of its rows, and what a bounce marks failed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select

from ..db_session import DbSession
from ..inbound_mail import InboundAttachment, InboundBounce, InboundMessage
from ..models import Direction, Mailbox, Message, utcnow
from ..storage import BlobStore
from .acknowledgements import AckPolicy
from .language_detection import Detection, LanguageDetector, get_detector
from .outbox import mark_bounced
from .routing import LanguageDecision, RoutingHints, decide_language


@dataclass(frozen=True)
class InboundContext:
    """The dependencies recording needs, injected by the caller. ``acknowledgements`` is None
    where requesters must not be answered automatically (a bulk import of old mail)."""

    attachments: BlobStore
    detector_for: Callable[[tuple[str, ...]], LanguageDetector] = get_detector
    acknowledgements: AckPolicy | None = None


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
