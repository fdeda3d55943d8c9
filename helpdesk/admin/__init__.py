"""Administration: the mail quarantine."""

from .views import blueprint

__all__ = ["blueprint"]
