"""The retention page: each mailbox's period, and what applying the policy now would purge."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..core.blob_stores import blob_stores
from ..core.models import Mailbox
from ..core.services.privacy.retention import apply_retention, retention_report, set_retention
from ..core.unit_of_work import unit_of_work
from ..extensions import db
from .forms import RetentionApplyForm, RetentionForm
from .views import admin_required, blueprint


@blueprint.route("/retention")
@admin_required
def retention() -> str:
    """Every mailbox with its period, and the dry run (nothing changes until applied)."""
    mailboxes = db.session.scalars(select(Mailbox).order_by(Mailbox.address)).all()
    return render_template(
        "admin/retention.html",
        mailboxes=mailboxes,
        forms={m.id: RetentionForm(formdata=None, months=m.retention_months) for m in mailboxes},
        reports=retention_report(db.session),
        apply_form=RetentionApplyForm(),
    )


@blueprint.route("/retention/<int:mailbox_id>", methods=["POST"])
@admin_required
def set_mailbox_retention(mailbox_id: int) -> Response:
    """Set or clear one mailbox's period (audited as a mailbox change)."""
    mailbox = db.session.get(Mailbox, mailbox_id)
    if mailbox is None:
        abort(404)
    form = RetentionForm()
    if not form.validate_on_submit():
        flash(_("A retention period is a number of months from 1 to %(max)d.", max=1200), "error")
        return redirect(url_for("admin.retention"))
    with unit_of_work(db.session):
        set_retention(db.session, mailbox, form.months.data, current_user)
    flash(_("Retention of %(address)s saved.", address=mailbox.address), "success")
    return redirect(url_for("admin.retention"))


@blueprint.route("/retention/apply", methods=["POST"])
@admin_required
def apply_retention_now() -> Response:
    """What the daily worker does, now (audited with the counts)."""
    if not RetentionApplyForm().validate_on_submit():
        abort(400)
    with unit_of_work(db.session):
        reports = apply_retention(db.session, blob_stores(current_app.config), current_user)
    count = sum(report.tickets for report in reports)
    flash(
        ngettext(
            "Retention applied to %(num)d ticket.", "Retention applied to %(num)d tickets.", count
        ),
        "success",
    )
    return redirect(url_for("admin.retention"))
