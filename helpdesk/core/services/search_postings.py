"""Keeping the search postings in step with messages: called in the transaction that records a
message (inbound, reply, note), so the index never falls behind and never drifts.

A ticket's first message also carries what belongs to the ticket (requester, summary, tags):
``index_tickets`` rewrites it when those change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import func, select

from search_index.documents import Document
from search_index.english import quoted_language
from search_index.postings import remove_postings, write_postings

from ..db_session import DbSession
from ..models import Contact, Message, Tag, Ticket, ticket_tags

CHUNK = 500  # ids per IN (...) list


def dialect_of(session: DbSession) -> str:
    return session.get_bind().dialect.name


def index_messages(session: DbSession, message_ids: Iterable[int]) -> int:
    """Write (or rewrite) the postings of these messages in the caller's transaction; flushes
    first so rows added in the same unit of work are seen. Returns how many were indexed."""
    session.flush()
    count = 0
    for chunk in _chunks(sorted(set(message_ids))):
        documents = build_documents(session, chunk)
        write_postings(session, dialect_of(session), documents)
        count += len(documents)
    return count


def index_tickets(session: DbSession, ticket_ids: Iterable[int]) -> int:
    """Rewrite the postings that hold ticket-level text (after a summary, tag or requester
    change): each ticket's first message."""
    session.flush()
    ids = list(set(ticket_ids))
    heads: list[int] = []
    for chunk in _chunks(ids):
        heads += session.scalars(
            select(func.min(Message.id))
            .where(Message.ticket_id.in_(chunk))
            .group_by(Message.ticket_id)
        ).all()
    return index_messages(session, heads)


def index_ticket_messages(session: DbSession, ticket_ids: Iterable[int]) -> int:
    """Rewrite every message's postings on these tickets: after a language change (messages are
    analysed in their ticket's language) or a merge (the first message changes)."""
    session.flush()
    ids = list(set(ticket_ids))
    message_ids: list[int] = []
    for chunk in _chunks(ids):
        message_ids += session.scalars(select(Message.id).where(Message.ticket_id.in_(chunk)))
    return index_messages(session, message_ids)


def unindex_messages(session: DbSession, message_ids: Iterable[int]) -> None:
    remove_postings(session, dialect_of(session), message_ids)


def build_documents(session: DbSession, message_ids: Sequence[int]) -> list[Document]:
    """The documents for these messages (at most a few hundred ids), in three queries."""
    rows = session.execute(
        select(
            Message.id,
            Message.ticket_id,
            Message.subject,
            Message.text,
            Message.quoted_text,
            Message.from_name,
            Message.from_email,
            Ticket.language_code,
        )
        .join(Ticket, Ticket.id == Message.ticket_id)
        .where(Message.id.in_(message_ids))
    ).all()
    ticket_ids = {row.ticket_id for row in rows}
    heads = _ticket_texts(session, ticket_ids) if ticket_ids else {}
    documents = []
    for row in rows:
        head_id, people, ticket_text = heads.get(row.ticket_id, (None, "", ""))
        is_head = head_id == row.id
        documents.append(
            Document(
                message_id=row.id,
                language=row.language_code,
                subject=row.subject,
                body=row.text,
                quoted=row.quoted_text,
                quoted_language=quoted_language(row.language_code, row.quoted_text),
                people=" ".join(
                    p for p in (row.from_name, row.from_email, people if is_head else "") if p
                ),
                ticket=ticket_text if is_head else "",
            )
        )
    return documents


def _ticket_texts(session: DbSession, ticket_ids: set[int]) -> dict[int, tuple[int, str, str]]:
    """Ticket id → (its first message's id, requester name and address, summary and tags)."""
    first = (
        select(Message.ticket_id, func.min(Message.id).label("head"))
        .where(Message.ticket_id.in_(ticket_ids))
        .group_by(Message.ticket_id)
        .subquery()
    )
    rows = session.execute(
        select(Ticket.id, first.c.head, Ticket.summary, Contact.name, Contact.email)
        .join(first, first.c.ticket_id == Ticket.id)
        .join(Contact, Contact.id == Ticket.requester_id)
    ).all()
    tags: dict[int, list[str]] = {}
    for ticket_id, name in session.execute(
        select(ticket_tags.c.ticket_id, Tag.name)
        .join(Tag, Tag.id == ticket_tags.c.tag_id)
        .where(ticket_tags.c.ticket_id.in_(ticket_ids))
    ):
        tags.setdefault(ticket_id, []).append(name)
    return {
        row.id: (
            row.head,
            f"{row.name} {row.email}".strip(),
            " ".join([row.summary, *tags.get(row.id, [])]).strip(),
        )
        for row in rows
    }


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
