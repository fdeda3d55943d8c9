"""The ticket event log: who did what when; the audit trail and the source of all metrics."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .users import User

if TYPE_CHECKING:
    from .messages import Message
    from .tickets import Ticket


class EventKind(enum.StrEnum):
    CREATED = "created"
    MESSAGE_RECEIVED = "message_received"
    ROUTED = "routed"
    ASSIGNED = "assigned"
    REPLIED = "replied"
    NOTE_ADDED = "note_added"
    STATUS_CHANGED = "status_changed"
    DELIVERY_FAILED = "delivery_failed"
    LANGUAGE_CHANGED = "language_changed"
    AUTO_ACKNOWLEDGED = "auto_acknowledged"
    TAGGED = "tagged"
    UNTAGGED = "untagged"
    MERGED = "merged"  # data: into (on the source) or from (on the target)
    SUMMARY_CHANGED = "summary_changed"
    HIGHLIGHT_CHANGED = "highlight_changed"
    REQUESTER_CHANGED = "requester_changed"  # data: address, previous_contact_id, contact_id


class TicketEvent(Base):
    __tablename__ = "ticket_events"
    # A ticket's events of one kind in time order: its timeline, its first reply (metrics read
    # these per ticket, never the whole log).
    __table_args__ = (Index("ix_ticket_events_ticket_kind", "ticket_id", "kind", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))  # what it was about
    kind: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="joined")
    ticket: Mapped[Ticket] = relationship()
    message: Mapped[Message | None] = relationship()
