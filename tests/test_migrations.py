"""The migrations build exactly the schema the models describe, from an empty database."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from config import TestConfig
from helpdesk import MIGRATIONS_DIR, create_app
from helpdesk.core.models import Base
from helpdesk.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    """A fresh SQLite file, or a fresh schema in the test PostgreSQL database."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    schema = f"migration_{uuid.uuid4().hex[:8]}"
    admin = create_engine(TestConfig(tmp_path).SQLALCHEMY_DATABASE_URI)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_upgrade_from_empty_matches_the_models(tmp_path, empty_database_url, monkeypatch):
    monkeypatch.setenv("TEST_DATABASE_URL", empty_database_url)
    app = create_app(TestConfig(tmp_path / "data"))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
        tables = set(db.inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert differences == []
    assert set(Base.metadata.tables) <= tables


def test_each_language_s_response_hours_become_its_sla_policy(
    tmp_path, empty_database_url, monkeypatch
):
    monkeypatch.setenv("TEST_DATABASE_URL", empty_database_url)
    app = create_app(TestConfig(tmp_path / "data"))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision="6d3e9c19cc21")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO languages (code, name, english_name, direction, active, "
                    "assignment_strategy, first_response_hours, auto_acknowledge) VALUES "
                    "('fr', 'Français', 'French', 'ltr', true, 'load_balanced', 8, true)"
                )
            )
        upgrade(directory=str(MIGRATIONS_DIR))
        with db.engine.connect() as connection:
            policy = connection.execute(
                text(
                    "SELECT first_response_hours, resolution_hours, business_hours "
                    "FROM sla_policies WHERE language_code = 'fr'"
                )
            ).one()
        db.engine.dispose()
    assert (policy[0], policy[1], bool(policy[2])) == (8, 120, False)
