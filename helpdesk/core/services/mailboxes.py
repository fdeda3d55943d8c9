"""Inbound addresses: a mailbox named in configuration exists, with its default language."""

from __future__ import annotations

from sqlalchemy import select

from ..db_session import DbSession
from ..errors import MailboxAddressInvalid, MailboxLanguageUnknown
from ..models import AuditAction, Language, Mailbox, User
from .audit import record_audit


def ensure_mailbox(session: DbSession, address: str, default_language: str | None) -> Mailbox:
    """The mailbox for ``address``; configuration decides its language (``fr@…`` is French)."""
    address = address.strip().lower()
    if "@" not in address:
        raise MailboxAddressInvalid(address)
    if default_language is not None and session.get(Language, default_language) is None:
        raise MailboxLanguageUnknown(default_language)
    mailbox = session.scalar(select(Mailbox).where(Mailbox.address == address))
    if mailbox is None:
        mailbox = Mailbox(address=address)
        session.add(mailbox)
    if default_language is not None:
        mailbox.default_language_code = default_language
    session.flush()
    return mailbox


def inbound_addresses(session: DbSession) -> list[Mailbox]:
    return list(session.scalars(select(Mailbox).order_by(Mailbox.address)))


def save_inbound_address(
    session: DbSession,
    actor: User | None,
    mailbox: Mailbox | None,
    address: str,
    name: str,
    language: str | None,
) -> Mailbox:
    """Add an address (``mailbox`` None) or change one's name and language; audited."""
    before = None if mailbox is None else _snapshot(mailbox)
    if mailbox is None:
        mailbox = ensure_mailbox(session, address, language)
    elif language is not None and session.get(Language, language) is None:
        raise MailboxLanguageUnknown(language)
    mailbox.name = name.strip()
    mailbox.default_language_code = language
    session.flush()
    action = AuditAction.MAILBOX_CREATED if before is None else AuditAction.MAILBOX_CHANGED
    after = _snapshot(mailbox)
    if before != after:
        record_audit(session, actor, action, target=mailbox, before=before, after=after)
    return mailbox


def _snapshot(mailbox: Mailbox) -> dict[str, object]:
    return {
        "address": mailbox.address,
        "name": mailbox.name,
        "language": mailbox.default_language_code,
    }
