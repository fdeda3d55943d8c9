"""The quarantine: mail that could not be processed, kept raw, for an admin to retry or delete."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.blob_stores import blob_store
from ..core.errors import RawMailError
from ..core.models import RawMail, Role
from ..core.services.raw_mail import delete_raw_mail, quarantined_raw_mail, request_retry
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from ..security import untrusted_download
from .forms import QuarantineActionForm

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Admins only: the quarantine holds raw mail of every language and every requester."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.role != Role.ADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _raw_or_404(raw_id: int) -> RawMail:
    raw = db.session.get(RawMail, raw_id)
    if raw is None:
        abort(404)
    return raw


@blueprint.route("/quarantine")
@admin_required
def quarantine() -> str:
    """Mail that failed, with the reason, newest first."""
    return render_template(
        "admin/quarantine.html",
        mails=quarantined_raw_mail(db.session),
        form=QuarantineActionForm(),
    )


@blueprint.route("/quarantine/<int:raw_id>/raw")
@admin_required
def raw_download(raw_id: int) -> Response:
    """The bytes as they arrived, as a download: never rendered in our origin."""
    raw = _raw_or_404(raw_id)
    store = blob_store(current_app.config, "raw")
    return untrusted_download(store, raw.sha256, f"quarantined-{raw.id}.eml")


@blueprint.route("/quarantine/<int:raw_id>", methods=["POST"])
@admin_required
def quarantine_action(raw_id: int) -> Response:
    """Retry (the ingest worker takes it within seconds) or delete for good."""
    raw = _raw_or_404(raw_id)
    form = QuarantineActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with unit_of_work(db.session):
            if form.delete.data:
                delete_raw_mail(
                    db.session, blob_store(current_app.config, "raw"), raw, current_user
                )
            else:
                request_retry(raw)
    except RawMailError as error:
        flash(describe(error), "error")
    else:  # only once the commit holds
        done = _("Message deleted.") if form.delete.data else _("Message queued for another try.")
        flash(done, "success")
    return redirect(url_for("admin.quarantine"))


@blueprint.route("/")
@admin_required
def index() -> str:
    """One page that leads to every admin page: the navigation stays short on a phone."""
    return render_template("admin/index.html")
