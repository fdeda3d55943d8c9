"""Staff accounts: liaisons, coordinators and admins, and the languages each one speaks."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .languages import Language

user_languages = Table(
    "user_languages",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("language_code", ForeignKey("languages.code"), primary_key=True),
)


class Role(enum.StrEnum):
    LIAISON = "liaison"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class User(Base):
    """A member of staff. Carries the four attributes Flask-Login asks for, without importing it."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default=Role.LIAISON)
    active: Mapped[bool] = mapped_column(default=True)
    away: Mapped[bool] = mapped_column(default=False)
    away_until: Mapped[datetime | None]  # back (and given tickets again) from then on
    last_assigned_at: Mapped[datetime | None]  # routing's round robin among equally loaded
    locale: Mapped[str | None] = mapped_column(String(16))
    # An IANA zone (Europe/Paris); None until the browser tells us, and shown in UTC till then.
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped to sign the user out everywhere: sessions carry the epoch they were made in.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    # TOTP second factor. The secret is stored as is until the settings key (Fernet) wraps it;
    # it is set while enrolling and counts only once confirmed (``totp_enabled_at``).
    totp_secret: Mapped[str | None] = mapped_column(String(255))  # encrypted (SecretBox)
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]  # the last time step accepted: a code works once

    languages: Mapped[list[Language]] = relationship(
        secondary=user_languages, order_by=Language.code, lazy="selectin"
    )

    @property
    def language_codes(self) -> set[str]:
        return {language.code for language in self.languages}

    def is_away(self, now: datetime) -> bool:
        return self.away and (self.away_until is None or self.away_until > now)

    @property
    def sees_all_tickets(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    # Flask-Login's user protocol
    @property
    def is_active(self) -> bool:
        return self.active

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """The id and the session epoch: a session made before "sign out everywhere" (or a
        password change) no longer names a valid user."""
        return f"{self.id}:{self.session_epoch}"

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None
