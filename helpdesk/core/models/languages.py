"""Languages the helpdesk works in; each one is a queue."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Language(Base):
    __tablename__ = "languages"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    english_name: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(3), default="ltr")
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def is_rtl(self) -> bool:
        return self.direction == "rtl"
