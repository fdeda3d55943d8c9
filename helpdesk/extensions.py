"""Extensions, created without an app and bound in the factory."""

from __future__ import annotations

from typing import Any

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .core.models import Base

db = SQLAlchemy(metadata=Base.metadata)  # models subclass Base itself: core stays Flask-free
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: WAL lets the web read while workers write. FULL sync: a commit is on disk when
    it returns, so mail answered 250 (and a reply shown as queued) survives a power cut too;
    NORMAL would lose the last commits then. It costs one fsync of the WAL per commit, measured
    on bench/ingest.py as within the machine's noise. Foreign keys on, as on PostgreSQL.
    secure_delete: deleted rows are overwritten with zeros, not left in free pages, so an
    erased requester's data is gone from the file (privacy erasure), at the cost of writing
    the freed space."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
