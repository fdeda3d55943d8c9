"""Administration: the mail quarantine, and languages with their queues."""

from . import language_views  # noqa: F401 - registers its routes on the blueprint
from .views import blueprint

__all__ = ["blueprint"]
