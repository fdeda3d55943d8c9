"""Polyglot Desk: a correspondence helpdesk for teams who answer the public in many languages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_babel import get_locale

from config import RESOURCE_ROOT, Config

from .extensions import babel, csrf, db, login_manager, migrate
from .formatting import init_formatting
from .i18n import (
    endonym,
    install_template_gettext,
    interface_languages,
    select_locale,
    select_timezone,
    text_direction,
)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _base_app(config: Config | None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(RESOURCE_ROOT / "templates"),
        instance_path=str((config or Config()).DATA_DIR),
    )
    app.config.from_object(config or Config())
    app.config["DATA_DIR"].mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    app.config["BLOB_SESSION"] = db.session  # what a database blob store reads and writes with
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_template_gettext(app)
    init_formatting(app)  # workers render mail with the same filters as pages
    return app


def create_worker_app(config: Config | None = None) -> Flask:
    """The extensions without the web: for workers, the ingester and the CLI."""
    return _base_app(config)


def create_app(config: Config | None = None) -> Flask:
    """The web application."""
    from . import account, admin, auth, dashboard, health, queue, search, templates_admin, tickets
    from .cli import register_commands
    from .core.models import utcnow
    from .error_pages import init_error_pages
    from .observability import init_observability
    from .security import init_security
    from .users_loader import init_login

    app = _base_app(config)
    csrf.init_app(app)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    init_observability(app)
    init_login(app, login_manager)
    init_security(app)
    init_error_pages(app)
    app.register_blueprint(account.blueprint)
    app.register_blueprint(admin.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(dashboard.blueprint)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(queue.blueprint)
    app.register_blueprint(search.blueprint)
    app.register_blueprint(templates_admin.blueprint)
    app.register_blueprint(tickets.blueprint)
    app.jinja_env.globals.update(
        text_direction=text_direction,
        get_locale=get_locale,
        now_utc=utcnow,
        endonym=endonym,
        interface_languages=interface_languages,
    )
    register_commands(app)
    return app
