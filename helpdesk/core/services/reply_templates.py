"""Reply templates: choosing variants for a ticket, filling their placeholders safely, and the
editor's verbs (create, rename, delete, save a language's variant)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select

from ..db_session import DbSession
from ..errors import (
    SystemTemplateUndeletable,
    TemplateKeyInvalid,
    TemplateKeyMissing,
    TemplateKeyTaken,
    TemplateLanguageUnknown,
    TemplateNameMissing,
    TemplateNameTooLong,
    TemplateTextTooLong,
)
from ..errors import TemplateError as TemplateError
from ..errors import TemplateTextsError as TemplateTextsError
from ..errors import UnknownPlaceholderError as UnknownPlaceholderError
from ..models import (
    AuditAction,
    Language,
    ReplyTemplate,
    ReplyTemplateRevision,
    ReplyTemplateVariant,
    Ticket,
    User,
)
from .audit import record_audit
from .permissions import require_template_editor
from .template_history import source_first, store_variant

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Anything that looks meant as a placeholder, typos included ({Subject}, {ticket-ref}): the
# editor refuses those it does not know rather than let them reach a requester unfilled.
PLACEHOLDER_LIKE = re.compile(r"\{([\w.-]+)\}")
# Templates the system sends by itself, not offered in the reply composer.
SYSTEM_TEMPLATES = ("auto_acknowledgement",)
REPLY_PLACEHOLDERS = ("requester_name", "ticket_ref", "liaison_name", "subject")
# A system template is filled by its sender, with values of its own.
SYSTEM_PLACEHOLDERS = {
    "auto_acknowledgement": ("requester_name", "ticket_ref", "subject", "response_hours"),
}
KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9_]*")
MAX_KEY_CHARS = 64
MAX_NAME_CHARS = 200
MAX_BODY_CHARS = 20_000


def fill_placeholders(body: str, values: Mapping[str, str]) -> str:
    """Replace ``{name}`` by its value; unknown names stay as written. Only plain names are
    recognised, so a template can never reach attributes the way str.format would."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def placeholder_values(ticket: Ticket, liaison: User) -> dict[str, str]:
    return {
        "requester_name": ticket.requester.display_name,
        "ticket_ref": ticket.reference,
        "liaison_name": liaison.name,
        "subject": ticket.subject,
    }


def variants_for_ticket(session: DbSession, ticket: Ticket) -> list[ReplyTemplateVariant]:
    """Every template variant, the ticket's language first; within a language the most used
    templates first, then by name."""
    variants = session.scalars(
        select(ReplyTemplateVariant)
        .join(ReplyTemplate)
        .where(ReplyTemplate.key.not_in(SYSTEM_TEMPLATES))
        .order_by(
            ReplyTemplate.use_count.desc(), ReplyTemplate.name, ReplyTemplateVariant.language_code
        )
    ).all()
    return sorted(variants, key=lambda v: v.language_code != ticket.language_code)


def render_variant(variant: ReplyTemplateVariant, ticket: Ticket, liaison: User) -> str:
    return fill_placeholders(variant.body, placeholder_values(ticket, liaison))


def save_template(
    session: DbSession, key: str, name: str, variants: Mapping[str, tuple[str, str]]
) -> ReplyTemplate:
    """Create or update template ``key`` with ``{language: (variant name, body)}`` (seeds and
    fixtures: no permission check, the system as author)."""
    template = session.scalar(select(ReplyTemplate).where(ReplyTemplate.key == key))
    if template is None:
        template = ReplyTemplate(key=key, name=name)
        session.add(template)
        session.flush()
    template.name = name
    for language in source_first(template, variants):
        store_variant(session, None, template, language, *variants[language])
    session.flush()
    return template


# --- the editor ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateCoverage:
    """A template and the active languages it has no variant in."""

    template: ReplyTemplate
    missing: list[str]

    @property
    def is_system(self) -> bool:
        return is_system_template(self.template)


def is_system_template(template: ReplyTemplate) -> bool:
    return template.key in SYSTEM_TEMPLATES


def allowed_placeholders(template: ReplyTemplate) -> tuple[str, ...]:
    return SYSTEM_PLACEHOLDERS.get(template.key, REPLY_PLACEHOLDERS)


def unknown_placeholders(body: str, allowed: Sequence[str]) -> list[str]:
    """The ``{name}`` placeholders in ``body`` not in ``allowed``, once each, in order."""
    found = dict.fromkeys(m.group(1) for m in PLACEHOLDER_LIKE.finditer(body))
    return [name for name in found if name not in allowed]


def derive_key(name: str) -> str:
    """A key from a name: ASCII letters and digits joined by underscores ("" for a name in a
    script with no Latin transliteration, e.g. Japanese: then the editor types one)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:MAX_KEY_CHARS].strip("_")


def template_coverage(session: DbSession, languages: Sequence[Language]) -> list[TemplateCoverage]:
    """Every template by name, with the ``languages`` (codes, in order) it lacks."""
    templates = session.scalars(
        select(ReplyTemplate).order_by(ReplyTemplate.name, ReplyTemplate.id)
    )
    coverage = []
    for template in templates:
        present = {variant.language_code for variant in template.variants}
        missing = [language.code for language in languages if language.code not in present]
        coverage.append(TemplateCoverage(template, missing))
    return coverage


def create_template(
    session: DbSession, actor: User, name: str, key: str | None = None
) -> ReplyTemplate:
    """A new template without variants; ``key`` is derived from ``name`` when not given. Keys
    are unique and never a system template's."""
    require_template_editor(actor)
    name = checked_name(name)
    key = (key or "").strip().lower() or derive_key(name)
    if not key:
        raise TemplateKeyMissing()
    if len(key) > MAX_KEY_CHARS or not KEY_PATTERN.fullmatch(key):
        raise TemplateKeyInvalid(MAX_KEY_CHARS)
    if key in SYSTEM_TEMPLATES or session.scalar(
        select(ReplyTemplate.id).where(ReplyTemplate.key == key)
    ):
        raise TemplateKeyTaken(key)
    template = ReplyTemplate(key=key, name=name)
    session.add(template)
    session.flush()
    return template


def rename_template(session: DbSession, actor: User, template: ReplyTemplate, name: str) -> None:
    """A new name shown to editors; the key (what code and links refer to) stays."""
    require_template_editor(actor)
    template.name = checked_name(name)
    session.flush()


def delete_template(session: DbSession, actor: User, template: ReplyTemplate) -> None:
    """The template and all its variants. System templates stay: the helpdesk sends them."""
    require_template_editor(actor)
    if is_system_template(template):
        raise SystemTemplateUndeletable()
    languages = [variant.language_code for variant in template.variants]
    before = {"key": template.key, "name": template.name, "languages": languages}
    record_audit(session, actor, AuditAction.TEMPLATE_DELETED, target=template, before=before)
    session.execute(
        delete(ReplyTemplateRevision).where(ReplyTemplateRevision.template_id == template.id)
    )
    session.delete(template)
    session.flush()


def save_variant(
    session: DbSession,
    actor: User,
    template: ReplyTemplate,
    language_code: str,
    name: str,
    body: str,
) -> ReplyTemplateVariant | None:
    """Set the template's text in one language; an empty body removes that language's variant
    (returns None). A body using a placeholder the template does not fill is refused."""
    require_template_editor(actor)
    body = checked_body(session, template, language_code, body)
    if not body:
        delete_variant(session, actor, template, language_code)
        return None
    name = checked_name(name or template.name)
    variant = store_variant(session, actor, template, language_code, name, body)
    session.flush()
    return variant


def save_variants(
    session: DbSession,
    actor: User,
    template: ReplyTemplate,
    texts: Mapping[str, tuple[str, str]],
) -> None:
    """``save_variant`` for each ``{language: (name, body)}``, all or none: every text is
    checked first, and the refusals come together in one ``TemplateTextsError``."""
    require_template_editor(actor)
    refused: dict[str, TemplateError] = {}
    for code, (name, body) in texts.items():
        try:
            checked_body(session, template, code, body)
            checked_name(name or template.name)
        except TemplateError as error:
            refused[code] = error
    if refused:
        raise TemplateTextsError(refused)
    for code in source_first(template, texts):
        save_variant(session, actor, template, code, *texts[code])


def delete_variant(
    session: DbSession, actor: User, template: ReplyTemplate, language_code: str
) -> bool:
    """Remove the template's text in one language; False when it had none."""
    require_template_editor(actor)
    variant = template.variant(language_code)
    if variant is None:
        return False
    template.variants.remove(variant)  # delete-orphan removes the row
    session.flush()
    return True


def checked_body(session: DbSession, template: ReplyTemplate, language_code: str, body: str) -> str:
    """The body as stored (newlines normalised, trimmed; "" for none), or a refusal."""
    if session.get(Language, language_code) is None:
        raise TemplateLanguageUnknown(language_code)
    body = body.replace("\r\n", "\n").strip()
    if len(body) > MAX_BODY_CHARS:
        raise TemplateTextTooLong(MAX_BODY_CHARS)
    allowed = allowed_placeholders(template)
    unknown = unknown_placeholders(body, allowed)
    if unknown:
        raise UnknownPlaceholderError(tuple(unknown), tuple(allowed))
    return body


def checked_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise TemplateNameMissing()
    if len(name) > MAX_NAME_CHARS:
        raise TemplateNameTooLong(MAX_NAME_CHARS)
    return name
