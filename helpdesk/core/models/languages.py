"""Languages the helpdesk works in; each one is a queue."""

from __future__ import annotations

import enum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .sla_policies import SlaPolicy


class AssignmentStrategy(enum.StrEnum):
    LOAD_BALANCED = "load_balanced"  # the least loaded liaison who speaks it, round robin on ties
    UNASSIGNED = "unassigned"  # tickets wait in the queue for a liaison to claim them


class Language(Base):
    """A language and its queue's settings."""

    __tablename__ = "languages"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    english_name: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(3), default="ltr")
    active: Mapped[bool] = mapped_column(default=True)
    assignment_strategy: Mapped[str] = mapped_column(
        String(16), default=AssignmentStrategy.LOAD_BALANCED
    )
    auto_acknowledge: Mapped[bool] = mapped_column(default=True)

    # What the queue promises (told to requesters, measured for coordinators); created with
    # the language, so never missing for a language that exists.
    sla_policy: Mapped[SlaPolicy | None] = relationship(lazy="joined", cascade="all, delete-orphan")

    @property
    def is_rtl(self) -> bool:
        return self.direction == "rtl"
