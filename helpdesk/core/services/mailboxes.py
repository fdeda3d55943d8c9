"""Inbound addresses: a mailbox named in configuration exists, with its default language."""

from __future__ import annotations

from sqlalchemy import select

from ..db_session import DbSession
from ..models import Language, Mailbox


def ensure_mailbox(session: DbSession, address: str, default_language: str | None) -> Mailbox:
    """The mailbox for ``address``; configuration decides its language (``fr@…`` is French)."""
    address = address.strip().lower()
    if "@" not in address:
        raise ValueError(f"a mailbox address needs an @: {address!r}")
    if default_language is not None and session.get(Language, default_language) is None:
        raise ValueError(f"{default_language!r} is not one of the helpdesk's languages")
    mailbox = session.scalar(select(Mailbox).where(Mailbox.address == address))
    if mailbox is None:
        mailbox = Mailbox(address=address)
        session.add(mailbox)
    if default_language is not None:
        mailbox.default_language_code = default_language
    session.flush()
    return mailbox
