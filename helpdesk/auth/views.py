"""Sign-in (password, then the second factor where the user has one) and sign-out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import sessions
from ..app_settings import secret_box
from ..core.errors import SecondFactorCodeWrong, SignInLocked
from ..core.models import User
from ..core.services.second_factor import verify_second_factor
from ..core.services.sign_in import (
    WINDOW,
    check_password,
    clear_failures,
    is_locked,
    record_failure,
)
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from ..i18n import SESSION_LOCALE, endonym, interface_languages
from .forms import LanguageChoiceForm, LoginForm, SecondFactorForm, language_choice_form

blueprint = Blueprint("auth", __name__, url_prefix="/auth")

SECOND_STEP_SECONDS = 300  # the password was right five minutes ago at most


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
    """Show the sign-in form; on success go where the user was heading (by the second step
    when the account has one)."""
    if current_user.is_authenticated:
        return redirect(url_for("queue.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        with unit_of_work(db.session):  # failures and their audit entries commit too
            result = check_password(
                db.session, email, form.password.data or "", request.remote_addr, sessions.now()
            )
        remember, target = bool(form.remember.data), request.args.get("next")
        if result.user is not None and result.user.has_second_factor:
            session[sessions.PENDING_SECOND_STEP] = {
                "user": result.user.id,
                "epoch": result.user.session_epoch,
                "remember": remember,
                "next": _safe_next(target),
                "at": sessions.now().timestamp(),
            }
            return redirect(url_for("auth.second_factor"))
        if result.user is not None:
            _finish(result.user, remember)
            return redirect(_safe_next(target))
        assert result.refusal is not None
        flash(describe(result.refusal), "error")
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


def _pending_user() -> tuple[User, dict] | None:
    """The half-signed-in user, if the password step was recent and nothing revoked since."""
    pending = session.get(sessions.PENDING_SECOND_STEP)
    if not isinstance(pending, dict):
        return None
    if sessions.now().timestamp() - pending.get("at", 0) > SECOND_STEP_SECONDS:
        return None
    user = db.session.get(User, pending.get("user"))
    if user is None or not user.active or user.session_epoch != pending.get("epoch"):
        return None
    return user, pending


@blueprint.route("/second-factor", methods=["GET", "POST"])
def second_factor() -> str | Response:
    """The second step: a code from the app, or a recovery code (spent once used)."""
    found = _pending_user()
    if found is None:
        session.pop(sessions.PENDING_SECOND_STEP, None)
        flash(_("Please sign in to continue."), "error")
        return redirect(url_for("auth.login"))
    user, pending = found
    form = SecondFactorForm()
    if form.validate_on_submit():
        accepted, refusal = _check_code(user, form.code.data or "")
        if accepted:
            _finish(user, bool(pending.get("remember")))
            return redirect(pending.get("next") or url_for("queue.index"))
        flash(describe(refusal), "error")
        if isinstance(refusal, SignInLocked):
            session.pop(sessions.PENDING_SECOND_STEP, None)
            return redirect(url_for("auth.login"))
    return render_template("auth/second_factor.html", form=form)


def _check_code(user: User, code: str) -> tuple[bool, SecondFactorCodeWrong | SignInLocked]:
    """Codes are guessed behind the same throttling as passwords."""
    address, now = request.remote_addr, sessions.now()
    with unit_of_work(db.session):
        if is_locked(db.session, user.email, address, now):
            return False, SignInLocked(int(WINDOW.total_seconds() // 60))
        if verify_second_factor(db.session, user, code, now, secret_box()):
            return True, SecondFactorCodeWrong()
        record_failure(db.session, user.email, user, address, now, "second_factor")
    return False, SecondFactorCodeWrong()


def _finish(user: User, remember: bool) -> None:
    """Every factor passed: the account's failures are forgiven and the session starts."""
    with unit_of_work(db.session):
        clear_failures(db.session, user.email)
    sessions.start_session(user, remember)


@blueprint.route("/logout", methods=["POST"])
def logout() -> Response:
    """Sign out (POST with a CSRF token, so no other site can sign anyone out)."""
    sessions.end_session()
    return redirect(url_for("auth.login"))
