"""Merging two tickets about the same conversation into one."""

from __future__ import annotations

from sqlalchemy import select

from ..db_session import DbSession
from ..errors import AlreadyMerged, MergeIntoItself
from ..errors import MergeError as MergeError
from ..models import AuditAction, EventKind, Status, Ticket, TicketEvent, User
from .audit import record_audit
from .events import record_event
from .permissions import require_oversight
from .search_postings import index_ticket_messages
from .tickets import assign, change_status


def merge_into_older(session: DbSession, first: Ticket, second: Ticket, actor: User) -> Ticket:
    """Merge the newer of two tickets into the older; returns the one that remains."""
    source, target = sorted((first, second), key=lambda t: (t.created_at, t.id), reverse=True)
    merge_tickets(session, source, target, actor)
    return target


def merge_tickets(session: DbSession, source: Ticket, target: Ticket, actor: User) -> None:
    """Move the source's messages (with their attachments), events and tags into the target,
    then close the source pointing at the target.

    Threading keeps working: a reply to one of the source's Message-IDs finds that message,
    now on the target; a subject quoting ``[#source]`` follows ``merged_into_id``. Coordinators
    and admins only."""
    require_oversight(actor)
    if source.id == target.id:
        raise MergeIntoItself()
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise AlreadyMerged()
    for message in list(source.messages):
        message.ticket = target
    for event in session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == source.id)):
        event.ticket = target
    for tag in source.tags:
        if tag not in target.tags:
            target.tags.append(tag)
    _combine_timestamps(source, target)
    if target.assignee is None and source.assignee is not None:
        assign(session, target, source.assignee, actor)
    if source.is_open and not target.is_open:  # the conversation goes on, on the target
        change_status(session, target, Status.OPEN, actor)
    change_status(session, source, Status.CLOSED, actor)
    source.merged_into_id = target.id
    record_event(session, source, EventKind.MERGED, actor, into=target.id)
    record_event(session, target, EventKind.MERGED, actor, source=source.id)
    record_audit(
        session, actor, AuditAction.TICKETS_MERGED, target=target, before={"source": source.id}
    )
    index_ticket_messages(session, [target.id])  # flushes; its first message may have changed


def _combine_timestamps(source: Ticket, target: Ticket) -> None:
    target.last_requester_message_at = max(
        target.last_requester_message_at, source.last_requester_message_at
    )
    answered = [t for t in (target.first_response_at, source.first_response_at) if t]
    target.first_response_at = min(answered) if answered else None
