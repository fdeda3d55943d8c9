"""The suite really runs on the database CI asked for."""

import os


def test_suite_uses_the_requested_database(db):
    expected = "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"
    assert db.engine.dialect.name == expected


def test_a_commit_is_on_disk_when_it_returns(db):
    """SMTP answers 250 after the commit: a power cut right after must not take it back.
    SQLite in WAL mode needs synchronous=FULL for that (NORMAL may lose the last commits);
    PostgreSQL needs synchronous_commit on (its default)."""
    from sqlalchemy import text

    with db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        else:
            assert connection.execute(text("SHOW synchronous_commit")).scalar() != "off"
