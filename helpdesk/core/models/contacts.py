"""Requesters: the people who write in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: the mail that brought them in had no usable address (a ticket with no reply
    # address); each such requester is a contact of their own, never lumped with others.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    language_code: Mapped[str | None] = mapped_column(ForeignKey("languages.code"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def display_name(self) -> str:
        return self.name or self.email or ""

    @property
    def has_address(self) -> bool:
        """Can a reply reach them? Not when their mail came with no usable address."""
        return bool(self.email)
