"""Which language queue a new ticket belongs to, and which liaison gets it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select

from ..db_session import DbSession
from ..errors import LanguageNotOffered
from ..errors import RoutingError as RoutingError
from ..models import (
    OPEN_STATUSES,
    AssignmentStrategy,
    EventKind,
    Language,
    Mailbox,
    Role,
    Ticket,
    User,
    user_languages,
    utcnow,
)
from .events import record_event
from .language_detection import Detection
from .search_postings import index_ticket_messages
from .tickets import assign

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
    detected: str | None = None  # what the detector said, confident or not
    hints: RoutingHints = field(default_factory=RoutingHints)


def decide_language(detection: Detection, hints: RoutingHints) -> LanguageDecision:
    """A confident detection wins; otherwise the sender's Content-Language, the mailbox's
    language, the requester's, then triage, so that a guess never sends a ticket to a queue
    nobody there can read."""

    def decision(language: str | None, rule: str) -> LanguageDecision:
        return LanguageDecision(language, detection.confidence, rule, detection.language, hints)

    if detection.language and detection.confidence >= MIN_CONFIDENCE:
        return decision(detection.language, "detected")
    if hints.content_language:
        return decision(hints.content_language, "content_language")
    if hints.mailbox_language:
        return decision(hints.mailbox_language, "mailbox_default")
    if hints.requester_language:
        return decision(hints.requester_language, "requester_language")
    return decision(None, "triage")


def _present(now: datetime) -> ColumnElement[bool]:
    """Not away, or away with a return date that has passed."""
    return or_(~User.away, User.away_until <= now)


def liaison_load(
    session: DbSession, language: str, now: datetime | None = None
) -> list[tuple[User, int]]:
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
            _present(now or utcnow()),
        )
        .group_by(User.id)
    )
    return [(user, count) for user, count in session.execute(query)]


def assignment_candidates(session: DbSession, language: str) -> list[tuple[User, int]]:
    """Who may be given a new ticket of ``language``: nobody when its queue is claim-only."""
    queue = session.get(Language, language)
    if queue is not None and queue.assignment_strategy == AssignmentStrategy.UNASSIGNED:
        return []
    return liaison_load(session, language)


_NEVER = datetime.min.replace(tzinfo=UTC)


def least_loaded(candidates: Sequence[tuple[User, int] | list]) -> User | None:
    """Fewest open tickets; among equals, whoever was given a ticket longest ago (round robin),
    then the longest-serving account."""
    if not candidates:
        return None
    user, _ = min(
        candidates, key=lambda entry: (entry[1], entry[0].last_assigned_at or _NEVER, entry[0].id)
    )
    return user


def choose_liaison(session: DbSession, language: str) -> User | None:
    """The liaison a new ticket of ``language`` goes to, by its queue's strategy."""
    return least_loaded(assignment_candidates(session, language))


@dataclass
class RoutingLookups:
    """What routing a batch of new tickets reads, fetched once per batch: the mailboxes, the
    active languages and each language's liaisons with their loads, kept current as the batch
    assigns tickets."""

    session: DbSession
    _mailboxes: dict[str, Mailbox] | None = None
    _served: tuple[str, ...] | None = None
    _liaisons: dict[str, list[list[Any]]] = field(default_factory=dict)  # code -> [[user, load]]

    def mailbox_for(self, recipients: Iterable[str]) -> Mailbox | None:
        if self._mailboxes is None:
            self._mailboxes = {m.address: m for m in self.session.scalars(select(Mailbox))}
        return next((self._mailboxes[a] for a in recipients if a.lower() in self._mailboxes), None)

    def served_languages(self) -> tuple[str, ...]:
        """The active languages: the only ones detection may choose (admins can add more)."""
        if self._served is None:
            self._served = tuple(self.session.scalars(select(Language.code).where(Language.active)))
        return self._served

    def choose_liaison(self, language: str) -> User | None:
        """As ``choose_liaison``, the loads including the tickets this batch has just assigned;
        the chosen liaison is stamped for the round robin."""
        if language not in self._liaisons:
            self._liaisons[language] = [
                [user, load] for user, load in assignment_candidates(self.session, language)
            ]
        candidates = self._liaisons[language]
        best = least_loaded(candidates)
        if best is not None:
            next(entry for entry in candidates if entry[0] is best)[1] += 1
            best.last_assigned_at = utcnow()
        return best


def routed_event_data(decision: LanguageDecision, liaison: User | None) -> dict[str, Any]:
    """What the ROUTED event keeps: the decision and its evidence, for the ticket page."""
    return {
        "language": decision.language,
        "confidence": round(decision.confidence, 4),
        "rule": decision.rule,
        "detected": decision.detected,
        "hints": {name: code for name, code in asdict(decision.hints).items() if code},
        "assignee_id": liaison.id if liaison else None,
    }


def correct_language(
    session: DbSession, ticket: Ticket, language: str | None, actor: User | None
) -> None:
    """A person's correction: the ticket moves to ``language``'s queue (None: triage) and is
    routed again there (its liaison keeps it if they speak the new language). The requester's
    language follows the correction, so their next ticket is routed right from the start."""
    if language == ticket.language_code:
        return
    queue = session.get(Language, language) if language is not None else None
    if language is not None and (queue is None or not queue.active):
        raise LanguageNotOffered(language)
    previous = ticket.language_code
    ticket.language_code = language
    ticket.language = queue
    ticket.routing_rule = "corrected"
    ticket.language_confidence = None
    record_event(
        session, ticket, EventKind.LANGUAGE_CHANGED, actor, language=language, previous=previous
    )
    if language is None:
        assign(session, ticket, None, actor)
        index_ticket_messages(session, [ticket.id])
        return
    ticket.requester.language_code = language
    index_ticket_messages(session, [ticket.id])
    if ticket.assignee is None or language not in ticket.assignee.language_codes:
        liaison = choose_liaison(session, language)
        assign(session, ticket, liaison, actor)
        if liaison is not None:
            liaison.last_assigned_at = utcnow()
