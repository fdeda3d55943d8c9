"""Tagging tickets: one tag per normalized name, every change in the ticket's event log."""

from __future__ import annotations

from sqlalchemy import select

from ..db_session import DbSession
from ..errors import TagError as TagError
from ..errors import TagNameEmpty, TagNameTooLong
from ..models import TAG_NAME_MAX, EventKind, Tag, Ticket, User
from .events import record_event
from .search_postings import index_tickets


def normalize_tag_name(name: str) -> str:
    """Case-insensitive and whitespace-insensitive: " Visa  Help" and "visa help" are one tag."""
    return " ".join(name.split()).casefold()


def find_tag(session: DbSession, name: str) -> Tag | None:
    return session.scalar(select(Tag).where(Tag.name == normalize_tag_name(name)))


def get_or_create_tag(session: DbSession, name: str) -> Tag:
    normalized = normalize_tag_name(name)
    if not normalized:
        raise TagNameEmpty()
    if len(normalized) > TAG_NAME_MAX:
        raise TagNameTooLong(TAG_NAME_MAX)
    tag = find_tag(session, normalized)
    if tag is None:
        tag = Tag(name=normalized)
        session.add(tag)
        session.flush()
    return tag


def add_tag(session: DbSession, ticket: Ticket, name: str, actor: User | None) -> Tag:
    """Put the tag on the ticket (created on first use); adding it twice changes nothing."""
    tag = get_or_create_tag(session, name)
    if tag not in ticket.tags:
        ticket.tags.append(tag)
        record_event(session, ticket, EventKind.TAGGED, actor, tag=tag.name)
        index_tickets(session, [ticket.id])
    return tag


def remove_tag(session: DbSession, ticket: Ticket, name: str, actor: User | None) -> None:
    """Take the tag off the ticket; the tag itself stays for other tickets."""
    normalized = normalize_tag_name(name)
    tag = next((tag for tag in ticket.tags if tag.name == normalized), None)
    if tag is not None:
        ticket.tags.remove(tag)
        record_event(session, ticket, EventKind.UNTAGGED, actor, tag=tag.name)
        index_tickets(session, [ticket.id])
