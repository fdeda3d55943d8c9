"""Attachment downloads, behind the login and the ticket's visibility."""

from __future__ import annotations

from flask import abort, current_app
from werkzeug.wrappers import Response

from ..core.blob_stores import blob_store
from ..core.models import Attachment
from ..extensions import db
from ..security import send_blob, untrusted_download
from .access import ticket_or_404
from .blueprint import blueprint
from .message_html import INLINE_IMAGE_TYPES


def _attachment_or_404(attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        abort(404)
    ticket_or_404(attachment.message.ticket_id)
    return attachment


@blueprint.route("/attachments/<int:attachment_id>")
def download_attachment(attachment_id: int) -> Response:
    """Always as a download, never rendered in our origin: an attachment is untrusted content.
    (``X-Content-Type-Options: nosniff`` is on every response.)"""
    attachment = _attachment_or_404(attachment_id)
    store = blob_store(current_app.config, "attachments")
    return untrusted_download(store, attachment.sha256, attachment.filename)


@blueprint.route("/attachments/<int:attachment_id>/inline")
def inline_image(attachment_id: int) -> Response:
    """An image a message's HTML shows inline (``cid:``): raster types only, sandboxed."""
    attachment = _attachment_or_404(attachment_id)
    if attachment.content_type not in INLINE_IMAGE_TYPES:
        abort(404)
    store = blob_store(current_app.config, "attachments")
    response = send_blob(
        store,
        attachment.sha256,
        attachment.filename,
        attachment.content_type,
        as_attachment=False,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
