"""The audit log page: browse and filter, never edit."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.models import AuditAction, User
from ..core.services.audit import AuditFilter, audit_entries
from ..extensions import db
from .forms import AuditFilterForm
from .views import admin_required, blueprint

PAGE_SIZE = 100

ACTION_LABELS = {
    AuditAction.SIGN_IN_FAILED: _l("Sign-in failed"),
    AuditAction.ACCOUNT_LOCKED: _l("Account locked"),
    AuditAction.PASSWORD_CHANGED: _l("Password changed"),
    AuditAction.PASSWORD_RESET_REQUESTED: _l("Password reset requested"),
    AuditAction.PASSWORD_RESET: _l("Password reset"),
    AuditAction.SECOND_FACTOR_ENABLED: _l("Second factor enabled"),
    AuditAction.SECOND_FACTOR_DISABLED: _l("Second factor disabled"),
    AuditAction.SESSIONS_REVOKED: _l("Sessions revoked"),
    AuditAction.USER_INVITED: _l("User invited"),
    AuditAction.USER_CREATED: _l("User created"),
    AuditAction.USER_CHANGED: _l("User changed"),
    AuditAction.ROLE_CHANGED: _l("Role changed"),
    AuditAction.USER_DEACTIVATED: _l("User deactivated"),
    AuditAction.USER_REACTIVATED: _l("User reactivated"),
    AuditAction.MAILBOX_CREATED: _l("Mailbox created"),
    AuditAction.MAILBOX_CHANGED: _l("Mailbox changed"),
    AuditAction.MAILBOX_DELETED: _l("Mailbox deleted"),
    AuditAction.SETTINGS_CHANGED: _l("Settings changed"),
    AuditAction.LANGUAGE_ADDED: _l("Language added"),
    AuditAction.LANGUAGE_CHANGED: _l("Queue settings changed"),
    AuditAction.TEMPLATE_DELETED: _l("Template deleted"),
    AuditAction.TICKETS_MERGED: _l("Tickets merged"),
    AuditAction.REQUESTER_EXPORTED: _l("Requester's data exported"),
    AuditAction.REQUESTER_ERASED: _l("Requester erased"),
    AuditAction.RETENTION_RUN: _l("Retention policy applied"),
    AuditAction.RAW_MAIL_DELETED: _l("Quarantined mail deleted"),
}


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args, meta={"csrf": False})  # a GET: bookmarkable, no state
    form.action.choices = [("", _l("Any action"))] + [
        (str(action), ACTION_LABELS.get(action, str(action))) for action in AuditAction
    ]
    staff = db.session.scalars(select(User).order_by(User.email)).all()
    form.actor.choices = [("", _l("Anyone")), ("system", _l("The system or the console"))] + [
        (str(user.id), user.email) for user in staff
    ]
    return form


def _day_start(day: object) -> datetime | None:
    return datetime.combine(day, time(), tzinfo=UTC) if day else None  # type: ignore[arg-type]


def _filters(form: AuditFilterForm) -> AuditFilter:
    if not form.validate():
        return AuditFilter()
    actor = form.actor.data or ""
    until = _day_start(form.until.data)
    return AuditFilter(
        action=form.action.data or None,
        actor_id=int(actor) if actor.isdigit() else None,
        system_only=actor == "system",
        target_type=form.target_type.data or None,
        target_id=(form.target_id.data or "").strip() or None,
        since=_day_start(form.since.data),
        until=until + timedelta(days=1) if until else None,  # "until" includes that day
    )


@blueprint.route("/audit")
@admin_required
def audit_log() -> str:
    """Newest first, a hundred at a time, filtered by what the address says."""
    form = _filter_form()
    before_id = request.args.get("before", type=int)
    entries = audit_entries(db.session, _filters(form), limit=PAGE_SIZE, before_id=before_id)
    older_url = None
    if len(entries) == PAGE_SIZE:  # there may be more: page on from the oldest shown
        arguments: dict[str, Any] = {**request.args.to_dict(), "before": entries[-1].id}
        older_url = url_for("admin.audit_log", **arguments)
    return render_template(
        "admin/audit.html",
        form=form,
        entries=entries,
        labels=ACTION_LABELS,
        older_url=older_url,
    )
