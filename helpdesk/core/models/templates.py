"""Reply templates: one template, one variant per language."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base


class ReplyTemplate(Base):
    __tablename__ = "reply_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    variants: Mapped[list[ReplyTemplateVariant]] = relationship(
        back_populates="template",
        lazy="selectin",
        order_by="ReplyTemplateVariant.language_code",
        cascade="all, delete-orphan",  # a variant lives and dies with its template
    )


class ReplyTemplateVariant(Base):
    __tablename__ = "reply_template_variants"
    __table_args__ = (UniqueConstraint("template_id", "language_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("reply_templates.id"))
    language_code: Mapped[str] = mapped_column(ForeignKey("languages.code"))
    name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)

    template: Mapped[ReplyTemplate] = relationship(back_populates="variants")
