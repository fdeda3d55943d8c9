"""The account's security page: change the password, the second factor, sign out everywhere."""

from __future__ import annotations

import segno
from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import sessions
from ..app_settings import secret_box
from ..core.errors import UserError
from ..core.services.passwords import change_password
from ..core.services.second_factor import (
    confirm_enrolment,
    disable_second_factor,
    provisioning_uri,
    recovery_codes_left,
    start_enrolment,
    totp_secret,
)
from ..core.services.users import revoke_sessions
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .security_forms import (
    ChangePasswordForm,
    ConfirmSecondFactorForm,
    DisableSecondFactorForm,
    SignOutEverywhereForm,
    StartSecondFactorForm,
)
from .views import blueprint


def _render(status: int = 200, **forms: FlaskForm) -> tuple[str, int]:
    enrolling = current_user.totp_secret is not None and not current_user.has_second_factor
    context = {
        "password_form": forms.get("password_form") or ChangePasswordForm(),
        "start_form": StartSecondFactorForm(),
        "confirm_form": forms.get("confirm_form") or ConfirmSecondFactorForm(),
        "disable_form": forms.get("disable_form") or DisableSecondFactorForm(),
        "sign_out_form": SignOutEverywhereForm(),
        "enrolling": enrolling,
        "codes_left": recovery_codes_left(db.session, current_user),
    }
    if enrolling:
        uri = provisioning_uri(current_user, secret_box())
        # A data: image: the Content-Security-Policy allows it, and no inline SVG styles.
        context["qr_data_uri"] = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
        context["secret"] = totp_secret(current_user, secret_box())
    return render_template("account/security.html", **context), status


@blueprint.route("/security")
def security() -> tuple[str, int]:
    return _render()


@blueprint.route("/password", methods=["POST"])
def change_password_view() -> tuple[str, int] | Response:
    """Needs the current password; ends every other session and keeps this one."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _render(400, password_form=form)
    try:
        with unit_of_work(db.session):
            change_password(
                db.session,
                current_user,
                form.current_password.data or "",
                form.new_password.data or "",
            )
    except UserError as error:
        form.new_password.errors = [*form.new_password.errors, describe(error)]
        return _render(400, password_form=form)
    sessions.start_session(current_user._get_current_object(), remember=_remembered())
    flash(_("Your password is changed. Other sessions are signed out."), "success")
    return redirect(url_for("account.security"))


def _remembered() -> bool:
    return bool(session.permanent)


@blueprint.route("/second-factor/start", methods=["POST"])
def start_second_factor() -> tuple[str, int] | Response:
    if not StartSecondFactorForm().validate_on_submit():
        return _render(400)
    try:
        with unit_of_work(db.session):
            start_enrolment(current_user, secret_box())
    except UserError as error:
        flash(describe(error), "error")
    return redirect(url_for("account.security", _anchor="second-factor"))


@blueprint.route("/second-factor/confirm", methods=["POST"])
def confirm_second_factor() -> tuple[str, int] | Response:
    """The recovery codes are shown on this one response (never stored in clear, never again)."""
    form = ConfirmSecondFactorForm()
    if not form.validate_on_submit():
        return _render(400, confirm_form=form)
    try:
        with unit_of_work(db.session):
            codes = confirm_enrolment(
                db.session, current_user, form.code.data or "", sessions.now(), secret_box()
            )
    except UserError as error:
        form.code.errors = [*form.code.errors, describe(error)]
        return _render(400, confirm_form=form)
    return render_template("account/recovery_codes.html", codes=codes), 200


@blueprint.route("/second-factor/disable", methods=["POST"])
def disable_second_factor_view() -> tuple[str, int] | Response:
    form = DisableSecondFactorForm()
    if not form.validate_on_submit():
        return _render(400, disable_form=form)
    try:
        with unit_of_work(db.session):
            disable_second_factor(
                db.session,
                current_user,
                form.disable_password.data or "",
                form.disable_code.data or "",
                sessions.now(),
                secret_box(),
            )
    except UserError as error:
        form.disable_code.errors = [*form.disable_code.errors, describe(error)]
        return _render(400, disable_form=form)
    flash(_("The second step is off."), "success")
    return redirect(url_for("account.security"))


@blueprint.route("/sign-out-everywhere", methods=["POST"])
def sign_out_everywhere() -> tuple[str, int] | Response:
    """Every session of this account ends, this one included (a lost phone, a shared computer)."""
    if not SignOutEverywhereForm().validate_on_submit():
        return _render(400)
    with unit_of_work(db.session):
        revoke_sessions(db.session, current_user)
    sessions.end_session()
    flash(_("You are signed out everywhere."), "success")
    return redirect(url_for("auth.login"))
