"""Tickets: one conversation with a requester, in one language, owned by at most one liaison."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .contacts import Contact
from .languages import Language
from .mailboxes import Mailbox
from .tags import Tag, ticket_tags
from .users import User

if TYPE_CHECKING:
    from .messages import Message


class Status(enum.StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending"
    RESOLVED = "resolved"
    CLOSED = "closed"


OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        # The queue's index: its counts, filters by language or assignee, and the page's ids in
        # each sort order are answered from it alone (measured with bench/web.py at 100k).
        Index(
            "ix_tickets_queue",
            "status",
            "language_code",
            "assignee_id",
            "last_requester_message_at",
            "created_at",
        ),
        Index("ix_tickets_assignee_status", "assignee_id", "status"),
        # Metrics by period: tickets opened, and tickets resolved, in a date range.
        Index("ix_tickets_created_at", "created_at"),
        Index("ix_tickets_resolved_at", "resolved_at"),
        Index("ix_tickets_updated_at", "updated_at"),  # what changed since the timings
        # A requester's tickets, oldest first: their history, and whether they wrote before.
        Index("ix_tickets_requester_created", "requester_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(998))
    status: Mapped[str] = mapped_column(String(16), default=Status.NEW)
    language_code: Mapped[str | None] = mapped_column(ForeignKey("languages.code"))
    language_confidence: Mapped[float | None]
    routing_rule: Mapped[str | None] = mapped_column(String(64))
    requester_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    mailbox_id: Mapped[int | None] = mapped_column(ForeignKey("mailboxes.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_requester_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    # Set when this ticket was merged into another: mail that names it follows the pointer.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    # For coordinators, who may not read the ticket's language: written by its liaison.
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    highlighted: Mapped[bool] = mapped_column(default=False, server_default=false())
    highlight_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")

    language: Mapped[Language | None] = relationship(lazy="joined")
    requester: Mapped[Contact] = relationship(lazy="joined")
    assignee: Mapped[User | None] = relationship(lazy="joined")
    mailbox: Mapped[Mailbox | None] = relationship()
    messages: Mapped[list[Message]] = relationship(
        back_populates="ticket", order_by="Message.created_at, Message.id"
    )
    tags: Mapped[list[Tag]] = relationship(secondary=ticket_tags, order_by=Tag.name)

    @property
    def reference(self) -> str:
        """The public reference requesters see and quote, e.g. ``#4821``."""
        return f"#{self.id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
