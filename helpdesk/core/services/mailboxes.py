"""Inbound addresses: a mailbox named in configuration exists, with its default language."""

from __future__ import annotations

from sqlalchemy import select

from ..db_session import DbSession
from ..errors import MailboxAddressInvalid, MailboxLanguageUnknown
from ..models import Language, Mailbox


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
