"""Requesters, found or created by email address."""

from __future__ import annotations

from ..db_session import DbSession
from ..models import Contact


def new_contact(session: DbSession, email: str, name: str = "") -> Contact:
    """A requester, one per address (lower-cased); finding one first is the caller's job
    (see InboundLookups.contact). An empty address makes a contact with none."""
    contact = Contact(email=email.strip().lower() or None, name=name.strip())
    session.add(contact)
    return contact
