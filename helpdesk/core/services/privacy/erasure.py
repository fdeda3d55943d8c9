"""Erasing a requester: their personal data removed everywhere, their tickets kept as numbers.

What stays: each ticket with its status, language, mailbox, assignee and times, every event's
kind and time, and that a message (or a reply) happened when it did; so ticket counts,
response times and the timings table do not move. What goes: the contact's name and address
(it becomes "Erased requester #N"), subjects, bodies, headers, attachments, raw mail, outbox
mail and the files it left, events' data that held addresses or text, search postings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import select

from search_index.postings import optimise_postings

from ...after_commit import after_commit
from ...db_session import DbSession
from ...models import (
    AuditAction,
    Contact,
    Direction,
    EventKind,
    Message,
    OutboxMail,
    RawMail,
    Ticket,
    TicketEvent,
    User,
)
from ...storage import BlobStore
from ..audit import record_audit
from ..search_postings import dialect_of, index_messages
from .common import (
    check_may_erase,
    checkpoint_after_commit,
    forget_blobs,
    raw_mail_of,
    requester_messages,
    requester_tickets,
)
from .leftovers import outbox_files, outbox_mentioning, quarantined_from

ERASED_NAME = "Erased requester #{id}"
ERASED_SUBJECT = "(erased)"  # as "(no subject)": the queue shows something, nothing of theirs
# Event data worth keeping once a ticket is erased (ids, flags); everything else in these
# kinds' data is text a person wrote or an address.
_EVENT_KEEP = {
    EventKind.REQUESTER_CHANGED: ("previous_contact_id", "contact_id"),
    EventKind.SUMMARY_CHANGED: (),
    EventKind.HIGHLIGHT_CHANGED: ("highlighted",),
    EventKind.DELIVERY_FAILED: (),
}


@dataclass(frozen=True)
class ErasurePlan:
    """What erasure would remove: shown on the confirmation page, recorded in the audit log."""

    contact_id: int
    tickets: int
    messages: int
    attachments: int
    raw_mails: int
    outbox_mails: int


def erasure_plan(session: DbSession, contact: Contact) -> ErasurePlan:
    messages = requester_messages(session, contact, notes=True)
    ids = [m.id for m in messages]
    return ErasurePlan(
        contact_id=contact.id,
        tickets=len(requester_tickets(session, contact)),
        messages=len(messages),
        attachments=sum(len(m.attachments) for m in messages),
        raw_mails=len(raw_mail_of(session, ids)),
        outbox_mails=sum(1 for m in messages if m.outbox is not None),
    )


def erase_requester(
    session: DbSession,
    stores: Mapping[str, BlobStore],
    contact: Contact,
    actor: User | None,
    outbox_dir: Path | None = None,
) -> ErasurePlan:
    """Remove ``contact``'s personal data (admins only; None is the console). Blobs, outbox
    files and the SQLite log go after the caller's commit. Returns what was removed."""
    check_may_erase(actor)
    plan = erasure_plan(session, contact)
    address, needles = contact.email, _needles(session, contact)
    messages = requester_messages(session, contact, notes=True)
    quarantined = quarantined_from(session, stores["raw"], address)
    outbox = [m.outbox for m in messages if m.outbox is not None]
    outbox += outbox_mentioning(session, needles)
    digests = _drop_mail_rows(session, messages, quarantined, outbox, outbox_dir)
    for message in messages:
        _blank_message(message)
    _blank_tickets(session, contact)
    contact.name, contact.email = ERASED_NAME.format(id=contact.id), None
    session.flush()
    files = forget_blobs(session, stores, digests["attachments"], digests["raw"])
    index_messages(session, [m.id for m in messages])
    # FTS5 keeps deleted terms in its segments until they are merged: merge them all now.
    optimise_postings(session, dialect_of(session))
    after = {**asdict(plan), "blobs": files, "quarantined": len(quarantined)}
    record_audit(session, actor, AuditAction.REQUESTER_ERASED, target=contact, after=after)
    checkpoint_after_commit(session)
    return plan


def _needles(session: DbSession, contact: Contact) -> list[str]:
    """What marks their tickets in a digest: the address, each ticket's line (``#12 [``) and
    its subject when it is long enough not to match other tickets' by chance."""
    rows = session.execute(
        select(Ticket.id, Ticket.subject).where(Ticket.requester_id == contact.id)
    ).all()
    found = [contact.email or "", *(f"#{row.id} [" for row in rows)]
    return [
        needle for needle in [*found, *(r.subject for r in rows if len(r.subject) >= 12)] if needle
    ]


def _drop_mail_rows(
    session: DbSession,
    messages: list[Message],
    quarantined: list[RawMail],
    outbox: list[OutboxMail],
    outbox_dir: Path | None,
) -> dict[str, list[str]]:
    """Delete the attachment, raw mail, quarantine and outbox rows, and (after the commit) the
    outbox's files; returns the blob digests the rows named, by store."""
    attachments = [a for m in messages for a in m.attachments]
    raws = raw_mail_of(session, [m.id for m in messages]) + quarantined
    files = outbox_files(outbox, outbox_dir)
    after_commit(session, lambda: _unlink(files))
    for row in [*attachments, *raws, *outbox]:
        session.delete(row)
    return {"attachments": [a.sha256 for a in attachments], "raw": [r.sha256 for r in raws]}


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _blank_message(message: Message) -> None:
    """Keep that it happened (direction, author, time, language) and nothing of what it said."""
    message.subject = message.text = message.quoted_text = message.to = ""
    message.html = None
    message.references, message.in_reply_to = "", None
    if message.direction != Direction.OUT:  # ours name only our mailbox and our staff
        message.from_email = message.from_name = ""
        message.message_id = None


def _blank_tickets(session: DbSession, contact: Contact) -> None:
    tickets = requester_tickets(session, contact)
    for ticket in tickets:
        ticket.subject, ticket.summary, ticket.highlight_reason = ERASED_SUBJECT, "", ""
    events = session.scalars(
        select(TicketEvent).where(
            TicketEvent.ticket_id.in_([t.id for t in tickets]),
            TicketEvent.kind.in_(list(_EVENT_KEEP)),
        )
    )
    for event in events:
        keep = _EVENT_KEEP[EventKind(event.kind)]
        event.data = {key: value for key, value in event.data.items() if key in keep}
