"""Accepting an invitation: the one-time link's page, where the invitee picks name and password."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from ..core.errors import DomainError, InvitationError
from ..core.models import utcnow
from ..core.services.staff import accept_invitation, pending_invitation
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .forms import AcceptInvitationForm
from .views import blueprint


@blueprint.route("/invitation/<token>", methods=["GET", "POST"], endpoint="accept_invitation")
def accept_invitation_view(token: str) -> str | Response | tuple[str, int]:
    """Public (the token is the credential); a used, expired or unknown link says which."""
    try:
        invitation = pending_invitation(db.session, token, utcnow())
    except InvitationError as error:
        return render_template("auth/invitation.html", refusal=describe(error), form=None), 410
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            with unit_of_work(db.session):
                user = accept_invitation(
                    db.session, token, form.name.data or "", form.password.data or "", utcnow()
                )
        except DomainError as error:
            form.password.errors = [*form.password.errors, describe(error)]
        else:
            logout_user()
            login_user(user)
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(url_for("queue.index"))
    return render_template("auth/invitation.html", form=form, invitation=invitation, refusal=None)
