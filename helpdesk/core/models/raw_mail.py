"""Every inbound message's bytes, recorded before parsing, with where processing got to."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .messages import Message


class RawMailState(enum.StrEnum):
    PENDING = "pending"  # stored, not yet processed (a crash leaves it here; it is retried)
    PROCESSED = "processed"
    FAILED = "failed"  # kept for an admin, with the reason
    RETRY = "retry"  # an admin asked for another try; the ingest worker takes it next


class RawMail(Base):
    __tablename__ = "raw_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "<Message-ID> <content digest>" (mail_ingest/dedup.py): the same mail is stored once, a
    # different one reusing a Message-ID is stored too.
    dedup_key: Mapped[str] = mapped_column(String(998), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    source: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), default=RawMailState.PENDING, index=True)
    error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]
    # Until when the process working on it has it (services/raw_mail.py, PROCESSING_LEASE).
    claimed_until: Mapped[datetime | None]

    message: Mapped[Message | None] = relationship()
