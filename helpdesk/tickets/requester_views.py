"""The requester card: a coordinator gives an address to a requester whose mail had none."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.services.requesters import RequesterAddressError, set_requester_address
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .access import ticket_or_404
from .blueprint import blueprint
from .forms import RequesterAddressForm
from .page import PageForms, render_ticket_page


@blueprint.route("/tickets/<int:ticket_id>/requester-address", methods=["POST"])
def post_requester_address(ticket_id: int) -> str | Response | tuple[str, int]:
    """Set the address of a requester who has none (coordinators and admins): replies can
    then be sent. An address another contact has makes that contact the requester."""
    ticket = ticket_or_404(ticket_id)
    if not current_user.sees_all_tickets:
        abort(403)
    form = RequesterAddressForm()
    if not form.validate_on_submit():
        return render_ticket_page(ticket, PageForms(requester_address=form)), 400
    try:
        with unit_of_work(db.session):
            contact = set_requester_address(
                db.session, ticket, current_user, form.address.data or ""
            )
    except RequesterAddressError as error:
        form.address.errors = [*form.address.errors, describe(error)]
        return render_ticket_page(ticket, PageForms(requester_address=form)), 400
    flash(_("Replies to this ticket now go to %(address)s.", address=contact.email), "success")
    return redirect(url_for("tickets.show", ticket_id=ticket.id))
