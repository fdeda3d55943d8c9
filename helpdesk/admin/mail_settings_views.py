"""Outgoing mail settings: stored in the database unless the environment pins them."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..app_settings import current_smtp_settings, secret_box
from ..core.errors import DomainError
from ..core.services.outgoing_mail import OutgoingMail, compose, new_message_id
from ..core.services.settings import SMTP_SETTINGS, resolve_settings, save_smtp_settings
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from ..mail_diagnostics import Diagnosis, check_smtp
from .settings_forms import OutgoingMailForm, TestMailForm
from .views import admin_required, blueprint


def _render(
    form: OutgoingMailForm | None = None,
    test_form: TestMailForm | None = None,
    diagnosis: Diagnosis | None = None,
) -> str:
    resolved = resolve_settings(db.session, current_app.config, secret_box())
    if form is None:
        values = {
            name: ("" if s.value is None else str(s.value))
            for name, s in resolved.items()
            if name != "SMTP_PASSWORD"
        }
        form = OutgoingMailForm(formdata=None, **values)
    return render_template(
        "admin/outgoing_mail.html",
        form=form,
        test_form=test_form or TestMailForm(formdata=None, recipient=current_user.email),
        resolved=resolved,
        diagnosis=diagnosis,
    )


@blueprint.route("/outgoing-mail")
@admin_required
def outgoing_mail() -> str:
    """The settings, where each comes from, and the test button."""
    return _render()


def _typed(form: OutgoingMailForm) -> dict[str, str | None]:
    """What the admin may change: every setting the environment does not pin."""
    pinned = current_app.config["PINNED_SETTINGS"]
    typed: dict[str, str | None] = {}
    for name in SMTP_SETTINGS:
        if name in pinned:
            continue
        value = getattr(form, name).data or ""
        if name == "SMTP_PASSWORD":
            typed[name] = "" if form.clear_password.data else (value or None)
        else:
            typed[name] = value
    return typed


@blueprint.route("/outgoing-mail", methods=["POST"])
@admin_required
def save_outgoing_mail() -> str | Response:
    form = OutgoingMailForm()
    if not form.validate_on_submit():
        return _render(form), 400  # type: ignore[return-value]
    try:
        with unit_of_work(db.session):
            save_smtp_settings(
                db.session, current_app.config, secret_box(), current_user, _typed(form)
            )
    except DomainError as error:
        flash(describe(error), "error")
        return _render(form), 400  # type: ignore[return-value]
    flash(_("Outgoing mail settings saved; the next mail is sent with them."), "success")
    return redirect(url_for("admin.outgoing_mail"))


@blueprint.route("/outgoing-mail/test", methods=["POST"])
@admin_required
def send_test_mail() -> str | tuple[str, int]:
    """Sends at once, not through the outbox: a diagnostic that shows the server's answers."""
    test_form = TestMailForm()
    if not test_form.validate_on_submit():
        return _render(test_form=test_form), 400
    settings = current_smtp_settings()
    if not settings.host:
        flash(_("No SMTP server is set: mail is written to the outbox folder."), "error")
        return _render(test_form=test_form), 400
    content = compose(
        OutgoingMail(
            message_id=new_message_id(settings.domain),
            sender_name="Polyglot Desk",
            sender_address=settings.mail_from,
            recipient_name="",
            recipient_address=test_form.recipient.data or "",
            subject=_("Test mail from the helpdesk"),
            text=_("The helpdesk can send mail with these settings."),
            automatic=True,
        )
    )
    diagnosis = check_smtp(settings, test_form.recipient.data or "", content)
    return _render(test_form=test_form, diagnosis=diagnosis)
