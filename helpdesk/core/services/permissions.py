"""Checks services make themselves, so no caller (a view, the CLI, a script) can skip them."""

from __future__ import annotations

from ..errors import NotPermitted as NotPermitted
from ..errors import OversightRequired, TemplateEditingNotPermitted
from ..models import User


def require_oversight(actor: User) -> None:
    """Changes across many tickets (bulk actions, merges) are for coordinators and admins."""
    if not actor.sees_all_tickets:
        raise OversightRequired(actor.email)


def can_edit_templates(actor: User) -> bool:
    """Reply templates and the acknowledgement speak for the whole helpdesk: coordinators and
    admins write them, liaisons use them."""
    return actor.sees_all_tickets


def require_template_editor(actor: User) -> None:
    if not can_edit_templates(actor):
        raise TemplateEditingNotPermitted(actor.email)
