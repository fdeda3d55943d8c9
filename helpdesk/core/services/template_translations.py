"""Template translations at a glance: each language's state, confirming, source language,
category, and counting the templates liaisons use."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update

from ..db_session import DbSession
from ..errors import TemplateCategoryTooLong, TemplateLanguageUnknown, TemplateVariantNotTranslation
from ..models import Language, ReplyTemplate, ReplyTemplateVariant, User
from .permissions import require_template_editor
from .reply_templates import checked_name, is_system_template
from .template_history import mark_current

MAX_CATEGORY_CHARS = 100


class VariantState(enum.StrEnum):
    SOURCE = "source"  # the text the others translate
    CURRENT = "current"  # a translation of the source's latest text
    OUTDATED = "outdated"  # a translation of an older source text
    MISSING = "missing"  # no text in this language


def variant_state(template: ReplyTemplate, language_code: str) -> VariantState:
    variant = template.variant(language_code)
    if variant is None:
        return VariantState.MISSING
    if variant.is_source:
        return VariantState.SOURCE
    return VariantState.OUTDATED if variant.outdated else VariantState.CURRENT


@dataclass(frozen=True)
class MatrixRow:
    """A template and the state of its text in each language shown."""

    template: ReplyTemplate
    states: dict[str, VariantState]

    @property
    def is_system(self) -> bool:
        return is_system_template(self.template)


def translation_matrix(
    session: DbSession, languages: Sequence[Language], only: VariantState | None = None
) -> list[MatrixRow]:
    """Every template by name with its state in each of ``languages``; with ``only``, just
    the templates in that state in at least one of them."""
    templates = session.scalars(
        select(ReplyTemplate).order_by(ReplyTemplate.category, ReplyTemplate.name)
    )
    rows = []
    for template in templates:
        states = {language.code: variant_state(template, language.code) for language in languages}
        if only is None or only in states.values():
            rows.append(MatrixRow(template, states))
    return rows


def confirm_translation(
    session: DbSession, actor: User, template: ReplyTemplate, language_code: str
) -> None:
    """Someone checked the translation against the new source text: it still says the same."""
    require_template_editor(actor)
    variant = template.variant(language_code)
    if variant is None or variant.is_source:
        raise TemplateVariantNotTranslation(language_code)
    mark_current(variant)
    session.flush()


def update_details(
    session: DbSession,
    actor: User,
    template: ReplyTemplate,
    name: str,
    category: str,
    source_language: str,
) -> None:
    """Name, category and source language. A new source language starts afresh: every text
    counts as current against it (they were written together so far)."""
    require_template_editor(actor)
    name = checked_name(name)
    category = " ".join(category.split())
    if len(category) > MAX_CATEGORY_CHARS:
        raise TemplateCategoryTooLong(MAX_CATEGORY_CHARS)
    if session.get(Language, source_language) is None:
        raise TemplateLanguageUnknown(source_language)
    template.name, template.category = name, category
    if source_language != template.source_language:
        template.source_language = source_language
        for variant in template.variants:
            mark_current(variant)
    session.flush()


def template_categories(session: DbSession) -> list[str]:
    """The categories in use, for the editor's suggestions."""
    return list(
        session.scalars(
            select(ReplyTemplate.category)
            .where(ReplyTemplate.category != "")
            .distinct()
            .order_by(ReplyTemplate.category)
        )
    )


def record_template_use(session: DbSession, variant_id: int) -> None:
    """A reply went out with this template's text: one more use (in SQL, so two liaisons
    sending at once both count)."""
    template_id = session.scalar(
        select(ReplyTemplateVariant.template_id).where(ReplyTemplateVariant.id == variant_id)
    )
    if template_id is None:
        return
    session.execute(
        update(ReplyTemplate)
        .where(ReplyTemplate.id == template_id)
        .values(use_count=ReplyTemplate.use_count + 1)
    )


@dataclass(frozen=True)
class PickerGroup:
    """A group of the composer's template picker: a category in the ticket's language (""
    for none), or ``other_languages``."""

    category: str
    variants: list[ReplyTemplateVariant]
    other_languages: bool = False


def picker_groups(
    variants: Sequence[ReplyTemplateVariant], ticket_language: str | None
) -> list[PickerGroup]:
    """The ticket language's templates by category (named ones first, by name), then the
    other languages'; each group keeps the given order (most used first)."""
    by_category: dict[str, list[ReplyTemplateVariant]] = {}
    others = []
    for variant in variants:
        if variant.language_code == ticket_language:
            by_category.setdefault(variant.template.category, []).append(variant)
        else:
            others.append(variant)
    groups = [
        PickerGroup(category, by_category[category])
        for category in sorted(by_category, key=lambda c: (c == "", c.casefold()))
    ]
    if others:
        groups.append(PickerGroup("", others, other_languages=True))
    return groups
