"""The migrations build exactly the schema the models describe, from an empty database."""

import os
import uuid
from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from config import TestConfig
from helpdesk import MIGRATIONS_DIR, create_app
from helpdesk.core.models import Base
from helpdesk.extensions import db
from search_index.postings import is_postings_table


def _models_only(name, type_, parent_names):
    return not (type_ == "table" and is_postings_table(name))


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
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": _models_only}
            )
            differences = compare_metadata(context, Base.metadata)
        tables = set(db.inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert differences == []
    assert set(Base.metadata.tables) <= tables
    assert "search_postings" in tables


# Plausible values for columns whose meaning a migration may rely on; others get one by type.
_KNOWN_VALUES = {
    "status": "open",
    "state": "pending",
    "direction": "in",
    "role": "liaison",
    "kind": "created",
    "code": "fr",
    "language_code": "fr",
    "default_language_code": "fr",
    "email": "someone@example.com",
    "assignment_strategy": "balanced",
}


def _value_for(column):
    if column.name in _KNOWN_VALUES:
        return _KNOWN_VALUES[column.name]
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        python_type = str
    return {
        int: 1,
        bool: False,
        bytes: b"x",
        float: 1.0,
        dict: {},
        datetime: datetime(2026, 1, 1, tzinfo=UTC),
        date: date(2026, 1, 1),
    }.get(python_type, "x1")


def _primary_key_value(column):
    """1, as foreign keys expect, unless the column cannot hold it (a day in a composite key)."""
    value = _value_for(column)
    return value if isinstance(value, date) else _KNOWN_VALUES.get(column.name, 1)


def _fill_every_table(connection) -> dict[str, int]:
    """One row in each table, foreign keys pointing at the other tables' first rows."""
    from sqlalchemy import MetaData

    reflected = MetaData()
    reflected.reflect(connection)
    tables = [
        t
        for t in reflected.sorted_tables
        if t.name != "alembic_version" and not t.name.startswith("search_postings")
    ]  # search postings are written by the index, not as rows of their own
    for table in tables:
        row = {}
        for column in table.columns:
            if column.primary_key and not column.foreign_keys:
                row[column.name] = _primary_key_value(column)
            elif column.foreign_keys:
                first = _KNOWN_VALUES.get(column.name, 1)
                row[column.name] = first if not column.nullable or column.primary_key else None
            elif not column.nullable or column.primary_key:
                row[column.name] = _value_for(column)
        connection.execute(table.insert().values(**row))
    return {t.name: 1 for t in tables}


def _revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return [r.revision for r in reversed(list(script.walk_revisions()))][:-1]


@pytest.mark.parametrize("revision", _revisions())
def test_upgrade_keeps_data_from_every_earlier_revision(
    tmp_path, empty_database_url, monkeypatch, revision
):
    monkeypatch.setenv("TEST_DATABASE_URL", empty_database_url)
    app = create_app(TestConfig(tmp_path / "data"))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision=revision)
        with db.engine.begin() as connection:
            filled = _fill_every_table(connection)
        upgrade(directory=str(MIGRATIONS_DIR))
        with db.engine.connect() as connection:
            counts = {
                name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in filled
            }
        from helpdesk.core.models import Ticket

        ticket = db.session.get(Ticket, 1)
        assert ticket is not None and ticket.requester is not None and ticket.messages
        db.session.remove()
        db.engine.dispose()
    assert counts == filled


def test_raw_mail_stored_before_content_keys_gets_one(tmp_path, empty_database_url, monkeypatch):
    """Mail keyed by its Message-ID alone is rekeyed from its stored bytes, so it is still
    recognised when it arrives again after the upgrade."""
    from helpdesk.core.storage import FolderBlobStore
    from mail_ingest.dedup import dedup_key

    from .factories import make_mail

    monkeypatch.setenv("TEST_DATABASE_URL", empty_database_url)
    app = create_app(TestConfig(tmp_path / "data"))
    data = make_mail(message_id="<old@example.com>")
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR), revision="6d3e9c19cc21")
        digest = FolderBlobStore(app.config["RAW_MAIL_DIR"]).put(data)
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
