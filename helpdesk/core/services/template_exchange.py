"""Template texts to and from translators as gettext PO files.

Each template gives two entries per language: ``msgctxt "KEY|name"`` and ``"KEY|body"``, the
source language's text as ``msgid``. An outdated translation comes as a fuzzy entry with the
old translation and, where the history has it, the source text it was made from as
``#| msgid``. The file's ``Language`` header says which language it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import polib
from sqlalchemy import select

from ..db_session import DbSession
from ..errors import (
    TemplateError,
    TemplateImportError,
    TemplateImportIsSource,
    TemplateImportLanguageUnknown,
    TemplateImportRejected,
    TemplateImportSourceChanged,
    TemplateImportTextRefused,
    TemplateImportUnknownEntry,
    TemplateImportUnreadable,
    TemplatePlaceholderMismatch,
)
from ..models import Language, ReplyTemplate, User
from .permissions import require_template_editor
from .reply_templates import PLACEHOLDER_LIKE, checked_body, checked_name
from .template_history import source_text_at, store_variant
from .template_translations import VariantState, variant_state

PARTS = ("name", "body")
MAX_PO_BYTES = 5_000_000


def wanted(state: VariantState, missing: bool, outdated: bool) -> bool:
    """Neither flag: every translation; otherwise those missing and/or outdated."""
    if state is VariantState.SOURCE:
        return False
    if not (missing or outdated):
        return True
    return (missing and state is VariantState.MISSING) or (
        outdated and state is VariantState.OUTDATED
    )


def export_po(
    session: DbSession, language: Language, missing: bool = False, outdated: bool = False
) -> polib.POFile:
    """The texts of ``language`` to translate, as chosen by ``wanted``; templates with no
    source text have nothing to translate from and are left out."""
    po = polib.POFile()
    po.metadata = {
        "Project-Id-Version": "Polyglot Desk reply templates",
        "Language": language.code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    templates = session.scalars(
        select(ReplyTemplate).order_by(ReplyTemplate.category, ReplyTemplate.name)
    )
    for template in templates:
        state = variant_state(template, language.code)
        if template.source_variant is not None and wanted(state, missing, outdated):
            po.extend(_entries(session, template, language.code, state))
    return po


def _entries(
    session: DbSession, template: ReplyTemplate, code: str, state: VariantState
) -> list[polib.POEntry]:
    source, variant = template.source_variant, template.variant(code)
    assert source is not None
    previous = None
    if variant is not None and state is VariantState.OUTDATED:
        previous = source_text_at(session, template, variant.source_version)
    comment = f"Template: {template.name}\nSource language: {template.source_language}"
    if template.category:
        comment += f"\nCategory: {template.category}"
    entries = []
    for part in PARTS:
        entry = polib.POEntry(
            msgctxt=f"{template.key}|{part}",
            msgid=getattr(source, part),
            msgstr=getattr(variant, part) if variant is not None else "",
            comment=comment,
        )
        if state is VariantState.OUTDATED:
            entry.flags.append("fuzzy")
            if previous is not None and getattr(previous, part) != entry.msgid:
                entry.previous_msgid = getattr(previous, part)
        entries.append(entry)
    return entries


def read_po(data: bytes) -> polib.POFile:
    """Parse an uploaded file; anything unreadable (or too large) is one typed refusal."""
    if len(data) > MAX_PO_BYTES:
        raise TemplateImportUnreadable()
    try:
        text = data.decode("utf-8-sig")
        po = polib.pofile(text)
    except (UnicodeDecodeError, OSError, ValueError) as error:
        raise TemplateImportUnreadable() from error
    if not text.strip():
        raise TemplateImportUnreadable()
    return po


@dataclass(frozen=True)
class PlannedChange:
    template: ReplyTemplate
    name: str
    body: str
    state_before: VariantState
    text_changes: bool  # False: the same text, only confirmed as current


@dataclass
class ImportPlan:
    """What importing a file does: the texts it sets and the entries it skips."""

    language_code: str
    changes: list[PlannedChange] = field(default_factory=list)
    skipped_fuzzy: int = 0
    skipped_empty: int = 0


def import_po(
    session: DbSession, actor: User | None, po: polib.POFile, dry_run: bool = False
) -> ImportPlan:
    """Check every entry first and refuse the whole file with every problem found, or set
    every translation in it (each then current, with ``actor`` in its history; None: the
    system). ``dry_run`` only says what would change."""
    if actor is not None:
        require_template_editor(actor)
    plan = _plan(session, po)
    if not dry_run:
        for change in plan.changes:
            store_variant(
                session, actor, change.template, plan.language_code, change.name, change.body, True
            )
        session.flush()
    return plan


def _plan(session: DbSession, po: polib.POFile) -> ImportPlan:
    code = (po.metadata.get("Language") or "").strip()
    if not code or session.get(Language, code) is None:
        raise TemplateImportRejected((TemplateImportLanguageUnknown(code),))
    plan, errors = ImportPlan(code), []
    texts: dict[str, dict[str, str]] = {}
    templates = {t.key: t for t in session.scalars(select(ReplyTemplate))}
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags or not entry.msgstr.strip():
            plan.skipped_fuzzy += "fuzzy" in entry.flags
            plan.skipped_empty += "fuzzy" not in entry.flags
            continue
        try:
            key, part = _checked_entry(templates, code, entry)
        except TemplateImportError as error:
            errors.append(error)
            continue
        mismatches = _placeholder_errors(key, entry.msgid, entry.msgstr)
        errors.extend(mismatches)
        if not mismatches:
            texts.setdefault(key, {})[part] = entry.msgstr
    for key, parts in texts.items():
        try:
            change = _change(session, templates[key], code, parts)
        except TemplateError as error:
            errors.append(TemplateImportTextRefused(key, error))
            continue
        if change is None:
            plan.skipped_empty += 1
        else:
            plan.changes.append(change)
    if errors:
        raise TemplateImportRejected(tuple(errors))
    return plan


def _checked_entry(
    templates: dict[str, ReplyTemplate], code: str, entry: polib.POEntry
) -> tuple[str, str]:
    key, _, part = (entry.msgctxt or "").rpartition("|")
    template = templates.get(key)
    if template is None or part not in PARTS:
        raise TemplateImportUnknownEntry(entry.msgctxt or "")
    if template.source_language == code:
        raise TemplateImportIsSource(key, code)
    source = template.source_variant
    if source is None or getattr(source, part) != entry.msgid:
        raise TemplateImportSourceChanged(key)
    return key, part


def _placeholder_errors(key: str, source: str, translation: str) -> list[TemplateImportError]:
    """Each placeholder the translation drops or adds: it would reach a requester unfilled."""
    wanted_names = _placeholders(source)
    found = _placeholders(translation)
    errors: list[TemplateImportError] = [
        TemplatePlaceholderMismatch(key, name, missing=True)
        for name in wanted_names
        if name not in found
    ]
    errors += [
        TemplatePlaceholderMismatch(key, name, missing=False)
        for name in found
        if name not in wanted_names
    ]
    return errors


def _placeholders(text: str) -> Sequence[str]:
    return list(dict.fromkeys(m.group(1) for m in PLACEHOLDER_LIKE.finditer(text)))


def _change(
    session: DbSession, template: ReplyTemplate, code: str, parts: dict[str, str]
) -> PlannedChange | None:
    """The text to store; None when only a name came for a language with no text yet."""
    variant = template.variant(code)
    body = parts.get("body") or (variant.body if variant is not None else "")
    if not body:
        return None
    name = checked_name(parts.get("name") or (variant.name if variant else template.name))
    body = checked_body(session, template, code, body)
    changes = variant is None or (variant.name, variant.body) != (name, body)
    return PlannedChange(template, name, body, variant_state(template, code), changes)
