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


def test_raw_mail_stored_before_content_keys_gets_one(tmp_path, empty_database_url, monkeypatch):
    """Mail keyed by its Message-ID alone is rekeyed from its stored bytes, so it is still
    recognised when it arrives again after the upgrade."""
    from helpdesk.core.storage import BlobStore
    from mail_ingest.dedup import dedup_key

    from .factories import make_mail

    monkeypatch.setenv("TEST_DATABASE_URL", empty_database_url)
    app = create_app(TestConfig(tmp_path / "data"))
    data = make_mail(message_id="<old@example.com>")
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision="6d3e9c19cc21")
        digest = BlobStore(app.config["RAW_MAIL_DIR"]).put(data)
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO raw_mail (dedup_key, sha256, size, source, state, received_at)"
                    " VALUES (:key, :sha, 1, 'imap', 'processed', CURRENT_TIMESTAMP),"
                    " ('<lost@example.com>', :missing, 1, 'imap', 'processed', CURRENT_TIMESTAMP)"
                ),
                {"key": "<old@example.com>", "sha": digest, "missing": "0" * 64},
            )
        upgrade(directory=str(MIGRATIONS_DIR))
        with db.engine.connect() as connection:
            keys = connection.execute(text("SELECT dedup_key FROM raw_mail ORDER BY id")).scalars()
            keys = list(keys)
        db.engine.dispose()
    assert keys == [dedup_key(data), "<lost@example.com>"]
