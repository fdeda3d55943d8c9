"""Sign-in and sign-out views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from ..core.services.users import authenticate
from ..extensions import db
from ..i18n import SESSION_LOCALE, endonym, interface_languages
from .forms import LanguageChoiceForm, LoginForm, language_choice_form

blueprint = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(target: str | None) -> str:
    """Only a local path: never redirect a signed-in user to another site."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("queue.index")


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Show the sign-in form; on success go where the user was heading."""
    if current_user.is_authenticated:
        return redirect(url_for("queue.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user, remember=bool(form.remember.data))
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Wrong email or password."), "error")
    return render_template("auth/login.html", form=form, languages=_language_form())


def _language_form() -> LanguageChoiceForm:
    languages = [(code, endonym(code)) for code in interface_languages()]
    return language_choice_form(languages, str(get_locale() or ""))


@blueprint.route("/language", methods=["POST"])
def choose_language() -> Response:
    """Remember a visitor's language in the session: it outranks the browser's, and a signed-in
    user's saved language outranks it."""
    form = _language_form()
    if form.validate_on_submit():
        session[SESSION_LOCALE] = form.locale.data
        refresh()
    return redirect(url_for("auth.login", next=request.args.get("next")))


@blueprint.route("/logout", methods=["POST"])
def logout() -> Response:
    """Sign out (POST with a CSRF token, so no other site can sign anyone out)."""
    logout_user()
    return redirect(url_for("auth.login"))
