"""Reply templates: choosing variants for a ticket and filling their placeholders safely."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import select

from ..db_session import DbSession
from ..models import ReplyTemplate, ReplyTemplateVariant, Ticket, User

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Templates the system sends by itself, not offered in the reply composer.
SYSTEM_TEMPLATES = ("auto_acknowledgement",)


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
    """Every template variant, the ticket's language first, then by template and language."""
    variants = session.scalars(
        select(ReplyTemplateVariant)
        .join(ReplyTemplate)
        .where(ReplyTemplate.key.not_in(SYSTEM_TEMPLATES))
        .order_by(ReplyTemplate.name, ReplyTemplateVariant.language_code)
    ).all()
    return sorted(variants, key=lambda v: v.language_code != ticket.language_code)


def render_variant(variant: ReplyTemplateVariant, ticket: Ticket, liaison: User) -> str:
    return fill_placeholders(variant.body, placeholder_values(ticket, liaison))


def save_template(
    session: DbSession, key: str, name: str, variants: Mapping[str, tuple[str, str]]
) -> ReplyTemplate:
    """Create or update template ``key`` with ``{language: (variant name, body)}``."""
    template = session.scalar(select(ReplyTemplate).where(ReplyTemplate.key == key))
    if template is None:
        template = ReplyTemplate(key=key, name=name)
        session.add(template)
    template.name = name
    existing = {variant.language_code: variant for variant in template.variants}
    for language, (variant_name, body) in variants.items():
        variant = existing.get(language)
        if variant is None:
            template.variants.append(
                ReplyTemplateVariant(language_code=language, name=variant_name, body=body)
            )
        else:
            variant.name, variant.body = variant_name, body
    session.flush()
    return template
