"""IMAP accounts an admin set up in the browser; the IMAP worker re-reads them while it runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class ImapAccount(Base):
    """One mailbox to read; ``password`` is a Fernet token, never the password itself."""

    __tablename__ = "imap_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(String(253))
    port: Mapped[int]
    security: Mapped[str] = mapped_column(String(16), default="tls")  # tls or starttls
    username: Mapped[str] = mapped_column(String(254))
    password: Mapped[str] = mapped_column(Text, default="")
    ca_file: Mapped[str | None] = mapped_column(String(500))  # a private CA's PEM bundle
    folder: Mapped[str] = mapped_column(String(200), default="INBOX")
    use_idle: Mapped[bool] = mapped_column(default=True)  # IDLE where offered; else poll
    # The address mail in it was sent to: the inbound mailbox that gives its language.
    address: Mapped[str] = mapped_column(String(254), default="")
    language_code: Mapped[str | None] = mapped_column(ForeignKey("languages.code"))
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
