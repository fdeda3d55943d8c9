"""Flask-Login wiring: how a session cookie becomes a User."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from .core.models import User
from .extensions import db


def init_login(app: Flask, manager: LoginManager) -> None:
    manager.init_app(app)
    manager.login_view = "auth.login"
    manager.login_message = _l("Please sign in to continue.")
    manager.session_protection = "strong"

    @manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.active else None
