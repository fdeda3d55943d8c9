"""Account security records: failed sign-ins, password reset links, recovery codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class SignInFailure(Base):
    """One failed attempt, kept only for the throttling window: the database is shared by every
    web worker and machine, so a lock-out holds wherever the next attempt lands."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_account_created_at", "account_key", "created_at"),
        Index("ix_sign_in_failures_address_created_at", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # A digest of the email typed, whether or not an account has it: locks look the same.
    account_key: Mapped[str] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(64))


class PasswordResetToken(Base):
    """A reset link sent by mail; only its digest is stored, and it works once before expiry."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class RecoveryCode(Base):
    """A one-time code that stands in for the authenticator app; stored as a digest."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
