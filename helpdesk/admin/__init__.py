"""Administration: the mail quarantine, languages with their queues, the audit log, retention."""

from . import (
    audit_views,  # noqa: F401 - registers its routes on the blueprint
    language_views,  # noqa: F401 - registers its routes on the blueprint
    retention_views,  # noqa: F401 - registers its routes on the blueprint
)
from .views import blueprint

__all__ = ["blueprint"]
