"""What liaisons tell coordinators about a ticket: an English summary, and a highlight."""

from __future__ import annotations

from dataclasses import dataclass

from ..db_session import DbSession
from ..errors import CoordinationError as CoordinationError
from ..errors import HighlightReasonMissing, HighlightReasonTooLong, SummaryTooLong
from ..models import EventKind, Ticket, User
from .events import record_event
from .search_postings import index_tickets

MAX_SUMMARY_CHARS = 4_000
MAX_REASON_CHARS = 500


@dataclass(frozen=True)
class HighlightInput:
    highlighted: bool
    reason: str = ""


def set_summary(session: DbSession, ticket: Ticket, actor: User, summary: str) -> bool:
    """Replace the English summary; returns False (and records nothing) when it is unchanged."""
    summary = summary.replace("\r\n", "\n").strip()
    if len(summary) > MAX_SUMMARY_CHARS:
        raise SummaryTooLong(MAX_SUMMARY_CHARS)
    if summary == ticket.summary:
        return False
    previous = ticket.summary
    ticket.summary = summary
    record_event(
        session, ticket, EventKind.SUMMARY_CHANGED, actor, summary=summary, previous=previous
    )
    index_tickets(session, [ticket.id])
    return True


def set_highlight(session: DbSession, ticket: Ticket, actor: User, data: HighlightInput) -> None:
    """Flag the ticket for coordinators with a reason (required), or clear the flag."""
    reason = " ".join(data.reason.split()) if data.highlighted else ""
    if data.highlighted and not reason:
        raise HighlightReasonMissing()
    if len(reason) > MAX_REASON_CHARS:
        raise HighlightReasonTooLong(MAX_REASON_CHARS)
    if ticket.highlighted == data.highlighted and ticket.highlight_reason == reason:
        return
    ticket.highlighted, ticket.highlight_reason = data.highlighted, reason
    record_event(
        session,
        ticket,
        EventKind.HIGHLIGHT_CHANGED,
        actor,
        highlighted=data.highlighted,
        reason=reason,
    )
    session.flush()
