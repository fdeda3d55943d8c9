"""Giving a requester whose mail came with no usable address one, so that replies can go out."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from ..db_session import DbSession
from ..errors import (
    AddressSettingNotPermitted,
    RequesterAddressAlreadySet,
    RequesterAddressInvalid,
    RequesterAddressIsOurs,
)
from ..errors import RequesterAddressError as RequesterAddressError
from ..models import Contact, EventKind, Mailbox, Ticket, User
from .events import record_event


def set_requester_address(session: DbSession, ticket: Ticket, actor: User, address: str) -> Contact:
    """Give the ticket's address-less requester ``address`` (coordinators and admins only).

    If a contact already has that address, it becomes the ticket's requester (one contact per
    address; its empty name and language are filled from the old one); otherwise the requester
    gets the address. The address is checked with email-validator (syntax only, no DNS: it is
    typed by a person who knows the requester). Records a REQUESTER_CHANGED event."""
    if not actor.sees_all_tickets:
        raise AddressSettingNotPermitted(actor.email)
    if ticket.requester.email:
        raise RequesterAddressAlreadySet(address)
    normalized = _validated(address)
    if session.scalar(select(Mailbox.id).where(Mailbox.address == normalized)) is not None:
        raise RequesterAddressIsOurs(normalized)
    previous = ticket.requester
    existing = session.scalar(select(Contact).where(Contact.email == normalized))
    if existing is None:
        previous.email = normalized
    else:
        existing.name = existing.name or previous.name
        existing.language_code = existing.language_code or previous.language_code
        ticket.requester = existing
    record_event(
        session,
        ticket,
        EventKind.REQUESTER_CHANGED,
        actor,
        address=normalized,
        previous_contact_id=previous.id,
        contact_id=ticket.requester.id,
    )
    session.flush()
    return ticket.requester


def _validated(address: str) -> str:
    """The address lower-cased (as every contact's is), or RequesterAddressError."""
    try:
        checked = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise RequesterAddressInvalid(address) from error
    normalized = checked.normalized.lower()
    if len(normalized) > 254:
        raise RequesterAddressInvalid(address)
    return normalized
