"""Bringing a database to the current schema with the configured languages."""

from __future__ import annotations

from flask import current_app
from flask_migrate import upgrade

from .core.services.languages import ensure_languages
from .core.unit_of_work import unit_of_work
from .extensions import db


def prepare_database() -> None:
    """Create or upgrade the schema (Alembic), then make sure every configured language exists.
    Safe to run any number of times."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    with unit_of_work(db.session):
        ensure_languages(db.session, current_app.config["LANGUAGES"])
