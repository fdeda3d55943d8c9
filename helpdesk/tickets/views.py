"""The ticket page and its composer: reply (with a status), note, status, language, claim."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from ..app_settings import current_mail_settings
from ..core.blob_stores import blob_store
from ..core.models import ReplyTemplateVariant, Status, Ticket, User
from ..core.services.languages import active_languages
from ..core.services.outgoing_mail import MailSettings, OutgoingAttachment
from ..core.services.presence import mark_viewing
from ..core.services.replies import (
    NoReplyAddressError,
    ReplyError,
    ReplyInput,
    StaleReplyError,
    add_note,
    reply,
)
from ..core.services.reply_templates import render_variant, variants_for_ticket
from ..core.services.routing import RoutingError, correct_language
from ..core.services.template_translations import record_template_use
from ..core.services.tickets import TicketError, assign, change_status, claim
from ..core.services.users import assignable_users
from ..core.services.visibility import can_view_ticket
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from ..security import CSP_WITH_REMOTE_IMAGES
from .access import ticket_or_404
from .blueprint import blueprint
from .forms import (
    AssignForm,
    ClaimForm,
    LanguageForm,
    ReplyForm,
    StatusForm,
    assignee_choices,
    language_choices,
)
from .page import Extras, PageForms, render_ticket_page


@blueprint.route("/tickets/<int:ticket_id>")
def show(ticket_id: int) -> str | Response:
    """The whole thread with the composer. ``?remote_images=<message id>`` shows that message's
    remote images, and only that response's CSP allows them."""
    ticket = ticket_or_404(ticket_id)
    remote_for = request.args.get("remote_images", type=int)
    page = render_ticket_page(ticket, extras=Extras(remote_images_for=remote_for))
    # After rendering: the commit expires what the page read, which would cost reloading it.
    with unit_of_work(db.session):
        mark_viewing(db.session, ticket, current_user)
    if remote_for is None:
        return page
    response = current_app.make_response(page)
    response.headers["Content-Security-Policy"] = CSP_WITH_REMOTE_IMAGES
    return response


def _uploads(files: list[FileStorage] | None) -> tuple[OutgoingAttachment, ...]:
    return tuple(
        OutgoingAttachment.cleaned(f.filename or "", f.mimetype or "", f.read())
        for f in files or []
        if f.filename
    )


def _sent(ticket: Ticket, message: str) -> Response:
    """After a send, ``sent`` tells the page's script to drop the saved draft."""
    flash(message, "success")
    return redirect(url_for("tickets.show", ticket_id=ticket.id, sent=1))


@blueprint.route("/tickets/<int:ticket_id>/reply", methods=["POST"])
def post_reply(ticket_id: int) -> str | Response | tuple[str, int]:
    """The composer's buttons: insert a template, send with a status, or save as a note."""
    ticket = ticket_or_404(ticket_id)
    form = ReplyForm()
    form.template.choices = [(0, "—")] + [
        (v.id, v.name) for v in variants_for_ticket(db.session, ticket)
    ]
    if not form.validate_on_submit():
        return render_ticket_page(ticket, PageForms(reply=form)), 400
    if form.insert.data:
        variant = db.session.get(ReplyTemplateVariant, form.template.data or 0)
        if variant is not None:
            form.body.data = render_variant(variant, ticket, current_user)
        return render_ticket_page(ticket, PageForms(reply=form))
    if not form.note.data and form.status_after() is None:
        abort(400)  # no button we know was pressed
    try:
        with unit_of_work(db.session):
            _send_or_note(ticket, form)
    except StaleReplyError as error:
        # Their text stays; the thread now shows the new messages; sending again sends anyway.
        newest = max(message.id for message in error.newer)
        form.seen_message_id.data, form.seen_message_id.raw_data = newest, [str(newest)]
        return render_ticket_page(ticket, PageForms(reply=form), Extras(stale=error.newer)), 409
    except NoReplyAddressError:  # the composer said so; the text stays, to keep as a note
        form.body.errors = [*form.body.errors, _("Not sent: this requester has no address.")]
        return render_ticket_page(ticket, PageForms(reply=form)), 409
    except ReplyError as error:
        form.body.errors = [*form.body.errors, describe(error)]
        return render_ticket_page(ticket, PageForms(reply=form)), 400
    return _sent(ticket, _("Note added.") if form.note.data else _("Reply queued for sending."))


def _send_or_note(ticket: Ticket, form: ReplyForm) -> None:
    store = blob_store(current_app.config, "attachments")
    files, body = _uploads(form.files.data), form.body.data or ""
    if form.note.data:
        add_note(db.session, ticket, current_user, body, files, store)
        return
    data = ReplyInput(body, form.status_after(), files, form.seen_message_id.data)
    reply(db.session, ticket, current_user, data, _mail_settings(), store)
    if form.template.data:  # the reply started from a template: it counts as used
        record_template_use(db.session, form.template.data)


def _mail_settings() -> MailSettings:
    return current_mail_settings()


@blueprint.route("/tickets/<int:ticket_id>/status", methods=["POST"])
def post_status(ticket_id: int) -> str | Response | tuple[str, int]:
    """Change the ticket's status."""
    ticket = ticket_or_404(ticket_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return render_ticket_page(ticket, PageForms(status=form)), 400
    with unit_of_work(db.session):
        change_status(db.session, ticket, Status(form.status.data), current_user)
    flash(_("Status changed."), "success")
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


@blueprint.route("/tickets/<int:ticket_id>/assign", methods=["POST"])
def post_assign(ticket_id: int) -> str | Response | tuple[str, int]:
    """A coordinator gives the ticket to someone, or back to its queue."""
    ticket = ticket_or_404(ticket_id)
    if not current_user.sees_all_tickets:
        abort(403)
    form = AssignForm()
    form.assignee.choices = assignee_choices(assignable_users(db.session), ticket.language_code)
    if not form.validate_on_submit():
        return render_ticket_page(ticket, PageForms(assign=form)), 400
    assignee = db.session.get(User, int(form.assignee.data)) if form.assignee.data else None
    try:
        with unit_of_work(db.session):
            assign(db.session, ticket, assignee, current_user)
    except TicketError as error:
        form.assignee.errors = [*form.assignee.errors, describe(error)]
        return render_ticket_page(ticket, PageForms(assign=form)), 400
    flash(_("Ticket reassigned."), "success")
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


@blueprint.route("/tickets/<int:ticket_id>/language", methods=["POST"])
def post_language(ticket_id: int) -> str | Response | tuple[str, int]:
    """Correct the ticket's language: it moves to that queue and is routed again there."""
    ticket = ticket_or_404(ticket_id)
    form = LanguageForm()
    form.language.choices = language_choices(active_languages(db.session))
    if not form.validate_on_submit():
        return render_ticket_page(ticket, PageForms(language=form)), 400
    try:
        with unit_of_work(db.session):
            correct_language(db.session, ticket, form.language.data or None, current_user)
    except RoutingError as error:
        form.language.errors = [*form.language.errors, describe(error)]
        return render_ticket_page(ticket, PageForms(language=form)), 400
    flash(_("Language changed; the ticket was routed again."), "success")
    if not can_view_ticket(current_user, ticket):  # moved out of this liaison's queues
        return redirect(url_for("queue.index"))
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


@blueprint.route("/tickets/<int:ticket_id>/claim", methods=["POST"])
def post_claim(ticket_id: int) -> Response:
    """Take an unassigned ticket from one of my queues."""
    ticket = ticket_or_404(ticket_id)
    if not ClaimForm().validate_on_submit():
        abort(400)
    try:
        with unit_of_work(db.session):
            claim(db.session, ticket, current_user)
    except TicketError as error:
        flash(describe(error), "error")
        return redirect(url_for("tickets.show", ticket_id=ticket.id))
    flash(_("The ticket is yours."), "success")
    return redirect(url_for("tickets.show", ticket_id=ticket.id))
