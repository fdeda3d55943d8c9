"""Which language queue a new ticket belongs to, and which liaison gets it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from ..db_session import DbSession
from ..models import OPEN_STATUSES, EventKind, Role, Ticket, User, user_languages
from .events import record_event
from .language_detection import Detection

# Measured (bench/langid.py and tests/data/langid/heldout.jsonl, script-narrowed py3langid):
# detections between 0.6 and 0.8 were right 16 times in 17, those between 0.5 and 0.6 only 4 in
# 5. A wrong queue costs more than triage, so below 0.6 the hints and triage decide.
MIN_CONFIDENCE = 0.6


@dataclass(frozen=True)
class RoutingHints:
    """What besides the text suggests a language: the sender's own declaration, where it was
    sent, what the requester wrote in before. Only configured languages are hints."""

    mailbox_language: str | None = None
    requester_language: str | None = None
    content_language: str | None = None


@dataclass(frozen=True)
class LanguageDecision:
    language: str | None  # None: the triage queue
    confidence: float
    rule: str


def decide_language(detection: Detection, hints: RoutingHints) -> LanguageDecision:
    """A confident detection wins; otherwise the sender's Content-Language, the mailbox's
    language, the requester's, then triage, so that a guess never sends a ticket to a queue
    nobody there can read."""
    if detection.language and detection.confidence >= MIN_CONFIDENCE:
        return LanguageDecision(detection.language, detection.confidence, "detected")
    if hints.content_language:
        return LanguageDecision(hints.content_language, detection.confidence, "content_language")
    if hints.mailbox_language:
        return LanguageDecision(hints.mailbox_language, detection.confidence, "mailbox_default")
    if hints.requester_language:
        return LanguageDecision(
            hints.requester_language, detection.confidence, "requester_language"
        )
    return LanguageDecision(None, detection.confidence, "triage")


def liaison_load(session: DbSession, language: str) -> list[tuple[User, int]]:
    """Active, present liaisons speaking ``language``, each with their open tickets."""
    open_count = func.count(Ticket.id)
    query = (
        select(User, open_count)
        .join(user_languages, user_languages.c.user_id == User.id)
        .outerjoin(Ticket, (Ticket.assignee_id == User.id) & Ticket.status.in_(OPEN_STATUSES))
        .where(
            user_languages.c.language_code == language,
            User.role == Role.LIAISON,
            User.active,
            ~User.away,
        )
        .group_by(User.id)
    )
    return [(user, count) for user, count in session.execute(query)]


def choose_liaison(session: DbSession, language: str) -> User | None:
    """The active, present liaison speaking ``language`` with the fewest open tickets."""
    load = liaison_load(session, language)
    return min(load, key=lambda entry: (entry[1], entry[0].id))[0] if load else None


def route_ticket(
    session: DbSession,
    ticket: Ticket,
    decision: LanguageDecision,
    choose: Callable[[str], User | None] | None = None,
) -> None:
    """Put the ticket in its language's queue and, if someone speaks it, with that liaison
    (``choose`` picks them; by default the least loaded). One event records both."""
    ticket.language_code = decision.language
    ticket.language_confidence = decision.confidence
    ticket.routing_rule = decision.rule
    liaison = None
    if decision.language is not None:
        liaison = (choose or (lambda code: choose_liaison(session, code)))(decision.language)
        ticket.assignee = liaison
    record_event(
        session,
        ticket,
        EventKind.ROUTED,
        None,
        language=decision.language,
        confidence=round(decision.confidence, 4),
        rule=decision.rule,
        assignee_id=liaison.id if liaison else None,
    )
