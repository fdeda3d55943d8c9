"""Explaining where a message would be routed, and to whom, without storing anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from ..db_session import DbSession
from ..models import Contact
from .inbound import InboundMessage, routing_for
from .inbound_lookups import InboundLookups
from .language_detection import LanguageDetector, get_detector
from .routing import choose_liaison


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
    lookups = InboundLookups(session)
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
