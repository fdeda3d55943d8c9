"""Tags on the ticket page: anyone who can see the ticket can add or remove one."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.services.tags import TagError, add_tag, remove_tag
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .access import ticket_or_404
from .blueprint import blueprint
from .forms import TagForm


@blueprint.route("/tickets/<int:ticket_id>/tags", methods=["POST"])
def post_tags(ticket_id: int) -> Response:
    ticket = ticket_or_404(ticket_id)
    form = TagForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with unit_of_work(db.session):
            if form.remove.data:
                remove_tag(db.session, ticket, form.remove.data, current_user)
            elif form.name.data:
                add_tag(db.session, ticket, form.name.data, current_user)
    except TagError as error:
        flash(describe(error), "error")
    else:
        flash(_("Tags saved."), "success")
    return redirect(url_for("tickets.show", ticket_id=ticket.id) + "#tags")
