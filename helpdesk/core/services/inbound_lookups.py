"""What recording inbound mail looks up, fetched once per batch in a few queries as plain rows.

Tickets the batch may thread into (by Message-ID, by the subject's reference, through merges),
their requesters and the addresses known to have written on them, and the senders' contacts.
Kept current as the batch is recorded, so nothing is flushed or queried per message. A single
message is a batch of one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import func, select

from ..bulk_sql import PendingRows, Row, new_ids_follow_the_largest
from ..db_session import DbSession
from ..inbound_mail import InboundMessage
from ..models import Contact, Direction, Message, Status, Ticket
from .thread_matching import MAX_MERGE_HOPS, SUBJECT_REFERENCE

_CHUNK = 500  # bound IN lists
T = TypeVar("T")
_CONTACT_COLUMNS = (Contact.id, Contact.email, Contact.name, Contact.language_code)
MAX_ID = 2**31 - 1  # a larger "[#N]" names no ticket (and would overflow PostgreSQL's integer)


@dataclass(eq=False, kw_only=True)
class ContactRow(Row):
    email: str | None  # None: the mail had no usable address (a ticket with no reply address)
    name: str
    language_code: str | None


@dataclass(eq=False, kw_only=True)
class TicketRow(Row):
    status: str
    language_code: str | None
    requester: ContactRow
    created_here: bool  # opened by this batch: everything about it is in memory
    senders: set[str] = field(default_factory=set)  # addresses known to write on it
    merged_into_id: int | None = None  # mail for it goes to that ticket


@dataclass
class ThreadLookups:
    session: DbSession
    rows: PendingRows
    tickets_by_message_id: dict[str, TicketRow] = field(default_factory=dict)
    tickets_by_id: dict[int, TicketRow] = field(default_factory=dict)
    contacts: dict[str, ContactRow] = field(default_factory=dict)
    known_senders: set[tuple[int, str]] = field(default_factory=set)  # (ticket id, address)
    unwritten_tickets: list[TicketRow] = field(default_factory=list)
    last_ticket_id_before: int = 0  # tickets this batch opens get larger ids
    ids_follow_the_largest: bool = False
    tickets_opened: int = 0

    @classmethod
    def prefetch(
        cls, session: DbSession, batch: list[InboundMessage], rows: PendingRows
    ) -> ThreadLookups:
        lookups = cls(
            session,
            rows,
            last_ticket_id_before=_last_ticket_id(session),
            ids_follow_the_largest=new_ids_follow_the_largest(session),
        )
        ticket_of_message = lookups._ticket_ids_by_message_id(
            {mid for inbound in batch for mid in threading_ids(inbound)}
        )
        references = {_subject_reference(inbound.subject) for inbound in batch}
        lookups._load_tickets({*ticket_of_message.values(), *references} - {None})
        lookups._load_merge_targets()
        lookups.tickets_by_message_id = {
            mid: lookups.tickets_by_id[ticket_id]
            for mid, ticket_id in ticket_of_message.items()
            if ticket_id in lookups.tickets_by_id
        }
        senders = {inbound.from_email.lower() for inbound in batch}
        lookups._load_contacts(senders)
        lookups._load_known_senders(list(lookups.tickets_by_id), senders)
        return lookups

    def ticket_for(self, message_ids: list[str], subject: str) -> TicketRow | None:
        """The ticket holding any of ``message_ids`` (in order), or the one whose reference the
        subject carries, tickets opened earlier in the batch included; a merged ticket's mail
        goes to the ticket it was merged into."""
        for mid in message_ids:
            if mid in self.tickets_by_message_id:
                return self._follow_merges(self.tickets_by_message_id[mid])
        reference = _subject_reference(subject)
        if reference is None:
            return None
        if reference not in self.tickets_by_id and self._may_name_a_new_ticket(reference):
            self._give_ids_to_new_tickets()
        ticket = self.tickets_by_id.get(reference)
        return self._follow_merges(ticket) if ticket is not None else None

    def _follow_merges(self, ticket: TicketRow) -> TicketRow:
        """The ticket a merged ticket now lives on; the targets were loaded with the batch."""
        for _ in range(MAX_MERGE_HOPS):
            target = self.tickets_by_id.get(ticket.merged_into_id or 0)
            if target is None:
                return ticket
            ticket = target
        return ticket

    def _load_merge_targets(self) -> None:
        for _ in range(MAX_MERGE_HOPS):
            missing = {
                t.merged_into_id
                for t in self.tickets_by_id.values()
                if t.merged_into_id is not None and t.merged_into_id not in self.tickets_by_id
            }
            if not missing:
                return
            self._load_tickets(missing)

    def _may_name_a_new_ticket(self, reference: int) -> bool:
        """Could ``reference`` be the id of a ticket this batch opened and did not write yet?
        Not if it is older than the batch; and where new ids follow the largest, not if it is
        beyond the ids the batch's tickets take. Otherwise writing them tells."""
        if not self.unwritten_tickets or reference <= self.last_ticket_id_before:
            return False
        if self.ids_follow_the_largest:
            return reference <= self.last_ticket_id_before + self.tickets_opened
        return True

    def remember(self, message_id: str, ticket: TicketRow) -> None:
        if message_id:
            self.tickets_by_message_id[message_id] = ticket

    def sender_known(self, ticket: TicketRow, address: str) -> bool:
        """Is ``address`` the requester's, or one that has written on this ticket before?"""
        address = address.lower()
        if not address:  # no address proves nothing about who wrote
            return False
        if address == ticket.requester.email or address in ticket.senders:
            return True
        return not ticket.created_here and (ticket.id, address) in self.known_senders

    def contact(self, email: str, name: str) -> ContactRow:
        """One contact per address (lower-cased); a name learned later fills an empty one."""
        address = email.strip().lower()
        contact = self.contacts.get(address) if address else None
        if contact is None:
            values = {"email": address or None, "name": name.strip(), "language_code": None}
            contact = ContactRow(email=address or None, name=name.strip(), language_code=None)
            contact.values = values
            if address:  # no reply address: a contact of their own, never shared
                self.contacts[address] = contact
            self.rows.add(Contact, contact)
        elif name and not contact.name:
            contact.name = name.strip()
            self.rows.change(Contact, contact, name=contact.name)
        return contact

    def new_ticket(self, requester: ContactRow, **values: Any) -> TicketRow:
        ticket = TicketRow(
            values=values,
            status=Status.NEW,
            language_code=None,
            requester=requester,
            created_here=True,
        )
        self.rows.add(Ticket, ticket)
        self.unwritten_tickets.append(ticket)
        self.tickets_opened += 1
        return ticket

    def write(self) -> None:
        """Write everything pending; tickets opened so far can then be found by id."""
        self.rows.write(self.session)
        self._index_written_tickets()

    def _give_ids_to_new_tickets(self) -> None:
        if self.unwritten_tickets:
            self.rows.write(self.session, through=Ticket)
            self._index_written_tickets()

    def _index_written_tickets(self) -> None:
        for ticket in self.unwritten_tickets:
            assert ticket.id is not None
            self.tickets_by_id[ticket.id] = ticket
        self.unwritten_tickets.clear()

    def _ticket_ids_by_message_id(self, message_ids: set[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in chunked(message_ids):
            query = select(Message.message_id, Message.ticket_id).where(
                Message.message_id.in_(chunk)
            )
            found.update((mid, ticket_id) for mid, ticket_id in self.session.execute(query) if mid)
        return found

    def _load_tickets(self, ticket_ids: Iterable[int | None]) -> None:
        ids = [ticket_id for ticket_id in ticket_ids if ticket_id is not None]
        for chunk in chunked(ids):
            query = (
                select(
                    Ticket.id.label("ticket_id"),
                    Ticket.status,
                    Ticket.language_code.label("ticket_language"),
                    Ticket.merged_into_id,
                    *_CONTACT_COLUMNS,
                )
                .join(Contact, Ticket.requester_id == Contact.id)
                .where(Ticket.id.in_(chunk))
            )
            for row in self.session.execute(query):
                self.tickets_by_id[row.ticket_id] = TicketRow(
                    id=row.ticket_id,
                    status=row.status,
                    language_code=row.ticket_language,
                    requester=self._known_contact(row.id, row.email, row.name, row.language_code),
                    created_here=False,
                    merged_into_id=row.merged_into_id,
                )

    def _load_contacts(self, addresses: set[str]) -> None:
        for chunk in chunked(addresses):
            query = select(*_CONTACT_COLUMNS).where(Contact.email.in_(chunk))
            for row in self.session.execute(query):
                self._known_contact(*row)

    def _known_contact(
        self, contact_id: int, email: str | None, name: str, language_code: str | None
    ) -> ContactRow:
        if email is None:  # no reply address: a contact of their own
            return ContactRow(id=contact_id, email=None, name=name, language_code=language_code)
        if email not in self.contacts:
            self.contacts[email] = ContactRow(
                id=contact_id, email=email, name=name, language_code=language_code
            )
        return self.contacts[email]

    def _load_known_senders(self, ticket_ids: list[int], addresses: set[str]) -> None:
        for ticket_chunk in chunked(ticket_ids):
            for address_chunk in chunked(addresses):
                query = (
                    select(Message.ticket_id, Message.from_email)
                    .where(
                        Message.ticket_id.in_(ticket_chunk),
                        Message.from_email.in_(address_chunk),
                        Message.direction == Direction.IN,
                        ~Message.unknown_sender,
                    )
                    .distinct()
                )
                self.known_senders.update(
                    (ticket_id, email) for ticket_id, email in self.session.execute(query)
                )


def chunked(values: Iterable[T]) -> Iterable[list[T]]:
    """Bounded IN lists."""
    items = list(values)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def threading_ids(inbound: InboundMessage) -> list[str]:
    """Message-IDs that may name the ticket, most telling first."""
    ids = [inbound.in_reply_to or "", *reversed(inbound.references)]
    if inbound.bounce and inbound.bounce.original_message_id:
        ids.insert(0, inbound.bounce.original_message_id)
    return [mid for mid in ids if mid]


def _last_ticket_id(session: DbSession) -> int:
    return session.scalar(select(func.max(Ticket.id))) or 0


def _subject_reference(subject: str) -> int | None:
    match = SUBJECT_REFERENCE.search(subject)
    if match is None or int(match.group(1)) > MAX_ID:
        return None
    return int(match.group(1))
