"""Sentences that tell a liaison what colleagues and the requester did while they were here."""

from __future__ import annotations

from flask_babel import gettext as _

from ..core.models import Direction, Message, User


def presence_notices(others: list[User], newer: list[Message]) -> list[str]:
    """``others`` have the ticket open; ``newer`` arrived since the page was loaded."""
    notices = [_("%(name)s is also viewing this ticket.", name=user.name) for user in others]
    for message in newer:
        name = message.author.name if message.author else message.from_name or message.from_email
        name = name or _("Unknown sender")  # mail with no usable address, and no name
        if message.direction == Direction.OUT:
            notices.append(_("%(name)s has just replied.", name=name))
        elif message.direction == Direction.NOTE:
            notices.append(_("%(name)s has just added a note.", name=name))
        else:
            notices.append(_("%(name)s has just written again.", name=name))
    return notices
