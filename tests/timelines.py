"""Hand-built ticket histories for metric tests: events at chosen instants, as the services
would have written them (the services stamp the current time, which a test cannot choose)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import count

from helpdesk.core.models import Contact, EventKind, Status, Ticket, TicketEvent, User

_numbers = count(1)


@dataclass
class Timeline:
    """``Timeline(session, "fr", opened).reply(t).status(t, "pending")...`` in time order."""

    session: object
    language: str
    opened: datetime
    assignee: User | None = None
    requester: Contact | None = None
    ticket: Ticket = field(init=False)

    def __post_init__(self) -> None:
        n = next(_numbers)
        requester = self.requester or Contact(email=f"person{n}@example.com", name=f"Person {n}")
        self.ticket = Ticket(
            subject=f"Question {n}",
            status=Status.NEW,
            language_code=self.language,
            requester=requester,
            assignee=self.assignee,
            created_at=self.opened,
            updated_at=self.opened,
            last_requester_message_at=self.opened,
        )
        self.session.add(self.ticket)  # type: ignore[attr-defined]
        self._event(EventKind.CREATED, self.opened, source="mail")

    def _event(self, kind: EventKind, at: datetime, actor: User | None = None, **data) -> None:
        self.session.add(  # type: ignore[attr-defined]
            TicketEvent(ticket=self.ticket, kind=kind, data=data, created_at=at, actor=actor)
        )
        self.ticket.updated_at = max(self.ticket.updated_at, at)

    def reply(self, at: datetime, status: str | None = None) -> Timeline:
        self._event(EventKind.REPLIED, at, self.assignee)
        if self.ticket.first_response_at is None:
            self.ticket.first_response_at = at
        return self.status(at, status) if status else self.status(at, Status.OPEN)

    def note(self, at: datetime) -> Timeline:
        self._event(EventKind.NOTE_ADDED, at, self.assignee)
        return self

    def acknowledged(self, at: datetime) -> Timeline:
        self._event(EventKind.AUTO_ACKNOWLEDGED, at, sent=True)
        return self

    def status(self, at: datetime, status: str) -> Timeline:
        if status == self.ticket.status:
            return self
        self._event(EventKind.STATUS_CHANGED, at, status=status, previous=self.ticket.status)
        self.ticket.status = status
        self.ticket.resolved_at = at if status in (Status.RESOLVED, Status.CLOSED) else None
        return self

    def requester_wrote(self, at: datetime) -> Timeline:
        self._event(EventKind.MESSAGE_RECEIVED, at)
        self.ticket.last_requester_message_at = at
        return self.status(at, Status.OPEN)
