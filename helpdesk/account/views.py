"""Account settings: being away (with an optional return date), and signatures per language."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.models import utcnow
from ..core.services.signatures import SignatureError, save_signatures, signatures_of
from ..core.services.users import UserError, set_away
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .forms import AwayForm, SignaturesForm, signatures_form

blueprint = Blueprint("account", __name__, url_prefix="/account")


def _render(form: AwayForm | None = None, signatures: SignaturesForm | None = None) -> str:
    if form is None:
        until = current_user.away_until
        form = AwayForm(
            away=current_user.is_away(utcnow()), away_until=until.date() if until else None
        )
    if signatures is None:
        signatures = signatures_form(
            current_user.languages, signatures_of(db.session, current_user)
        )
    return render_template("account/settings.html", form=form, signatures=signatures)


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
