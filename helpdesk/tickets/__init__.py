"""The ticket page and what a liaison does there."""

from .views import blueprint

__all__ = ["blueprint"]
