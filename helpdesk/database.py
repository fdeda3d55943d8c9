"""Bringing a database to the current schema with the configured languages."""

from __future__ import annotations

import json
from pathlib import Path

from flask import current_app
from flask_migrate import upgrade

from .core.services.acknowledgements import ensure_acknowledgement_texts
from .core.services.languages import ensure_languages
from .core.unit_of_work import unit_of_work
from .extensions import db


def prepare_database() -> None:
    """Create or upgrade the schema (Alembic), then make sure every configured language exists
    and has an acknowledgement text. Safe to run any number of times."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    with unit_of_work(db.session):
        ensure_languages(db.session, current_app.config["LANGUAGES"])
        seed_acknowledgement_texts()


DEFAULTS = Path(__file__).parent / "defaults"


def seed_acknowledgement_texts() -> None:
    texts = json.loads((DEFAULTS / "acknowledgement.json").read_text(encoding="utf-8"))
    variants = {code: (name, body) for code, (name, body) in texts["variants"].items()}
    ensure_acknowledgement_texts(db.session, texts["name"], variants)


def schema_is_current() -> bool:
    """Is the database at the newest migration this code ships (nothing to upgrade, and not a
    newer schema than the code knows)?"""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(current_app.extensions["migrate"].directory)
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == set(script.get_heads())
