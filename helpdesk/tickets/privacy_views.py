"""The requester card's privacy actions: export their data (coordinators and admins) and
erase it (admins, after a confirmation page naming what goes)."""

from __future__ import annotations

import tempfile

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.blob_stores import blob_stores
from ..core.models import Role, Ticket
from ..core.services.privacy.erasure import erase_requester, erasure_plan
from ..core.services.privacy.export import export_requester
from ..core.unit_of_work import unit_of_work
from ..extensions import db
from .access import ticket_or_404
from .blueprint import blueprint
from .forms import RequesterEraseForm, RequesterExportForm


@blueprint.route("/tickets/<int:ticket_id>/requester/export", methods=["POST"])
def export_requester_data(ticket_id: int) -> Response:
    """The zip of everything the requester wrote and received (coordinators and admins). It is
    built in a temporary file, not in memory, and the export is audited."""
    ticket = ticket_or_404(ticket_id)
    if not current_user.sees_all_tickets:
        abort(403)
    if not RequesterExportForm().validate_on_submit():
        abort(400)
    archive = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
    try:
        with unit_of_work(db.session):
            export_requester(
                db.session, blob_stores(current_app.config), ticket.requester, current_user, archive
            )
    except BaseException:
        archive.close()
        raise
    archive.seek(0)
    name = f"requester-{ticket.requester_id}.zip"
    return send_file(archive, mimetype="application/zip", as_attachment=True, download_name=name)


@blueprint.route("/tickets/<int:ticket_id>/requester/erase", methods=["GET", "POST"])
def erase_requester_data(ticket_id: int) -> str | Response:
    """GET: what erasure would remove; POST: erase (admins only), then back to the ticket,
    which stays with its timings for statistics."""
    ticket = _admin_ticket(ticket_id)
    form = RequesterEraseForm()
    if not form.validate_on_submit():
        plan = erasure_plan(db.session, ticket.requester)
        return render_template("tickets/erase_requester.html", ticket=ticket, plan=plan, form=form)
    contact_id = ticket.requester_id
    with unit_of_work(db.session):
        erase_requester(
            db.session,
            blob_stores(current_app.config),
            ticket.requester,
            current_user,
            current_app.config["OUTBOX_DIR"],
        )
    flash(_("Requester #%(id)d was erased.", id=contact_id), "success")
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


def _admin_ticket(ticket_id: int) -> Ticket:
    ticket = ticket_or_404(ticket_id)
    if current_user.role != Role.ADMIN:
        abort(403)
    return ticket
