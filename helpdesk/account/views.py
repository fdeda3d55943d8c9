"""Account settings: being away (with an optional return date), signatures per language, and
the language and time zone the interface is shown in."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.models import utcnow
from ..core.services.signatures import SignatureError, save_signatures, signatures_of
from ..core.services.users import (
    UserError,
    set_away,
    set_interface_language,
    set_time_zone,
    time_zone_names,
)
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from ..i18n import endonym, interface_languages
from .forms import (
    AwayForm,
    PreferencesForm,
    SignaturesForm,
    TimeZoneGuessForm,
    preferences_form,
    signatures_form,
)

blueprint = Blueprint("account", __name__, url_prefix="/account")


def _preferences(**data: object) -> PreferencesForm:
    languages = [(code, endonym(code)) for code in interface_languages()]
    return preferences_form(languages, time_zone_names(), **data)


def _render(
    form: AwayForm | None = None,
    signatures: SignaturesForm | None = None,
    preferences: PreferencesForm | None = None,
) -> str:
    if form is None:
        until = current_user.away_until
        form = AwayForm(
            away=current_user.is_away(utcnow()), away_until=until.date() if until else None
        )
    if signatures is None:
        signatures = signatures_form(
            current_user.languages, signatures_of(db.session, current_user)
        )
    if preferences is None:
        preferences = _preferences(
            formdata=None,
            locale=current_user.locale or "",
            timezone=current_user.timezone or "UTC",
        )
    return render_template(
        "account/settings.html", form=form, signatures=signatures, preferences=preferences
    )


@blueprint.route("")
def settings() -> str:
    return _render()


@blueprint.route("", methods=["POST"])
def save_settings() -> str | Response:
    form = AwayForm()
    if not form.validate_on_submit():
        return _render(form), 400  # type: ignore[return-value]
    # Back on a date: from the start of that day (UTC), new tickets come again.
    until = (
        datetime.combine(form.away_until.data, time.min, tzinfo=UTC)
        if form.away and form.away_until.data
        else None
    )
    try:
        with unit_of_work(db.session):
            set_away(current_user, form.away.data, until, utcnow())
    except UserError as error:
        form.away_until.errors = [*form.away_until.errors, describe(error)]
        return _render(form), 400  # type: ignore[return-value]
    flash(_("Saved."), "success")
    return redirect(url_for("account.settings"))


@blueprint.route("/signatures", methods=["POST"])
def save_signatures_view() -> str | Response:
    """Signatures are appended to replies in their language, so each language has its own."""
    form = signatures_form(current_user.languages, {})
    if not form.validate_on_submit():
        return _render(signatures=form), 400  # type: ignore[return-value]
    try:
        with unit_of_work(db.session):
            save_signatures(db.session, current_user, form.bodies())
    except SignatureError as error:
        flash(describe(error), "error")
        return _render(signatures=form), 400  # type: ignore[return-value]
    flash(_("Signatures saved."), "success")
    return redirect(url_for("account.settings", _anchor="signatures"))


@blueprint.route("/preferences", methods=["POST"])
def save_preferences() -> str | Response:
    """The interface's language and time zone, for every page and mail this person reads."""
    form = _preferences()
    if not form.validate_on_submit():
        return _render(preferences=form), 400  # type: ignore[return-value]
    try:
        with unit_of_work(db.session):
            set_interface_language(current_user, form.locale.data or None, interface_languages())
            set_time_zone(current_user, form.timezone.data or "")
    except UserError as error:
        form.timezone.errors = [*form.timezone.errors, describe(error)]
        return _render(preferences=form), 400  # type: ignore[return-value]
    refresh()  # this response already speaks the new language
    flash(_("Saved."), "success")
    return redirect(url_for("account.settings", _anchor="preferences"))


@blueprint.route("/timezone", methods=["POST"])
def guess_time_zone() -> tuple[str, int]:
    """The browser's zone, sent once by app.js for a user who has none; a zone the user chose
    on this page is never overwritten."""
    form = TimeZoneGuessForm()
    if not form.validate_on_submit():
        return "", 400
    if current_user.timezone:
        return "", 204
    try:
        with unit_of_work(db.session):
            set_time_zone(current_user, form.timezone.data or "")
    except UserError:
        return "", 400
    return "", 204
