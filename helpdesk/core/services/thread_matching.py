"""Finding the ticket an incoming message answers: headers first, then the subject's reference."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select

from ..db_session import DbSession
from ..models import Message, Ticket

# The reference as we put it in subjects: "[#4821]". Liberal in what it accepts ("[ #4821 ]").
SUBJECT_REFERENCE = re.compile(r"\[\s*#(\d{1,12})\s*\]")


def subject_with_reference(subject: str, ticket: Ticket) -> str:
    """The subject for mail about ``ticket``, carrying its reference exactly once."""
    subject = " ".join(
        subject.split()
    )  # also drops CR/LF: nothing from a mail reaches a header raw
    if SUBJECT_REFERENCE.search(subject):
        return subject
    return f"{subject} [{ticket.reference}]".strip()


def find_ticket_for(session: DbSession, message_ids: Iterable[str], subject: str) -> Ticket | None:
    """The ticket holding any of ``message_ids`` (In-Reply-To first, then References), or the
    one whose reference the subject carries."""
    ids = [mid for mid in message_ids if mid]
    if ids:
        rows = session.execute(
            select(Message.message_id, Message.ticket_id).where(Message.message_id.in_(ids))
        ).all()
        by_message_id = {message_id: ticket_id for message_id, ticket_id in rows}
        for mid in ids:
            if mid in by_message_id:
                return session.get(Ticket, by_message_id[mid])
    match = SUBJECT_REFERENCE.search(subject)
    if match:
        return session.get(Ticket, int(match.group(1)))
    return None
