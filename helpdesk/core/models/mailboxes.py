"""Inbound addresses the helpdesk answers for, each with an optional default language."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Mailbox(Base):
    __tablename__ = "mailboxes"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    default_language_code: Mapped[str | None] = mapped_column(ForeignKey("languages.code"))
    # Retention: tickets idle this many months are closed and their raw mail and attachments
    # purged (helpdesk retention); None keeps everything.
    retention_months: Mapped[int | None]
