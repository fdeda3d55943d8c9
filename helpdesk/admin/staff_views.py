"""The users page: staff with their role, languages and presence; invitations; deactivation."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..app_settings import current_mail_settings
from ..core.errors import DomainError
from ..core.models import Role, User, utcnow
from ..core.services.languages import all_languages
from ..core.services.staff import (
    INVITATION_LIFETIME,
    StaffChanges,
    invite_user,
    pending_invitations,
    queue_invitation_mail,
    set_staff_active,
    staff_list,
    update_staff,
)
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .staff_forms import ActiveForm, InviteForm, StaffForm
from .views import admin_required, blueprint


def _language_choices() -> list[tuple[str, str]]:
    return [(language.code, language.name) for language in all_languages(db.session)]


def _staff_form(user: User, submitted: bool = False) -> StaffForm:
    if submitted:
        form = StaffForm(prefix=f"u{user.id}")
    else:
        until = user.away_until
        form = StaffForm(
            prefix=f"u{user.id}",
            formdata=None,
            name=user.name,
            role=user.role,
            languages=sorted(user.language_codes),
            away=user.is_away(utcnow()),
            away_until=until.date() if until else None,
        )
    form.languages.choices = _language_choices()
    return form


def _render(invite: InviteForm | None = None, failed: tuple[int, StaffForm] | None = None) -> str:
    users = staff_list(db.session)
    forms = {user.id: _staff_form(user) for user in users}
    if failed is not None:
        forms[failed[0]] = failed[1]
    if invite is None:
        invite = InviteForm(role=Role.LIAISON.value)
    invite.languages.choices = _language_choices()
    return render_template(
        "admin/users.html",
        users=users,
        forms=forms,
        active_form=ActiveForm(),
        invite=invite,
        invitations=pending_invitations(db.session, utcnow()),
        now=utcnow(),
    )


@blueprint.route("/users")
@admin_required
def users() -> str:
    """Every member of staff, active first, each with a form to change them."""
    return _render()


def _invitation_text(link: str, inviter: str) -> tuple[str, str]:
    """Rendered in the inviting admin's language (English when they chose none)."""
    with force_locale(current_user.locale or "en"):
        subject = _("You are invited to the helpdesk")
        text = _(
            "%(inviter)s invites you to join the helpdesk.\n\n"
            "Open this link to choose your name and password (it works once, for %(hours)d "
            "hours):\n%(link)s\n",
            inviter=inviter,
            hours=int(INVITATION_LIFETIME.total_seconds() // 3600),
            link=link,
        )
    return subject, text


@blueprint.route("/users/invite", methods=["POST"])
@admin_required
def invite() -> str | Response:
    form = InviteForm()
    form.languages.choices = _language_choices()
    if not form.validate_on_submit():
        return _render(invite=form), 400  # type: ignore[return-value]
    try:
        with unit_of_work(db.session):
            invitation, token = invite_user(
                db.session,
                current_user,
                form.email.data or "",
                Role(form.role.data),
                tuple(form.languages.data or ()),
                utcnow(),
            )
            base = current_app.config["BASE_URL"].rstrip("/")
            link = base + url_for("auth.accept_invitation", token=token)
            subject, text = _invitation_text(link, current_user.name)
            queue_invitation_mail(
                db.session,
                invitation,
                subject,
                text,
                current_mail_settings(),
                current_user.locale or "en",
            )
    except DomainError as error:
        form.email.errors = [*form.email.errors, describe(error)]
        return _render(invite=form), 400  # type: ignore[return-value]
    flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("admin.users"))


@blueprint.route("/users/<int:user_id>", methods=["POST"])
@admin_required
def update_user(user_id: int) -> str | Response:
    user = db.get_or_404(User, user_id)
    form = _staff_form(user, submitted=True)
    if not form.validate_on_submit():
        return _render(failed=(user.id, form)), 400  # type: ignore[return-value]
    until = (
        datetime.combine(form.away_until.data, time.min, tzinfo=UTC)
        if form.away.data and form.away_until.data
        else None
    )
    changes = StaffChanges(
        name=form.name.data or "",
        role=Role(form.role.data),
        languages=tuple(form.languages.data or ()),
        away=bool(form.away.data),
        away_until=until,
    )
    try:
        with unit_of_work(db.session):
            update_staff(db.session, current_user, user, changes, utcnow())
    except DomainError as error:
        db.session.refresh(user)
        form.role.errors = [*form.role.errors, describe(error)]
        return _render(failed=(user.id, form)), 400  # type: ignore[return-value]
    flash(_("%(name)s saved.", name=user.name), "success")
    return redirect(url_for("admin.users"))


@blueprint.route("/users/<int:user_id>/active", methods=["POST"])
@admin_required
def set_active(user_id: int) -> Response:
    """Deactivated staff cannot sign in and get no tickets; everything they did stays."""
    user = db.get_or_404(User, user_id)
    form = ActiveForm()
    if not form.validate_on_submit() or not (form.deactivate.data or form.reactivate.data):
        abort(400)
    active = bool(form.reactivate.data)
    try:
        with unit_of_work(db.session):
            set_staff_active(db.session, current_user, user, active)
    except DomainError as error:
        flash(describe(error), "error")
    else:
        if active:
            flash(_("%(name)s can sign in again.", name=user.name), "success")
        else:
            flash(_("%(name)s is deactivated.", name=user.name), "success")
    return redirect(url_for("admin.users"))
