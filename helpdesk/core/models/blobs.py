"""Blob bytes kept in the database itself, for installations whose machines share no disk."""

from __future__ import annotations

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Blob(Base):
    """One stored content of one store ('raw' or 'attachments'), named by its SHA-256. Rows
    that use it name it by digest only (no foreign key): the same rows work with the folder
    store, and a blob is written before the row that names it."""

    __tablename__ = "blobs"

    store: Mapped[str] = mapped_column(String(16), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
