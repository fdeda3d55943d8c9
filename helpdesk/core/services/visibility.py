"""Who may see which tickets: one rule, used by every query and every ticket page."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from ..models import Ticket, User


def visible_tickets_clause(user: User) -> ColumnElement[bool]:
    """Coordinators and admins see everything; liaisons their languages and their own tickets."""
    if user.sees_all_tickets:
        return true()
    return or_(Ticket.language_code.in_(user.language_codes), Ticket.assignee_id == user.id)


def can_view_ticket(user: User, ticket: Ticket) -> bool:
    return (
        user.sees_all_tickets
        or ticket.assignee_id == user.id
        or ticket.language_code in user.language_codes
    )
