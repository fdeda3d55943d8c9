"""Invitations to join the staff: a one-time link, kept only as a hash, that expires."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .users import User


class Invitation(Base):
    """Who is invited, with which role and languages; ``used_at`` once the link was used."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16))
    languages: Mapped[str] = mapped_column(String(500), default="")  # comma-separated codes
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the link's token
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # once accepted
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
