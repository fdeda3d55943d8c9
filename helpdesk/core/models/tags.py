"""Tags: short labels coordinators and liaisons put on tickets to find them again."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

TAG_NAME_MAX = 64

ticket_tags = Table(
    "ticket_tags",
    Base.metadata,
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
    # The tag filter looks tickets up by tag: the primary key only serves the other direction.
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    """One label; ``name`` is stored normalized (see ``services.tags.normalize_tag_name``), so
    "Visa", " visa " and "VISA" are one tag."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(TAG_NAME_MAX), unique=True)
