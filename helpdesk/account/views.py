"""Account settings: a liaison marks themselves away, with an optional return date."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.models import utcnow
from ..core.services.users import UserError, set_away
from ..core.unit_of_work import unit_of_work
from ..extensions import db
from .forms import AwayForm

blueprint = Blueprint("account", __name__, url_prefix="/account")


def _render(form: AwayForm | None = None) -> str:
    if form is None:
        until = current_user.away_until
        form = AwayForm(
            away=current_user.is_away(utcnow()), away_until=until.date() if until else None
        )
    return render_template("account/settings.html", form=form)


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
        form.away_until.errors = [*form.away_until.errors, str(error)]
        return _render(form), 400  # type: ignore[return-value]
    flash(_("Saved."), "success")
    return redirect(url_for("account.settings"))
