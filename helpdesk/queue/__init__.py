"""The queue pages liaisons work from."""

from .views import blueprint

__all__ = ["blueprint"]
