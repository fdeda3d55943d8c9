"""The one permission check every ticket route makes."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..core.models import Ticket
from ..core.services.visibility import can_view_ticket
from ..extensions import db


def ticket_or_404(ticket_id: int) -> Ticket:
    """The ticket, if it exists (404) and the signed-in person may see it (403)."""
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is None:
        abort(404)
    if not can_view_ticket(current_user, ticket):
        abort(403)
    return ticket
