"""Signatures: what a liaison signs with, one per language they answer in."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Signature(Base):
    """Appended to the liaison's replies in ``language_code``; a reply in another language
    gets that language's signature, never a signature the requester cannot read."""

    __tablename__ = "signatures"
    __table_args__ = (UniqueConstraint("user_id", "language_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    language_code: Mapped[str] = mapped_column(String(16), ForeignKey("languages.code"))
    body: Mapped[str] = mapped_column(Text, default="")
