"""Requesters, found or created by email address."""

from __future__ import annotations

from sqlalchemy import select

from ..db_session import DbSession
from ..models import Contact


def get_or_create_contact(session: DbSession, email: str, name: str = "") -> Contact:
    """One contact per address (case-insensitive); a name learned later fills an empty one."""
    address = email.strip().lower()
    contact = session.scalar(select(Contact).where(Contact.email == address))
    if contact is None:
        contact = new_contact(session, address, name)
    elif name and not contact.name:
        contact.name = name.strip()
    return contact


def new_contact(session: DbSession, email: str, name: str = "") -> Contact:
    contact = Contact(email=email.strip().lower(), name=name.strip())
    session.add(contact)
    return contact
