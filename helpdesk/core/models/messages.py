"""Messages on a ticket (inbound, outbound, internal notes) and their attachments."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .users import User

if TYPE_CHECKING:
    from .outbox import OutboxMail
    from .tickets import Ticket


class Direction(enum.StrEnum):
    IN = "in"
    OUT = "out"
    NOTE = "note"


class Message(Base):
    __tablename__ = "messages"
    # Automatic answers to one address in a time window: the rate limit's question.
    __table_args__ = (Index("ix_messages_to_created_at", "to", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Threading: our own Message-ID for outgoing mail, the sender's for incoming.
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references: Mapped[str] = mapped_column(Text, default="")
    from_email: Mapped[str] = mapped_column(String(254), default="")
    from_name: Mapped[str] = mapped_column(String(200), default="")
    to: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(998), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    quoted_text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str | None] = mapped_column(Text)  # sanitized on the way in, never raw
    language_code: Mapped[str | None] = mapped_column(String(16))
    automatic: Mapped[bool] = mapped_column(default=False)  # auto-reply, bounce, list mail
    # A reply threaded in from an address that is not the requester's: worth a second look.
    unknown_sender: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship(lazy="joined")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="message", lazy="selectin", order_by="Attachment.id"
    )
    outbox: Mapped[OutboxMail | None] = relationship(back_populates="message", lazy="selectin")


class Attachment(Base):
    """Metadata only; the bytes live in the content-addressed attachment store."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    inline: Mapped[bool] = mapped_column(default=False)
    # The Content-ID an HTML body refers to as ``cid:…``, without the angle brackets.
    content_id: Mapped[str | None] = mapped_column(String(255))

    message: Mapped[Message] = relationship(back_populates="attachments")
