"""What saving a template text does besides storing it: versions, staleness and history."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from ..db_session import DbSession
from ..models import ReplyTemplate, ReplyTemplateRevision, ReplyTemplateVariant, User


def note_saved(
    session: DbSession,
    actor: User | None,
    variant: ReplyTemplateVariant,
    changed: bool,
    mark_current: bool = False,
) -> None:
    """The one rule of staleness. A changed source text moves the template to a new version,
    which leaves every other language behind (outdated). A translation becomes current when
    its text changes or when ``mark_current`` says someone vouched for it (an import); an
    unchanged translation saved with "save all" stays as it was, since nobody looked at it."""
    template = variant.template
    if variant.is_source:
        if changed:
            template.source_version += 1
        variant.source_version = template.source_version
    elif changed or mark_current:
        variant.source_version = template.source_version
    if changed:
        session.add(
            ReplyTemplateRevision(
                template_id=template.id,
                language_code=variant.language_code,
                name=variant.name,
                body=variant.body,
                source_version=variant.source_version,
                is_source=variant.is_source,
                author_id=actor.id if actor is not None else None,
            )
        )


def source_first(template: ReplyTemplate, texts: Mapping[str, object]) -> list[str]:
    """Save the source text before the others, so a translation saved with it follows it."""
    return sorted(texts, key=lambda code: code != template.source_language)


def store_variant(
    session: DbSession,
    actor: User | None,
    template: ReplyTemplate,
    language_code: str,
    name: str,
    body: str,
    mark_current: bool = False,
) -> ReplyTemplateVariant:
    """Write the text, then let the staleness rule and the history know."""
    variant = template.variant(language_code)
    if variant is None:
        variant = ReplyTemplateVariant(language_code=language_code, name=name, body=body)
        template.variants.append(variant)
        changed = True
    else:
        changed = (variant.name, variant.body) != (name, body)
        variant.name, variant.body = name, body
    note_saved(session, actor, variant, changed, mark_current)
    return variant


def mark_current(variant: ReplyTemplateVariant) -> None:
    """The translation still says what the source says: no longer outdated."""
    variant.source_version = variant.template.source_version


def source_text_at(
    session: DbSession, template: ReplyTemplate, version: int
) -> ReplyTemplateRevision | None:
    """The source text as it was at ``version``: what an outdated translation was made from
    (None when that version predates the history)."""
    return session.scalar(
        select(ReplyTemplateRevision)
        .where(
            ReplyTemplateRevision.template_id == template.id,
            ReplyTemplateRevision.language_code == template.source_language,
            ReplyTemplateRevision.is_source.is_(True),
            ReplyTemplateRevision.source_version == version,
        )
        .order_by(ReplyTemplateRevision.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class DiffLine:
    """One line of a diff: ``kind`` is "add", "del", "same" or "gap" (lines left out)."""

    kind: str
    text: str


@dataclass(frozen=True)
class HistoryEntry:
    revision: ReplyTemplateRevision
    diff: list[DiffLine]  # against the previous revision; empty for the first


def revision_text(revision: ReplyTemplateRevision) -> list[str]:
    """The name, a blank line, then the body: one diff shows a change to either."""
    return [revision.name, "", *revision.body.split("\n")]


def diff_lines(before: list[str], after: list[str]) -> list[DiffLine]:
    """A unified diff with three lines of context, as plain data: the page escapes it."""
    lines = []
    for line in difflib.unified_diff(before, after, lineterm="", n=3):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("gap", "…"))
        else:
            kind = {"+": "add", "-": "del"}.get(line[:1], "same")
            lines.append(DiffLine(kind, line[1:]))
    return lines


def variant_history(
    session: DbSession, template: ReplyTemplate, language_code: str
) -> list[HistoryEntry]:
    """Every saved version of the template in one language, newest first, each with its
    changes against the one before."""
    revisions = session.scalars(
        select(ReplyTemplateRevision)
        .where(
            ReplyTemplateRevision.template_id == template.id,
            ReplyTemplateRevision.language_code == language_code,
        )
        .order_by(ReplyTemplateRevision.id)
    ).all()
    entries: list[HistoryEntry] = []
    previous: ReplyTemplateRevision | None = None
    for revision in revisions:
        diff = diff_lines(revision_text(previous), revision_text(revision)) if previous else []
        entries.append(HistoryEntry(revision, diff))
        previous = revision
    return entries[::-1]
