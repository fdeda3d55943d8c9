"""Reply templates: one template, one variant per language, and each variant's history."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .users import User

DEFAULT_SOURCE_LANGUAGE = "en"


class ReplyTemplate(Base):
    __tablename__ = "reply_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # The language the others are translated from; its text changing makes theirs outdated.
    source_language: Mapped[str] = mapped_column(
        String(16), default=DEFAULT_SOURCE_LANGUAGE, server_default=DEFAULT_SOURCE_LANGUAGE
    )
    # Bumped whenever the source text changes; a variant behind it is outdated.
    source_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Replies sent with this template: the composer offers the most used first.
    use_count: Mapped[int] = mapped_column(default=0, server_default="0")

    variants: Mapped[list[ReplyTemplateVariant]] = relationship(
        back_populates="template",
        lazy="selectin",
        order_by="ReplyTemplateVariant.language_code",
        cascade="all, delete-orphan",  # a variant lives and dies with its template
    )

    def variant(self, language_code: str) -> ReplyTemplateVariant | None:
        return next((v for v in self.variants if v.language_code == language_code), None)

    @property
    def source_variant(self) -> ReplyTemplateVariant | None:
        return self.variant(self.source_language)


class ReplyTemplateVariant(Base):
    __tablename__ = "reply_template_variants"
    __table_args__ = (UniqueConstraint("template_id", "language_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("reply_templates.id"))
    language_code: Mapped[str] = mapped_column(ForeignKey("languages.code"))
    name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # The template's source_version this text was last written or confirmed against.
    source_version: Mapped[int] = mapped_column(default=0, server_default="0")

    template: Mapped[ReplyTemplate] = relationship(back_populates="variants")

    @property
    def is_source(self) -> bool:
        return self.language_code == self.template.source_language

    @property
    def outdated(self) -> bool:
        """Behind the source text, and there is a source text to be behind."""
        template = self.template
        return (
            not self.is_source
            and template.source_variant is not None
            and self.source_version < template.source_version
        )


class ReplyTemplateRevision(Base):
    """One saved version of a template's text in one language: kept when the variant is
    removed, gone with the template."""

    __tablename__ = "reply_template_revisions"
    __table_args__ = (Index("ix_reply_template_revisions_lookup", "template_id", "language_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("reply_templates.id", ondelete="CASCADE"))
    language_code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # For the source language: the version this text became; for others: the one it follows.
    source_version: Mapped[int] = mapped_column(default=0)
    is_source: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")
