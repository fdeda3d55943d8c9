"""The search page: the header's box leads here."""

from .views import blueprint

__all__ = ["blueprint"]
