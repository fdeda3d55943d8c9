"""Password reset by email: ask for a link, then set a new password through it."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import sessions
from ..core.errors import ResetLinkInvalid, UserError
from ..core.models import User
from ..core.services.account_mail import queue_account_mail
from ..core.services.outgoing_mail import MailSettings
from ..core.services.passwords import (
    RESET_LINK_LIFETIME,
    request_password_reset,
    reset_password,
    user_for_reset,
)
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .forms import ForgotPasswordForm, NewPasswordForm
from .views import blueprint


@blueprint.route("/forgot", methods=["GET", "POST"])
def forgot_password() -> str | Response:
    """The same answer whether or not an account has the address: the page tells no one who
    works here."""
    if current_user.is_authenticated:
        return redirect(url_for("account.settings"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        with unit_of_work(db.session):
            issued = request_password_reset(db.session, form.email.data or "", sessions.now())
            if issued is not None:
                _queue_reset_mail(*issued)
        flash(
            _(
                "If an account uses this address, a link to set a new password is on its way."
                " It works once, within an hour."
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


def _queue_reset_mail(user: User, token: str) -> None:
    config = current_app.config
    link = config["BASE_URL"].rstrip("/") + url_for("auth.reset_password_view", token=token)
    minutes = int(RESET_LINK_LIFETIME.total_seconds() // 60)
    with force_locale(user.locale or "en"):
        subject = _("Set a new password for Polyglot Desk")
        text = render_template("auth/reset_mail.txt", user=user, link=link, minutes=minutes)
    settings = MailSettings(config["MAIL_FROM"], config["MAIL_DOMAIN"])
    queue_account_mail(db.session, user, subject, text, settings)


@blueprint.route("/reset/<token>", methods=["GET", "POST"])
def reset_password_view(token: str) -> str | Response:
    """The link from the mail: a new password that passes the policy; every session ends."""
    try:
        user_for_reset(db.session, token, sessions.now())
    except ResetLinkInvalid as error:
        flash(describe(error), "error")
        return redirect(url_for("auth.forgot_password"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            with unit_of_work(db.session):
                reset_password(db.session, token, form.password.data or "", sessions.now())
        except UserError as error:
            form.password.errors = [*form.password.errors, describe(error)]
            return render_template("auth/reset.html", form=form), 400  # type: ignore[return-value]
        sessions.end_session()
        flash(_("Your password is set. Sign in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)
