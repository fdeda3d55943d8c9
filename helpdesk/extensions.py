"""Extensions, created without an app and bound in the factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from .core.models import Base

db = SQLAlchemy(metadata=Base.metadata)  # models subclass Base itself: core stays Flask-free
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
