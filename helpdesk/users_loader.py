"""Flask-Login wiring: how a session cookie becomes a User."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from .core.models import User
from .extensions import db
from .sessions import init_sessions


def init_login(app: Flask, manager: LoginManager) -> None:
    manager.init_app(app)
    manager.login_view = "auth.login"
    manager.login_message = _l("Please sign in to continue.")
    manager.session_protection = "strong"
    init_sessions(app)  # before the login wall: an expired session meets the wall

    @manager.user_loader
    def load_user(session_id: str) -> User | None:
        """``id:epoch`` (``User.get_id``): a deactivated user, or a session from before a
        revocation (sign out everywhere, password change or reset), loads as nobody."""
        user_id, _, epoch = session_id.partition(":")
        if not (user_id.isdigit() and epoch.isdigit()):
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or user.session_epoch != int(epoch):
            return None
        return user
