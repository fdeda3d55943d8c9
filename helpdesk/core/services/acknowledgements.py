"""Automatic acknowledgement of a new ticket, in the requester's language.

Sent only for mail a person wrote, only when the language's queue wants it and has a text for
it, never back to one of our own addresses, and at most ``max_per_sender`` times per window to
any one address: two helpdesks acknowledging each other must not loop."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from ..db_session import DbSession
from ..models import (
    Direction,
    EventKind,
    Language,
    Mailbox,
    Message,
    ReplyTemplate,
    ReplyTemplateVariant,
    Ticket,
    utcnow,
)
from .events import record_event
from .outgoing_mail import MailSettings, new_message_id
from .replies import answer_subject, outbox_mail_for, references_for
from .reply_templates import SYSTEM_TEMPLATES, fill_placeholders, save_template
from .sla import promised_response_hours

ACKNOWLEDGEMENT_TEMPLATE = SYSTEM_TEMPLATES[0]  # the reply template's key


@dataclass(frozen=True)
class AckPolicy:
    settings: MailSettings
    max_per_sender: int = 3
    window: timedelta = timedelta(hours=24)


def acknowledge(
    session: DbSession, ticket: Ticket, received: Message, policy: AckPolicy
) -> Message | None:
    """Queue the acknowledgement of the ticket ``received`` opened, if one is due."""
    language = ticket.language
    address = ticket.requester.email
    if language is None or not language.auto_acknowledge or not address:  # no reply address
        return None
    variant = _variant(session, language.code)
    if variant is None or _is_our_address(session, address):
        return None
    if _recent_acknowledgements(session, address, policy.window) >= policy.max_per_sender:
        record_event(
            session, ticket, EventKind.AUTO_ACKNOWLEDGED, None, sent=False, reason="rate_limited"
        )
        return None
    sender = ticket.mailbox.address if ticket.mailbox else policy.settings.mail_from
    sender_name = ticket.mailbox.name if ticket.mailbox else ""
    references = tuple(references_for(received))
    message = Message(
        ticket=ticket,
        direction=Direction.OUT,
        message_id=new_message_id(policy.settings.domain),
        in_reply_to=received.message_id,
        references=" ".join(references),
        from_email=sender,
        from_name=sender_name,
        to=address,
        subject=answer_subject(ticket),
        text=fill_placeholders(
            variant.body,
            {
                "requester_name": ticket.requester.display_name,
                "ticket_ref": ticket.reference,
                "subject": ticket.subject,
                "response_hours": str(promised_response_hours(language)),
            },
        ),
        language_code=language.code,
        automatic=True,
        created_at=utcnow(),
    )
    session.add(message)
    session.add(outbox_mail_for(message, ticket, sender_name, references))
    session.flush()
    record_event(session, ticket, EventKind.AUTO_ACKNOWLEDGED, None, message=message, sent=True)
    return message


def ensure_acknowledgement_texts(
    session: DbSession, name: str, variants: Mapping[str, tuple[str, str]]
) -> None:
    """Give every language that has no acknowledgement text yet the default one; texts an
    admin has edited are left alone."""
    template = session.scalar(
        select(ReplyTemplate).where(ReplyTemplate.key == ACKNOWLEDGEMENT_TEMPLATE)
    )
    present = {variant.language_code for variant in template.variants} if template else set()
    languages = set(session.scalars(select(Language.code)))
    missing = {
        code: text for code, text in variants.items() if code in languages and code not in present
    }
    if missing:
        save_template(
            session, ACKNOWLEDGEMENT_TEMPLATE, template.name if template else name, missing
        )


def _variant(session: DbSession, language: str) -> ReplyTemplateVariant | None:
    return session.scalar(
        select(ReplyTemplateVariant)
        .join(ReplyTemplate)
        .where(
            ReplyTemplate.key == ACKNOWLEDGEMENT_TEMPLATE,
            ReplyTemplateVariant.language_code == language,
        )
    )


def _is_our_address(session: DbSession, address: str) -> bool:
    return session.scalar(select(Mailbox.id).where(Mailbox.address == address)) is not None


def _recent_acknowledgements(session: DbSession, address: str, window: timedelta) -> int:
    return (
        session.scalar(
            select(func.count(Message.id)).where(
                Message.to == address,
                Message.created_at >= utcnow() - window,
                Message.direction == Direction.OUT,
                Message.automatic,
            )
        )
        or 0
    )
