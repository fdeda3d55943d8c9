"""What recording inbound mail must look up, fetched once per unit of work.

A bulk import records hundreds of messages in one transaction. Rather than flush and query the
database before each one, the lookups are prefetched for the whole batch and kept current as
messages are recorded, so nothing needs flushing until the end (where SQLAlchemy then writes
each table in one statement). A single message uses the same code with a batch of one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select

from ..db_session import DbSession
from ..models import Contact, Direction, Language, Mailbox, Message, Ticket, User
from .contacts import new_contact
from .routing import assignment_candidates, least_loaded
from .thread_matching import SUBJECT_REFERENCE, follow_merges

_CHUNK = 500  # bound IN lists
T = TypeVar("T")


def chunked(values: Iterable[T]) -> Iterable[list[T]]:
    """Bounded IN lists."""
    items = list(values)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


@dataclass
class InboundLookups:
    session: DbSession
    tickets_by_message_id: dict[str, Ticket] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    _mailboxes: dict[str, Mailbox] | None = None
    _served: tuple[str, ...] | None = None
    _liaisons: dict[str, list[list]] = field(default_factory=dict)  # language -> [[user, load]]
    _senders: dict[Ticket, set[str]] = field(default_factory=dict)  # ticket -> known addresses

    @classmethod
    def prefetch(
        cls, session: DbSession, message_ids: Iterable[str], sender_emails: Iterable[str]
    ) -> InboundLookups:
        lookups = cls(session)
        for chunk in chunked({mid for mid in message_ids if mid}):
            rows = session.execute(
                select(Message.message_id, Ticket)
                .join(Ticket, Message.ticket_id == Ticket.id)
                .where(Message.message_id.in_(chunk))
            )
            lookups.tickets_by_message_id.update((mid, ticket) for mid, ticket in rows if mid)
        for chunk in chunked({email.lower() for email in sender_emails}):
            contacts = session.scalars(select(Contact).where(Contact.email.in_(chunk)))
            lookups.contacts.update((contact.email or "", contact) for contact in contacts)
        return lookups

    def ticket_for(self, message_ids: list[str], subject: str) -> Ticket | None:
        """The ticket holding any of ``message_ids`` (in order), or the one whose reference
        the subject carries; a merged ticket's mail goes to the ticket it was merged into."""
        for mid in message_ids:
            if mid in self.tickets_by_message_id:
                return follow_merges(self.session, self.tickets_by_message_id[mid])
        match = SUBJECT_REFERENCE.search(subject)
        ticket = self.session.get(Ticket, int(match.group(1))) if match else None
        return follow_merges(self.session, ticket) if ticket is not None else None

    def remember(self, message: Message, ticket: Ticket) -> None:
        if message.message_id:
            self.tickets_by_message_id[message.message_id] = ticket

    def sender_known(self, ticket: Ticket, address: str) -> bool:
        """Is ``address`` the requester's, or one that has written on this ticket before?"""
        address = address.lower()
        if not address:  # no address proves nothing about who wrote
            return False
        if address == ticket.requester.email or address in self._senders.get(ticket, ()):
            return True
        if ticket.id is None:  # opened in this batch: everything about it is in memory
            return False
        return (
            self.session.scalar(
                select(Message.id)
                .where(
                    Message.ticket_id == ticket.id,
                    Message.from_email == address,
                    Message.direction == Direction.IN,
                    ~Message.unknown_sender,
                )
                .limit(1)
            )
            is not None
        )

    def add_known_sender(self, ticket: Ticket, address: str) -> None:
        self._senders.setdefault(ticket, set()).add(address.lower())

    def contact(self, email: str, name: str) -> Contact:
        """One contact per address; a name learned later fills an empty one."""
        address = email.strip().lower()
        if not address:  # no reply address: a contact of their own, never shared
            return new_contact(self.session, "", name)
        contact = self.contacts.get(address)
        if contact is None:
            contact = self.contacts[address] = new_contact(self.session, address, name)
        elif name and not contact.name:
            contact.name = name.strip()
        return contact

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
        """By the queue's strategy (``routing.choose_liaison``); the loads include the tickets
        this batch has just assigned."""
        if language not in self._liaisons:
            self._liaisons[language] = [
                [user, load] for user, load in assignment_candidates(self.session, language)
            ]
        candidates = self._liaisons[language]
        best = least_loaded(candidates)
        if best is not None:
            next(entry for entry in candidates if entry[0] is best)[1] += 1
        return best
