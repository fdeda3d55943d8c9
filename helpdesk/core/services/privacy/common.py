"""What export, erasure and retention share: finding a requester, their rows, and their blobs."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from functools import partial

from sqlalchemy import or_, select, text
from sqlalchemy.engine import Engine

from ...after_commit import after_commit
from ...db_session import DbSession
from ...errors import PrivacyNotPermitted, RequesterNotFound
from ...models import Attachment, Contact, Direction, Message, RawMail, Role, Ticket, User
from ...storage import BlobStore

log = logging.getLogger(__name__)


def find_requester(session: DbSession, address: str) -> Contact:
    """The contact with this address (addresses are stored lower-cased)."""
    contact = session.scalar(select(Contact).where(Contact.email == address.strip().lower()))
    if contact is None:
        raise RequesterNotFound(address)
    return contact


def check_may_export(actor: User | None) -> None:
    """Coordinators and admins (they see every ticket anyway); None is the console."""
    if actor is not None and not actor.sees_all_tickets:
        raise PrivacyNotPermitted()


def check_may_erase(actor: User | None) -> None:
    """Admins only: erasure cannot be undone."""
    if actor is not None and actor.role != Role.ADMIN:
        raise PrivacyNotPermitted()


def requester_tickets(session: DbSession, contact: Contact) -> list[Ticket]:
    query = select(Ticket).where(Ticket.requester_id == contact.id).order_by(Ticket.id)
    return list(session.scalars(query))


def requester_messages(session: DbSession, contact: Contact, *, notes: bool) -> list[Message]:
    """Every message on their tickets (internal notes only if ``notes``), and the mail they
    sent that was threaded onto someone else's ticket."""
    on_theirs = Message.ticket_id.in_(select(Ticket.id).where(Ticket.requester_id == contact.id))
    theirs_elsewhere = (Message.direction == Direction.IN) & (Message.from_email == contact.email)
    query = select(Message).where(or_(on_theirs, theirs_elsewhere) if contact.email else on_theirs)
    if not notes:
        query = query.where(Message.direction != Direction.NOTE)
    return list(session.scalars(query.order_by(Message.ticket_id, Message.created_at, Message.id)))


def raw_mail_of(session: DbSession, message_ids: Iterable[int]) -> list[RawMail]:
    ids = list(message_ids)
    found: list[RawMail] = []
    for start in range(0, len(ids), 500):
        query = select(RawMail).where(RawMail.message_id.in_(ids[start : start + 500]))
        found += session.scalars(query.order_by(RawMail.id))
    return found


def forget_blobs(
    session: DbSession,
    stores: Mapping[str, BlobStore],
    attachment_digests: Iterable[str],
    raw_digests: Iterable[str],
) -> int:
    """After the rows naming them were deleted (and flushed): delete the blobs no other row
    names, once the commit holds. Returns how many will go."""
    doomed = []
    for digest in set(attachment_digests):
        if (
            session.scalar(select(Attachment.id).where(Attachment.sha256 == digest).limit(1))
            is None
        ):
            doomed.append(("attachments", digest))
    for digest in set(raw_digests):
        if session.scalar(select(RawMail.id).where(RawMail.sha256 == digest).limit(1)) is None:
            doomed.append(("raw", digest))
    for store_name, digest in doomed:
        after_commit(session, partial(stores[store_name].delete, digest))
    return len(doomed)


def checkpoint_after_commit(session: DbSession) -> None:
    """SQLite: once the commit (and the blob deletions before this) hold, copy the write-ahead
    log into the database file and truncate it, so the log keeps no page of what was removed.
    The database file's freed space is zeroed by ``secure_delete`` (set on every connection)."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return
    engine = bind if isinstance(bind, Engine) else bind.engine

    def checkpoint() -> None:
        with engine.connect() as connection:
            busy = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).scalar()
        if busy:  # a reader held on: the next checkpoint (automatic or ours) finishes the job
            log.warning("the write-ahead log could not be truncated after an erasure")

    after_commit(session, checkpoint)
