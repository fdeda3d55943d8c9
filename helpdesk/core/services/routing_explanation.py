"""Explaining where a message would be routed, and to whom, without storing anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ..db_session import DbSession
from ..inbound_mail import InboundMessage
from ..models import Contact, EventKind, Ticket, TicketEvent, User
from .inbound_rules import routing_for
from .language_detection import LanguageDetector, get_detector
from .routing import RoutingLookups, choose_liaison


@dataclass(frozen=True)
class RoutingExplanation:
    language: str | None  # the queue's language; None is the triage queue
    confidence: float
    detected: str | None  # what the detector said, confident or not
    rule: str
    hints: dict[str, str | None] = field(default_factory=dict)
    liaison: str | None = None  # who would get it now

    @property
    def queue(self) -> str:
        return self.language or "triage"


def explain_routing(
    session: DbSession,
    inbound: InboundMessage,
    detector_for: Callable[[tuple[str, ...]], LanguageDetector] = get_detector,
) -> RoutingExplanation:
    """The decision a new ticket from ``inbound`` would get now (read-only: nothing is added)."""
    requester = session.scalar(
        select(Contact).where(Contact.email == inbound.from_email.strip().lower())
    )
    lookups = RoutingLookups(session)
    mailbox = lookups.mailbox_for(inbound.to)
    detector = detector_for(lookups.served_languages())
    routing = routing_for(inbound, detector, mailbox, requester)
    decision = routing.decision
    liaison = choose_liaison(session, decision.language) if decision.language else None
    return RoutingExplanation(
        language=decision.language,
        confidence=round(decision.confidence, 4),
        detected=routing.detection.language,
        rule=decision.rule,
        hints={
            "content_language": routing.hints.content_language,
            "mailbox_language": routing.hints.mailbox_language,
            "requester_language": routing.hints.requester_language,
        },
        liaison=liaison.email if liaison else None,
    )


@dataclass(frozen=True)
class RoutingStep:
    """One decision about a ticket's queue, from its event: the router's or a person's."""

    at: datetime
    rule: str  # a routing rule, or "corrected"
    language: str | None
    previous: str | None = None  # corrections: the language before
    detected: str | None = None
    confidence: float | None = None
    hints: dict[str, str] = field(default_factory=dict)
    assignee: str | None = None  # who the router gave it to
    actor: str | None = None  # who corrected it


def ticket_routing(session: DbSession, ticket: Ticket) -> list[RoutingStep]:
    """How the ticket got to its queue, oldest decision first: what the ticket page explains."""
    events = session.scalars(
        select(TicketEvent)
        .where(
            TicketEvent.ticket_id == ticket.id,
            TicketEvent.kind.in_([EventKind.ROUTED, EventKind.LANGUAGE_CHANGED]),
        )
        .order_by(TicketEvent.created_at, TicketEvent.id)
    )
    steps = []
    for event in events:
        data = event.data
        if event.kind == EventKind.LANGUAGE_CHANGED:
            steps.append(
                RoutingStep(
                    at=event.created_at,
                    rule="corrected",
                    language=data.get("language"),
                    previous=data.get("previous"),
                    actor=event.actor.name if event.actor else None,
                )
            )
            continue
        assignee = session.get(User, data["assignee_id"]) if data.get("assignee_id") else None
        steps.append(
            RoutingStep(
                at=event.created_at,
                rule=data.get("rule", ""),
                language=data.get("language"),
                detected=data.get("detected"),
                confidence=data.get("confidence"),
                hints=data.get("hints", {}),
                assignee=assignee.name if assignee else None,
            )
        )
    return steps
