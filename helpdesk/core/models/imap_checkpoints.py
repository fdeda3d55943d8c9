"""How far each IMAP folder has been read: UIDVALIDITY and the last UID stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class ImapCheckpoint(Base):
    __tablename__ = "imap_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox_key: Mapped[str] = mapped_column(String(500), unique=True)  # user@host:port/folder
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
