"""Polyglot Desk: a correspondence helpdesk for teams who answer the public in many languages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_babel import get_locale

from config import PROJECT_ROOT, Config

from .extensions import babel, csrf, db, login_manager, migrate
from .i18n import select_locale, text_direction

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _base_app(config: Config | None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        instance_path=str((config or Config()).DATA_DIR),
    )
    app.config.from_object(config or Config())
    app.config["DATA_DIR"].mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    babel.init_app(app, locale_selector=select_locale)
    return app


def create_worker_app(config: Config | None = None) -> Flask:
    """The extensions without the web: for workers, the ingester and the CLI."""
    return _base_app(config)


def create_app(config: Config | None = None) -> Flask:
    """The web application."""
    from . import account, admin, auth, dashboard, queue, templates_admin, tickets
    from .cli import register_commands
    from .core.models import utcnow
    from .security import init_security
    from .users_loader import init_login

    app = _base_app(config)
    csrf.init_app(app)
    init_login(app, login_manager)
    init_security(app)
    app.register_blueprint(account.blueprint)
    app.register_blueprint(admin.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(dashboard.blueprint)
    app.register_blueprint(queue.blueprint)
    app.register_blueprint(templates_admin.blueprint)
    app.register_blueprint(tickets.blueprint)
    app.jinja_env.globals.update(
        text_direction=text_direction, get_locale=get_locale, now_utc=utcnow
    )
    register_commands(app)
    return app
