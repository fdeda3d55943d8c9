"""The ticket page: thread, reply with a template, notes, status; and attachment downloads."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.models import Attachment, ReplyTemplateVariant, Status, Ticket
from ..core.services.languages import active_languages
from ..core.services.outgoing_mail import MailSettings
from ..core.services.replies import ReplyError, ReplyInput, add_note, reply
from ..core.services.reply_templates import render_variant, variants_for_ticket
from ..core.services.routing import RoutingError, correct_language
from ..core.services.routing_explanation import ticket_routing
from ..core.services.tickets import TicketError, change_status, claim
from ..core.services.visibility import can_view_ticket
from ..core.storage import BlobStore
from ..core.unit_of_work import unit_of_work
from ..extensions import db
from .forms import (
    ClaimForm,
    LanguageForm,
    NoteForm,
    ReplyForm,
    StatusForm,
    language_choices,
    template_choices,
)

blueprint = Blueprint("tickets", __name__)


def _ticket_or_404(ticket_id: int) -> Ticket:
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is None:
        abort(404)
    if not can_view_ticket(current_user, ticket):
        abort(403)
    return ticket


def _render(
    ticket: Ticket,
    reply_form: ReplyForm | None = None,
    note_form: NoteForm | None = None,
    status_form: StatusForm | None = None,
    language_form: LanguageForm | None = None,
) -> str:
    variants = variants_for_ticket(db.session, ticket)
    reply_form = reply_form or ReplyForm()
    reply_form.template.choices = template_choices(variants)
    status_form = status_form or StatusForm(status=ticket.status)
    languages = active_languages(db.session)
    language_form = language_form or LanguageForm(language=ticket.language_code or "")
    language_form.language.choices = language_choices(languages)
    return render_template(
        "tickets/show.html",
        ticket=ticket,
        variants=variants,
        reply_form=reply_form,
        note_form=note_form or NoteForm(),
        status_form=status_form,
        language_form=language_form,
        claim_form=ClaimForm(),
        language_names={language.code: language.name for language in languages},
        routing_steps=ticket_routing(db.session, ticket),
        rendered_variants={v.id: render_variant(v, ticket, current_user) for v in variants},
    )


@blueprint.route("/tickets/<int:ticket_id>")
def show(ticket_id: int) -> str:
    """The whole thread with the reply composer."""
    return _render(_ticket_or_404(ticket_id))


@blueprint.route("/tickets/<int:ticket_id>/reply", methods=["POST"])
def post_reply(ticket_id: int) -> str | Response:
    """Insert a template into the composer, or send the reply through the outbox."""
    ticket = _ticket_or_404(ticket_id)
    form = ReplyForm()
    form.template.choices = [(0, "—")] + [
        (v.id, v.name) for v in variants_for_ticket(db.session, ticket)
    ]
    if not form.validate_on_submit():
        return _render(ticket, reply_form=form), 400  # type: ignore[return-value]
    if form.insert.data:
        variant = db.session.get(ReplyTemplateVariant, form.template.data or 0)
        if variant is not None:
            form.body.data = render_variant(variant, ticket, current_user)
        return _render(ticket, reply_form=form)
    settings = MailSettings(current_app.config["MAIL_FROM"], current_app.config["MAIL_DOMAIN"])
    try:
        with unit_of_work(db.session):
            reply(
                db.session,
                ticket,
                current_user,
                ReplyInput(
                    body=form.body.data or "",
                    status_after=Status(form.status_after.data),
                ),
                settings,
            )
    except ReplyError as error:
        form.body.errors = [*form.body.errors, str(error)]
        return _render(ticket, reply_form=form), 400  # type: ignore[return-value]
    flash(_("Reply queued for sending."), "success")
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


@blueprint.route("/tickets/<int:ticket_id>/note", methods=["POST"])
def post_note(ticket_id: int) -> str | Response:
    """Add an internal note (never mailed)."""
    ticket = _ticket_or_404(ticket_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _render(ticket, note_form=form), 400  # type: ignore[return-value]
    with unit_of_work(db.session):
        add_note(db.session, ticket, current_user, form.note.data or "")
    flash(_("Note added."), "success")
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


@blueprint.route("/tickets/<int:ticket_id>/status", methods=["POST"])
def post_status(ticket_id: int) -> str | Response:
    """Change the ticket's status."""
    ticket = _ticket_or_404(ticket_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _render(ticket, status_form=form), 400  # type: ignore[return-value]
    with unit_of_work(db.session):
        change_status(db.session, ticket, Status(form.status.data), current_user)
    flash(_("Status changed."), "success")
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


@blueprint.route("/tickets/<int:ticket_id>/language", methods=["POST"])
def post_language(ticket_id: int) -> str | Response:
    """Correct the ticket's language: it moves to that queue and is routed again there."""
    ticket = _ticket_or_404(ticket_id)
    form = LanguageForm()
    form.language.choices = language_choices(active_languages(db.session))
    if not form.validate_on_submit():
        return _render(ticket, language_form=form), 400  # type: ignore[return-value]
    try:
        with unit_of_work(db.session):
            correct_language(db.session, ticket, form.language.data or None, current_user)
    except RoutingError as error:
        form.language.errors = [*form.language.errors, str(error)]
        return _render(ticket, language_form=form), 400  # type: ignore[return-value]
    flash(_("Language changed; the ticket was routed again."), "success")
    if not can_view_ticket(current_user, ticket):  # moved out of this liaison's queues
        return redirect(url_for("queue.index"))
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


@blueprint.route("/tickets/<int:ticket_id>/claim", methods=["POST"])
def post_claim(ticket_id: int) -> str | Response:
    """Take an unassigned ticket from one of my queues."""
    ticket = _ticket_or_404(ticket_id)
    if not ClaimForm().validate_on_submit():
        abort(400)
    try:
        with unit_of_work(db.session):
            claim(db.session, ticket, current_user)
    except TicketError as error:
        flash(str(error), "error")
        return redirect(url_for("tickets.show", ticket_id=ticket.id))
    flash(_("The ticket is yours."), "success")
    return redirect(url_for("tickets.show", ticket_id=ticket.id))


@blueprint.route("/attachments/<int:attachment_id>")
def download_attachment(attachment_id: int) -> Response:
    """Always as a download, never rendered in our origin: an attachment is untrusted content."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        abort(404)
    _ticket_or_404(attachment.message.ticket_id)
    store = BlobStore(current_app.config["ATTACHMENTS_DIR"])
    return send_file(
        store.path(attachment.sha256),
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=attachment.filename,
    )
