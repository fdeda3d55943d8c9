"""The session type services take: a plain Session or the scoped one Flask-SQLAlchemy gives."""

from typing import Any, TypeAlias

from sqlalchemy.orm import Session, scoped_session

DbSession: TypeAlias = Session | scoped_session[Any]
