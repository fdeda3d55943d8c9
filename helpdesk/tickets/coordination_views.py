"""Telling coordinators about a ticket (summary, highlight), and presence between colleagues."""

from __future__ import annotations

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.services.coordination import (
    CoordinationError,
    HighlightInput,
    set_highlight,
    set_summary,
)
from ..core.services.presence import mark_viewing, messages_since, others_viewing
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .access import ticket_or_404
from .blueprint import blueprint
from .forms import HighlightForm, SummaryForm
from .notices import presence_notices
from .page import PageForms, render_ticket_page


@blueprint.route("/tickets/<int:ticket_id>/summary", methods=["POST"])
def post_summary(ticket_id: int) -> str | Response | tuple[str, int]:
    """The liaison's English summary, for coordinators who do not read the ticket's language."""
    ticket = ticket_or_404(ticket_id)
    form = SummaryForm()
    if not form.validate_on_submit():
        return render_ticket_page(ticket, PageForms(summary=form)), 400
    try:
        with unit_of_work(db.session):
            changed = set_summary(db.session, ticket, current_user, form.summary.data or "")
    except CoordinationError as error:
        form.summary.errors = [*form.summary.errors, describe(error)]
        return render_ticket_page(ticket, PageForms(summary=form)), 400
    if changed:
        flash(_("Summary saved."), "success")
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


@blueprint.route("/tickets/<int:ticket_id>/highlight", methods=["POST"])
def post_highlight(ticket_id: int) -> str | Response | tuple[str, int]:
    """Flag the ticket for coordinators, with a reason; or clear the flag."""
    ticket = ticket_or_404(ticket_id)
    form = HighlightForm()
    if not form.validate_on_submit():
        return render_ticket_page(ticket, PageForms(highlight=form)), 400
    data = HighlightInput(highlighted=not form.clear.data, reason=form.reason.data or "")
    try:
        with unit_of_work(db.session):
            set_highlight(db.session, ticket, current_user, data)
    except CoordinationError as error:
        form.reason.errors = [*form.reason.errors, describe(error)]
        return render_ticket_page(ticket, PageForms(highlight=form)), 400
    flash(
        _("Highlighted for coordinators.") if data.highlighted else _("Highlight removed."),
        "success",
    )
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


@blueprint.route("/tickets/<int:ticket_id>/presence", methods=["POST"])
def post_presence(ticket_id: int) -> Response:
    """The page's heartbeat (every 20 s): I am here; who else is, and what is new since
    ``seen_message_id``? A POST because it records the visit; CSRF-checked like any form."""
    ticket = ticket_or_404(ticket_id)
    with unit_of_work(db.session):
        mark_viewing(db.session, ticket, current_user)
    seen = request.form.get("seen_message_id", type=int)
    newer = messages_since(db.session, ticket, seen, current_user)
    others = others_viewing(db.session, ticket, current_user)
    return jsonify(notices=presence_notices(others, newer))
