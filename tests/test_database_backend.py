"""The suite really runs on the database CI asked for."""

import os


def test_suite_uses_the_requested_database(db):
    expected = "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"
    assert db.engine.dialect.name == expected
